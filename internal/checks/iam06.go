package checks

import (
	"fmt"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM06 is LW-IAM-06: read access scoped to specific resources.
func checkIAM06() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-06",
		Title:       "Read access scoped to specific resources",
		Severity:    result.Medium,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if a Read/List action that supports resource-level permissions is granted on `*` or on a service-wide pattern such as `arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`.",
		Remediation: "Scope read and list actions to the ARNs of the buckets, tables, queues and other resources the function reads, not `*` or a whole service's resources.",
		Run:         perFunction(fams, evalIAM06),
	}
}

// evalIAM06 fails a role that grants a scopable Read or List action on `*`,
// NotResource or every resource of a type.
func evalIAM06(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	pick := func(a iampolicy.Action) bool {
		return (a.Access == iampolicy.Read || a.Access == iampolicy.List) && a.ResourceLevel()
	}
	grants, uncertain := ps.scan(c, grantScan{
		Granted: iamCatalogGranted(c, pick),
		Wide:    func(a iampolicy.Action, p string) bool { return iamServiceWide(c, a, p) },
	})
	return roleVerdict(ps, grants, uncertain, allGaps, func(gs []roleGrant) string {
		return describeGrants(gs, "grants")
	}, fmt.Sprintf("role %q grants read and list actions on specific resources only", ps.RoleName)), true
}
