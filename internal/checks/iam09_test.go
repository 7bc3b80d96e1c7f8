package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM09(t *testing.T) {
	grant := func(sts ...iamStatement) *inventory.Inventory {
		r := iamBasicRole()
		for i, s := range sts {
			iamWithInline(r, s.policy, 30+10*i, iamAllow(s.sid, 31+10*i, s.actions, s.resources...))
		}
		return iamSingle(r)
	}
	worker := "arn:aws:iam::<account>:role/worker"
	runIAMCases(t, checkIAM09(), []iamCase{
		{name: "no IAM actions pass", inv: iamSingle(iamBasicRole()), want: result.Pass},
		{name: "PassRole on a specific role with CreateFunction passes",
			inv:  grant(iamStatement{"deploy", "Pass", iamActs("iam:PassRole", "lambda:CreateFunction"), []string{worker}}),
			want: result.Pass},
		{name: "AssumeRole of a specific role passes", inv: grant(iamStatement{"x", "", iamActs("sts:AssumeRole"), []string{worker}}), want: result.Pass},
		{name: "PassRole on star with CreateFunction names the path",
			inv: grant(iamStatement{"deploy", "Pass", iamActs("iam:PassRole"), []string{"*"}},
				iamStatement{"create", "", iamActs("lambda:CreateFunction"), []string{"arn:aws:lambda:<region>:<account>:function:*"}}),
			want: result.Fail, line: 31,
			msg: []string{`role "orders-role" can escalate privileges: iam:PassRole on * with lambda:CreateFunction (inline policy "deploy" statement "Pass")`}},
		{name: "PassRole on star alone", inv: grant(iamStatement{"p", "", iamActs("iam:PassRole"), []string{"*"}}),
			want: result.Fail, msg: []string{"iam:PassRole on * (inline policy \"p\")"}, notMsg: []string{"CreateFunction"}},
		{name: "AttachRolePolicy on every role", inv: grant(iamStatement{"p", "", iamActs("iam:AttachRolePolicy"), []string{"arn:aws:iam::<account>:role/*"}}),
			want: result.Fail, msg: []string{"iam:AttachRolePolicy on arn:aws:iam::<account>:role/*"}},
		{name: "PutRolePolicy via pattern", inv: grant(iamStatement{"p", "", iamActs("iam:Put*"), []string{"*"}}),
			want: result.Fail, msg: []string{"iam:PutGroupPolicy, iam:PutRolePolicy, iam:PutUserPolicy on *"}},
		{name: "UpdateFunctionCode on star", inv: grant(iamStatement{"p", "", iamActs("lambda:UpdateFunctionCode"), []string{"*"}}),
			want: result.Fail, msg: []string{"lambda:UpdateFunctionCode on *"}},
		{name: "AssumeRole on star", inv: grant(iamStatement{"p", "", iamActs("sts:AssumeRole"), []string{"*"}}),
			want: result.Fail, msg: []string{"sts:AssumeRole on *"}},
		{name: "iam star lists paths capped", inv: grant(iamStatement{"p", "", iamActs("iam:*"), []string{"*"}}),
			want: result.Fail, msg: []string{`iam:PassRole on *; iam:* (10 actions, such as iam:AttachGroupPolicy, iam:AttachRolePolicy) on * (inline policy "p")`}},
		{name: "deny cancels PassRole", inv: iamSingle(iamWithInline(iamBasicRole(), "p", 30,
			iamAllow("", 31, iamActs("iam:PassRole"), "*"), iamDeny("", 32, iamActs("iam:*"), "*"))),
			want: result.Pass},
		{name: "customer-managed policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamBasicRole())), want: result.Unknown},
	})
}

// TestIAM09Conditions: a PassRole whose conditions keep the role from
// Lambda (and other code-running services) or tie it to specific resources
// is not an escalation path; other conditions are not honoured.
func TestIAM09Conditions(t *testing.T) {
	cond := func(op, key string, vals ...string) iampolicy.Condition {
		return iampolicy.Condition{Operator: op, Key: key, Values: vals}
	}
	passRole := func(conds ...iampolicy.Condition) *inventory.Inventory {
		st := iamAllow("Pass", 31, iamActs("iam:PassRole"), "*")
		st.Conditions = conds
		return iamSingle(iamWithInline(iamBasicRole(), "pass", 30, st))
	}
	dynamoFull := "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
	runIAMCases(t, checkIAM09(), []iamCase{
		{name: "AmazonDynamoDBFullAccess alone passes", inv: iamSingle(iamWithAttached(iamBasicRole(), iamARNRef(dynamoFull), 40)), want: result.Pass},
		{name: "PassRole only to dax passes", inv: passRole(cond("StringLike", "iam:PassedToService", "dax.amazonaws.com", "application-autoscaling.amazonaws.com")), want: result.Pass},
		{name: "PassRole only to dax with StringEquals passes", inv: passRole(cond("StringEquals", "iam:PassedToService", "dax.amazonaws.com")), want: result.Pass},
		{name: "PassRole to lambda fails", inv: passRole(cond("StringEquals", "iam:PassedToService", "lambda.amazonaws.com")),
			want: result.Fail, msg: []string{"iam:PassRole on *"}},
		{name: "PassRole to lambda in other case fails", inv: passRole(cond("StringEqualsIgnoreCase", "iam:PassedToService", "Lambda.AmazonAWS.com")), want: result.Fail},
		{name: "PassRole to any service by wildcard fails", inv: passRole(cond("StringLike", "iam:PassedToService", "*.amazonaws.com")), want: result.Fail},
		{name: "PassRole to ec2 fails", inv: passRole(cond("StringEquals", "iam:PassedToService", "ec2.amazonaws.com")), want: result.Fail},
		{name: "PassRole except to dax fails", inv: passRole(cond("StringNotEquals", "iam:PassedToService", "dax.amazonaws.com")), want: result.Fail},
		{name: "PassRole to dax if exists fails", inv: passRole(cond("StringEqualsIfExists", "iam:PassedToService", "dax.amazonaws.com")), want: result.Fail},
		{name: "PassRole with ForAllValues fails", inv: passRole(cond("ForAllValues:StringEquals", "iam:PassedToService", "dax.amazonaws.com")), want: result.Fail},
		{name: "conditions that together exclude lambda pass", inv: passRole(
			cond("StringLike", "iam:PassedToService", "*"), cond("StringEquals", "iam:PassedToService", "dax.amazonaws.com")), want: result.Pass},
		{name: "PassRole tied to a specific function passes", inv: passRole(cond("ArnEquals", "iam:AssociatedResourceArn",
			"arn:aws:lambda:<region>:<account>:function:orders")), want: result.Pass},
		{name: "PassRole tied to every function fails", inv: passRole(cond("ArnLike", "iam:AssociatedResourceArn",
			"arn:aws:lambda:<region>:<account>:function:*")), want: result.Fail},
		{name: "tag condition is not honoured", inv: passRole(cond("StringEquals", "aws:ResourceTag/team", "orders")), want: result.Fail},
		{name: "unresolved condition is not honoured", inv: func() *inventory.Inventory {
			inv := passRole(cond("StringEquals", "iam:PassedToService", "dax.amazonaws.com"))
			inv.Roles[0].Inline[0].Document.V.Statements[0].Unknown = []string{"Condition"}
			return inv
		}(), want: result.Fail},
		{name: "limited PassRole beside an unlimited one fails", inv: iamSingle(iamWithInline(iamWithAttached(iamBasicRole(), iamARNRef(dynamoFull), 40),
			"pass", 30, iamAllow("Open", 31, iamActs("iam:PassRole"), "*"))), want: result.Fail, line: 31},
		{name: "policy ARN condition on AttachRolePolicy is not honoured", inv: iamSingle(iamWithInline(iamBasicRole(), "attach", 30, func() iampolicy.Statement {
			st := iamAllow("", 31, iamActs("iam:AttachRolePolicy"), "*")
			st.Conditions = []iampolicy.Condition{cond("ArnEquals", "iam:PolicyARN", "arn:aws:iam::aws:policy/ReadOnlyAccess")}
			return st
		}())), want: result.Fail, msg: []string{"iam:AttachRolePolicy on *"}},
	})
}

// iamStatement is an Allow statement in its own inline policy.
type iamStatement struct {
	policy, sid string
	actions     []string
	resources   []string
}
