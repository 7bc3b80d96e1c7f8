package awslive_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/awslive"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// handInventory has every kind of value a live inventory holds: known zero
// values, unknown values with reasons, absent values, policies with
// principals, NotAction and conditions, maps, nested value lists.
func handInventory(t *testing.T) *inventory.Inventory {
	t.Helper()
	var no srcloc.Location
	pol, err := iampolicy.Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"pub","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*",
		 "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"},"ArnLike":{"AWS:SourceArn":["arn:aws:s3:::b"]}}},
		{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root"]},"NotAction":["s3:Get*"],"NotResource":"arn:aws:s3:::x/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for i := range pol.Statements {
		pol.Statements[i].Loc = no
	}
	item := func(id string) inventory.Item {
		return inventory.Item{ID: id, Source: inventory.LiveAWS, Origin: "111122223333/us-east-1", Account: "111122223333", Region: "us-east-1"}
	}
	fn := &inventory.Function{Item: item("arn:aws:lambda:us-east-1:111122223333:function:b"), ARN: "arn:aws:lambda:us-east-1:111122223333:function:b",
		Name: inventory.Of("b", no), ReservedConcurrency: inventory.Of(0, no), PublishVersions: inventory.Of(false, no),
		KMSKeyARN: inventory.UnknownValue[string]("lambda:GetFunction: AccessDeniedException", no),
		Environment: inventory.Of([]inventory.EnvVar{{Name: "A", Value: inventory.Of("", no)}, {Name: "K", Value: inventory.Of("sk_l****, 32 chars", no), Redacted: true, SecretKind: "a Stripe key"},
			{Name: "P", Value: inventory.Of("h******", no), Masked: true}}, no),
		Tags:           inventory.Of(map[string]string{}, no),
		Layers:         inventory.Of([]inventory.Value[inventory.Ref]{inventory.Of(inventory.Ref{Name: "arn:aws:lambda:us-east-1:1:layer:l:1"}, no)}, no),
		VPC:            inventory.Of(inventory.VPCConfig{Subnets: inventory.Of([]inventory.Value[inventory.Ref]{}, no)}, no),
		LastDeployment: inventory.Of(inventory.Deployment{EventName: "CreateFunction20150331", PrincipalType: "IAMUser", Time: "2026-01-01T00:00:00Z"}, no),
	}
	fnB := &inventory.Function{Item: item("arn:aws:lambda:us-east-1:111122223333:function:a"), Name: inventory.Of("a", no)}
	return &inventory.Inventory{
		Sources:   []inventory.Source{{Kind: inventory.LiveAWS, Path: "111122223333/us-east-1"}},
		Functions: []*inventory.Function{fn, fnB},
		Roles: []*inventory.Role{{Item: item("arn:aws:iam::111122223333:role/r"), TrustPolicy: inventory.Of(pol, no),
			PoliciesComplete: inventory.Of(true, no), LastAccessed: inventory.Of([]inventory.ServiceAccess{{Namespace: "s3"}}, no),
			Attached: []inventory.PolicyAttachment{{Policy: inventory.UnknownValue[inventory.Ref]("iam:GetRole: AccessDenied", no)}}}},
		Permissions: []*inventory.Permission{{Item: item("p"), Function: inventory.Of(inventory.Ref{Name: "b"}, no), Statement: pol.Statements[0]},
			{Item: item("q"), Statement: iampolicy.Statement{Sid: "unreadable", Unknown: []string{"Effect", "Principal"}}}},
		Alarms: []*inventory.Alarm{{Item: item("al"), Metrics: []inventory.AlarmMetric{{Namespace: inventory.Of("AWS/Lambda", no),
			Dimensions: map[string]inventory.Value[string]{"FunctionName": inventory.Of("b", no)}}}}},
		Accounts: []*inventory.Account{{Item: item("111122223333/us-east-1"), AccountID: "111122223333", AccessAnalyzer: inventory.Of(false, no),
			GuardDutyLambda: inventory.UnknownValue[bool]("guardduty:ListDetectors: AccessDeniedException", no)}},
		Errors: []inventory.Error{{Source: "111122223333/us-east-1 guardduty:ListDetectors", Message: "AccessDeniedException: no"}},
	}
}

// roundTrip writes, reads and writes inv again: the bytes must not change,
// and checks must give the same results on what was read.
func roundTrip(t *testing.T, inv *inventory.Inventory) {
	t.Helper()
	var first, second bytes.Buffer
	if err := awslive.WriteSnapshot(&first, inv); err != nil {
		t.Fatal(err)
	}
	back, err := awslive.ReadSnapshot(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := awslive.WriteSnapshot(&second, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("snapshot changed on a round trip:\n%s\n---\n%s", first.String(), second.String())
	}
	want, _ := json.Marshal(runChecks(inv))
	got, _ := json.Marshal(runChecks(back))
	if !bytes.Equal(want, got) {
		t.Errorf("results differ after a round trip:\n%s\n---\n%s", want, got)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	t.Run("every kind of value", func(t *testing.T) { roundTrip(t, handInventory(t)) })
	t.Run("sorted whatever the order", func(t *testing.T) {
		a, b := handInventory(t), handInventory(t)
		b.Functions[0], b.Functions[1] = b.Functions[1], b.Functions[0]
		var x, y bytes.Buffer
		_ = awslive.WriteSnapshot(&x, a)
		_ = awslive.WriteSnapshot(&y, b)
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			t.Error("the snapshot depends on the order items were read")
		}
	})
	t.Run("not a snapshot", func(t *testing.T) {
		if _, err := awslive.ReadSnapshot(bytes.NewReader([]byte(`{"functions":[]}`))); err == nil {
			t.Error("want an error for a file that is not a snapshot")
		}
	})
	t.Run("live inventory", func(t *testing.T) {
		inv, _ := baseline(t)
		roundTrip(t, inv)
	})
}
