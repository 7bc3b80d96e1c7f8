package serverless

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

func load(t *testing.T, name string) *inventory.Inventory {
	t.Helper()
	return loadDir(t, filepath.Join("testdata", name), quietConfig(), scan.LoadOptions{})
}

func env(f *inventory.Function) map[string]inventory.EnvVar {
	out := map[string]inventory.EnvVar{}
	for _, e := range f.Environment.V {
		out[e.Name] = e
	}
	return out
}

func TestVariables(t *testing.T) {
	inv := load(t, "variables")
	f := function(inv, "api")
	if f == nil {
		t.Fatalf("no function api; errors: %s", errorsText(inv))
	}
	vars := env(f)
	tests := []struct {
		name, key string
		state     inventory.State
		value     string
		ref       bool
	}{
		{"nested self and sls:stage", "TABLE", inventory.Known, "orders-dev", false},
		{"aws:accountId is the current account", "ACCOUNT", inventory.Known, inventory.CurrentAccount, false},
		{"file() with address", "FROM_FILE", inventory.Known, "from-file-dev", false},
		{"ssm is a reference", "DB_PASSWORD", inventory.Unknown, "", true},
		{"env without default is unknown", "HOME_DIR", inventory.Unknown, "", true},
		{"env default is used", "LOG_LEVEL", inventory.Known, "info", false},
		{"self fallback to a number", "MEMORY", inventory.Known, "256", false},
		{"cf is a reference", "CF_OUT", inventory.Unknown, "", true},
		{"reference inside a string", "MIXED", inventory.Unknown, "", true},
		{"cycle is unknown", "LOOP", inventory.Unknown, "", false},
		{"missing self is unknown", "MISSING", inventory.Unknown, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := vars[tc.key]
			if !ok {
				t.Fatalf("no variable %s", tc.key)
			}
			if v.Value.State != tc.state || (tc.state == inventory.Known && v.Value.V != tc.value) || v.Reference != tc.ref {
				t.Errorf("%s = %+v (reference %v), want %v %q reference %v", tc.key, v.Value, v.Reference, tc.state, tc.value, tc.ref)
			}
		})
	}
	if got := f.TimeoutSeconds.Or(0); got != 29 {
		t.Errorf("timeout from file = %d, want 29", got)
	}
	if f.Region != "eu-west-1" || f.Name.V != "vars-dev-api" {
		t.Errorf("region %q name %q", f.Region, f.Name.V)
	}
	if !strings.Contains(errorsText(inv), "cycle") {
		t.Errorf("want a cycle error, got %q", errorsText(inv))
	}
	for _, e := range inv.Errors {
		if e.Line == 0 || e.Source != "variables/serverless.yml" {
			t.Errorf("error without file and line: %+v", e)
		}
	}
}

func TestStageOption(t *testing.T) {
	inv := loadDir(t, filepath.Join("testdata", "variables"), quietConfig(), scan.LoadOptions{Stage: "prod"})
	f := function(inv, "api")
	if f.Name.V != "vars-prod-api" || env(f)["TABLE"].Value.V != "orders-prod" {
		t.Errorf("stage prod: name %q TABLE %q", f.Name.V, env(f)["TABLE"].Value.V)
	}
}

func roleOf(inv *inventory.Inventory, f *inventory.Function) *inventory.Role {
	return inventory.NewIndex(inv).RoleOf(f)
}

func statements(r *inventory.Role) []iampolicy.Statement {
	var out []iampolicy.Statement
	for _, p := range r.Inline {
		out = append(out, p.Document.V.Statements...)
	}
	return out
}

func grants(r *inventory.Role, action, resource string) bool {
	for _, s := range statements(r) {
		if s.Effect == iampolicy.Allow && slices.Contains(s.Actions, action) && slices.Contains(s.Resources, resource) {
			return true
		}
	}
	return false
}

func TestRoles(t *testing.T) {
	inv := load(t, "perfn")
	tests := []struct {
		name, fn, roleID string
		grants           [][2]string // action, resource
		denies           [][2]string
	}{
		{"shared role for plain functions", "shared1", sharedRoleID, [][2]string{{"s3:*", "*"}}, nil},
		{"the same shared role", "shared2", sharedRoleID, [][2]string{{"logs:PutLogEvents", "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/perfn-dev*:*:*"}}, nil},
		{"plugin role with own statements only", "own", "OwnIamRoleLambdaExecution",
			[][2]string{{"dynamodb:GetItem", "arn:aws:dynamodb:<region>:<account>:table/orders"}, {"logs:PutLogEvents", "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/perfn-dev-own:*:*"}},
			[][2]string{{"s3:*", "*"}}},
		{"plugin role inheriting provider statements", "inherits", "InheritsIamRoleLambdaExecution",
			[][2]string{{"s3:*", "*"}, {"sqs:SendMessage", "arn:aws:sqs:us-west-2:111122223333:jobs"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := function(inv, tc.fn)
			r := roleOf(inv, f)
			if r == nil || r.ID != tc.roleID {
				t.Fatalf("role of %s = %+v, want %s", tc.fn, f.Role, tc.roleID)
			}
			for _, g := range tc.grants {
				if !grants(r, g[0], g[1]) {
					t.Errorf("%s does not grant %s on %s: %+v", r.ID, g[0], g[1], statements(r))
				}
			}
			for _, g := range tc.denies {
				if grants(r, g[0], g[1]) {
					t.Errorf("%s grants %s on %s", r.ID, g[0], g[1])
				}
			}
			if tp := r.TrustPolicy.V; tp == nil || tp.Statements[0].Principal.Service[0] != "lambda.amazonaws.com" {
				t.Errorf("trust policy %+v", r.TrustPolicy)
			}
		})
	}
	ext := function(inv, "external")
	if ext.Role.V.Name != "arn:aws:iam::111122223333:role/existing" || roleOf(inv, ext) != nil {
		t.Errorf("external role = %+v", ext.Role)
	}
	if n := len(inventory.NewIndex(inv).FunctionsWithRole(roleOf(inv, function(inv, "shared1")))); n != 2 {
		t.Errorf("shared role used by %d functions, want 2", n)
	}
	if got := roleOf(inv, function(inv, "own")).Name.V; got != "perfn-dev-own-us-west-2-lambdaRole" {
		t.Errorf("plugin role name %q", got)
	}
}

func TestNoPluginMeansSharedRole(t *testing.T) {
	// Same file without the plugin: iamRoleStatements on a function is ignored by the framework.
	dir := t.TempDir()
	data := strings.Replace(readFile(t, "testdata/perfn/serverless.yml"), "plugins:\n  - serverless-iam-roles-per-function\n", "", 1)
	writeFile(t, filepath.Join(dir, "serverless.yml"), data)
	inv := loadDir(t, dir, quietConfig(), scan.LoadOptions{})
	if r := roleOf(inv, function(inv, "own")); r == nil || r.ID != sharedRoleID {
		t.Errorf("without the plugin, own uses %+v, want the shared role", function(inv, "own").Role)
	}
}

func TestURLs(t *testing.T) {
	inv := load(t, "url")
	x := inventory.NewIndex(inv)
	tests := []struct {
		fn, auth string
		cors     []string
		public   int // permissions for principal *
	}{
		{"open", "NONE", nil, 2},
		{"iam", "AWS_IAM", []string{"*"}, 0},
		{"corsList", "NONE", []string{"https://example.com"}, 2},
		{"none", "", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.fn, func(t *testing.T) {
			f := function(inv, tc.fn)
			urls := x.URLs(f)
			if tc.auth == "" {
				if len(urls) != 0 {
					t.Fatalf("unexpected URL %+v", urls)
				}
				return
			}
			if len(urls) != 1 || urls[0].AuthType.V != tc.auth || !slices.Equal(urls[0].CORSAllowOrigins.V, tc.cors) {
				t.Fatalf("urls = %s", dumpJSON(urls))
			}
			n := 0
			for _, p := range x.Permissions(f) {
				if p.Statement.Principal != nil && p.Statement.Principal.Wildcard {
					n++
				}
			}
			if n != tc.public {
				t.Errorf("%d public permissions, want %d", n, tc.public)
			}
		})
	}
}

func TestGlobalsOverridden(t *testing.T) {
	inv := load(t, "globals")
	x := inventory.NewIndex(inv)
	d, o := function(inv, "defaults"), function(inv, "overrides")
	checks := []struct {
		name      string
		got, want any
	}{
		{"default runtime", d.Runtime.V, "nodejs20.x"},
		{"override runtime", o.Runtime.V, "python3.12"},
		{"default memory", d.MemoryMB.V, 512},
		{"override memory", o.MemoryMB.V, 2048},
		{"default timeout", d.TimeoutSeconds.V, 10},
		{"override timeout", o.TimeoutSeconds.V, 30},
		{"default kms", d.KMSKeyARN.V, "arn:aws:kms:eu-west-1:111122223333:key/abc"},
		{"override kms", o.KMSKeyARN.V, "arn:aws:kms:eu-west-1:111122223333:key/def"},
		{"default tracing", d.TracingMode.V, "Active"},
		{"override tracing", o.TracingMode.V, "PassThrough"},
		{"default log format", d.LogFormat.V, "JSON"},
		{"override log format", o.LogFormat.V, "Text"},
		{"default retention", x.LogGroupOf(d).RetentionDays.V, 30},
		{"override retention", x.LogGroupOf(o).RetentionDays.V, 7},
		{"merged env shared", env(o)["SHARED"].Value.V, "one"},
		{"merged env override", env(o)["OVERRIDE"].Value.V, "function"},
		{"tags merged", o.Tags.V["team"] + "/" + o.Tags.V["cost-center"], "orders/cc1"},
		{"default vpc", len(d.VPC.V.Subnets.V), 2},
		{"vpc false", o.VPC.State, inventory.Absent},
		{"reserved concurrency absent", d.ReservedConcurrency.State, inventory.Absent},
		{"reserved concurrency", o.ReservedConcurrency.V, 3},
		{"layers", o.Layers.V[0].V.Name, "arn:aws:lambda:eu-west-1:999999999999:layer:shared:3"},
		{"default memory location", d.MemoryMB.Loc.Line, 5},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	r := roleOf(inv, d)
	if !grants(r, "kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/def") || !grants(r, "xray:PutTraceSegments", "*") {
		t.Errorf("shared role lacks the kms/xray statements the framework adds: %+v", statements(r))
	}
	if len(r.Attached) != 1 || r.Attached[0].Policy.V.Name != vpcManagedPolicy {
		t.Errorf("attached %+v", r.Attached)
	}
}

func TestWaivers(t *testing.T) {
	inv := load(t, "waivers")
	if len(inv.Waivers) != 2 {
		t.Fatalf("waivers = %+v", inv.Waivers)
	}
	w := inv.Waivers[0]
	if w.ResourceID != "batch" || w.Check != "LW-INV-07" || w.Expires != "2027-06-30" || w.StartLine != 6 || w.EndLine != 14 || w.File != "waivers/serverless.yml" {
		t.Errorf("waiver = %+v", w)
	}
	if len(inv.Errors) != 1 || inv.Errors[0].Line != 19 || !strings.Contains(inv.Errors[0].Message, "no reason") {
		t.Errorf("errors = %+v", inv.Errors)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		dir, want string
		line      int
	}{
		{"malformed/yaml", "malformed YAML", -1},
		{"malformed/bomb", "alias", 0},
		{"malformed/deep", "nesting deeper", 5},
		{"typescript", "not supported", 0},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			inv := load(t, tc.dir)
			if len(inv.Errors) == 0 || !strings.Contains(inv.Errors[0].Message, tc.want) || (tc.line > 0 && inv.Errors[0].Line != tc.line) ||
				(tc.line < 0 && (inv.Errors[0].Line < 3 || inv.Errors[0].Line > 5)) {
				t.Fatalf("errors = %+v, want %q at line %d", inv.Errors, tc.want, tc.line)
			}
			if !strings.HasPrefix(inv.Errors[0].Source, filepath.Base(tc.dir)+"/serverless.") {
				t.Errorf("error source %q", inv.Errors[0].Source)
			}
		})
	}
}

func TestGeneratedTemplatePreferred(t *testing.T) {
	var asked string
	cfg := quietConfig()
	cfg.LoadTemplate = func(ctx context.Context, tr *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
		asked = input
		return &inventory.Inventory{
			Functions:    []*inventory.Function{{Item: inventory.Item{ID: "MyDashapiLambdaFunction", Source: inventory.CloudFormation}}},
			FunctionURLs: []*inventory.FunctionURL{{Item: inventory.Item{ID: "MyDashapiLambdaFunctionUrl"}, Function: inventory.Of(inventory.Ref{ID: "MyDashapiLambdaFunction"}, srclocZero)}},
		}
	}
	inv := loadDir(t, filepath.Join("testdata", "generated"), cfg, scan.LoadOptions{})
	if asked != ".serverless/cloudformation-template-update-stack.json" {
		t.Fatalf("loader asked for %q", asked)
	}
	if inv.Functions[0].ID != "my-api" || inv.Functions[0].Source != inventory.Serverless || inv.FunctionURLs[0].Function.V.ID != "my-api" {
		t.Errorf("ids not remapped: %s", dumpJSON(inv))
	}
	if inv.Sources[0].Path != "generated/.serverless/cloudformation-template-update-stack.json" {
		t.Errorf("source %+v", inv.Sources)
	}
	// The template has no inline waivers: they come from the service file.
	if len(inv.Waivers) != 1 || inv.Waivers[0].ResourceID != "my-api" || inv.Waivers[0].Check != "LW-INV-07" || inv.Waivers[0].File != "generated/serverless.yml" {
		t.Errorf("waivers = %+v, want the service file's LW-INV-07 on my-api", inv.Waivers)
	}
	// Without a loader, the service file is read.
	inv = load(t, "generated")
	if len(inv.Functions) != 1 || inv.Functions[0].ID != "my-api" || inv.Sources[0].Path != "generated/serverless.yml" {
		t.Errorf("fallback: %s", dumpJSON(inv.Functions))
	}
}

func TestFind(t *testing.T) {
	src := New()
	tr := tree(t, "testdata")
	got, err := src.Find(context.Background(), tr)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"generated/serverless.yml", "globals/serverless.yml", "malformed/bomb/serverless.yml", "malformed/deep/serverless.yml",
		"malformed/yaml/serverless.yml", "perfn/serverless.yml", "typescript/serverless.ts", "url/serverless.yml", "variables/serverless.yml", "waivers/serverless.yml"}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("Find missed %s: %v", w, got)
		}
	}
	for _, g := range got {
		if strings.Contains(g, "config.yml") || strings.Contains(g, ".serverless/") {
			t.Errorf("Find took %s", g)
		}
	}
}
