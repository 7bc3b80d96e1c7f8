package terraform

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// docStatement is one statement of a policy document being assembled.
type docStatement struct {
	sid string
	val cty.Value // IAM JSON shape
	loc srcloc.Location
}

// policyDocument renders data "aws_iam_policy_document" as its json
// attribute: a known JSON string when everything resolves, else an unknown
// string whose docMark holds the document with its unknown parts. Either
// way the docMark carries the statements' locations.
func (ri *resInst) policyDocument() cty.Value {
	l := ri.m.l
	var stmts []docStatement
	merge := func(in []docStatement, replace bool) {
		for _, s := range in {
			if s.sid != "" {
				found := false
				for i := range stmts {
					if stmts[i].sid == s.sid {
						if replace {
							stmts[i] = s
						}
						found = true
						break
					}
				}
				if found {
					continue
				}
			}
			stmts = append(stmts, s)
		}
	}
	var unknownParts []cty.Value
	docs := func(attr string) []docStatement {
		_, rng, ok := ri.rc.attribute(attr)
		if !ok {
			return nil
		}
		loc := l.loc(rng)
		v, _ := ri.attr(attr).Unmark()
		if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
			if !v.IsNull() {
				unknownParts = append(unknownParts, UnknownBecause(cty.String, attr+" cannot be resolved"))
			}
			return nil
		}
		var out []docStatement
		for it := v.ElementIterator(); it.Next(); {
			_, d := it.Element()
			out = append(out, decodeDocStatements(d, loc, &unknownParts)...)
		}
		return out
	}
	for _, s := range docs("source_policy_documents") {
		merge([]docStatement{s}, true)
	}
	if _, rng, ok := ri.rc.attribute("source_json"); ok {
		merge(decodeDocStatements(ri.attr("source_json"), l.loc(rng), &unknownParts), true)
	}

	// The document's own statements, each located at its block (a dynamic
	// block for all it generates).
	var ownStmts []docStatement
	addOwn := func(v cty.Value, loc srcloc.Location) {
		u, marks := v.Unmark()
		switch {
		case !u.IsKnown():
			unknownParts = append(unknownParts, v)
			return
		case u.IsNull():
			return
		case u.Type().IsObjectType():
			u = cty.TupleVal([]cty.Value{u})
		}
		if !u.CanIterateElements() {
			return
		}
		for it := u.ElementIterator(); it.Next(); {
			_, sv := it.Element()
			ownStmts = append(ownStmts, blockStatement(sv.WithMarks(marks), loc))
		}
	}
	if ri.rc.syntax != nil {
		for _, b := range ri.rc.blocks["statement"] {
			addOwn(l.evalBlocks([]*hclsyntax.Block{b}, ri.sc), l.loc(b.DefRange()))
		}
	} else if _, rng, ok := ri.rc.attribute("statement"); ok {
		addOwn(ri.attr("statement"), l.loc(rng))
	}
	merge(ownStmts, true)
	if _, rng, ok := ri.rc.attribute("override_json"); ok {
		merge(decodeDocStatements(ri.attr("override_json"), l.loc(rng), &unknownParts), true)
	}
	for _, s := range docs("override_policy_documents") {
		merge([]docStatement{s}, true)
	}

	doc := map[string]cty.Value{"Version": cty.StringVal("2012-10-17")}
	if v, _ := ri.configured("version").Unmark(); v != cty.NilVal && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		doc["Version"] = v
	}
	if v, _ := ri.configured("policy_id").Unmark(); v != cty.NilVal && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		doc["Id"] = v
	}
	vals := make([]cty.Value, len(stmts))
	locs := make([]srcloc.Location, len(stmts))
	for i, s := range stmts {
		vals[i] = s.val
		locs[i] = s.loc
	}
	if len(vals) == 0 {
		doc["Statement"] = cty.EmptyTupleVal
	} else {
		doc["Statement"] = cty.TupleVal(vals)
	}
	docVal := cty.ObjectVal(doc)
	plain, marks := docVal.UnmarkDeep()
	dm := &docMark{val: docVal, locs: locs}
	if len(unknownParts) > 0 {
		why := "the policy document has parts that cannot be resolved"
		for _, u := range unknownParts {
			if w := whyOf(u.Marks()); w != "" {
				why = w
				break
			}
		}
		return cty.UnknownVal(cty.String).WithMarks(marks).Mark(WhyMark(why))
	}
	if !plain.IsWhollyKnown() {
		return cty.UnknownVal(cty.String).WithMarks(marks).Mark(dm)
	}
	b, err := ctyjson.Marshal(plain, plain.Type())
	if err != nil {
		return cty.UnknownVal(cty.String).Mark(WhyMark("policy document: " + err.Error()))
	}
	return cty.StringVal(string(b)).WithMarks(marks).Mark(dm)
}

// blockStatement converts a statement block object to IAM JSON shape.
func blockStatement(sv cty.Value, loc srcloc.Location) docStatement {
	out := map[string]cty.Value{}
	get := func(n string) cty.Value {
		v, m := sv.Unmark()
		if !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(n) {
			return cty.NilVal
		}
		a := v.GetAttr(n).WithMarks(m)
		if u, _ := a.Unmark(); u.IsKnown() && u.IsNull() {
			return cty.NilVal
		}
		return a
	}
	s := docStatement{loc: loc}
	if v := get("sid"); v != cty.NilVal {
		out["Sid"] = v
		if u, _ := v.Unmark(); u.IsKnown() && u.Type() == cty.String {
			s.sid = u.AsString()
		}
	}
	out["Effect"] = cty.StringVal("Allow")
	if v := get("effect"); v != cty.NilVal {
		out["Effect"] = v
	}
	for _, f := range [][2]string{{"actions", "Action"}, {"not_actions", "NotAction"}, {"resources", "Resource"}, {"not_resources", "NotResource"}} {
		if v := get(f[0]); v != cty.NilVal {
			out[f[1]] = v
		}
	}
	for _, f := range [][2]string{{"principals", "Principal"}, {"not_principals", "NotPrincipal"}} {
		v := get(f[0])
		if v == cty.NilVal {
			continue
		}
		out[f[1]] = principalsValue(v)
	}
	if v := get("condition"); v != cty.NilVal {
		out["Condition"] = conditionValue(v)
	}
	s.val = cty.ObjectVal(out)
	return s
}

// principalsValue folds principals blocks into {"TYPE": [ids]} or "*".
func principalsValue(v cty.Value) cty.Value {
	u, marks := v.Unmark()
	if !u.IsKnown() || !u.CanIterateElements() {
		return cty.DynamicVal.WithMarks(marks)
	}
	byType := map[string][]cty.Value{}
	var order []string
	wildcard := false
	for it := u.ElementIterator(); it.Next(); {
		_, p := it.Element()
		p, pm := p.Unmark()
		if !p.IsKnown() || p.IsNull() || !p.Type().IsObjectType() || !p.Type().HasAttribute("type") || !p.Type().HasAttribute("identifiers") {
			return cty.DynamicVal.WithMarks(marks)
		}
		t, _ := p.GetAttr("type").Unmark()
		if !t.IsKnown() || t.IsNull() || t.Type() != cty.String {
			return cty.DynamicVal.WithMarks(marks).WithMarks(pm)
		}
		ts := t.AsString()
		ids, im := p.GetAttr("identifiers").Unmark()
		if !ids.IsKnown() || ids.IsNull() || !ids.CanIterateElements() {
			if byType[ts] == nil {
				order = append(order, ts)
			}
			byType[ts] = append(byType[ts], cty.UnknownVal(cty.String).WithMarks(im))
			continue
		}
		for it := ids.ElementIterator(); it.Next(); {
			_, id := it.Element()
			if ts == "*" {
				if iv, _ := id.Unmark(); iv.IsKnown() && iv.Type() == cty.String && iv.AsString() == "*" {
					wildcard = true
					continue
				}
			}
			if byType[ts] == nil {
				order = append(order, ts)
			}
			byType[ts] = append(byType[ts], id.WithMarks(im))
		}
	}
	if wildcard && len(order) == 0 {
		return cty.StringVal("*").WithMarks(marks)
	}
	out := map[string]cty.Value{}
	for _, t := range order {
		out[t] = cty.TupleVal(byType[t])
	}
	if wildcard {
		out["AWS"] = cty.TupleVal(append([]cty.Value{cty.StringVal("*")}, byType["AWS"]...))
	}
	return cty.ObjectVal(out).WithMarks(marks)
}

// conditionValue folds condition blocks into {"test": {"variable": [values]}}.
func conditionValue(v cty.Value) cty.Value {
	u, marks := v.Unmark()
	if !u.IsKnown() || !u.CanIterateElements() {
		return cty.DynamicVal.WithMarks(marks)
	}
	tests := map[string]map[string][]cty.Value{}
	for it := u.ElementIterator(); it.Next(); {
		_, c := it.Element()
		c, _ = c.Unmark()
		if !c.IsKnown() || c.IsNull() || !c.Type().IsObjectType() {
			return cty.DynamicVal.WithMarks(marks)
		}
		str := func(n string) (string, bool) {
			if !c.Type().HasAttribute(n) {
				return "", false
			}
			x, _ := c.GetAttr(n).Unmark()
			if !x.IsKnown() || x.IsNull() || x.Type() != cty.String {
				return "", false
			}
			return x.AsString(), true
		}
		test, ok1 := str("test")
		variable, ok2 := str("variable")
		if !ok1 || !ok2 {
			return cty.DynamicVal.WithMarks(marks)
		}
		if tests[test] == nil {
			tests[test] = map[string][]cty.Value{}
		}
		if c.Type().HasAttribute("values") {
			vals, vm := c.GetAttr("values").Unmark()
			if !vals.IsKnown() || vals.IsNull() || !vals.CanIterateElements() {
				tests[test][variable] = append(tests[test][variable], cty.UnknownVal(cty.String).WithMarks(vm))
				continue
			}
			for it := vals.ElementIterator(); it.Next(); {
				_, x := it.Element()
				tests[test][variable] = append(tests[test][variable], x.WithMarks(vm))
			}
		}
	}
	out := map[string]cty.Value{}
	for t, vars := range tests {
		o := map[string]cty.Value{}
		for k, vs := range vars {
			if len(vs) == 0 {
				o[k] = cty.EmptyTupleVal
			} else {
				o[k] = cty.TupleVal(vs)
			}
		}
		out[t] = cty.ObjectVal(o)
	}
	return cty.ObjectVal(out).WithMarks(marks)
}

// decodeDocStatements reads the statements of a policy document given as a
// JSON string (or the docMark of an unknown one). Unresolvable documents
// are added to unknown.
func decodeDocStatements(v cty.Value, loc srcloc.Location, unknown *[]cty.Value) []docStatement {
	u, marks := v.Unmark()
	var doc cty.Value
	var locs []srcloc.Location
	dm := docOf(marks)
	switch {
	case u.IsKnown() && !u.IsNull() && u.Type() == cty.String:
		d, err := stdlib.JSONDecodeFunc.Call([]cty.Value{u})
		if err != nil {
			*unknown = append(*unknown, UnknownBecause(cty.String, "a policy document is not valid JSON"))
			return nil
		}
		doc = d
		if dm != nil {
			locs = dm.locs
		}
	case dm != nil:
		doc, locs = dm.val, dm.locs
	case u.IsKnown() && u.IsNull():
		return nil
	default:
		*unknown = append(*unknown, v)
		return nil
	}
	dv, dmarks := doc.Unmark()
	if !dv.IsKnown() || dv.IsNull() || !dv.Type().IsObjectType() || !dv.Type().HasAttribute("Statement") {
		*unknown = append(*unknown, UnknownBecause(cty.String, "a policy document cannot be resolved"))
		return nil
	}
	st, sm := dv.GetAttr("Statement").Unmark()
	if !st.IsKnown() {
		*unknown = append(*unknown, st.WithMarks(sm))
		return nil
	}
	if st.IsNull() {
		return nil
	}
	if st.Type().IsObjectType() || st.Type().IsMapType() {
		st = cty.TupleVal([]cty.Value{st})
	}
	if !st.CanIterateElements() {
		return nil
	}
	var out []docStatement
	i := 0
	for it := st.ElementIterator(); it.Next(); i++ {
		_, s := it.Element()
		ds := docStatement{val: s.WithMarks(dmarks), loc: loc}
		if i < len(locs) {
			ds.loc = locs[i]
		}
		if su, _ := s.Unmark(); su.IsKnown() && !su.IsNull() && (su.Type().IsObjectType() && su.Type().HasAttribute("Sid")) {
			if sid, _ := su.GetAttr("Sid").Unmark(); sid.IsKnown() && !sid.IsNull() && sid.Type() == cty.String {
				ds.sid = sid.AsString()
			}
		}
		out = append(out, ds)
	}
	return out
}
