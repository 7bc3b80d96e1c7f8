package checks

import (
	"fmt"
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

// logPatternWider reports whether a resource pattern for a log stream action
// covers more than the log group named group (in one account and region,
// whichever literal or placeholder they are written as). With known false
// (the group's name is unknown) only patterns that are wide whatever the
// name is are reported.
func logPatternWider(p, group string, known bool) bool {
	if iamAllResources(p) {
		return true
	}
	// A partition wildcard does not reach another account: not checked.
	_, service, region, account, res, ok := iamARNFields(p)
	if !ok {
		return strings.ContainsAny(p, "*?")
	}
	if strings.ContainsAny(iamStripVariables(service+":"+region+":"+account), "*?") {
		return true
	}
	rest, ok := strings.CutPrefix(res, "log-group:")
	if !ok {
		return strings.ContainsAny(res, "*?")
	}
	if !known {
		name, _, _ := strings.Cut(rest, ":")
		return strings.ContainsAny(name, "*?")
	}
	if rest == group {
		return false
	}
	// rest is within the group when the group's stream pattern matches it
	// literally (its wildcards as characters).
	return !iampolicy.MatchResource(group+":*", rest)
}

// evalIAM07 fails a role that may write log streams of other log groups.
func evalIAM07(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	groupV := inventory.LogGroupName(f)
	group, known := groupV.Get()
	acts := iamCatalogActions(c, "logs:CreateLogStream", "logs:PutLogEvents")
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
	}, fmt.Sprintf("role %q writes logs only to %s", ps.RoleName, own)), true
}
