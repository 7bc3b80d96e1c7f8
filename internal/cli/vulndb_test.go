package cli

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVulnDB scans a standalone package whose lock file names a vulnerable
// lodash, with and without --vuln-db (the pkgscan OSV fixtures).
func TestVulnDB(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "fn.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("node_modules/.package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`{"name":"fn","lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.20"}}}`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	db, err := filepath.Abs(filepath.Join("..", "pkgscan", "testdata", "osv"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "vulndb.yaml")
	if err := os.WriteFile(cfg, []byte("vuln_db: "+db+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStatus string
		wantMsg    string
		wantStderr string
	}{
		{"no database", nil, ExitOK, "UNKNOWN", "no --vuln-db given", ""},
		{"--vuln-db", []string{"--vuln-db", db}, ExitFindings, "FAIL", "lodash 4.17.20 (npm, from node_modules/.package-lock.json) is affected by GHSA-35jh-r3h4-6jhm",
			"--vuln-db: a record could not be read and was skipped"},
		{"vuln_db in the config", []string{"--config", cfg}, ExitFindings, "FAIL", "GHSA-35jh-r3h4-6jhm", ""},
		{"a missing folder", []string{"--vuln-db", filepath.Join(dir, "nope")}, ExitError, "", "", "--vuln-db: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"scan", "--format", "json", "--checks", "LW-RUN-04"}, tc.args...)
			r := runReal(t, append(args, dir)...)
			if r.code != tc.wantCode || !strings.Contains(r.stderr, tc.wantStderr) {
				t.Fatalf("exit %d, want %d; stderr %q, want %q", r.code, tc.wantCode, r.stderr, tc.wantStderr)
			}
			if tc.wantStatus == "" {
				return
			}
			var doc struct {
				Results []struct{ Status, Message string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Results) != 1 || doc.Results[0].Status != tc.wantStatus || !strings.Contains(doc.Results[0].Message, tc.wantMsg) {
				t.Errorf("results = %+v, want one %s with %q", doc.Results, tc.wantStatus, tc.wantMsg)
			}
		})
	}
}
