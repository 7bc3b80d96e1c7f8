package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkLOG04 is LW-LOG-04: X-Ray active tracing.
func checkLOG04() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-04",
		Title:       "X-Ray active tracing",
		Severity:    result.Low,
		Controls:    []string{"CC7.2"},
		Families:    fams,
		Semantics:   "FAIL if tracing mode is not Active.",
		Remediation: "Set tracing_config mode (TracingConfig.Mode, SAM Tracing) to Active and allow xray:PutTraceSegments and xray:PutTelemetryRecords in the execution role.",
		Run:         perFunction(fams, evalLOG04),
	}
}

func evalLOG04(_ *Env, f *inventory.Function) (Finding, bool) {
	tm := f.TracingMode
	switch v, ok := tm.Get(); {
	case tm.IsUnknown():
		return unknownFinding(tm.Loc, "the tracing mode cannot be resolved (%s)", whyUnknown(tm)), true
	case !ok:
		return failFinding(f.Loc, "no tracing mode is set, so it is PassThrough: the function's own calls are not traced"), true
	case !strings.EqualFold(v, "Active"):
		return failFinding(tm.Loc, "the tracing mode is %s, not Active", v), true
	default:
		return Finding{Status: result.Pass, Location: tm.Loc, Message: "X-Ray active tracing is on"}, true
	}
}
