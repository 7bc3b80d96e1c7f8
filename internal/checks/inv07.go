package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV07 is LW-INV-07: reserved concurrency set.
func checkINV07() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-07",
		Title:       "Reserved concurrency set",
		Severity:    result.Low,
		Controls:    []string{"A1.2"},
		Families:    fams,
		Semantics:   "FAIL if the function has no reserved concurrency. Meant to be waived with a reason where unbounded scaling is wanted.",
		Remediation: "Set reserved_concurrent_executions (ReservedConcurrentExecutions) to the most concurrent executions the function and its downstream systems can take, or waive this check with the reason scaling must stay unbounded.",
		Run:         perFunction(fams, evalINV07),
	}
}

func evalINV07(_ *Env, f *inventory.Function) (Finding, bool) {
	rc := f.ReservedConcurrency
	switch n, ok := rc.Get(); {
	case rc.IsUnknown():
		return unknownFinding(rc.Loc, "reserved concurrency cannot be resolved (%s)", whyUnknown(rc)), true
	case !ok:
		return failFinding(f.Loc, "no reserved concurrency: the function can take the account's whole concurrency pool"), true
	case n < 0:
		// -1 is the "unreserved" sentinel of Terraform and the API.
		return failFinding(rc.Loc, "reserved concurrency is %d (unreserved)", n), true
	default:
		return Finding{Status: result.Pass, Location: rc.Loc, Message: "reserved concurrency is " + itoa(n)}, true
	}
}
