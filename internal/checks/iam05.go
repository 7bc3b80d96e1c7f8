package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM05 is LW-IAM-05: no write or permissions-management actions on
// Resource "*".
func checkIAM05() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-05",
		Title:       "No write or permissions-management actions on Resource `*`",
		Severity:    result.High,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if an Allow statement grants an action of access level Write or Permissions management, that supports resource-level permissions, on Resource `*` or NotResource. Uses the IAM action catalog. Actions that only accept `*` (for example xray:PutTraceSegments, ec2:CreateNetworkInterface) do not fail.",
		Remediation: "Scope write and permissions-management actions to the ARNs of the resources the function changes (for example arn:aws:dynamodb:REGION:ACCOUNT:table/orders) instead of `*` or NotResource.",
		Run:         perFunction(fams, evalIAM05),
	}
}

// isLogsWriteAction reports whether the action is one of the CloudWatch Logs
// write actions that only LW-IAM-07 and LW-LOG-08 judge.
func isLogsWriteAction(a iampolicy.Action) bool {
	if !strings.EqualFold(a.Service, "logs") {
		return false
	}
	for _, n := range []string{"CreateLogGroup", "CreateLogStream", "PutLogEvents"} {
		if strings.EqualFold(a.Name, n) {
			return true
		}
	}
	return false
}

// isLambdaENIAction reports whether the action is one Lambda needs to manage
// a VPC function's network interfaces. Lambda calls them on network
// interfaces it creates, whose IDs nobody can know in advance, so they are
// granted on `*` (as AWSLambdaVPCAccessExecutionRole does); the catalog names
// ec2:CreateNetworkInterface among the actions that only accept `*`.
func isLambdaENIAction(a iampolicy.Action) bool {
	if !strings.EqualFold(a.Service, "ec2") {
		return false
	}
	return slices.ContainsFunc([]string{"CreateNetworkInterface", "DeleteNetworkInterface",
		"AssignPrivateIpAddresses", "UnassignPrivateIpAddresses"}, func(n string) bool { return strings.EqualFold(a.Name, n) })
}

// evalIAM05 fails a role that grants a scopable Write or Permissions
// management action on `*` or NotResource. EXP-01 reuses it.
func evalIAM05(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	pick := func(a iampolicy.Action) bool {
		return (a.Access == iampolicy.Write || a.Access == iampolicy.PermissionsManagement) &&
			a.ResourceLevel() && !isLogsWriteAction(a) && !isLambdaENIAction(a)
	}
	grants, uncertain := ps.scan(c, grantScan{
		Granted: iamCatalogGranted(c, pick),
		Wide:    func(_ iampolicy.Action, p string) bool { return iamAllResources(p) },
	})
	return roleVerdict(ps, grants, uncertain, allGaps, func(gs []roleGrant) string {
		return describeGrants(gs, "grants")
	}, fmt.Sprintf("role %q grants no write or permissions-management action on * or NotResource", ps.RoleName)), true
}
