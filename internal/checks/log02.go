package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkLOG02 is LW-LOG-02: log retention meets the audit period.
func checkLOG02() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-02",
		Title:       "Log retention meets the audit period",
		Severity:    result.Low,
		Controls:    []string{"CC7.2"},
		Families:    fams,
		Semantics:   "FAIL if retention is below `settings.log_retention_min_days` (default 365).",
		Remediation: "Raise the log group's retention_in_days (RetentionInDays) to at least settings.log_retention_min_days (365 by default), or export the logs to an archive that keeps them for the audit period.",
		Run:         withOrphanLogGroups(fams, evalLOG02, log02Group),
	}
}

func evalLOG02(env *Env, f *inventory.Function) (Finding, bool) {
	name := inventory.LogGroupName(f)
	group, ok := name.Get()
	if !ok {
		return unknownFinding(firstLoc(name.Loc, f.Loc), "the log group's name cannot be resolved (%s)", whyUnknown(name)), true
	}
	g := env.Index.LogGroupOf(f)
	if g == nil {
		// A log group with an unresolved name may be this function's, with
		// a retention below the audit period.
		for _, u := range env.Index.UnnamedLogGroups(f.Origin) {
			if fd := log02Group(env, u, u.ID); fd.Status != result.Pass {
				return unknownFinding(firstLoc(u.Name.Loc, u.Loc), "log group %s is not declared by name, but log group %s, whose name is %s, may be this function's: %s",
					group, u.ID, u.Name.String(), fd.Message), true
			}
		}
		return passFinding("log group " + group + " is not declared, so its logs never expire (retention itself is LW-LOG-01's)"), true
	}
	return log02Group(env, g, group), true
}

func log02Group(env *Env, g *inventory.LogGroup, group string) Finding {
	minDays := intSetting(env.Settings.LogRetentionMinDays, DefaultSettings().LogRetentionMinDays)
	r := g.RetentionDays
	loc := firstLoc(r.Loc, g.Loc)
	switch days, ok := r.Get(); {
	case r.IsUnknown():
		return unknownFinding(loc, "the retention of log group %s cannot be resolved (%s)", group, whyUnknown(r))
	case !ok || days <= 0:
		return Finding{Status: result.Pass, Location: loc, Message: "log group " + group + " never expires"}
	case days < minDays:
		return failFinding(loc, "log group %s keeps logs for %d days, less than the %d-day audit period", group, days, minDays)
	default:
		return Finding{Status: result.Pass, Location: loc, Message: "log group " + group + " keeps logs for " + itoa(days) + " days"}
	}
}
