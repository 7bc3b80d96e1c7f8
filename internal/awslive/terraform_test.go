package awslive_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/terraform"
)

// TestTerraformSameVerdicts: the account-A us-east-1 resources of the live
// world, written as Terraform, give the same verdict for every function and
// every check that both sources evaluate.
func TestTerraformSameVerdicts(t *testing.T) {
	live, _ := baseline(t)

	tmpl, err := os.ReadFile(filepath.Join("testdata", "terraform", "main.tf.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tf := strings.ReplaceAll(string(tmpl), "{{STRIPE}}", "sk_"+"live_"+"4eC39HqLyjWDarjtT1zdp7dc")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := scan.Run(context.Background(), scan.Options{
		Paths: []string{dir}, Sources: []scan.Source{terraform.New()}, Settings: settings(), Now: testNow,
		Selection: checks.Selection{},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out.Scan.Errors {
		t.Errorf("terraform: %s:%d: %s", e.Source, e.Line, e.Message)
	}
	tfVerdicts := map[string]result.Result{}
	for _, r := range out.Scan.Results {
		if r.Resource.Kind == result.KindFunction {
			tfVerdicts[r.Resource.Name+" "+r.CheckID] = r
		}
	}
	// What Terraform cannot know: the account it deploys to. LW-INV-06 then
	// cannot tell a foreign account from the function's own one (UNKNOWN),
	// where the live scan knows it (FAIL).
	inherent := map[string]result.Status{"legacy LW-INV-06": result.Unknown}
	compared := 0
	var diffs []string
	for _, r := range runChecks(live) {
		if r.Resource.Kind != result.KindFunction || r.Resource.Account != acctA || r.Resource.Region != regionUS {
			continue
		}
		c := checks.ByID(checks.Catalog(), r.CheckID)
		if !c.AppliesTo(inventory.Terraform) {
			continue
		}
		k := r.Resource.Name + " " + r.CheckID
		tr, ok := tfVerdicts[k]
		if !ok {
			diffs = append(diffs, k+": no Terraform result")
			continue
		}
		compared++
		if want, ok := inherent[k]; ok {
			if tr.Status != want {
				diffs = append(diffs, k+": terraform "+string(tr.Status)+", want "+string(want)+" (inherent difference)")
			}
			continue
		}
		if tr.Status != r.Status {
			diffs = append(diffs, k+": live "+string(r.Status)+" ("+r.Message+"), terraform "+string(tr.Status)+" ("+tr.Message+")")
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	if compared < 100 {
		t.Errorf("only %d verdicts compared", compared)
	}
}
