package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV03 is LW-INV-03: API Gateway source ARN names one API.
func checkINV03() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-03",
		Title:       "API Gateway source ARN names one API",
		Severity:    result.Medium,
		Controls:    []string{"CC6.1"},
		Families:    fams,
		Semantics:   "FAIL if an apigateway permission's SourceArn has a wildcard in the region, account or API-id part. Stage/method/path wildcards are allowed.",
		Remediation: "Set the permission's source_arn to the API's execution ARN (`${aws_api_gateway_rest_api.x.execution_arn}/*` or `arn:aws:execute-api:REGION:ACCOUNT:API_ID/*`) so only that API can invoke.",
		Run:         permissionCheck(fams, evalINV03, inv03Statement, inv03Pass),
	}
}

const inv03Pass = "every API Gateway permission names one API"

func evalINV03(env *Env, f *inventory.Function) (Finding, bool) {
	return evalPermissionsOf(env, f, inv03Statement, inv03Pass), true
}

func inv03Statement(_ *Env, p *inventory.Permission, _ string, v *verdict) {
	s := &p.Statement
	grant, unsure := grantEffect(s)
	if !grant && !unsure {
		return
	}
	loc := permissionLoc(p)
	if s.Principal == nil || !containsFold(s.Principal.Service, "apigateway.amazonaws.com") {
		if partUnknown(s, "Principal") {
			v.unknown(loc, "%s: the principal cannot be resolved", permissionLabel(p))
		}
		return
	}
	arns := pinnedValues(s, "aws:SourceArn")
	if len(arns) == 0 {
		if partUnknown(s, "Condition") {
			v.unknown(loc, "%s: its SourceArn cannot be resolved", permissionLabel(p))
		} else {
			v.fail(loc, "%s lets API Gateway invoke without a SourceArn, so any API may invoke", permissionLabel(p))
		}
		return
	}
	for _, a := range arns {
		if part, bad := executeAPIWildcard(a); bad {
			v.fail(loc, "%s: SourceArn %s has a wildcard in the %s, so it does not name one API", permissionLabel(p), a, part)
			return
		}
	}
}

// executeAPIWildcard reports which of the region, account and API-id parts
// of an execute-api ARN (arn:aws:execute-api:REGION:ACCOUNT:API_ID/...) is
// a wildcard or missing.
func executeAPIWildcard(a string) (part string, bad bool) {
	parts := strings.SplitN(a, ":", 6)
	if len(parts) < 6 {
		return "ARN", true
	}
	api := parts[5]
	if i := strings.IndexByte(api, '/'); i >= 0 {
		api = api[:i]
	}
	for _, f := range []struct{ name, v string }{{"region", parts[3]}, {"account", parts[4]}, {"API ID", api}} {
		if f.v == "" || strings.ContainsAny(f.v, "*?") {
			return f.name, true
		}
	}
	return "", false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
