package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// checkLOG05 is LW-LOG-05: alarm on errors.
func checkLOG05() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-05",
		Title:       "Alarm on errors",
		Severity:    result.Medium,
		Controls:    []string{"CC7.2", "CC7.3"},
		Families:    fams,
		Semantics:   "FAIL if no CloudWatch alarm watches AWS/Lambda Errors for the function (dimension FunctionName, or a metric-math alarm that includes it).",
		Remediation: "Add a CloudWatch alarm on the AWS/Lambda Errors metric with dimension FunctionName = the function's name, with an action that notifies the on-call team.",
		Run:         perFunction(fams, evalLOG05),
	}
}

func evalLOG05(env *Env, f *inventory.Function) (Finding, bool) {
	return alarmFinding(env, f, []string{"Errors"}, "Errors"), true
}

// alarmFinding passes when an alarm watches one of the AWS/Lambda metrics
// for f; it is UNKNOWN when f's name or some alarm's metric cannot be
// resolved and no alarm settles it.
func alarmFinding(env *Env, f *inventory.Function, metrics []string, what string) Finding {
	name, ok := f.Name.Get()
	if !ok {
		return unknownFinding(firstLoc(f.Name.Loc, f.Loc), "the function's name cannot be resolved (%s), so its alarms cannot be found", whyUnknown(f.Name))
	}
	for _, a := range env.Index.AlarmsFor(f) {
		for _, m := range a.Metrics {
			if metricIs(m, metrics) == matchYes && dimensionIs(m, name) == matchYes {
				return Finding{Status: result.Pass, Location: a.Loc, Message: "alarm " + alarmLabel(a) + " watches AWS/Lambda " + m.MetricName.V}
			}
		}
	}
	// No alarm settles it: look for alarms whose metric or dimension could
	// not be resolved and might be the one.
	var candidates []string
	var loc srcloc.Location
	for _, a := range env.Inventory().Alarms {
		for _, m := range a.Metrics {
			if metricIs(m, metrics) != matchNo && dimensionIs(m, name) != matchNo {
				if len(candidates) == 0 {
					loc = a.Loc
				}
				candidates = append(candidates, alarmLabel(a))
				break
			}
		}
	}
	if len(candidates) > 0 {
		return unknownFinding(loc, "no alarm is known to watch AWS/Lambda %s for %s; alarm %s may, but its metric or dimensions cannot be resolved", what, name, strings.Join(candidates, ", "))
	}
	return failFinding(f.Loc, "no CloudWatch alarm watches AWS/Lambda %s for %s", what, name)
}

// alarmMatch says whether an alarm metric matches: no, yes, or maybe (a
// part of it cannot be resolved).
type alarmMatch int

const (
	matchNo alarmMatch = iota
	matchYes
	matchMaybe
)

// metricIs says whether m is one of the AWS/Lambda metrics names.
func metricIs(m inventory.AlarmMetric, names []string) alarmMatch {
	ns, nsOK := m.Namespace.Get()
	mn, mnOK := m.MetricName.Get()
	if (nsOK && ns != "AWS/Lambda") || (mnOK && !containsFold(names, mn)) {
		return matchNo
	}
	if !nsOK || !mnOK {
		if m.Namespace.IsAbsent() || m.MetricName.IsAbsent() {
			return matchNo
		}
		return matchMaybe
	}
	return matchYes
}

// dimensionIs says whether m's FunctionName dimension names the function.
func dimensionIs(m inventory.AlarmMetric, name string) alarmMatch {
	d, ok := m.Dimensions["FunctionName"]
	if !ok {
		return matchNo
	}
	v, known := d.Get()
	switch {
	case known && inventory.FunctionNameFromARN(v) == name:
		return matchYes
	case d.IsUnknown():
		return matchMaybe
	}
	return matchNo
}

func alarmLabel(a *inventory.Alarm) string {
	if n, ok := a.Name.Get(); ok && n != "" {
		return n
	}
	return a.ID
}
