package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// checkIAM10 is LW-IAM-10: trust policy limited to Lambda.
func checkIAM10() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-10",
		Title:       "Trust policy limited to Lambda",
		Severity:    result.High,
		Controls:    []string{"CC6.1"},
		Families:    fams,
		Semantics:   "FAIL if the role's trust policy lets any principal other than `lambda.amazonaws.com` (or edgelambda) assume it, or any principal `*`.",
		Remediation: "Limit the role's trust policy to the service principal lambda.amazonaws.com (and edgelambda.amazonaws.com for Lambda@Edge); give other principals their own roles.",
		Run:         perFunction(fams, evalIAM10),
	}
}

// lambdaServicePrincipal reports whether a service principal is Lambda's.
func lambdaServicePrincipal(s string) bool {
	return strings.EqualFold(s, "lambda.amazonaws.com") || strings.EqualFold(s, "edgelambda.amazonaws.com")
}

// foreignPrincipals lists the principals of a trust statement that are not
// Lambda, as written.
func foreignPrincipals(st *iampolicy.Statement) []string {
	var out []string
	if np := st.NotPrincipal; np != nil {
		var except []string
		except = append(except, np.AWS...)
		except = append(except, np.Service...)
		except = append(except, np.Federated...)
		except = append(except, np.CanonicalUser...)
		out = append(out, "every principal except "+iamList(except, 2))
	}
	p := st.Principal
	if p == nil {
		return out
	}
	if p.Wildcard {
		out = append(out, "*")
	}
	out = append(out, p.AWS...)
	for _, s := range p.Service {
		if !lambdaServicePrincipal(s) {
			out = append(out, s)
		}
	}
	out = append(out, p.Federated...)
	out = append(out, p.CanonicalUser...)
	return out
}

// evalIAM10 fails a role whose trust policy lets a principal other than
// Lambda assume it.
func evalIAM10(env *Env, f *inventory.Function) (Finding, bool) {
	role, _, gap, gapLoc := functionRole(env, f)
	if role == nil {
		return roleUnknown(gap, gapLoc), true
	}
	name := roleDisplayName(role)
	trust, ok := role.TrustPolicy.Get()
	if !ok || trust == nil {
		why := "is not set"
		if role.TrustPolicy.IsUnknown() {
			why = "is " + role.TrustPolicy.String()
		}
		return Finding{Status: result.Unknown, Location: iamFirstLoc(role.TrustPolicy.Loc, role.Loc),
			Message: fmt.Sprintf("cannot evaluate: the trust policy of role %q %s", name, why)}, true
	}
	var fails []string
	var loc srcloc.Location
	var uncertain []string
	for i := range trust.Statements {
		st := &trust.Statements[i]
		allow, _, unsure := stmtEffect(st)
		if !allow && !unsure {
			continue
		}
		label := "trust policy"
		switch {
		case st.Sid != "":
			label = fmt.Sprintf("trust policy statement %q", st.Sid)
		case len(trust.Statements) > 1:
			label = fmt.Sprintf("trust policy statement %d", i+1)
		}
		foreign := foreignPrincipals(st)
		switch {
		case len(foreign) > 0 && !unsure:
			if len(fails) == 0 {
				loc = iamFirstLoc(st.Loc, role.TrustPolicy.Loc, role.Loc)
			}
			slices.Sort(foreign)
			fails = append(fails, fmt.Sprintf("%s lets %s assume role %q", label, iamList(slices.Compact(foreign), 3), name))
		case len(foreign) > 0 || stmtUnknown(st, "Principal") || stmtUnknown(st, "NotPrincipal"):
			uncertain = append(uncertain, label+" has unresolved "+stmtUnknownFields(st))
		}
	}
	switch {
	case len(fails) > 0:
		return Finding{Status: result.Fail, Location: loc, Message: iamJoin(fails, 2, "; ")}, true
	case len(uncertain) > 0:
		return Finding{Status: result.Unknown, Location: iamFirstLoc(role.TrustPolicy.Loc, role.Loc),
			Message: fmt.Sprintf("cannot evaluate role %q: %s", name, iamList(uncertain, 2))}, true
	}
	return Finding{Status: result.Pass, Message: fmt.Sprintf("only Lambda can assume role %q", name)}, true
}
