package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV04 is LW-INV-04: function URL requires IAM auth.
func checkINV04() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-04",
		Title:       "Function URL requires IAM auth",
		Severity:    result.High,
		Controls:    []string{"CC6.1", "CC6.6"},
		Families:    fams,
		Semantics:   "FAIL if a function URL has AuthType NONE. Severity critical when LW-INV-01 also fails for that function.",
		Remediation: "Set the function URL's AuthType (authorization_type) to AWS_IAM and sign requests with SigV4, or put the function behind API Gateway with an authorizer.",
		Run: func(env *Env) []Finding {
			out := perFunction(fams, evalINV04)(env)
			return append(out, orphanURLFindings(env, fams)...)
		},
	}
}

// evalINV04 fails a function with a function URL that needs no
// authentication; critical when its resource policy is also public
// (LW-INV-01). LW-EXP-01 reuses it.
func evalINV04(env *Env, f *inventory.Function) (Finding, bool) {
	var v verdict
	for _, u := range env.Index.URLs(f) {
		inv04URL(u, &v)
	}
	fd := v.finding(inv04Pass(len(env.Index.URLs(f))))
	if fd.Status == result.Fail {
		if pub, _ := evalINV01(env, f); pub.Status == result.Fail {
			fd.Severity = critical()
			fd.Message += " and the resource policy is public (LW-INV-01)"
		}
	}
	return fd, true
}

func inv04Pass(n int) string {
	if n == 0 {
		return "the function has no function URL"
	}
	return "every function URL requires AWS_IAM auth"
}

func inv04URL(u *inventory.FunctionURL, v *verdict) {
	loc := firstLoc(u.AuthType.Loc, u.Loc)
	switch auth, ok := u.AuthType.Get(); {
	case u.AuthType.IsUnknown():
		v.unknown(loc, "%s: auth type cannot be resolved (%s)", urlLabel(u), whyUnknown(u.AuthType))
	case !ok:
		v.unknown(loc, "%s: auth type is not set", urlLabel(u))
	case auth == "NONE":
		v.fail(loc, "%s has AuthType NONE: anyone on the internet can call it", urlLabel(u))
	}
}

// orphanURLFindings checks the function URLs whose function is not in the
// inventory on their own; critical when the orphan permissions that name
// the same function make it public.
func orphanURLFindings(env *Env, fams []inventory.Family) []Finding {
	var out []Finding
	for _, u := range env.Index.OrphanURLs() {
		if !hasFamily(fams, u.Source.Family()) {
			continue
		}
		var v verdict
		inv04URL(u, &v)
		fd := v.finding(inv04Pass(1))
		if fd.Status == result.Fail && orphanPublic(env, u) {
			fd.Severity = critical()
			fd.Message += " and the resource policy is public (LW-INV-01)"
		}
		fd.Resource = urlResource(u)
		fd.Location = firstLoc(fd.Location, u.Loc)
		out = append(out, fd)
	}
	return out
}

// orphanPublic reports whether an orphan permission naming the same
// function as u lets the public in.
func orphanPublic(env *Env, u *inventory.FunctionURL) bool {
	name := refFunctionName(u.Function)
	if name == "" {
		return false
	}
	var v verdict
	for _, p := range env.Index.OrphanPermissionsNaming(name) {
		if refFunctionName(p.Function) == name && sameScope(p.Item, u.Item) {
			inv01Statement(env, p, p.Account, &v)
		}
	}
	return v.failed()
}

// sameScope reports whether two items can be in the same account and
// region (an empty account or region matches any).
func sameScope(a, b inventory.Item) bool {
	return (a.Account == "" || b.Account == "" || a.Account == b.Account) &&
		(a.Region == "" || b.Region == "" || a.Region == b.Region)
}

func critical() *result.Severity {
	s := result.Critical
	return &s
}
