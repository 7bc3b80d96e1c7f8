package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// checkSEC01 is LW-SEC-01: no plaintext secrets in environment variables.
func checkSEC01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-SEC-01",
		Title:       "No plaintext secrets in environment variables",
		Severity:    result.Critical,
		Controls:    []string{"CC6.1", "C1.1"},
		Families:    fams,
		Semantics:   "FAIL if an environment variable's value matches a known credential format (AWS keys, Stripe, GitHub, Slack, private keys, JWTs, database URLs with passwords, ...) or is a high-entropy string under a secret-like name. The message redacts the value. References (Secrets Manager / SSM ARNs, `{{resolve:...}}`, `${ssm:...}`, Terraform references to secret resources) PASS.",
		Remediation: "Store the value in Secrets Manager and pass its ARN; fetch and cache it at runtime. Rotate the exposed credential: it is in your IaC history and the function configuration.",
		Run:         perFunction(fams, evalSEC01),
	}
}

// evalSEC01 fails a function with a credential in its environment. LW-EXP-01
// reuses it.
//
// Every known value is matched against the credential formats, also one a
// source marks as built from references (EnvVar.Reference): a literal
// password around a reference ("postgres://app:PASSWORD@${aws_db_instance.db.address}/app")
// or a local or variable default is still written in the scanned code. For
// such values only the random-value rule under a secret-like name is
// skipped, and the references' symbolic renderings never match. A value
// that is unknown and not a reference (a variable without a value) is
// UNKNOWN: it may be a credential.
func evalSEC01(_ *Env, f *inventory.Function) (Finding, bool) {
	vars, fd, done := envVars(f)
	if done {
		return fd, true
	}
	det, err := secrets.Default()
	if err != nil {
		return unknownFinding(f.Environment.Loc, "the secret detector could not be loaded: %v", err), true
	}
	var v verdict
	for _, ev := range vars {
		loc := firstLoc(ev.Value.Loc, f.Environment.Loc)
		switch val, ok := ev.Value.Get(); {
		case ev.Redacted:
			kind := ev.SecretKind
			if kind == "" {
				kind = "a secret"
			}
			v.fail(loc, "environment variable %s holds what looks like %s (%s)", ev.Name, kind, ev.Value.V)
		case ev.Value.IsUnknown():
			if ev.Reference {
				continue // another resource's attribute, known after apply: not written here
			}
			v.unknown(loc, "environment variable %s cannot be resolved (%s), so whether it holds a credential cannot be told", ev.Name, whyUnknown(ev.Value))
		case !ok:
		case ev.Reference:
			if fs := det.ReferencedEnvVar(ev.Name, val); len(fs) > 0 {
				v.fail(loc, "environment variable %s holds what looks like %s (%s), written in place around a reference", ev.Name, fs[0].Kind, fs[0].Redacted)
			}
		default:
			if fs := det.EnvVar(ev.Name, val); len(fs) > 0 {
				v.fail(loc, "environment variable %s holds what looks like %s (%s)", ev.Name, fs[0].Kind, fs[0].Redacted)
			}
		}
	}
	return v.finding("no environment variable holds a credential"), true
}

// envVars returns the function's environment variables, or the finding to
// give when there are none to judge: PASS without an environment, UNKNOWN
// when the whole map cannot be resolved.
func envVars(f *inventory.Function) (vars []inventory.EnvVar, fd Finding, done bool) {
	env := f.Environment
	if env.IsUnknown() {
		return nil, unknownFinding(env.Loc, "the environment variables cannot be resolved (%s)", whyUnknown(env)), true
	}
	vars, _ = env.Get()
	if len(vars) == 0 {
		return nil, passFinding("the function has no environment variables"), true
	}
	return vars, Finding{}, false
}
