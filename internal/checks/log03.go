package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkLOG03 is LW-LOG-03: structured JSON logs.
func checkLOG03() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-03",
		Title:       "Structured JSON logs",
		Severity:    result.Low,
		Controls:    []string{"CC7.2"},
		Families:    fams,
		Semantics:   "FAIL if LoggingConfig LogFormat is not JSON.",
		Remediation: "Set the function's logging_config log_format (LoggingConfig.LogFormat) to JSON so logs can be queried and alarmed on by field.",
		Run:         perFunction(fams, evalLOG03),
	}
}

func evalLOG03(_ *Env, f *inventory.Function) (Finding, bool) {
	lf := f.LogFormat
	switch v, ok := lf.Get(); {
	case lf.IsUnknown():
		return unknownFinding(lf.Loc, "the log format cannot be resolved (%s)", whyUnknown(lf)), true
	case !ok:
		return failFinding(f.Loc, "no log format is set, so Lambda writes plain text logs"), true
	case !strings.EqualFold(v, "JSON"):
		return failFinding(lf.Loc, "the log format is %s, not JSON", v), true
	default:
		return Finding{Status: result.Pass, Location: lf.Loc, Message: "the function logs in JSON"}, true
	}
}
