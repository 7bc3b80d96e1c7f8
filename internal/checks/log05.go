package checks

import (
	"fmt"
	"slices"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
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
		Run:         alarmCheck(fams, []string{"Errors"}, "Errors"),
	}
}

// alarmCheck runs an alarm check: the alarms are indexed once per run, then
// each function is looked up (no scan of every alarm per function).
func alarmCheck(fams []inventory.Family, metrics []string, what string) func(*Env) []Finding {
	return perFunctionPrepared(fams, func(env *Env) FunctionEval {
		ix := newAlarmIndex(env, metrics)
		return func(env *Env, f *inventory.Function) (Finding, bool) {
			return ix.finding(env, f, what), true
		}
	})
}

// alarmIndex is what the inventory's alarms say about some AWS/Lambda
// metrics, indexed by function name.
//
// An alarm watches a function's metric when one of its metrics is in
// AWS/Lambda with the FunctionName dimension naming the function (a plain
// alarm, or a metric query of a metric-math alarm), or when it is a
// Metrics Insights query (SELECT FUNC(metric) FROM "AWS/Lambda" or
// SCHEMA("AWS/Lambda"[, FunctionName])) that either filters
// WHERE FunctionName = 'NAME' (or IN (...), joined by OR), or has no filter
// and no LIMIT and so covers every function. An alarm that might watch it
// but cannot be told (an unresolved metric, dimension or expression, a
// filter or dimension set the reader cannot interpret, a LIMIT keeping only
// the top series) makes the result UNKNOWN rather than FAIL.
type alarmIndex struct {
	metrics []string
	// queriesFor and queriesAll are the Metrics Insights alarms that watch
	// the metrics for the named functions, and for every function.
	queriesFor map[string][]*inventory.Alarm
	queriesAll []*inventory.Alarm
	// maybeFor and maybeAll are the alarms that may watch the metrics for
	// the named functions, and for any function.
	maybeFor map[string][]*inventory.Alarm
	maybeAll []*inventory.Alarm
	// order is each alarm's position in the inventory, for messages.
	order map[*inventory.Alarm]int
}

func newAlarmIndex(env *Env, metrics []string) *alarmIndex {
	ix := &alarmIndex{metrics: metrics, queriesFor: map[string][]*inventory.Alarm{}, maybeFor: map[string][]*inventory.Alarm{},
		order: map[*inventory.Alarm]int{}}
	for i, a := range env.Inventory().Alarms {
		ix.order[a] = i
		for _, m := range a.Metrics {
			switch {
			case m.Expression.IsUnknown() && m.Namespace.IsAbsent() && m.MetricName.IsAbsent():
				// Any query, for any function.
				ix.maybeAll = appendAlarm(ix.maybeAll, a)
			case m.Expression.IsKnown():
				q, ok := parseInsightsQuery(m.Expression.V)
				if !ok || q.Namespace != "AWS/Lambda" || !containsFold(metrics, q.Metric) {
					continue
				}
				switch {
				case q.All:
					ix.queriesAll = appendAlarm(ix.queriesAll, a)
				case q.Maybe && len(q.MaybeFunctions) == 0:
					ix.maybeAll = appendAlarm(ix.maybeAll, a)
				}
				for _, n := range q.Functions {
					ix.queriesFor[n] = appendAlarm(ix.queriesFor[n], a)
				}
				for _, n := range q.MaybeFunctions {
					ix.maybeFor[n] = appendAlarm(ix.maybeFor[n], a)
				}
			case m.Dimensions["FunctionName"].IsUnknown() && metricIs(m, metrics) != matchNo:
				ix.maybeAll = appendAlarm(ix.maybeAll, a)
			}
		}
	}
	return ix
}

// appendAlarm appends a unless it is already last (metrics of one alarm
// come together).
func appendAlarm(as []*inventory.Alarm, a *inventory.Alarm) []*inventory.Alarm {
	if n := len(as); n > 0 && as[n-1] == a {
		return as
	}
	return append(as, a)
}

// finding passes when an alarm watches one of the metrics for f; it is
// UNKNOWN when f's name or some alarm cannot be resolved and no alarm
// settles it.
func (ix *alarmIndex) finding(env *Env, f *inventory.Function, what string) Finding {
	name, ok := f.Name.Get()
	if !ok {
		return unknownFinding(firstLoc(f.Name.Loc, f.Loc), "the function's name cannot be resolved (%s), so its alarms cannot be found", whyUnknown(f.Name))
	}
	var candidates []*inventory.Alarm
	for _, a := range env.Index.AlarmsFor(f) {
		for _, m := range a.Metrics {
			switch {
			case metricIs(m, ix.metrics) == matchYes && dimensionIs(m, name) == matchYes:
				return Finding{Status: result.Pass, Location: a.Loc, Message: "alarm " + alarmLabel(a) + " watches AWS/Lambda " + m.MetricName.V}
			case metricIs(m, ix.metrics) == matchMaybe && dimensionIs(m, name) != matchNo:
				candidates = append(candidates, a)
			}
		}
	}
	if as := ix.queriesFor[name]; len(as) > 0 {
		return Finding{Status: result.Pass, Location: as[0].Loc,
			Message: fmt.Sprintf("alarm %s watches AWS/Lambda %s for %s with a Metrics Insights query", alarmLabel(as[0]), what, name)}
	}
	if as := ix.queriesAll; len(as) > 0 {
		return Finding{Status: result.Pass, Location: as[0].Loc,
			Message: fmt.Sprintf("alarm %s watches AWS/Lambda %s of every function with a Metrics Insights query that has no filter", alarmLabel(as[0]), what)}
	}
	// No alarm settles it: the alarms whose metric, dimension or query
	// cannot be resolved or interpreted might be the one.
	candidates = append(append(candidates, ix.maybeFor[name]...), ix.maybeAll...)
	if len(candidates) > 0 {
		slices.SortFunc(candidates, func(a, b *inventory.Alarm) int { return ix.order[a] - ix.order[b] })
		candidates = slices.Compact(candidates)
		labels := make([]string, len(candidates))
		for i, a := range candidates {
			labels[i] = alarmLabel(a)
		}
		return unknownFinding(candidates[0].Loc, "no alarm is known to watch AWS/Lambda %s for %s; alarm %s may, but its metric, dimensions or query cannot be resolved or interpreted", what, name, iamList(labels, 3))
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
