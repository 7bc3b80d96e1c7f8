package checks

import (
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkLOG01 is LW-LOG-01: log group retention set. A function whose log
// group is not declared by name is UNKNOWN rather than FAIL when its origin
// declares a log group whose name is unresolved: that group may be its.
func checkLOG01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-01",
		Title:       "Log group retention set",
		Severity:    result.Medium,
		Controls:    []string{"CC7.2"},
		Families:    fams,
		Semantics:   "FAIL if the function's log group (`/aws/lambda/NAME` or its LoggingConfig log group) has no retention, or (IaC) is not declared, so Lambda creates it with Never Expire.",
		Remediation: "Declare the function's log group (aws_cloudwatch_log_group / AWS::Logs::LogGroup named /aws/lambda/NAME or its LoggingConfig group) with retention_in_days (RetentionInDays) set.",
		Run:         withOrphanLogGroups(fams, evalLOG01, log01Group),
	}
}

func evalLOG01(env *Env, f *inventory.Function) (Finding, bool) {
	name := inventory.LogGroupName(f)
	group, ok := name.Get()
	if !ok {
		return unknownFinding(firstLoc(name.Loc, f.Loc), "the log group's name cannot be resolved (%s)", whyUnknown(name)), true
	}
	g := env.Index.LogGroupOf(f)
	if g == nil {
		if u := env.Index.UnnamedLogGroups(f.Origin); len(u) > 0 {
			return unknownFinding(firstLoc(u[0].Name.Loc, u[0].Loc), "log group %s is not declared by name, but a log group with an unresolved name may be this function's: %s", group, unnamedGroupsText(u)), true
		}
		if f.Source.Family() == inventory.FamilyLIVE {
			return failFinding(f.Loc, "log group %s does not exist: Lambda creates it with Never Expire retention on the first invocation", group), true
		}
		return failFinding(firstLoc(f.LogGroup.Loc, f.Loc), "log group %s is not declared, so Lambda creates it with Never Expire retention", group), true
	}
	return log01Group(env, g, group), true
}

// unnamedGroupsText names log groups whose name is unknown, with why.
func unnamedGroupsText(gs []*inventory.LogGroup) string {
	var parts []string
	for i, g := range gs {
		if i == 2 {
			parts = append(parts, fmt.Sprintf("and %d more", len(gs)-2))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (name %s)", g.ID, g.Name.String()))
	}
	return strings.Join(parts, ", ")
}

func log01Group(_ *Env, g *inventory.LogGroup, group string) Finding {
	r := g.RetentionDays
	loc := firstLoc(r.Loc, g.Loc)
	switch days, ok := r.Get(); {
	case r.IsUnknown():
		return unknownFinding(loc, "the retention of log group %s cannot be resolved (%s)", group, whyUnknown(r))
	case !ok || days <= 0:
		return failFinding(loc, "log group %s (%s) has no retention: its logs never expire", group, g.ID)
	default:
		return Finding{Status: result.Pass, Location: loc, Message: "log group " + group + " keeps logs for " + itoa(days) + " days"}
	}
}

// withOrphanLogGroups runs eval on every function, and evalGroup on each
// Lambda log group (/aws/lambda/NAME) no scanned function writes to, as a
// resource of kind log_group named after the function.
func withOrphanLogGroups(fams []inventory.Family, eval FunctionEval, evalGroup func(*Env, *inventory.LogGroup, string) Finding) func(*Env) []Finding {
	perFn := perFunction(fams, eval)
	return func(env *Env) []Finding {
		out := perFn(env)
		used := map[*inventory.LogGroup]bool{}
		for _, f := range env.Inventory().Functions {
			if g := env.Index.LogGroupOf(f); g != nil {
				used[g] = true
			}
		}
		for _, g := range env.Inventory().LogGroups {
			name, ok := g.Name.Get()
			if used[g] || !ok || !strings.HasPrefix(name, lambdaLogPrefix) || !hasFamily(fams, g.Source.Family()) {
				continue
			}
			fd := evalGroup(env, g, name)
			fd.Resource = result.Resource{Kind: result.KindLogGroup, ID: g.ID, Name: strings.TrimPrefix(name, lambdaLogPrefix),
				Account: g.Account, Region: g.Region}
			fd.Location = firstLoc(fd.Location, g.Loc)
			out = append(out, fd)
		}
		return out
	}
}

// lambdaLogPrefix starts the names of the log groups Lambda creates.
const lambdaLogPrefix = "/aws/lambda/"
