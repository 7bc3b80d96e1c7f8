package pkgscan_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/pkgscan"
	"github.com/lambdawarden/lambdawarden/internal/pkgscan/osv"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// writePkg writes a zip of name -> content.
func writePkg(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func hiddenLock(version string) string {
	return `{"name":"fn","lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"` + version + `"}}}`
}

// TestPackageChecksEndToEnd scans packages and runs the three package
// checks on them, with the OSV fixture database and without one.
func TestPackageChecksEndToEnd(t *testing.T) {
	db, err := osv.Open("testdata/osv")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		files map[string]string
		db    checks.VulnDB
		want  map[string]string // check ID -> "STATUS severity" of its one result
		msg   map[string]string // check ID -> part of the message
	}{
		{
			name:  "clean package passes everything",
			files: map[string]string{"index.js": "exports.handler = 1;\n", "node_modules/.package-lock.json": hiddenLock("4.17.21")},
			db:    db,
			want:  map[string]string{"LW-SEC-05": "PASS critical", "LW-RUN-03": "PASS medium", "LW-RUN-04": "PASS high"},
		},
		{
			name: "every check fails",
			files: map[string]string{
				"index.js":                        "const k = '" + "AK" + "IA" + "QX7Z4K2N5R6T3W4Y" + "';\n",
				".env":                            "X=1\n",
				"node_modules/.package-lock.json": hiddenLock("4.17.20"),
			},
			db:   db,
			want: map[string]string{"LW-SEC-05": "FAIL critical", "LW-RUN-03": "FAIL medium", "LW-RUN-04": "FAIL high"},
			msg: map[string]string{
				"LW-SEC-05": "index.js holds an AWS access token (AKIA****, 20 chars) on line 1",
				"LW-RUN-03": ".env: environment file",
				"LW-RUN-04": "lodash 4.17.20 (npm, from node_modules/.package-lock.json) is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337, high); fixed in 4.17.21",
			},
		},
		{
			name:  "no database: RUN-04 unknown",
			files: map[string]string{"node_modules/.package-lock.json": hiddenLock("4.17.20")},
			want:  map[string]string{"LW-SEC-05": "PASS critical", "LW-RUN-03": "PASS medium", "LW-RUN-04": "UNKNOWN high"},
			msg:   map[string]string{"LW-RUN-04": "no --vuln-db given"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "fn.zip")
			writePkg(t, path, tc.files)
			pkg, errs := pkgscan.ScanPackage(context.Background(), path, "build/fn.zip", pkgscan.Config{})
			inv := &inventory.Inventory{Packages: []*inventory.Package{pkg}, Errors: errs}
			env := &checks.Env{Index: inventory.NewIndex(inv), Settings: checks.DefaultSettings(), VulnDB: tc.db}
			sel := checks.Select(checks.Catalog(), checks.Selection{Only: []string{"LW-SEC-05", "LW-RUN-03", "LW-RUN-04"}}, checks.DefaultSettings())
			got := map[string]result.Result{}
			for _, r := range checks.Run(env, sel) {
				if _, dup := got[r.CheckID]; dup {
					t.Errorf("more than one %s result", r.CheckID)
				}
				got[r.CheckID] = r
			}
			for id, want := range tc.want {
				r := got[id]
				if s := string(r.Status) + " " + r.Severity.String(); s != want {
					t.Errorf("%s = %s (%s), want %s", id, s, r.Message, want)
				}
				if r.Resource.Kind != result.KindPackage || r.Location == nil || r.Location.File != "build/fn.zip" {
					t.Errorf("%s resource %+v location %v", id, r.Resource, r.Location)
				}
				if m := tc.msg[id]; m != "" && !strings.Contains(r.Message, m) {
					t.Errorf("%s message %q, want %q", id, r.Message, m)
				}
				if strings.Contains(r.Message, "QX7Z4K2N") {
					t.Errorf("%s message leaks the key: %q", id, r.Message)
				}
			}
		})
	}
}

// TestScanRunWithBombs runs the scan pipeline over a PATH holding zip
// bombs beside a real package: the bombs give errors and UNKNOWN results,
// the package is checked in full.
func TestScanRunWithBombs(t *testing.T) {
	dir := t.TempDir()
	writePkg(t, filepath.Join(dir, "good.zip"), map[string]string{"index.js": "x\n", ".env": "X=1\n"})
	if err := os.WriteFile(filepath.Join(dir, "broken.zip"), []byte("PK\x03\x04 truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := scan.Run(context.Background(), scan.Options{
		Paths:     []string{dir},
		Sources:   []scan.Source{pkgscan.New(pkgscan.Config{})},
		Selection: checks.Selection{Only: []string{"LW-SEC-05", "LW-RUN-03", "LW-RUN-04"}},
		Settings:  checks.DefaultSettings(),
	})
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(dir)
	var got []string
	for _, r := range out.Scan.Results {
		got = append(got, r.CheckID+" "+string(r.Status)+" "+r.Resource.ID)
	}
	want := []string{
		"LW-RUN-03 UNKNOWN " + base + "/broken.zip",
		"LW-SEC-05 UNKNOWN " + base + "/broken.zip",
		"LW-RUN-03 FAIL " + base + "/good.zip!.env",
		"LW-SEC-05 PASS " + base + "/good.zip",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(out.Scan.Errors) != 1 || out.Scan.Errors[0].Source != base+"/broken.zip" {
		t.Errorf("errors = %+v", out.Scan.Errors)
	}
}
