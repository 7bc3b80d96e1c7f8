package checks

import (
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM04 is LW-IAM-04: no wildcard actions.
func checkIAM04() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-04",
		Title:       "No wildcard actions",
		Severity:    result.High,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if an Allow statement has Action `*`, `service:*`, or a NotAction (in inline or customer-managed policies).",
		Remediation: "List the actions the function calls (for example s3:GetObject instead of s3:*) and replace NotAction with an explicit Action list.",
		Run:         perFunction(fams, evalIAM04),
	}
}

// iamWildcardAction reports whether an action pattern is `*` or `service:*`.
func iamWildcardAction(p string) bool {
	if iamWildcardOnly(p) {
		return true
	}
	svc, name, ok := strings.Cut(p, ":")
	return ok && iamWildcardOnly(name) && strings.Contains(name, "*") && svc != ""
}

// evalIAM04 fails a role whose inline or customer-managed policies allow a
// wildcard action or use NotAction. AWS-managed policies are judged by
// LW-IAM-02 and LW-IAM-03.
func evalIAM04(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	mayDeny := ps.mayDeny()
	own := func(d *rolePolicyDoc) bool { return d.Kind != awsManagedRolePolicy }

	// cancelled reports whether unconditional Denies remove every action a
	// wildcard grants on the statement's resources (maybe: a Deny with
	// unresolved parts might).
	cancelled := func(st *iampolicy.Statement, actions []iampolicy.Action) (all, maybe bool) {
		if !mayDeny || len(actions) == 0 {
			return false, false
		}
		res := []string{""}
		if !st.NotResourceSet {
			res = st.Resources
		}
		for _, a := range actions {
			for _, r := range res {
				den, unk := ps.denied(a.String(), ps.probeFor(c, a, r, st.NotResourceSet, st.NotResources))
				if unk {
					maybe = true
				} else if !den {
					return false, false
				}
			}
		}
		return !maybe, maybe
	}

	var grants []roleGrant
	var uncertain []string
	for _, s := range ps.statements(own) {
		st := s.St
		allow, _, unsure := stmtEffect(st)
		if !allow && !unsure {
			continue
		}
		var wild []string
		var expanded []iampolicy.Action
		if st.NotActionSet {
			wild = append(wild, "every action except "+iamList(st.NotActions, 2))
			if mayDeny {
				expanded, _ = st.GrantedActions(c)
			}
		} else {
			for _, p := range st.Actions {
				if iamWildcardAction(p) {
					wild = append(wild, p)
					if mayDeny {
						expanded = append(expanded, c.Expand(p)...)
					}
				}
			}
		}
		maybe := stmtUnknown(st, "Action") || (unsure && len(wild) > 0)
		if len(wild) > 0 && !unsure {
			all, m := cancelled(st, expanded)
			if m && !maybe {
				uncertain = append(uncertain, s.Label()+" may be cancelled by a Deny with unresolved parts")
			}
			if !all && !m {
				res := "*"
				if len(st.Resources) > 0 {
					res = iamList(st.Resources, 2)
				}
				g := roleGrant{At: s, Actions: wild, Resource: res, NotResource: st.NotResourceSet, NotResources: st.NotResources}
				grants = append(grants, g)
				maybe = false
			}
		}
		if maybe {
			uncertain = append(uncertain, s.Label()+" has unresolved "+stmtUnknownFields(st))
		}
	}
	relevant := func(k rolePolicyGapKind) bool { return k != gapAWSManaged }
	return roleVerdict(ps, grants, uncertain, relevant, func(gs []roleGrant) string {
		return describeGrants(gs, "allows")
	}, fmt.Sprintf("no inline or customer-managed policy of role %q allows a wildcard action or uses NotAction", ps.RoleName)), true
}
