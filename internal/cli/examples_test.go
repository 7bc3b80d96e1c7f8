package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
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
	if errOut.Len() != 0 {
		t.Errorf("stderr (warnings, unused waivers) = %q, want nothing", errOut)
	}
	var doc struct {
		Sources []struct{ Kind, Path string }
		Summary struct{ Functions, Fail, Waived int }
		Errors  []json.RawMessage
		Results []struct {
			CheckID  string `json:"check_id"`
			Status   string
			Resource struct{ ID, Name string }
			Location struct{ File string }
			Waiver   *struct{ Source string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Functions != 16 || len(doc.Errors) != 0 || doc.Summary.Fail == 0 {
		t.Errorf("summary = %+v, %d errors; want 16 functions, failures and no errors", doc.Summary, len(doc.Errors))
	}
	var sources []string
	for _, src := range doc.Sources {
		sources = append(sources, src.Kind+" "+src.Path)
	}
	wantSources := []string{
		"terraform examples/terraform",
		"cloudformation examples/cdk/cdk.out/OrdersStack.template.json",
		"sam examples/sam/template.yaml",
		"serverless examples/serverless/serverless.yml",
		"terraform-plan examples/tfplan/tfplan.json",
		// The deployment packages the functions point at.
		"package examples/cdk/cdk.out/asset.59bb0fff09fe5e39712f2cfd027f6ac10994de38e23501f3333a25eaf89f484e",
		"package examples/cdk/cdk.out/asset.de7c512c3cfcedeca369e3f57d9a3ff2da07c01d4140a0b9d9f152c9d1e5b6e0",
		"package examples/sam/src/orders",
		"package examples/sam/src/public",
		"package examples/terraform/src/nightly-report",
		"package examples/terraform/src/reports-export",
	}
	if !slices.Equal(sources, wantSources) {
		t.Errorf("sources:\n got %q\nwant %q", sources, wantSources)
	}
	fails := map[string]int{} // per example folder
	var waived []string
	for _, r := range doc.Results {
		folder := strings.Split(r.Location.File, "/")[1]
		if r.Status == "FAIL" {
			fails[folder]++
		}
		if r.Status == "WAIVED" {
			waived = append(waived, r.CheckID+" "+r.Resource.ID+" "+r.Waiver.Source)
		}
		if strings.HasPrefix(r.Resource.ID, "module.services[") && r.Status != "PASS" {
			t.Errorf("well-built Terraform service %s: %s is %s", r.Resource.Name, r.CheckID, r.Status)
		}
	}
	for _, folder := range []string{"terraform", "cdk", "sam", "serverless", "tfplan"} {
		if fails[folder] == 0 {
			t.Errorf("no FAIL in examples/%s, which is built to show mistakes", folder)
		}
	}
	slices.Sort(waived)
	wantWaived := []string{
		"LW-CHG-01 aws_lambda_function.nightly_report examples/.lambdawarden.yaml:12",
		"LW-INV-07 PublicFunction examples/sam/template.yaml:145",
		"LW-INV-07 aws_lambda_function.nightly_report examples/terraform/legacy.tf:140",
		"LW-LOG-07 worker examples/serverless/serverless.yml:89",
	}
	if !slices.Equal(waived, wantWaived) {
		t.Errorf("waived:\n got %q\nwant %q", waived, wantWaived)
	}
}

// TestExamplesDeterministic scans the examples twice in every format and
// checks the reports are byte-identical.
func TestExamplesDeterministic(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, format := range []string{"text", "json", "sarif", "junit", "csv", "html"} {
		t.Run(format, func(t *testing.T) {
			var outs [2][]byte
			for i := range outs {
				a, out, errOut := realApp()
				if code := a.Run(context.Background(), []string{"scan", "./examples", "--all", "--format", format}); code != ExitFindings {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				outs[i] = out.Bytes()
			}
			if !bytes.Equal(outs[0], outs[1]) {
				t.Errorf("two scans differ:\n%s", lineDiff(outs[0], outs[1]))
			}
		})
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
