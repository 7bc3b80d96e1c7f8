// Package scantest provides a fake source and a small fake check catalog
// for tests of the scan pipeline and the command line, so they do not depend
// on the real sources or checks.
package scantest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Suffix marks the files the fake source reads: an inventory.Inventory as
// JSON. Any non-empty location file in it is replaced by the input's display
// path, so fixtures can write "loc": {"file": "x", "line": 3}.
const Suffix = ".fake.json"

// Source is a scan.Source that reads Suffix files.
type Source struct {
	// PanicOn makes Load panic on inputs ending with it (to test recovery).
	PanicOn string
}

// Kind implements scan.Source.
func (*Source) Kind() inventory.SourceKind { return inventory.Terraform }

// Find implements scan.Source: every file whose name ends in Suffix.
func (*Source) Find(ctx context.Context, t *scan.Tree) ([]string, error) {
	var out []string
	for _, f := range t.Files {
		if strings.HasSuffix(f, Suffix) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Load implements scan.Source. A file that is not valid JSON yields an
// error with its line.
func (s *Source) Load(ctx context.Context, t *scan.Tree, input string, _ scan.LoadOptions) *inventory.Inventory {
	display := t.DisplayPath(input)
	if s.PanicOn != "" && strings.HasSuffix(input, s.PanicOn) {
		panic("fake source: told to panic on " + input)
	}
	inv := &inventory.Inventory{Sources: []inventory.Source{{Kind: inventory.Terraform, Path: display}}}
	data, err := os.ReadFile(t.Path(input))
	if err != nil {
		inv.Errors = append(inv.Errors, inventory.Error{Source: display, Message: err.Error()})
		return inv
	}
	var in inventory.Inventory
	if err := json.Unmarshal(data, &in); err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = 1 + strings.Count(string(data[:se.Offset]), "\n")
		}
		inv.Errors = append(inv.Errors, inventory.Error{Source: display, Line: line, Message: fmt.Sprintf("invalid JSON: %v", err)})
		return inv
	}
	fix := func(it *inventory.Item) {
		it.Source = inventory.Terraform
		it.Origin = display
		if it.Loc.File != "" {
			it.Loc.File = display
		}
	}
	for _, f := range in.Functions {
		fix(&f.Item)
		if f.Name.Loc.File != "" {
			f.Name.Loc.File = display
		}
	}
	for _, r := range in.Roles {
		fix(&r.Item)
	}
	for _, p := range in.Permissions {
		fix(&p.Item)
	}
	for i := range in.Waivers {
		in.Waivers[i].File = display
		if in.Waivers[i].Loc.File != "" {
			in.Waivers[i].Loc.File = display
		}
	}
	in.Sources = inv.Sources
	in.Errors = append(inv.Errors, in.Errors...)
	return &in
}

// Function returns a function item for tests, defined at file:line.
func Function(id, name, file string, line int) *inventory.Function {
	loc := srcloc.Location{File: file, Line: line}
	return &inventory.Function{
		Item: inventory.Item{ID: id, Source: inventory.Terraform, Origin: file, Loc: loc},
		Name: inventory.Of(name, loc),
	}
}

// Catalog is a fake catalog over functions:
//   - LW-T-01 (low): FAIL without reserved concurrency, else PASS;
//   - LW-T-02 (high): FAIL when the runtime is "python3.8", UNKNOWN when the
//     runtime is unknown, PASS otherwise;
//   - LW-T-03 (info, off by default): always PASS;
//   - LW-T-99 (critical): panics; only runs when selected explicitly.
func Catalog() []*checks.Check {
	tf := []inventory.Family{inventory.FamilyTF}
	perFunc := func(eval func(f *inventory.Function) (result.Status, string)) func(*checks.Env) []checks.Finding {
		return func(env *checks.Env) []checks.Finding {
			var out []checks.Finding
			for _, f := range env.Inventory().Functions {
				st, msg := eval(f)
				out = append(out, checks.Finding{Status: st, Resource: checks.FunctionResource(f), Location: f.Loc, Message: msg})
			}
			return out
		}
	}
	return []*checks.Check{
		{
			ID: "LW-T-01", Title: "Reserved concurrency set", Severity: result.Low, Controls: []string{"A1.2"}, Families: tf,
			Remediation: "Set reserved_concurrent_executions.",
			Run: perFunc(func(f *inventory.Function) (result.Status, string) {
				if f.ReservedConcurrency.IsKnown() {
					return result.Pass, "reserved concurrency " + f.ReservedConcurrency.String()
				}
				return result.Fail, "no reserved concurrency"
			}),
		},
		{
			ID: "LW-T-02", Title: "Runtime supported", Severity: result.High, Controls: []string{"CC7.1"}, Families: tf,
			Remediation: "Move to a supported runtime.",
			Run: perFunc(func(f *inventory.Function) (result.Status, string) {
				switch {
				case f.Runtime.IsUnknown():
					return result.Unknown, "runtime is " + f.Runtime.String()
				case f.Runtime.Or("") == "python3.8":
					return result.Fail, "runtime python3.8 is deprecated"
				}
				return result.Pass, "runtime " + f.Runtime.String()
			}),
		},
		{
			ID: "LW-T-03", Title: "Always passes", Severity: result.Info, Families: tf, DefaultOff: true,
			Run: perFunc(func(*inventory.Function) (result.Status, string) { return result.Pass, "fine" }),
		},
		{
			ID: "LW-T-99", Title: "Panics", Severity: result.Critical, Families: tf, DefaultOff: true,
			Run: func(*checks.Env) []checks.Finding { panic("fake check panics") },
		},
	}
}
