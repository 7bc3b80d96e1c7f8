package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM07 is LW-IAM-07: log permissions scoped to the function's own log
// group.
func checkIAM07() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-07",
		Title:       "Log permissions scoped to the function's own log group",
		Severity:    result.Low,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if logs:CreateLogStream or logs:PutLogEvents is granted on a resource wider than `arn:aws:logs:REGION:ACCOUNT:log-group:/aws/lambda/NAME:*` (the AWSLambdaBasicExecutionRole managed policy counts as wide).",
		Remediation: "Replace AWSLambdaBasicExecutionRole (or logs actions on `*`) with an inline statement allowing logs:CreateLogStream and logs:PutLogEvents on arn:aws:logs:REGION:ACCOUNT:log-group:/aws/lambda/NAME:* only.",
		Run:         perFunction(fams, evalIAM07),
	}
}

// ownLogGroupARN is the ARN pattern of the function's own log group's
// streams, as LW-IAM-07 words it.
func ownLogGroupARN(f *inventory.Function, group string) string {
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s:*", inventory.CurrentPartition, iamFnRegion(f), iamFnAccount(f), group)
}

// logPatternWider reports whether a resource pattern for a log stream
// action covers log groups beyond the function's own, named group, through a
// wildcard: `*`, a wildcard in the service or resource type, a wildcard in
// the log group name (/aws/lambda/*, /aws/lambda/orders*), or the
// function's own group name in any region or account (a `*` there). A
// pattern naming another log group without a wildcard in its name
// (CloudWatchLambdaInsightsExecutionRolePolicy's /aws/lambda-insights,
// another function's /aws/lambda/billing, in any region or account) is not
// wider: it is someone else's group, not this check's concern. A literal
// region or account is taken as the function's own (IaC). With known false
// (the group's name is unknown) only a wildcard in the name counts.
func logPatternWider(p, group string, known bool) bool {
	if iamAllResources(p) {
		return true
	}
	// A partition wildcard does not reach another account: not checked.
	_, service, region, account, res, ok := iamARNFields(p)
	if !ok {
		return strings.ContainsAny(p, "*?")
	}
	if strings.ContainsAny(iamStripVariables(service), "*?") {
		return true
	}
	rest, ok := strings.CutPrefix(res, "log-group:")
	if !ok {
		return strings.ContainsAny(res, "*?")
	}
	// Log group names hold no ':'; a policy variable names one group per
	// request.
	name, _, _ := strings.Cut(iamStripVariables(rest), ":")
	switch {
	case strings.ContainsAny(name, "*?"):
		return true
	case !known || name != group:
		return false
	}
	return strings.ContainsAny(iamStripVariables(region+":"+account), "*?")
}

// logGroupOfPattern is the log group name a log resource pattern names, and
// whether it names one (no wildcard in the name).
func logGroupOfPattern(p string) (string, bool) {
	_, service, _, _, res, ok := iamARNFields(p)
	if !ok || !strings.EqualFold(service, "logs") {
		return "", false
	}
	rest, ok := strings.CutPrefix(res, "log-group:")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(iamStripVariables(rest), ":")
	return name, name != "" && !strings.ContainsAny(name, "*?")
}

// logWriteActions are the actions LW-IAM-07 judges.
func logWriteActions() []string { return []string{"logs:CreateLogStream", "logs:PutLogEvents"} }

// logWritePatterns returns the resource patterns the role's Allow
// statements grant a log write action on, sorted and unique.
func logWritePatterns(ps *rolePolicySet) []string {
	var out []string
	for _, s := range ps.statements(nil) {
		if allow, _, _ := stmtEffect(s.St); !allow {
			continue
		}
		if !slices.ContainsFunc(logWriteActions(), func(a string) bool { return stmtCovers(s.St, a) }) {
			continue
		}
		switch {
		case s.St.NotResourceSet:
			out = append(out, "every resource except "+iamList(s.St.NotResources, 2))
		case len(s.St.Resources) == 0:
			out = append(out, "*")
		default:
			out = append(out, s.St.Resources...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// evalIAM07 fails a role that may write log streams of log groups beyond
// the function's own.
func evalIAM07(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	groupV := inventory.LogGroupName(f)
	group, known := groupV.Get()
	acts := iamCatalogActions(c, logWriteActions()...)
	grants, uncertain := ps.scan(c, grantScan{
		Granted:    iamListGranted(acts),
		Candidates: acts,
		Wide:       func(_ iampolicy.Action, p string) bool { return logPatternWider(p, group, known) },
	})
	own := ownLogGroupARN(f, group)
	if !known && len(grants) == 0 {
		return Finding{Status: result.Unknown, Location: iamFirstLoc(groupV.Loc),
			Message: "cannot tell the function's log group: its name is " + groupV.String()}, true
	}
	return roleVerdict(ps, grants, uncertain, allGaps, func(gs []roleGrant) string {
		if known {
			return fmt.Sprintf("log permissions are wider than the function's own log group (%s): %s", own, describeGrants(gs, "grants"))
		}
		return "log permissions are wider than any single log group: " + describeGrants(gs, "grants")
	}, iam07PassMessage(ps, group, own)), true
}

// iam07PassMessage says what a passing role grants: no log writes at all,
// writes to its own log group only, or writes to specific log groups.
func iam07PassMessage(ps *rolePolicySet, group, own string) string {
	patterns := logWritePatterns(ps)
	if len(patterns) == 0 {
		return fmt.Sprintf("role %q grants no log write actions (logs:CreateLogStream, logs:PutLogEvents), so the function cannot write its logs (see LW-LOG-08)", ps.RoleName)
	}
	var wide []string
	for _, p := range patterns {
		if _, ok := logGroupOfPattern(p); !ok || logPatternWider(p, group, true) {
			wide = append(wide, p)
		}
	}
	if len(wide) > 0 {
		// The check passed, so a Deny cancels these grants beyond the group.
		return fmt.Sprintf("role %q grants log writes on %s, but a Deny keeps them within %s", ps.RoleName, iamList(wide, 2), own)
	}
	streams := false
	for _, p := range patterns {
		name, _ := logGroupOfPattern(p)
		if name != group {
			return fmt.Sprintf("role %q writes logs only to specific log groups: %s", ps.RoleName, iamList(patterns, 3))
		}
		streams = streams || !strings.HasSuffix(p, "log-group:"+name)
	}
	if !streams {
		return fmt.Sprintf("role %q grants log writes only on its own log group (%s), though not on its log streams, which logs:PutLogEvents needs (%s; see LW-LOG-08)", ps.RoleName, iamList(patterns, 2), own)
	}
	return fmt.Sprintf("role %q writes logs only to its own log group (%s)", ps.RoleName, iamList(patterns, 2))
}
