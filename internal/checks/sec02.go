package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// checkSEC02 is LW-SEC-02: secret-named variables hold references, not values.
func checkSEC02() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-SEC-02",
		Title:       "Secret-named variables hold references, not values",
		Severity:    result.High,
		Controls:    []string{"C1.1"},
		Families:    fams,
		Semantics:   "FAIL if a variable named like a secret (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIALS, ...) holds a literal that is not a reference, even if it does not look random.",
		Remediation: "Put the secret in Secrets Manager or SSM Parameter Store (SecureString) and set the variable to its ARN or name (for example DB_PASSWORD_SECRET_ARN); read it at runtime with the AWS Parameters and Secrets Lambda Extension or the SDK.",
		Run:         perFunction(fams, evalSEC02),
	}
}

// evalSEC02 fails a secret-named variable holding a literal. A value a
// source marks as a reference is not judged (LW-SEC-01 still matches it
// against the credential formats); a placeholder (changeme, dummy, xxxx) is
// a literal like any other; an unknown value that is not a reference is
// UNKNOWN.
func evalSEC02(_ *Env, f *inventory.Function) (Finding, bool) {
	vars, fd, done := envVars(f)
	if done {
		return fd, true
	}
	var v verdict
	for _, ev := range vars {
		if ev.Reference || !secrets.IsSecretName(ev.Name) {
			continue
		}
		loc := firstLoc(ev.Value.Loc, f.Environment.Loc)
		switch val, ok := ev.Value.Get(); {
		case ev.Redacted:
			v.fail(loc, "environment variable %s is named like a secret and holds a literal value (%s), not a reference", ev.Name, ev.Value.V)
		case ev.Value.IsUnknown():
			v.unknown(loc, "environment variable %s is named like a secret and its value cannot be resolved (%s)", ev.Name, whyUnknown(ev.Value))
		case !ok, notASecret(val), secrets.IsReference(val):
		case secrets.IsPlaceholder(val):
			v.fail(loc, "environment variable %s is named like a secret and holds a literal value (%s) that looks like a placeholder default, not a reference: deployed as is, it is a guessable secret", ev.Name, secrets.Redact(val))
		default:
			v.fail(loc, "environment variable %s is named like a secret and holds a literal value (%s), not a reference", ev.Name, secrets.Redact(val))
		}
	}
	return v.finding("every secret-named environment variable holds a reference"), true
}

// notASecret reports whether a literal cannot be a secret: empty, or a
// boolean switch.
func notASecret(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "true", "false", "yes", "no", "on", "off", "enabled", "disabled":
		return true
	}
	return false
}
