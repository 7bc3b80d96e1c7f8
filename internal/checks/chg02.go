package checks

import (
	"path"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkCHG02 is LW-CHG-02: deployed by a pipeline, not by hand. The catalog
// column is LIVE; an IaC function gets a result only when the scan was given
// CloudTrail logs (`scan --cloudtrail`), which fill its last deployment
// (known, or unknown when the logs hold none). Without them an IaC function
// yields no result.
func checkCHG02() *Check {
	fams := liveOnly()
	return &Check{
		ID:          "LW-CHG-02",
		Title:       "Deployed by a pipeline, not by hand",
		Severity:    result.Medium,
		Controls:    []string{"CC8.1"},
		Families:    fams,
		Semantics:   "FAIL if the last UpdateFunctionCode / CreateFunction (CloudTrail, 90 days) was made by an IAM user or console session rather than a role in `settings.deploy_roles`; UNKNOWN without CloudTrail access.",
		Remediation: "Deploy only through the CI/CD pipeline's role, list that role in settings.deploy_roles, and remove lambda:UpdateFunctionCode / CreateFunction from human users and console roles.",
		// Evaluated on IaC functions too, where CloudTrail data is present.
		Run: perFunction(iacAndLive(), evalCHG02),
	}
}

func evalCHG02(env *Env, f *inventory.Function) (Finding, bool) {
	ld := f.LastDeployment
	if f.Source.Family() != inventory.FamilyLIVE && ld.IsAbsent() {
		return Finding{}, false
	}
	d, ok := ld.Get()
	switch {
	case ld.IsUnknown():
		return unknownFinding(ld.Loc, "the last deployment cannot be found (%s)", whyUnknown(ld)), true
	case !ok:
		return unknownFinding(ld.Loc, "no CloudTrail data on the function's last deployment (grant cloudtrail:LookupEvents or pass --cloudtrail)"), true
	}
	who := d.PrincipalARN
	if who == "" {
		who = d.PrincipalType
	}
	event := d.EventName
	if event == "" {
		event = "the last deployment"
	}
	role := d.RoleARN
	if role == "" && strings.Contains(d.PrincipalARN, ":role/") {
		role = d.PrincipalARN
	}
	switch {
	case d.Console:
		return failFinding(ld.Loc, "%s (%s) was made from a console session by %s", event, d.Time, who), true
	case d.PrincipalType == "IAMUser" || d.PrincipalType == "Root" || strings.Contains(d.PrincipalARN, ":user/") || strings.HasSuffix(d.PrincipalARN, ":root"):
		return failFinding(ld.Loc, "%s (%s) was made by %s, not by a deployment role", event, d.Time, who), true
	case role == "":
		return unknownFinding(ld.Loc, "%s (%s) was made by %s, which cannot be matched to a role", event, d.Time, who), true
	case len(env.Settings.DeployRoles) == 0:
		return Finding{Status: result.Pass, Location: ld.Loc, Message: event + " was made by role " + role + " outside the console (set settings.deploy_roles to pin the pipeline's role)"}, true
	case deployRole(env.Settings.DeployRoles, role):
		return Finding{Status: result.Pass, Location: ld.Loc, Message: event + " was made by deployment role " + role}, true
	default:
		return failFinding(ld.Loc, "%s (%s) was made by role %s, which is not in settings.deploy_roles", event, d.Time, role), true
	}
}

// deployRole reports whether a role ARN matches one of the configured
// deploy roles, given as ARNs or names, with glob wildcards.
func deployRole(patterns []string, roleARN string) bool {
	name := roleARN
	if i := strings.LastIndex(name, ":role/"); i >= 0 {
		name = name[i+len(":role/"):]
		if j := strings.LastIndexByte(name, '/'); j >= 0 {
			name = name[j+1:]
		}
	}
	for _, p := range patterns {
		if p == roleARN || p == name {
			return true
		}
		if ok, _ := path.Match(p, roleARN); ok {
			return true
		}
		if ok, _ := path.Match(p, name); ok && !strings.Contains(p, ":") {
			return true
		}
	}
	return false
}
