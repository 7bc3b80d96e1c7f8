// Package runtimes is the table of AWS Lambda managed runtimes and their
// lifecycle dates (deprecation, block of function creation, block of
// function update), embedded from the shared runtime data by go generate.
// Whether a runtime is deprecated is decided at scan time from the dates,
// never stored.
package runtimes

//go:generate go run ./internal/gen -data ../shared/data/lambda-runtimes.json -out runtimes.tsv -provenance PROVENANCE.md

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed runtimes.tsv
var tsv string

// Runtime is one Lambda runtime identifier and its lifecycle.
type Runtime struct {
	// Name is the identifier as Lambda spells it ("python3.12").
	Name string
	// Language is the runtime family (".NET", "Java", "Node.js", "Python",
	// "Ruby", "Go", "OS-only / custom runtime"); Label the display name.
	Language string
	Label    string
	// Deprecation is the day security patches end; BlockCreate and
	// BlockUpdate the days Lambda stops creating and updating functions on
	// the runtime. A zero time means the date is not known.
	Deprecation time.Time
	BlockCreate time.Time
	BlockUpdate time.Time
	// ContainerOnly is true for runtimes that exist only as container base
	// images.
	ContainerOnly bool
	// Known is true when the deprecation date is known. A runtime that the
	// Lambda API lists without lifecycle dates is not Known: checks must
	// report it as UNKNOWN, never as supported.
	Known bool
}

// Deprecated reports whether the deprecation date has been reached at now.
// It is false when the date is not known.
func (r Runtime) Deprecated(now time.Time) bool {
	return r.Known && !now.Before(r.Deprecation)
}

// UntilDeprecation is the time left before the deprecation date (negative
// once it has passed). Meaningful only when Known.
func (r Runtime) UntilDeprecation(now time.Time) time.Duration {
	return r.Deprecation.Sub(now)
}

// CreateBlocked and UpdateBlocked report whether Lambda refuses to create
// or update functions on the runtime at now.
func (r Runtime) CreateBlocked(now time.Time) bool {
	return !r.BlockCreate.IsZero() && !now.Before(r.BlockCreate)
}

// UpdateBlocked reports whether Lambda refuses to update functions on the
// runtime at now.
func (r Runtime) UpdateBlocked(now time.Time) bool {
	return !r.BlockUpdate.IsZero() && !now.Before(r.BlockUpdate)
}

// table is decoded once from the embedded file and never changed.
var table = sync.OnceValues(func() (map[string]Runtime, error) { return parse(tsv) })

// Lookup returns the runtime with the given identifier (case-insensitive,
// surrounding space ignored). ok is false for an identifier the table does
// not list at all; a listed identifier without dates has Known false.
func Lookup(name string) (r Runtime, ok bool) {
	t, err := table()
	if err != nil {
		// The embedded file is generated and tested; a broken one is a build defect.
		panic(err)
	}
	r, ok = t[strings.ToLower(strings.TrimSpace(name))]
	return r, ok
}

// All returns every runtime of the table, sorted by identifier.
func All() []Runtime {
	t, err := table()
	if err != nil {
		panic(err)
	}
	out := make([]Runtime, 0, len(t))
	for _, r := range t {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// parse decodes the generated tab-separated table.
func parse(s string) (map[string]Runtime, error) {
	out := map[string]Runtime{}
	for i, line := range strings.Split(s, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("runtimes.tsv:%d: %d fields, want 7", i+1, len(f))
		}
		r := Runtime{Name: f[0], Language: f[1], Label: f[2], ContainerOnly: f[6] == "1"}
		for j, dst := range []*time.Time{&r.Deprecation, &r.BlockCreate, &r.BlockUpdate} {
			if f[3+j] == "-" {
				continue
			}
			d, err := time.Parse(time.DateOnly, f[3+j])
			if err != nil {
				return nil, fmt.Errorf("runtimes.tsv:%d: %w", i+1, err)
			}
			*dst = d
		}
		r.Known = !r.Deprecation.IsZero()
		out[strings.ToLower(r.Name)] = r
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("runtimes.tsv: no runtimes")
	}
	return out, nil
}
