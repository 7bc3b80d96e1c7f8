package checks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// pkgOpt changes a test package.
type pkgOpt func(*inventory.Package)

// tPkg is a package at path, standalone unless linked with tLinked.
func tPkg(path string, opts ...pkgOpt) *inventory.Package {
	p := &inventory.Package{
		Item: inventory.Item{ID: path, Source: inventory.PackageSource, Origin: path, Loc: srcloc.Location{File: path}},
		Path: path,
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func tLinked(id, name string) pkgOpt {
	return func(p *inventory.Package) {
		p.Function = inventory.Of(inventory.Ref{ID: id, Name: name}, srcloc.Location{File: "infra/main.tf", Line: 7})
	}
}

func tSecret(file string, line int, rule, detail string) pkgOpt {
	return func(p *inventory.Package) {
		p.Secrets = append(p.Secrets, inventory.PackageFinding{File: file, Line: line, Rule: rule, Detail: detail})
	}
}

func tJunk(file, rule, detail string) pkgOpt {
	return func(p *inventory.Package) {
		p.Junk = append(p.Junk, inventory.PackageFinding{File: file, Rule: rule, Detail: detail})
	}
}

func tDep(eco, name, version, manifest string) pkgOpt {
	return func(p *inventory.Package) {
		p.Dependencies = append(p.Dependencies, inventory.Dependency{Ecosystem: eco, Name: name, Version: version, Manifest: manifest})
	}
}

// pkgWant is one expected finding: status, resource ID, location and a
// part of the message.
type pkgWant struct {
	status result.Status
	id     string
	name   string
	loc    string
	msg    string
	sev    string // FAIL severity override, if any
}

type pkgCase struct {
	name   string
	pkgs   []*inventory.Package
	errs   []inventory.Error
	vulndb VulnDB
	want   []pkgWant
}

func runPkgCases(t *testing.T, c *Check, cases []pkgCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := &inventory.Inventory{Packages: tc.pkgs, Errors: tc.errs}
			env := &Env{Index: inventory.NewIndex(inv), Settings: DefaultSettings(), Now: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), VulnDB: tc.vulndb}
			got := c.Run(env)
			if len(got) != len(tc.want) {
				t.Fatalf("%d findings, want %d:\n%s", len(got), len(tc.want), findingsText(got))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Status != w.status || g.Resource.ID != w.id || g.Resource.Kind != result.KindPackage || !strings.Contains(g.Message, w.msg) {
					t.Errorf("finding %d = %s\nwant %s %s %q", i, findingText(g), w.status, w.id, w.msg)
				}
				if w.name != "" && g.Resource.Name != w.name {
					t.Errorf("finding %d: resource.name %q, want %q", i, g.Resource.Name, w.name)
				}
				if w.loc != "" && g.Location.String() != w.loc {
					t.Errorf("finding %d: location %q, want %q", i, g.Location.String(), w.loc)
				}
				switch {
				case w.sev == "" && g.Severity != nil:
					t.Errorf("finding %d: severity override %v, want none", i, *g.Severity)
				case w.sev != "" && (g.Severity == nil || g.Severity.String() != w.sev):
					t.Errorf("finding %d: severity %v, want %s", i, g.Severity, w.sev)
				}
			}
		})
	}
}

func findingText(f Finding) string {
	sev := ""
	if f.Severity != nil {
		sev = " [" + f.Severity.String() + "]"
	}
	return fmt.Sprintf("%s %s (%s) @%s: %s%s", f.Status, f.Resource.ID, f.Resource.Name, f.Location.String(), f.Message, sev)
}

func findingsText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(findingText(f) + "\n")
	}
	return b.String()
}

func TestPackageChecksInCatalog(t *testing.T) {
	for _, id := range []string{"LW-SEC-05", "LW-RUN-03", "LW-RUN-04"} {
		c := ByID(Catalog(), id)
		if c == nil {
			t.Fatalf("%s missing from the catalog", id)
		}
		if !c.AppliesTo(inventory.PackageSource) || !c.AppliesTo(inventory.Terraform) || c.AppliesTo(inventory.LiveAWS) {
			t.Errorf("%s families = %v", id, c.Families)
		}
		if c.Title == "" || c.Remediation == "" || len(c.Controls) == 0 || c.Semantics == "" {
			t.Errorf("%s metadata incomplete", id)
		}
	}
}
