package cloudformation

import (
	"sort"
	"strconv"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/intrinsics"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// absent reports whether v is not set (missing, AWS::NoValue or null).
func absent(v *intrinsics.Value) bool { return v == nil || v.Kind == intrinsics.Null }

func unknownOf[T any](v *intrinsics.Value) inventory.Value[T] {
	return inventory.UnknownValue[T](v.Why, v.Loc)
}

func strVal(v *intrinsics.Value) inventory.Value[string] {
	switch {
	case absent(v):
		return inventory.Value[string]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[string](v)
	case v.IsScalar():
		return inventory.Of(v.Str, v.Loc)
	}
	return inventory.UnknownValue[string]("expected a string, found a "+v.Kind.String(), v.Loc)
}

func intVal(v *intrinsics.Value) inventory.Value[int] {
	switch {
	case absent(v):
		return inventory.Value[int]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[int](v)
	case v.IsScalar():
		s := strings.TrimSpace(v.Str)
		if n, err := strconv.Atoi(s); err == nil {
			return inventory.Of(n, v.Loc)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
			return inventory.Of(int(f), v.Loc)
		}
		return inventory.UnknownValue[int]("not a whole number: "+strconv.Quote(v.Str), v.Loc)
	}
	return inventory.UnknownValue[int]("expected a number, found a "+v.Kind.String(), v.Loc)
}

// strList converts a list of strings (or one string).
func strList(v *intrinsics.Value) inventory.Value[[]string] {
	switch {
	case absent(v):
		return inventory.Value[[]string]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[[]string](v)
	}
	items := v.List()
	if items == nil && v.Kind != intrinsics.List {
		return inventory.UnknownValue[[]string]("expected a list of strings, found a "+v.Kind.String(), v.Loc)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.Scalar()
		if !ok {
			if it.IsUnknown() {
				return inventory.UnknownValue[[]string](it.Why, it.Loc)
			}
			return inventory.UnknownValue[[]string]("expected a list of strings", it.Loc)
		}
		out = append(out, s)
	}
	return inventory.Of(out, v.Loc)
}

// plainRef converts a reference to another resource (a Ref/GetAtt, or a
// literal name or ARN).
func (st *stack) plainRef(v *intrinsics.Value) inventory.Value[inventory.Ref] {
	switch {
	case absent(v):
		return inventory.Value[inventory.Ref]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[inventory.Ref](v)
	case !v.IsScalar():
		return inventory.UnknownValue[inventory.Ref]("expected a name or ARN, found a "+v.Kind.String(), v.Loc)
	}
	ref := inventory.Ref{Name: v.Str}
	if v.Target != "" && st.l.byID[v.Target] != nil {
		ref.ID = v.Target
	}
	return inventory.Of(ref, v.Loc)
}

// refList converts a list of references.
func (st *stack) refList(v *intrinsics.Value) inventory.Value[[]inventory.Value[inventory.Ref]] {
	switch {
	case absent(v):
		return inventory.Value[[]inventory.Value[inventory.Ref]]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[[]inventory.Value[inventory.Ref]](v)
	}
	items := v.List()
	if items == nil && v.Kind != intrinsics.List {
		return inventory.UnknownValue[[]inventory.Value[inventory.Ref]]("expected a list, found a "+v.Kind.String(), v.Loc)
	}
	out := make([]inventory.Value[inventory.Ref], 0, len(items))
	for _, it := range items {
		out = append(out, st.plainRef(it))
	}
	return inventory.Of(out, v.Loc)
}

// tagMap converts a CloudFormation tag list ([{Key, Value}]) or a tag map.
// Stack tags (base) apply first; loc places them when the resource has
// none of its own.
func tagMap(v *intrinsics.Value, base map[string]string, loc srcloc.Location) inventory.Value[map[string]string] {
	if absent(v) {
		if len(base) == 0 {
			return inventory.Value[map[string]string]{}
		}
		return inventory.Of(copyMap(base), loc)
	}
	if v.Kind == intrinsics.Unknown {
		return unknownOf[map[string]string](v)
	}
	out := copyMap(base)
	switch v.Kind {
	case intrinsics.List:
		for _, it := range v.Items {
			k, okK := it.Field("Key").Scalar()
			val, okV := it.Field("Value").Scalar()
			if !okK || !okV {
				why := "a tag cannot be resolved"
				if u := it.FirstUnknown(); u != nil {
					why = u.Why
				}
				return inventory.UnknownValue[map[string]string](why, it.Loc)
			}
			out[k] = val
		}
	case intrinsics.Map:
		for _, f := range v.Fields {
			val, ok := f.Value.Scalar()
			if !ok {
				return inventory.UnknownValue[map[string]string]("tag "+f.Key+" cannot be resolved", f.Value.Loc)
			}
			out[f.Key] = val
		}
	default:
		return inventory.UnknownValue[map[string]string]("Tags is not a list or map", v.Loc)
	}
	return inventory.Of(out, v.Loc)
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// envVars converts Environment.Variables.
func envVars(v *intrinsics.Value) inventory.Value[[]inventory.EnvVar] {
	switch {
	case absent(v):
		return inventory.Value[[]inventory.EnvVar]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[[]inventory.EnvVar](v)
	case v.Kind != intrinsics.Map:
		return inventory.UnknownValue[[]inventory.EnvVar]("Environment.Variables is not a mapping", v.Loc)
	}
	out := make([]inventory.EnvVar, 0, len(v.Fields))
	for _, f := range v.Fields {
		ev := inventory.EnvVar{Name: f.Key}
		val := f.Value
		switch {
		case val.Kind == intrinsics.Unknown:
			ev.Value = unknownOf[string](val)
			ev.Reference = val.Reference
		case val.IsScalar():
			ev.Value = inventory.Of(val.Str, val.Loc)
			ev.Reference = val.Reference
		case val.Kind == intrinsics.Null:
			ev.Value = inventory.Of("", val.Loc)
		default:
			ev.Value = inventory.UnknownValue[string]("value is a "+val.Kind.String()+", not a string", val.Loc)
		}
		out = append(out, ev)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return inventory.Of(out, v.Loc)
}

// toAny converts a resolved value for iampolicy.FromValue: unknown parts
// become iampolicy.Unresolved.
func toAny(v *intrinsics.Value) any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case intrinsics.String, intrinsics.Number:
		return v.Str
	case intrinsics.Bool:
		return v.Str == "true"
	case intrinsics.List:
		out := make([]any, len(v.Items))
		for i, it := range v.Items {
			out[i] = toAny(it)
		}
		return out
	case intrinsics.Map:
		out := make(map[string]any, len(v.Fields))
		for _, f := range v.Fields {
			out[f.Key] = toAny(f.Value)
		}
		return out
	case intrinsics.Unknown:
		return iampolicy.Unresolved{Reason: v.Why}
	}
	return nil
}

// policyDoc converts a policy document (a map, or a JSON string).
func (st *stack) policyDoc(v *intrinsics.Value) inventory.Value[*iampolicy.Policy] {
	switch {
	case absent(v):
		return inventory.Value[*iampolicy.Policy]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[*iampolicy.Policy](v)
	}
	var p *iampolicy.Policy
	var err error
	if s, ok := v.Scalar(); ok {
		p, err = iampolicy.ParseAt([]byte(s), v.Loc)
	} else {
		p, err = iampolicy.FromValue(toAny(v))
		if err == nil {
			st.statementLocs(p, v)
		}
	}
	if err != nil {
		msg := err.Error()
		st.l.errorf(v.Loc.File, v.Loc.Line, "policy document: %s", msg)
		return inventory.UnknownValue[*iampolicy.Policy]("invalid policy document: "+msg, v.Loc)
	}
	return inventory.Of(p, v.Loc)
}

// statementLocs sets each statement's location from the resolved document.
func (st *stack) statementLocs(p *iampolicy.Policy, doc *intrinsics.Value) {
	stmts := doc.Field("Statement")
	if stmts == nil {
		return
	}
	if stmts.Kind == intrinsics.List {
		if len(stmts.Items) == len(p.Statements) {
			for i := range p.Statements {
				p.Statements[i].Loc = stmts.Items[i].Loc
			}
		}
		return
	}
	for i := range p.Statements {
		p.Statements[i].Loc = stmts.Loc
	}
}
