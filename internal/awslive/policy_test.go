package awslive_test

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/lambdawarden/lambdawarden/internal/awslive"
	"github.com/lambdawarden/lambdawarden/internal/awstest"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

// policyFile is the published minimal read-only policy.
var policyFile = filepath.Join("..", "..", "docs", "iam-policy.json")

func readPolicy(t *testing.T) *iampolicy.Policy {
	t.Helper()
	b, err := os.ReadFile(policyFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := iampolicy.Parse(b)
	if err != nil {
		t.Fatalf("parse %s: %v", policyFile, err)
	}
	return p
}

// TestPolicyActionsExist: every action of the published policy is a real,
// read-only IAM action (the catalog knows it; nothing of access level Write
// or Permissions management).
func TestPolicyActionsExist(t *testing.T) {
	cat := iampolicy.DefaultCatalog()
	for _, st := range readPolicy(t).Statements {
		if st.Effect != iampolicy.Allow {
			t.Errorf("statement %s: only Allow statements belong in the policy", st.Sid)
		}
		for _, a := range st.Actions {
			act, ok := cat.Lookup(a)
			if !ok {
				t.Errorf("%s is not in the IAM action catalog", a)
				continue
			}
			if act.Access == iampolicy.Write || act.Access == iampolicy.PermissionsManagement || act.Access == iampolicy.Tagging {
				// Starting an IAM last-accessed report and assuming a role are
				// the only non-read actions the collector needs.
				if a != "iam:GenerateServiceLastAccessedDetails" && a != "sts:AssumeRole" {
					t.Errorf("%s has access level %s; the policy is read-only", a, act.Access)
				}
			}
		}
	}
}

// TestPolicyCoversCalls proves that every API call the collector made in the
// integration tests (a clean scan, the per-role IAM fallback, an
// organization scan over the enabled regions) is allowed by the policy.
func TestPolicyCoversCalls(t *testing.T) {
	_, calls := baseline(t)
	e := setup(t)

	// The per-role fallback when GetAccountAuthorizationDetails is denied.
	e.proxy.AddFault(awstest.Fault{Kind: awstest.Deny, Service: "iam", Operation: "GetAccountAuthorizationDetails"})
	e.proxy.ResetCalls()
	collect(t, collector(e, nil))
	e.proxy.ClearFaults()
	calls = append(calls, e.proxy.Calls()...)

	// An organization scan over the enabled regions.
	calls = append(calls, orgScan(t, e)...)

	pol := readPolicy(t)
	var used []string
	for _, c := range calls {
		if c.Service == "sts" && c.Operation == "GetCallerIdentity" {
			continue // needs no permission
		}
		a := awstest.IAMAction(c.Service, c.Operation)
		if !slices.Contains(used, a) {
			used = append(used, a)
		}
	}
	sort.Strings(used)
	for _, a := range used {
		allowed := false
		for _, st := range pol.Statements {
			for _, p := range st.Actions {
				if iampolicy.MatchAction(p, a) {
					allowed = true
				}
			}
		}
		if !allowed {
			t.Errorf("the collector calls %s, which %s does not allow", a, policyFile)
		}
	}
	for _, want := range []string{"iam:GetRole", "organizations:ListAccounts", "ec2:DescribeRegions", "lambda:ListFunctions"} {
		if !slices.Contains(used, want) {
			t.Errorf("the tests never saw %s: the coverage above proves less than it claims", want)
		}
	}
	t.Logf("%d distinct IAM actions used: %v", len(used), used)
}

var orgOnce struct {
	done  bool
	calls []awstest.Call
}

// orgScan creates an organization with one member account and scans every
// active account by assuming a role in it, over the enabled regions.
func orgScan(t *testing.T, e *liveEnv) []awstest.Call {
	t.Helper()
	if orgOnce.done {
		return orgOnce.calls
	}
	w := newWorld(t, e.proxy)
	ctx := t.Context()
	org := organizations.NewFromConfig(w.cfgA)
	if _, err := org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{}); err != nil {
		t.Fatalf("create organization: %v", err)
	}
	if _, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("member"), Email: aws.String("member@example.com")}); err != nil {
		t.Fatalf("create account: %v", err)
	}
	e.proxy.ResetCalls()
	c := collector(e, func(c *awslive.Config) {
		c.RoleARNs = nil
		c.OrgRole = "OrganizationAccountAccessRole"
		c.ExternalID = "audit-2026"
		c.Regions = nil
	})
	inv := collect(t, c)
	accounts := map[string]bool{}
	regions := map[string]bool{}
	for _, a := range inv.Accounts {
		accounts[a.AccountID] = true
		regions[a.Region] = true
	}
	if len(accounts) != 2 {
		t.Errorf("organization scan read accounts %v, want the management and the member account", accounts)
	}
	if len(regions) < 10 {
		t.Errorf("organization scan read regions %v, want every enabled region", regions)
	}
	orgOnce.done, orgOnce.calls = true, e.proxy.Calls()
	return orgOnce.calls
}
