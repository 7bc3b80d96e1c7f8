package awslive_test

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// TestAlarmScopeAcrossRegions: functions of the same name in two regions
// (common in live multi-region scans); an error alarm in one region does not
// watch the other region's function.
func TestAlarmScopeAcrossRegions(t *testing.T) {
	var no srcloc.Location
	item := func(id, region string) inventory.Item {
		return inventory.Item{ID: id, Source: inventory.LiveAWS, Origin: "111122223333/" + region, Account: "111122223333", Region: region}
	}
	inv := &inventory.Inventory{
		Functions: []*inventory.Function{
			{Item: item("arn:aws:lambda:us-east-1:111122223333:function:orders", "us-east-1"), Name: inventory.Of("orders", no)},
			{Item: item("arn:aws:lambda:eu-west-1:111122223333:function:orders", "eu-west-1"), Name: inventory.Of("orders", no)},
		},
		Alarms: []*inventory.Alarm{{Item: item("arn:aws:cloudwatch:us-east-1:111122223333:alarm:orders-errors", "us-east-1"),
			Name: inventory.Of("orders-errors", no), Metrics: []inventory.AlarmMetric{{Namespace: inventory.Of("AWS/Lambda", no),
				MetricName: inventory.Of("Errors", no), Dimensions: map[string]inventory.Value[string]{"FunctionName": inventory.Of("orders", no)}}}}},
	}
	env := &checks.Env{Index: inventory.NewIndex(inv), Settings: checks.DefaultSettings()}
	got := map[string]result.Status{}
	for _, r := range checks.Run(env, []*checks.Check{checks.ByID(checks.Catalog(), "LW-LOG-05")}) {
		got[r.Resource.Region] = r.Status
	}
	if got["us-east-1"] != result.Pass {
		t.Errorf("us-east-1: %s, want PASS", got["us-east-1"])
	}
	if got["eu-west-1"] != result.Fail {
		t.Errorf("eu-west-1: %s, want FAIL (the us-east-1 alarm does not watch it)", got["eu-west-1"])
	}
}
