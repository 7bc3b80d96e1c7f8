// Package intrinsics evaluates CloudFormation template values: the short
// (!Ref) and long (Fn::Sub) intrinsic forms, pseudo parameters, parameters,
// mappings and conditions. A value that cannot be resolved statically is an
// explicit Unknown with the reason; a reference to another resource of the
// template renders as a specific, symbolic name or ARN (never "*").
package intrinsics

import (
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Kind is the shape of a resolved value.
type Kind uint8

const (
	// Null is an explicit YAML null.
	Null Kind = iota
	// String, Number and Bool are scalars; Str holds their text.
	String
	Number
	Bool
	// List holds Items, Map holds Fields.
	List
	Map
	// Unknown is a value that cannot be resolved statically; Why says why.
	Unknown
)

func (k Kind) String() string {
	return [...]string{"null", "string", "number", "boolean", "list", "map", "unknown"}[k]
}

// Field is one key of a map value.
type Field struct {
	Key    string
	KeyLoc srcloc.Location
	Value  *Value
}

// Value is a template value with its intrinsics resolved. A nil *Value is a
// value that is not there (a missing key, or AWS::NoValue).
type Value struct {
	Kind   Kind
	Str    string
	Items  []*Value
	Fields []Field
	// Loc is where the value (or the intrinsic that produced it) is written.
	Loc srcloc.Location
	// Why explains an Unknown value.
	Why string
	// Reference is true when the value, or part of it, is not a literal
	// written in the scanned code: another resource's name or attribute, a
	// parameter without a literal value, a NoEcho parameter given from
	// outside, a pseudo parameter, a dynamic reference ({{resolve:...}}) or
	// an imported value.
	Reference bool
	// Target is the inventory ID of the resource when the value is exactly
	// that resource's Ref (Attr "") or attribute (Attr "Arn", ...).
	Target string
	Attr   string
	// Targets are the inventory IDs of every resource the value refers to.
	Targets []string
}

// Str returns a known string value at loc.
func Str(s string, loc srcloc.Location) *Value { return &Value{Kind: String, Str: s, Loc: loc} }

// UnknownAt returns an unknown value at loc with the reason.
func UnknownAt(why string, loc srcloc.Location) *Value {
	return &Value{Kind: Unknown, Why: why, Loc: loc}
}

// IsUnknown reports whether v is an unknown value.
func (v *Value) IsUnknown() bool { return v != nil && v.Kind == Unknown }

// IsScalar reports whether v is a known string, number or boolean.
func (v *Value) IsScalar() bool {
	return v != nil && (v.Kind == String || v.Kind == Number || v.Kind == Bool)
}

// Scalar returns the text of a known scalar.
func (v *Value) Scalar() (string, bool) {
	if v.IsScalar() {
		return v.Str, true
	}
	return "", false
}

// Field returns the value of key in a map, nil when missing. The field of
// an unknown value is that unknown value.
func (v *Value) Field(key string) *Value {
	if v == nil {
		return nil
	}
	if v.Kind == Unknown {
		return v
	}
	if v.Kind != Map {
		return nil
	}
	for i := range v.Fields {
		if v.Fields[i].Key == key {
			return v.Fields[i].Value
		}
	}
	return nil
}

// Get follows a path of map keys.
func (v *Value) Get(path ...string) *Value {
	for _, k := range path {
		v = v.Field(k)
	}
	return v
}

// KeyLoc returns the location of key in a map value, or v's location.
func (v *Value) KeyLoc(key string) srcloc.Location {
	if v != nil && v.Kind == Map {
		for i := range v.Fields {
			if v.Fields[i].Key == key {
				return v.Fields[i].KeyLoc
			}
		}
	}
	if v == nil {
		return srcloc.Location{}
	}
	return v.Loc
}

// List returns the items of a list, or a scalar as a one-item list (many
// CloudFormation properties take either); nil for anything else.
func (v *Value) List() []*Value {
	switch {
	case v == nil:
		return nil
	case v.Kind == List:
		return v.Items
	case v.IsScalar():
		return []*Value{v}
	}
	return nil
}

// FullyKnown reports whether v and everything inside it is known.
func (v *Value) FullyKnown() bool {
	if v == nil {
		return true
	}
	switch v.Kind {
	case Unknown:
		return false
	case List:
		for _, it := range v.Items {
			if !it.FullyKnown() {
				return false
			}
		}
	case Map:
		for _, f := range v.Fields {
			if !f.Value.FullyKnown() {
				return false
			}
		}
	}
	return true
}

// FirstUnknown returns the first unknown value inside v, or nil.
func (v *Value) FirstUnknown() *Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Unknown:
		return v
	case List:
		for _, it := range v.Items {
			if u := it.FirstUnknown(); u != nil {
				return u
			}
		}
	case Map:
		for _, f := range v.Fields {
			if u := f.Value.FirstUnknown(); u != nil {
				return u
			}
		}
	}
	return nil
}

// Interface converts v to plain Go values (map[string]any, []any, string,
// bool, nil); numbers stay strings. Unknown values become the string
// "<unknown: why>". It is meant for tests and debugging.
func (v *Value) Interface() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case String, Number:
		return v.Str
	case Bool:
		return v.Str == "true"
	case List:
		out := make([]any, len(v.Items))
		for i, it := range v.Items {
			out[i] = it.Interface()
		}
		return out
	case Map:
		out := make(map[string]any, len(v.Fields))
		for _, f := range v.Fields {
			out[f.Key] = f.Value.Interface()
		}
		return out
	case Unknown:
		return "<unknown: " + v.Why + ">"
	}
	return nil
}

// Equal reports whether two values are the same known data (locations and
// flags are ignored; unknown values are never equal).
func Equal(a, b *Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind == Unknown || b.Kind == Unknown {
		return false
	}
	if a.IsScalar() && b.IsScalar() {
		return a.Str == b.Str
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case List:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !Equal(a.Items[i], b.Items[i]) {
				return false
			}
		}
	case Map:
		if len(a.Fields) != len(b.Fields) {
			return false
		}
		for _, f := range a.Fields {
			if !Equal(f.Value, b.Field(f.Key)) {
				return false
			}
		}
	}
	return true
}

// addTargets merges the referenced resources of parts into v.
func (v *Value) addTargets(parts ...*Value) {
	for _, p := range parts {
		if p == nil {
			continue
		}
		if p.Reference {
			v.Reference = true
		}
		if p.Target != "" {
			v.Targets = appendUnique(v.Targets, p.Target)
		}
		for _, t := range p.Targets {
			v.Targets = appendUnique(v.Targets, t)
		}
	}
	sort.Strings(v.Targets)
}

func appendUnique(s []string, x string) []string {
	for _, y := range s {
		if y == x {
			return s
		}
	}
	return append(s, x)
}

// HasDynamicReference reports whether s holds a CloudFormation dynamic
// reference ({{resolve:secretsmanager:...}}, {{resolve:ssm:...}}).
func HasDynamicReference(s string) bool { return strings.Contains(s, "{{resolve:") }
