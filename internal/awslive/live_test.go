package awslive_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lambdawarden/lambdawarden/internal/awslive"
	"github.com/lambdawarden/lambdawarden/internal/awstest"
	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// liveEnv is one moto_server with the proxy in front and the world built,
// shared by the tests of this package (building it takes a few seconds).
type liveEnv struct {
	moto  *awstest.Moto
	proxy *awstest.Proxy
}

var (
	envOnce sync.Once
	envErr  string
	shared  *liveEnv
)

func setup(t *testing.T) *liveEnv {
	t.Helper()
	awstest.RequireMoto(t)
	envOnce.Do(func() {
		st := &onceT{T: t}
		m := awstest.StartMoto(st)
		p := awstest.StartProxy(awstest.Options{Backend: awstest.Forward(m.URL), Emulate: true})
		w := newWorld(t, p)
		w.build()
		shared = &liveEnv{moto: m, proxy: p}
	})
	if shared == nil {
		t.Fatalf("live environment not available %s", envErr)
	}
	return shared
}

// onceT lets the shared moto_server outlive the first test that starts it:
// it is stopped by TestMain.
type onceT struct{ *testing.T }

func (o *onceT) Cleanup(fn func()) { cleanups = append(cleanups, fn) }

var cleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	if shared != nil {
		shared.proxy.Close()
	}
	os.Exit(code)
}

// collector returns a collector reading both accounts (by assuming the
// Auditor role in each) in both regions, through the proxy.
func collector(e *liveEnv, mod func(*awslive.Config)) *awslive.Collector {
	cfg := awslive.Config{
		Regions:  []string{regionUS + "," + regionEU},
		RoleARNs: []string{"arn:aws:iam::" + acctA + ":role/Auditor", roleB},
		Endpoint: e.proxy.URL,
		LoadOptions: []func(*config.LoadOptions) error{
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("testing", "testing", "")),
			config.WithRegion(regionUS),
		},
		Tags: true, LastAccessedWait: 10 * time.Second, MaxBackoff: 50 * time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	return awslive.New(cfg)
}

var testNow = time.Now()

func settings() checks.Settings {
	s := checks.DefaultSettings()
	s.RequiredTags = []string{"team"}
	s.EnablePermissionsBoundary = true
	s.TimeoutMaxSeconds = 300
	return s
}

func runChecks(inv *inventory.Inventory) []result.Result {
	env := &checks.Env{Index: inventory.NewIndex(inv), Settings: settings(), Now: testNow}
	return checks.Run(env, checks.Select(checks.Catalog(), checks.Selection{}, settings()))
}

// verdicts are the results as "ACCOUNT REGION KIND NAME CHECK STATUS" lines.
func verdicts(rs []result.Result) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s", r.Resource.Account, r.Resource.Region, r.Resource.Kind, r.Resource.Name, r.CheckID, r.Status))
	}
	sort.Strings(out)
	return out
}

func collect(t *testing.T, c *awslive.Collector) *inventory.Inventory {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	inv, err := c.Collect(ctx)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return inv
}

// baseline is the first, fault-free collection and the calls it made.
var (
	baseOnce  sync.Once
	baseInv   *inventory.Inventory
	baseCalls []awstest.Call
)

func baseline(t *testing.T) (*inventory.Inventory, []awstest.Call) {
	t.Helper()
	e := setup(t)
	baseOnce.Do(func() {
		e.proxy.ResetCalls()
		baseInv = collect(t, collector(e, nil))
		baseCalls = e.proxy.Calls()
	})
	if baseInv == nil {
		t.Fatal("baseline collection failed")
	}
	return baseInv, baseCalls
}

func TestLiveVerdicts(t *testing.T) {
	inv, _ := baseline(t)
	for _, er := range inv.Errors {
		t.Errorf("unexpected error: %s: %s", er.Source, er.Message)
	}
	got := verdicts(runChecks(inv))
	golden := filepath.Join("testdata", "live.golden")
	if updateGolden() {
		if err := os.WriteFile(golden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (go test -update writes it): %v", err)
	}
	if g := strings.Join(got, "\n") + "\n"; g != string(want) {
		t.Errorf("verdicts differ from %s:\n%s", golden, lineDiff(strings.Split(string(want), "\n"), strings.Split(g, "\n")))
	}

	// Every LIVE check is seen passing and failing.
	seen := map[string]map[result.Status]bool{}
	for _, line := range got {
		f := strings.Fields(line)
		id, st := f[len(f)-2], result.Status(f[len(f)-1])
		if seen[id] == nil {
			seen[id] = map[result.Status]bool{}
		}
		seen[id][st] = true
	}
	for _, c := range checks.Catalog() {
		if !slices.Contains(c.Families, inventory.FamilyLIVE) {
			continue
		}
		if !seen[c.ID][result.Pass] || !seen[c.ID][result.Fail] {
			t.Errorf("%s: want a PASS and a FAIL among the live results, got %v", c.ID, seen[c.ID])
		}
	}
}

func lineDiff(want, got []string) string {
	var b strings.Builder
	ws, gs := map[string]bool{}, map[string]bool{}
	for _, l := range want {
		ws[l] = true
	}
	for _, l := range got {
		gs[l] = true
	}
	for _, l := range want {
		if !gs[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !ws[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// TestLiveAccessDenied denies chosen calls: exactly the checks that need
// what those calls tell become UNKNOWN, in the scope denied, the failed
// calls are listed as errors naming the API call, and nothing else changes
// (a denied GetAccountAuthorizationDetails falls back to per-role calls).
func TestLiveAccessDenied(t *testing.T) {
	base, _ := baseline(t)
	e := setup(t)
	type scope struct{ account, region string }
	faults := []struct {
		fault  awstest.Fault
		api    string
		checks []string // made UNKNOWN in the fault's scope ("" region: all)
		may    []string // UNKNOWN unless the check can decide without the call
	}{
		{awstest.Fault{Kind: awstest.Deny, Service: "lambda", Operation: "GetPolicy", Account: acctA, Region: regionUS}, "lambda:GetPolicy",
			[]string{"LW-INV-01", "LW-INV-02", "LW-INV-03", "LW-INV-06", "LW-INV-08"}, []string{"LW-EXP-01"}},
		{awstest.Fault{Kind: awstest.Deny, Service: "iam", Operation: "GetAccountAuthorizationDetails"}, "iam:GetAccountAuthorizationDetails", nil, nil},
		{awstest.Fault{Kind: awstest.Deny, Service: "cloudtrail", Operation: "LookupEvents", Account: acctA, Region: regionEU}, "cloudtrail:LookupEvents",
			[]string{"LW-CHG-02"}, nil},
		{awstest.Fault{Kind: awstest.Deny, Service: "logs", Operation: "DescribeLogGroups", Account: acctB, Region: regionEU}, "logs:DescribeLogGroups",
			[]string{"LW-LOG-01", "LW-LOG-02"}, nil},
		{awstest.Fault{Kind: awstest.Deny, Service: "guardduty", Operation: "ListDetectors", Account: acctA, Region: regionUS}, "guardduty:ListDetectors",
			[]string{"LW-ACC-06"}, nil},
		{awstest.Fault{Kind: awstest.Deny, Service: "iam", Operation: "GenerateServiceLastAccessedDetails", Account: acctB}, "iam:GenerateServiceLastAccessedDetails",
			[]string{"LW-IAM-11"}, nil},
		{awstest.Fault{Kind: awstest.Deny, Service: "lambda", Operation: "ListFunctionUrlConfigs", Account: acctB, Region: regionEU}, "lambda:ListFunctionUrlConfigs",
			[]string{"LW-INV-04", "LW-INV-05"}, nil},
	}
	affected, may := map[string][]scope{}, map[string][]scope{}
	for _, f := range faults {
		e.proxy.AddFault(f.fault)
		for _, c := range f.checks {
			affected[c] = append(affected[c], scope{f.fault.Account, f.fault.Region})
		}
		for _, c := range f.may {
			may[c] = append(may[c], scope{f.fault.Account, f.fault.Region})
		}
	}
	defer e.proxy.ClearFaults()
	inv := collect(t, collector(e, nil))

	for _, f := range faults {
		found := false
		for _, er := range inv.Errors {
			if strings.HasSuffix(er.Source, " "+f.api) && strings.HasPrefix(er.Message, "AccessDenied") {
				found = true
			}
		}
		if !found {
			t.Errorf("no error names %s; errors: %v", f.api, inv.Errors)
		}
	}
	want := map[string]result.Status{}
	for _, r := range runChecks(base) {
		want[key(r)] = r.Status
	}
	got := runChecks(inv)
	if len(got) != len(want) {
		t.Errorf("got %d results, want %d", len(got), len(want))
	}
	for _, r := range got {
		expect, ok := want[key(r)]
		if !ok {
			t.Errorf("unexpected result %s", key(r))
			continue
		}
		in := func(scs []scope) bool {
			for _, sc := range scs {
				if sc.account == r.Resource.Account && (sc.region == "" || sc.region == r.Resource.Region) {
					return true
				}
			}
			return false
		}
		if in(affected[r.CheckID]) || (in(may[r.CheckID]) && r.Status == result.Unknown) {
			expect = result.Unknown
		}
		if r.Status != expect {
			t.Errorf("%s: got %s, want %s (%s)", key(r), r.Status, expect, r.Message)
		}
		if r.Status == result.Unknown && !strings.Contains(r.Message, ":") {
			t.Errorf("%s: UNKNOWN without naming the call: %s", key(r), r.Message)
		}
	}
}

func key(r result.Result) string {
	return fmt.Sprintf("%s %s %s %s %s", r.Resource.Account, r.Resource.Region, r.Resource.Kind, r.Resource.Name, r.CheckID)
}

// TestLiveThrottled throttles a fifth of all calls: the adaptive retry
// loses nothing.
func TestLiveThrottled(t *testing.T) {
	base, _ := baseline(t)
	e := setup(t)
	e.proxy.AddFault(awstest.Fault{Kind: awstest.Throttle, Rate: 0.2})
	defer e.proxy.ClearFaults()
	c := collector(e, nil)
	inv := collect(t, c)
	for _, er := range inv.Errors {
		t.Errorf("error under throttling: %s: %s", er.Source, er.Message)
	}
	if st := c.Stats(); st.Throttle == 0 {
		t.Errorf("no call was throttled: %+v", st)
	}
	if g, w := strings.Join(verdicts(runChecks(inv)), "\n"), strings.Join(verdicts(runChecks(base)), "\n"); g != w {
		t.Errorf("verdicts under throttling differ:\n%s", lineDiff(strings.Split(w, "\n"), strings.Split(g, "\n")))
	}
}
