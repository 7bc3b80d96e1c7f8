package checks

import (
	"fmt"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM12 is LW-IAM-12: permissions boundary attached (off by default).
func checkIAM12() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-12",
		Title:       "Permissions boundary attached",
		Severity:    result.Info,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if the role has no permissions boundary. Off unless enabled in config.",
		Remediation: "Attach your organization's permissions boundary policy to the role (permissions_boundary in Terraform, PermissionsBoundary in CloudFormation/SAM, provider.iam.role.permissionsBoundary in Serverless).",
		DefaultOff:  true,
		Run:         perFunction(fams, evalIAM12),
	}
}

// evalIAM12 fails a role without a permissions boundary.
func evalIAM12(env *Env, f *inventory.Function) (Finding, bool) {
	role, _, gap, gapLoc := functionRole(env, f)
	if role == nil {
		return roleUnknown(gap, gapLoc), true
	}
	name := roleDisplayName(role)
	switch b := role.Boundary; {
	case b.IsUnknown():
		return Finding{Status: result.Unknown, Location: iamFirstLoc(b.Loc, role.Loc),
			Message: fmt.Sprintf("cannot evaluate: the permissions boundary of role %q is %s", name, b.String())}, true
	case b.IsAbsent() || b.Or("") == "":
		return Finding{Status: result.Fail, Location: iamFirstLoc(role.Loc),
			Message: fmt.Sprintf("role %q has no permissions boundary", name)}, true
	default:
		return Finding{Status: result.Pass,
			Message: fmt.Sprintf("role %q has permissions boundary %s", name, b.V)}, true
	}
}
