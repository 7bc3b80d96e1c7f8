package secrets

import (
	"regexp"
	"strings"
)

var (
	// arnRE is any ARN: an identifier, never a credential (Secrets Manager
	// secrets, SSM parameters, KMS keys).
	arnRE = regexp.MustCompile(`^arn:[a-z0-9-]+:[a-z0-9-]+:([a-z0-9-]*|<[^>]+>):(\d{12}|<[^>]+>|\*)?:\S+$`)
	// ssmPathRE is an SSM parameter name given by path ("/prod/db/password").
	ssmPathRE = regexp.MustCompile(`^/[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)+$`)
	// shellVarRE is a bare shell variable ("$DB_PASSWORD").
	shellVarRE = regexp.MustCompile(`^\$[A-Za-z_][A-Za-z0-9_]*$`)
	// fillRE is a run of one filler character ("xxxxxxxx", "********").
	fillRE = regexp.MustCompile(`^(x+|X+|\*+|\.+|-+|_+|#+|0+)$`)
)

// isPlaceholderWord reports whether a value says "fill me in".
func isPlaceholderWord(s string) bool {
	switch s {
	case "changeme", "change_me", "change-me", "changethis", "change_this", "change-this", "replaceme", "replace_me",
		"replace-me", "todo", "tbd", "fixme", "placeholder", "dummy", "example", "sample", "none", "null", "nil",
		"undefined", "redacted", "default", "password", "secret", "test":
		return true
	}
	return false
}

// symbolicRE is a symbolic rendering of a reference whose value the source
// does not know: <aws_db_instance.db.address>, <account>, <var.name>.
var symbolicRE = regexp.MustCompile(`<[^<>\s]+>`)

// IsReference reports whether an environment value points at a secret kept
// elsewhere rather than holding a value: an ARN (Secrets Manager, SSM, KMS),
// an SSM parameter path, a CloudFormation dynamic reference
// ({{resolve:...}}), a Serverless or CloudFormation variable (${ssm:...},
// ${aws:...}, ${cf:...}, ${self:...}, ${Param}), a shell variable, or a
// symbolic rendering of a reference (<aws_x.y.attr>). A placeholder such as
// changeme or xxxx is not a reference but a literal (see IsPlaceholder).
func IsReference(value string) bool {
	v := strings.TrimSpace(value)
	if v == "" {
		return false
	}
	switch {
	case arnRE.MatchString(v), ssmPathRE.MatchString(v), shellVarRE.MatchString(v):
		return true
	case strings.Contains(v, "{{resolve:"):
		return true
	}
	return wholeExpression(v)
}

// IsPlaceholder reports whether a literal value is a fill-me-in default
// rather than a real value: a placeholder word (changeme, dummy, example,
// none, todo, ...) or a run of one filler character (xxxxxxxx, ********).
// A placeholder is still a literal: deployed as is, it is a guessable
// secret.
func IsPlaceholder(value string) bool {
	v := strings.TrimSpace(value)
	if v == "" {
		return false
	}
	return fillRE.MatchString(v) || isPlaceholderWord(strings.ToLower(v))
}

// wholeExpression reports whether v is one template expression from start
// to end: ${...}, {{...}}, <...>, $(...), #{...}, %(name)s.
func wholeExpression(v string) bool {
	pairs := []struct{ open, close string }{
		{"${", "}"}, {"{{", "}}"}, {"<", ">"}, {"$(", ")"}, {"#{", "}"}, {"%(", ")s"},
	}
	for _, p := range pairs {
		if strings.HasPrefix(v, p.open) && strings.HasSuffix(v, p.close) && len(v) > len(p.open)+len(p.close) {
			inner := v[len(p.open) : len(v)-len(p.close)]
			// One expression, not "${a}x${b}" or "<a> and <b>".
			if !strings.Contains(inner, p.open) && !strings.Contains(inner, p.close) {
				return true
			}
		}
	}
	return false
}

// isPlaceholderPassword reports whether the password part of a URL is a
// placeholder or a reference rather than a password written in place.
func isPlaceholderPassword(p string) bool {
	if p == "" || IsReference(p) || IsPlaceholder(p) {
		return true
	}
	switch strings.ToLower(p) {
	case "password", "passwd", "pass", "pwd", "secret", "pw", "user", "username":
		return true
	}
	// Built from a reference (${var}, {{resolve:...}}, <aws_x.y.attr>): not
	// a literal password.
	if strings.Contains(p, "${") || strings.Contains(p, "{{") || symbolicRE.MatchString(p) {
		return true
	}
	return strings.HasPrefix(p, "$") || strings.HasPrefix(p, "%") || strings.HasPrefix(p, "{")
}
