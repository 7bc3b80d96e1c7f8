package checks

import (
	"fmt"
	"slices"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM11 is LW-IAM-11: no unused permissions. The catalog column is
// LIVE (IAM last-accessed data); an IaC function gets a result only when the
// scan was given CloudTrail logs (`scan --cloudtrail`), which fill the role's
// last-accessed rows. Without them an IaC function yields no result, as the
// catalog says for a "no" column.
func checkIAM11() *Check {
	fams := liveOnly()
	return &Check{
		ID:          "LW-IAM-11",
		Title:       "No unused permissions",
		Severity:    result.Medium,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL for each service the role may use but has not used in `settings.unused_days` (default 90), from IAM last-accessed data. UNKNOWN when that data is not available.",
		Remediation: "Remove the permissions for the services the role has not used (IAM last-accessed data in the console shows them), or generate a least-privilege policy with `lambdawarden policy generate`.",
		// Evaluated on IaC functions too, where CloudTrail data is present.
		Run: perFunction(iacAndLive(), evalIAM11),
	}
}

// evalIAM11 fails a role with services it may use but has not used within
// settings.unused_days; one result lists them all.
func evalIAM11(env *Env, f *inventory.Function) (Finding, bool) {
	role, _, gap, gapLoc := functionRole(env, f)
	live := f.Source.Family() == inventory.FamilyLIVE
	if !live && (role == nil || role.LastAccessed.IsAbsent()) {
		return Finding{}, false
	}
	if role == nil {
		return roleUnknown(gap, gapLoc), true
	}
	name := roleDisplayName(role)
	rows, ok := role.LastAccessed.Get()
	if !ok {
		why := "not available"
		if role.LastAccessed.IsUnknown() && role.LastAccessed.Why != "" {
			why += " (" + role.LastAccessed.Why + ")"
		}
		return Finding{Status: result.Unknown, Location: iamFirstLoc(role.LastAccessed.Loc),
			Message: fmt.Sprintf("cannot evaluate: IAM last-accessed data for role %q is %s", name, why)}, true
	}
	days := env.Settings.UnusedDays
	if days <= 0 {
		days = DefaultSettings().UnusedDays
	}
	now := env.Now
	if now.IsZero() {
		now = time.Now()
	}
	cutoff := now.AddDate(0, 0, -days)
	var unused, unreadable []string
	for _, r := range rows {
		if r.LastAccessed == "" {
			unused = append(unused, r.Namespace+" (never used)")
			continue
		}
		t, err := time.Parse(time.RFC3339, r.LastAccessed)
		if err != nil {
			unreadable = append(unreadable, fmt.Sprintf("%s (last accessed %q)", r.Namespace, r.LastAccessed))
			continue
		}
		if t.Before(cutoff) {
			unused = append(unused, fmt.Sprintf("%s (last used %s)", r.Namespace, t.UTC().Format("2006-01-02")))
		}
	}
	slices.Sort(unused)
	slices.Sort(unreadable)
	switch {
	case len(unused) > 0:
		return Finding{Status: result.Fail, Location: iamFirstLoc(role.Loc),
			Message: fmt.Sprintf("role %q has %d of %d services unused in the last %d days: %s",
				name, len(unused), len(rows), days, iamList(unused, 5))}, true
	case len(unreadable) > 0:
		return Finding{Status: result.Unknown, Location: iamFirstLoc(role.Loc),
			Message: "cannot evaluate: unreadable IAM last-accessed dates for " + iamList(unreadable, 3)}, true
	case len(rows) == 0:
		return Finding{Status: result.Pass,
			Message: fmt.Sprintf("IAM last-accessed data lists no services for role %q", name)}, true
	}
	return Finding{Status: result.Pass,
		Message: fmt.Sprintf("role %q used all %d of its services in the last %d days", name, len(rows), days)}, true
}
