package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestNET01(t *testing.T) {
	inVPC := func(f *inventory.Function) {
		f.VPC = inventory.Of(inventory.VPCConfig{Subnets: inventory.Of([]inventory.Value[inventory.Ref]{inventory.Of(inventory.Ref{ID: "aws_subnet.a"}, iamLoc(7))}, iamLoc(7))}, iamLoc(6))
	}
	requireVPC := func(s *Settings) { s.RequireVPC = true }
	rds := iamSingle(iamWithInline(iamBasicRole(), "db", 30,
		iamAllow("Connect", 31, iamActs("rds-db:connect"), "arn:aws:rds-db:<region>:<account>:dbuser:db-ABCDEFGHIJKL/app")))
	runIAMCases(t, checkNET01(), []iamCase{
		{name: "no reason for a VPC passes", inv: iamSingle(iamBasicRole()), want: result.Pass},
		{name: "require_vpc without VPC fails", inv: iamSingle(iamBasicRole()), settings: requireVPC, want: result.Fail, line: 1,
			msg: []string{"settings.require_vpc is true but the function has no VPC config"}},
		{name: "require_vpc in a VPC passes", inv: iamSingle(iamBasicRole()), settings: requireVPC, edit: inVPC, want: result.Pass},
		{name: "require_vpc with unknown VPC is unknown", inv: iamSingle(iamBasicRole()), settings: requireVPC,
			edit: func(f *inventory.Function) {
				f.VPC = inventory.UnknownValue[inventory.VPCConfig]("var.subnets has no value", iamLoc(6))
			},
			want: result.Unknown, line: 6, msg: []string{"var.subnets has no value"}},
		{name: "rds-db connect without VPC fails", inv: rds, want: result.Fail, line: 31,
			msg: []string{`inline policy "db" statement "Connect" grants rds-db:connect`, "reachable only from inside a VPC), but the function has no VPC config"}},
		{name: "rds-db connect in a VPC passes", inv: rds, edit: inVPC, want: result.Pass},
		{name: "EFS mount without VPC fails", inv: iamSingle(iamWithInline(iamBasicRole(), "efs", 30,
			iamAllow("", 31, iamActs("elasticfilesystem:Client*"), "arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-1"))),
			want: result.Fail, msg: []string{"elasticfilesystem:ClientMount"}},
		{name: "empty subnet list is no VPC", inv: rds, edit: func(f *inventory.Function) {
			f.VPC = inventory.Of(inventory.VPCConfig{Subnets: inventory.Of([]inventory.Value[inventory.Ref]{}, iamLoc(7))}, iamLoc(6))
		}, want: result.Fail},
		{name: "star on star says nothing about VPC resources", inv: iamSingle(iamWithInline(iamBareRole(), "admin", 30, iamAllow("", 31, iamActs("*"), "*"))),
			want: result.Pass},
		{name: "policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamBasicRole())), want: result.Unknown, msg: []string{"shared-platform"}},
	})
}
