package checks

import (
	"fmt"
	"math"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkRUN02 is LW-RUN-02: runtime not deprecated soon.
func checkRUN02() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-RUN-02",
		Title:       "Runtime not deprecated soon",
		Severity:    result.Medium,
		Controls:    []string{"CC7.1"},
		Families:    fams,
		Semantics:   "FAIL if deprecation is within `settings.runtime_warn_days` (default 180).",
		Remediation: "Plan the move to a newer runtime of the same language before the deprecation date, test it, and redeploy.",
		Run:         perFunction(fams, evalRUN02),
	}
}

func evalRUN02(env *Env, f *inventory.Function) (Finding, bool) {
	r, fd, ok, done := functionRuntime(f)
	if done {
		return fd, ok
	}
	warn := intSetting(env.Settings.RuntimeWarnDays, DefaultSettings().RuntimeWarnDays)
	loc := f.Runtime.Loc
	dep := r.Deprecation.Format(time.DateOnly)
	left := r.UntilDeprecation(env.Now)
	switch {
	case r.Deprecated(env.Now):
		return failFinding(loc, "runtime %s is already deprecated (since %s, see LW-RUN-01)", r.Name, dep), true
	case left <= time.Duration(warn)*24*time.Hour:
		days := int(math.Ceil(left.Hours() / 24))
		return failFinding(loc, "runtime %s is deprecated on %s, in %d days (warning window %d days)", r.Name, dep, days, warn), true
	}
	return Finding{Status: result.Pass, Location: loc, Message: fmt.Sprintf("runtime %s is supported until %s, beyond the %d-day warning window", r.Name, dep, warn)}, true
}
