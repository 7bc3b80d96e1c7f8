package checks

import (
	"fmt"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM08 is LW-IAM-08: secrets and keys scoped to specific ARNs.
func checkIAM08() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-08",
		Title:       "Secrets and keys scoped to specific ARNs",
		Severity:    result.High,
		Controls:    []string{"CC6.1", "C1.1"},
		Families:    fams,
		Semantics:   "FAIL if secretsmanager:GetSecretValue, ssm:GetParameter(s)(ByPath), or kms:Decrypt is granted on `*` or on a wildcard covering all secrets, parameters or keys of the account.",
		Remediation: "Grant secretsmanager:GetSecretValue, ssm:GetParameter* and kms:Decrypt only on the ARNs of the secrets, parameters (or one parameter path) and keys the function needs.",
		Run:         perFunction(fams, evalIAM08),
	}
}

// secretReadActions are the actions LW-IAM-08 looks at.
func secretReadActions() []string {
	return []string{"kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"}
}

// evalIAM08 fails a role that can read every secret, parameter or key of
// the account. EXP-01 reuses it.
func evalIAM08(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	acts := iamCatalogActions(c, secretReadActions()...)
	grants, uncertain := ps.scan(c, grantScan{
		Granted:    iamListGranted(acts),
		Candidates: acts,
		Wide:       func(a iampolicy.Action, p string) bool { return iamServiceWide(c, a, p) },
	})
	return roleVerdict(ps, grants, uncertain, allGaps, func(gs []roleGrant) string {
		return describeGrants(gs, "grants")
	}, fmt.Sprintf("role %q reads secrets, parameters and keys by specific ARNs only", ps.RoleName)), true
}
