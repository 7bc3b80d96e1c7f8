package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/scan/scantest"
)

// The constructed CloudTrail sample (a copy of the shared one, kept by
// package cloudtrail) and its generated policy.
const (
	policySample = "../cloudtrail/testdata/samples/CONSTRUCTED_lambda-exec-role_123456789012_CloudTrail_us-east-1_20260820T1005Z.json"
	policyGolden = "../cloudtrail/testdata/golden/constructed-policy.json"
	policyRole   = "arn:aws:iam::123456789012:role/order-service-exec-role"
)

// runPolicyCLI runs the command line with the real sources (for --compare).
func runPolicyCLI(t *testing.T, args ...string) run {
	t.Helper()
	a, out, errOut := testApp(nil, false)
	a.Sources = Sources
	code := a.Run(context.Background(), args)
	return run{code, out.String(), errOut.String()}
}

func TestPolicyGenerate(t *testing.T) {
	want, err := os.ReadFile(policyGolden)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // exact, when set
		stdoutHas  []string
		stderrHas  []string
		stderrNot  []string
		reportHas  []string
		withReport bool
	}{
		{name: "by role", args: []string{"--cloudtrail", policySample, "--role", policyRole},
			stdout: string(want), stderrHas: []string{"11 calls matched", "ssm:GetParameter on arn:aws:ssm:us-east-1:123456789012:parameter/prod/orders/feature-flags (AccessDenied"}},
		{name: "path as argument, by function", args: []string{"--function", "order-service-handler", policySample},
			stdout: string(want)},
		{name: "terraform", args: []string{"--cloudtrail", policySample, "--function", "order-service-handler", "--format", "terraform"},
			stdoutHas: []string{`data "aws_iam_policy_document" "order_service_handler" {`, `#   ssm:GetParameter on`}},
		{name: "tracing and custom log group", args: []string{"--cloudtrail", policySample, "--function", "order-service-handler", "--tracing", "--log-group", "/custom/orders"},
			stdoutHas: []string{`"xray:PutTraceSegments"`, `log-group:/custom/orders:*`}},
		{name: "until before the events", args: []string{"--cloudtrail", policySample, "--function", "order-service-handler", "--until", "2026-08-19", "-q"},
			stdoutHas: []string{`"arn:aws:logs:*:*:log-group:/aws/lambda/order-service-handler:*"`}, stderrNot: []string{"matched"}},
		{name: "compare with terraform", args: []string{"--cloudtrail", policySample, "--function", "order-service-handler", "--compare", "testdata/policy/infra"},
			stdoutHas: []string{`"xray:PutTraceSegments"`},
			stderrHas: []string{"compared with aws_iam_role.order (order-service-exec-role)", "granted, never used: sns:Publish",
				"kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (NotAllowed)"},
			withReport: true, reportHas: []string{`"unused_services": [`, `"sns"`, `"pattern": "sns:Publish"`}},
		{name: "unreadable file", args: []string{"--cloudtrail", policySample, "--cloudtrail", "testdata/policy/trail", "--role", policyRole},
			code: ExitError, stdout: string(want), stderrHas: []string{"testdata/policy/trail/broken.json:3: cloudtrail: byte"}},
		{name: "missing path", args: []string{"--cloudtrail", "testdata/policy/nope", "--role", policyRole},
			code: ExitError, stderrHas: []string{"testdata/policy/nope: cloudtrail: cannot read"}},
		{name: "no logs", args: []string{"--role", policyRole}, code: ExitError, stderrHas: []string{"--cloudtrail PATH"}},
		{name: "no selection", args: []string{"--cloudtrail", policySample}, code: ExitError, stderrHas: []string{"--role ARN and/or --function NAME"}},
		{name: "bad role", args: []string{"--cloudtrail", policySample, "--role", "order-service-exec-role"}, code: ExitError, stderrHas: []string{"want an IAM role ARN"}},
		{name: "bad since", args: []string{"--cloudtrail", policySample, "--role", policyRole, "--since", "last week"}, code: ExitError, stderrHas: []string{"--since"}},
		{name: "bad format", args: []string{"--cloudtrail", policySample, "--role", policyRole, "--format", "yaml"}, code: ExitError, stderrHas: []string{"want json or terraform"}},
		{name: "compare finds nothing", args: []string{"--cloudtrail", policySample, "--function", "other", "--compare", "testdata/policy/infra"},
			code: ExitError, stderrHas: []string{`compare: no function "other" in the infrastructure code under testdata/policy/infra`}},
		{name: "compare with a live snapshot", args: []string{"--cloudtrail", policySample, "--role", policyRole, "--snapshot", "testdata/policy/snapshot.json"},
			stderrHas: []string{"compared with arn:aws:iam::123456789012:role/order-service-exec-role", "granted, never used: none", "s3:* grants ",
				"lambda:GetFunction on arn:aws:lambda:us-east-1:123456789012:function:inventory-sync (NotAllowed)"}},
		{name: "compare sources are alternatives", args: []string{"--cloudtrail", policySample, "--role", policyRole, "--compare", "x", "--snapshot", "y"},
			code: ExitError, stderrHas: []string{"alternatives"}},
		{name: "aws flags need --aws", args: []string{"--cloudtrail", policySample, "--role", policyRole, "--profile", "audit"},
			code: ExitError, stderrHas: []string{"--profile needs --aws"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"policy", "generate"}, tt.args...)
			report := filepath.Join(t.TempDir(), "report.json")
			if tt.withReport {
				args = append(args, "--report", report)
			}
			r := runPolicyCLI(t, args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			if tt.stdout != "" && r.stdout != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, tt.stdout)
			}
			for _, s := range tt.stdoutHas {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			for _, s := range tt.stderrNot {
				if strings.Contains(r.stderr, s) {
					t.Errorf("stderr has %q:\n%s", s, r.stderr)
				}
			}
			if tt.withReport {
				raw, err := os.ReadFile(report)
				if err != nil {
					t.Fatal(err)
				}
				if !json.Valid(raw) {
					t.Fatalf("report is not JSON:\n%s", raw)
				}
				for _, s := range tt.reportHas {
					if !bytes.Contains(raw, []byte(s)) {
						t.Errorf("report lacks %q:\n%s", s, raw)
					}
				}
			}
		})
	}
}

// TestScanCloudTrail checks that `scan --cloudtrail` fills the inventory
// before the checks run: a probe check reports what it sees.
func TestScanCloudTrail(t *testing.T) {
	probe := &checks.Check{
		ID: "LW-TEST-99", Title: "probe", Severity: result.Info,
		Families: []inventory.Family{inventory.FamilyTF, inventory.FamilyLIVE},
		Run: func(env *checks.Env) []checks.Finding {
			var out []checks.Finding
			for _, f := range env.Inventory().Functions {
				msg := "deployment " + f.LastDeployment.State.String()
				if d, ok := f.LastDeployment.Get(); ok {
					msg += " by " + d.PrincipalType
				}
				out = append(out, checks.Finding{Status: result.Pass, Resource: checks.FunctionResource(f), Message: msg})
			}
			return out
		},
	}
	dir := t.TempDir()
	inv := `{"functions":[{"id":"aws_lambda_function.x","loc":{"file":"x","line":1},"name":{"state":"known","value":"order-service-handler"}}]}`
	if err := os.WriteFile(filepath.Join(dir, "main"+scantest.Suffix), []byte(inv), 0o644); err != nil {
		t.Fatal(err)
	}
	trail := `{"eventVersion":"1.10","eventTime":"2026-08-10T12:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionCode20150331v2",` +
		`"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},"recipientAccountId":"123456789012","awsRegion":"us-east-1",` +
		`"requestParameters":{"functionName":"order-service-handler"}}` + "\n"
	trailFile := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(trailFile, []byte(trail), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"without logs", nil, ExitOK, "deployment absent"},
		{"with logs", []string{"--cloudtrail", trailFile}, ExitOK, "deployment known by IAMUser"},
		{"unreadable logs", []string{"--cloudtrail", trailFile, "--cloudtrail", filepath.Join(dir, "missing")}, ExitError, "deployment known by IAMUser"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, out, errOut := testApp(nil, false)
			a.Catalog = func() []*checks.Check { return []*checks.Check{probe} }
			a.Sources = func() []scan.Source { return []scan.Source{&scantest.Source{}} }
			args := append([]string{"scan", "--format", "json", "--no-progress", dir}, tt.args...)
			code := a.Run(context.Background(), args)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("report lacks %q:\n%s", tt.want, out)
			}
			if tt.code == ExitError && !strings.Contains(out.String(), "cloudtrail: cannot read") {
				t.Errorf("report lacks the unreadable log:\n%s", out)
			}
		})
	}
}
