package cloudtrail

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

// oracle is CONSTRUCTED_expected-actions.json.
type oracle struct {
	RoleARN        string              `json:"role_arn"`
	SessionName    string              `json:"session_name"`
	DerivedActions map[string][]string `json:"derived_actions"`
	NotDerived     map[string]string   `json:"not_derived"`
	AlwaysAdd      []string            `json:"always_add_for_lambda_not_in_cloudtrail"`
}

func readOracle(t *testing.T) oracle {
	t.Helper()
	raw, err := os.ReadFile(samplesDir + "CONSTRUCTED_expected-actions.json")
	if err != nil {
		t.Fatal(err)
	}
	var o oracle
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// oracleARNs returns the ARNs an oracle entry names ("ARN (and/or ARN2)",
// "ARN (from HeadObject)"): the generated policy must cover at least one.
func oracleARNs(entry string) []string {
	var out []string
	for _, f := range strings.Fields(entry) {
		f = strings.Trim(f, "()")
		if strings.HasPrefix(f, "arn:") {
			out = append(out, f)
		}
	}
	return out
}

func generate(t *testing.T, files []string, role, function string, opts PolicyOptions) *Generated {
	t.Helper()
	sel, err := NewSelector(role, function)
	if err != nil {
		t.Fatal(err)
	}
	act, _, errs := Collect(context.Background(), files, sel, DefaultRules(), ReadOptions{Workers: 2})
	if len(errs) > 0 {
		t.Fatalf("read errors: %v", errs)
	}
	return act.Policy(opts)
}

// statementActions returns action -> resources of a policy.
func statementActions(p *iampolicy.Policy) map[string][]string {
	out := map[string][]string{}
	for _, s := range p.Statements {
		for _, a := range s.Actions {
			out[a] = append(out[a], s.Resources...)
		}
	}
	return out
}

func TestGenerateMatchesOracle(t *testing.T) {
	o := readOracle(t)
	for _, tt := range []struct {
		name           string
		role, function string
	}{
		{"by role", o.RoleARN, ""},
		{"by function", "", o.SessionName},
		{"by both", o.RoleARN, o.SessionName},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := generate(t, []string{constructedSample}, tt.role, tt.function, PolicyOptions{})
			got := statementActions(g.Policy)
			var want []string
			for a := range o.DerivedActions {
				want = append(want, a)
			}
			want = append(want, o.AlwaysAdd...)
			sort.Strings(want)
			var gotNames []string
			for a := range got {
				gotNames = append(gotNames, a)
			}
			sort.Strings(gotNames)
			if !slices.Equal(gotNames, want) {
				t.Fatalf("actions = %q\nwant      %q", gotNames, want)
			}
			for action, entries := range o.DerivedActions {
				for _, entry := range entries {
					arns := oracleARNs(entry)
					if !slices.ContainsFunc(arns, func(arn string) bool { return covers(got[action], arn) }) {
						t.Errorf("%s: resources %q cover none of %q", action, got[action], arns)
					}
				}
				if slices.Contains(got[action], "*") {
					t.Errorf("%s is granted on *", action)
				}
			}
			// Logs: the function's own log group.
			group := "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/order-service-handler"
			if !slices.Equal(got["logs:CreateLogGroup"], []string{group}) ||
				!slices.Equal(got["logs:PutLogEvents"], []string{group + ":*"}) ||
				!slices.Equal(got["logs:CreateLogStream"], []string{group + ":*"}) {
				t.Errorf("log resources = %q %q %q", got["logs:CreateLogGroup"], got["logs:CreateLogStream"], got["logs:PutLogEvents"])
			}
			// Not derived: the denied ssm call is listed separately.
			for a := range o.NotDerived {
				if _, ok := got[a]; ok {
					t.Errorf("%s is granted", a)
				}
			}
			if len(g.Denied) != 1 || g.Denied[0].Action != "ssm:GetParameter" ||
				!slices.Equal(g.Denied[0].Resources, []string{"arn:aws:ssm:us-east-1:123456789012:parameter/prod/orders/feature-flags"}) ||
				g.Denied[0].ErrorCode != "AccessDenied" {
				t.Errorf("denied = %+v", g.Denied)
			}
		})
	}
}

func covers(patterns []string, arn string) bool {
	for _, p := range patterns {
		if iampolicy.MatchResource(p, arn) {
			return true
		}
	}
	return false
}

func TestGenerateGolden(t *testing.T) {
	o := readOracle(t)
	g := generate(t, []string{constructedSample}, o.RoleARN, "", PolicyOptions{})
	for _, tt := range []struct {
		name, golden string
		render       func() ([]byte, error)
	}{
		{"json", "constructed-policy.json", func() ([]byte, error) { return FormatJSON(g.Policy) }},
		{"terraform", "constructed-policy.tf", func() ([]byte, error) { return FormatTerraform(g.Policy, "order_service_exec_role", g.Denied) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.render()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", tt.golden), got)
		})
	}
}

func TestTrailscraperFixture(t *testing.T) {
	fixture := samplesDir + "trailscraper-fixture_111111111111_CloudTrail_eu-central-1_20171211T1505Z.json"
	g := generate(t, []string{fixture}, "arn:aws:iam::111111111111:role/someRole", "", PolicyOptions{Functions: []string{"AutoScalingDescribeHandlerSession"}})
	got := statementActions(g.Policy)
	if r := got["autoscaling:DescribeLaunchConfigurations"]; !slices.Equal(r, []string{"*"}) {
		t.Errorf("autoscaling:DescribeLaunchConfigurations resources = %q, want [*] (no resource-level permissions)", r)
	}
	if _, ok := got["sts:AssumeRole"]; ok {
		t.Error("the AWSService AssumeRole is granted")
	}
	if len(got) != 4 { // autoscaling + 3 logs actions
		t.Errorf("actions = %v", got)
	}
}

func TestDropCovered(t *testing.T) {
	in := []string{
		"arn:aws:logs:r:1:log-group:/aws/lambda/f:*",
		"arn:aws:logs:r:1:log-group:/aws/lambda/f:log-stream:2026/08/20/*",
		"arn:aws:logs:r:1:log-group:/aws/lambda/g:log-stream:x",
		"arn:aws:s3:::b/a${*}b",
	}
	want := []string{in[0], in[2], in[3]}
	if got := dropCovered(in); !slices.Equal(got, want) {
		t.Errorf("dropCovered = %q, want %q", got, want)
	}
}

func TestWildcardThreshold(t *testing.T) {
	var s resourceSet
	for i := range 12 {
		s.add("arn:aws:s3:::bkt/invoices/"+string(rune('a'+i))+".pdf", 10)
	}
	s.add("arn:aws:s3:::bkt/reports/one.csv", 10)
	s.add("arn:aws:s3:::bkt/invoices/z.pdf", 10) // under the collapsed prefix
	s.add("arn:aws:s3:::other", 10)
	want := []string{"arn:aws:s3:::bkt/invoices/*", "arn:aws:s3:::bkt/reports/one.csv", "arn:aws:s3:::other"}
	if got := s.list(); !slices.Equal(got, want) {
		t.Errorf("list = %q, want %q", got, want)
	}
	var m resourceSet
	m.add("arn:aws:s3:::bkt/reports/two.csv", 10)
	m.merge(&s, 10)
	want = []string{"arn:aws:s3:::bkt/invoices/*", "arn:aws:s3:::bkt/reports/one.csv", "arn:aws:s3:::bkt/reports/two.csv", "arn:aws:s3:::other"}
	if got := m.list(); !slices.Equal(got, want) {
		t.Errorf("merged = %q, want %q", got, want)
	}
	// Log streams and other ARNs collapse the same way.
	var l resourceSet
	for i := range 12 {
		l.add("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:2026/08/20/[$LATEST]"+string(rune('a'+i)), 10)
	}
	l.add("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f", 10)
	want = []string{"arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:2026/08/20/*"}
	if got := l.list(); !slices.Equal(got, want) {
		t.Errorf("log streams = %q, want %q", got, want)
	}
	// Many one-object prefixes collapse at the parent.
	var u resourceSet
	for i := range 5 {
		u.add("arn:aws:s3:::bkt/users/"+string(rune('a'+i))+"/avatar.png", 3)
	}
	if got := u.list(); !slices.Equal(got, []string{"arn:aws:s3:::bkt/users/*"}) {
		t.Errorf("users = %q", got)
	}
}
