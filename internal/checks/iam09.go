package checks

import (
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM09 is LW-IAM-09: no privilege-escalation paths.
func checkIAM09() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-09",
		Title:       "No privilege-escalation paths",
		Severity:    result.Critical,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if the role can escalate: iam:PassRole on `*`, iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, iam:Attach*Policy, iam:Put*Policy, iam:CreateAccessKey, iam:UpdateAssumeRolePolicy, sts:AssumeRole on `*`, lambda:UpdateFunctionCode or lambda:CreateFunction with iam:PassRole, on resources not limited to specific ARNs. The message names the path.",
		Remediation: "Remove the IAM-changing and role-assuming actions from the function's role, or limit iam:PassRole, sts:AssumeRole and lambda:UpdateFunctionCode to the specific role and function ARNs it must use.",
		Run:         perFunction(fams, evalIAM09),
	}
}

// escalationActions are the actions (or patterns) that open a privilege
// escalation path when granted on resources not limited to specific ARNs.
func escalationActions() []string {
	return []string{"iam:PassRole", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
		"iam:Attach*Policy", "iam:Put*Policy", "iam:CreateAccessKey", "iam:UpdateAssumeRolePolicy",
		"sts:AssumeRole", "lambda:UpdateFunctionCode"}
}

// evalIAM09 fails a role that can escalate its privileges; the message names
// each path. EXP-01 reuses it.
func evalIAM09(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	acts := iamCatalogActions(c, escalationActions()...)
	grants, uncertain := ps.scan(c, grantScan{
		Granted:    iamListGranted(acts),
		Candidates: acts,
		Wide:       func(_ iampolicy.Action, p string) bool { return !iamSpecificARN(p) },
	})
	// iam:PassRole is worst with lambda:CreateFunction: a new function can
	// run with any role passed to it.
	create := iamCatalogActions(c, "lambda:CreateFunction")
	creates, _ := ps.scan(c, grantScan{
		Granted: iamListGranted(create),
		Wide:    func(iampolicy.Action, string) bool { return true },
	})
	return roleVerdict(ps, grants, uncertain, allGaps, func(gs []roleGrant) string {
		const maxGrants = 2
		var paths []string
		for i, g := range gs {
			if i == maxGrants {
				n := len(gs) - maxGrants
				paths[len(paths)-1] += fmt.Sprintf("; and %d more %s", n, iamPlural(n, "statement", "statements"))
				break
			}
			var parts []string
			others := g
			others.Actions = nil
			for _, a := range g.Actions {
				if strings.EqualFold(a, "iam:PassRole") {
					p := a + " on " + g.ResourceText()
					if len(creates) > 0 {
						p += " with lambda:CreateFunction"
					}
					parts = append(parts, p)
				} else {
					others.Actions = append(others.Actions, a)
				}
			}
			if len(others.Actions) > 0 {
				parts = append(parts, others.ActionText()+" on "+g.ResourceText())
			}
			paths = append(paths, fmt.Sprintf("%s (%s)", strings.Join(parts, "; "), g.At.Label()))
		}
		return fmt.Sprintf("role %q can escalate privileges: %s", ps.RoleName, strings.Join(paths, "; "))
	}, fmt.Sprintf("role %q has no privilege-escalation path", ps.RoleName)), true
}
