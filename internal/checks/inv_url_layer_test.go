package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestINV05(t *testing.T) {
	withCORS := func(origins inventory.Value[[]string]) *inventory.FunctionURL {
		u := oURL("aws_lambda_function_url.api", 20, oFnRef(), oK("AWS_IAM", 21))
		u.CORSAllowOrigins = origins
		return u
	}
	orphan := withCORS(oK([]string{"*"}, 22))
	orphan.Function = oOrphanRef()
	oRun(t, checkINV05(), []oCase{
		{name: "no url", inv: oInv(oFn()), want: result.Pass},
		{name: "no cors", inv: oInv(oFn(), withCORS(inventory.Value[[]string]{})), want: result.Pass},
		{name: "specific origins", inv: oInv(oFn(), withCORS(oK([]string{"https://app.example.com"}, 22))), want: result.Pass},
		{name: "any origin", inv: oInv(oFn(), withCORS(oK([]string{"https://app.example.com", "*"}, 22))),
			want: result.Fail, line: 22, msg: "any origin"},
		{name: "unresolved origins", inv: oInv(oFn(), withCORS(oU[[]string](22))), want: result.Unknown, line: 22},
		{name: "orphan url", inv: oInv(orphan), want: result.Fail, kind: result.KindFunctionURL, resName: "billing"},
	})
}

func TestINV06(t *testing.T) {
	live := func(st iampolicy.Statement) *inventory.Permission {
		p := oPerm("arn:aws:lambda:us-east-1:111122223333:function:api/partner", 0, oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:111122223333:function:api"}, 0), st)
		p.Source, p.Origin, p.Account, p.Region = inventory.LiveAWS, "111122223333/us-east-1", "111122223333", "us-east-1"
		return p
	}
	unknownPrincipal := oAllow(nil)
	unknownPrincipal.Unknown = []string{"Principal"}
	trusted := DefaultSettings()
	trusted.TrustedAccounts = []string{"444455556666"}
	oRun(t, checkINV06(), []oCase{
		{name: "no permissions", inv: oInv(oLive()), want: result.Pass},
		{name: "own account", inv: oInv(oLive(), live(oAllow(oAWS("arn:aws:iam::111122223333:root")))), want: result.Pass},
		{name: "other account", inv: oInv(oLive(), live(oAllow(oAWS("arn:aws:iam::444455556666:role/caller")))),
			want: result.Fail, msg: "account 444455556666"},
		{name: "other account trusted", inv: oInv(oLive(), live(oAllow(oAWS("444455556666")))), settings: &trusted, want: result.Pass},
		{name: "other account in org", inv: oInv(oLive(), live(oAllow(oAWS("444455556666"), oCond("StringEquals", "aws:PrincipalOrgID", "o-abc")))), want: result.Pass},
		{name: "public is INV-01's", inv: oInv(oLive(), live(oAllow(oStar()))), want: result.Pass},
		{name: "unresolved principal", inv: oInv(oLive(), live(unknownPrincipal)), want: result.Unknown},
		{name: "iac with unknown own account", inv: oInv(oFn(), oPerm("aws_lambda_permission.x", 20, oFnRef(), oAllow(oAWS("444455556666")))),
			want: result.Unknown, line: 20, msg: "trusted_accounts"},
		{name: "iac symbolic own account", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), oAllow(oAWS("arn:aws:iam::<account>:root")))), want: result.Pass},
	})
}

func TestINV07(t *testing.T) {
	oRun(t, checkINV07(), []oCase{
		{name: "set", inv: oInv(oFn(func(f *inventory.Function) { f.ReservedConcurrency = oK(10, 5) })), want: result.Pass, line: 5},
		{name: "zero is set", inv: oInv(oFn(func(f *inventory.Function) { f.ReservedConcurrency = oK(0, 5) })), want: result.Pass},
		{name: "absent", inv: oInv(oFn()), want: result.Fail, line: 1},
		{name: "unreserved sentinel", inv: oInv(oFn(func(f *inventory.Function) { f.ReservedConcurrency = oK(-1, 5) })), want: result.Fail},
		{name: "unresolved", inv: oInv(oFn(func(f *inventory.Function) { f.ReservedConcurrency = oU[int](5) })), want: result.Unknown, msg: "known after apply"},
	})
}

func TestINV08(t *testing.T) {
	acts := func(a ...string) iampolicy.Statement {
		s := oAllow(oService("events.amazonaws.com"))
		s.Actions = a
		return s
	}
	notAction := oAllow(oAWS("444455556666"))
	notAction.Actions, notAction.NotActions, notAction.NotActionSet = nil, []string{"lambda:DeleteFunction"}, true
	unknownAction := acts()
	unknownAction.Unknown = []string{"Action"}
	oRun(t, checkINV08(), []oCase{
		{name: "no permissions", inv: oInv(oFn()), want: result.Pass},
		{name: "invoke", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), acts("lambda:InvokeFunction"))), want: result.Pass},
		{name: "invoke url and get, any case", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), acts("lambda:invokefunctionurl", "lambda:GetFunction"))), want: result.Pass},
		{name: "lambda star", inv: oInv(oFn(), oPerm("aws_lambda_permission.all", 20, oFnRef(), acts("lambda:*"))), want: result.Fail, line: 20, msg: "lambda:*"},
		{name: "update code", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), acts("lambda:InvokeFunction", "lambda:UpdateFunctionCode"))), want: result.Fail, msg: "lambda:UpdateFunctionCode"},
		{name: "invoke wildcard covers InvokeAsync", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), acts("lambda:Invoke*"))), want: result.Fail},
		{name: "not action", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), notAction)), want: result.Fail, msg: "NotAction"},
		{name: "unresolved action", inv: oInv(oFn(), oPerm("p", 20, oFnRef(), unknownAction)), want: result.Unknown},
		{name: "orphan", inv: oInv(oPerm("p", 20, oOrphanRef(), acts("lambda:*"))), want: result.Fail, kind: result.KindPermission},
	})
}

func TestINV09(t *testing.T) {
	layer := &inventory.LayerVersion{Item: oItem("aws_lambda_layer_version.deps", 40), Name: oK("deps", 41)}
	uses := func(f *inventory.Function) {
		f.Layers = oK([]inventory.Value[inventory.Ref]{oK(inventory.Ref{ID: "aws_lambda_layer_version.deps"}, 7)}, 7)
	}
	lperm := func(st iampolicy.Statement) *inventory.LayerPermission {
		st.Loc = oLoc(50)
		return &inventory.LayerPermission{Item: oItem("aws_lambda_layer_version_permission.share", 50),
			Layer: oK(inventory.Ref{ID: "aws_lambda_layer_version.deps"}, 51), Statement: st}
	}
	share := func(p *iampolicy.Principal, conds ...iampolicy.Condition) iampolicy.Statement {
		s := oAllow(p, conds...)
		s.Actions = []string{"lambda:GetLayerVersion"}
		return s
	}
	unknownPrincipal := share(nil)
	unknownPrincipal.Unknown = []string{"Principal"}
	foreign := "arn:aws:lambda:us-east-1:999988887777:layer:tools:3"
	oRun(t, checkINV09(), []oCase{
		{name: "no layers", inv: oInv(oFn()), want: result.Pass},
		{name: "used layer shared with an account", inv: oInv(oFn(uses), layer, lperm(share(oAWS("444455556666")))), want: result.Pass},
		{name: "used layer public", inv: oInv(oFn(uses), layer, lperm(share(oStar()))), want: result.Fail, line: 50, msg: "principal *"},
		{name: "used layer public within org", inv: oInv(oFn(uses), layer, lperm(share(oStar(), oCond("StringEquals", "aws:PrincipalOrgID", "o-abc")))), want: result.Pass},
		{name: "used layer unresolved principal", inv: oInv(oFn(uses), layer, lperm(unknownPrincipal)), want: result.Unknown},
		{name: "unresolved layers", inv: oInv(oFn(func(f *inventory.Function) { f.Layers = oU[[]inventory.Value[inventory.Ref]](7) })), want: result.Unknown, line: 7},
		{name: "live layer by ARN with public permission", inv: oInv(
			oFn(func(f *inventory.Function) {
				f.Layers = oK([]inventory.Value[inventory.Ref]{oK(inventory.Ref{Name: foreign}, 7)}, 7)
			}),
			&inventory.LayerPermission{Item: oItem(foreign+"#public", 0), Layer: oK(inventory.Ref{Name: foreign}, 0), Statement: share(oStar())}),
			want: result.Fail},
		{name: "unused layer defined in IaC is checked on its own", inv: oInv(layer, lperm(share(oStar()))),
			want: result.Fail, kind: result.KindLayer, line: 50},
		{name: "unused private layer", inv: oInv(layer), want: result.Pass, kind: result.KindLayer, line: 40},
	})
}
