package waiver

import (
	"slices"
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
	set, errs := New(rules, inv, now, nil)
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
	set, _ := New([]Rule{{Check: "LW-INV-07", Resource: "aws_lambda_function.*", Reason: "r", Expires: "2025-06-30", Source: "config"}}, inv, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), nil)
	rs := []result.Result{res("LW-INV-07", "aws_lambda_function.a", "a", "main.tf", 1, result.Fail)}
	set.Apply(rs)
	if rs[0].Status != result.Fail || rs[0].Message != "m (waiver expired 2025-06-30)" || rs[0].Waiver == nil || !rs[0].Waiver.Expired {
		t.Errorf("got %s %q %+v; want FAIL with the expiry noted", rs[0].Status, rs[0].Message, rs[0].Waiver)
	}
	if u := set.Unused(nil); len(u) != 0 {
		t.Errorf("Unused = %q, want none", u)
	}
}

var catalogIDs = []string{"LW-IAM-01", "LW-IAM-02", "LW-INV-01", "LW-INV-07", "LW-LOG-01", "LW-SEC-01"}

func TestCheckPattern(t *testing.T) {
	tests := []struct {
		pattern string
		wantErr string // "" for valid; else a substring of the error
	}{
		{"LW-INV-07", ""},
		{"lw-inv-07", ""},
		{" LW-IAM-* ", ""},
		{"LW-*", ""},
		{"LW-INV-7", `check "LW-INV-7" matches no check in the catalog (did you mean LW-INV-07?)`},
		{"LW-INV-70", "did you mean LW-INV-07?"},
		{"LW-IAM-1", "did you mean LW-IAM-01?"},
		{"LW-SEC-1", "did you mean LW-SEC-01?"},
		{"LW-LOG-*X", "matches no check"},
		{"LW-NOPE-*", "matches no check"},
		{"CKV_AWS_45", "matches no check in the catalog; see"},
		{"", "no check ID"},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			err := CheckPattern(tc.pattern, catalogIDs)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
			if tc.wantErr != "" && err != nil && strings.Contains(tc.wantErr, "no check in the catalog;") && strings.Contains(err.Error(), "did you mean") {
				t.Errorf("error %v suggests an ID for a name far from every ID", err)
			}
		})
	}
}

func TestNewValidatesInlineChecks(t *testing.T) {
	inv := &inventory.Inventory{Waivers: []inventory.InlineWaiver{
		{ResourceID: "a", File: "main.tf", StartLine: 3, EndLine: 9, Check: "LW-INV-7", Reason: "typo", Loc: srcloc.Location{File: "main.tf", Line: 2}},
		{ResourceID: "a", File: "main.tf", StartLine: 3, EndLine: 9, Check: "LW-INV-07", Reason: "fine"},
	}}
	set, errs := New(nil, inv, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), catalogIDs)
	if len(errs) != 1 || errs[0].Source != "main.tf" || errs[0].Line != 2 || !strings.Contains(errs[0].Message, "did you mean LW-INV-07?") {
		t.Fatalf("errors = %+v, want one for main.tf:2 suggesting LW-INV-07", errs)
	}
	rs := []result.Result{res("LW-INV-07", "a", "a", "main.tf", 3, result.Fail)}
	set.Apply(rs)
	if rs[0].Status != result.Waived {
		t.Errorf("the valid waiver was not applied: %s", rs[0].Status)
	}
	if u := set.Unused(nil); len(u) != 0 {
		t.Errorf("Unused = %q: the invalid waiver must not be kept", u)
	}
}

func TestUnused(t *testing.T) {
	rules := []Rule{
		{Check: "LW-INV-07", Resource: "nothing-*", Reason: "r", Source: "cfg.yaml:3"},
		{Check: "LW-IAM-*", Resource: "nothing-*", Reason: "r", Source: "cfg.yaml:7"},
		{Check: "LW-SEC-01", Resource: "a", Reason: "r", Source: "cfg.yaml:11"},
	}
	set, _ := New(rules, &inventory.Inventory{}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), catalogIDs)
	set.Apply([]result.Result{res("LW-SEC-01", "a", "a", "main.tf", 1, result.Fail)})
	tests := []struct {
		name string
		ran  []string
		want []string
	}{
		{"every check ran", nil, []string{"cfg.yaml:3: LW-INV-07 on nothing-*", "cfg.yaml:7: LW-IAM-* on nothing-*"}},
		{"waivers of checks that did not run are left out", []string{"LW-IAM-02", "LW-SEC-01"}, []string{"cfg.yaml:7: LW-IAM-* on nothing-*"}},
		{"no check ran", []string{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := set.Unused(tc.ran); !slices.Equal(got, tc.want) {
				t.Errorf("Unused = %q, want %q", got, tc.want)
			}
		})
	}
}
