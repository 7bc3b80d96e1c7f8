package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// checkIAM02 is LW-IAM-02: no administrator-level policy. "Equivalent to
// `*` on `*`" includes an Allow of NotAction on every resource that excludes
// only IAM, Organizations and account management actions: PowerUserAccess
// written by hand (see powerUserEquivalent).
func checkIAM02() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-02",
		Title:       "No administrator-level policy",
		Severity:    result.Critical,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if the role has AdministratorAccess, PowerUserAccess or IAMFullAccess attached, or any Allow statement equivalent to `*` on `*`.",
		Remediation: "Detach the administrator-level policy and replace `*` on `*` with the specific actions and resource ARNs the function uses (generate them with `lambdawarden policy generate`).",
		Run:         perFunction(fams, evalIAM02),
	}
}

// adminPolicyNames are the AWS-managed policies LW-IAM-02 treats as
// administrator-level.
func adminPolicyNames() []string {
	return []string{"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}
}

// adminProbeActions stand for "everything" when asking whether a Deny
// cancels an administrator-level grant: if it denies all of them, the grant
// is no longer administrator-level.
func adminProbeActions() []string {
	return []string{"ec2:RunInstances", "iam:CreateUser", "iam:PassRole", "iam:PutRolePolicy",
		"lambda:UpdateFunctionCode", "s3:DeleteBucket", "sts:AssumeRole"}
}

// evalIAM02 fails a role with an administrator-level policy attached or an
// Allow of every action on every resource. EXP-01 reuses it.
func evalIAM02(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	mayDeny := ps.mayDeny()

	// survives reports whether some of the probe actions a grant covers stay
	// allowed (no unconditional Deny removes them all).
	survives := func(covers func(string) bool, resource string, notRes bool, notResources []string) (ok, maybe bool) {
		if !mayDeny {
			return true, false
		}
		probes := 0
		for _, name := range adminProbeActions() {
			if !covers(name) {
				continue
			}
			probes++
			a := iamCatalogActions(c, name)[0]
			den, unk := ps.denied(name, ps.probeFor(c, a, resource, notRes, notResources))
			if unk {
				maybe = true
			}
			if !den && !unk {
				return true, false
			}
		}
		return probes == 0, maybe
	}

	var findings []string
	var loc srcloc.Location
	var uncertain []string
	add := func(msg string, l srcloc.Location) {
		if len(findings) == 0 {
			loc = l
		}
		findings = append(findings, msg)
	}

	// Administrator-level AWS-managed policies, by name.
	adminDocs := map[string]bool{}
	var named []string
	var namedLoc srcloc.Location
	for _, at := range ps.Attachments {
		if !at.AWSManaged || !slices.Contains(adminPolicyNames(), at.Name) {
			continue
		}
		adminDocs[at.Name] = true
		covers := func(string) bool { return true }
		for _, d := range ps.Docs {
			if d.Kind == awsManagedRolePolicy && d.Name == at.Name {
				doc := d.Policy
				covers = func(action string) bool {
					for i := range doc.Statements {
						if allow, _, _ := stmtEffect(&doc.Statements[i]); allow && stmtCovers(&doc.Statements[i], action) {
							return true
						}
					}
					return false
				}
			}
		}
		ok, maybe := survives(covers, "*", false, nil)
		switch {
		case ok:
			if len(named) == 0 {
				namedLoc = iamFirstLoc(at.Loc)
			}
			named = append(named, at.Name)
		case maybe:
			uncertain = append(uncertain, fmt.Sprintf("AWS-managed policy %s may be cancelled by a Deny with unresolved parts", at.Name))
		}
	}
	if len(named) > 0 {
		slices.Sort(named)
		named = slices.Compact(named)
		add(fmt.Sprintf("AWS-managed %s %s %s attached", iamPlural(len(named), "policy", "policies"),
			strings.Join(named, ", "), iamPlural(len(named), "is", "are")), namedLoc)
	}

	// Allow statements equivalent to * on *.
	for _, s := range ps.statements(func(d *rolePolicyDoc) bool { return !(d.Kind == awsManagedRolePolicy && adminDocs[d.Name]) }) {
		st := s.St
		allow, _, unsure := stmtEffect(st)
		if !allow && !unsure {
			continue
		}
		allActions := allowsEveryAction(c, st)
		powerUser := !allActions && powerUserEquivalent(c, st)
		var wideRes []string
		if st.NotResourceSet {
			wideRes = append(wideRes, "every resource except "+iamList(st.NotResources, 2))
		}
		for _, p := range st.Resources {
			if iamAllResources(p) {
				wideRes = append(wideRes, p)
			}
		}
		if !st.NotResourceSet && len(st.Resources) == 0 && !stmtUnknown(st, "Resource") {
			wideRes = append(wideRes, "*") // no Resource: every resource, as Evaluate takes it
		}
		broad := allActions || powerUser
		unresolved := (broad && (stmtUnknown(st, "Resource") || len(wideRes) > 0 && unsure)) ||
			(len(wideRes) > 0 && stmtUnknown(st, "Action"))
		if broad && len(wideRes) > 0 && !unsure {
			res := "*"
			if !st.NotResourceSet {
				res = wideRes[0]
			}
			ok, maybe := survives(func(a string) bool { return stmtCovers(st, a) }, res, st.NotResourceSet, st.NotResources)
			switch {
			case ok && powerUser:
				add(fmt.Sprintf("%s allows %s on %s, equivalent to PowerUserAccess", s.Label(), stmtActionText(st), wideRes[0]), s.Loc())
			case ok:
				add(fmt.Sprintf("%s allows %s on %s", s.Label(), stmtActionText(st), wideRes[0]), s.Loc())
			case maybe:
				uncertain = append(uncertain, s.Label()+" may be cancelled by a Deny with unresolved parts")
			}
		}
		if unresolved {
			uncertain = append(uncertain, s.Label()+" has unresolved "+stmtUnknownFields(st))
		}
	}

	if len(findings) > 0 {
		return Finding{Status: result.Fail, Location: loc, Message: iamList(findings, 2)}, true
	}
	gaps, gloc := ps.gapTexts(allGaps)
	if len(gaps) == 0 {
		gloc = ps.roleLoc()
	}
	if what := append(gaps, uncertain...); len(what) > 0 {
		return roleUnknownFinding(ps, what, gloc), true
	}
	return Finding{Status: result.Pass, Message: fmt.Sprintf("role %q has no administrator-level policy and no statement allows * on *", ps.RoleName)}, true
}

// allowsEveryAction reports whether a statement's Action is equivalent to
// "*": a pattern of wildcards only ("*", "*:*"), or a NotAction that excludes
// no catalog action.
func allowsEveryAction(c *iampolicy.Catalog, st *iampolicy.Statement) bool {
	if st.NotActionSet {
		if stmtUnknown(st, "Action") {
			return false
		}
		for _, p := range st.NotActions {
			if len(c.Expand(p)) > 0 {
				return false
			}
		}
		return true
	}
	for _, p := range st.Actions {
		if strings.Trim(p, "*?:") == "" && strings.Contains(p, "*") {
			return true
		}
	}
	return false
}

// powerUserServices are the services PowerUserAccess leaves out of its
// NotAction (iam:*, organizations:*, account:*).
func powerUserServices() []string { return []string{"iam", "organizations", "account"} }

// powerUserEquivalent reports whether a statement is administrator-level in
// the way of PowerUserAccess: an Allow of NotAction whose excluded actions
// all belong to IAM, AWS Organizations and account management (every
// pattern, expanded over the catalog, names only actions of those
// services; at least one pattern), so that it grants every action of every
// other service. On every resource it can do all but manage identities,
// and IAM changes are one iam:PassRole or sts:AssumeRole away. A NotAction
// that also excludes another service's actions (s3:*, sts:*) is not
// equivalent (LW-IAM-04 still fails it); one whose actions cannot all be
// resolved is not decided here.
func powerUserEquivalent(c *iampolicy.Catalog, st *iampolicy.Statement) bool {
	if !st.NotActionSet || len(st.NotActions) == 0 || stmtUnknown(st, "Action") {
		return false
	}
	for _, p := range st.NotActions {
		svc, _, ok := strings.Cut(p, ":")
		if !ok || strings.ContainsAny(svc, "*?") {
			return false // "*", "i*:*": may exclude other services
		}
		for _, a := range c.Expand(p) {
			if !slices.Contains(powerUserServices(), strings.ToLower(a.Service)) {
				return false
			}
		}
	}
	return true
}

// stmtActionText words what a statement's Action grants, for messages.
func stmtActionText(st *iampolicy.Statement) string {
	if st.NotActionSet {
		return "every action except " + iamList(st.NotActions, 2)
	}
	for _, p := range st.Actions {
		if strings.Trim(p, "*?:") == "" {
			return p
		}
	}
	return iamList(st.Actions, 3)
}
