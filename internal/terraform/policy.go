package terraform

import (
	"errors"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// toAny converts a cty value to the decoded-JSON shape FromValue reads;
// unknown parts become iampolicy.Unresolved.
func toAny(v cty.Value, depth int) any {
	v, marks := v.Unmark()
	if !v.IsKnown() {
		why := whyOf(marks)
		if why == "" {
			why = "known only after apply"
		}
		return iampolicy.Unresolved{Reason: why}
	}
	if v.IsNull() {
		return nil
	}
	if depth > 64 {
		return iampolicy.Unresolved{Reason: "nested too deeply"}
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty == cty.Bool:
		return v.True()
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, toAny(e, depth+1))
		}
		return out
	case ty.IsMapType() || ty.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = toAny(e, depth+1)
		}
		return out
	}
	return iampolicy.Unresolved{Reason: "unsupported value"}
}

// policy reads a policy document attribute: a JSON string (jsonencode,
// heredoc, aws_iam_policy_document), or an unknown string whose structure
// is known. Statement locations are the statement blocks of a policy
// document data source, the statement objects of jsonencode, else the
// attribute. A malformed document is unknown and reported in errs.
func (b valuer) policy(n node, errs *[]inventory.Error) inventory.Value[*iampolicy.Policy] {
	if !n.set {
		return inventory.Value[*iampolicy.Policy]{}
	}
	loc := b.loc(n)
	dm := docOf(n.marks)
	var p *iampolicy.Policy
	var err error
	inFile := false // statement and error lines are the file's
	switch {
	case !n.v.IsKnown():
		if dm == nil {
			return unknownOf[*iampolicy.Policy](b, n)
		}
		p, err = iampolicy.FromValue(toAny(dm.val, 0))
	case n.v.Type() == cty.String:
		s := n.v.AsString()
		if strings.TrimSpace(s) == "" {
			return inventory.Value[*iampolicy.Policy]{}
		}
		if at, ok := b.heredocStart(n); ok {
			p, err = iampolicy.ParseAt([]byte(s), at)
			inFile = true
			break
		}
		p, err = iampolicy.Parse([]byte(s))
	case n.v.Type().IsObjectType() || n.v.Type().IsMapType():
		p, err = iampolicy.FromValue(toAny(n.v.WithMarks(n.marks), 0))
	default:
		return inventory.UnknownValue[*iampolicy.Policy]("not a policy document", loc)
	}
	if err != nil {
		line := loc.Line
		var pe *iampolicy.ParseError
		if inFile && errors.As(err, &pe) && pe.Line > 0 {
			line = pe.Line
		}
		*errs = append(*errs, inventory.Error{Source: loc.File, Line: line, Message: "invalid policy document: " + err.Error()})
		return inventory.UnknownValue[*iampolicy.Policy]("invalid policy document: "+err.Error(), loc)
	}
	for i := range p.Statements {
		if inFile && !p.Statements[i].Loc.IsZero() {
			continue
		}
		p.Statements[i].Loc = b.statementLoc(n, dm, i)
	}
	return inventory.Of(p, loc)
}

// heredocStart returns where a heredoc written directly for n starts, so
// that a JSON document in it is located in the file.
func (b valuer) heredocStart(n node) (srcloc.Location, bool) {
	h, ok := b.inst.Locator.(*hclLocator)
	if !ok || h == nil {
		return srcloc.Location{}, false
	}
	return h.heredocStart(n.path)
}

func (b valuer) statementLoc(n node, dm *docMark, i int) srcloc.Location {
	if dm != nil && i < len(dm.locs) && !dm.locs[i].IsZero() {
		return dm.locs[i]
	}
	// The locator stops at the Statement key when it holds a single object.
	p := extend(n.path, cty.GetAttrStep{Name: "Statement"})
	p = extend(p, cty.IndexStep{Key: cty.NumberIntVal(int64(i))})
	return b.loc(node{path: p})
}
