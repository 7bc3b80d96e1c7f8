package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/runtimes"
)

// checkRUN01 is LW-RUN-01: runtime supported.
func checkRUN01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-RUN-01",
		Title:       "Runtime supported",
		Severity:    result.High,
		Controls:    []string{"CC7.1"},
		Families:    fams,
		Semantics:   "FAIL if the runtime's deprecation date has passed (data: shared runtime table, as of the scan date).",
		Remediation: "Move the function to a supported runtime of the same language (for example python3.13, nodejs22.x, java21, provided.al2023) and redeploy; Lambda no longer patches a deprecated runtime.",
		Run:         perFunction(fams, evalRUN01),
	}
}

// functionRuntime resolves the function's runtime in the runtime table.
// done is true when the finding (or no result) is already decided: an image
// function has no runtime (no result), an unresolved or unlisted runtime is
// UNKNOWN.
func functionRuntime(f *inventory.Function) (rt runtimes.Runtime, fd Finding, ok, done bool) {
	if pt, known := f.PackageType.Get(); known && strings.EqualFold(pt, "Image") {
		return rt, fd, false, true
	}
	v := f.Runtime
	name, known := v.Get()
	switch {
	case v.IsUnknown():
		return rt, unknownFinding(v.Loc, "the runtime cannot be resolved (%s)", whyUnknown(v)), true, true
	case !known || name == "":
		return rt, fd, false, true // no runtime set: nothing to judge
	}
	r, listed := runtimes.Lookup(name)
	if !listed || !r.Known {
		return rt, unknownFinding(v.Loc, "runtime %s has no known lifecycle dates in the runtime table, so its support status is unknown", name), true, true
	}
	return r, Finding{}, true, false
}

func evalRUN01(env *Env, f *inventory.Function) (Finding, bool) {
	r, fd, ok, done := functionRuntime(f)
	if done {
		return fd, ok
	}
	loc := f.Runtime.Loc
	if r.Deprecated(env.Now) {
		return failFinding(loc, "runtime %s was deprecated on %s%s", r.Name, r.Deprecation.Format(time.DateOnly), blockNote(r, env.Now)), true
	}
	return Finding{Status: result.Pass, Location: loc, Message: fmt.Sprintf("runtime %s is supported until %s", r.Name, r.Deprecation.Format(time.DateOnly))}, true
}

// blockNote tells when Lambda blocks (or blocked) creating and updating
// functions on the runtime.
func blockNote(r runtimes.Runtime, now time.Time) string {
	var parts []string
	for _, b := range []struct {
		what string
		when time.Time
	}{{"function creation", r.BlockCreate}, {"function updates", r.BlockUpdate}} {
		switch {
		case b.when.IsZero():
		case !now.Before(b.when):
			parts = append(parts, b.what+" blocked since "+b.when.Format(time.DateOnly))
		default:
			parts = append(parts, b.what+" blocked from "+b.when.Format(time.DateOnly))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
