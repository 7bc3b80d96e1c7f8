package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM03(t *testing.T) {
	runIAMCases(t, checkIAM03(), []iamCase{
		{name: "basic execution role passes", inv: iamSingle(iamBasicRole()), want: result.Pass},
		{name: "AmazonS3FullAccess fails", inv: iamSingle(iamWithAttached(iamBasicRole(), iamARNRef("arn:aws:iam::aws:policy/AmazonS3FullAccess"), 41)),
			want: result.Fail, line: 41, msg: []string{`AWS-managed policy AmazonS3FullAccess is attached to role "orders-role"`}},
		{name: "several FullAccess policies are listed sorted",
			inv: iamSingle(iamWithAttached(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/AmazonS3FullAccess"), 41),
				iamARNRef("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"), 42)),
			want: result.Fail, line: 41, msg: []string{"policies AmazonDynamoDBFullAccess, AmazonS3FullAccess are attached"}},
		{name: "FullAccess missing from the snapshot still fails by name",
			inv:  iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/LambdawardenFutureFullAccess"), 41)),
			want: result.Fail, msg: []string{"LambdawardenFutureFullAccess"}},
		{name: "customer-managed policy named FullAccess passes",
			inv:  iamSingle(iamWithAttached(iamBareRole(), inventory.Ref{ID: "aws_iam_policy.p"}, 40), iamManaged("aws_iam_policy.p", "TeamFullAccess", iamAllow("", 63, iamActs("s3:GetObject"), "arn:aws:s3:::b/*"))),
			want: result.Pass},
		{name: "customer-managed policy defined elsewhere does not matter", inv: iamSingle(iamElsewhere(iamBasicRole())), want: result.Pass},
		{name: "attachment with unknown ARN is unknown", inv: iamSingle(func() *inventory.Role {
			r := iamBasicRole()
			r.Attached = append(r.Attached, inventory.PolicyAttachment{Policy: inventory.UnknownValue[inventory.Ref]("var.policy_arn has no value", iamLoc(45)), Loc: iamLoc(45)})
			return r
		}()),
			want: result.Unknown, line: 45, msg: []string{"var.policy_arn has no value"}},
	})
}
