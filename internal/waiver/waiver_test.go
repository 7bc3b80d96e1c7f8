package waiver

import (
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"aws_lambda_function.batch_*", "aws_lambda_function.batch_orders", true},
		{"aws_lambda_function.batch_*", "aws_lambda_function.api", false},
		{`aws_lambda_function.workers["img"]`, `aws_lambda_function.workers["img"]`, true},
		{`aws_lambda_function.workers[*]`, `aws_lambda_function.workers["img"]`, true},
		{"module.*.aws_lambda_function.this", "module.pay.aws_lambda_function.this", true},
		{"module.*.aws_lambda_function.this", `module.svc["a/b"].aws_lambda_function.this`, true},
		{"*", "", true},
		{"", "x", false},
		{"orders-?", "orders-1", true},
		{"orders-?", "orders-12", false},
		{"*api*", "orders-api-v2", true},
		{"a*b*c", "aXbYbZ", false},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"~"+tc.s, func(t *testing.T) {
			if got := Glob(tc.pattern, tc.s); got != tc.want {
				t.Errorf("Glob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

func res(check, id, name, file string, line int, st result.Status) result.Result {
	r := result.Result{CheckID: check, Status: st, Message: "m", Resource: result.Resource{Kind: result.KindFunction, ID: id, Name: name}}
	if file != "" {
		r.Location = &srcloc.Location{File: file, Line: line}
	}
	return r
}

func TestApply(t *testing.T) {
	now := time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)
	fnItem := func(id, origin string) *inventory.Function {
		return &inventory.Function{Item: inventory.Item{ID: id, Origin: origin}}
	}
	inv := &inventory.Inventory{
		Functions: []*inventory.Function{
			fnItem("aws_lambda_function.api", "infra/a"),
			fnItem("aws_lambda_function.api", "infra/b"),
			fnItem("aws_lambda_function.solo", "infra/a"),
		},
		Waivers: []inventory.InlineWaiver{
			{ResourceID: "aws_lambda_function.api", File: "infra/a/main.tf", StartLine: 10, EndLine: 30, Check: "LW-INV-07", Reason: "queue bounded"},
			{ResourceID: "aws_lambda_function.solo", File: "infra/a/solo.tf", StartLine: 1, EndLine: 9, Check: "LW-LOG-*", Reason: "logs shipped elsewhere", Expires: "2026-11-21"},
			{ResourceID: "aws_lambda_function.solo", File: "infra/a/solo.tf", StartLine: 1, EndLine: 9, Check: "LW-RUN-01", Reason: "migrating", Expires: "2026-11-20"},
			{ResourceID: "aws_lambda_function.solo", File: "infra/a/solo.tf", StartLine: 1, EndLine: 9, Check: "LW-SEC-01", Reason: "  ", Loc: srcloc.Location{File: "infra/a/solo.tf", Line: 2}},
			{ResourceID: "aws_lambda_function.solo", File: "infra/a/solo.tf", StartLine: 1, EndLine: 9, Check: "LW-SEC-02", Reason: "x", Expires: "next year"},
		},
	}
	rules := []Rule{
		{Check: "lw-iam-*", Resource: "orders-*", Reason: "legacy", Source: "config"},
		{Check: "LW-RUN-01", Resource: "*", Reason: "fallback", Expires: "2027-01-01", Source: "config"},
	}
	set, errs := New(rules, inv, now)
	if len(errs) != 2 || errs[0].Line != 2 || !strings.Contains(errs[0].Message, "no reason") || !strings.Contains(errs[1].Message, "not an ISO date") {
		t.Fatalf("errors = %+v, want a missing reason at line 2 and a bad date", errs)
	}

	tests := []struct {
		name        string
		in          result.Result
		wantStatus  result.Status
		wantSource  string // "" for no waiver
		wantExpired bool
	}{
		{"inline by resource ID, location elsewhere", res("LW-INV-07", "aws_lambda_function.api", "orders-api", "infra/a/perm.tf", 3, result.Fail), result.Waived, "infra/a/main.tf:10", false},
		{"inline by ID in another root is not matched", res("LW-INV-07", "aws_lambda_function.api", "orders-api", "infra/b/main.tf", 12, result.Fail), result.Fail, "", false},
		{"inline by location in block", res("LW-INV-07", "aws_lambda_function.other", "x", "infra/a/main.tf", 30, result.Fail), result.Waived, "infra/a/main.tf:10", false},
		{"inline location outside block", res("LW-INV-07", "aws_lambda_function.other", "x", "infra/a/main.tf", 31, result.Fail), result.Fail, "", false},
		{"inline glob, expires today still valid", res("LW-LOG-03", "aws_lambda_function.solo", "solo", "infra/a/solo.tf", 4, result.Fail), result.Waived, "infra/a/solo.tf:1", false},
		{"only FAIL is waived", res("LW-LOG-03", "aws_lambda_function.solo", "solo", "infra/a/solo.tf", 4, result.Unknown), result.Unknown, "", false},
		{"valid config rule wins over expired inline", res("LW-RUN-01", "aws_lambda_function.solo", "solo", "infra/a/solo.tf", 4, result.Fail), result.Waived, "config", false},
		{"config by name glob, check case-insensitive", res("LW-IAM-04", "aws_lambda_function.x", "orders-api", "", 0, result.Fail), result.Waived, "config", false},
		{"invalid inline waivers are not applied", res("LW-SEC-01", "aws_lambda_function.solo", "solo", "infra/a/solo.tf", 4, result.Fail), result.Fail, "", false},
		{"no match", res("LW-NET-01", "aws_lambda_function.solo", "solo", "infra/a/solo.tf", 4, result.Fail), result.Fail, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := []result.Result{tc.in}
			set.Apply(rs)
			r := rs[0]
			if r.Status != tc.wantStatus {
				t.Errorf("status = %s, want %s", r.Status, tc.wantStatus)
			}
			if tc.wantSource == "" {
				if r.Waiver != nil {
					t.Errorf("waiver = %+v, want none", r.Waiver)
				}
				return
			}
			if r.Waiver == nil || r.Waiver.Source != tc.wantSource || r.Waiver.Expired != tc.wantExpired {
				t.Errorf("waiver = %+v, want source %q expired %v", r.Waiver, tc.wantSource, tc.wantExpired)
			}
		})
	}
}

func TestApplyExpired(t *testing.T) {
	inv := &inventory.Inventory{}
	set, _ := New([]Rule{{Check: "LW-INV-07", Resource: "aws_lambda_function.*", Reason: "r", Expires: "2025-06-30", Source: "config"}}, inv, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	rs := []result.Result{res("LW-INV-07", "aws_lambda_function.a", "a", "main.tf", 1, result.Fail)}
	set.Apply(rs)
	if rs[0].Status != result.Fail || rs[0].Message != "m (waiver expired 2025-06-30)" || rs[0].Waiver == nil || !rs[0].Waiver.Expired {
		t.Errorf("got %s %q %+v; want FAIL with the expiry noted", rs[0].Status, rs[0].Message, rs[0].Waiver)
	}
	if u := set.Unused(); len(u) != 0 {
		t.Errorf("Unused = %q, want none", u)
	}
}
