package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// scanJSON runs `scan --format json ARGS...` with the registered sources
// and the real catalog, from the repository root, and decodes the report.
type scanDoc struct {
	Sources []struct{ Kind, Path string }
	Summary struct{ Functions, Results int }
	Errors  []struct{ Source, Message string }
	Results []struct {
		CheckID  string `json:"check_id"`
		Status   string
		Resource struct{ Kind, ID, Name string }
		Location *struct{ File string }
		Waiver   *struct{ Source string }
	}
}

func scanJSON(t *testing.T, args ...string) (scanDoc, int, string) {
	t.Helper()
	t.Chdir(filepath.Join("..", ".."))
	a, out, errOut := realApp()
	code := a.Run(context.Background(), append([]string{"scan", "--format", "json"}, args...))
	var doc scanDoc
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("scan %s: exit %d, %v\nstderr:\n%s", strings.Join(args, " "), code, err, errOut)
	}
	return doc, code, errOut.String()
}

// sources lists the sources read, but not the deployment packages that
// the functions point at.
func (d scanDoc) sources() []string {
	var out []string
	for _, s := range d.Sources {
		if s.Kind != "package" {
			out = append(out, s.Kind+" "+s.Path)
		}
	}
	return out
}

// functionFiles maps each function's resource ID and name to the files
// its results are located in.
func (d scanDoc) functions() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range d.Results {
		if r.Resource.Kind != "function" || r.Location == nil {
			continue
		}
		k := r.Resource.ID + " " + r.Resource.Name
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TestSourcesReadEachInputOnce scans a tree that holds the copies build
// tools leave beside the real input: a packaged Serverless service
// (.serverless/ with the generated templates, which must be read once,
// through the CloudFormation loader, as the Serverless service), a SAM
// build folder (.aws-sam/build) and a CDK cloud assembly with a staged
// asset folder holding a template-like file.
func TestSourcesReadEachInputOnce(t *testing.T) {
	doc, code, stderr := scanJSON(t, "internal/cli/testdata/inputs")
	if code != ExitFindings || len(doc.Errors) != 0 {
		t.Fatalf("exit %d, errors %+v; stderr:\n%s", code, doc.Errors, stderr)
	}
	wantSources := []string{
		"cloudformation internal/cli/testdata/inputs/cdk/cdk.out/Stack.template.json",
		"sam internal/cli/testdata/inputs/sam/template.yaml",
		"serverless internal/cli/testdata/inputs/sls/.serverless/cloudformation-template-update-stack.json",
	}
	if got := doc.sources(); !slices.Equal(got, wantSources) {
		t.Errorf("sources:\n got %q\nwant %q", got, wantSources)
	}
	wantFns := []string{"Fn inputs-cdk-fn", "Fn inputs-sam-fn", "hello packaged-prod-hello"}
	if got := doc.functions(); !slices.Equal(got, wantFns) || doc.Summary.Functions != len(wantFns) {
		t.Errorf("functions (%d): got %q, want %q", doc.Summary.Functions, got, wantFns)
	}
	// The packaged service's inline waiver is in serverless.yml only.
	var waived []string
	for _, r := range doc.Results {
		if r.Status == "WAIVED" {
			waived = append(waived, r.CheckID+" "+r.Resource.ID+" "+r.Waiver.Source)
		}
	}
	if want := []string{"LW-INV-07 hello internal/cli/testdata/inputs/sls/serverless.yml:15"}; !slices.Equal(waived, want) {
		t.Errorf("waived = %q, want %q", waived, want)
	}
}

// TestScanSingleFile scans one file of each kind named directly as the
// PATH.
func TestScanSingleFile(t *testing.T) {
	tests := []struct {
		path      string
		wantKind  string
		wantFns   int
		wantNames []string // a few function names (or IDs) that must be there
	}{
		{"examples/sam/template.yaml", "sam", 3, []string{"orders-api-prod", "PublicFunction"}},
		{"examples/tfplan/tfplan.json", "terraform-plan", 3, []string{"orders-api", "legacy-worker", "pay-handler"}},
		{"examples/serverless/serverless.yml", "serverless", 4, []string{"orders-dev-worker"}},
		{"examples/cdk/cdk.out/OrdersStack.template.json", "cloudformation", 2, []string{"WebHandler7B4A8D5C"}},
		{"examples/terraform/legacy.tf", "terraform", 2, []string{"aws_lambda_function.nightly_report"}}, // names come from variables in other files
		{"internal/cli/testdata/inputs/sls/.serverless/cloudformation-template-update-stack.json", "cloudformation", 1, []string{"packaged-prod-hello"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			doc, code, stderr := scanJSON(t, tc.path)
			if code == ExitError || len(doc.Errors) != 0 {
				t.Fatalf("exit %d, errors %+v; stderr:\n%s", code, doc.Errors, stderr)
			}
			if want := []string{tc.wantKind + " " + tc.path}; !slices.Equal(doc.sources(), want) {
				t.Errorf("sources = %q, want %q", doc.sources(), want)
			}
			if doc.Summary.Functions != tc.wantFns {
				t.Errorf("%d functions, want %d", doc.Summary.Functions, tc.wantFns)
			}
			fns := strings.Join(doc.functions(), "\n")
			for _, n := range tc.wantNames {
				if !strings.Contains(fns, n) {
					t.Errorf("no results for %s; functions:\n%s", n, fns)
				}
			}
			for _, r := range doc.Results {
				// Packages are where the IaC says, beside the file.
				if r.Location != nil && r.Location.File != tc.path && r.Resource.Kind != "package" {
					t.Errorf("result located in %s, outside the PATH", r.Location.File)
					break
				}
			}
		})
	}
}
