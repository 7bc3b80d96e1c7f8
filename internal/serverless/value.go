package serverless

import (
	"strconv"
	"strings"
)

// kind is the shape of a resolved configuration value.
type kind uint8

const (
	kNull kind = iota
	kScalar
	kMap
	kSeq
	// kUnknown is a value that cannot be resolved statically: a deploy-time
	// reference (${ssm:...}), an environment variable, a missing variable.
	kUnknown
)

// pos is a 1-based line and column in the service file.
type pos struct{ line, col int }

// entry is one key of a resolved mapping, with where the key is written.
type entry struct {
	key string
	at  pos
	v   *val
}

// val is a configuration value after variable resolution. Values are shared
// (a YAML alias or a ${self:} reference points at the same *val), so they
// are never modified after they are built.
type val struct {
	kind kind
	s    string // scalar text
	tag  string // yaml short tag of a scalar: !!str, !!int, !!bool, !!float
	ents []entry
	seq  []*val
	at   pos
	end  int // last line of a block
	// why says why a kUnknown value is unknown.
	why string
	// ref is true when the value comes from elsewhere at deploy time
	// (${ssm:}, ${cf:}, ${env:}, CloudFormation intrinsics): it is never a
	// literal written in the scanned code.
	ref bool
	// size is the node count with shared values counted each time they occur.
	size int
}

func scalar(s, tag string, at pos) *val {
	return &val{kind: kScalar, s: s, tag: tag, at: at, end: at.line, size: 1}
}

func unknownVal(why string, ref bool, at pos) *val {
	return &val{kind: kUnknown, why: why, ref: ref, at: at, end: at.line, size: 1}
}

// get returns the value of key in a mapping, or nil.
func (v *val) get(key string) *val {
	if v == nil || v.kind != kMap {
		return nil
	}
	for _, e := range v.ents {
		if e.key == key {
			return e.v
		}
	}
	return nil
}

// entryOf returns the entry of key in a mapping.
func (v *val) entryOf(key string) (entry, bool) {
	if v == nil || v.kind != kMap {
		return entry{}, false
	}
	for _, e := range v.ents {
		if e.key == key {
			return e, true
		}
	}
	return entry{}, false
}

// has reports whether a mapping holds key (even with a null value).
func (v *val) has(key string) bool {
	_, ok := v.entryOf(key)
	return ok
}

// path follows keys through nested mappings.
func (v *val) path(keys ...string) *val {
	for _, k := range keys {
		v = v.get(k)
	}
	return v
}

// isNull reports whether v is missing or null.
func (v *val) isNull() bool { return v == nil || v.kind == kNull }

// str returns a scalar's text; ok is false for anything else.
func (v *val) str() (string, bool) {
	if v == nil || v.kind != kScalar {
		return "", false
	}
	return v.s, true
}

// truthy follows JavaScript truthiness for the scalars a YAML file can hold,
// as the framework tests settings (`if (functionObject.tracing)`). Unknown
// values and collections are truthy.
func (v *val) truthy() bool {
	switch {
	case v == nil || v.kind == kNull:
		return false
	case v.kind != kScalar:
		return true
	}
	switch v.tag {
	case "!!bool":
		return strings.EqualFold(v.s, "true")
	case "!!int", "!!float":
		f, err := strconv.ParseFloat(v.s, 64)
		return err != nil || f != 0
	}
	return v.s != ""
}

// boolean returns a scalar boolean.
func (v *val) boolean() (b, ok bool) {
	if v == nil || v.kind != kScalar {
		return false, false
	}
	switch strings.ToLower(v.s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// integer returns a scalar integer (written as a number or a numeric string).
func (v *val) integer() (int, bool) {
	if v == nil || v.kind != kScalar {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.s))
	if err != nil {
		f, ferr := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
		if ferr != nil || f != float64(int(f)) {
			return 0, false
		}
		return int(f), true
	}
	return n, true
}

// list returns the items of a sequence, or the value itself as a one-item
// list when it is a scalar (IAM and framework settings accept both).
func (v *val) list() []*val {
	switch {
	case v == nil || v.kind == kNull:
		return nil
	case v.kind == kSeq:
		return v.seq
	}
	return []*val{v}
}

// intrinsic returns the name and argument of a one-key CloudFormation
// intrinsic mapping ({"Fn::GetAtt": [...]}, {"Ref": "X"}).
func (v *val) intrinsic() (name string, arg *val, ok bool) {
	if v == nil || v.kind != kMap || len(v.ents) != 1 {
		return "", nil, false
	}
	k := v.ents[0].key
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, v.ents[0].v, true
	}
	return "", nil, false
}

// k is v's kind, kNull for a missing value.
func (v *val) k() kind {
	if v == nil {
		return kNull
	}
	return v.kind
}
