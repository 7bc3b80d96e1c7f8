package terraform

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// loadCase loads the first root module of testdata/<name>, displayed as <name>.
func loadCase(t testing.TB, name string, opts scan.LoadOptions) *inventory.Inventory {
	t.Helper()
	tree := treeOf(t, filepath.Join("testdata", name), name)
	src := New()
	roots, err := src.Find(context.Background(), tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) == 0 {
		t.Fatalf("no root module found in %s", name)
	}
	return src.Load(context.Background(), tree, roots[0], opts)
}

// treeOf lists the files under root like scan does.
func treeOf(t testing.TB, root, display string) *scan.Tree {
	t.Helper()
	tree := &scan.Tree{Root: root, Display: display}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			tree.Files = append(tree.Files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func find[T any](t *testing.T, items []*T, id string, idOf func(*T) string) *T {
	t.Helper()
	var ids []string
	for _, it := range items {
		if idOf(it) == id {
			return it
		}
		ids = append(ids, idOf(it))
	}
	t.Fatalf("no %s; have %v", id, ids)
	return nil
}

func fn(t *testing.T, inv *inventory.Inventory, id string) *inventory.Function {
	return find(t, inv.Functions, id, func(f *inventory.Function) string { return f.ID })
}

func role(t *testing.T, inv *inventory.Inventory, id string) *inventory.Role {
	return find(t, inv.Roles, id, func(r *inventory.Role) string { return r.ID })
}

func perm(t *testing.T, inv *inventory.Inventory, id string) *inventory.Permission {
	return find(t, inv.Permissions, id, func(p *inventory.Permission) string { return p.ID })
}

func env(t *testing.T, f *inventory.Function, name string) inventory.EnvVar {
	t.Helper()
	for _, e := range f.Environment.V {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("%s has no environment variable %s", f.ID, name)
	return inventory.EnvVar{}
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func known[T any](t *testing.T, what string, v inventory.Value[T], want T) {
	t.Helper()
	if !v.IsKnown() {
		t.Errorf("%s is %s, want known %#v", what, v.String(), want)
		return
	}
	eq(t, what, v.V, want)
}

func ids[T any](items []*T, idOf func(*T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, idOf(it))
	}
	return out
}

func fnIDs(inv *inventory.Inventory) []string {
	return ids(inv.Functions, func(f *inventory.Function) string { return f.ID })
}

func noErrors(t *testing.T, inv *inventory.Inventory) {
	t.Helper()
	if len(inv.Errors) > 0 {
		t.Errorf("unexpected errors: %+v", inv.Errors)
	}
}

func TestLoad(t *testing.T) {
	cases := []struct {
		name  string
		dir   string
		opts  scan.LoadOptions
		check func(t *testing.T, inv *inventory.Inventory)
	}{
		{
			name: "locals, default_tags, references by attribute, env references",
			dir:  "basic",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				eq(t, "sources", inv.Sources, []inventory.Source{{Kind: inventory.Terraform, Path: "basic"}})
				f := fn(t, inv, "aws_lambda_function.api")
				eq(t, "origin", f.Origin, "basic")
				eq(t, "loc", f.Loc.String(), "basic/main.tf:30:1")
				known(t, "name", f.Name, "shop-api")
				eq(t, "name loc", f.Name.Loc.String(), "basic/main.tf:31:3")
				eq(t, "arn", f.ARN, "arn:aws:lambda:<region>:<account>:function:shop-api")
				known(t, "role", f.Role, inventory.Ref{ID: "aws_iam_role.api"})
				known(t, "tags", f.Tags, map[string]string{"app": "api", "team": "payments"})
				known(t, "package", f.Package, inventory.PackageRef{Path: "basic/build/api.zip"})
				known(t, "tracing", f.TracingMode, "Active")
				known(t, "timeout", f.TimeoutSeconds, 30)
				if !f.ReservedConcurrency.IsAbsent() || !f.KMSKeyARN.IsAbsent() || !f.VPC.IsAbsent() {
					t.Errorf("unset settings must be absent: %v %v %v", f.ReservedConcurrency, f.KMSKeyARN, f.VPC)
				}
				// A tfvars value is a literal; a variable without a value is unknown, not a reference.
				stage := env(t, f, "STAGE")
				known(t, "STAGE", stage.Value, "prod")
				eq(t, "STAGE reference", stage.Reference, false)
				token := env(t, f, "TOKEN")
				eq(t, "TOKEN why", token.Value.Why, "variable token has no value")
				eq(t, "TOKEN state", token.Value.State, inventory.Unknown)
				eq(t, "TOKEN reference", token.Reference, false)
				table := env(t, f, "TABLE")
				known(t, "TABLE", table.Value, "orders")
				eq(t, "TABLE reference", table.Reference, true)
				known(t, "REGION", env(t, f, "REGION").Value, inventory.CurrentRegion)

				r := role(t, inv, "aws_iam_role.api")
				known(t, "role name", r.Name, "shop-api-role")
				eq(t, "role arn", r.ARN, "arn:aws:iam::<account>:role/shop-api-role")
				known(t, "policies complete", r.PoliciesComplete, true)
				if len(r.Inline) != 1 {
					t.Fatalf("inline policies: %+v", r.Inline)
				}
				doc := r.Inline[0].Document.V
				eq(t, "inline resources", doc.Statements[0].Resources, []string{"arn:aws:dynamodb:<region>:<account>:table/orders"})
				eq(t, "log resources", doc.Statements[1].Resources, []string{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/shop-api:*"})
				// jsonencode statements point at their object expressions.
				eq(t, "statement 0 loc", doc.Statements[0].Loc.String(), "basic/main.tf:64:7")
				eq(t, "statement 1 loc", doc.Statements[1].Loc.String(), "basic/main.tf:69:7")
				eq(t, "trust statement loc", r.TrustPolicy.V.Statements[0].Loc.String(), "basic/main.tf:21:18")

				g := find(t, inv.LogGroups, "aws_cloudwatch_log_group.api", func(g *inventory.LogGroup) string { return g.ID })
				known(t, "log group name", g.Name, "/aws/lambda/shop-api")
				known(t, "retention 0 is known", g.RetentionDays, 0)

				p := perm(t, inv, "aws_lambda_permission.apigw")
				known(t, "permission function", p.Function, inventory.Ref{ID: "aws_lambda_function.api"})
				eq(t, "permission principal", p.Statement.Principal, &iampolicy.Principal{Service: []string{"apigateway.amazonaws.com"}})
				eq(t, "permission conditions", p.Statement.Conditions, []iampolicy.Condition{{Operator: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:execute-api:<region>:<account>:abc123/*"}}})
				eq(t, "permission resources", p.Statement.Resources, []string{"arn:aws:lambda:<region>:<account>:function:shop-api"})
				eq(t, "permission loc", p.Statement.Loc.String(), "basic/main.tf:83:1")
			},
		},
		{
			name: "variable precedence",
			dir:  "varprec",
			opts: scan.LoadOptions{VarFiles: []string{filepath.Join("testdata", "varfiles", "prod.tfvars")}, Vars: []string{"g=cli", "n=7"}},
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				f := fn(t, inv, "aws_lambda_function.f")
				want := map[string]string{"A": "default", "B": "tfvars", "C": "tfvars.json", "D": "a.auto", "E": "b.auto", "F": "varfile", "G": "cli"}
				for k, w := range want {
					known(t, k, env(t, f, k).Value, w)
				}
				known(t, "timeout from -var n=7", f.TimeoutSeconds, 7)
			},
		},
		{
			name: "count and for_each addresses",
			dir:  "expand",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				eq(t, "functions", fnIDs(inv), []string{
					`aws_lambda_function.set["a"]`, `aws_lambda_function.set["b"]`,
					"aws_lambda_function.w[0]", "aws_lambda_function.w[1]",
					`aws_lambda_function.workers["img"]`, `aws_lambda_function.workers["pdf"]`,
				})
				known(t, "w[1] role", fn(t, inv, "aws_lambda_function.w[1]").Role, inventory.Ref{ID: "aws_iam_role.w[1]"})
				known(t, "w[1] name", fn(t, inv, "aws_lambda_function.w[1]").Name, "w-1")
				known(t, "pdf memory", fn(t, inv, `aws_lambda_function.workers["pdf"]`).MemoryMB, 1024)
				p := perm(t, inv, "aws_lambda_permission.img")
				known(t, "permission function", p.Function, inventory.Ref{ID: `aws_lambda_function.workers["img"]`})
			},
		},
		{
			name: "nested local modules, outputs, remote module",
			dir:  "modules",
			check: func(t *testing.T, inv *inventory.Inventory) {
				eq(t, "functions", fnIDs(inv), []string{
					`module.jobs["a"].aws_lambda_function.this`, `module.jobs["b"].aws_lambda_function.this`,
					"module.pay.aws_lambda_function.this",
				})
				eq(t, "roles", ids(inv.Roles, func(r *inventory.Role) string { return r.ID }), []string{
					"module.counted[0].aws_iam_role.this",
					`module.jobs["a"].module.role.aws_iam_role.this`, `module.jobs["b"].module.role.aws_iam_role.this`,
					"module.pay.module.role.aws_iam_role.this",
				})
				f := fn(t, inv, "module.pay.aws_lambda_function.this")
				known(t, "role through module output", f.Role, inventory.Ref{ID: "module.pay.module.role.aws_iam_role.this"})
				known(t, "package", f.Package, inventory.PackageRef{Path: "modules/modules/lambda/fn.zip"})
				eq(t, "loc", f.Loc.String(), "modules/modules/lambda/main.tf:8:1")
				r := role(t, inv, `module.jobs["b"].module.role.aws_iam_role.this`)
				known(t, "role name", r.Name, "job-b-role")
				eq(t, "trust statement loc", r.TrustPolicy.V.Statements[0].Loc.String(), "modules/modules/role/main.tf:9:3")
				p := perm(t, inv, "aws_lambda_permission.pay")
				known(t, "permission function", p.Function, inventory.Ref{ID: "module.pay.aws_lambda_function.this"})
				eq(t, "unknown condition", p.Statement.Unknown, []string{"Condition"})
				eq(t, "errors", inv.Errors, []inventory.Error{{Source: "modules/main.tf", Line: 19,
					Message: `module "vpc": remote source "terraform-aws-modules/vpc/aws" is not loaded; its resources are not scanned`}})
			},
		},
		{
			name: "policy document data sources and unknown parts",
			dir:  "policydoc",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				r := role(t, inv, "aws_iam_role.r")
				known(t, "trust principal", r.TrustPolicy, r.TrustPolicy.V)
				doc := r.Inline[0].Document
				if !doc.IsKnown() {
					t.Fatalf("inline document: %v", doc)
				}
				st := doc.V.Statements
				if len(st) != 5 {
					t.Fatalf("statements: %+v", st)
				}
				eq(t, "source statement", st[0].Sid, "Logs")
				// A statement from a source document is located in that document.
				eq(t, "source statement loc", st[0].Loc.String(), "policydoc/main.tf:8:3")
				eq(t, "read resources keep the known ARN", st[1].Resources, []string{"arn:aws:s3:::data"})
				eq(t, "read unknown", st[1].Unknown, []string{"Resource"})
				eq(t, "read loc", st[1].Loc.String(), "policydoc/main.tf:18:3")
				eq(t, "dynamic statements", st[3].Resources, []string{"arn:aws:sqs:us-east-1:123456789012:b"})
				eq(t, "dynamic loc", st[3].Loc.String(), "policydoc/main.tf:25:3")
				eq(t, "org loc", st[4].Loc.String(), "policydoc/main.tf:33:3")
				eq(t, "org principal public", st[4].Principal.IsPublic(), true)
				eq(t, "org condition", st[4].Conditions, []iampolicy.Condition{{Operator: "StringEquals", Key: "aws:PrincipalOrgID", Values: []string{"o-123"}}})
				known(t, "complete", r.PoliciesComplete, true)
				eq(t, "attachment", r.Attached[0].Policy.V, inventory.Ref{ID: "aws_iam_policy.p"})
				mp := find(t, inv.ManagedPolicies, "aws_iam_policy.p", func(p *inventory.ManagedPolicy) string { return p.ID })
				pst := mp.Document.V.Statements
				eq(t, "managed 1 resources", pst[1].Resources, []string{"arn:aws:s3:::known/*"})
				eq(t, "managed 1 unknown", pst[1].Unknown, []string{"Resource"})
				eq(t, "managed 1 loc", pst[1].Loc.String(), "policydoc/main.tf:72:7")
				eq(t, "managed arn", mp.ARN, "arn:aws:iam::<account>:policy/p")
			},
		},
		{
			name: "references by literal name",
			dir:  "literal",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				f := fn(t, inv, "aws_lambda_function.f")
				known(t, "literal role", f.Role, inventory.Ref{Name: "arn:aws:iam::123456789012:role/literal-role"})
				r := role(t, inv, "aws_iam_role.named")
				eq(t, "inline by role name", len(r.Inline), 1)
				eq(t, "inline name", r.Inline[0].Name, "inline")
				var att []inventory.Ref
				for _, a := range r.Attached {
					att = append(att, a.Policy.V)
				}
				eq(t, "attachments", att, []inventory.Ref{
					{Name: "arn:aws:iam::aws:policy/AmazonS3FullAccess"},
					{Name: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
				})
				eq(t, "heredoc trust statements", len(r.TrustPolicy.V.Statements), 1)
				pub := perm(t, inv, "aws_lambda_permission.public")
				known(t, "public function", pub.Function, inventory.Ref{Name: "arn:aws:lambda:us-east-1:123456789012:function:other"})
				eq(t, "public principal", pub.Statement.Principal.IsPublic(), true)
				cross := perm(t, inv, "aws_lambda_permission.cross")
				eq(t, "cross principal", cross.Statement.Principal.AWS, []string{"111122223333"})
				eq(t, "cross resource", cross.Statement.Resources, []string{"arn:aws:lambda:<region>:<account>:function:lit:live"})
				eq(t, "cross conditions", cross.Statement.Conditions, []iampolicy.Condition{{Operator: "StringEquals", Key: "aws:PrincipalOrgID", Values: []string{"o-abc"}}})
			},
		},
		{
			name: "malformed file is an error, other files still load",
			dir:  "malformed",
			check: func(t *testing.T, inv *inventory.Inventory) {
				eq(t, "functions", fnIDs(inv), []string{"aws_lambda_function.good"})
				if len(inv.Errors) != 1 || inv.Errors[0].Source != "malformed/bad.tf" || inv.Errors[0].Line != 4 {
					t.Errorf("errors = %+v, want one for malformed/bad.tf line 4", inv.Errors)
				}
			},
		},
		{
			name: "inline waivers",
			dir:  "waivers",
			check: func(t *testing.T, inv *inventory.Inventory) {
				want := []inventory.InlineWaiver{
					{ResourceID: "aws_lambda_function.batch[0]", File: "waivers/main.tf", StartLine: 3, EndLine: 7, Check: "LW-INV-07", Reason: "batch jobs are bounded by SQS", Expires: "2027-06-30"},
					{ResourceID: "aws_lambda_function.batch[0]", File: "waivers/main.tf", StartLine: 3, EndLine: 7, Check: "LW-LOG-04", Reason: "batch jobs are bounded by SQS", Expires: "2027-06-30"},
					{ResourceID: "aws_lambda_function.batch[1]", File: "waivers/main.tf", StartLine: 3, EndLine: 7, Check: "LW-INV-07", Reason: "batch jobs are bounded by SQS", Expires: "2027-06-30"},
					{ResourceID: "aws_lambda_function.batch[1]", File: "waivers/main.tf", StartLine: 3, EndLine: 7, Check: "LW-LOG-04", Reason: "batch jobs are bounded by SQS", Expires: "2027-06-30"},
					{ResourceID: "aws_lambda_function.inside", File: "waivers/main.tf", StartLine: 9, EndLine: 13, Check: "LW-RUN-05", Reason: "internal-only"},
				}
				got := inv.Waivers
				for i := range got {
					if got[i].Loc.File != "waivers/main.tf" || got[i].Loc.Line == 0 {
						t.Errorf("waiver %d loc = %v", i, got[i].Loc)
					}
					got[i].Loc = want[0].Loc
				}
				eq(t, "waivers", got, want)
				eq(t, "errors", inv.Errors, []inventory.Error{{Source: "waivers/main.tf", Line: 15, Message: "waiver for LW-SEC-03 has no reason"}})
			},
		},
		{
			name: "other resources, aliased provider, archive_file, tf.json",
			dir:  "misc",
			check: func(t *testing.T, inv *inventory.Inventory) {
				f := fn(t, inv, "aws_lambda_function.f")
				known(t, "aliased provider default tags", f.Tags, map[string]string{"region": "west"})
				known(t, "archive source", f.Package, inventory.PackageRef{Path: "misc/src"})
				known(t, "kms", f.KMSKeyARN, "arn:aws:kms:<region>:<account>:key/<aws_kms_key.k.id>")
				eq(t, "reserved -1 is absent", f.ReservedConcurrency.IsAbsent(), true)
				known(t, "publish", f.PublishVersions, true)
				known(t, "dlq", f.DeadLetterTarget, "arn:aws:sqs:<region>:<account>:dlq")
				known(t, "log group", f.LogGroup, "custom")
				known(t, "csc", f.CodeSigningConfig, inventory.Ref{ID: "aws_lambda_code_signing_config.c"})
				eq(t, "layer 0", f.Layers.V[0].V, inventory.Ref{ID: "aws_lambda_layer_version.l"})
				eq(t, "layer 1", f.Layers.V[1].V.Name, "arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38")
				eq(t, "subnets", []inventory.Ref{f.VPC.V.Subnets.V[0].V, f.VPC.V.Subnets.V[1].V}, []inventory.Ref{{ID: "aws_subnet.a"}, {Name: "subnet-123"}})
				eq(t, "sg", f.VPC.V.SecurityGroups.V[0].V, inventory.Ref{ID: "aws_security_group.sg"})
				r := role(t, inv, "aws_iam_role.r")
				eq(t, "name_prefix role name unknown", r.Name.IsUnknown(), true)
				eq(t, "name_prefix role arn", r.ARN, "arn:aws:iam::<account>:role/<aws_iam_role.r.name>")
				eq(t, "bad trust policy is unknown", r.TrustPolicy.IsUnknown(), true)
				if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Message, "invalid policy document") || inv.Errors[0].Line != 40 {
					t.Errorf("errors = %+v", inv.Errors)
				}
				jf := fn(t, inv, "aws_lambda_function.json")
				known(t, "json tracing", jf.TracingMode, "PassThrough")
				known(t, "json role", jf.Role, inventory.Ref{ID: "aws_iam_role.r"})
				known(t, "json env", env(t, jf, "MODE").Value, "json")
				u := inv.FunctionURLs[0]
				known(t, "url auth", u.AuthType, "NONE")
				known(t, "url cors", u.CORSAllowOrigins, []string{"*"})
				known(t, "url function", u.Function, inventory.Ref{ID: "aws_lambda_function.f"})
				known(t, "alias version", inv.Aliases[0].FunctionVersion, "<aws_lambda_function.f.version>")
				known(t, "on failure", inv.EventInvokeConfigs[0].OnFailure, "arn:aws:sqs:<region>:<account>:dlq")
				known(t, "invoke config function", inv.EventInvokeConfigs[0].Function, inventory.Ref{ID: "aws_lambda_function.f"})
				csc := inv.CodeSigningConfigs[0].UntrustedArtifactOnDeployment
				eq(t, "csc default", csc, inventory.Value[string]{State: inventory.Absent, V: "Warn"})
				eq(t, "alarms", len(inv.Alarms), 2)
				known(t, "alarm dimension", inv.Alarms[0].Metrics[0].Dimensions["FunctionName"], "misc")
				known(t, "math alarm expression", inv.Alarms[1].Metrics[0].Expression, "m1/m2")
				known(t, "math alarm metric", inv.Alarms[1].Metrics[1].MetricName, "Throttles")
				lp := inv.LayerPermissions[0]
				known(t, "layer permission layer", lp.Layer, inventory.Ref{ID: "aws_lambda_layer_version.l"})
				eq(t, "layer permission org", lp.Statement.Conditions[0].Key, "aws:PrincipalOrgID")
				known(t, "az", inv.Subnets[0].AvailabilityZone, "eu-west-1a")
				eg := inv.SecurityGroups[0].Egress.V
				eq(t, "egress rules", len(eg), 2)
				known(t, "egress all", eg[1].CIDRs, []string{"0.0.0.0/0"})
				known(t, "route function", inv.APIRoutes[0].Function, inventory.Ref{ID: "aws_lambda_function.f"})
				eq(t, "route auth default", inv.APIRoutes[0].Authorization.V, "NONE")
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, loadCase(t, tc.dir, tc.opts))
		})
	}
}

func TestFind(t *testing.T) {
	cases := []struct {
		name string
		dir  string
		want []string
	}{
		{"single root", "basic", []string{"."}},
		{"called modules are not roots", "modules", []string{"."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := New().Find(context.Background(), treeOf(t, filepath.Join("testdata", tc.dir), tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "roots", got, tc.want)
		})
	}
}

func TestFindSeveralRoots(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("prod/main.tf", `module "app" { source = "../modules/app" }`)
	write("staging/main.tf.json", `{"module": {"app": {"source": "../modules/app"}}}`)
	write("modules/app/main.tf", `resource "aws_lambda_function" "f" { function_name = "x" }`)
	write("lone/x.tf", ``)
	write("prod/.terraform/modules/m/main.tf", `resource "aws_lambda_function" "f" {}`)
	got, err := New().Find(context.Background(), treeOf(t, dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "roots", got, []string{"lone", "prod", "staging"})
}

func TestLoadSingleFile(t *testing.T) {
	root := filepath.Join("testdata", "malformed", "good.tf")
	tree := &scan.Tree{Root: root, Display: "infra/good.tf", Files: []string{"good.tf"}}
	got, err := New().Find(context.Background(), tree)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "roots", got, []string{"."})
	inv := New().Load(context.Background(), tree, ".", scan.LoadOptions{})
	noErrors(t, inv)
	eq(t, "functions", fnIDs(inv), []string{"aws_lambda_function.good"})
	eq(t, "loc", inv.Functions[0].Loc.File, "infra/good.tf")
}
