package checks

import (
	"fmt"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// benchInventory builds, in Go as the Terraform source would fill it, an
// inventory of n functions. Each has its own role (every tenth shares its
// neighbour's), an inline policy (scoped grants; every fifth adds
// iam:PassRole on *), AWSLambdaBasicExecutionRole attached, a log group with
// retention, an invoke permission pinned to an API, an Errors alarm, two
// environment variables, VPC subnets and security group, and a layer.
// Every hundredth permission names a function outside the inventory, so
// the orphan paths run too.
func benchInventory(n int) *inventory.Inventory {
	const origin = "."
	loc := func(file string, line int) srcloc.Location { return srcloc.Location{File: file, Line: line} }
	inv := &inventory.Inventory{Sources: []inventory.Source{{Kind: inventory.Terraform, Path: "."}}}
	item := func(id, file string, line int) inventory.Item {
		return inventory.Item{ID: id, Source: inventory.Terraform, Origin: origin, Loc: loc(file, line)}
	}
	for _, az := range []string{"a", "b"} {
		inv.Subnets = append(inv.Subnets, &inventory.Subnet{Item: item("aws_subnet."+az, "net.tf", 1), SubnetID: "subnet-" + az,
			AvailabilityZone: inventory.Of("eu-west-1"+az, loc("net.tf", 2))})
	}
	inv.SecurityGroups = append(inv.SecurityGroups, &inventory.SecurityGroup{Item: item("aws_security_group.fn", "net.tf", 10),
		Egress: inventory.Of([]inventory.EgressRule{{Protocol: inventory.Of("tcp", loc("net.tf", 11)), CIDRs: inventory.Of([]string{"0.0.0.0/0"}, loc("net.tf", 12))}}, loc("net.tf", 10))})
	inv.Layers = append(inv.Layers, &inventory.LayerVersion{Item: item("aws_lambda_layer_version.deps", "layer.tf", 1), Name: inventory.Of("deps", loc("layer.tf", 2))})
	for i := range n {
		file := fmt.Sprintf("fn%04d.tf", i/25)
		line := (i % 25) * 40
		name := fmt.Sprintf("fn-%05d", i)
		fnID := fmt.Sprintf("aws_lambda_function.f[%d]", i)
		roleIdx := i
		if i%10 == 9 {
			roleIdx = i - 1
		}
		roleID := fmt.Sprintf("aws_iam_role.r[%d]", roleIdx)
		f := &inventory.Function{
			Item:        item(fnID, file, line+1),
			Name:        inventory.Of(name, loc(file, line+2)),
			Runtime:     inventory.Of("python3.12", loc(file, line+3)),
			Handler:     inventory.Of("app.handler", loc(file, line+4)),
			PackageType: inventory.Of("Zip", loc(file, line+4)),
			Role:        inventory.Of(inventory.Ref{ID: roleID}, loc(file, line+5)),
			Environment: inventory.Of([]inventory.EnvVar{
				{Name: "TABLE_NAME", Value: inventory.Of("orders-"+name, loc(file, line+6))},
				{Name: "DB_PASSWORD_ARN", Value: inventory.Of("arn:aws:secretsmanager:<region>:<account>:secret:"+name, loc(file, line+7)), Reference: true},
			}, loc(file, line+6)),
			TracingMode:     inventory.Of("Active", loc(file, line+8)),
			TimeoutSeconds:  inventory.Of(30, loc(file, line+9)),
			MemoryMB:        inventory.Of(512, loc(file, line+9)),
			PublishVersions: inventory.Of(true, loc(file, line+10)),
			VPC: inventory.Of(inventory.VPCConfig{
				Subnets:        inventory.Of([]inventory.Value[inventory.Ref]{inventory.Of(inventory.Ref{ID: "aws_subnet.a"}, loc(file, line+11)), inventory.Of(inventory.Ref{ID: "aws_subnet.b"}, loc(file, line+11))}, loc(file, line+11)),
				SecurityGroups: inventory.Of([]inventory.Value[inventory.Ref]{inventory.Of(inventory.Ref{ID: "aws_security_group.fn"}, loc(file, line+12))}, loc(file, line+12)),
			}, loc(file, line+11)),
			Layers: inventory.Of([]inventory.Value[inventory.Ref]{inventory.Of(inventory.Ref{ID: "aws_lambda_layer_version.deps"}, loc(file, line+13))}, loc(file, line+13)),
		}
		inv.Functions = append(inv.Functions, f)

		if roleIdx == i {
			sts := []iampolicy.Statement{
				{Effect: iampolicy.Allow, Actions: []string{"dynamodb:GetItem", "dynamodb:PutItem"},
					Resources: []string{"arn:aws:dynamodb:<region>:<account>:table/orders-" + name}, Loc: loc(file, line+22)},
				{Effect: iampolicy.Allow, Actions: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
					Resources: []string{"arn:aws:logs:<region>:<account>:log-group:/aws/lambda/" + name + ":*"}, Loc: loc(file, line+23)},
			}
			if i%5 == 0 {
				sts = append(sts, iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"iam:PassRole"}, Resources: []string{"*"}, Loc: loc(file, line+24)})
			}
			inv.Roles = append(inv.Roles, &inventory.Role{
				Item: item(roleID, file, line+20),
				Name: inventory.Of("role-"+name, loc(file, line+21)),
				TrustPolicy: inventory.Of(&iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{{Effect: iampolicy.Allow,
					Actions: []string{"sts:AssumeRole"}, Principal: &iampolicy.Principal{Service: []string{"lambda.amazonaws.com"}}}}}, loc(file, line+21)),
				Inline: []inventory.InlinePolicy{{Name: "app", Document: inventory.Of(&iampolicy.Policy{Version: "2012-10-17", Statements: sts}, loc(file, line+22)), Loc: loc(file, line+22)}},
				Attached: []inventory.PolicyAttachment{{Policy: inventory.Of(inventory.Ref{Name: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}, loc(file, line+25)),
					Loc: loc(file, line+25)}},
				PoliciesComplete: inventory.Of(true, loc(file, line+20)),
			})
		}
		inv.LogGroups = append(inv.LogGroups, &inventory.LogGroup{Item: item(fmt.Sprintf("aws_cloudwatch_log_group.g[%d]", i), file, line+30),
			Name: inventory.Of("/aws/lambda/"+name, loc(file, line+31)), RetentionDays: inventory.Of(365, loc(file, line+32))})
		fnRef := inventory.Of(inventory.Ref{ID: fnID}, loc(file, line+34))
		if i%100 == 99 {
			fnRef = inventory.Of(inventory.Ref{Name: fmt.Sprintf("elsewhere-%d:live", i)}, loc(file, line+34))
		}
		inv.Permissions = append(inv.Permissions, &inventory.Permission{Item: item(fmt.Sprintf("aws_lambda_permission.p[%d]", i), file, line+33),
			Function: fnRef, Statement: iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"lambda:InvokeFunction"},
				Principal:  &iampolicy.Principal{Service: []string{"apigateway.amazonaws.com"}},
				Conditions: []iampolicy.Condition{{Operator: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:execute-api:<region>:<account>:api" + name + "/*"}}},
				Loc:        loc(file, line+35)}})
		inv.Alarms = append(inv.Alarms, &inventory.Alarm{Item: item(fmt.Sprintf("aws_cloudwatch_metric_alarm.e[%d]", i), file, line+36),
			Name: inventory.Of(name+"-errors", loc(file, line+37)),
			Metrics: []inventory.AlarmMetric{{Namespace: inventory.Of("AWS/Lambda", loc(file, line+38)), MetricName: inventory.Of("Errors", loc(file, line+38)),
				Dimensions: map[string]inventory.Value[string]{"FunctionName": inventory.Of(name, loc(file, line+39))}}}})
	}
	return inv
}

// benchmarkChecks runs the whole catalog (default-off checks included) over
// an inventory of n functions, index building included.
func benchmarkChecks(b *testing.B, n int) {
	inv := benchInventory(n)
	catalog := Catalog()
	settings := DefaultSettings()
	settings.RequiredTags = []string{"owner"}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	var results int
	for b.Loop() {
		env := &Env{Index: inventory.NewIndex(inv), Settings: settings, Now: now}
		results = len(Run(env, catalog))
	}
	b.ReportMetric(float64(results), "results")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/function")
}

// BenchmarkChecks10k runs the catalog over 10,000 functions; with
// BenchmarkChecks1k it shows the checks scale linearly (ns/function stays
// flat).
func BenchmarkChecks10k(b *testing.B) { benchmarkChecks(b, 10_000) }

// BenchmarkChecks1k is BenchmarkChecks10k with 1,000 functions.
func BenchmarkChecks1k(b *testing.B) { benchmarkChecks(b, 1_000) }

// TestBenchInventoryResults keeps the benchmark honest: its inventory
// yields one result per function and function-level check, no UNKNOWN, and
// the failures it is built to have.
func TestBenchInventoryResults(t *testing.T) {
	const n = 200
	inv := benchInventory(n)
	settings := DefaultSettings()
	env := &Env{Index: inventory.NewIndex(inv), Settings: settings, Now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	byCheck := map[string]map[string]int{}
	for _, r := range Run(env, Catalog()) {
		if byCheck[r.CheckID] == nil {
			byCheck[r.CheckID] = map[string]int{}
		}
		byCheck[r.CheckID][string(r.Status)]++
		if r.Status == "UNKNOWN" {
			t.Errorf("%s on %s is UNKNOWN: %s", r.CheckID, r.Resource.ID, r.Message)
		}
	}
	want := map[string]map[string]int{
		"LW-IAM-01": {"PASS": n - 2*n/10, "FAIL": 2 * n / 10},
		"LW-IAM-09": {"PASS": n - n/5, "FAIL": n / 5}, // the roles of every fifth function grant iam:PassRole on *
		"LW-LOG-01": {"PASS": n},
		"LW-LOG-05": {"PASS": n},
		"LW-NET-02": {"PASS": n},
		"LW-CHG-01": {"FAIL": n},
		"LW-INV-02": {"PASS": n + n/100}, // and the orphan permissions
	}
	for id, w := range want {
		for status, count := range w {
			if got := byCheck[id][status]; got != count {
				t.Errorf("%s %s = %d, want %d (all: %v)", id, status, got, count, byCheck[id])
			}
		}
	}
}
