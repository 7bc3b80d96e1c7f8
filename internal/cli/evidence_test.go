package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runReal runs the command line from the repository root with the
// registered sources and the real catalog.
func runReal(t *testing.T, args ...string) run {
	t.Helper()
	a, out, errOut := realApp()
	code := a.Run(context.Background(), args)
	return run{code, out.String(), errOut.String()}
}

const packTime = "2026-11-21T12:00:00Z"

// TestEvidence writes packs of the examples (a zip twice with the same
// --timestamp, and a folder), verifies them, then tampers with them.
func TestEvidence(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	dir := t.TempDir()
	zip1, zip2, folder := filepath.Join(dir, "one.zip"), filepath.Join(dir, "two.ZIP"), filepath.Join(dir, "pack")
	var digests []string
	for _, out := range []string{zip1, zip2, folder} {
		r := runReal(t, "evidence", "./examples", "-o", out, "--timestamp", packTime)
		if r.code != ExitOK || !strings.HasPrefix(r.stdout, "evidence pack: "+out+" (") {
			t.Fatalf("evidence -o %s: exit %d\nstdout:\n%s\nstderr:\n%s", out, r.code, r.stdout, r.stderr)
		}
		_, digest, ok := strings.Cut(r.stdout, "manifest.json SHA-256: ")
		if !ok || len(strings.TrimSpace(digest)) != 64 {
			t.Fatalf("no manifest digest in %q", r.stdout)
		}
		digests = append(digests, strings.TrimSpace(digest))
	}
	b1, err := os.ReadFile(zip1)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := os.ReadFile(zip2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("two packs with --timestamp %s differ (%d and %d bytes)", packTime, len(b1), len(b2))
	}
	if digests[0] != digests[1] || digests[0] != digests[2] {
		t.Errorf("manifest digests differ: %q", digests)
	}
	for _, p := range []string{zip1, folder} {
		r := runReal(t, "evidence", "verify", p)
		if r.code != ExitOK || !strings.Contains(r.stdout, ": intact: ") || !strings.Contains(r.stdout, digests[0]) {
			t.Errorf("verify %s: exit %d\n%s%s", p, r.code, r.stdout, r.stderr)
		}
	}

	// Tampering: a changed report in the folder, a file added to the zip.
	results := filepath.Join(folder, "results.json")
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(results, bytes.Replace(data, []byte(`"FAIL"`), []byte(`"PASS"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runReal(t, "evidence", "verify", folder)
	if r.code != ExitFindings || !strings.Contains(r.stdout, "results.json: modified") || !strings.Contains(r.stdout, "NOT intact: 1 problem") {
		t.Errorf("verify of a modified pack: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	tampered := filepath.Join(dir, "tampered.zip")
	addToZip(t, zip1, tampered, "functions/extra.json", "{}")
	r = runReal(t, "evidence", "verify", tampered)
	if r.code != ExitFindings || !strings.Contains(r.stdout, "functions/extra.json: extra") {
		t.Errorf("verify of a zip with an added file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Unreadable: nothing there, or not a pack.
	for _, p := range []string{filepath.Join(dir, "missing.zip"), filepath.Join("examples", "sam")} {
		r := runReal(t, "evidence", "verify", p)
		if r.code != ExitError || !strings.Contains(r.stderr, "evidence verify: ") {
			t.Errorf("verify %s: exit %d, want %d\n%s%s", p, r.code, ExitError, r.stdout, r.stderr)
		}
	}
}

// addToZip copies the zip src to dst with one more file.
func addToZip(t *testing.T, src, dst, name, body string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&f.FileHeader)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEvidenceUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no -o", []string{"evidence", fake + "lowfail"}, ExitError, "evidence needs -o DIR or -o FILE.zip"},
		{"bad --timestamp", []string{"evidence", "-o", filepath.Join(dir, "p.zip"), "--timestamp", "yesterday", fake + "lowfail"}, ExitError, `--timestamp "yesterday"`},
		{"report flags are not evidence flags", []string{"evidence", "-o", filepath.Join(dir, "p.zip"), "--format", "json", fake + "lowfail"}, ExitError, "unknown flag: --format"},
		{"verify needs one pack", []string{"evidence", "verify"}, ExitError, "accepts 1 arg"},
		{"a broken input still gives a pack, exit 2", []string{"evidence", "-o", filepath.Join(dir, "broken.zip"), fake + "broken"}, ExitError, "1 input could not be read"},
		{"findings are not failures", []string{"evidence", "-o", filepath.Join(dir, "low"), fake + "lowfail"}, ExitOK, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			if r.code != tc.wantCode || !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("exit %d, want %d; stderr %q, want %q", r.code, tc.wantCode, r.stderr, tc.wantStderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "broken.zip")); err != nil {
		t.Errorf("no pack written for a scan with errors: %v", err)
	}
}
