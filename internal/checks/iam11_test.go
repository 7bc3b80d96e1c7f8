package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// liveWithAccess is a live inventory whose role has this last-accessed data.
func liveWithAccess(v inventory.Value[[]inventory.ServiceAccess]) *inventory.Inventory {
	roleARN := "arn:aws:iam::123456789012:role/orders-role"
	r := &inventory.Role{
		Item: inventory.Item{ID: roleARN, Source: inventory.LiveAWS, Origin: "123456789012/us-east-1", Account: "123456789012"},
		Name: inventory.Of("orders-role", iamLoc(0)), ARN: roleARN, TrustPolicy: inventory.Of(iamLambdaTrust(), iamLoc(0)),
		LastAccessed: v,
	}
	fnARN := "arn:aws:lambda:us-east-1:123456789012:function:orders"
	f := &inventory.Function{
		Item: inventory.Item{ID: fnARN, Source: inventory.LiveAWS, Origin: "123456789012/us-east-1", Account: "123456789012", Region: "us-east-1"},
		Name: inventory.Of("orders", iamLoc(0)), ARN: fnARN, Role: inventory.Of(iamARNRef(roleARN), iamLoc(0)),
	}
	return &inventory.Inventory{Functions: []*inventory.Function{f}, Roles: []*inventory.Role{r}}
}

func TestIAM11(t *testing.T) {
	fn := "arn:aws:lambda:us-east-1:123456789012:function:orders"
	rows := func(r ...inventory.ServiceAccess) inventory.Value[[]inventory.ServiceAccess] {
		return inventory.Of(r, iamLoc(0))
	}
	recent := inventory.ServiceAccess{Namespace: "dynamodb", LastAccessed: "2026-11-20T08:00:00Z"}
	runIAMCases(t, checkIAM11(), []iamCase{
		{name: "not evaluated on Terraform without CloudTrail data", inv: iamSingle(iamBasicRole()), noResult: true},
		{name: "Terraform with CloudTrail data is evaluated", inv: func() *inventory.Inventory {
			r := iamBasicRole()
			r.LastAccessed = rows(inventory.ServiceAccess{Namespace: "s3"})
			return iamSingle(r)
		}(), want: result.Fail, msg: []string{"s3 (never used)"}},
		{name: "all used passes", fn: fn, inv: liveWithAccess(rows(recent, inventory.ServiceAccess{Namespace: "logs", LastAccessed: "2026-10-01T00:00:00Z"})),
			want: result.Pass, msg: []string{"used all 2 of its services in the last 90 days"}},
		{name: "unused services fail in one result", fn: fn, inv: liveWithAccess(rows(recent,
			inventory.ServiceAccess{Namespace: "sqs"},
			inventory.ServiceAccess{Namespace: "s3", LastAccessed: "2026-01-15T10:00:00Z"})),
			want: result.Fail, msg: []string{`role "orders-role" has 2 of 3 services unused in the last 90 days: s3 (last used 2026-01-15), sqs (never used)`}},
		{name: "unused_days setting applies", fn: fn, settings: func(s *Settings) { s.UnusedDays = 30 },
			inv:  liveWithAccess(rows(inventory.ServiceAccess{Namespace: "logs", LastAccessed: "2026-10-01T00:00:00Z"})),
			want: result.Fail, msg: []string{"in the last 30 days: logs"}},
		{name: "absent data is unknown", fn: fn, inv: liveWithAccess(inventory.Value[[]inventory.ServiceAccess]{}),
			want: result.Unknown, msg: []string{"last-accessed data", "not available"}},
		{name: "denied call is unknown", fn: fn,
			inv:  liveWithAccess(inventory.UnknownValue[[]inventory.ServiceAccess]("iam:GenerateServiceLastAccessedDetails: AccessDenied", iamLoc(0))),
			want: result.Unknown, msg: []string{"AccessDenied"}},
	})
}
