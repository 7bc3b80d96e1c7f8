package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func oVPC(subnets, groups []inventory.Value[inventory.Ref]) func(*inventory.Function) {
	return func(f *inventory.Function) {
		f.VPC = oK(inventory.VPCConfig{Subnets: oK(subnets, 16), SecurityGroups: oK(groups, 17)}, 15)
	}
}

func oSubnet(id string, az inventory.Value[string]) *inventory.Subnet {
	return &inventory.Subnet{Item: oItem(id, 90), AvailabilityZone: az}
}

func oRefID(id string) inventory.Value[inventory.Ref] { return oK(inventory.Ref{ID: id}, 16) }

func TestNET02(t *testing.T) {
	a := oSubnet("aws_subnet.a", oK("us-east-1a", 91))
	b := oSubnet("aws_subnet.b", oK("us-east-1b", 91))
	a2 := oSubnet("aws_subnet.a2", oK("us-east-1a", 91))
	u := oSubnet("aws_subnet.u", oU[string](91))
	two := []inventory.Value[inventory.Ref]{oRefID("aws_subnet.a"), oRefID("aws_subnet.b")}
	id1 := oSubnet("aws_subnet.i1", oK("euw1-az1", 91))
	id1b := oSubnet("aws_subnet.i1b", oK("euw1-az1", 91))
	id2 := oSubnet("aws_subnet.i2", oK("euw1-az2", 91))
	a.AvailabilityZone = oK("eu-west-1a", 91)
	b.AvailabilityZone = oK("eu-west-1b", 91)
	a2.AvailabilityZone = oK("eu-west-1a", 91)
	oRun(t, checkNET02(), []oCase{
		{name: "not in a vpc", inv: oInv(oFn()), want: ""},
		{name: "two zones", inv: oInv(oFn(oVPC(two, nil)), a, b), want: result.Pass, msg: "eu-west-1a, eu-west-1b"},
		{name: "one zone", inv: oInv(oFn(oVPC([]inventory.Value[inventory.Ref]{oRefID("aws_subnet.a"), oRefID("aws_subnet.a2")}, nil)), a, a2),
			want: result.Fail, line: 16, msg: "all the function's subnets are in eu-west-1a"},
		{name: "single subnet", inv: oInv(oFn(oVPC([]inventory.Value[inventory.Ref]{oRefID("aws_subnet.a")}, nil)), a), want: result.Fail},
		{name: "subnet by id", inv: oInv(oFn(oVPC([]inventory.Value[inventory.Ref]{oK(inventory.Ref{Name: "subnet-1"}, 16), oRefID("aws_subnet.b")}, nil)),
			&inventory.Subnet{Item: oItem("aws_subnet.one", 90), SubnetID: "subnet-1", AvailabilityZone: oK("us-east-1c", 91)}, b), want: result.Pass},
		{name: "unresolved zone", inv: oInv(oFn(oVPC([]inventory.Value[inventory.Ref]{oRefID("aws_subnet.a"), oRefID("aws_subnet.u")}, nil)), a, u), want: result.Unknown},
		{name: "subnet not in inventory", inv: oInv(oFn(oVPC([]inventory.Value[inventory.Ref]{oRefID("aws_subnet.a"), oK(inventory.Ref{Name: "subnet-9"}, 16)}, nil)), a),
			want: result.Unknown, msg: "subnet-9"},
		{name: "unresolved vpc", inv: oInv(oFn(func(f *inventory.Function) { f.VPC = oU[inventory.VPCConfig](15) })), want: result.Unknown, line: 15},
		// AZ names and AZ IDs cannot be compared with each other.
		{name: "name and id are not comparable", inv: oInv(oFn(oVPC(refs("aws_subnet.a", "aws_subnet.i1"), nil)), a, id1),
			want: result.Unknown, msg: "eu-west-1a", also: []string{"euw1-az1", "same zone"}},
		{name: "two ids", inv: oInv(oFn(oVPC(refs("aws_subnet.i1", "aws_subnet.i2"), nil)), id1, id2), want: result.Pass, msg: "euw1-az1, euw1-az2"},
		{name: "one id twice", inv: oInv(oFn(oVPC(refs("aws_subnet.i1", "aws_subnet.i1b"), nil)), id1, id1b), want: result.Fail, msg: "euw1-az1"},
		{name: "two names and an id", inv: oInv(oFn(oVPC(refs("aws_subnet.a", "aws_subnet.b", "aws_subnet.i1"), nil)), a, b, id1), want: result.Pass},
		{name: "two ids and a name", inv: oInv(oFn(oVPC(refs("aws_subnet.a", "aws_subnet.i1", "aws_subnet.i2"), nil)), a, id1, id2), want: result.Pass},
		{name: "local zone id", inv: oInv(oFn(oVPC(refs("aws_subnet.a", "aws_subnet.lz"), nil)), a,
			oSubnet("aws_subnet.lz", oK("usw2-lax1-az1", 91))), want: result.Unknown},
	})
}

func refs(ids ...string) []inventory.Value[inventory.Ref] {
	var out []inventory.Value[inventory.Ref]
	for _, id := range ids {
		out = append(out, oRefID(id))
	}
	return out
}

func oSG(id string, src inventory.SourceKind, egress inventory.Value[[]inventory.EgressRule]) *inventory.SecurityGroup {
	it := oItem(id, 100)
	it.Source = src
	return &inventory.SecurityGroup{Item: it, Egress: egress}
}

func oRule(proto string, cidrs ...string) inventory.EgressRule {
	return inventory.EgressRule{Protocol: oK(proto, 102), CIDRs: oK(cidrs, 103), Loc: oLoc(101)}
}

func TestNET03(t *testing.T) {
	groups := []inventory.Value[inventory.Ref]{oRefID("sg")}
	fn := oFn(oVPC(nil, groups))
	cfnFn := oFn(oVPC(nil, groups), func(f *inventory.Function) { f.Source = inventory.CloudFormation })
	rules := func(r ...inventory.EgressRule) inventory.Value[[]inventory.EgressRule] { return oK(r, 100) }
	oRun(t, checkNET03(), []oCase{
		{name: "not in a vpc", inv: oInv(oFn()), want: ""},
		{name: "https only", inv: oInv(fn, oSG("sg", inventory.Terraform, rules(oRule("tcp", "0.0.0.0/0")))), want: result.Pass},
		{name: "all traffic to the internet", inv: oInv(fn, oSG("sg", inventory.Terraform, rules(oRule("tcp", "10.0.0.0/8"), oRule("-1", "0.0.0.0/0")))),
			want: result.Fail, line: 101, msg: "security group sg allows all traffic to 0.0.0.0/0"},
		{name: "all traffic to ipv6 internet", inv: oInv(fn, oSG("sg", inventory.Terraform, rules(oRule("all", "::/0")))), want: result.Fail, msg: "::/0"},
		{name: "all traffic inside the vpc", inv: oInv(fn, oSG("sg", inventory.Terraform, rules(oRule("-1", "10.0.0.0/8")))), want: result.Pass},
		{name: "terraform group without egress has none", inv: oInv(fn, oSG("sg", inventory.Terraform, inventory.Value[[]inventory.EgressRule]{})), want: result.Pass},
		{name: "cloudformation group without egress keeps the default", inv: oInv(cfnFn, oSG("sg", inventory.CloudFormation, inventory.Value[[]inventory.EgressRule]{})),
			want: result.Fail, line: 100, msg: "default rule"},
		{name: "group not in inventory", inv: oInv(oFn(oVPC(nil, []inventory.Value[inventory.Ref]{oK(inventory.Ref{Name: "sg-123"}, 17)}))), want: result.Unknown},
		{name: "unresolved egress", inv: oInv(fn, oSG("sg", inventory.Terraform, oU[[]inventory.EgressRule](100))), want: result.Unknown},
		{name: "unresolved protocol to the internet", inv: oInv(fn, oSG("sg", inventory.Terraform, rules(inventory.EgressRule{Protocol: oU[string](102), CIDRs: oK([]string{"0.0.0.0/0"}, 103)}))),
			want: result.Unknown},
	})
}

func TestCHG01(t *testing.T) {
	publish := func(f *inventory.Function) { f.PublishVersions = oK(true, 11) }
	alias := func(version inventory.Value[string]) *inventory.Alias {
		return &inventory.Alias{Item: oItem("aws_lambda_alias.live", 110), Function: oFnRef(), Name: oK("live", 111), FunctionVersion: version}
	}
	oRun(t, checkCHG01(), []oCase{
		{name: "alias to published version", inv: oInv(oFn(publish), alias(oK("<aws_lambda_function.api.version>", 112))), want: result.Pass, line: 112},
		{name: "alias to number", inv: oInv(oFn(publish), alias(oK("7", 112))), want: result.Pass},
		{name: "no publish, alias to a literal version", inv: oInv(oFn(), alias(oK("7", 112))), want: result.Pass, line: 112, msg: "published version 7"},
		{name: "publish false, alias to a literal version", inv: oInv(oFn(func(f *inventory.Function) { f.PublishVersions = oK(false, 11) }), alias(oK("3", 112))), want: result.Pass},
		{name: "unresolved publish, alias to a literal version", inv: oInv(oFn(func(f *inventory.Function) { f.PublishVersions = oU[bool](11) }), alias(oK("3", 112))), want: result.Pass},
		{name: "no publish, alias to latest", inv: oInv(oFn(), alias(oK("$LATEST", 112))), want: result.Fail, line: 1, msg: "publishes no versions"},
		{name: "no publish, alias to the published-version reference", inv: oInv(oFn(), alias(oK("<aws_lambda_function.api.version>", 112))), want: result.Fail, msg: "publishes no versions"},
		{name: "no versions", inv: oInv(oFn()), want: result.Fail, line: 1, msg: "publishes no versions"},
		{name: "versions without alias", inv: oInv(oFn(publish)), want: result.Fail, msg: "no alias"},
		{name: "alias to latest", inv: oInv(oFn(publish), alias(oK("$LATEST", 112))), want: result.Fail, line: 110},
		{name: "unresolved alias version", inv: oInv(oFn(publish), alias(oU[string](112))), want: result.Unknown},
		{name: "unresolved publish", inv: oInv(oFn(func(f *inventory.Function) { f.PublishVersions = oU[bool](11) })), want: result.Unknown},
	})
}

func TestCHG02(t *testing.T) {
	deploy := func(d inventory.Deployment) func(*inventory.Function) {
		return func(f *inventory.Function) { f.LastDeployment = inventory.Of(d, f.Loc) }
	}
	pipeline := inventory.Deployment{EventName: "UpdateFunctionCode20150331v2", PrincipalType: "AssumedRole",
		PrincipalARN: "arn:aws:sts::111122223333:assumed-role/deployer/ci", RoleARN: "arn:aws:iam::111122223333:role/deployer", Time: "2026-11-01T10:00:00Z"}
	console := pipeline
	console.Console = true
	user := inventory.Deployment{EventName: "UpdateFunctionCode20150331v2", PrincipalType: "IAMUser", PrincipalARN: "arn:aws:iam::111122223333:user/alice", Time: "2026-11-01T10:00:00Z"}
	other := pipeline
	other.RoleARN = "arn:aws:iam::111122223333:role/admin"
	roles := DefaultSettings()
	roles.DeployRoles = []string{"deployer"}
	oRun(t, checkCHG02(), []oCase{
		{name: "iac without cloudtrail data yields nothing", inv: oInv(oFn()), want: ""},
		{name: "iac with cloudtrail data is evaluated", inv: oInv(oFn(deploy(user))), settings: &roles, want: result.Fail, msg: "user/alice"},
		{name: "iac with logs but no deployment is unknown", inv: oInv(oFn(func(f *inventory.Function) {
			f.LastDeployment = inventory.UnknownValue[inventory.Deployment]("no deployment in the CloudTrail logs", f.Loc)
		})), want: result.Unknown},
		{name: "pipeline role", inv: oInv(oLive(deploy(pipeline))), settings: &roles, want: result.Pass},
		{name: "pipeline role by glob arn", inv: oInv(oLive(deploy(pipeline))), settings: &Settings{DeployRoles: []string{"arn:aws:iam::*:role/deploy*"}}, want: result.Pass},
		{name: "role outside deploy roles", inv: oInv(oLive(deploy(other))), settings: &roles, want: result.Fail, msg: "role/admin"},
		{name: "iam user", inv: oInv(oLive(deploy(user))), settings: &roles, want: result.Fail, msg: "user/alice"},
		{name: "console session", inv: oInv(oLive(deploy(console))), settings: &roles, want: result.Fail, msg: "console"},
		{name: "no cloudtrail data", inv: oInv(oLive()), want: result.Unknown},
		{name: "cloudtrail denied", inv: oInv(oLive(func(f *inventory.Function) {
			f.LastDeployment = inventory.UnknownValue[inventory.Deployment]("cloudtrail:LookupEvents denied", f.Loc)
		})), want: result.Unknown, msg: "denied"},
	})
}
