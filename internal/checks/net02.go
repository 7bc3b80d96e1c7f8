package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkNET02 is LW-NET-02: VPC function spans several AZs. Zones given as
// names (eu-west-1a) and as IDs (euw1-az1) are compared only among
// themselves: one of each, and nothing else, is UNKNOWN.
func checkNET02() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-NET-02",
		Title:       "VPC function spans several AZs",
		Severity:    result.Medium,
		Controls:    []string{"A1.2"},
		Families:    fams,
		Semantics:   "FAIL if a VPC function's subnets are all in one Availability Zone (UNKNOWN if the AZ cannot be resolved).",
		Remediation: "Attach the function to subnets in at least two Availability Zones (vpc_config subnet_ids / VpcConfig.SubnetIds) so it keeps running when one zone fails.",
		Run:         perFunction(fams, evalNET02),
	}
}

// functionVPC returns the function's VPC config; done is true when the
// check yields a decided result (none for a function outside a VPC,
// UNKNOWN for an unresolved config).
func functionVPC(f *inventory.Function) (vpc inventory.VPCConfig, fd Finding, ok, done bool) {
	switch c, known := f.VPC.Get(); {
	case f.VPC.IsUnknown():
		return vpc, unknownFinding(f.VPC.Loc, "the VPC config cannot be resolved (%s)", whyUnknown(f.VPC)), true, true
	case !known:
		return vpc, fd, false, true
	default:
		return c, fd, true, false
	}
}

func evalNET02(env *Env, f *inventory.Function) (Finding, bool) {
	vpc, fd, ok, done := functionVPC(f)
	if done {
		return fd, ok
	}
	loc := firstLoc(vpc.Subnets.Loc, f.VPC.Loc, f.Loc)
	if vpc.Subnets.IsUnknown() {
		return unknownFinding(loc, "the VPC subnets cannot be resolved (%s)", whyUnknown(vpc.Subnets)), true
	}
	refs, _ := vpc.Subnets.Get()
	if len(refs) == 0 {
		return fd, false // a VPC config without subnets does not attach the function
	}
	if len(refs) == 1 {
		return failFinding(loc, "the function is attached to a single subnet, so to one Availability Zone"), true
	}
	// Subnets may give their zone as a name (eu-west-1a) or an ID
	// (euw1-az1); which name maps to which ID differs per account, so a name
	// and an ID prove nothing about being the same zone.
	names, ids := map[string]bool{}, map[string]bool{}
	var unresolved []string
	for _, rv := range refs {
		r, known := rv.Get()
		if !known {
			unresolved = append(unresolved, "a subnet reference ("+whyUnknown(rv)+")")
			continue
		}
		s := env.Index.Subnet(f.Origin, r)
		if s == nil {
			unresolved = append(unresolved, "subnet "+r.String()+" (not in the scanned inventory)")
			continue
		}
		az, known := s.AvailabilityZone.Get()
		switch {
		case !known || az == "":
			unresolved = append(unresolved, "subnet "+r.String()+" (its AZ is "+s.AvailabilityZone.String()+")")
		case isAZID(az):
			ids[az] = true
		default:
			names[az] = true
		}
	}
	nameList, idList := sortedSet(names), sortedSet(ids)
	switch {
	case len(names) >= 2:
		return Finding{Status: result.Pass, Location: loc, Message: "the function's subnets span " + strings.Join(nameList, ", ")}, true
	case len(ids) >= 2:
		return Finding{Status: result.Pass, Location: loc, Message: "the function's subnets span the zones " + strings.Join(idList, ", ")}, true
	case len(names) == 1 && len(ids) == 1:
		unresolved = append(unresolved, fmt.Sprintf("whether zone %s and zone ID %s are the same zone (AZ names map to AZ IDs per account)", nameList[0], idList[0]))
		return unknownFinding(loc, "the Availability Zones cannot be compared: %s", strings.Join(unresolved, ", ")), true
	case len(unresolved) > 0:
		return unknownFinding(loc, "the Availability Zone of %s cannot be resolved", strings.Join(unresolved, ", ")), true
	default:
		return failFinding(loc, "all the function's subnets are in %s", strings.Join(append(nameList, idList...), ", ")), true
	}
}

// azIDRE is an Availability Zone ID (use1-az1, euw1-az3, usw2-lax1-az1),
// as opposed to a zone name (us-east-1a).
var azIDRE = regexp.MustCompile(`^[a-z]{2,5}[0-9]+(-[a-z]+[0-9]+)?-az[0-9]+$`)

// isAZID reports whether az is an Availability Zone ID rather than a name.
func isAZID(az string) bool { return azIDRE.MatchString(az) }

// sortedSet returns the keys of set, sorted.
func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
