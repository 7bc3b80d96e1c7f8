package checks

import (
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV06 is LW-INV-06: cross-account invokers within the organization.
func checkINV06() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-06",
		Title:       "Cross-account invokers within the organization",
		Severity:    result.Medium,
		Controls:    []string{"CC6.1"},
		Families:    fams,
		Semantics:   "FAIL if the policy allows another AWS account without aws:PrincipalOrgID and that account is not in `settings.trusted_accounts`.",
		Remediation: "Add an aws:PrincipalOrgID condition (principal_org_id) for your organization to the permission, or list the partner account in settings.trusted_accounts once it is approved.",
		Run:         permissionCheck(fams, evalINV06, inv06Statement, inv06Pass),
	}
}

const inv06Pass = "no permission lets an untrusted account outside the organization invoke"

func evalINV06(env *Env, f *inventory.Function) (Finding, bool) {
	var v verdict
	for _, p := range env.Index.Permissions(f) {
		inv06Statement(env, p, functionAccount(f), &v)
	}
	return v.finding(inv06Pass), true
}

func inv06Statement(env *Env, p *inventory.Permission, own string, v *verdict) {
	s := &p.Statement
	grant, unsure := grantEffect(s)
	if !grant && !unsure {
		return
	}
	if !isAccountID(own) {
		own = ""
	}
	loc := permissionLoc(p)
	if partUnknown(s, "Principal") {
		v.unknown(loc, "%s: the principal cannot be resolved", permissionLabel(p))
		return
	}
	if s.Principal == nil || s.Principal.IsPublic() {
		return // public principals are LW-INV-01's
	}
	if orgPinned(s) {
		return
	}
	var foreign, undecided []string
	for _, acct := range s.Principal.Accounts() {
		switch {
		case acct == own, slices.Contains(env.Settings.TrustedAccounts, acct):
		case own == "":
			undecided = append(undecided, acct)
		default:
			foreign = append(foreign, acct)
		}
	}
	switch {
	case len(foreign) > 0 && partUnknown(s, "Condition"):
		v.unknown(loc, "%s lets account %s invoke and its conditions cannot be resolved", permissionLabel(p), strings.Join(foreign, ", "))
	case len(foreign) > 0:
		v.fail(loc, "%s lets account %s invoke without aws:PrincipalOrgID, and it is not in settings.trusted_accounts", permissionLabel(p), strings.Join(foreign, ", "))
	case len(undecided) > 0:
		v.unknown(loc, "%s lets account %s invoke without aws:PrincipalOrgID; the function's own account is not known, so it cannot be told apart from another account (list it in settings.trusted_accounts)", permissionLabel(p), strings.Join(undecided, ", "))
	}
}
