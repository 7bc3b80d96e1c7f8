package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV01 is LW-INV-01: not invocable by the public.
func checkINV01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-01",
		Title:       "Not invocable by the public",
		Severity:    result.Critical,
		Controls:    []string{"CC6.1", "CC6.6"},
		Families:    fams,
		Semantics:   "FAIL if the resource-based policy allows `*` (or `{\"AWS\":\"*\"}`) without a condition that pins the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceOwner, lambda:FunctionUrlAuthType = AWS_IAM).",
		Remediation: "Replace the `*` principal with the service or account that calls the function and add a SourceArn/SourceAccount (or aws:PrincipalOrgID) condition; for a function URL, use AuthType AWS_IAM.",
		Run:         permissionCheck(fams, evalINV01, inv01Statement, inv01Pass),
	}
}

const inv01Pass = "no resource-policy statement lets the public invoke the function"

// evalINV01 fails a function whose resource policy lets anyone invoke it.
// LW-INV-04 and LW-EXP-01 reuse it.
func evalINV01(env *Env, f *inventory.Function) (Finding, bool) {
	return evalPermissionsOf(env, f, inv01Statement, inv01Pass), true
}

func inv01Statement(_ *Env, p *inventory.Permission, _ string, v *verdict) {
	s := &p.Statement
	grant, unsure := grantEffect(s)
	if !grant && !unsure {
		return
	}
	loc := permissionLoc(p)
	public := everyone(s)
	switch {
	case !public && partUnknown(s, "Principal"):
		v.unknown(loc, "%s: the principal cannot be resolved, so it may be public", permissionLabel(p))
	case !public, callerPinned(s):
	case partUnknown(s, "Condition"):
		v.unknown(loc, "%s allows principal * and its conditions cannot be resolved", permissionLabel(p))
	case unsure:
		v.unknown(loc, "%s allows principal * if its Effect (unresolved) is Allow", permissionLabel(p))
	default:
		v.fail(loc, "%s allows principal * without a condition that pins the caller", permissionLabel(p))
	}
}
