package checks

// Helpers over normalized resource-policy statements (function permissions
// and layer permissions) for the INV checks.

import (
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

// grantEffect classifies a statement: a grant (Allow), not a grant (Deny),
// or unsure (Effect unresolvable).
func grantEffect(s *iampolicy.Statement) (grant, unsure bool) {
	if slices.Contains(s.Unknown, "Effect") {
		return false, true
	}
	return s.Effect == iampolicy.Allow, false
}

// partUnknown reports whether the source could not resolve part of field.
func partUnknown(s *iampolicy.Statement, field string) bool { return slices.Contains(s.Unknown, field) }

// positiveOperator reports whether a condition operator constrains the
// request to its values: not a negated operator (StringNotEquals,
// ArnNotLike), not an ...IfExists operator (which lets requests without the
// key through), not Null.
func positiveOperator(op string) bool {
	o := strings.ToLower(op)
	if i := strings.LastIndexByte(o, ':'); i >= 0 { // ForAnyValue:, ForAllValues:
		o = o[i+1:]
	}
	return !strings.Contains(o, "not") && !strings.HasSuffix(o, "ifexists") && o != "null" && o != ""
}

// pinnedValues returns the values a statement's positive conditions require
// for key (case-insensitive).
func pinnedValues(s *iampolicy.Statement, key string) []string {
	var out []string
	for _, c := range s.Conditions {
		if strings.EqualFold(c.Key, key) && positiveOperator(c.Operator) {
			out = append(out, c.Values...)
		}
	}
	return out
}

// everyone reports whether an Allow statement applies to any principal:
// Principal "*" or {"AWS": "*"}, or a NotPrincipal (everyone but a few).
func everyone(s *iampolicy.Statement) bool {
	return s.Principal.IsPublic() || s.NotPrincipal != nil
}

// wildcardOnly reports whether s is empty or only wildcards.
func wildcardOnly(s string) bool { return strings.Trim(s, "*?") == "" }

// arnPins reports whether an aws:SourceArn value names a source rather
// than a wildcard: a specific account, or a resource part that is not only
// wildcards.
func arnPins(v string) bool {
	parts := strings.SplitN(v, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return false
	}
	account, res := parts[4], parts[5]
	if isAccountID(account) || isSymbolic(account) {
		return true
	}
	return strings.Trim(res, "*?/:") != ""
}

// accountPins reports whether a SourceAccount/SourceOwner value names one account.
func accountPins(v string) bool { return isAccountID(v) || isSymbolic(v) }

// callerPinned reports whether the statement's conditions pin the caller,
// as LW-INV-01 requires: aws:SourceArn, aws:SourceAccount, aws:SourceOwner
// or aws:PrincipalOrgID with a specific value, or lambda:FunctionUrlAuthType
// AWS_IAM.
func callerPinned(s *iampolicy.Statement) bool {
	for _, v := range pinnedValues(s, "aws:SourceArn") {
		if arnPins(v) {
			return true
		}
	}
	for _, key := range []string{"aws:SourceAccount", "aws:SourceOwner"} {
		for _, v := range pinnedValues(s, key) {
			if accountPins(v) {
				return true
			}
		}
	}
	if orgPinned(s) {
		return true
	}
	for _, v := range pinnedValues(s, "lambda:FunctionUrlAuthType") {
		if v == "AWS_IAM" {
			return true
		}
	}
	return false
}

// orgPinned reports whether aws:PrincipalOrgID (or the layer permission's
// organization condition) pins an organization.
func orgPinned(s *iampolicy.Statement) bool {
	for _, v := range pinnedValues(s, "aws:PrincipalOrgID") {
		if v != "" && !strings.ContainsAny(v, "*?") {
			return true
		}
	}
	return false
}
