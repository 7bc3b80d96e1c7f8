package checks

import (
	"errors"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// fakeDB answers from a map of "eco name version" to advisories.
type fakeDB struct {
	advs  map[string][]Advisory
	err   error
	calls int
}

func (f *fakeDB) Vulnerabilities(deps []inventory.Dependency) ([][]Advisory, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	out := make([][]Advisory, len(deps))
	for i, d := range deps {
		out[i] = f.advs[d.Ecosystem+" "+d.Name+" "+d.Version]
	}
	return out, nil
}

func TestRUN04(t *testing.T) {
	db := &fakeDB{advs: map[string][]Advisory{
		"npm lodash 4.17.15": {
			{ID: "GHSA-35jh-r3h4-6jhm", Aliases: []string{"CVE-2021-23337"}, Severity: result.High, Rated: true, Fixed: "4.17.21"},
			{ID: "GHSA-p6mc-m468-83gw", Aliases: []string{"CVE-2020-8203"}, Severity: result.High, Rated: true, Fixed: "4.17.19"},
		},
		"Maven org.apache.logging.log4j:log4j-core 2.14.1": {{ID: "GHSA-jfh8-c2jp-5v3q", Severity: result.Critical, Rated: true, Fixed: "2.15.0"}},
		"npm evil-logger 1.0.2":                            {{ID: "MAL-TEST-0001"}},
		"RubyGems rack 2.2.3": {
			{ID: "OSV-A", Severity: result.Low, Rated: true, Fixed: "2.2.4"},
			{ID: "OSV-B", Severity: result.Medium, Rated: true},
		},
	}}
	lodash := tDep("npm", "lodash", "4.17.15", "node_modules/.package-lock.json")
	safe := tDep("npm", "express", "4.19.2", "package-lock.json")
	runPkgCases(t, checkRUN04(), []pkgCase{
		{name: "no database: unknown per package with dependencies",
			pkgs: []*inventory.Package{tPkg("build/a.zip", lodash, safe), tPkg("build/empty.zip")},
			want: []pkgWant{{status: result.Unknown, id: "build/a.zip", msg: "2 dependencies found (npm 2) but no --vuln-db given"}}},
		{name: "vulnerable dependencies fail with the advisory's severity", vulndb: db,
			pkgs: []*inventory.Package{tPkg("build/a.zip", tLinked("aws_lambda_function.api", "api"), lodash, safe,
				tDep("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "lib/log4j-core-2.14.1.jar"),
				tDep("npm", "evil-logger", "1.0.2", "node_modules/evil-logger/package.json"),
				tDep("RubyGems", "rack", "2.2.3", "Gemfile.lock"))},
			want: []pkgWant{
				{status: result.Fail, id: "build/a.zip!node_modules/.package-lock.json#lodash@4.17.15", name: "api", sev: "high",
					msg: "lodash 4.17.15 (npm, from node_modules/.package-lock.json) is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337, high), GHSA-p6mc-m468-83gw (CVE-2020-8203, high); fixed in 4.17.21"},
				{status: result.Fail, id: "build/a.zip!lib/log4j-core-2.14.1.jar#org.apache.logging.log4j:log4j-core@2.14.1", sev: "critical", msg: "GHSA-jfh8-c2jp-5v3q (critical); fixed in 2.15.0"},
				{status: result.Fail, id: "build/a.zip!node_modules/evil-logger/package.json#evil-logger@1.0.2", sev: "high", msg: "MAL-TEST-0001 (unrated); no fixed version yet"},
				{status: result.Fail, id: "build/a.zip!Gemfile.lock#rack@2.2.3", sev: "medium", msg: "fixed in 2.2.4, except OSV-B (no fix yet)"},
			}},
		{name: "no vulnerable dependency passes", vulndb: db, pkgs: []*inventory.Package{tPkg("src/fn", safe)},
			want: []pkgWant{{status: result.Pass, id: "src/fn", msg: "none of the 1 dependency (npm 1) has a known vulnerability"}}},
		{name: "no dependencies: no result", vulndb: db, pkgs: []*inventory.Package{tPkg("build/empty.zip")}},
		{name: "database error is unknown", vulndb: &fakeDB{err: errors.New("read vulnerability database db: permission denied")},
			pkgs: []*inventory.Package{tPkg("build/a.zip", lodash)},
			want: []pkgWant{{status: result.Unknown, id: "build/a.zip", msg: "could not be read: read vulnerability database db: permission denied"}}},
		{name: "broken lock file is unknown, other dependencies judged", vulndb: db, pkgs: []*inventory.Package{tPkg("build/a.zip", safe)},
			errs: []inventory.Error{{Source: "build/a.zip!broken/package-lock.json", Message: pkgDependencyError + "invalid JSON"}},
			want: []pkgWant{{status: result.Unknown, id: "build/a.zip", msg: "dependencies were not all read"}}},
		{name: "package without dependencies read in part is unknown", vulndb: db, pkgs: []*inventory.Package{tPkg("build/a.zip")},
			errs: []inventory.Error{{Source: "build/a.zip", Message: "not a readable zip archive"}},
			want: []pkgWant{{status: result.Unknown, id: "build/a.zip", msg: "dependencies could not be read"}}},
	})
}

func TestRUN04OneLookup(t *testing.T) {
	db := &fakeDB{}
	inv := &inventory.Inventory{Packages: []*inventory.Package{
		tPkg("a.zip", tDep("npm", "x", "1.0.0", "package-lock.json")),
		tPkg("b.zip", tDep("npm", "x", "1.0.0", "package-lock.json")),
	}}
	checkRUN04().Run(&Env{Index: inventory.NewIndex(inv), VulnDB: db})
	if db.calls != 1 {
		t.Errorf("%d database lookups, want 1 for all packages", db.calls)
	}
}
