package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM04(t *testing.T) {
	runIAMCases(t, checkIAM04(), []iamCase{
		{name: "explicit actions pass",
			inv:  iamSingle(iamWithInline(iamBasicRole(), "p", 30, iamAllow("Read", 31, iamActs("s3:GetObject", "s3:Get*"), "arn:aws:s3:::orders-bucket/*"))),
			want: result.Pass},
		{name: "service wildcard fails", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, iamAllow("S3", 31, iamActs("s3:GetObject", "s3:*"), "arn:aws:s3:::orders-bucket/*"))),
			want: result.Fail, line: 31, msg: []string{`inline policy "orders" statement "S3" allows s3:* on arn:aws:s3:::orders-bucket/*`}},
		{name: "star fails", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30, iamAllow("", 31, iamActs("*"), "*"))),
			want: result.Fail, msg: []string{"allows * on *"}},
		{name: "NotAction fails", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30, iampolicy.Statement{Sid: "AllButIAM", Effect: iampolicy.Allow,
			NotActions: []string{"iam:*"}, NotActionSet: true, Resources: []string{"*"}, Loc: iamLoc(33)})),
			want: result.Fail, line: 33, msg: []string{"every action except iam:*"}},
		{name: "customer-managed wildcard fails",
			inv:  iamSingle(iamWithAttached(iamBareRole(), inventory.Ref{ID: "aws_iam_policy.p"}, 40), iamManaged("aws_iam_policy.p", "tables", iamAllow("", 63, iamActs("dynamodb:*"), "arn:aws:dynamodb:<region>:<account>:table/orders"))),
			want: result.Fail, line: 63, msg: []string{`customer-managed policy "tables" allows dynamodb:*`}},
		{name: "AWS-managed wildcard is left to IAM-02 and IAM-03",
			inv:  iamSingle(iamWithAttached(iamBasicRole(), iamARNRef("arn:aws:iam::aws:policy/AmazonS3FullAccess"), 41)),
			want: result.Pass},
		{name: "AWS-managed policy missing from the snapshot does not matter",
			inv:  iamSingle(iamWithAttached(iamBasicRole(), iamARNRef("arn:aws:iam::aws:policy/LambdawardenNoSuchPolicy"), 41)),
			want: result.Pass},
		{name: "deny of the whole service cancels", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30,
			iamAllow("", 31, iamActs("s3:*"), "arn:aws:s3:::orders-bucket/*"), iamDeny("", 32, iamActs("s3:*"), "*"))),
			want: result.Pass},
		{name: "partial deny does not cancel", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30,
			iamAllow("", 31, iamActs("s3:*"), "arn:aws:s3:::orders-bucket/*"), iamDeny("", 32, iamActs("s3:Delete*"), "*"))),
			want: result.Fail},
		{name: "customer-managed policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamBasicRole())),
			want: result.Unknown, msg: []string{"shared-platform"}},
		{name: "unresolved action is unknown", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30, func() iampolicy.Statement {
			s := iamAllow("", 31, iamActs("s3:GetObject"), "arn:aws:s3:::b/*")
			s.Unknown = []string{"Action"}
			return s
		}())),
			want: result.Unknown, msg: []string{"unresolved Action"}},
	})
}
