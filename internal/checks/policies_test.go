package checks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Builders for the IAM checks' tests. Inventories are built in Go, as a
// Terraform source would fill them: function aws_lambda_function.f named
// "orders" (lines 1-3 of main.tf), its role aws_iam_role.r "orders-role"
// (line 20), policies and statements at the lines the cases give.

const (
	iamTestFn       = "aws_lambda_function.f"
	iamTestRole     = "aws_iam_role.r"
	iamBasicExecARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
)

func iamLoc(line int) srcloc.Location { return srcloc.Location{File: "main.tf", Line: line} }

// iamFunction is a Terraform function whose role is the role with roleID.
func iamFunction(id, name, roleID string) *inventory.Function {
	return &inventory.Function{
		Item: inventory.Item{ID: id, Source: inventory.Terraform, Origin: ".", Loc: iamLoc(1)},
		Name: inventory.Of(name, iamLoc(2)),
		Role: inventory.Of(inventory.Ref{ID: roleID}, iamLoc(3)),
	}
}

// iamLambdaTrust is the usual execution-role trust policy.
func iamLambdaTrust() *iampolicy.Policy {
	return iamPolicy(iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"sts:AssumeRole"},
		Principal: &iampolicy.Principal{Service: []string{"lambda.amazonaws.com"}}, Loc: iamLoc(24)})
}

// iamRole is a Terraform role trusted by Lambda, with no policies.
func iamRole(id, name string) *inventory.Role {
	return &inventory.Role{
		Item:        inventory.Item{ID: id, Source: inventory.Terraform, Origin: ".", Loc: iamLoc(20)},
		Name:        inventory.Of(name, iamLoc(21)),
		TrustPolicy: inventory.Of(iamLambdaTrust(), iamLoc(22)),
	}
}

func iamPolicy(sts ...iampolicy.Statement) *iampolicy.Policy {
	return &iampolicy.Policy{Version: "2012-10-17", Statements: sts}
}

// iamAllow is an Allow statement of actions on resources, written at line.
func iamAllow(sid string, line int, actions []string, resources ...string) iampolicy.Statement {
	return iampolicy.Statement{Sid: sid, Effect: iampolicy.Allow, Actions: actions, Resources: resources, Loc: iamLoc(line)}
}

// iamDeny is a Deny statement of actions on resources.
func iamDeny(sid string, line int, actions []string, resources ...string) iampolicy.Statement {
	return iampolicy.Statement{Sid: sid, Effect: iampolicy.Deny, Actions: actions, Resources: resources, Loc: iamLoc(line)}
}

func iamActs(a ...string) []string { return a }

// iamWithInline adds an inline policy written at line.
func iamWithInline(r *inventory.Role, name string, line int, sts ...iampolicy.Statement) *inventory.Role {
	r.Inline = append(r.Inline, inventory.InlinePolicy{Name: name, Document: inventory.Of(iamPolicy(sts...), iamLoc(line)), Loc: iamLoc(line)})
	return r
}

// iamWithAttached attaches the managed policy with this ARN (or, for a
// customer-managed policy of the inventory, ID) at line.
func iamWithAttached(r *inventory.Role, ref inventory.Ref, line int) *inventory.Role {
	r.Attached = append(r.Attached, inventory.PolicyAttachment{Policy: inventory.Of(ref, iamLoc(line)), Loc: iamLoc(line)})
	return r
}

func iamARNRef(arn string) inventory.Ref { return inventory.Ref{Name: arn} }

// iamManaged is a customer-managed policy of the scanned code.
func iamManaged(id, name string, sts ...iampolicy.Statement) *inventory.ManagedPolicy {
	return &inventory.ManagedPolicy{
		Item:     inventory.Item{ID: id, Source: inventory.Terraform, Origin: ".", Loc: iamLoc(60)},
		Name:     inventory.Of(name, iamLoc(61)),
		Document: inventory.Of(iamPolicy(sts...), iamLoc(62)),
	}
}

// iamElsewhere attaches a customer-managed policy defined outside the scanned code.
func iamElsewhere(r *inventory.Role) *inventory.Role {
	return iamWithAttached(r, iamARNRef("arn:aws:iam::123456789012:policy/shared-platform"), 40)
}

// iamSingle is an inventory of one function using role r (and more items).
func iamSingle(r *inventory.Role, mps ...*inventory.ManagedPolicy) *inventory.Inventory {
	return &inventory.Inventory{
		Sources:         []inventory.Source{{Kind: inventory.Terraform, Path: "."}},
		Functions:       []*inventory.Function{iamFunction(iamTestFn, "orders", r.ID)},
		Roles:           []*inventory.Role{r},
		ManagedPolicies: mps,
	}
}

// iamBasicRole is the role with only AWSLambdaBasicExecutionRole attached.
func iamBasicRole() *inventory.Role {
	return iamWithAttached(iamRole(iamTestRole, "orders-role"), iamARNRef(iamBasicExecARN), 30)
}

// iamCase is one named case of a check's table.
type iamCase struct {
	name     string
	inv      *inventory.Inventory
	settings func(*Settings)
	fn       string // the function to look at; iamTestFn when empty
	// edit, when set, changes the inventory's first function.
	edit     func(*inventory.Function)
	want     result.Status
	noResult bool
	msg      []string // substrings the message must hold
	notMsg   []string // substrings it must not hold
	line     int      // the location's line, when non-zero
}

// runIAMCases runs c over each case's inventory and compares the finding
// for the case's function.
func runIAMCases(t *testing.T, c *Check, cases []iamCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.edit != nil {
				tc.edit(tc.inv.Functions[0])
			}
			env := &Env{Index: inventory.NewIndex(tc.inv), Settings: DefaultSettings(),
				Now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
			if tc.settings != nil {
				tc.settings(&env.Settings)
			}
			id := tc.fn
			if id == "" {
				id = iamTestFn
			}
			var got []Finding
			for _, fd := range c.Run(env) {
				if fd.Resource.ID == id {
					got = append(got, fd)
				}
			}
			if tc.noResult {
				if len(got) != 0 {
					t.Fatalf("want no result, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one result for %s, got %d: %+v", id, len(got), got)
			}
			fd := got[0]
			if fd.Status != tc.want {
				t.Errorf("status = %s, want %s (message %q)", fd.Status, tc.want, fd.Message)
			}
			for _, s := range tc.msg {
				if !strings.Contains(fd.Message, s) {
					t.Errorf("message %q does not contain %q", fd.Message, s)
				}
			}
			for _, s := range tc.notMsg {
				if strings.Contains(fd.Message, s) {
					t.Errorf("message %q contains %q", fd.Message, s)
				}
			}
			if tc.line != 0 && fd.Location.Line != tc.line {
				t.Errorf("location = %s, want line %d", fd.Location, tc.line)
			}
			if fd.Resource.Kind != result.KindFunction || fd.Resource.Name == "" {
				t.Errorf("resource = %+v, want the function", fd.Resource)
			}
			if fd.Message == "" {
				t.Error("empty message")
			}
		})
	}
}

// The functions EXP-01 calls keep their names and type.
var (
	_ FunctionEval = evalIAM02
	_ FunctionEval = evalIAM05
	_ FunctionEval = evalIAM08
	_ FunctionEval = evalIAM09
)

func TestPoliciesCatalogEntries(t *testing.T) {
	type meta struct {
		title    string
		sev      result.Severity
		controls string
		live     bool // LIVE only
		off      bool
	}
	want := map[string]meta{
		"LW-IAM-01": {"One execution role per function", result.High, "CC6.1 CC6.3", false, false},
		"LW-IAM-02": {"No administrator-level policy", result.Critical, "CC6.3", false, false},
		"LW-IAM-03": {"No broad AWS-managed FullAccess policies", result.High, "CC6.3", false, false},
		"LW-IAM-04": {"No wildcard actions", result.High, "CC6.3", false, false},
		"LW-IAM-05": {"No write or permissions-management actions on Resource `*`", result.High, "CC6.3", false, false},
		"LW-IAM-06": {"Read access scoped to specific resources", result.Medium, "CC6.3", false, false},
		"LW-IAM-07": {"Log permissions scoped to the function's own log group", result.Low, "CC6.3", false, false},
		"LW-IAM-08": {"Secrets and keys scoped to specific ARNs", result.High, "CC6.1 C1.1", false, false},
		"LW-IAM-09": {"No privilege-escalation paths", result.Critical, "CC6.3", false, false},
		"LW-IAM-10": {"Trust policy limited to Lambda", result.High, "CC6.1", false, false},
		"LW-IAM-11": {"No unused permissions", result.Medium, "CC6.3", true, false},
		"LW-IAM-12": {"Permissions boundary attached", result.Info, "CC6.3", false, true},
		"LW-LOG-08": {"Role can write its logs", result.Medium, "CC7.2", false, false},
		"LW-NET-01": {"In a VPC where required", result.Low, "CC6.6", false, false},
	}
	got := iamChecks()
	if len(got) != len(want) {
		t.Fatalf("iamChecks() has %d checks, want %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for _, c := range got {
		w, ok := want[c.ID]
		if !ok || seen[c.ID] {
			t.Errorf("unexpected or duplicate check %s", c.ID)
			continue
		}
		seen[c.ID] = true
		if c.Title != w.title || c.Severity != w.sev || strings.Join(c.Controls, " ") != w.controls || c.DefaultOff != w.off {
			t.Errorf("%s metadata = %q %s %v off=%v, want %q %s %s off=%v", c.ID, c.Title, c.Severity, c.Controls, c.DefaultOff, w.title, w.sev, w.controls, w.off)
		}
		fams := iacAndLive()
		if w.live {
			fams = liveOnly()
		}
		if len(c.Families) != len(fams) {
			t.Errorf("%s families = %v, want %v", c.ID, c.Families, fams)
		}
		for i := range fams {
			if i < len(c.Families) && c.Families[i] != fams[i] {
				t.Errorf("%s families = %v, want %v", c.ID, c.Families, fams)
			}
		}
		if c.Semantics == "" || !strings.HasSuffix(c.Remediation, ".") || c.Run == nil {
			t.Errorf("%s lacks semantics, a remediation sentence or Run", c.ID)
		}
	}
}

func TestPoliciesGather(t *testing.T) {
	role := iamRole(iamTestRole, "orders-role")
	iamWithInline(role, "orders", 30, iamAllow("Write", 31, iamActs("dynamodb:PutItem"), "*"))
	iamWithAttached(role, inventory.Ref{ID: "aws_iam_policy.p"}, 40)
	iamWithAttached(role, iamARNRef(iamBasicExecARN), 41)
	iamWithAttached(role, iamARNRef("arn:aws:iam::aws:policy/LambdawardenNoSuchPolicy"), 42)
	iamWithAttached(role, iamARNRef("arn:aws:iam::123456789012:policy/shared-platform"), 43)
	role.Attached = append(role.Attached, inventory.PolicyAttachment{
		Policy: inventory.UnknownValue[inventory.Ref]("var.extra_policy has no value", iamLoc(44)), Loc: iamLoc(44)})
	role.Inline = append(role.Inline, inventory.InlinePolicy{Name: "templated",
		Document: inventory.UnknownValue[*iampolicy.Policy]("known after apply", iamLoc(50)), Loc: iamLoc(50)})
	inv := iamSingle(role, iamManaged("aws_iam_policy.p", "orders-extra", iamAllow("", 63, iamActs("sqs:SendMessage"), "*")))
	env := &Env{Index: inventory.NewIndex(inv), Settings: DefaultSettings()}

	ps := gatherRolePolicies(env, inv.Functions[0])
	if ps.Role != role || ps.RoleName != "orders-role" {
		t.Fatalf("role = %v %q", ps.Role, ps.RoleName)
	}
	var docs []string
	for _, d := range ps.Docs {
		docs = append(docs, d.Label()+"@"+d.Loc.String())
	}
	wantDocs := `inline policy "orders"@main.tf:30|customer-managed policy "orders-extra"@main.tf:40|AWS-managed policy AWSLambdaBasicExecutionRole@main.tf:41`
	if got := strings.Join(docs, "|"); got != wantDocs {
		t.Errorf("docs = %s\nwant   %s", got, wantDocs)
	}
	wantGaps := []struct {
		kind rolePolicyGapKind
		text string
		line int
	}{
		{gapInline, `inline policy "templated" has an unknown document (known after apply)`, 50},
		{gapAWSManaged, "AWS-managed policy arn:aws:iam::aws:policy/LambdawardenNoSuchPolicy is not in the bundled snapshot", 42},
		{gapCustomerManaged, "customer-managed policy arn:aws:iam::123456789012:policy/shared-platform is defined outside the scanned code", 43},
		{gapAttachment, "an attached policy's ARN is unknown (var.extra_policy has no value)", 44},
	}
	if len(ps.Gaps) != len(wantGaps) {
		t.Fatalf("gaps = %+v", ps.Gaps)
	}
	for i, w := range wantGaps {
		g := ps.Gaps[i]
		if g.Kind != w.kind || g.What != w.text || g.Loc.Line != w.line {
			t.Errorf("gap %d = %+v, want %+v", i, g, w)
		}
	}
	if len(ps.Attachments) != 5 || !ps.Attachments[1].AWSManaged || ps.Attachments[1].Name != "AWSLambdaBasicExecutionRole" {
		t.Errorf("attachments = %+v", ps.Attachments)
	}
	st := ps.statements(nil)
	if len(st) != 3 || st[0].Label() != `inline policy "orders" statement "Write"` || st[0].Loc().Line != 31 {
		t.Errorf("statements = %+v", st)
	}
	if st[2].Label() != "AWS-managed policy AWSLambdaBasicExecutionRole" || st[2].Loc().Line != 41 {
		t.Errorf("AWS-managed statement = %s at %s", st[2].Label(), st[2].Loc())
	}
}

func TestPoliciesGatherRoleOutside(t *testing.T) {
	cases := []struct {
		name string
		role inventory.Value[inventory.Ref]
		want string
	}{
		{"literal ARN of a role defined elsewhere", inventory.Of(iamARNRef("arn:aws:iam::123456789012:role/legacy"), iamLoc(3)),
			"execution role arn:aws:iam::123456789012:role/legacy is defined outside the scanned code"},
		{"unknown role", inventory.UnknownValue[inventory.Ref]("var.role_arn has no value", iamLoc(3)),
			"the execution role is unknown (var.role_arn has no value)"},
		{"no role", inventory.Value[inventory.Ref]{}, "the function has no execution role set"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := iamSingle(iamBasicRole())
			inv.Functions[0].Role = tc.role
			ps := gatherRolePolicies(&Env{Index: inventory.NewIndex(inv)}, inv.Functions[0])
			if ps.Role != nil || len(ps.Docs) != 0 || len(ps.Gaps) != 1 || ps.Gaps[0].Kind != gapRole || ps.Gaps[0].What != tc.want {
				t.Errorf("got role %v docs %d gaps %+v", ps.Role, len(ps.Docs), ps.Gaps)
			}
		})
	}
}

func TestPoliciesResourcePatterns(t *testing.T) {
	c := iampolicy.DefaultCatalog()
	lookup := func(name string) iampolicy.Action {
		a, ok := c.Lookup(name)
		if !ok {
			t.Fatalf("catalog lacks %s", name)
		}
		return a
	}
	cases := []struct {
		action, pattern     string
		all, wide, specific bool
	}{
		{"s3:GetObject", "*", true, true, false},
		{"s3:GetObject", "arn:aws:*", true, true, false},
		{"s3:GetObject", "arn:aws:s3:::*", false, true, false},
		{"s3:GetObject", "arn:aws:s3:::*/*", false, true, false},
		{"s3:GetObject", "arn:aws:s3:::orders-bucket/*", false, false, false},
		{"s3:GetObject", "arn:aws:s3:::orders-bucket/invoice.pdf", false, false, true},
		{"dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/*", false, true, false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/*", false, true, false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:<region>:<account>:table/*", false, true, false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:<region>:<account>:table/orders", false, false, true},
		{"dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/orders-*", false, false, false},
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:*", false, true, false},
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:<region>:<account>:secret:orders/*", false, false, false},
		{"ssm:GetParameter", "arn:aws:ssm:*:*:parameter/*", false, true, false},
		{"ssm:GetParameter", "arn:aws:ssm:<region>:<account>:parameter/orders/*", false, false, false},
		{"kms:Decrypt", "arn:aws:kms:*:123456789012:key/*", false, true, false},
		{"kms:Decrypt", "arn:aws:kms:<region>:<account>:key/1234abcd-12ab-34cd-56ef-1234567890ab", false, false, true},
		{"iam:PassRole", "arn:aws:iam::<account>:role/${aws:username}", false, false, true},
	}
	for _, tc := range cases {
		a := lookup(tc.action)
		if got := iamAllResources(tc.pattern); got != tc.all {
			t.Errorf("iamAllResources(%q) = %v", tc.pattern, got)
		}
		if got := iamServiceWide(c, a, tc.pattern); got != tc.wide {
			t.Errorf("iamServiceWide(%s, %q) = %v", tc.action, tc.pattern, got)
		}
		if got := iamSpecificARN(tc.pattern); got != tc.specific {
			t.Errorf("iamSpecificARN(%q) = %v", tc.pattern, got)
		}
	}
}

func TestPoliciesLogPatternWider(t *testing.T) {
	const g = "/aws/lambda/orders"
	cases := []struct {
		pattern     string
		known, want bool
	}{
		{"*", true, true},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:*", true, false},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:*", true, false},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:log-stream:*", true, false},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders", true, false},
		{"arn:*:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:*", true, false},
		{"arn:aws:logs:*:*:log-group:/aws/lambda/orders:*", true, true},
		{"arn:aws:logs:us-east-1:*:log-group:/aws/lambda/orders:*", true, true},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/*", true, true},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders*", true, true},
		{"arn:aws:logs:<region>:<account>:log-group:*", true, true},
		{"arn:aws:logs:<region>:<account>:*", true, true},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/other:*", true, false},
		{"arn:aws:logs:*:*:log-group:/aws/lambda/other:*", true, false},
		{"arn:aws:logs:*:*:log-group:/aws/lambda-insights:*", true, false},
		{"arn:aws:logs:*:*:log-group:/aws/lambda-insights:*", false, false},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/${aws:username}:*", true, false},
		{"arn:aws:*:<region>:<account>:log-group:/aws/lambda/orders:*", true, true},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/order?:*", true, true},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/x:*", false, false},
		{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/*", false, true},
	}
	for _, tc := range cases {
		if got := logPatternWider(tc.pattern, g, tc.known); got != tc.want {
			t.Errorf("logPatternWider(%q, known=%v) = %v, want %v", tc.pattern, tc.known, got, tc.want)
		}
	}
}

func TestPoliciesWording(t *testing.T) {
	cases := []struct {
		name  string
		items []string
		max   int
		want  string
	}{
		{"short", []string{"a", "b"}, 3, "a, b"},
		{"exact", []string{"a", "b", "c"}, 3, "a, b, c"},
		{"capped", []string{"a", "b", "c", "d", "e"}, 3, "a, b, c, and 2 more"},
		{"empty", nil, 3, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := iamList(tc.items, tc.max); got != tc.want {
				t.Errorf("iamList = %q, want %q", got, tc.want)
			}
		})
	}
	if got := iamFillTemplate("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "aws", "r", "a", "n"); got != "arn:aws:s3:::n/n" {
		t.Errorf("iamFillTemplate = %q", got)
	}
	if got := iamFillTemplate("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}", "aws", "<region>", "<account>", "n"); got != "arn:aws:dynamodb:<region>:<account>:table/n" {
		t.Errorf("iamFillTemplate = %q", got)
	}
}

// iamBareRole is the test role without policies.
func iamBareRole() *inventory.Role { return iamRole(iamTestRole, "orders-role") }

// TestPoliciesFixtures runs the role checks over policy documents in
// testdata/iam-policies, parsed as a source would parse them, each as the
// only inline policy of the function's role.
func TestPoliciesFixtures(t *testing.T) {
	const P, F = result.Pass, result.Fail
	cases := []struct {
		file string
		fn   string // the function's name
		want map[string]result.Status
	}{
		{"least-privilege.json", "orders", map[string]result.Status{
			"LW-IAM-02": P, "LW-IAM-04": P, "LW-IAM-05": P, "LW-IAM-06": P, "LW-IAM-07": P,
			"LW-IAM-08": P, "LW-IAM-09": P, "LW-LOG-08": P, "LW-NET-01": P}},
		{"serverless-default.json", "orders-service-dev-create", map[string]result.Status{
			"LW-IAM-02": P, "LW-IAM-04": P, "LW-IAM-05": P, "LW-IAM-06": F, "LW-IAM-07": F,
			"LW-IAM-08": P, "LW-IAM-09": P, "LW-LOG-08": P, "LW-NET-01": P}},
		{"everything.json", "orders", map[string]result.Status{
			"LW-IAM-02": F, "LW-IAM-04": F, "LW-IAM-05": F, "LW-IAM-06": F, "LW-IAM-07": F,
			"LW-IAM-08": F, "LW-IAM-09": F, "LW-LOG-08": P, "LW-NET-01": P}},
		// NotAction iam:*, organizations:* on *: PowerUserAccess by hand.
		{"all-but-iam.json", "orders", map[string]result.Status{
			"LW-IAM-02": F, "LW-IAM-04": F, "LW-IAM-05": F, "LW-IAM-06": F, "LW-IAM-07": F,
			"LW-IAM-08": P, "LW-IAM-09": F, "LW-LOG-08": P, "LW-NET-01": P}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "iam-policies", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := iampolicy.Parse(data)
			if err != nil {
				t.Fatalf("parse %s: %v", tc.file, err)
			}
			r := iamBareRole()
			r.Inline = []inventory.InlinePolicy{{Name: "fixture", Document: inventory.Of(doc, iamLoc(30)), Loc: iamLoc(30)}}
			inv := iamSingle(r)
			inv.Functions[0].Name = inventory.Of(tc.fn, iamLoc(2))
			env := &Env{Index: inventory.NewIndex(inv), Settings: DefaultSettings()}
			for _, c := range iamChecks() {
				want, ok := tc.want[c.ID]
				if !ok {
					continue
				}
				fds := c.Run(env)
				if len(fds) != 1 {
					t.Fatalf("%s: %d findings", c.ID, len(fds))
				}
				if fds[0].Status != want {
					t.Errorf("%s = %s, want %s: %s", c.ID, fds[0].Status, want, fds[0].Message)
				}
			}
		})
	}
}

func TestPoliciesGatherAWSManagedFromInventory(t *testing.T) {
	arn := "arn:aws:iam::aws:policy/LambdawardenFuturePolicy"
	mp := iamManaged("live-policy", "LambdawardenFuturePolicy", iamAllow("", 0, iamActs("s3:PutObject"), "*"))
	mp.ARN = arn
	inv := iamSingle(iamWithAttached(iamBareRole(), iamARNRef(arn), 40), mp)
	ps := gatherRolePolicies(&Env{Index: inventory.NewIndex(inv)}, inv.Functions[0])
	if len(ps.Gaps) != 0 || len(ps.Docs) != 1 || ps.Docs[0].Label() != "AWS-managed policy LambdawardenFuturePolicy" {
		t.Errorf("docs %+v gaps %+v", ps.Docs, ps.Gaps)
	}
}
