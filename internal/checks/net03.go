package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkNET03 is LW-NET-03: egress restricted.
func checkNET03() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-NET-03",
		Title:       "Egress restricted",
		Severity:    result.Low,
		Controls:    []string{"CC6.6"},
		Families:    fams,
		Semantics:   "FAIL if a VPC function's security group allows all traffic to 0.0.0.0/0 or ::/0.",
		Remediation: "Replace the allow-all egress rule of the function's security group with rules for the ports and destinations it needs (HTTPS to VPC endpoints or a prefix list, the database port to its security group).",
		Run:         perFunction(fams, evalNET03),
	}
}

func evalNET03(env *Env, f *inventory.Function) (Finding, bool) {
	vpc, fd, ok, done := functionVPC(f)
	if done {
		return fd, ok
	}
	loc := firstLoc(vpc.SecurityGroups.Loc, f.VPC.Loc, f.Loc)
	if vpc.SecurityGroups.IsUnknown() {
		return unknownFinding(loc, "the security groups cannot be resolved (%s)", whyUnknown(vpc.SecurityGroups)), true
	}
	refs, _ := vpc.SecurityGroups.Get()
	var v verdict
	for _, rv := range refs {
		r, known := rv.Get()
		if !known {
			v.unknown(firstLoc(rv.Loc, loc), "a security group reference cannot be resolved (%s)", whyUnknown(rv))
			continue
		}
		g := env.Index.SecurityGroup(f.Origin, r)
		if g == nil {
			v.unknown(firstLoc(rv.Loc, loc), "security group %s is not in the scanned inventory, so its egress rules are unknown", r.String())
			continue
		}
		sgEgress(g, &v)
	}
	return v.finding("no security group of the function allows all traffic to the internet"), true
}

// sgEgress judges one security group's egress rules.
//
// A group whose source shows no egress rules (Egress absent) is judged by
// what AWS does when the group is created: EC2 adds an allow-all IPv4
// egress rule to every new VPC security group, and CloudFormation keeps it
// unless SecurityGroupEgress is given (so CFN, SAM and Serverless groups
// without egress FAIL). The Terraform AWS provider's aws_security_group
// revokes that default rule right after creating the group ("Terraform will
// remove this default rule", provider docs), so a Terraform group without
// egress blocks has no egress and passes; separate egress-rule resources
// are expected to be merged into Egress by the Terraform source.
func sgEgress(g *inventory.SecurityGroup, v *verdict) {
	label := "security group " + g.ID
	e := g.Egress
	switch rules, ok := e.Get(); {
	case e.IsUnknown():
		v.unknown(firstLoc(e.Loc, g.Loc), "the egress rules of %s cannot be resolved (%s)", label, whyUnknown(e))
	case !ok:
		if g.Source.Family() == inventory.FamilyTF {
			return
		}
		if g.Source.Family() == inventory.FamilyLIVE {
			return // live groups always list their rules; none means no egress
		}
		v.fail(g.Loc, "%s declares no egress rules, so it keeps AWS's default rule allowing all traffic to 0.0.0.0/0", label)
	default:
		for _, r := range rules {
			allRuleEgress(label, r, g, v)
		}
	}
}

// allRuleEgress fails a rule that allows every protocol to the whole
// internet.
func allRuleEgress(label string, r inventory.EgressRule, g *inventory.SecurityGroup, v *verdict) {
	loc := firstLoc(r.Loc, g.Loc)
	proto, pok := r.Protocol.Get()
	cidrs, cok := r.CIDRs.Get()
	allProto := pok && (proto == "-1" || strings.EqualFold(proto, "all"))
	var open []string
	for _, c := range cidrs {
		if c == "0.0.0.0/0" || c == "::/0" {
			open = append(open, c)
		}
	}
	switch {
	case allProto && len(open) > 0:
		v.fail(loc, "%s allows all traffic to %s", label, strings.Join(open, " and "))
	case r.Protocol.IsUnknown() && (len(open) > 0 || r.CIDRs.IsUnknown()):
		v.unknown(loc, "an egress rule of %s cannot be resolved (protocol %s)", label, whyUnknown(r.Protocol))
	case allProto && !cok && r.CIDRs.IsUnknown():
		v.unknown(loc, "an all-traffic egress rule of %s has destinations that cannot be resolved (%s)", label, whyUnknown(r.CIDRs))
	}
}
