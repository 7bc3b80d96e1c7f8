package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkLOG06 is LW-LOG-06: alarm on invocation spikes or throttles.
func checkLOG06() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-06",
		Title:       "Alarm on invocation spikes or throttles",
		Severity:    result.Low,
		Controls:    []string{"CC7.2"},
		Families:    fams,
		Semantics:   "FAIL if no alarm watches AWS/Lambda Invocations or Throttles for the function.",
		Remediation: "Add a CloudWatch alarm on AWS/Lambda Throttles (or an anomaly-detection alarm on Invocations) with dimension FunctionName = the function's name.",
		Run:         alarmCheck(fams, []string{"Invocations", "Throttles"}, "Invocations or Throttles"),
	}
}
