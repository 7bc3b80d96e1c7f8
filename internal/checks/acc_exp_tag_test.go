package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

func TestACC(t *testing.T) {
	acct := func(set func(*inventory.Account)) *inventory.Account {
		a := &inventory.Account{Item: inventory.Item{ID: "111122223333/us-east-1", Source: inventory.LiveAWS, Account: "111122223333", Region: "us-east-1"},
			AccountID: "111122223333"}
		set(a)
		return a
	}
	on, off := inventory.Of(true, srcloc.Location{}), inventory.Of(false, srcloc.Location{})
	denied := inventory.UnknownValue[bool]("AccessDenied on the API call", srcloc.Location{})
	fields := map[string]func(*inventory.Account) *inventory.Value[bool]{
		"LW-ACC-01": func(a *inventory.Account) *inventory.Value[bool] { return &a.MultiRegionTrailLogging },
		"LW-ACC-02": func(a *inventory.Account) *inventory.Value[bool] { return &a.LambdaDataEvents },
		"LW-ACC-03": func(a *inventory.Account) *inventory.Value[bool] { return &a.ConfigRecordsLambdaIAM },
		"LW-ACC-04": func(a *inventory.Account) *inventory.Value[bool] { return &a.AccessAnalyzer },
		"LW-ACC-05": func(a *inventory.Account) *inventory.Value[bool] { return &a.InspectorLambda },
		"LW-ACC-06": func(a *inventory.Account) *inventory.Value[bool] { return &a.GuardDutyLambda },
	}
	checks := accountChecks()
	if len(checks) != 6 {
		t.Fatalf("accountChecks() = %d checks, want 6", len(checks))
	}
	for _, c := range checks {
		field := fields[c.ID]
		if field == nil {
			t.Fatalf("unexpected check %s", c.ID)
		}
		with := func(v inventory.Value[bool]) *inventory.Inventory {
			return oInv(acct(func(a *inventory.Account) { *field(a) = v }))
		}
		// Every other rail on, so only this one decides.
		t.Run(c.ID, func(t *testing.T) {
			oRun(t, c, []oCase{
				{name: "on", inv: with(on), want: result.Pass, kind: result.KindAccount, resName: "111122223333"},
				{name: "off", inv: with(off), want: result.Fail, kind: result.KindAccount},
				{name: "denied", inv: with(denied), want: result.Unknown, kind: result.KindAccount, msg: "AccessDenied"},
				{name: "not read", inv: with(inventory.Value[bool]{}), want: result.Unknown, kind: result.KindAccount},
				{name: "iac has no accounts", inv: oInv(oFn()), want: ""},
			})
		})
	}
	// One result per account and region.
	two := oInv(acct(func(a *inventory.Account) { a.AccessAnalyzer = on }), acct(func(a *inventory.Account) {
		a.ID, a.Region, a.AccessAnalyzer = "111122223333/eu-west-1", "eu-west-1", off
	}))
	env := &Env{Index: inventory.NewIndex(two), Settings: DefaultSettings(), Now: oNow}
	var acc04 *Check
	for _, c := range checks {
		if c.ID == "LW-ACC-04" {
			acc04 = c
		}
	}
	fs := acc04.Run(env)
	if len(fs) != 2 || fs[0].Status != result.Pass || fs[1].Status != result.Fail || fs[1].Resource.Region != "eu-west-1" {
		t.Fatalf("two regions: %+v", fs)
	}
}

// oRole is the execution role aws_iam_role.api with one inline policy.
func oRole(t *testing.T, doc string) *inventory.Role {
	t.Helper()
	p, err := iampolicy.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("parse policy: %v", err)
	}
	return &inventory.Role{Item: oItem("aws_iam_role.api", 120), Name: oK("api-role", 121),
		Inline:           []inventory.InlinePolicy{{Name: "inline", Document: oK(p, 122), Loc: oLoc(122)}},
		PoliciesComplete: oK(true, 120)}
}

func TestEXP01(t *testing.T) {
	withRole := func(f *inventory.Function) { f.Role = oK(inventory.Ref{ID: "aws_iam_role.api"}, 3) }
	escalate := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}`
	narrow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/orders"}]}`
	publicURL := oURL("aws_lambda_function_url.api", 20, oFnRef(), oK("NONE", 21))
	privateURL := oURL("aws_lambda_function_url.api", 20, oFnRef(), oK("AWS_IAM", 21))
	openRoute := &inventory.APIRoute{Item: oItem("aws_apigatewayv2_route.get", 130), Function: oFnRef(), Authorization: oK("NONE", 131)}
	authRoute := &inventory.APIRoute{Item: oItem("aws_apigatewayv2_route.get", 130), Function: oFnRef(), Authorization: oK("JWT", 131)}
	unknownRoute := &inventory.APIRoute{Item: oItem("aws_apigatewayv2_route.get", 130), Function: oFnRef(), Authorization: oU[string](131)}
	defaultRoute := &inventory.APIRoute{Item: oItem("aws_apigatewayv2_route.get", 130), Function: oFnRef()}
	secret := oEnvVars(oVar("STRIPE_KEY", oStripeKey, 12))
	oRun(t, checkEXP01(), []oCase{
		{name: "private function with power", inv: oInv(oFn(withRole), oRole(t, escalate), privateURL), want: result.Pass, msg: "not reachable"},
		{name: "public url and passrole", inv: oInv(oFn(withRole), oRole(t, escalate), publicURL),
			want: result.Fail, line: 21, msg: "public URL -> ", also: []string{"can escalate privileges: iam:PassRole on *", "(LW-IAM-09)"}},
		{name: "public url, narrow role", inv: oInv(oFn(withRole), oRole(t, narrow), publicURL), want: result.Pass, msg: "no dangerous power"},
		{name: "open api route and plaintext secret", inv: oInv(oFn(withRole, secret), oRole(t, narrow), openRoute),
			want: result.Fail, msg: "API route aws_apigatewayv2_route.get without authorizer -> environment variable STRIPE_KEY", notMsg: oStripeKey},
		{name: "route with authorizer", inv: oInv(oFn(withRole, secret), oRole(t, narrow), authRoute), want: result.Pass},
		{name: "route authorization unknown with power", inv: oInv(oFn(withRole), oRole(t, escalate), unknownRoute), want: result.Unknown},
		{name: "route with default authorization and power", inv: oInv(oFn(withRole), oRole(t, escalate), defaultRoute),
			want: result.Fail, line: 130, msg: "API route aws_apigatewayv2_route.get without authorizer (authorization not set, so NONE) -> "},
		{name: "route with default authorization, narrow role", inv: oInv(oFn(withRole), oRole(t, narrow), defaultRoute), want: result.Pass, msg: "without authorizer"},
		{name: "public url, role outside the scan", inv: oInv(oFn(withRole), publicURL), want: result.Unknown, msg: "public URL"},
	})
}

func TestTAG01(t *testing.T) {
	tags := func(v inventory.Value[map[string]string]) func(*inventory.Function) {
		return func(f *inventory.Function) { f.Tags = v }
	}
	req := DefaultSettings()
	req.RequiredTags = []string{"owner", "data-class"}
	c := checkTAG01()
	if !c.DefaultOff {
		t.Fatal("LW-TAG-01 must be off unless settings.required_tags is set")
	}
	oRun(t, c, []oCase{
		{name: "not configured", inv: oInv(oFn()), want: ""},
		{name: "all present", inv: oInv(oFn(tags(oK(map[string]string{"owner": "pay", "data-class": "pii", "x": "y"}, 13)))), settings: &req, want: result.Pass},
		{name: "one missing", inv: oInv(oFn(tags(oK(map[string]string{"owner": "pay"}, 13)))), settings: &req, want: result.Fail, line: 13, msg: "required tag data-class"},
		{name: "no tags", inv: oInv(oFn()), settings: &req, want: result.Fail, line: 1, msg: "owner, data-class"},
		{name: "unresolved tags", inv: oInv(oFn(tags(oU[map[string]string](13)))), settings: &req, want: result.Unknown},
	})
}
