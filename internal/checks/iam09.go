package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM09 is LW-IAM-09: no privilege-escalation paths. An iam:PassRole
// whose iam:PassedToService condition allows neither Lambda nor another
// code-running service, or whose iam:AssociatedResourceArn condition names
// specific resources, is not a path (see escalationLimited).
func checkIAM09() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-09",
		Title:       "No privilege-escalation paths",
		Severity:    result.Critical,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if the role can escalate: iam:PassRole on `*`, iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, iam:Attach*Policy, iam:Put*Policy, iam:CreateAccessKey, iam:UpdateAssumeRolePolicy, sts:AssumeRole on `*`, lambda:UpdateFunctionCode or lambda:CreateFunction with iam:PassRole, on resources not limited to specific ARNs. The message names the path.",
		Remediation: "Remove the IAM-changing and role-assuming actions from the function's role, or limit iam:PassRole, sts:AssumeRole and lambda:UpdateFunctionCode to the specific role and function ARNs it must use.",
		Run:         perFunction(fams, evalIAM09),
	}
}

// escalationActions are the actions (or patterns) that open a privilege
// escalation path when granted on resources not limited to specific ARNs.
func escalationActions() []string {
	return []string{"iam:PassRole", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
		"iam:Attach*Policy", "iam:Put*Policy", "iam:CreateAccessKey", "iam:UpdateAssumeRolePolicy",
		"sts:AssumeRole", "lambda:UpdateFunctionCode"}
}

// evalIAM09 fails a role that can escalate its privileges; the message names
// each path. EXP-01 reuses it.
func evalIAM09(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	acts := iamCatalogActions(c, escalationActions()...)
	grants, uncertain := ps.scan(c, grantScan{
		Granted:    iamListGranted(acts),
		Candidates: acts,
		Wide:       func(_ iampolicy.Action, p string) bool { return !iamSpecificARN(p) },
		Limited:    escalationLimited,
	})
	// iam:PassRole is worst with lambda:CreateFunction: a new function can
	// run with any role passed to it.
	create := iamCatalogActions(c, "lambda:CreateFunction")
	creates, _ := ps.scan(c, grantScan{
		Granted: iamListGranted(create),
		Wide:    func(iampolicy.Action, string) bool { return true },
	})
	return roleVerdict(ps, grants, uncertain, allGaps, func(gs []roleGrant) string {
		const maxGrants = 2
		var paths []string
		for i, g := range gs {
			if i == maxGrants {
				n := len(gs) - maxGrants
				paths[len(paths)-1] += fmt.Sprintf("; and %d more %s", n, iamPlural(n, "statement", "statements"))
				break
			}
			var parts []string
			others := g
			others.Actions = nil
			for _, a := range g.Actions {
				if strings.EqualFold(a, "iam:PassRole") {
					p := a + " on " + g.ResourceText()
					if len(creates) > 0 {
						p += " with lambda:CreateFunction"
					}
					parts = append(parts, p)
				} else {
					others.Actions = append(others.Actions, a)
				}
			}
			if len(others.Actions) > 0 {
				parts = append(parts, others.ActionText()+" on "+g.ResourceText())
			}
			paths = append(paths, fmt.Sprintf("%s (%s)", strings.Join(parts, "; "), g.At.Label()))
		}
		return fmt.Sprintf("role %q can escalate privileges: %s", ps.RoleName, strings.Join(paths, "; "))
	}, fmt.Sprintf("role %q has no privilege-escalation path", ps.RoleName)), true
}

// codeRunningServices are the service principals to which passing a role
// lets the caller run code or API calls of their choosing with it: Lambda
// itself, and the well-known escalation paths through other services
// (ec2:RunInstances, ecs:RunTask, cloudformation:CreateStack,
// glue:CreateDevEndpoint, sagemaker:CreateNotebookInstance,
// codebuild:CreateProject, datapipeline, EMR, Step Functions, EventBridge
// Scheduler). A PassRole limited to services outside this list (for example
// application-autoscaling and dax, as AmazonDynamoDBFullAccess grants it)
// is not an escalation path.
func codeRunningServices() []string {
	return []string{"lambda.amazonaws.com", "edgelambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com",
		"cloudformation.amazonaws.com", "glue.amazonaws.com", "sagemaker.amazonaws.com", "codebuild.amazonaws.com",
		"datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com", "states.amazonaws.com", "scheduler.amazonaws.com"}
}

// escalationLimited reports whether an Allow statement's conditions limit
// its grant of an escalation action to targets that open no path. It
// honours, for iam:PassRole only:
//
//   - iam:PassedToService under StringEquals, StringEqualsIgnoreCase or
//     StringLike (also ForAnyValue:): the role can be passed only to the
//     services every such condition allows; limited when none of them is
//     Lambda or another code-running service (codeRunningServices).
//   - iam:AssociatedResourceArn under ArnEquals, ArnLike, StringEquals or
//     StringLike (also ForAnyValue:) whose values all name specific
//     resources (no wildcard): like a Resource of specific role ARNs, the
//     pass is tied to those resources.
//
// Every other condition is ignored (the grant is judged as if it had
// none): negated and ...IfExists operators, ForAllValues: (true when the key
// is absent), tag conditions (anyone who can tag can meet them), and
// iam:PolicyARN or iam:PermissionsBoundary (attaching even one named policy,
// or creating under a boundary, still grants what that policy or boundary
// allows). A statement with unresolved conditions is judged without them:
// an unresolved value might be the one that allows Lambda.
func escalationLimited(st *iampolicy.Statement, a iampolicy.Action) bool {
	if !strings.EqualFold(a.String(), "iam:PassRole") || stmtUnknown(st, "Condition") {
		return false
	}
	var services, associated [][]string
	var servicesFold []bool
	for _, cond := range st.Conditions {
		op := strings.ToLower(cond.Operator)
		op = strings.TrimPrefix(op, "foranyvalue:")
		switch {
		case strings.EqualFold(cond.Key, "iam:PassedToService"):
			switch op {
			case "stringequals", "stringlike", "stringequalsignorecase":
				services = append(services, cond.Values)
				servicesFold = append(servicesFold, op == "stringequalsignorecase")
			}
		case strings.EqualFold(cond.Key, "iam:AssociatedResourceArn"):
			switch op {
			case "arnequals", "arnlike", "stringequals", "stringlike":
				associated = append(associated, cond.Values)
			}
		}
	}
	for _, vals := range associated {
		if len(vals) > 0 && !slices.ContainsFunc(vals, func(v string) bool { return !iamSpecificARN(v) }) {
			return true
		}
	}
	if len(services) == 0 {
		return false
	}
	// The role can be passed to a service only if every condition allows it.
	for _, svc := range codeRunningServices() {
		allowed := true
		for i, vals := range services {
			if !slices.ContainsFunc(vals, func(v string) bool { return conditionStringMatch(v, svc, servicesFold[i]) }) {
				allowed = false
				break
			}
		}
		if allowed {
			return false
		}
	}
	return true
}

// conditionStringMatch reports whether a String condition value (with the
// StringLike wildcards * and ?, which StringEquals values do not hold in
// practice) matches s.
func conditionStringMatch(pattern, s string, fold bool) bool {
	if fold {
		return iampolicy.MatchAction(pattern, s)
	}
	return iampolicy.MatchResource(pattern, s)
}
