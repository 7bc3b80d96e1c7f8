package checks

import (
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
	})
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
	})
}

func TestLOG06(t *testing.T) {
	oRun(t, checkLOG06(), []oCase{
		{name: "throttles alarm", inv: oInv(oFn(), oAlarm("thr", oMetric("Throttles", oK("api", 64)))), want: result.Pass},
		{name: "invocations alarm", inv: oInv(oFn(), oAlarm("inv", oMetric("Invocations", oK("api", 64)))), want: result.Pass},
		{name: "errors only", inv: oInv(oFn(), oAlarm("err", oMetric("Errors", oK("api", 64)))), want: result.Fail},
		{name: "unresolved metric name", inv: oInv(oFn(), oAlarm("x", inventory.AlarmMetric{Namespace: oK("AWS/Lambda", 62), MetricName: oU[string](63),
			Dimensions: map[string]inventory.Value[string]{"FunctionName": oK("api", 64)}})), want: result.Unknown},
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
