package cloudformation

import (
	"reflect"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// TestAlarmExpressions checks that metric-math and Metrics Insights
// queries fill AlarmMetric.Expression, without a namespace or metric name.
func TestAlarmExpressions(t *testing.T) {
	inv := loadTree(t, "testdata/alarm-expressions")
	type entry struct{ Expression, Namespace, MetricName string }
	tests := []struct {
		name  string
		alarm string
		want  []entry
	}{
		{"metric math beside a metric", "Rate", []entry{{Expression: "100*e/i"}, {Namespace: "AWS/Lambda", MetricName: "Errors"}}},
		{"Metrics Insights query", "Insights", []entry{{Expression: `SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'orders'`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a *inventory.Alarm
			for _, x := range inv.Alarms {
				if x.ID == tc.alarm {
					a = x
				}
			}
			if a == nil {
				t.Fatalf("no alarm %s", tc.alarm)
			}
			var got []entry
			for _, m := range a.Metrics {
				for _, v := range []inventory.Value[string]{m.Expression, m.Namespace, m.MetricName} {
					if v.IsUnknown() {
						t.Errorf("unknown value %v", v)
					}
				}
				got = append(got, entry{m.Expression.Or(""), m.Namespace.Or(""), m.MetricName.Or("")})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("metrics = %+v, want %+v", got, tc.want)
			}
		})
	}
}
