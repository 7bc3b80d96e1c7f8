package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkSEC03 is LW-SEC-03: environment encrypted with a customer-managed key.
func checkSEC03() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-SEC-03",
		Title:       "Environment encrypted with a customer-managed key",
		Severity:    result.Low,
		Controls:    []string{"CC6.7"},
		Families:    fams,
		Semantics:   "FAIL if the function has environment variables and no kms_key_arn / KmsKeyArn.",
		Remediation: "Create a customer-managed KMS key, grant the execution role kms:Decrypt on it, and set the function's kms_key_arn (KmsKeyArn) to its ARN.",
		Run:         perFunction(fams, evalSEC03),
	}
}

func evalSEC03(_ *Env, f *inventory.Function) (Finding, bool) {
	env := f.Environment
	vars, _ := env.Get()
	if !env.IsUnknown() && len(vars) == 0 {
		return passFinding("the function has no environment variables"), true
	}
	key := f.KMSKeyARN
	switch k, ok := key.Get(); {
	case key.IsUnknown():
		return unknownFinding(key.Loc, "the KMS key cannot be resolved (%s)", whyUnknown(key)), true
	case ok && k != "":
		return Finding{Status: result.Pass, Location: key.Loc, Message: "the environment is encrypted with a customer-managed KMS key"}, true
	case env.IsUnknown():
		return failFinding(firstLoc(env.Loc, f.Loc), "the function has an environment block and no KMS key: Lambda encrypts it with the AWS-managed key"), true
	default:
		return failFinding(firstLoc(env.Loc, f.Loc), "the function has %s and no KMS key: Lambda encrypts them with the AWS-managed key", plural(len(vars), "environment variable", "environment variables")), true
	}
}
