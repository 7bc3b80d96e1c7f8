package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkRUN06 is LW-RUN-06: failed async events are kept.
func checkRUN06() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-RUN-06",
		Title:       "Failed async events are kept",
		Severity:    result.Low,
		Controls:    []string{"A1.2"},
		Families:    fams,
		Semantics:   "FAIL if neither a dead-letter queue nor an on-failure destination is configured.",
		Remediation: "Configure an on-failure destination (aws_lambda_function_event_invoke_config destination_config, SAM EventInvokeConfig) or a dead_letter_config target SQS queue or SNS topic, and alarm on its depth.",
		Run:         perFunction(fams, evalRUN06),
	}
}

func evalRUN06(env *Env, f *inventory.Function) (Finding, bool) {
	var v verdict
	check := func(val inventory.Value[string], what string) bool {
		if t, ok := val.Get(); ok && t != "" {
			return true
		}
		if val.IsUnknown() {
			v.unknown(val.Loc, "the %s cannot be resolved (%s)", what, whyUnknown(val))
		}
		return false
	}
	if check(f.DeadLetterTarget, "dead-letter target") {
		return Finding{Status: result.Pass, Location: f.DeadLetterTarget.Loc, Message: "failed events go to the dead-letter target " + f.DeadLetterTarget.V}, true
	}
	if check(f.OnFailureDestination, "on-failure destination") {
		return Finding{Status: result.Pass, Location: f.OnFailureDestination.Loc, Message: "failed events go to the on-failure destination " + f.OnFailureDestination.V}, true
	}
	for _, c := range env.Index.EventInvokeConfigs(f) {
		if check(c.OnFailure, "on-failure destination of "+c.ID) {
			return Finding{Status: result.Pass, Location: firstLoc(c.OnFailure.Loc, c.Loc), Message: "failed events go to the on-failure destination of " + c.ID}, true
		}
	}
	if fd := v.finding(""); fd.Status == result.Unknown {
		return fd, true
	}
	return failFinding(f.Loc, "no dead-letter queue and no on-failure destination: failed asynchronous events are dropped after the retries"), true
}
