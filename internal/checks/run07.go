package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkRUN07 is LW-RUN-07: timeout and memory within policy.
func checkRUN07() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-RUN-07",
		Title:       "Timeout and memory within policy",
		Severity:    result.Low,
		Controls:    []string{"A1.2"},
		Families:    fams,
		Semantics:   "FAIL if timeout > `settings.timeout_max_seconds` or memory > `settings.memory_max_mb`.",
		Remediation: "Lower the function's timeout and memory_size to what it needs (measure with Lambda Insights or Power Tuning), or raise settings.timeout_max_seconds / memory_max_mb if the policy allows.",
		Run:         perFunction(fams, evalRUN07),
	}
}

// Lambda's defaults when a function sets no timeout or memory.
const (
	lambdaDefaultTimeout = 3
	lambdaDefaultMemory  = 128
)

func evalRUN07(env *Env, f *inventory.Function) (Finding, bool) {
	def := DefaultSettings()
	maxT := intSetting(env.Settings.TimeoutMaxSeconds, def.TimeoutMaxSeconds)
	maxM := intSetting(env.Settings.MemoryMaxMB, def.MemoryMaxMB)
	var v verdict
	limit := func(val inventory.Value[int], dflt, max int, what, unit string) {
		n := dflt
		switch x, ok := val.Get(); {
		case val.IsUnknown():
			v.unknown(val.Loc, "the %s cannot be resolved (%s)", what, whyUnknown(val))
			return
		case ok:
			n = x
		}
		if n > max {
			v.fail(firstLoc(val.Loc, f.Loc), "%s %d %s is above the policy's %d %s", what, n, unit, max, unit)
		}
	}
	limit(f.TimeoutSeconds, lambdaDefaultTimeout, maxT, "timeout", "s")
	limit(f.MemoryMB, lambdaDefaultMemory, maxM, "memory", "MB")
	return v.finding("timeout and memory are within the policy"), true
}
