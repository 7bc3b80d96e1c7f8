package cloudtrail

import (
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

const account = "123456789012"

var enrichNow = time.Date(2026, 8, 21, 0, 0, 0, 0, time.UTC)

func mustPolicy(t *testing.T, doc string) *iampolicy.Policy {
	t.Helper()
	p, err := iampolicy.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testInventory has live functions and roles (LW-IAM-11 and LW-CHG-02 are
// live columns) and one Terraform function and role.
func testInventory(t *testing.T) *inventory.Inventory {
	t.Helper()
	loc := srcloc.Location{}
	live := func(id string) inventory.Item {
		return inventory.Item{ID: id, Source: inventory.LiveAWS, Origin: account + "/us-east-1", Account: account, Region: "us-east-1"}
	}
	fnARN := func(n string) string { return "arn:aws:lambda:us-east-1:" + account + ":function:" + n }
	roleARN := func(n string) string { return "arn:aws:iam::" + account + ":role/" + n }
	orderPolicy := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":["dynamodb:GetItem","s3:GetObject","kms:Decrypt","sqs:SendMessage"],"Resource":"*"}]}`)
	basic := inventory.PolicyAttachment{Policy: inventory.Of(inventory.Ref{Name: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}, loc)}
	role := func(item inventory.Item, name, arn string, doc *iampolicy.Policy) *inventory.Role {
		return &inventory.Role{Item: item, Name: inventory.Of(name, loc), ARN: arn,
			Inline:   []inventory.InlinePolicy{{Name: "app", Document: inventory.Of(doc, loc)}},
			Attached: []inventory.PolicyAttachment{basic}, PoliciesComplete: inventory.Of(true, loc)}
	}
	fn := func(item inventory.Item, name, arn, role string) *inventory.Function {
		return &inventory.Function{Item: item, Name: inventory.Of(name, loc), ARN: arn, Role: inventory.Of(inventory.Ref{Name: role}, loc)}
	}
	tf := inventory.Item{Source: inventory.Terraform, Origin: "infra", Account: inventory.CurrentAccount, Region: inventory.CurrentRegion,
		Loc: srcloc.Location{File: "infra/main.tf", Line: 1}}
	tfRole := tf
	tfRole.ID = "aws_iam_role.order"
	tfFn := tf
	tfFn.ID = "aws_lambda_function.order"
	return &inventory.Inventory{
		Functions: []*inventory.Function{
			fn(live(fnARN("order-service-handler")), "order-service-handler", fnARN("order-service-handler"), roleARN("order-service-exec-role")),
			fn(live(fnARN("billing-worker")), "billing-worker", fnARN("billing-worker"), roleARN("billing-role")),
			fn(live(fnARN("report-gen")), "report-gen", fnARN("report-gen"), roleARN("billing-role")),
			{Item: tfFn, Name: inventory.Of("order-service-handler", loc), Role: inventory.Of(inventory.Ref{ID: "aws_iam_role.order"}, loc)},
		},
		Roles: []*inventory.Role{
			role(live(roleARN("order-service-exec-role")), "order-service-exec-role", roleARN("order-service-exec-role"), orderPolicy),
			role(live(roleARN("billing-role")), "billing-role", roleARN("billing-role"),
				mustPolicy(t, `{"Statement":{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}}`)),
			role(tfRole, "order-service-exec-role", "", orderPolicy),
		},
	}
}

func summarize(t *testing.T, files []string) *Summary {
	t.Helper()
	sum, _, errs := Summarize(context.Background(), files, DefaultRules(), ReadOptions{Workers: 2})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return sum
}

func TestEnrichFeedsChecks(t *testing.T) {
	// The same events plain and gzip-compressed in a folder tree.
	dir := t.TempDir()
	raw, err := os.ReadFile("testdata/activity/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	gzPath := filepath.Join(dir, "AWSLogs", account, "CloudTrail", "us-east-1", "2026", "08", "21", "events.jsonl.gz")
	if err := os.MkdirAll(filepath.Dir(gzPath), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(gzPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write(raw)
	zw.Close()
	f.Close()

	for _, tt := range []struct {
		name  string
		paths []string
	}{
		{"plain json lines", []string{"testdata/activity/events.jsonl"}},
		{"gzip in a folder", []string{dir}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files, errs := Files(tt.paths)
			if len(errs) > 0 || len(files) != 1 {
				t.Fatalf("files = %v, errors %v", files, errs)
			}
			inv := testInventory(t)
			st := Enrich(inv, summarize(t, files), EnrichOptions{Now: enrichNow, UnusedDays: 90})
			if st.Roles != 3 || st.Functions != 3 || st.FunctionsUnknown != 1 {
				t.Errorf("stats = %+v", st)
			}
			settings := checks.DefaultSettings()
			settings.DeployRoles = []string{"ci-deploy"}
			env := &checks.Env{Index: inventory.NewIndex(inv), Settings: settings, Now: enrichNow}
			var selected []*checks.Check
			for _, c := range checks.Catalog() {
				if c.ID == "LW-IAM-11" || c.ID == "LW-CHG-02" {
					selected = append(selected, c)
				}
			}
			got := map[string]result.Result{}
			for _, r := range checks.Run(env, selected) {
				got[r.CheckID+" "+r.Resource.Name] = r
			}
			want := []struct {
				key    string
				status result.Status
				msg    string
			}{
				{"LW-IAM-11 order-service-handler", result.Fail, "kms (last used 2026-05-02), sqs (never used)"},
				{"LW-IAM-11 billing-worker", result.Fail, "sns (never used)"},
				{"LW-CHG-02 order-service-handler", result.Fail, "console session"},
				{"LW-CHG-02 billing-worker", result.Pass, "deployment role arn:aws:iam::123456789012:role/ci-deploy"},
				{"LW-CHG-02 report-gen", result.Unknown, "no CreateFunction or UpdateFunctionCode"},
			}
			for _, w := range want {
				r, ok := got[w.key]
				if !ok {
					t.Errorf("%s: no result", w.key)
					continue
				}
				if r.Status != w.status || !strings.Contains(r.Message, w.msg) {
					t.Errorf("%s = %s %q, want %s containing %q", w.key, r.Status, r.Message, w.status, w.msg)
				}
			}
			// The Terraform function and role are filled too.
			tfRole, tfFn := inv.Roles[2], inv.Functions[3]
			if rows, ok := tfRole.LastAccessed.Get(); !ok || len(rows) != 4 {
				t.Errorf("terraform role last accessed = %+v", tfRole.LastAccessed)
			}
			if d, ok := tfFn.LastDeployment.Get(); !ok || !d.Console || d.PrincipalType != "IAMUser" || d.EventName != "UpdateFunctionCode" {
				t.Errorf("terraform function last deployment = %+v", tfFn.LastDeployment)
			}
		})
	}
}

func TestEnrichUnknowns(t *testing.T) {
	mk := func(first time.Time, data int64) *Summary {
		s := newSummary()
		s.Accounts[account] = &Span{First: first, Last: enrichNow, DataEvents: data}
		s.Roles[roleKey("aws", account, "order-service-exec-role")] = &RoleUse{ARN: "arn:aws:iam::" + account + ":role/order-service-exec-role",
			Account: account, Name: "order-service-exec-role",
			Services: map[string]time.Time{"kms": enrichNow.AddDate(0, 0, -1), "sqs": enrichNow.AddDate(0, 0, -1)}}
		return s
	}
	tests := []struct {
		name string
		sum  *Summary
		why  string // "" for known
	}{
		{"logs too short", mk(enrichNow.AddDate(0, 0, -10), 5), "start on 2026-08-11"},
		{"no data events", mk(enrichNow.AddDate(0, 0, -200), 0), "hold no data events, so the use of dynamodb, s3"},
		{"other account", func() *Summary {
			s := mk(enrichNow.AddDate(0, 0, -200), 5)
			s.Roles = map[string]*RoleUse{}
			s.Accounts = map[string]*Span{"999999999999": {}}
			return s
		}(),
			"no events of account 123456789012"},
		{"known", mk(enrichNow.AddDate(0, 0, -200), 5), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := testInventory(t)
			Enrich(inv, tt.sum, EnrichOptions{Now: enrichNow})
			v := inv.Roles[0].LastAccessed
			if tt.why == "" {
				if !v.IsKnown() {
					t.Errorf("last accessed = %v, want known", v)
				}
				return
			}
			if !v.IsUnknown() || !strings.Contains(v.Why, tt.why) {
				t.Errorf("last accessed = %v, want unknown with %q", v, tt.why)
			}
		})
	}
}
