package checks

import (
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func oGroup(name string, retention inventory.Value[int]) *inventory.LogGroup {
	return &inventory.LogGroup{Item: oItem("aws_cloudwatch_log_group.api", 30), Name: oK(name, 31), RetentionDays: retention}
}

func TestLOG01(t *testing.T) {
	custom := func(f *inventory.Function) { f.LogGroup = oK("/shared/app", 8) }
	oRun(t, checkLOG01(), []oCase{
		{name: "declared with retention", inv: oInv(oFn(), oGroup("/aws/lambda/api", oK(90, 32))), want: result.Pass, line: 32},
		{name: "logging config group", inv: oInv(oFn(custom), oGroup("/shared/app", oK(30, 32))), want: result.Pass},
		{name: "not declared", inv: oInv(oFn()), want: result.Fail, line: 1, msg: "Lambda creates it with Never Expire"},
		{name: "logging config group not declared", inv: oInv(oFn(custom), oGroup("/shared/other", oK(30, 32))), want: result.Fail, line: 8, msg: "/shared/app"},
		{name: "no retention", inv: oInv(oFn(), oGroup("/aws/lambda/api", inventory.Value[int]{})), want: result.Fail, line: 30, msg: "never expire"},
		{name: "retention zero", inv: oInv(oFn(), oGroup("/aws/lambda/api", oK(0, 32))), want: result.Fail, line: 32},
		{name: "unresolved retention", inv: oInv(oFn(), oGroup("/aws/lambda/api", oU[int](32))), want: result.Unknown, line: 32},
		{name: "unresolved name", inv: oInv(oFn(func(f *inventory.Function) { f.Name = oU[string](2) })), want: result.Unknown, line: 2},
		{name: "live group missing", inv: oInv(oLive()), want: result.Fail, msg: "does not exist"},
		{name: "orphan lambda log group without retention", inv: oInv(oGroup("/aws/lambda/billing", inventory.Value[int]{})),
			want: result.Fail, kind: result.KindLogGroup, resName: "billing", line: 30},
		{name: "orphan lambda log group with retention", inv: oInv(oGroup("/aws/lambda/billing", oK(30, 32))), want: result.Pass, kind: result.KindLogGroup},
		{name: "other log groups are not judged", inv: oInv(oGroup("/ecs/web", inventory.Value[int]{})), want: ""},
		// A declared log group whose name is unresolved may be the
		// function's: not "not declared".
		{name: "log group with unresolved name", inv: oInv(oFn(), unnamedGroup(oK(90, 32))), want: result.Unknown, line: 31,
			msg: "a log group with an unresolved name may be this function's", also: []string{"variable lgname has no value"}, notMsg: "is not declared, so"},
		{name: "declared group wins over an unresolved one", inv: oInv(oFn(), unnamedGroup(oK(90, 32)), oGroup("/aws/lambda/api", oK(30, 32))), want: result.Pass},
		{name: "unresolved group in another origin does not count", inv: oInv(oFn(), func() *inventory.LogGroup {
			g := unnamedGroup(oK(90, 32))
			g.Origin = "elsewhere"
			return g
		}()), want: result.Fail},
	})
}

// unnamedGroup is a log group whose name is a variable without a value.
func unnamedGroup(retention inventory.Value[int]) *inventory.LogGroup {
	return &inventory.LogGroup{Item: oItem("aws_cloudwatch_log_group.named_by_var", 30),
		Name: inventory.UnknownValue[string]("variable lgname has no value", oLoc(31)), RetentionDays: retention}
}

func TestLOG02(t *testing.T) {
	short := DefaultSettings()
	short.LogRetentionMinDays = 30
	oRun(t, checkLOG02(), []oCase{
		{name: "a year", inv: oInv(oFn(), oGroup("/aws/lambda/api", oK(365, 32))), want: result.Pass},
		{name: "below audit period", inv: oInv(oFn(), oGroup("/aws/lambda/api", oK(90, 32))), want: result.Fail, line: 32, msg: "90 days, less than the 365-day"},
		{name: "custom audit period", inv: oInv(oFn(), oGroup("/aws/lambda/api", oK(90, 32))), settings: &short, want: result.Pass},
		{name: "never expires", inv: oInv(oFn(), oGroup("/aws/lambda/api", inventory.Value[int]{})), want: result.Pass},
		{name: "not declared", inv: oInv(oFn()), want: result.Pass},
		{name: "unresolved retention", inv: oInv(oFn(), oGroup("/aws/lambda/api", oU[int](32))), want: result.Unknown},
		{name: "unresolved name", inv: oInv(oFn(func(f *inventory.Function) { f.Name = oU[string](2) })), want: result.Unknown},
		{name: "orphan lambda log group below audit period", inv: oInv(oGroup("/aws/lambda/billing", oK(7, 32))),
			want: result.Fail, kind: result.KindLogGroup, resName: "billing", line: 32},
		{name: "unresolved-name group below audit period may be the function's", inv: oInv(oFn(), unnamedGroup(oK(7, 32))), want: result.Unknown,
			msg: "may be this function's", also: []string{"7 days"}},
		{name: "unresolved-name group meeting the audit period", inv: oInv(oFn(), unnamedGroup(oK(400, 32))), want: result.Pass},
	})
}

func TestLOG03(t *testing.T) {
	format := func(v inventory.Value[string]) func(*inventory.Function) {
		return func(f *inventory.Function) { f.LogFormat = v }
	}
	oRun(t, checkLOG03(), []oCase{
		{name: "json", inv: oInv(oFn(format(oK("JSON", 9)))), want: result.Pass, line: 9},
		{name: "text", inv: oInv(oFn(format(oK("Text", 9)))), want: result.Fail, line: 9},
		{name: "absent", inv: oInv(oFn()), want: result.Fail, line: 1},
		{name: "unresolved", inv: oInv(oFn(format(oU[string](9)))), want: result.Unknown},
	})
}

func TestLOG04(t *testing.T) {
	mode := func(v inventory.Value[string]) func(*inventory.Function) {
		return func(f *inventory.Function) { f.TracingMode = v }
	}
	oRun(t, checkLOG04(), []oCase{
		{name: "active", inv: oInv(oFn(mode(oK("Active", 9)))), want: result.Pass},
		{name: "pass through", inv: oInv(oFn(mode(oK("PassThrough", 9)))), want: result.Fail, line: 9},
		{name: "absent", inv: oInv(oFn()), want: result.Fail},
		{name: "unresolved", inv: oInv(oFn(mode(oU[string](9)))), want: result.Unknown},
	})
}

func oAlarm(id string, metrics ...inventory.AlarmMetric) *inventory.Alarm {
	return &inventory.Alarm{Item: oItem(id, 60), Name: oK(id, 61), Metrics: metrics}
}

func oMetric(name string, fn inventory.Value[string]) inventory.AlarmMetric {
	m := inventory.AlarmMetric{Namespace: oK("AWS/Lambda", 62), MetricName: oK(name, 63)}
	if !fn.IsAbsent() {
		m.Dimensions = map[string]inventory.Value[string]{"FunctionName": fn}
	}
	return m
}

func TestLOG05(t *testing.T) {
	mathAlarm := oAlarm("errors_rate",
		oMetric("Invocations", oK("api", 64)),
		oMetric("Errors", oK("arn:aws:lambda:us-east-1:111122223333:function:api", 65)))
	oRun(t, checkLOG05(), []oCase{
		{name: "errors alarm", inv: oInv(oFn(), oAlarm("api_errors", oMetric("Errors", oK("api", 64)))), want: result.Pass, line: 60},
		{name: "metric math alarm", inv: oInv(oFn(), mathAlarm), want: result.Pass},
		{name: "alarm on another function", inv: oInv(oFn(), oAlarm("other", oMetric("Errors", oK("other", 64)))), want: result.Fail, line: 1},
		{name: "alarm on throttles only", inv: oInv(oFn(), oAlarm("thr", oMetric("Throttles", oK("api", 64)))), want: result.Fail},
		{name: "no alarms", inv: oInv(oFn()), want: result.Fail, msg: "no CloudWatch alarm watches AWS/Lambda Errors for api"},
		{name: "alarm with unresolved dimension", inv: oInv(oFn(), oAlarm("maybe", oMetric("Errors", oU[string](64)))), want: result.Unknown, msg: "maybe"},
		{name: "unresolved function name", inv: oInv(oFn(func(f *inventory.Function) { f.Name = oU[string](2) })), want: result.Unknown},
		// Metric-math alarms: the expression query beside the metric queries.
		{name: "metric math expression over an errors query", inv: oInv(oFn(), oAlarm("err_rate", oExpr("100*e/i"),
			oMetric("Errors", oK("api", 64)), oMetric("Invocations", oK("api", 65)))), want: result.Pass, msg: "err_rate watches AWS/Lambda Errors"},
		// Metrics Insights query alarms.
		{name: "insights query filtered on the function", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'api'`))),
			want: result.Pass, line: 60, msg: "alarm q watches AWS/Lambda Errors for api with a Metrics Insights query"},
		{name: "insights query over every function", inv: oInv(oFn(), oAlarm("all", oExpr(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName)`))),
			want: result.Pass, msg: "of every function"},
		{name: "insights query from the namespace", inv: oInv(oFn(), oAlarm("all", oExpr(`select max(Errors) from "AWS/Lambda"`))), want: result.Pass},
		{name: "insights query on the account aggregate", inv: oInv(oFn(), oAlarm("all", oExpr(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda")`))), want: result.Pass},
		{name: "insights query for a list of functions", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName = 'x' OR FunctionName IN ('api', 'y')`))),
			want: result.Pass},
		{name: "insights query on another function", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'other'`))),
			want: result.Fail, line: 1},
		{name: "insights query on another metric", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Throttles) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'api'`))),
			want: result.Fail},
		{name: "insights query on another namespace", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Errors) FROM SCHEMA("Custom/App", FunctionName) WHERE FunctionName = 'api'`))),
			want: result.Fail},
		{name: "insights query with a limit is unknown", inv: oInv(oFn(), oAlarm("top", oExpr(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) GROUP BY FunctionName ORDER BY SUM() DESC LIMIT 10`))),
			want: result.Unknown, msg: "top"},
		{name: "insights query with a filter it cannot read is unknown", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName = 'api' AND Resource = 'api:live'`))),
			want: result.Unknown},
		{name: "insights query excluding another function is unknown", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName != 'other'`))),
			want: result.Unknown},
		{name: "unresolved expression is unknown", inv: oInv(oFn(), oAlarm("q", inventory.AlarmMetric{Expression: oU[string](62)})), want: result.Unknown},
	})
}

// oExpr is an alarm's expression query (metric math or Metrics Insights).
func oExpr(expr string) inventory.AlarmMetric {
	return inventory.AlarmMetric{Expression: oK(expr, 62)}
}

func TestInsightsQuery(t *testing.T) {
	cases := []struct {
		name, expr string
		ok         bool
		want       insightsQuery
	}{
		{"filter", `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'alarm-a'`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors", Functions: []string{"alarm-a"}}},
		{"keywords in any case", `select avg("Errors") from schema("AWS/Lambda",FunctionName) where FunctionName='a'`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors", Functions: []string{"a"}}},
		{"escaped quote", `SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName = 'it''s'`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors", Functions: []string{"it's"}}},
		{"every function", `SELECT SUM(Invocations) FROM SCHEMA("AWS/Lambda", FunctionName)`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Invocations", All: true}},
		{"group by keeps every function", `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) GROUP BY FunctionName`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors", All: true}},
		{"limit", `SELECT SUM(Errors) FROM "AWS/Lambda" GROUP BY FunctionName ORDER BY SUM() DESC LIMIT 5`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors", Maybe: true}},
		{"alias dimensions", `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName, Resource)`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors", Maybe: true}},
		{"filter on an alias", `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName, Resource) WHERE Resource = 'api:live'`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors", Maybe: true, MaybeFunctions: []string{"api"}}},
		{"filter the schema excludes", `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda") WHERE FunctionName = 'api'`, true,
			insightsQuery{Namespace: "AWS/Lambda", Metric: "Errors"}},
		{"metric math", `100*e/i`, false, insightsQuery{}},
		{"anomaly band", `ANOMALY_DETECTION_BAND(m1, 2)`, false, insightsQuery{}},
		{"unclosed quote", `SELECT SUM(Errors) FROM "AWS/Lambda`, false, insightsQuery{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseInsightsQuery(tc.expr)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tc.ok, got)
			}
			if ok && (got.Namespace != tc.want.Namespace || got.Metric != tc.want.Metric || got.All != tc.want.All || got.Maybe != tc.want.Maybe ||
				strings.Join(got.Functions, ",") != strings.Join(tc.want.Functions, ",") ||
				strings.Join(got.MaybeFunctions, ",") != strings.Join(tc.want.MaybeFunctions, ",")) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestLOG06(t *testing.T) {
	oRun(t, checkLOG06(), []oCase{
		{name: "throttles alarm", inv: oInv(oFn(), oAlarm("thr", oMetric("Throttles", oK("api", 64)))), want: result.Pass},
		{name: "invocations alarm", inv: oInv(oFn(), oAlarm("inv", oMetric("Invocations", oK("api", 64)))), want: result.Pass},
		{name: "errors only", inv: oInv(oFn(), oAlarm("err", oMetric("Errors", oK("api", 64)))), want: result.Fail},
		{name: "unresolved metric name", inv: oInv(oFn(), oAlarm("x", inventory.AlarmMetric{Namespace: oK("AWS/Lambda", 62), MetricName: oU[string](63),
			Dimensions: map[string]inventory.Value[string]{"FunctionName": oK("api", 64)}})), want: result.Unknown},
		{name: "insights throttles query", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT MAX(Throttles) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'api'`))), want: result.Pass},
		{name: "insights invocations over every function", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Invocations) FROM "AWS/Lambda"`))), want: result.Pass},
		{name: "insights errors query does not count", inv: oInv(oFn(), oAlarm("q", oExpr(`SELECT SUM(Errors) FROM "AWS/Lambda"`))), want: result.Fail},
	})
}

func TestLOG07(t *testing.T) {
	layers := func(refs ...inventory.Value[inventory.Ref]) func(*inventory.Function) {
		return func(f *inventory.Function) { f.Layers = oK(refs, 7) }
	}
	insights := oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension-Arm64:20"}, 7)
	other := oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:111122223333:layer:deps:3"}, 7)
	oRun(t, checkLOG07(), []oCase{
		{name: "insights layer", inv: oInv(oFn(layers(other, insights))), want: result.Pass},
		{name: "other layers only", inv: oInv(oFn(layers(other))), want: result.Fail, line: 7},
		{name: "no layers", inv: oInv(oFn()), want: result.Fail, line: 1},
		{name: "unresolved layer", inv: oInv(oFn(layers(other, oU[inventory.Ref](7)))), want: result.Unknown},
		{name: "unresolved layer list", inv: oInv(oFn(func(f *inventory.Function) { f.Layers = oU[[]inventory.Value[inventory.Ref]](7) })), want: result.Unknown},
	})
}

// FuzzInsightsQuery: the reader never panics, and what it reads is
// consistent.
func FuzzInsightsQuery(f *testing.F) {
	for _, s := range []string{
		`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'a'`,
		`SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName IN ('a', 'b') OR FunctionName = 'c' GROUP BY FunctionName ORDER BY SUM() DESC LIMIT 3`,
		`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda"`, `100*e/i`, `SELECT(`, `'`, `"a\"b"`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		q, ok := parseInsightsQuery(expr)
		if !ok {
			return
		}
		if q.All && (q.Maybe || len(q.Functions) > 0) {
			t.Fatalf("inconsistent %+v", q)
		}
		if len(q.MaybeFunctions) > 0 && !q.Maybe {
			t.Fatalf("inconsistent %+v", q)
		}
	})
}
