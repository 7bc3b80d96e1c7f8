package runtimes

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name       string
		id         string
		wantOK     bool
		wantKnown  bool
		wantLang   string
		wantDep    string
		wantCO     bool
		wantLabel  string
		wantUpdate string
	}{
		{name: "supported python", id: "python3.12", wantOK: true, wantKnown: true, wantLang: "Python", wantDep: "2028-10-31", wantLabel: "Python 3.12", wantUpdate: "2029-01-10"},
		{name: "case and space insensitive", id: "  NodeJS20.X ", wantOK: true, wantKnown: true, wantLang: "Node.js", wantDep: "2026-04-30", wantLabel: "Node.js 20", wantUpdate: "2027-03-03"},
		{name: "container only", id: "dotnet7", wantOK: true, wantKnown: true, wantLang: ".NET", wantDep: "2024-05-14", wantCO: true, wantLabel: ".NET 7 (container-only)"},
		{name: "listed without dates", id: "nodejs26.x", wantOK: true, wantKnown: false, wantLang: "Node.js"},
		{name: "not listed", id: "cobol85", wantOK: false},
		{name: "empty", id: "", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := Lookup(tc.id)
			if ok != tc.wantOK {
				t.Fatalf("Lookup(%q) ok = %v, want %v", tc.id, ok, tc.wantOK)
			}
			if !ok {
				return
			}
			if r.Known != tc.wantKnown || r.Language != tc.wantLang || r.ContainerOnly != tc.wantCO {
				t.Errorf("Lookup(%q) = %+v", tc.id, r)
			}
			if tc.wantLabel != "" && r.Label != tc.wantLabel {
				t.Errorf("label = %q, want %q", r.Label, tc.wantLabel)
			}
			if tc.wantDep != "" && !r.Deprecation.Equal(day(tc.wantDep)) {
				t.Errorf("deprecation = %v, want %s", r.Deprecation, tc.wantDep)
			}
			if tc.wantUpdate != "" && !r.BlockUpdate.Equal(day(tc.wantUpdate)) {
				t.Errorf("block update = %v, want %s", r.BlockUpdate, tc.wantUpdate)
			}
			if !tc.wantKnown && !r.Deprecation.IsZero() {
				t.Errorf("unknown runtime has a deprecation date %v", r.Deprecation)
			}
		})
	}
}

func TestStatusFromDates(t *testing.T) {
	py310, _ := Lookup("python3.10") // deprecated 2026-10-31, create blocked 2027-02-01
	unlisted, _ := Lookup("python3.15")
	tests := []struct {
		name          string
		r             Runtime
		now           string
		deprecated    bool
		createBlocked bool
		updateBlocked bool
	}{
		{name: "day before deprecation", r: py310, now: "2026-10-30", deprecated: false},
		{name: "on deprecation day", r: py310, now: "2026-10-31", deprecated: true},
		{name: "create blocked", r: py310, now: "2027-02-01", deprecated: true, createBlocked: true},
		{name: "update blocked", r: py310, now: "2027-03-03", deprecated: true, createBlocked: true, updateBlocked: true},
		{name: "no dates never deprecated", r: unlisted, now: "2099-01-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := day(tc.now)
			if got := tc.r.Deprecated(now); got != tc.deprecated {
				t.Errorf("Deprecated = %v, want %v", got, tc.deprecated)
			}
			if got := tc.r.CreateBlocked(now); got != tc.createBlocked {
				t.Errorf("CreateBlocked = %v, want %v", got, tc.createBlocked)
			}
			if got := tc.r.UpdateBlocked(now); got != tc.updateBlocked {
				t.Errorf("UpdateBlocked = %v, want %v", got, tc.updateBlocked)
			}
		})
	}
	if d := py310.UntilDeprecation(day("2026-10-21")); d != 10*24*time.Hour {
		t.Errorf("UntilDeprecation = %v, want 240h", d)
	}
}

func TestAllSorted(t *testing.T) {
	all := All()
	if len(all) < 50 {
		t.Fatalf("All() has %d runtimes, want the whole table", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Name >= all[i].Name {
			t.Fatalf("All() not sorted at %d: %s >= %s", i, all[i-1].Name, all[i].Name)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "empty", in: "# only a comment\n"},
		{name: "too few fields", in: "python3.12\tPython\n"},
		{name: "bad date", in: "x\tX\tX\t2026-13-01\t-\t-\t0\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parse(tc.in); err == nil {
				t.Errorf("parse(%q) succeeded, want an error", tc.in)
			}
		})
	}
}

// TestEmbeddedMatchesSharedData checks that runtimes.tsv was regenerated after
// the shared table changed. The shared data is not needed to build or test,
// so the test skips where it is absent.
func TestEmbeddedMatchesSharedData(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "lambda-runtimes.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("shared data not present (%v)", err)
	}
	var data struct {
		Runtimes []struct {
			Identifier  string  `json:"identifier"`
			Deprecation *string `json:"deprecation_date"`
			BlockUpdate *string `json:"block_function_update_date"`
		} `json:"runtimes"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Runtimes) != len(All()) {
		t.Fatalf("shared table has %d runtimes, embedded %d: run go generate ./internal/runtimes", len(data.Runtimes), len(All()))
	}
	for _, want := range data.Runtimes {
		got, ok := Lookup(want.Identifier)
		if !ok {
			t.Errorf("%s missing from the embedded table", want.Identifier)
			continue
		}
		if (want.Deprecation == nil) == got.Known {
			t.Errorf("%s: Known = %v, shared deprecation %v", want.Identifier, got.Known, want.Deprecation)
		}
		if want.Deprecation != nil && got.Deprecation.Format(time.DateOnly) != *want.Deprecation {
			t.Errorf("%s: deprecation %v, shared %s", want.Identifier, got.Deprecation, *want.Deprecation)
		}
		if want.BlockUpdate != nil && got.BlockUpdate.Format(time.DateOnly) != *want.BlockUpdate {
			t.Errorf("%s: block update %v, shared %s", want.Identifier, got.BlockUpdate, *want.BlockUpdate)
		}
	}
}
