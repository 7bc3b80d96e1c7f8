package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM02(t *testing.T) {
	adminStmt := iamAllow("All", 31, iamActs("*"), "*")
	runIAMCases(t, checkIAM02(), []iamCase{
		{name: "scoped policy passes",
			inv:  iamSingle(iamWithInline(iamBasicRole(), "orders", 30, iamAllow("Write", 31, iamActs("dynamodb:PutItem"), "arn:aws:dynamodb:<region>:<account>:table/orders"))),
			want: result.Pass},
		{name: "AdministratorAccess fails", inv: iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/AdministratorAccess"), 40)),
			want: result.Fail, line: 40, msg: []string{"AWS-managed policy AdministratorAccess is attached"}},
		{name: "PowerUserAccess fails", inv: iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/PowerUserAccess"), 40)),
			want: result.Fail, msg: []string{"PowerUserAccess"}},
		{name: "IAMFullAccess fails", inv: iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/IAMFullAccess"), 40)),
			want: result.Fail, msg: []string{"IAMFullAccess"}},
		{name: "inline star on star fails", inv: iamSingle(iamWithInline(iamBareRole(), "admin", 30, adminStmt)),
			want: result.Fail, line: 31, msg: []string{`inline policy "admin" statement "All" allows * on *`}},
		{name: "star colon star fails", inv: iamSingle(iamWithInline(iamBareRole(), "admin", 30, iamAllow("", 31, iamActs("*:*"), "*"))),
			want: result.Fail, msg: []string{"allows *:* on *"}},
		{name: "customer-managed star on star fails",
			inv:  iamSingle(iamWithAttached(iamBareRole(), inventory.Ref{ID: "aws_iam_policy.p"}, 40), iamManaged("aws_iam_policy.p", "god-mode", iamAllow("", 63, iamActs("*"), "*"))),
			want: result.Fail, line: 63, msg: []string{`customer-managed policy "god-mode" allows * on *`}},
		{name: "star on one resource passes IAM-02", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30, iamAllow("", 31, iamActs("*"), "arn:aws:s3:::orders-bucket"))),
			want: result.Pass},
		{name: "unconditional deny cancels star on star",
			inv:  iamSingle(iamWithInline(iamBareRole(), "p", 30, adminStmt, iamDeny("None", 32, iamActs("*"), "*"))),
			want: result.Pass},
		{name: "conditional deny does not cancel",
			inv: iamSingle(iamWithInline(iamBareRole(), "p", 30, adminStmt, func() iampolicy.Statement {
				d := iamDeny("NoneOutsideOrg", 32, iamActs("*"), "*")
				d.Conditions = []iampolicy.Condition{{Operator: "StringNotEquals", Key: "aws:PrincipalOrgID", Values: []string{"o-abc"}}}
				return d
			}())),
			want: result.Fail},
		{name: "NotAction of IAM, Organizations and account on star is PowerUserAccess", want: result.Fail, line: 31,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("Power", 31, []string{"iam:*", "organizations:*", "account:*"}, "*"))),
			msg: []string{`inline policy "power" statement "Power" allows every action except iam:*, organizations:*, and 1 more on *, equivalent to PowerUserAccess`}},
		{name: "NotAction of IAM alone on star is PowerUserAccess", want: result.Fail,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("", 31, []string{"iam:*"}, "*"))), msg: []string{"equivalent to PowerUserAccess"}},
		{name: "NotAction of some IAM actions on star is PowerUserAccess", want: result.Fail,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("", 31, []string{"iam:Create*", "iam:Delete*"}, "*"))), msg: []string{"equivalent to PowerUserAccess"}},
		{name: "NotAction with no Resource is PowerUserAccess", want: result.Fail,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("", 31, []string{"iam:*"}))), msg: []string{"equivalent to PowerUserAccess"}},
		{name: "NotAction that also excludes another service passes IAM-02", want: result.Pass,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("", 31, []string{"iam:*", "sts:*"}, "*")))},
		{name: "NotAction with a service wildcard passes IAM-02", want: result.Pass,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("", 31, []string{"i*:*"}, "*")))},
		{name: "PowerUser NotAction on one bucket passes IAM-02", want: result.Pass,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("", 31, []string{"iam:*"}, "arn:aws:s3:::orders-bucket")))},
		{name: "PowerUser NotAction cancelled by a deny of everything passes", want: result.Pass,
			inv: iamSingle(iamWithInline(iamBareRole(), "power", 30, notAction("", 31, []string{"iam:*"}, "*"), iamDeny("", 32, iamActs("*"), "*")))},
		{name: "customer-managed policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamBasicRole())),
			want: result.Unknown, line: 40, msg: []string{"customer-managed policy arn:aws:iam::123456789012:policy/shared-platform is defined outside the scanned code"}},
		{name: "known failure stays failure despite unreadable policy", inv: iamSingle(iamElsewhere(iamWithInline(iamBareRole(), "admin", 30, adminStmt))),
			want: result.Fail},
		{name: "unresolved action on star is unknown", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30, func() iampolicy.Statement {
			s := iamAllow("Dyn", 31, nil, "*")
			s.Unknown = []string{"Action"}
			return s
		}())),
			want: result.Unknown, msg: []string{`inline policy "p" statement "Dyn" has unresolved Action`}},
		{name: "role defined elsewhere is unknown", inv: iamSingle(iamBasicRole()),
			edit: func(f *inventory.Function) {
				f.Role = inventory.Of(iamARNRef("arn:aws:iam::123456789012:role/legacy"), iamLoc(3))
			},
			want: result.Unknown, line: 3, msg: []string{"arn:aws:iam::123456789012:role/legacy is defined outside the scanned code"}},
	})
}

// notAction is an Allow of every action except actions, on resources.
func notAction(sid string, line int, actions []string, resources ...string) iampolicy.Statement {
	return iampolicy.Statement{Sid: sid, Effect: iampolicy.Allow, NotActions: actions, NotActionSet: true, Resources: resources, Loc: iamLoc(line)}
}
