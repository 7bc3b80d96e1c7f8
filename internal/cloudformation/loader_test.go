package cloudformation

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

func function(t *testing.T, inv *inventory.Inventory, id string) *inventory.Function {
	t.Helper()
	for _, f := range inv.Functions {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no function %s", id)
	return nil
}

func role(t *testing.T, inv *inventory.Inventory, id string) *inventory.Role {
	t.Helper()
	for _, r := range inv.Roles {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no role %s", id)
	return nil
}

func permission(t *testing.T, inv *inventory.Inventory, id string) *inventory.Permission {
	t.Helper()
	for _, p := range inv.Permissions {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no permission %s", id)
	return nil
}

func env(f *inventory.Function) map[string]inventory.EnvVar {
	out := map[string]inventory.EnvVar{}
	vars, _ := f.Environment.Get()
	for _, e := range vars {
		out[e.Name] = e
	}
	return out
}

func layerNames(f *inventory.Function) []string {
	var out []string
	ls, _ := f.Layers.Get()
	for _, l := range ls {
		r, _ := l.Get()
		out = append(out, r.Name)
	}
	return out
}

// inlineStatement finds the statement of a role's inline policy.
func inlineStatement(t *testing.T, r *inventory.Role, policy string, i int) iampolicy.Statement {
	t.Helper()
	for _, ip := range r.Inline {
		if ip.Name != policy {
			continue
		}
		doc, ok := ip.Document.Get()
		if !ok || len(doc.Statements) <= i {
			t.Fatalf("%s %s: document %v", r.ID, policy, ip.Document)
		}
		return doc.Statements[i]
	}
	t.Fatalf("role %s has no inline policy %s", r.ID, policy)
	return iampolicy.Statement{}
}

func attachedNames(r *inventory.Role) []string {
	var out []string
	for _, a := range r.Attached {
		ref, _ := a.Policy.Get()
		out = append(out, ref.Name)
	}
	slices.Sort(out)
	return out
}

// TestSAMGlobalsOverridden checks the merge rules on the Globals fixture:
// scalars overridden, maps merged key by key, lists concatenated with the
// global items first, IgnoreGlobals honoured.
func TestSAMGlobalsOverridden(t *testing.T) {
	inv := loadTree(t, "testdata/sam-globals")
	tests := []struct {
		name string
		fn   string
		got  func(f *inventory.Function) any
		want any
	}{
		{"plain runtime from Globals", "Plain", func(f *inventory.Function) any { return f.Runtime.V }, "python3.12"},
		{"plain tracing from Globals", "Plain", func(f *inventory.Function) any { return f.TracingMode.V }, "Active"},
		{"plain reserved concurrency from Globals", "Plain", func(f *inventory.Function) any { return f.ReservedConcurrency.V }, 5},
		{"runtime overridden", "Override", func(f *inventory.Function) any { return f.Runtime.V }, "nodejs24.x"},
		{"tracing overridden", "Override", func(f *inventory.Function) any { return f.TracingMode.V }, "PassThrough"},
		{"timeout overridden", "Override", func(f *inventory.Function) any { return f.TimeoutSeconds.V }, 900},
		{"memory kept from Globals", "Override", func(f *inventory.Function) any { return f.MemoryMB.V }, 512},
		{"environment merged key by key", "Override", func(f *inventory.Function) any {
			e := env(f)
			return []string{e["LOG_LEVEL"].Value.V, e["TABLE"].Value.V, e["FEATURE_FLAG"].Value.V}
		}, []string{"INFO", "orders", "on"}},
		{"layers concatenated, global first", "Override", layerNamesAny, []string{
			"arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:53",
			"arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:3"}},
		{"tags merged", "Override", func(f *inventory.Function) any { return f.Tags.V }, map[string]string{
			"lambda:createdBy": "SAM", "team": "orders", "env": "prod"}},
		{"logging config merged", "Override", func(f *inventory.Function) any {
			return []string{f.LogFormat.V, f.LogGroup.V}
		}, []string{"Text", "/custom/override"}},
		{"IgnoreGlobals drops tracing", "Ignoring", func(f *inventory.Function) any { return f.TracingMode.State }, inventory.Absent},
		{"IgnoreGlobals drops reserved concurrency", "Ignoring", func(f *inventory.Function) any { return f.ReservedConcurrency.State }, inventory.Absent},
		{"IgnoreGlobals keeps the rest", "Ignoring", func(f *inventory.Function) any { return f.KMSKeyARN.State }, inventory.Known},
		{"explicit role", "ExplicitRole", func(f *inventory.Function) any { return f.Role.V.ID }, "SharedRole"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := function(t, inv, tc.fn)
			if got := tc.got(f); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.fn, got, tc.want)
			}
		})
	}
	// SAM creates no role for a function with an explicit Role.
	for _, r := range inv.Roles {
		if r.ID == "ExplicitRoleRole" {
			t.Errorf("a role was created for a function with an explicit Role")
		}
	}
	// The role SAM creates for Ignoring has no X-Ray policy (no Tracing).
	if got := attachedNames(role(t, inv, "IgnoringRole")); slices.Contains(got, "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess") {
		t.Errorf("IgnoringRole attached %v, want no X-Ray policy", got)
	}
}

func layerNamesAny(f *inventory.Function) any { return layerNames(f) }

// TestSAMPolicyTemplateScopedToOneTable checks that a policy template names
// the one table it is given, as a specific ARN, never "*".
func TestSAMPolicyTemplateScopedToOneTable(t *testing.T) {
	inv := loadTree(t, "testdata/sam-policy-templates")
	r := role(t, inv, "WorkerRole")
	tests := []struct {
		name      string
		policy    string
		actions   []string
		resources []string
	}{
		{"DynamoDBReadPolicy on one table", "WorkerRolePolicy0",
			[]string{"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"},
			[]string{"arn:aws:dynamodb:<region>:<account>:table/orders", "arn:aws:dynamodb:<region>:<account>:table/orders/index/*"}},
		{"DynamoDBCrudPolicy on a table without a name uses its logical ID", "WorkerRolePolicy1", nil,
			[]string{"arn:aws:dynamodb:<region>:<account>:table/Audit", "arn:aws:dynamodb:<region>:<account>:table/Audit/index/*"}},
		{"S3ReadPolicy on one bucket", "WorkerRolePolicy3", nil,
			[]string{"arn:aws:s3:::uploads-dev", "arn:aws:s3:::uploads-dev/*"}},
		{"SQSPollerPolicy on one queue", "WorkerRolePolicy4", nil,
			[]string{"arn:aws:sqs:<region>:<account>:Jobs"}},
		{"secret by ARN", "WorkerRolePolicy5", []string{"secretsmanager:GetSecretValue"},
			[]string{"arn:aws:secretsmanager:<region>:<account>:secret:orders/db"}},
		{"function by name", "WorkerRolePolicy8", []string{"lambda:InvokeFunction"},
			[]string{"arn:aws:lambda:<region>:<account>:function:Helper*"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := inlineStatement(t, r, tc.policy, 0)
			if tc.actions != nil && !reflect.DeepEqual(s.Actions, tc.actions) {
				t.Errorf("actions = %v, want %v", s.Actions, tc.actions)
			}
			if !reflect.DeepEqual(s.Resources, tc.resources) {
				t.Errorf("resources = %v, want %v", s.Resources, tc.resources)
			}
			if len(s.Unknown) > 0 {
				t.Errorf("unknown parts %v", s.Unknown)
			}
			if s.Loc.File != "sam-policy-templates/template.yaml" || s.Loc.Line == 0 {
				t.Errorf("statement location = %v, want the policy template's line", s.Loc)
			}
		})
	}
	// The conditional S3CrudPolicy exists only in prod.
	for _, ip := range r.Inline {
		if ip.Name == "WorkerRolePolicy11" {
			t.Errorf("WorkerRolePolicy11 (prod only) present in dev")
		}
	}
	prod := loadTree(t, "testdata/sam-policy-templates", "Stage=prod")
	if s := inlineStatement(t, role(t, prod, "WorkerRole"), "WorkerRolePolicy11", 0); !slices.Contains(s.Resources, "arn:aws:s3:::uploads-prod/*") {
		t.Errorf("prod S3CrudPolicy resources = %v", s.Resources)
	}
	wantAttached := []string{
		"arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
		"arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
	}
	if got := attachedNames(r); !reflect.DeepEqual(got, wantAttached) {
		t.Errorf("attached = %v, want %v", got, wantAttached)
	}
}

// TestSAMEventPermissions checks the implicit permissions Events create.
func TestSAMEventPermissions(t *testing.T) {
	inv := loadTree(t, "testdata/sam-events")
	cond := func(p *inventory.Permission, key string) []string {
		for _, c := range p.Statement.Conditions {
			if strings.EqualFold(c.Key, key) {
				return c.Values
			}
		}
		return nil
	}
	tests := []struct {
		id, principal, sourceArn, sourceAccount string
	}{
		{"PushImplicitGetPermissionProd", "apigateway.amazonaws.com", "arn:aws:execute-api:<region>:<account>:ServerlessRestApi/*/GET/items/*", ""},
		{"PushExplicitPostPermissionv1", "apigateway.amazonaws.com", "arn:aws:execute-api:<region>:<account>:Api/*/POST/items", ""},
		{"PushHttpJwtPermission", "apigateway.amazonaws.com", "arn:aws:execute-api:<region>:<account>:Http/*/GET/j/*", ""},
		{"PushUploadPermission", "s3.amazonaws.com", "", "<account>"},
		{"PushNotePermission", "sns.amazonaws.com", "arn:aws:sns:<region>:<account>:Topic", ""},
		{"PushNightlyPermission", "events.amazonaws.com", "arn:aws:events:<region>:<account>:rule/PushNightly", ""},
		{"PushEc2Permission", "events.amazonaws.com", "arn:aws:events:<region>:<account>:rule/PushEc2", ""},
		{"PushLegacyPermission", "events.amazonaws.com", "arn:aws:events:<region>:<account>:rule/PushLegacy", ""},
		{"PushLogsPermission", "logs.amazonaws.com", "arn:aws:logs:<region>:<account>:log-group:/app/access:*", ""},
		{"PushIotPermission", "iot.amazonaws.com", "arn:aws:iot:<region>:<account>:rule/PushIot", "<account>"},
		{"PushAliasliveCognitoPermission", "cognito-idp.amazonaws.com", "arn:aws:cognito-idp:<region>:<account>:userpool/Pool", ""},
		{"ApiTokenAuthAuthorizerPermission", "apigateway.amazonaws.com", "arn:aws:execute-api:<region>:<account>:Api/authorizers/*", ""},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			p := permission(t, inv, tc.id)
			if got := p.Statement.Principal.Service; !slices.Equal(got, []string{tc.principal}) {
				t.Errorf("principal = %v, want %s", got, tc.principal)
			}
			if got := cond(p, "aws:SourceArn"); tc.sourceArn == "" && got != nil || tc.sourceArn != "" && !slices.Equal(got, []string{tc.sourceArn}) {
				t.Errorf("SourceArn = %v, want %q", got, tc.sourceArn)
			}
			if got := cond(p, "aws:SourceAccount"); tc.sourceAccount == "" && got != nil || tc.sourceAccount != "" && !slices.Equal(got, []string{tc.sourceAccount}) {
				t.Errorf("SourceAccount = %v, want %q", got, tc.sourceAccount)
			}
			if p.Loc.Line == 0 {
				t.Errorf("permission has no location")
			}
		})
	}
	// Events on a function with AutoPublishAlias point at the alias.
	if p := permission(t, inv, "PushNotePermission"); p.Function.V.ID != "Push" || p.Qualifier.V != "live" {
		t.Errorf("PushNotePermission function = %v qualifier = %v, want Push / live", p.Function, p.Qualifier)
	}
	// Poll-based sources create no permission but add managed policies.
	for _, p := range inv.Permissions {
		if strings.HasPrefix(p.ID, "Poll") {
			t.Errorf("unexpected permission %s for a poll-based event", p.ID)
		}
	}
	want := []string{
		"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
	}
	if got := attachedNames(role(t, inv, "PollRole")); !reflect.DeepEqual(got, want) {
		t.Errorf("PollRole attached = %v, want %v", got, want)
	}
}

// TestUnresolvableIsUnknown checks that what cannot be resolved is UNKNOWN,
// never a value a check could PASS.
func TestUnresolvableIsUnknown(t *testing.T) {
	inv := loadTree(t, "testdata/sam-unknown")
	f := function(t, inv, "Fn")
	e := env(f)
	tests := []struct {
		name      string
		v         inventory.Value[string]
		reference bool
		state     inventory.State
	}{
		{"parameter without value", e["BUCKET"].Value, e["BUCKET"].Reference, inventory.Unknown},
		{"NoEcho parameter", e["API_TOKEN"].Value, e["API_TOKEN"].Reference, inventory.Unknown},
		{"imported value", e["IMPORTED"].Value, e["IMPORTED"].Reference, inventory.Unknown},
		{"custom resource attribute is a specific placeholder", e["EXTRA"].Value, e["EXTRA"].Reference, inventory.Known},
		{"macro", e["MACRO"].Value, !e["MACRO"].Reference, inventory.Unknown},
		{"timeout from an import", inventory.Value[string]{State: f.TimeoutSeconds.State, Why: f.TimeoutSeconds.Why}, true, inventory.Unknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.v.State != tc.state {
				t.Errorf("state = %v, want %v (%v)", tc.v.State, tc.state, tc.v)
			}
			if tc.state == inventory.Unknown && tc.v.Why == "" {
				t.Errorf("unknown without a reason")
			}
			if !tc.reference {
				t.Errorf("reference flag wrong")
			}
		})
	}
	if f.ReservedConcurrency.State != inventory.Absent {
		t.Errorf("ReservedConcurrentExecutions: !Ref AWS::NoValue = %v, want absent", f.ReservedConcurrency)
	}
	if len(inv.FunctionURLs) != 1 || !inv.FunctionURLs[0].AuthType.IsUnknown() {
		t.Fatalf("function URL auth type = %+v, want unknown", inv.FunctionURLs)
	}
	for _, i := range []int{0, 1} {
		if s := inlineStatement(t, role(t, inv, "FnRole"), "FnRolePolicy0", i); !slices.Contains(s.Unknown, "Resource") || len(s.Resources) != 0 {
			t.Errorf("statement %d: resources %v unknown %v, want Resource unknown", i, s.Resources, s.Unknown)
		}
	}
}

func TestNestedStacks(t *testing.T) {
	inv := loadTree(t, "testdata/nested")
	if len(inv.Functions) != 1 {
		t.Fatalf("functions = %d, want 1 (the child is read through its parent only)", len(inv.Functions))
	}
	f := function(t, inv, "Api.Handler")
	if f.Name.V != "prod-handler" {
		t.Errorf("name = %v, want prod-handler (the parent's Stage)", f.Name)
	}
	if f.Role.V.ID != "SharedRole" {
		t.Errorf("role = %+v, want the parent's SharedRole", f.Role.V)
	}
	if f.ReservedConcurrency.V != 100 {
		t.Errorf("reserved = %v, want 100 (condition on the passed Stage)", f.ReservedConcurrency)
	}
	if f.Loc.File != "nested/stacks/api.yaml" || f.Origin != "nested/parent.yaml" {
		t.Errorf("loc = %v origin = %s, want the child file and the parent origin", f.Loc, f.Origin)
	}
	e := env(f)
	if v := e["TABLE_ARN"]; v.Value.V != "arn:aws:dynamodb:<region>:<account>:table/orders" || !v.Reference {
		t.Errorf("TABLE_ARN = %+v, want the sibling stack's output, a reference", v)
	}
	if v := e["API_KEY"]; v.Value.V != "literal-from-parent" || v.Reference {
		t.Errorf("API_KEY = %+v, want the literal the parent writes, not a reference", v)
	}
	p := permission(t, inv, "Api.Invoke")
	if p.Function.V.ID != "Api.Handler" {
		t.Errorf("permission function = %+v", p.Function.V)
	}
	if st := inlineStatement(t, role(t, inv, "SharedRole"), "table", 0); !slices.Equal(st.Resources, []string{"arn:aws:dynamodb:<region>:<account>:table/orders"}) {
		t.Errorf("child policy on the parent's role: %v", st.Resources)
	}
	var msgs []string
	for _, e := range inv.Errors {
		msgs = append(msgs, e.Message)
	}
	for _, want := range []string{"nested stack Missing: template nested/stacks/missing.yaml not found", "nests itself"} {
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, want) }) {
			t.Errorf("errors %v, want one containing %q", msgs, want)
		}
	}
}

func TestCDKAssets(t *testing.T) {
	inv := loadTree(t, "../../examples/cdk")
	tests := []struct {
		id   string
		path string
	}{
		{"OrdersHandler4E5D3E3C", "cdk/cdk.out/asset.59bb0fff09fe5e39712f2cfd027f6ac10994de38e23501f3333a25eaf89f484e"},
		{"WebHandler7B4A8D5C", "cdk/cdk.out/asset.de7c512c3cfcedeca369e3f57d9a3ff2da07c01d4140a0b9d9f152c9d1e5b6e0"},
	}
	for _, tc := range tests {
		f := function(t, inv, tc.id)
		if got := f.Package.V.Path; got != tc.path {
			t.Errorf("%s package path = %q, want %q", tc.id, got, tc.path)
		}
		if _, err := os.Stat(filepath.Join("../../examples", tc.path)); err != nil {
			t.Errorf("%s: asset folder: %v", tc.id, err)
		}
		if f.Tags.V["team"] != "orders" {
			t.Errorf("%s tags = %v, want the stack tag team=orders", tc.id, f.Tags)
		}
	}
	// Without aws:asset:path the S3 key is looked up in the asset manifest.
	if got := assetByKey(t); got != "cdk/cdk.out/asset.59bb0fff09fe5e39712f2cfd027f6ac10994de38e23501f3333a25eaf89f484e" {
		t.Errorf("asset by object key = %q", got)
	}
}

func assetByKey(t *testing.T) string {
	dir := t.TempDir()
	out := filepath.Join(dir, "cdk", "cdk.out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"manifest.json", "OrdersStack.assets.json"} {
		data, err := os.ReadFile(filepath.Join("../../examples/cdk/cdk.out", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tmpl := `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "b", "S3Key": "59bb0fff09fe5e39712f2cfd027f6ac10994de38e23501f3333a25eaf89f484e.zip"}}}}}`
	if err := os.WriteFile(filepath.Join(out, "OrdersStack.template.json"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := loadTree(t, filepath.Join(dir, "cdk"))
	return function(t, inv, "Fn").Package.V.Path
}

func TestLocations(t *testing.T) {
	inv := loadTree(t, "../../examples/sam")
	tests := []struct {
		name string
		got  srcloc.Location
		want srcloc.Location
	}{
		{"function at its logical ID", function(t, inv, "OrdersFunction").Loc, srcloc.Location{File: "sam/template.yaml", Line: 76, Column: 3}},
		{"runtime from Globals at the Globals line", function(t, inv, "OrdersFunction").Runtime.Loc, srcloc.Location{File: "sam/template.yaml", Line: 21, Column: 14}},
		{"URL at FunctionUrlConfig", inv.FunctionURLs[0].Loc, srcloc.Location{File: "sam/template.yaml", Line: 152, Column: 7}},
		{"implicit role at Policies", role(t, inv, "PublicFunctionRole").Loc, srcloc.Location{File: "sam/template.yaml", Line: 160, Column: 7}},
		{"policy template statement at the template entry", inlineStatement(t, role(t, inv, "OrdersFunctionRole"), "OrdersFunctionRolePolicy0", 0).Loc,
			srcloc.Location{File: "sam/template.yaml", Line: 94, Column: 11}},
		{"env var value", env(function(t, inv, "PublicFunction"))["API_TOKEN"].Value.Loc, srcloc.Location{File: "sam/template.yaml", Line: 159, Column: 22}},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: location %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	w := inv.Waivers
	if len(w) != 1 || w[0].ResourceID != "PublicFunction" || w[0].StartLine != 140 || w[0].EndLine != 161 || w[0].Expires != "2027-06-30" {
		t.Errorf("waivers = %+v", w)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"infra/app.yaml":            "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
		"infra/sam.yml":             "Transform: AWS::Serverless-2016-10-31\nResources: {}\n",
		"infra/no-version.json":     `{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}`,
		"infra/no-version.yaml":     "Resources:\n  T:\n    Type: \"AWS::SNS::Topic\"\n",
		"infra/stack.template":      "Resources:\n  T:\n    Type: AWS::SNS::Topic\n",
		"infra/parent.yaml":         "Resources:\n  C:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: child.yaml}\n",
		"infra/child.yaml":          "Resources:\n  T:\n    Type: AWS::SNS::Topic\n",
		"cdk.out/App.template.json": `{}`,
		"cdk.out/manifest.json":     `{"version": "36.0.0"}`,
		"cdk.out/App.assets.json":   `{"files": {}}`,
		"serverless.yml":            "service: x\nprovider:\n  name: aws\nresources:\n  Resources:\n    T:\n      Type: AWS::SNS::Topic\n",
		"svc/other-name.yml":        "service: x\nprovider:\n  name: aws\nresources:\n  Resources:\n    T:\n      Type: AWS::SNS::Topic\n",
		".serverless/cloudformation-template-update-stack.json": `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`,
		".aws-sam/build/template.yaml":                          "Transform: AWS::Serverless-2016-10-31\nResources: {}\n",
		"plan.json":                                             `{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"Resources": {"Type": "AWS::X::Y"}}}`,
		"k8s.yaml":                                              "apiVersion: v1\nkind: ConfigMap\n",
		"notes.md":                                              "AWSTemplateFormatVersion\n",
		"docs/example.json":                                     `{"Type": "AWS::SNS::Topic"}`,
	}
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A big file: only its head is read.
	big := "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n# " + strings.Repeat("x", 10<<20) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := scan.NewTree(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := New().Find(context.Background(), tree)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"big.yaml", "cdk.out/App.template.json", "infra/app.yaml", "infra/no-version.json",
		"infra/no-version.yaml", "infra/parent.yaml", "infra/sam.yml", "infra/stack.template"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Find = %v\nwant   %v", got, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Find(ctx, tree); err == nil {
		t.Errorf("Find with a cancelled context: no error")
	}
}

func TestSingleFileTree(t *testing.T) {
	inv := loadTree(t, "testdata/nested/parent.yaml")
	// The named file displays as its base name; the child beside it too.
	if len(inv.Functions) != 1 || inv.Functions[0].Loc.File != "stacks/api.yaml" {
		t.Fatalf("functions = %+v, want Api.Handler read from the child next to the named file", inv.Functions)
	}
	if inv.Sources[0].Path != "parent.yaml" {
		t.Errorf("source path = %q", inv.Sources[0].Path)
	}
}

func TestCFNParamErrors(t *testing.T) {
	inv := loadTree(t, "testdata/cfn-intrinsics", "NoEquals")
	if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Message, "not KEY=VALUE") {
		t.Errorf("errors = %+v, want one for the malformed --cfn-param", inv.Errors)
	}
}

func TestSAMApplicationNested(t *testing.T) {
	inv := loadTree(t, "testdata/sam-nested")
	charge := function(t, inv, "Billing.Charge")
	if got := env(charge)["CURRENCY"].Value.V; got != "EUR" {
		t.Errorf("CURRENCY = %q, want EUR from the parent's Parameters", got)
	}
	if got := layerNames(charge); len(got) != 1 || got[0] != "arn:aws:lambda:<region>:<account>:layer:shared-libs:<Shared.Version>" {
		t.Errorf("layers = %v, want the parent's layer", got)
	}
	if l, _ := charge.Layers.Get(); len(l) != 1 || l[0].V.ID != "Shared" {
		t.Errorf("layer reference = %+v, want the parent's Shared", l)
	}
	if charge.Package.V.Path != "sam-nested/src" {
		t.Errorf("package = %+v, want the CodeUri relative to the child template", charge.Package.V)
	}
	front := env(function(t, inv, "Front"))["BILLING_FUNCTION"]
	if front.Value.V != "arn:aws:lambda:<region>:<account>:function:Billing.Charge" || !front.Reference {
		t.Errorf("output of the nested application = %+v", front)
	}
	if len(inv.Waivers) != 1 || inv.Waivers[0].ResourceID != "Billing.Charge" || inv.Waivers[0].File != "sam-nested/apps/billing/template.yaml" {
		t.Errorf("waivers = %+v, want the child's waiver under its prefixed ID", inv.Waivers)
	}
}
