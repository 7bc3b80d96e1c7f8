package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// oOrphanRef names a function that is not in the inventory.
func oOrphanRef() inventory.Value[inventory.Ref] {
	return oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:111122223333:function:billing"}, 0)
}

func TestINV01(t *testing.T) {
	unknownCond := oAllow(oStar())
	unknownCond.Unknown = []string{"Condition"}
	unknownPrincipal := oAllow(nil)
	unknownPrincipal.Unknown = []string{"Principal"}
	deny := oAllow(oStar())
	deny.Effect = iampolicy.Deny
	notPrincipal := oAllow(nil)
	notPrincipal.NotPrincipal = oAWS("arn:aws:iam::111122223333:root")
	oRun(t, checkINV01(), []oCase{
		{name: "no permissions", inv: oInv(oFn()), want: result.Pass, line: 1},
		{name: "public principal", inv: oInv(oFn(), oPerm("aws_lambda_permission.pub", 20, oFnRef(), oAllow(oStar()))),
			want: result.Fail, line: 20, msg: "permission aws_lambda_permission.pub allows principal *"},
		{name: "AWS star principal", inv: oInv(oFn(), oPerm("aws_lambda_permission.pub", 21, oFnRef(), oAllow(oAWS("*")))),
			want: result.Fail, line: 21},
		{name: "NotPrincipal allow is public", inv: oInv(oFn(), oPerm("aws_lambda_permission.np", 22, oFnRef(), notPrincipal)),
			want: result.Fail},
		{name: "pinned by source account", inv: oInv(oFn(), oPerm("aws_lambda_permission.pub", 20, oFnRef(),
			oAllow(oStar(), oCond("StringEquals", "AWS:SourceAccount", "111122223333")))), want: result.Pass},
		{name: "pinned by org", inv: oInv(oFn(), oPerm("p", 20, oFnRef(),
			oAllow(oStar(), oCond("StringEquals", "aws:PrincipalOrgID", "o-abc123")))), want: result.Pass},
		{name: "pinned by url auth type", inv: oInv(oFn(), oPerm("p", 20, oFnRef(),
			oAllow(oStar(), oCond("StringEquals", "lambda:FunctionUrlAuthType", "AWS_IAM")))), want: result.Pass},
		{name: "url auth type NONE does not pin", inv: oInv(oFn(), oPerm("p", 20, oFnRef(),
			oAllow(oStar(), oCond("StringEquals", "lambda:FunctionUrlAuthType", "NONE")))), want: result.Fail},
		{name: "wildcard source arn does not pin", inv: oInv(oFn(), oPerm("p", 20, oFnRef(),
			oAllow(oStar(), oCond("ArnLike", "aws:SourceArn", "arn:aws:execute-api:*:*:*")))), want: result.Fail},
		{name: "negated condition does not pin", inv: oInv(oFn(), oPerm("p", 20, oFnRef(),
			oAllow(oStar(), oCond("StringNotEquals", "aws:SourceAccount", "111122223333")))), want: result.Fail},
		{name: "IfExists does not pin", inv: oInv(oFn(), oPerm("p", 20, oFnRef(),
			oAllow(oStar(), oCond("StringEqualsIfExists", "aws:SourceAccount", "111122223333")))), want: result.Fail},
		{name: "deny statement", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), deny)), want: result.Pass},
		{name: "service principal", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), oAllow(oService("s3.amazonaws.com")))), want: result.Pass},
		{name: "public with unresolved condition", inv: oInv(oFn(), oPerm("p", 23, oFnRef(), unknownCond)), want: result.Unknown, line: 23},
		{name: "unresolved principal", inv: oInv(oFn(), oPerm("p", 24, oFnRef(), unknownPrincipal)), want: result.Unknown},
		{name: "orphan public permission", inv: oInv(oPerm("aws_lambda_permission.billing", 30, oOrphanRef(), oAllow(oStar()))),
			want: result.Fail, kind: result.KindPermission, resName: "billing", line: 30},
		{name: "orphan pinned permission", inv: oInv(oPerm("aws_lambda_permission.billing", 30, oOrphanRef(),
			oAllow(oService("events.amazonaws.com"), oCond("ArnLike", "aws:SourceArn", "arn:aws:events:us-east-1:111122223333:rule/x")))),
			want: result.Pass, kind: result.KindPermission},
	})
}

func TestINV02(t *testing.T) {
	unknownCond := oAllow(oService("sns.amazonaws.com"))
	unknownCond.Unknown = []string{"Condition"}
	srcARN := oCond("ArnLike", "aws:SourceArn", "arn:aws:s3:::uploads")
	srcAcct := oCond("StringEquals", "aws:SourceAccount", "111122223333")
	oRun(t, checkINV02(), []oCase{
		{name: "no permissions", inv: oInv(oFn()), want: result.Pass},
		{name: "events with source arn", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), oAllow(oService("events.amazonaws.com"),
			oCond("ArnLike", "aws:SourceArn", "arn:aws:events:us-east-1:111122223333:rule/nightly")))), want: result.Pass},
		{name: "apigateway without source arn", inv: oInv(oFn(), oPerm("aws_lambda_permission.apigw", 20, oFnRef(), oAllow(oService("apigateway.amazonaws.com")))),
			want: result.Fail, line: 20, msg: "apigateway.amazonaws.com without a SourceArn"},
		{name: "s3 without source account", inv: oInv(oFn(), oPerm("p", 21, oFnRef(), oAllow(oService("s3.amazonaws.com"), srcARN))),
			want: result.Fail, msg: "without a SourceAccount"},
		{name: "s3 pinned", inv: oInv(oFn(), oPerm("p", 21, oFnRef(), oAllow(oService("s3.amazonaws.com"), srcARN, srcAcct))), want: result.Pass},
		{name: "alexa with token", inv: oInv(oFn(), oPerm("p", 21, oFnRef(), oAllow(oService("alexa-appkit.amazon.com"),
			oCond("StringEquals", "lambda:EventSourceToken", "amzn1.ask.skill.x")))), want: result.Pass},
		{name: "account principal is not a service", inv: oInv(oFn(), oPerm("p", 21, oFnRef(), oAllow(oAWS("111122223333")))), want: result.Pass},
		{name: "unresolved condition", inv: oInv(oFn(), oPerm("p", 22, oFnRef(), unknownCond)), want: result.Unknown, line: 22},
		{name: "orphan", inv: oInv(oPerm("aws_lambda_permission.sns", 30, oOrphanRef(), oAllow(oService("sns.amazonaws.com")))),
			want: result.Fail, kind: result.KindPermission, resName: "billing"},
	})
}

func TestINV03(t *testing.T) {
	apigw := func(arn string) iampolicy.Statement {
		return oAllow(oService("apigateway.amazonaws.com"), oCond("ArnLike", "aws:SourceArn", arn))
	}
	unknownCond := oAllow(oService("apigateway.amazonaws.com"))
	unknownCond.Unknown = []string{"Condition"}
	oRun(t, checkINV03(), []oCase{
		{name: "no permissions", inv: oInv(oFn()), want: result.Pass},
		{name: "one API, any stage and path", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), apigw("arn:aws:execute-api:us-east-1:111122223333:a1b2c3/*/*/*"))), want: result.Pass},
		{name: "symbolic account", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), apigw("arn:aws:execute-api:<region>:<account>:<aws_api_gateway_rest_api.api.id>/*"))), want: result.Pass},
		{name: "wildcard api id", inv: oInv(oFn(), oPerm("aws_lambda_permission.apigw", 20, oFnRef(), apigw("arn:aws:execute-api:us-east-1:111122223333:*/*"))),
			want: result.Fail, line: 20, msg: "wildcard in the API ID"},
		{name: "wildcard account", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), apigw("arn:aws:execute-api:us-east-1:*:a1b2c3/*"))), want: result.Fail, msg: "account"},
		{name: "wildcard region", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), apigw("arn:aws:execute-api:*:111122223333:a1b2c3/*"))), want: result.Fail, msg: "region"},
		{name: "no source arn", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), oAllow(oService("apigateway.amazonaws.com")))), want: result.Fail, msg: "without a SourceArn"},
		{name: "other service ignored", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), oAllow(oService("sns.amazonaws.com")))), want: result.Pass},
		{name: "unresolved source arn", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), unknownCond)), want: result.Unknown},
		{name: "orphan", inv: oInv(oPerm("p", 20, oOrphanRef(), apigw("arn:aws:execute-api:us-east-1:111122223333:*"))), want: result.Fail, kind: result.KindPermission},
	})
}

func oURL(id string, line int, fn inventory.Value[inventory.Ref], auth inventory.Value[string]) *inventory.FunctionURL {
	return &inventory.FunctionURL{Item: oItem(id, line), Function: fn, AuthType: auth}
}

func TestINV04(t *testing.T) {
	public := oPerm("aws_lambda_permission.url", 30, oFnRef(), oAllow(oStar(), oCond("StringEquals", "lambda:FunctionUrlAuthType", "NONE")))
	orphanPublic := oPerm("aws_lambda_permission.url", 30, oOrphanRef(), oAllow(oStar()))
	oRun(t, checkINV04(), []oCase{
		{name: "no url", inv: oInv(oFn()), want: result.Pass, msg: "no function URL"},
		{name: "iam auth", inv: oInv(oFn(), oURL("aws_lambda_function_url.api", 20, oFnRef(), oK("AWS_IAM", 21))), want: result.Pass},
		{name: "auth none", inv: oInv(oFn(), oURL("aws_lambda_function_url.api", 20, oFnRef(), oK("NONE", 21))),
			want: result.Fail, line: 21, msg: "function URL aws_lambda_function_url.api has AuthType NONE"},
		{name: "auth none and public policy is critical", inv: oInv(oFn(), oURL("u", 20, oFnRef(), oK("NONE", 21)), public),
			want: result.Fail, sev: oSev(result.Critical), msg: "LW-INV-01"},
		{name: "auth unresolved", inv: oInv(oFn(), oURL("u", 20, oFnRef(), oU[string](21))), want: result.Unknown, line: 21},
		{name: "orphan url", inv: oInv(oURL("aws_lambda_function_url.billing", 20, oOrphanRef(), oK("NONE", 21))),
			want: result.Fail, kind: result.KindFunctionURL, resName: "billing"},
	})
	// The orphan URL with a public orphan permission is critical; the
	// permission itself yields no INV-04 result.
	inv := oInv(oURL("u", 20, oOrphanRef(), oK("NONE", 21)), orphanPublic)
	env := &Env{Index: inventory.NewIndex(inv), Settings: DefaultSettings(), Now: oNow}
	fs := checkINV04().Run(env)
	if len(fs) != 1 || fs[0].Severity == nil || *fs[0].Severity != result.Critical {
		t.Fatalf("orphan URL with public permission: %+v, want one critical finding", fs)
	}
}
