package osv

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// fixtures is the hand-written OSV database shared with the pkgscan tests.
const fixtures = "../testdata/osv"

// zipDB builds a database of per-ecosystem all.zip exports (as osv.dev
// publishes them) from the fixture records, leaving out the broken one.
func zipDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ecos, err := os.ReadDir(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, eco := range ecos {
		if eco.Name() == "broken" {
			continue
		}
		files, err := filepath.Glob(filepath.Join(fixtures, eco.Name(), "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, eco.Name()), 0o755); err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(filepath.Join(dir, eco.Name(), "all.zip"))
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(out)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			w, _ := zw.Create(filepath.Base(f))
			w.Write(b)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		out.Close()
	}
	return dir
}

func dep(eco, name, version string) inventory.Dependency {
	return inventory.Dependency{Ecosystem: eco, Name: name, Version: version, Manifest: "m"}
}

// advText is "ID severity fixed" per advisory, "unrated" when not rated.
func advText(as []checks.Advisory) []string {
	var out []string
	for _, a := range as {
		sev := "unrated"
		if a.Rated {
			sev = a.Severity.String()
		}
		out = append(out, fmt.Sprintf("%s %s %s", a.ID, sev, a.Fixed))
	}
	return out
}

func TestVulnerabilities(t *testing.T) {
	cases := []struct {
		name string
		dep  inventory.Dependency
		want []string
	}{
		{"npm, two advisories", dep("npm", "lodash", "4.17.15"), []string{"GHSA-35jh-r3h4-6jhm high 4.17.21", "GHSA-p6mc-m468-83gw high 4.17.19"}},
		{"npm, one advisory", dep("npm", "lodash", "4.17.20"), []string{"GHSA-35jh-r3h4-6jhm high 4.17.21"}},
		{"npm, fixed version", dep("npm", "lodash", "4.17.21"), nil},
		{"npm, below an introduced event", dep("npm", "lodash", "3.6.0"), []string{"GHSA-35jh-r3h4-6jhm high 4.17.21"}},
		{"npm, pre-release before the fix", dep("npm", "lodash", "4.17.21-rc.1"), []string{"GHSA-35jh-r3h4-6jhm high 4.17.21"}},
		{"npm, version list", dep("npm", "evil-logger", "1.0.2"), []string{"MAL-TEST-0001 unrated "}},
		{"npm, not in the version list", dep("npm", "evil-logger", "1.0.3"), nil},
		{"PyPI, CVSS v3 rated", dep("PyPI", "requests", "2.19.0"), []string{"GHSA-x84v-xcm2-53pg high 2.20.0"}},
		{"PyPI, name normalized", dep("PyPI", "Requests", "2.19.0"), []string{"GHSA-x84v-xcm2-53pg high 2.20.0"}},
		{"PyPI, PEP 440 equal versions", dep("PyPI", "requests", "2.19"), []string{"GHSA-x84v-xcm2-53pg high 2.20.0"}},
		{"PyPI, fixed", dep("PyPI", "requests", "2.20.0"), nil},
		{"PyPI, other ecosystem's name", dep("PyPI", "lodash", "1.0"), []string{"OSV-TEST-lodash-pypi low "}},
		{"Go, SEMVER range", dep("Go", "golang.org/x/net", "0.16.0"), []string{"GO-2023-2102 unrated 0.17.0"}},
		{"Go, v prefix", dep("Go", "golang.org/x/net", "v0.16.0"), []string{"GO-2023-2102 unrated 0.17.0"}},
		{"Go, fixed", dep("Go", "golang.org/x/net", "0.17.0"), nil},
		{"Go stdlib, second range", dep("Go", "stdlib", "1.21.2"), []string{"GO-2023-2102 unrated 1.21.3"}},
		{"Go stdlib, first range", dep("Go", "stdlib", "1.20.9"), []string{"GO-2023-2102 unrated 1.20.10"}},
		{"Go stdlib, between ranges", dep("Go", "stdlib", "1.20.10"), nil},
		{"Go stdlib, fixed", dep("Go", "stdlib", "1.21.3"), nil},
		{"Maven, critical", dep("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"), []string{"GHSA-jfh8-c2jp-5v3q critical 2.15.0"}},
		{"Maven, older range", dep("Maven", "org.apache.logging.log4j:log4j-core", "2.2"), []string{"GHSA-jfh8-c2jp-5v3q critical 2.3.1"}},
		{"Maven, fixed", dep("Maven", "org.apache.logging.log4j:log4j-core", "2.15.0"), nil},
		{"Maven, before introduced", dep("Maven", "org.apache.logging.log4j:log4j-core", "1.2.17"), nil},
		{"RubyGems, last_affected and CVSS v2", dep("RubyGems", "rack", "2.2.3"), []string{"OSV-TEST-rack-0001 high "}},
		{"RubyGems, above last_affected", dep("RubyGems", "rack", "2.2.4"), nil},
		{"RubyGems, below introduced", dep("RubyGems", "rack", "1.6.0"), nil},
		{"unknown package", dep("npm", "left-pad", "1.3.0"), nil},
	}
	for _, db := range []struct{ name, dir string }{{"json files", fixtures}, {"all.zip exports", zipDB(t)}} {
		t.Run(db.name, func(t *testing.T) {
			d, err := Open(db.dir)
			if err != nil {
				t.Fatal(err)
			}
			deps := make([]inventory.Dependency, len(cases))
			for i, tc := range cases {
				deps[i] = tc.dep
			}
			got, err := d.Vulnerabilities(deps)
			if err != nil {
				t.Fatal(err)
			}
			for i, tc := range cases {
				if g := advText(got[i]); !slices.Equal(g, tc.want) {
					t.Errorf("%s: %s %s %s = %q, want %q", tc.name, tc.dep.Ecosystem, tc.dep.Name, tc.dep.Version, g, tc.want)
				}
			}
			// Aliases are the CVE IDs.
			if a := got[7]; len(a) != 1 || !slices.Equal(a[0].Aliases, []string{"CVE-2018-18074"}) || a[0].Summary == "" {
				t.Errorf("requests advisory = %+v", a)
			}
		})
	}
}

func TestProblemsAndLazyLoad(t *testing.T) {
	d, err := Open(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Problems()) != 0 {
		t.Errorf("problems before any lookup: %v", d.Problems())
	}
	// Concurrent lookups, some asking for packages another already loaded.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			deps := []inventory.Dependency{dep("npm", "lodash", "4.17.20")}
			if i%2 == 1 {
				deps = append(deps, dep("PyPI", "requests", "2.19.0"))
			}
			got, err := d.Vulnerabilities(deps)
			if err != nil || len(got[0]) != 1 {
				t.Errorf("lookup %d: %v %v", i, got, err)
			}
		})
	}
	wg.Wait()
	probs := d.Problems()
	if len(probs) == 0 || !strings.Contains(probs[0], "truncated.json") {
		t.Errorf("problems = %v, want the truncated record named", probs)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.json")
	os.WriteFile(file, []byte("{}"), 0o644)
	if _, err := Open(filepath.Join(dir, "missing")); err == nil {
		t.Error("Open(missing) succeeded")
	}
	if _, err := Open(file); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("Open(file) = %v", err)
	}
	empty := t.TempDir()
	d, err := Open(empty)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Vulnerabilities([]inventory.Dependency{dep("npm", "a", "1.0.0")}); err == nil || !strings.Contains(err.Error(), "no OSV records") {
		t.Errorf("empty database: %v", err)
	}
}

func TestCVSS(t *testing.T) {
	cases := []struct {
		vector string
		score  float64
		ok     bool
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, true},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, true},
		{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2, true},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, true},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5, true},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 7.4, true},
		{"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, true},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, true},
		{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, false},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 0, false},
	}
	for _, tc := range cases {
		got, ok := cvss3(tc.vector)
		if ok != tc.ok || got != tc.score {
			t.Errorf("cvss3(%s) = %v %v, want %v %v", tc.vector, got, ok, tc.score, tc.ok)
		}
	}
	v2 := []struct {
		vector string
		score  float64
	}{
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5},
		{"AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3},
		{"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0},
	}
	for _, tc := range v2 {
		if got, ok := cvss2(tc.vector); !ok || got != tc.score {
			t.Errorf("cvss2(%s) = %v %v, want %v", tc.vector, got, ok, tc.score)
		}
	}
}

func TestRate(t *testing.T) {
	cases := []struct {
		name  string
		db    string
		sevs  []severity
		want  result.Severity
		rated bool
	}{
		{"github moderate", `{"severity":"MODERATE"}`, nil, result.Medium, true},
		{"database severity wins over CVSS", `{"severity":"LOW"}`, []severity{{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}, result.Low, true},
		{"CVSS v3 critical", ``, []severity{{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}, result.Critical, true},
		{"highest vector", `{"cwe_ids":[]}`, []severity{{"CVSS_V2", "AV:N/AC:M/Au:N/C:N/I:P/A:N"}, {"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}}, result.High, true},
		{"non-string severity", `{"severity":3}`, nil, 0, false},
		{"v4 only", ``, []severity{{"CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}, 0, false},
	}
	for _, tc := range cases {
		got, rated := rate([]byte(tc.db), tc.sevs)
		if got != tc.want || rated != tc.rated {
			t.Errorf("%s: rate = %v %v, want %v %v", tc.name, got, rated, tc.want, tc.rated)
		}
	}
}
