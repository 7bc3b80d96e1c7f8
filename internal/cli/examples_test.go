package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
)

// realApp runs the command line with the registered sources and the real
// catalog, at the fixed test date.
func realApp() (*App, *bytes.Buffer, *bytes.Buffer) {
	a, out, errOut := testApp(nil, false)
	a.Sources = Sources
	a.Catalog = checks.Catalog
	return a, out, errOut
}

// TestExamplesGolden scans the shipped examples as a user would
// (`lambdawarden scan ./examples --format json` from the repository root)
// and compares the report with testdata/examples.golden.json; run with
// -update to rewrite it after an intended change.
func TestExamplesGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	a, out, errOut := realApp()
	code := a.Run(context.Background(), []string{"scan", "./examples", "--format", "json"})
	if code != ExitFindings {
		t.Errorf("exit code = %d, want %d (the examples have failures); stderr:\n%s", code, ExitFindings, errOut)
	}
	golden := filepath.Join("internal", "cli", "testdata", "examples.golden.json")
	if updateGolden() {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run `go test ./internal/cli -run Examples -update` to create it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("scan ./examples --format json differs from %s; run with -update if the change is intended.\n%s", golden, lineDiff(want, out.Bytes()))
	}

	// Whatever the golden file says, the examples must show what they are
	// built to show.
	var doc struct {
		Summary struct{ Functions, Fail, Waived int }
		Errors  []json.RawMessage
		Results []struct {
			CheckID  string `json:"check_id"`
			Status   string
			Resource struct{ Name string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Functions != 4 || len(doc.Errors) != 0 || doc.Summary.Fail == 0 || doc.Summary.Waived != 2 {
		t.Errorf("summary = %+v, %d errors; want 4 functions, failures, 2 waivers and no errors", doc.Summary, len(doc.Errors))
	}
	for _, r := range doc.Results {
		if strings.HasPrefix(r.Resource.Name, "orders-api") || strings.HasPrefix(r.Resource.Name, "invoice-worker") {
			if r.Status != "PASS" {
				t.Errorf("well-built service %s: %s is %s", r.Resource.Name, r.CheckID, r.Status)
			}
		}
	}
}

// TestMalformedTerraform checks that a file that does not parse gives an
// error naming it and its line, the other files are still scanned, and the
// exit code is 2.
func TestMalformedTerraform(t *testing.T) {
	dir := t.TempDir()
	good := `resource "aws_lambda_function" "ok" {
  function_name = "ok"
  role          = "arn:aws:iam::123456789012:role/ok"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "ok.zip"
}
`
	broken := `resource "aws_lambda_function" "broken" {
  function_name = "broken"
  runtime       = "python3.13"

resource "aws_iam_role" "r" {
`
	for name, body := range map[string]string{"good.tf": good, "broken.tf": broken} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	a, out, _ := realApp()
	code := a.Run(context.Background(), []string{"scan", "--format", "json", "."})
	if code != ExitError {
		t.Errorf("exit code = %d, want %d", code, ExitError)
	}
	var doc struct {
		Summary struct{ Functions int }
		Errors  []struct {
			Source  string
			Line    int
			Message string
		}
		Results []struct {
			Resource struct{ ID string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	found := false
	for _, e := range doc.Errors {
		if e.Source == "broken.tf" && e.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("errors = %+v, want one for broken.tf with a line", doc.Errors)
	}
	scanned := false
	for _, r := range doc.Results {
		scanned = scanned || r.Resource.ID == "aws_lambda_function.ok"
	}
	if !scanned {
		t.Errorf("good.tf was not scanned: %d functions, %d results", doc.Summary.Functions, len(doc.Results))
	}
}

// lineDiff shows the first differing line of two outputs.
func lineDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n want: " + w + "\n  got: " + g
		}
	}
	return "(no line differs)"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
