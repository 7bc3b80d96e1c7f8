package tfplan

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

func tree(t testing.TB, dir string) *scan.Tree {
	t.Helper()
	tr := &scan.Tree{Root: dir, Display: filepath.Base(dir)}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			tr.Files = append(tr.Files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(tr.Files)
	return tr
}

func loadAll(t testing.TB, dir string) *inventory.Inventory {
	t.Helper()
	src := New()
	tr := tree(t, dir)
	inputs, err := src.Find(context.Background(), tr)
	if err != nil {
		t.Fatal(err)
	}
	all := &inventory.Inventory{}
	for _, in := range inputs {
		inv := src.Load(context.Background(), tr, in, scan.LoadOptions{})
		all.Sources = append(all.Sources, inv.Sources...)
		all.Functions = append(all.Functions, inv.Functions...)
		all.Roles = append(all.Roles, inv.Roles...)
		all.Permissions = append(all.Permissions, inv.Permissions...)
		all.FunctionURLs = append(all.FunctionURLs, inv.FunctionURLs...)
		all.Aliases = append(all.Aliases, inv.Aliases...)
		all.LogGroups = append(all.LogGroups, inv.LogGroups...)
		all.Alarms = append(all.Alarms, inv.Alarms...)
		all.Errors = append(all.Errors, inv.Errors...)
	}
	return all
}

func TestExamplePlanIsValid(t *testing.T) {
	data, err := os.ReadFile("../../examples/tfplan/tfplan.json")
	if err != nil {
		t.Fatal(err)
	}
	var p tfjson.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("terraform-json rejects the example: %v", err)
	}
	if p.FormatVersion != "1.2" || p.PlannedValues == nil || len(p.ResourceChanges) == 0 || p.Config == nil {
		t.Fatalf("example lacks planned_values, resource_changes or configuration")
	}
}

func find(inv *inventory.Inventory, id string) *inventory.Function {
	for _, f := range inv.Functions {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func TestExamplePlan(t *testing.T) {
	inv := loadAll(t, "../../examples/tfplan")
	if len(inv.Errors) > 0 {
		t.Fatalf("errors: %+v", inv.Errors)
	}
	x := inventory.NewIndex(inv)
	api, worker, pay := find(inv, "aws_lambda_function.api"), find(inv, "aws_lambda_function.worker[0]"), find(inv, "module.pay.aws_lambda_function.this")
	if api == nil || worker == nil || pay == nil {
		t.Fatalf("functions: %+v", inv.Functions)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"role known only after apply links by reference", x.RoleOf(api).ID, "aws_iam_role.api"},
		{"module role links within the module", x.RoleOf(pay).ID, "module.pay.aws_iam_role.this"},
		{"literal role ARN", worker.Role.V.Name, "arn:aws:iam::111122223333:role/legacy-worker"},
		{"after_unknown tracing_config not in the configuration is absent", api.TracingMode.State, inventory.Absent},
		{"after_unknown managed_policy_arns and inline_policy not in the configuration are absent", x.RoleOf(api).PoliciesComplete.State, inventory.Known},
		{"known text log format", api.LogFormat.V, "Text"},
		{"known logging format", pay.LogFormat.V, "JSON"},
		{"tracing", pay.TracingMode.V, "Active"},
		{"reserved -1 is not reserved", api.ReservedConcurrency.State, inventory.Absent},
		{"reserved", pay.ReservedConcurrency.V, 10},
		{"url auth", x.URLs(api)[0].AuthType.V, "NONE"},
		{"permission whose function_name is an unknown ARN", len(x.Permissions(api)), 1},
		{"permission resource is the symbolic function ARN", x.Permissions(api)[0].Statement.Resources[0], "arn:aws:lambda:<region>:<account>:function:orders-api"},
		{"log group", x.LogGroupOf(pay).RetentionDays.V, 400},
		{"alarm", len(x.AlarmsFor(pay)), 1},
		{"alias to the published version", x.Aliases(pay)[0].FunctionVersion.V, "<module.pay.aws_lambda_function.this.version>"},
		{"location file", api.Loc.File, "tfplan/tfplan.json"},
		{"location line of the resource_changes object", api.Loc.Line, 434},
		{"source kind", api.Source, inventory.TerraformPlan},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestFindByContent(t *testing.T) {
	got, err := New().Find(context.Background(), tree(t, "testdata/plans"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"malformed/tfplan.json", "nested/plan.json", "old.json"}
	if !slices.Equal(got, want) {
		t.Errorf("Find = %v, want %v", got, want)
	}
}

func TestBadPlans(t *testing.T) {
	tests := []struct {
		file, want string
		line       int
	}{
		{"malformed/tfplan.json", "malformed plan JSON", 1},
		{"old.json", "unsupported plan format version", 0},
	}
	tr := tree(t, "testdata/plans")
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			inv := New().Load(context.Background(), tr, tc.file, scan.LoadOptions{})
			if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Message, tc.want) || inv.Errors[0].Line != tc.line || inv.Errors[0].Source != "plans/"+tc.file {
				t.Errorf("errors = %+v", inv.Errors)
			}
		})
	}
}

func TestLinesOfModuleResources(t *testing.T) {
	data, err := os.ReadFile("testdata/plans/nested/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := scanLines(data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for _, sec := range []string{"resource_changes", "planned_values", "prior_state"} {
		if len(idx.addr[sec]) == 0 {
			t.Errorf("no addresses in %s", sec)
		}
		for addr, l := range idx.addr[sec] {
			if !strings.HasSuffix(strings.TrimSpace(lines[l-1]), "{") || !strings.Contains(lines[l], `"address": "`+addr+`"`) {
				t.Errorf("%s %s: line %d is %q", sec, addr, l, lines[l-1])
			}
		}
	}
}

func FuzzLoad(f *testing.F) {
	for _, p := range []string{"testdata/plans/nested/plan.json", "testdata/plans/malformed/tfplan.json", "testdata/plans/old.json"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "plan.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		tr := &scan.Tree{Root: dir, Display: "d", Files: []string{"plan.json"}}
		New().Load(context.Background(), tr, "plan.json", scan.LoadOptions{})
	})
}
