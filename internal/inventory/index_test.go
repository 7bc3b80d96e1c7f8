package inventory

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

func TestFunctionNameFromARN(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain name", "orders", "orders"},
		{"name with alias", "orders:live", "orders"},
		{"name with version", "orders:3", "orders"},
		{"name with $LATEST", "orders:$LATEST", "orders"},
		{"name ending in function with alias", "my-function:live", "my-function"},
		{"partial arn", "123456789012:function:orders", "orders"},
		{"partial arn with qualifier", "123456789012:function:orders:live", "orders"},
		{"full arn", "arn:aws:lambda:eu-west-1:123456789012:function:orders", "orders"},
		{"full arn with qualifier", "arn:aws:lambda:eu-west-1:123456789012:function:orders:7", "orders"},
		{"symbolic arn", "arn:aws:lambda:<region>:<account>:function:orders", "orders"},
		{"other partition", "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:live", "orders"},
		{"layer arn is not a function", "arn:aws:lambda:eu-west-1:123456789012:layer:deps:3", "arn:aws:lambda:eu-west-1:123456789012:layer:deps:3"},
		{"other service arn", "arn:aws:sqs:eu-west-1:123456789012:function", "arn:aws:sqs:eu-west-1:123456789012:function"},
		{"symbolic reference", "<aws_lambda_function.f.arn>", "<aws_lambda_function.f.arn>"},
		{"empty", "", ""},
		{"too many parts", "a:b:c", "a:b:c"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FunctionNameFromARN(tc.in); got != tc.want {
				t.Errorf("FunctionNameFromARN(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestIndexLinksQualifiedNames: a permission or URL naming its function in
// any form Lambda accepts is linked to it, not left an orphan.
func TestIndexLinksQualifiedNames(t *testing.T) {
	fn := &Function{Item: Item{ID: "aws_lambda_function.f", Source: Terraform, Origin: "."}, Name: Of("pf", srcloc.Location{})}
	perm := func(id, name string) *Permission {
		return &Permission{Item: Item{ID: id, Source: Terraform, Origin: "."}, Function: Of(Ref{Name: name}, srcloc.Location{})}
	}
	cases := []struct {
		name   string
		ref    string
		linked bool
	}{
		{"plain name", "pf", true},
		{"name with alias", "pf:live", true},
		{"name with version", "pf:3", true},
		{"partial arn", "123456789012:function:pf", true},
		{"partial arn with alias", "123456789012:function:pf:live", true},
		{"full arn", "arn:aws:lambda:eu-west-1:123456789012:function:pf", true},
		{"full arn with alias", "arn:aws:lambda:eu-west-1:123456789012:function:pf:live", true},
		{"another function", "other-fn:live", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := perm("aws_lambda_permission.p", tc.ref)
			u := &FunctionURL{Item: Item{ID: "aws_lambda_function_url.u", Source: Terraform, Origin: "."}, Function: Of(Ref{Name: tc.ref}, srcloc.Location{})}
			x := NewIndex(&Inventory{Functions: []*Function{fn}, Permissions: []*Permission{p}, FunctionURLs: []*FunctionURL{u}})
			gotPerm := len(x.Permissions(fn)) == 1
			gotURL := len(x.URLs(fn)) == 1
			if gotPerm != tc.linked || gotURL != tc.linked {
				t.Errorf("%q: permission linked %v, URL linked %v, want %v", tc.ref, gotPerm, gotURL, tc.linked)
			}
			if (len(x.OrphanPermissions()) == 1) == tc.linked {
				t.Errorf("%q: orphan permissions %d", tc.ref, len(x.OrphanPermissions()))
			}
		})
	}
}

// TestIndexLookups covers the maps NewIndex builds so that checks need no
// scan of the whole inventory per function.
func TestIndexLookups(t *testing.T) {
	loc := srcloc.Location{}
	f := &Function{Item: Item{ID: "f", Origin: "a"}, Name: Of("orders", loc)}
	g := &Function{Item: Item{ID: "g", Origin: "a"}, Name: Of("billing", loc), LogGroup: Of("/shared/billing", loc)}
	own := &LogGroup{Item: Item{ID: "lg", Origin: "a"}, Name: Of("/aws/lambda/orders", loc)}
	other := &LogGroup{Item: Item{ID: "lg2", Origin: "b"}, Name: Of("/aws/lambda/orders", loc)}
	shared := &LogGroup{Item: Item{ID: "lg3", Origin: "a"}, Name: Of("/shared/billing", loc)}
	unnamed := &LogGroup{Item: Item{ID: "lg4", Origin: "a"}, Name: UnknownValue[string]("variable lgname has no value", loc)}
	alarm := &Alarm{Item: Item{ID: "al"}, Metrics: []AlarmMetric{
		{MetricName: Of("Errors", loc), Dimensions: map[string]Value[string]{"FunctionName": Of("arn:aws:lambda:us-east-1:123456789012:function:orders", loc)}},
		{MetricName: Of("Throttles", loc), Dimensions: map[string]Value[string]{"FunctionName": Of("orders", loc)}},
	}}
	sub := &Subnet{Item: Item{ID: "aws_subnet.a", Origin: "a"}, SubnetID: "subnet-1"}
	sg := &SecurityGroup{Item: Item{ID: "aws_security_group.s", Origin: "a"}, GroupID: "sg-1"}
	csc := &CodeSigningConfig{Item: Item{ID: "csc", Origin: "a"}, ARN: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-1"}
	layer := &LayerVersion{Item: Item{ID: "aws_lambda_layer_version.l", Origin: "a"}, ARN: "arn:aws:lambda:us-east-1:123456789012:layer:deps:1"}
	lp := &LayerPermission{Item: Item{ID: "lp", Origin: "a"}, Layer: Of(Ref{ID: "aws_lambda_layer_version.l"}, loc)}
	lpOut := &LayerPermission{Item: Item{ID: "lp2", Origin: "a"}, Layer: Of(Ref{Name: "arn:aws:lambda:us-east-1:999999999999:layer:x:1"}, loc)}
	orphan := &Permission{Item: Item{ID: "p", Origin: "a"}, Function: Of(Ref{Name: "elsewhere:live"}, loc)}
	x := NewIndex(&Inventory{
		Functions: []*Function{f, g}, LogGroups: []*LogGroup{own, other, shared, unnamed}, Alarms: []*Alarm{alarm},
		Subnets: []*Subnet{sub}, SecurityGroups: []*SecurityGroup{sg}, CodeSigningConfigs: []*CodeSigningConfig{csc},
		Layers: []*LayerVersion{layer}, LayerPermissions: []*LayerPermission{lp, lpOut}, Permissions: []*Permission{orphan},
	})
	checks := []struct {
		name string
		ok   bool
	}{
		{"own log group in own origin", x.LogGroupOf(f) == own},
		{"logging config group", x.LogGroupOf(g) == shared},
		{"log groups by name", len(x.LogGroupsNamed("/aws/lambda/orders")) == 2},
		{"unnamed log groups by origin", len(x.UnnamedLogGroups("a")) == 1 && len(x.UnnamedLogGroups("b")) == 0},
		{"alarm once for two metrics", len(x.AlarmsFor(f)) == 1 && x.AlarmsFor(f)[0] == alarm},
		{"no alarm for billing", len(x.AlarmsFor(g)) == 0},
		{"subnet by id", x.Subnet("a", Ref{ID: "aws_subnet.a"}) == sub},
		{"subnet by id in another origin is not found", x.Subnet("b", Ref{ID: "aws_subnet.a"}) == nil},
		{"subnet by subnet id", x.Subnet("b", Ref{Name: "subnet-1"}) == sub},
		{"security group by group id", x.SecurityGroup("b", Ref{Name: "sg-1"}) == sg},
		{"code signing config by arn", x.CodeSigningConfig("b", Ref{Name: csc.ARN}) == csc},
		{"layer by arn", x.Layer("b", Ref{Name: layer.ARN}) == layer},
		{"layer permissions of a layer", len(x.LayerPermissionsOf(layer)) == 1},
		{"layer permissions by name", len(x.LayerPermissionsNaming("arn:aws:lambda:us-east-1:999999999999:layer:x:1")) == 1},
		{"orphan permissions by function name", len(x.OrphanPermissionsNaming("elsewhere")) == 1},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: wrong result", c.name)
		}
	}
}

// TestAlarmsForScope: an alarm watches the function of that name in its own
// stack, account and region; a same-named function elsewhere is another one.
func TestAlarmsForScope(t *testing.T) {
	var no srcloc.Location
	fn := func(origin, account, region string) *Function {
		return &Function{Item: Item{ID: "fn", Origin: origin, Account: account, Region: region}, Name: Of("orders", no)}
	}
	alarm := func(origin, account, region string) *Alarm {
		return &Alarm{Item: Item{ID: "alarm", Origin: origin, Account: account, Region: region},
			Metrics: []AlarmMetric{{Namespace: Of("AWS/Lambda", no), MetricName: Of("Errors", no),
				Dimensions: map[string]Value[string]{"FunctionName": Of("orders", no)}}}}
	}
	cases := []struct {
		name  string
		fns   []*Function
		alarm *Alarm
		want  []bool // per function: does the alarm watch it
	}{
		{"same stack", []*Function{fn("infra", "", "")}, alarm("infra", "", ""), []bool{true}},
		{"monitoring stack watches a function defined elsewhere", []*Function{fn("app", "", "")}, alarm("monitoring", "", ""), []bool{true}},
		{"alarm beside its own same-named function", []*Function{fn("sam", "", ""), fn("terraform", "", "")}, alarm("terraform", "", ""), []bool{false, true}},
		{"other region", []*Function{fn("111/us-east-1", "111", "us-east-1"), fn("111/eu-west-1", "111", "eu-west-1")}, alarm("111/us-east-1", "111", "us-east-1"), []bool{true, false}},
		{"other account", []*Function{fn("222/us-east-1", "222", "us-east-1")}, alarm("111/us-east-1", "111", "us-east-1"), []bool{false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := NewIndex(&Inventory{Functions: tc.fns, Alarms: []*Alarm{tc.alarm}})
			for i, f := range tc.fns {
				if got := len(x.AlarmsFor(f)) == 1; got != tc.want[i] {
					t.Errorf("function %d (%s): watched = %v, want %v", i, f.Origin, got, tc.want[i])
				}
			}
		})
	}
}
