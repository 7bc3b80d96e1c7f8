package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkCHG01 is LW-CHG-01: deployed as versions behind an alias.
func checkCHG01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-CHG-01",
		Title:       "Deployed as versions behind an alias",
		Severity:    result.Low,
		Controls:    []string{"CC8.1"},
		Families:    fams,
		Semantics:   "FAIL if the function publishes no versions or no alias points to a published version.",
		Remediation: "Publish a version on every deployment (publish = true, SAM AutoPublishAlias) and point an alias (live, prod) at it; callers invoke the alias so every change is a recorded, revertible version.",
		Run:         perFunction(fams, evalCHG01),
	}
}

// evalCHG01 passes a function with an alias pointing at a published
// version: a literal version number ("3") is one whether or not the
// function's deployments publish (it was published once, by hand or by an
// earlier deployment); any other version (a reference to the version a
// deployment publishes) counts only when deployments publish versions.
// $LATEST never does.
func evalCHG01(env *Env, f *inventory.Function) (Finding, bool) {
	aliases := env.Index.Aliases(f)
	for _, a := range aliases {
		if ver, ok := a.FunctionVersion.Get(); ok && isVersionNumber(ver) {
			return Finding{Status: result.Pass, Location: firstLoc(a.FunctionVersion.Loc, a.Loc),
				Message: "alias " + a.Name.Or(a.ID) + " points to published version " + ver}, true
		}
	}
	pv := f.PublishVersions
	switch publish, ok := pv.Get(); {
	case pv.IsUnknown():
		return unknownFinding(pv.Loc, "whether deployments publish versions cannot be resolved (%s)", whyUnknown(pv)), true
	case !ok || !publish:
		return failFinding(firstLoc(pv.Loc, f.Loc), "the function publishes no versions and no alias points to a version number: every deployment overwrites $LATEST in place"), true
	}
	var v verdict
	for _, a := range aliases {
		fv := a.FunctionVersion
		name := a.Name.Or(a.ID)
		switch ver, ok := fv.Get(); {
		case fv.IsUnknown():
			v.unknown(firstLoc(fv.Loc, a.Loc), "the version alias %s points to cannot be resolved (%s)", name, whyUnknown(fv))
		case ok && ver != "" && ver != "$LATEST":
			return Finding{Status: result.Pass, Location: firstLoc(fv.Loc, a.Loc), Message: "alias " + name + " points to published version " + ver}, true
		}
	}
	if fd := v.finding(""); fd.Status == result.Unknown {
		return fd, true
	}
	if len(aliases) == 0 {
		return failFinding(f.Loc, "the function publishes versions but no alias points to one: callers invoke $LATEST"), true
	}
	return failFinding(firstLoc(aliases[0].Loc, f.Loc), "no alias of the function points to a published version (only $LATEST)"), true
}

// isVersionNumber reports whether a version is a published version's
// number ("1", "42"), as opposed to $LATEST or a reference.
func isVersionNumber(v string) bool {
	if v == "" {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
