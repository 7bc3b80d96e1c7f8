package checks

import (
	"testing"

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

// iamStatement is an Allow statement in its own inline policy.
type iamStatement struct {
	policy, sid string
	actions     []string
	resources   []string
}
