package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM10(t *testing.T) {
	trusting := func(sts ...iampolicy.Statement) *inventory.Inventory {
		r := iamBasicRole()
		r.TrustPolicy = inventory.Of(iamPolicy(sts...), iamLoc(22))
		return iamSingle(r)
	}
	assume := func(sid string, line int, p *iampolicy.Principal) iampolicy.Statement {
		return iampolicy.Statement{Sid: sid, Effect: iampolicy.Allow, Actions: iamActs("sts:AssumeRole"), Principal: p, Loc: iamLoc(line)}
	}
	runIAMCases(t, checkIAM10(), []iamCase{
		{name: "lambda passes", inv: iamSingle(iamBasicRole()), want: result.Pass, msg: []string{`only Lambda can assume role "orders-role"`}},
		{name: "lambda and edgelambda pass", inv: trusting(assume("", 23, &iampolicy.Principal{Service: []string{"edgelambda.amazonaws.com", "lambda.amazonaws.com"}})),
			want: result.Pass},
		{name: "another service fails", inv: trusting(assume("Svc", 23, &iampolicy.Principal{Service: []string{"ec2.amazonaws.com", "lambda.amazonaws.com"}})),
			want: result.Fail, line: 23, msg: []string{`trust policy statement "Svc" lets ec2.amazonaws.com assume role "orders-role"`}},
		{name: "an account fails", inv: trusting(assume("", 23, &iampolicy.Principal{Service: []string{"lambda.amazonaws.com"}}),
			assume("", 25, &iampolicy.Principal{AWS: []string{"arn:aws:iam::111122223333:root"}})),
			want: result.Fail, line: 25, msg: []string{"trust policy statement 2 lets arn:aws:iam::111122223333:root assume"}},
		{name: "star fails", inv: trusting(assume("", 23, &iampolicy.Principal{Wildcard: true})), want: result.Fail, msg: []string{"lets * assume"}},
		{name: "deny statements do not count", inv: trusting(assume("", 23, &iampolicy.Principal{Service: []string{"lambda.amazonaws.com"}}),
			iampolicy.Statement{Effect: iampolicy.Deny, Actions: iamActs("sts:AssumeRole"), Principal: &iampolicy.Principal{AWS: []string{"*"}}}),
			want: result.Pass},
		{name: "unresolved principal is unknown", inv: trusting(func() iampolicy.Statement {
			s := assume("", 23, &iampolicy.Principal{})
			s.Unknown = []string{"Principal"}
			return s
		}()), want: result.Unknown, msg: []string{"unresolved Principal"}},
		{name: "unknown trust policy is unknown", inv: iamSingle(func() *inventory.Role {
			r := iamBasicRole()
			r.TrustPolicy = inventory.UnknownValue[*iampolicy.Policy]("data.aws_iam_policy_document.trust is unknown", iamLoc(22))
			return r
		}()), want: result.Unknown, line: 22, msg: []string{"data.aws_iam_policy_document.trust is unknown"}},
		{name: "role defined elsewhere is unknown", inv: iamSingle(iamBasicRole()),
			edit: func(f *inventory.Function) {
				f.Role = inventory.Of(iamARNRef("arn:aws:iam::123456789012:role/legacy"), iamLoc(3))
			},
			want: result.Unknown, msg: []string{"legacy"}},
	})
}
