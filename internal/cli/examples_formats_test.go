package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestExamplesFormatsGolden scans the shipped examples in every format other
// than JSON (TestExamplesGolden covers that) and compares each report with
// testdata/examples.golden.FORMAT; run with -update to rewrite them after an
// intended change.
func TestExamplesFormatsGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, format := range []string{"text", "sarif", "junit", "csv", "html"} {
		t.Run(format, func(t *testing.T) {
			a, out, errOut := realApp()
			if code := a.Run(context.Background(), []string{"scan", "./examples", "--format", format}); code != ExitFindings {
				t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, ExitFindings, errOut)
			}
			golden := filepath.Join("internal", "cli", "testdata", "examples.golden."+format)
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
				t.Errorf("scan ./examples --format %s differs from %s; run with -update if the change is intended.\n%s", format, golden, lineDiff(want, out.Bytes()))
			}
		})
	}
}

// TestExamplesSARIFSchema validates the SARIF report of the shipped examples
// against the official SARIF 2.1.0 schema, and checks what GitHub code
// scanning requires beyond it: every result names a rule of the run, with a
// relative artifact URI and a 1-based start line.
func TestExamplesSARIFSchema(t *testing.T) {
	schemaFile, err := filepath.Abs(filepath.Join("..", "report", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("..", ".."))
	a, out, errOut := realApp()
	if code := a.Run(context.Background(), []string{"scan", "./examples", "--format", "sarif"}); code != ExitFindings {
		t.Fatalf("exit code = %d; stderr:\n%s", code, errOut)
	}

	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the examples' SARIF does not validate against the SARIF 2.1.0 schema: %v", err)
	}

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						Region           struct {
							StartLine int `json:"startLine"`
						}
					} `json:"physicalLocation"`
				}
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("want one run with results, got %d runs", len(log.Runs))
	}
	rules := map[string]bool{}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		rules[r.ID] = true
	}
	for i, r := range log.Runs[0].Results {
		if !rules[r.RuleID] {
			t.Errorf("result %d: rule %q is not among the run's rules", i, r.RuleID)
		}
		if len(r.Locations) == 0 {
			t.Errorf("result %d (%s): no location (GitHub needs one)", i, r.RuleID)
			continue
		}
		loc := r.Locations[0].PhysicalLocation
		if u := loc.ArtifactLocation.URI; u == "" || filepath.IsAbs(u) {
			t.Errorf("result %d (%s): artifact URI %q, want a relative path", i, r.RuleID, u)
		}
		if loc.Region.StartLine < 1 {
			t.Errorf("result %d (%s): startLine %d, want >= 1", i, r.RuleID, loc.Region.StartLine)
		}
	}
}
