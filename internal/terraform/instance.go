package terraform

import (
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Mode tells a managed resource from a data source.
type Mode string

const (
	// Managed is a `resource` block.
	Managed Mode = "managed"
	// Data is a `data` block.
	Data Mode = "data"
)

// Instance is one resource instance after evaluation: the unit that
// BuildInventory maps to inventory items. The HCL loader produces them from
// configuration; the plan JSON loader can produce them from planned_values.
type Instance struct {
	// Address is the full Terraform address, as Terraform writes it:
	// `aws_lambda_function.api`, `module.pay.aws_lambda_function.this[0]`,
	// `data.archive_file.zip`.
	Address string
	Mode    Mode
	// Type and Name are the resource type and the name label.
	Type string
	Name string
	// Module is the module instance address ("" for the root module), for
	// example `module.a.module.b["k"]`.
	Module string
	// Values is an object of the instance's attributes. Nested blocks are
	// lists (tuples) of objects, as in plan JSON and state; a single object
	// in their place is accepted too. Values may contain unknowns and carry
	// the marks of this package: RefMark on values that came from a
	// reference, WhyMark on unknowns that know why they are unknown.
	// tags_all (configured tags merged over provider default tags) and arn
	// are read when present.
	Values cty.Value
	// Loc is where the block is written (zero when unknown).
	Loc srcloc.Location
	// Locator finds where attributes are written; nil when not known (plan
	// JSON), and then every value carries Loc.
	Locator Locator
	// Waivers are inline waivers written for this instance.
	Waivers []inventory.InlineWaiver
	// Account and Region are where the instance is deployed when the
	// configuration pins them (the provider's single allowed account and
	// literal region); "" when not known.
	Account, Region string
}

// Locator finds where a part of an instance is written. BuildInventory may
// call Loc from several goroutines at once.
type Locator interface {
	// Loc returns the location of the attribute, block or element at path
	// (cty.GetAttrStep for attribute and block names and object keys,
	// cty.IndexStep for block, list and map indexes), or of the nearest
	// enclosing part that is written in the source.
	Loc(path cty.Path) srcloc.Location
}

// RefMark marks a value that was read from another object: a resource or
// data instance (Address like `aws_iam_role.r[0]`), a module output
// (`module.m`). An input variable is never a reference. A value
// derived from several objects carries several marks. BuildInventory turns
// a value marked with the address of a resource of the expected type into
// a Ref by ID, and treats marked environment values as references.
type RefMark struct{ Address string }

// WhyMark marks an unknown value with the reason it is unknown.
type WhyMark string

// MarkRef returns v marked as read from the object at address.
func MarkRef(v cty.Value, address string) cty.Value { return v.Mark(RefMark{Address: address}) }

// UnknownBecause returns an unknown value of type ty that says why.
func UnknownBecause(ty cty.Type, why string) cty.Value {
	return cty.UnknownVal(ty).Mark(WhyMark(why))
}

// docMark rides on policy JSON strings built by aws_iam_policy_document or
// jsonencode: when the string is unknown, val holds the document structure
// with its unknown parts, so the known parts can still be judged; locs are
// the statements' locations, in order, when known.
type docMark struct {
	val  cty.Value
	locs []srcloc.Location
}

// refAddresses returns the addresses in marks, sorted.
func refAddresses(marks cty.ValueMarks) []string {
	var out []string
	for m := range marks {
		if r, ok := m.(RefMark); ok {
			out = append(out, r.Address)
		}
	}
	sort.Strings(out)
	return out
}

// whyOf returns the first reason in marks, or "".
func whyOf(marks cty.ValueMarks) string {
	var out []string
	for m := range marks {
		if w, ok := m.(WhyMark); ok {
			out = append(out, string(w))
		}
	}
	if len(out) == 0 {
		return ""
	}
	sort.Strings(out)
	return out[0]
}

// docOf returns the single docMark in marks, or nil.
func docOf(marks cty.ValueMarks) *docMark {
	var found *docMark
	for m := range marks {
		if d, ok := m.(*docMark); ok {
			if found != nil {
				return nil
			}
			found = d
		}
	}
	return found
}

// addrType returns the resource type an instance address names and whether
// it is a data source ("" for module, var and other addresses).
func addrType(addr string) (typ string, data bool) {
	rest := addr
	for strings.HasPrefix(rest, "module.") {
		rest = rest[len("module."):]
		i := skipName(rest)
		rest = rest[i:]
		rest = skipKey(rest)
		if !strings.HasPrefix(rest, ".") {
			return "", false
		}
		rest = rest[1:]
	}
	if strings.HasPrefix(rest, "data.") {
		data = true
		rest = rest[len("data."):]
	}
	i := strings.IndexByte(rest, '.')
	if i <= 0 {
		return "", false
	}
	typ = rest[:i]
	if typ == "var" || typ == "local" || typ == "module" {
		return "", false
	}
	return typ, data
}

func skipName(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == '[' {
			return i
		}
	}
	return len(s)
}

// skipKey skips an instance key like [0] or ["a.b"] at the start of s.
func skipKey(s string) string {
	if !strings.HasPrefix(s, "[") {
		return s
	}
	inStr := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && c == ']':
			return s[i+1:]
		}
	}
	return ""
}
