package iampolicy

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestCatalogLookup(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		name   string
		action string
		want   Action
		ok     bool
	}{
		{"s3:GetObject is Read on objects", "s3:GetObject",
			Action{Service: "s3", Name: "GetObject", Access: Read, ResourceTypes: []string{"accesspointobject", "object"}}, true},
		{"lookup ignores case", "S3:getobject",
			Action{Service: "s3", Name: "GetObject", Access: Read, ResourceTypes: []string{"accesspointobject", "object"}}, true},
		{"xray:PutTraceSegments has no resource-level permissions", "xray:PutTraceSegments",
			Action{Service: "xray", Name: "PutTraceSegments", Access: Write}, true},
		{"iam:PassRole is Write on roles", "iam:PassRole",
			Action{Service: "iam", Name: "PassRole", Access: Write, ResourceTypes: []string{"role"}}, true},
		// The Service Authorization Reference lets ec2:CreateNetworkInterface
		// be scoped to network interfaces, subnets and security groups: it is
		// not an "only *" action, whatever its use by Lambda suggests.
		{"ec2:CreateNetworkInterface supports resource-level permissions", "ec2:CreateNetworkInterface",
			Action{Service: "ec2", Name: "CreateNetworkInterface", Access: Write, ResourceTypes: []string{"network-interface", "subnet", "security-group"}}, true},
		{"ec2:DescribeNetworkInterfaces is List on *", "ec2:DescribeNetworkInterfaces",
			Action{Service: "ec2", Name: "DescribeNetworkInterfaces", Access: List}, true},
		{"iam:CreatePolicyVersion is Permissions management", "iam:CreatePolicyVersion",
			Action{Service: "iam", Name: "CreatePolicyVersion", Access: PermissionsManagement, ResourceTypes: []string{"policy"}}, true},
		{"lambda:TagResource is Tagging", "lambda:TagResource",
			Action{Service: "lambda", Name: "TagResource", Access: Tagging, ResourceTypes: []string{"capacityProvider", "code signing config", "eventSourceMapping", "function"}}, true},
		{"logs:PutLogEvents is Write on log streams", "logs:PutLogEvents",
			Action{Service: "logs", Name: "PutLogEvents", Access: Write, ResourceTypes: []string{"log-stream"}}, true},
		{"unknown action", "s3:GetObjectz", Action{}, false},
		{"unknown service", "nosuchservice:Get", Action{}, false},
		{"wildcards are not expanded", "s3:GetObject*", Action{}, false},
		{"no colon", "s3GetObject", Action{}, false},
		{"empty", "", Action{}, false},
		{"service only", "s3:", Action{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.Lookup(tt.action)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lookup(%q) = %#v, %v; want %#v, %v", tt.action, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestActionMethods(t *testing.T) {
	a, _ := DefaultCatalog().Lookup("s3:getobject")
	if a.String() != "s3:GetObject" || !a.ResourceLevel() {
		t.Errorf("String = %q, ResourceLevel = %v", a.String(), a.ResourceLevel())
	}
	x, _ := DefaultCatalog().Lookup("xray:PutTraceSegments")
	if x.ResourceLevel() {
		t.Error("xray:PutTraceSegments reports resource-level permissions")
	}
}

func TestCatalogExpand(t *testing.T) {
	c := DefaultCatalog()
	names := func(as []Action) []string {
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.String()
		}
		return out
	}
	tests := []struct {
		name    string
		pattern string
		check   func(t *testing.T, got []string)
	}{
		{"exact action", "s3:GetObject", func(t *testing.T, got []string) {
			if !reflect.DeepEqual(got, []string{"s3:GetObject"}) {
				t.Errorf("got %v", got)
			}
		}},
		{"exact action in other case", "LOGS:putlogevents", func(t *testing.T, got []string) {
			if !reflect.DeepEqual(got, []string{"logs:PutLogEvents"}) {
				t.Errorf("got %v", got)
			}
		}},
		{"unknown exact action", "s3:GetObjectz", func(t *testing.T, got []string) {
			if len(got) != 0 {
				t.Errorf("got %v", got)
			}
		}},
		{"logs:* is every logs action and nothing else", "logs:*", func(t *testing.T, got []string) {
			if len(got) < 50 || !slices.Contains(got, "logs:PutLogEvents") || !slices.Contains(got, "logs:CreateLogGroup") {
				t.Errorf("got %d actions", len(got))
			}
			for _, a := range got {
				if !strings.HasPrefix(a, "logs:") {
					t.Errorf("%s is not a logs action", a)
				}
			}
		}},
		{"prefix wildcard", "s3:Get*", func(t *testing.T, got []string) {
			if !slices.Contains(got, "s3:GetObject") || !slices.Contains(got, "s3:GetBucketPolicy") || slices.Contains(got, "s3:PutObject") {
				t.Errorf("got %v", got)
			}
			for _, a := range got {
				if !strings.HasPrefix(a, "s3:Get") {
					t.Errorf("%s does not start with s3:Get", a)
				}
			}
		}},
		{"question mark", "iam:?assRole", func(t *testing.T, got []string) {
			if !reflect.DeepEqual(got, []string{"iam:PassRole"}) {
				t.Errorf("got %v", got)
			}
		}},
		{"infix wildcard", "iam:Attach*Policy", func(t *testing.T, got []string) {
			want := []string{"iam:AttachGroupPolicy", "iam:AttachRolePolicy", "iam:AttachUserPolicy"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		}},
		{"wildcard in the service", "sq?:SendMessage", func(t *testing.T, got []string) {
			if !reflect.DeepEqual(got, []string{"sqs:SendMessage"}) {
				t.Errorf("got %v", got)
			}
		}},
		{"wildcard across the colon", "lambda?InvokeFunction", func(t *testing.T, got []string) {
			if !reflect.DeepEqual(got, []string{"lambda:InvokeFunction"}) {
				t.Errorf("got %v", got)
			}
		}},
		{"two colons match nothing", "s3:Get:Object", func(t *testing.T, got []string) {
			if len(got) != 0 {
				t.Errorf("got %v", got)
			}
		}},
		{"star is the whole catalog, sorted", "*", func(t *testing.T, got []string) {
			if len(got) != 21190 {
				t.Errorf("got %d actions, want 21190", len(got))
			}
			if !slices.IsSortedFunc(got, func(a, b string) int {
				as, an, _ := strings.Cut(a, ":")
				bs, bn, _ := strings.Cut(b, ":")
				if c := strings.Compare(as, bs); c != 0 {
					return c
				}
				return strings.Compare(strings.ToLower(an), strings.ToLower(bn))
			}) {
				t.Error("not sorted by service and name")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Expand(tt.pattern)
			if len(got) == 0 && got != nil {
				t.Error("Expand returned an empty, non-nil slice")
			}
			tt.check(t, names(got))
			// Expand agrees with MatchAction over the whole catalog.
			if strings.ContainsAny(tt.pattern, "*?") && tt.pattern != "*" {
				var want []string
				for _, a := range c.Expand("*") {
					if MatchAction(tt.pattern, a.String()) {
						want = append(want, a.String())
					}
				}
				if !reflect.DeepEqual(names(got), want) {
					t.Errorf("Expand(%q) disagrees with MatchAction: %d vs %d", tt.pattern, len(got), len(want))
				}
			}
		})
	}
}

func TestResourceARNTemplate(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		service, typ string
		want         string
		ok           bool
	}{
		{"s3", "object", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", true},
		{"lambda", "function", "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}", true},
		{"IAM", "ROLE", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", true},
		{"s3", "nosuchtype", "", false},
		{"nosuchservice", "object", "", false},
		// Named by actions but given no template by the reference.
		{"config", "Connector", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.service+"/"+tt.typ, func(t *testing.T) {
			got, ok := c.ResourceARNTemplate(tt.service, tt.typ)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCatalogIntegrity(t *testing.T) {
	d := DefaultCatalog().impl
	if len(d.services) != 464 || len(d.actions) != 21190 {
		t.Fatalf("%d services, %d actions; want 464, 21190", len(d.services), len(d.actions))
	}
	counts := map[AccessLevel]int{}
	for i, a := range d.actions {
		counts[a.Access]++
		// Every action is found again by Lookup, at its own index.
		if j, ok := d.lookup(a.String()); !ok || j != i {
			t.Fatalf("Lookup(%s) = %d, %v; want %d", a, j, ok, i)
		}
	}
	want := map[AccessLevel]int{Read: 5660, Write: 10874, List: 3540, Tagging: 717, PermissionsManagement: 399}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("access levels %v, want %v", counts, want)
	}
}

func TestDecodeCatalogErrors(t *testing.T) {
	tests := []struct{ name, data string }{
		{"not gzip", "plain"},
		{"bad header", gzipString(t, "lwcat 9\n")},
		{"action before service", gzipString(t, "lwcat 1\nA\tGet\tR\t\n")},
		{"bad access code", gzipString(t, "lwcat 1\nS\ts3\tS3\nA\tGet\tX\t\n")},
		{"bad type index", gzipString(t, "lwcat 1\nS\ts3\tS3\nA\tGet\tR\t3\n")},
		{"unknown record", gzipString(t, "lwcat 1\nZ\tx\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeCatalog([]byte(tt.data)); err == nil {
				t.Error("decodeCatalog succeeded")
			}
		})
	}
}

func TestProvenance(t *testing.T) {
	p := Provenance()
	if len(p) != 2 || p[0].Name != "iam-actions" || p[0].Snapshot != "2026-06-14" || p[0].Count != 21190 ||
		p[1].Name != "aws-managed-policies" || p[1].Count != 1485 || p[1].Snapshot == "" || p[1].Licence == "" {
		t.Errorf("Provenance() = %+v", p)
	}
}

func BenchmarkDefaultCatalogLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeCatalog(catalogGz); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCatalogLookup(b *testing.B) {
	c := DefaultCatalog()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Lookup("s3:getobject"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkCatalogExpandStar(b *testing.B) {
	c := DefaultCatalog()
	b.ReportAllocs()
	for b.Loop() {
		c.Expand("*")
	}
}
