package checks

import (
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkLOG08 is LW-LOG-08: the role can write its logs.
func checkLOG08() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-08",
		Title:       "Role can write its logs",
		Severity:    result.Medium,
		Controls:    []string{"CC7.2"},
		Families:    fams,
		Semantics:   "FAIL if the role grants no logs:PutLogEvents that covers the function's log group: its logs are silently lost.",
		Remediation: "Allow logs:CreateLogStream and logs:PutLogEvents on arn:aws:logs:REGION:ACCOUNT:log-group:/aws/lambda/NAME:* (the function's log group) in the execution role.",
		Run:         perFunction(fams, evalLOG08),
	}
}

// logProbeScopes returns the partition, region and account triples to test
// the function's log group in: its own, and, where the source does not know
// them (IaC), every literal one the role's log statements name, since a
// literal account or region is taken to be the function's own.
func logProbeScopes(ps *rolePolicySet) [][3]string {
	f := ps.Fn
	own := [3]string{inventory.CurrentPartition, iamFnRegion(f), iamFnAccount(f)}
	out := [][3]string{own}
	seen := map[[3]string]bool{own: true}
	// A source that knows the function's region or account (a Serverless
	// provider region, say) may still write the role's statements with the
	// current-region and current-account placeholders, which mean the
	// function's own: probe those spellings too.
	for _, sc := range [][3]string{
		{own[0], inventory.CurrentRegion, own[2]},
		{own[0], own[1], inventory.CurrentAccount},
		{own[0], inventory.CurrentRegion, inventory.CurrentAccount},
	} {
		if !seen[sc] {
			seen[sc] = true
			out = append(out, sc)
		}
	}
	regionOpen, accountOpen := own[1] == inventory.CurrentRegion, own[2] == inventory.CurrentAccount
	if !regionOpen && !accountOpen {
		return out
	}
	for _, s := range ps.statements(nil) {
		if !stmtCovers(s.St, "logs:PutLogEvents") {
			continue
		}
		for _, p := range s.St.Resources {
			partition, service, region, account, _, ok := iamARNFields(p)
			if !ok || !strings.EqualFold(service, "logs") {
				continue
			}
			sc := own
			if !strings.ContainsAny(partition, "*?") && partition != "" {
				sc[0] = partition
			}
			if regionOpen && region != "" && !strings.ContainsAny(region, "*?") {
				sc[1] = region
			}
			if accountOpen && account != "" && !strings.ContainsAny(account, "*?") {
				sc[2] = account
			}
			if !seen[sc] {
				seen[sc] = true
				out = append(out, sc)
			}
		}
	}
	return out
}

// evalLOG08 fails a function whose role cannot put log events into its log
// group.
func evalLOG08(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	groupV := inventory.LogGroupName(f)
	group, known := groupV.Get()
	if !known {
		return Finding{Status: result.Unknown, Location: iamFirstLoc(groupV.Loc),
			Message: "cannot evaluate: the function's log group name is " + groupV.String()}, true
	}
	if ps.Role == nil {
		gaps, loc := ps.gapTexts(allGaps)
		return roleUnknownFinding(ps, gaps, loc), true
	}
	docs := ps.policies()
	var allowed, conditional, denied, unknown bool
	for _, sc := range logProbeScopes(ps) {
		stream := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s:log-stream:%s", sc[0], sc[1], sc[2], group, iamProbeName)
		d, unk := iampolicy.Evaluate(docs, "logs:PutLogEvents", stream)
		switch d {
		case iampolicy.Allowed:
			allowed = true
		case iampolicy.ConditionallyAllowed:
			conditional = true
		case iampolicy.Denied:
			denied = true
		}
		unknown = unknown || unk
	}
	switch {
	case allowed:
		return Finding{Status: result.Pass, Message: fmt.Sprintf("role %q can write to log group %s", ps.RoleName, group)}, true
	case conditional:
		return Finding{Status: result.Pass, Message: fmt.Sprintf("role %q can write to log group %s (under conditions)", ps.RoleName, group)}, true
	}
	var what []string
	gaps, loc := ps.gapTexts(allGaps)
	what = append(what, gaps...)
	if unknown {
		what = append(what, "a statement that could grant or deny logs:PutLogEvents has unresolved parts")
	}
	if c := ps.Role.PoliciesComplete; c.IsUnknown() || (c.IsKnown() && !c.V) {
		what = append(what, "the role may have policies attached outside the scanned code")
	}
	if len(what) > 0 && !denied {
		return roleUnknownFinding(ps, what, iamFirstLoc(loc, ps.roleLoc())), true
	}
	msg := fmt.Sprintf("role %q grants no logs:PutLogEvents on log group %s, so the function's logs are lost", ps.RoleName, group)
	if denied {
		msg = fmt.Sprintf("role %q denies logs:PutLogEvents on log group %s, so the function's logs are lost", ps.RoleName, group)
	} else if p, ok := groupOnlyGrant(ps, group); ok {
		msg += fmt.Sprintf(": it grants it on %s, the log group itself, but PutLogEvents writes to log streams and needs %s (log-stream ARNs)",
			p, ownLogGroupARN(f, group))
	}
	return Finding{Status: result.Fail, Location: ps.roleLoc(), Message: msg}, true
}

// groupOnlyGrant returns a resource pattern of an Allow statement covering
// logs:PutLogEvents that matches the log group's own ARN
// (arn:...:log-group:NAME) but none of its streams: the common mistake of
// leaving out the ":*".
func groupOnlyGrant(ps *rolePolicySet, group string) (string, bool) {
	for _, sc := range logProbeScopes(ps) {
		arn := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", sc[0], sc[1], sc[2], group)
		for _, s := range ps.statements(nil) {
			if allow, _, _ := stmtEffect(s.St); !allow || s.St.NotResourceSet || !stmtCovers(s.St, "logs:PutLogEvents") {
				continue
			}
			for _, p := range s.St.Resources {
				if iampolicy.MatchResource(p, arn) {
					return p, true
				}
			}
		}
	}
	return "", false
}
