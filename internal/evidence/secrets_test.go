package evidence_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/evidence"
	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
)

// secretForms are the byte strings whose presence means a secret leaked:
// each secret, and its part after the 4 characters a redaction may show,
// as is and as JSON, HTML and URL encoders would write them.
func secretForms(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, s := range reporttest.Secrets() {
		for _, v := range []string{s, s[4:]} {
			j, _ := json.Marshal(v)
			out = append(out, v, strings.Trim(string(j), `"`), html.EscapeString(v), url.QueryEscape(v), url.PathEscape(v),
				strings.ReplaceAll(v, "/", `\/`))
		}
	}
	return out
}

func leaks(b []byte, forms []string) string {
	for _, f := range forms {
		if bytes.Contains(b, []byte(f)) {
			return f
		}
	}
	return ""
}

// TestNoSecretInAnyOutput: the fixtures hold credential-shaped values in
// environment variables (and redacted forms in messages); no report format
// and no file of the evidence pack, folder or zip, may contain them.
func TestNoSecretInAnyOutput(t *testing.T) {
	forms := secretForms(t)
	// The test can fail: the secrets are in the input, and the detector finds them.
	inv, err := json.Marshal(reporttest.Inventory())
	if err != nil {
		t.Fatal(err)
	}
	if leaks(inv, forms) == "" {
		t.Fatal("the fixture inventory holds no secret: this test would prove nothing")
	}

	scan := reporttest.Scan()
	for _, format := range report.Formats() {
		w, err := report.Lookup(format)
		if err != nil {
			t.Fatal(err)
		}
		for _, ts := range []bool{false, true} {
			var b bytes.Buffer
			if err := w(&b, scan, report.Options{Checks: reporttest.Checks(), Timestamps: ts, ShowPass: true}); err != nil {
				if strings.Contains(err.Error(), "not built yet") {
					t.Logf("%s: writer not built yet, not checked", format)
					break
				}
				t.Fatalf("%s: %v", format, err)
			}
			if f := leaks(b.Bytes(), forms); f != "" {
				t.Errorf("%s output contains the secret form %q", format, f)
			}
		}
	}

	dir := t.TempDir()
	for _, out := range []string{filepath.Join(dir, "pack"), filepath.Join(dir, "pack.zip")} {
		if _, err := evidence.Write(context.Background(), out, scan, reporttest.Inventory(), options(t)); err != nil {
			t.Fatal(err)
		}
		files := readPack(t, out)
		if len(files) < 10 {
			t.Fatalf("%s: only %d files", out, len(files))
		}
		for name, b := range files {
			if f := leaks(b, forms); f != "" {
				t.Errorf("%s: %s contains the secret form %q", out, name, f)
			}
		}
		if strings.HasSuffix(out, ".zip") {
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if f := leaks(raw, forms); f != "" {
				t.Errorf("%s: the zip bytes contain %q", out, f)
			}
		}
	}
}
