package checks

import (
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkNET02 is LW-NET-02: VPC function spans several AZs.
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
	azs := map[string]bool{}
	var unresolved []string
	for _, rv := range refs {
		r, known := rv.Get()
		if !known {
			unresolved = append(unresolved, "a subnet reference ("+whyUnknown(rv)+")")
			continue
		}
		s := subnetOf(env.Inventory(), f.Origin, r)
		if s == nil {
			unresolved = append(unresolved, "subnet "+r.String()+" (not in the scanned inventory)")
			continue
		}
		az, known := s.AvailabilityZone.Get()
		if !known || az == "" {
			unresolved = append(unresolved, "subnet "+r.String()+" (its AZ is "+s.AvailabilityZone.String()+")")
			continue
		}
		azs[az] = true
	}
	names := make([]string, 0, len(azs))
	for az := range azs {
		names = append(names, az)
	}
	sort.Strings(names)
	switch {
	case len(azs) >= 2:
		return Finding{Status: result.Pass, Location: loc, Message: "the function's subnets span " + strings.Join(names, ", ")}, true
	case len(unresolved) > 0:
		return unknownFinding(loc, "the Availability Zone of %s cannot be resolved", strings.Join(unresolved, ", ")), true
	default:
		return failFinding(loc, "all the function's subnets are in %s", strings.Join(names, ", ")), true
	}
}

// subnetOf resolves a subnet reference: by inventory ID in the same origin,
// else by subnet ID.
func subnetOf(inv *inventory.Inventory, origin string, r inventory.Ref) *inventory.Subnet {
	for _, s := range inv.Subnets {
		if r.ID != "" && s.ID == r.ID && s.Origin == origin {
			return s
		}
	}
	for _, s := range inv.Subnets {
		if r.Name != "" && (s.SubnetID == r.Name || s.ID == r.Name) {
			return s
		}
	}
	return nil
}
