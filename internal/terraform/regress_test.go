package terraform

import (
	"strconv"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// TestLoaderRegressions pins loader defects found in review, one fixture
// under testdata per case.
func TestLoaderRegressions(t *testing.T) {
	cases := []struct {
		name  string
		dir   string
		opts  scan.LoadOptions
		check func(t *testing.T, inv *inventory.Inventory)
	}{
		{
			name: "data aws_iam_policy of an AWS-managed policy attaches its real ARN",
			dir:  "datapolicy",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				r := role(t, inv, "aws_iam_role.r")
				var got []inventory.Ref
				for _, a := range r.Attached {
					if !a.Policy.IsKnown() {
						t.Errorf("attachment %v is not known", a.Policy)
						continue
					}
					got = append(got, a.Policy.V)
				}
				eq(t, "attached", got, []inventory.Ref{
					{Name: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
					{Name: "arn:aws:iam::aws:policy/AmazonS3FullAccess"},
					{Name: "arn:aws:iam::<account>:policy/team-boundary"},
				})
			},
		},
		{
			name: "for_each over a map of objects keeps references in each.value",
			dir:  "foreachrefs",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				f := fn(t, inv, `aws_lambda_function.f["api"]`)
				vpc, ok := f.VPC.Get()
				if !ok {
					t.Fatalf("vpc is %s", f.VPC.String())
				}
				var subnets, groups []inventory.Value[inventory.Ref]
				subnets, _ = vpc.Subnets.Get()
				groups, _ = vpc.SecurityGroups.Get()
				if len(subnets) != 1 || len(groups) != 1 {
					t.Fatalf("subnets %v, groups %v", vpc.Subnets, vpc.SecurityGroups)
				}
				known(t, "subnet", subnets[0], inventory.Ref{ID: "aws_subnet.a"})
				known(t, "group", groups[0], inventory.Ref{ID: "aws_security_group.sg"})
			},
		},
		{
			name: "provider allowed_account_ids and region place the items it configures",
			dir:  "providerplace",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				place := func(it inventory.Item) [2]string { return [2]string{it.Account, it.Region} }
				eq(t, "home", place(fn(t, inv, "aws_lambda_function.home").Item), [2]string{"111111111111", "eu-west-1"})
				eq(t, "west", place(fn(t, inv, "aws_lambda_function.west").Item), [2]string{"222222222222", "us-west-2"})
				eq(t, "many", place(fn(t, inv, "aws_lambda_function.many").Item), [2]string{"", ""})
				eq(t, "permission", place(perm(t, inv, "aws_lambda_permission.other").Item), [2]string{"111111111111", "eu-west-1"})
				eq(t, "role", place(role(t, inv, "aws_iam_role.r").Item), [2]string{"111111111111", "eu-west-1"})
				eq(t, "home arn", fn(t, inv, "aws_lambda_function.home").ARN, "arn:aws:lambda:<region>:<account>:function:home")
			},
		},
		{
			name: "file and templatefile of a missing file are errors at the call",
			dir:  "missingfile",
			check: func(t *testing.T, inv *inventory.Inventory) {
				var got []string
				for _, e := range inv.Errors {
					got = append(got, e.Source+":"+strconv.Itoa(e.Line)+": "+e.Message)
				}
				eq(t, "errors", got, []string{
					"missingfile/main.tf:11: file missing.json not found",
					"missingfile/main.tf:16: file policy.tpl.json not found",
				})
				r := role(t, inv, "aws_iam_role.r")
				for _, ip := range r.Inline {
					if ip.Name != "aws_iam_role_policy.guarded" && !ip.Document.IsUnknown() {
						t.Errorf("%s document is %s, want unknown", ip.Name, ip.Document.String())
					}
				}
			},
		},
		{
			name: "metric_query expressions fill AlarmMetric.Expression",
			dir:  "alarmexpr",
			check: func(t *testing.T, inv *inventory.Inventory) {
				noErrors(t, inv)
				byID := map[string]*inventory.Alarm{}
				for _, a := range inv.Alarms {
					byID[a.ID] = a
				}
				rate := byID["aws_cloudwatch_metric_alarm.rate"]
				if rate == nil || len(rate.Metrics) != 2 {
					t.Fatalf("rate alarm: %+v", rate)
				}
				known(t, "rate expression", rate.Metrics[0].Expression, "100*e/i")
				if !rate.Metrics[0].Namespace.IsAbsent() || !rate.Metrics[0].MetricName.IsAbsent() {
					t.Errorf("expression entry has a metric: %+v", rate.Metrics[0])
				}
				known(t, "rate metric", rate.Metrics[1].MetricName, "Errors")
				if !rate.Metrics[1].Expression.IsAbsent() {
					t.Errorf("metric entry has an expression: %v", rate.Metrics[1].Expression)
				}
				ins := byID["aws_cloudwatch_metric_alarm.insights"]
				if ins == nil || len(ins.Metrics) != 1 {
					t.Fatalf("insights alarm: %+v", ins)
				}
				known(t, "insights expression", ins.Metrics[0].Expression,
					`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'orders'`)
			},
		},
		{
			name: "statement and parse-error lines are file lines for policy documents and heredocs",
			dir:  "stmtlocs",
			check: func(t *testing.T, inv *inventory.Inventory) {
				var errs []string
				for _, e := range inv.Errors {
					errs = append(errs, e.Source+":"+strconv.Itoa(e.Line))
				}
				eq(t, "errors", errs, []string{"stmtlocs/main.tf:56"})
				r := role(t, inv, "aws_iam_role.r")
				got := map[string][]string{}
				for _, ip := range r.Inline {
					d, ok := ip.Document.Get()
					if !ok {
						continue
					}
					for _, st := range d.Statements {
						got[ip.Name] = append(got[ip.Name], st.Loc.String())
					}
				}
				eq(t, "statement locations", got, map[string][]string{
					"aws_iam_role_policy.doc":     {"stmtlocs/main.tf:2:3", "stmtlocs/main.tf:8:3"},
					"aws_iam_role_policy.heredoc": {"stmtlocs/main.tf:34:5", "stmtlocs/main.tf:39:5"},
				})
			},
		},
		{
			name: "a module cycle is one error at the calling block and is not expanded",
			dir:  "modcycle",
			check: func(t *testing.T, inv *inventory.Inventory) {
				var errs []string
				for _, e := range inv.Errors {
					errs = append(errs, e.Source+":"+strconv.Itoa(e.Line)+": "+e.Message)
				}
				eq(t, "errors", errs, []string{
					`modcycle/main.tf:2: module "self": source "./" is a module that is already being expanded (a module cycle); it is not expanded`,
					`modcycle/modules/b/main.tf:2: module "a": source "../a" is a module that is already being expanded (a module cycle); it is not expanded`,
				})
				eq(t, "functions", fnIDs(inv), []string{"aws_lambda_function.f", "module.a.aws_lambda_function.f", "module.a.module.b.aws_lambda_function.f"})
			},
		},
		{
			name: "remote modules load from .terraform/modules after terraform init",
			dir:  "registry",
			check: func(t *testing.T, inv *inventory.Inventory) {
				var errs []string
				for _, e := range inv.Errors {
					errs = append(errs, e.Source+":"+strconv.Itoa(e.Line)+": "+e.Message)
				}
				eq(t, "errors", errs, []string{
					`registry/main.tf:9: module "remote": remote source "git::https://example.com/modules/lambda.git" is not loaded; its resources are not scanned`,
				})
				eq(t, "functions", fnIDs(inv), []string{"module.lambda.aws_lambda_function.this", "module.lambda.module.inner.aws_lambda_function.this"})
				f := fn(t, inv, "module.lambda.aws_lambda_function.this")
				known(t, "name", f.Name, "registry-fn")
				known(t, "role", f.Role, inventory.Ref{ID: "module.lambda.aws_iam_role.this"})
				eq(t, "loc", f.Loc.String(), "registry/.terraform/modules/lambda/main.tf:11:1")
				known(t, "inner name", fn(t, inv, "module.lambda.module.inner.aws_lambda_function.this").Name, "registry-fn-inner")
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, loadCase(t, tc.dir, tc.opts))
		})
	}
}
