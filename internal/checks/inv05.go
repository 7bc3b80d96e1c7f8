package checks

import (
	"slices"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV05 is LW-INV-05: function URL CORS restricted.
func checkINV05() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-05",
		Title:       "Function URL CORS restricted",
		Severity:    result.Medium,
		Controls:    []string{"CC6.6"},
		Families:    fams,
		Semantics:   "FAIL if a function URL's CORS AllowOrigins contains `*`.",
		Remediation: "List the exact origins (https://app.example.com) in the function URL's CORS allow_origins instead of `*`.",
		Run: func(env *Env) []Finding {
			out := perFunction(fams, evalINV05)(env)
			for _, u := range env.Index.OrphanURLs() {
				if !hasFamily(fams, u.Source.Family()) {
					continue
				}
				var v verdict
				inv05URL(u, &v)
				fd := v.finding(inv05Pass(1))
				fd.Resource = urlResource(u)
				fd.Location = firstLoc(fd.Location, u.Loc)
				out = append(out, fd)
			}
			return out
		},
	}
}

func evalINV05(env *Env, f *inventory.Function) (Finding, bool) {
	var v verdict
	for _, u := range env.Index.URLs(f) {
		inv05URL(u, &v)
	}
	return v.finding(inv05Pass(len(env.Index.URLs(f)))), true
}

func inv05Pass(n int) string {
	if n == 0 {
		return "the function has no function URL"
	}
	return "no function URL allows every CORS origin"
}

func inv05URL(u *inventory.FunctionURL, v *verdict) {
	loc := firstLoc(u.CORSAllowOrigins.Loc, u.Loc)
	origins, ok := u.CORSAllowOrigins.Get()
	switch {
	case u.CORSAllowOrigins.IsUnknown():
		v.unknown(loc, "%s: CORS allowed origins cannot be resolved (%s)", urlLabel(u), whyUnknown(u.CORSAllowOrigins))
	case ok && slices.Contains(origins, "*"):
		v.fail(loc, "%s allows CORS requests from any origin (*)", urlLabel(u))
	}
}
