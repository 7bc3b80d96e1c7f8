package checks

import (
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkNET01 is LW-NET-01: in a VPC where required.
func checkNET01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-NET-01",
		Title:       "In a VPC where required",
		Severity:    result.Low,
		Controls:    []string{"CC6.6"},
		Families:    fams,
		Semantics:   "FAIL if `settings.require_vpc` is true, or the role grants access to VPC-only resources (RDS data, ElastiCache, EFS mounts), and the function has no VPC config.",
		Remediation: "Attach the function to private subnets and a security group of the VPC (vpc_config / VpcConfig / vpc), and add the ENI permissions of AWSLambdaVPCAccessExecutionRole.",
		Run:         perFunction(fams, evalNET01),
	}
}

// vpcOnlyActions are actions whose resources are reachable only from inside
// a VPC: IAM database authentication, ElastiCache and EFS mounts.
func vpcOnlyActions() []string {
	return []string{"elasticache:Connect", "elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess",
		"elasticfilesystem:ClientWrite", "rds-db:connect"}
}

// explicitVPCGrants returns the VPC-only actions a statement grants by
// naming their service: "*" or a NotAction is judged by LW-IAM-02/04 and
// says nothing about what the function connects to.
func explicitVPCGrants(acts []iampolicy.Action) func(*iampolicy.Statement) []iampolicy.Action {
	return func(st *iampolicy.Statement) []iampolicy.Action {
		if st.NotActionSet {
			return nil
		}
		var out []iampolicy.Action
		for _, a := range acts {
			for _, p := range st.Actions {
				svc, _, _ := strings.Cut(p, ":")
				if strings.EqualFold(svc, a.Service) && iampolicy.MatchAction(p, a.String()) {
					out = append(out, a)
					break
				}
			}
		}
		return out
	}
}

// inVPC says whether the function is attached to a VPC: known, unknown.
func inVPC(f *inventory.Function) (attached, known bool) {
	v, ok := f.VPC.Get()
	switch {
	case f.VPC.IsUnknown():
		return false, false
	case !ok:
		return false, true
	}
	if s, ok := v.Subnets.Get(); ok && len(s) == 0 {
		return false, true
	}
	return true, true
}

// evalNET01 fails a function outside a VPC that must be in one.
func evalNET01(env *Env, f *inventory.Function) (Finding, bool) {
	attached, vpcKnown := inVPC(f)
	if attached {
		return Finding{Status: result.Pass, Message: "the function is attached to a VPC"}, true
	}
	noVPC := "the function has no VPC config"
	if !vpcKnown {
		noVPC = "the function's VPC config is " + f.VPC.String()
	}
	if env.Settings.RequireVPC {
		if !vpcKnown {
			return Finding{Status: result.Unknown, Location: iamFirstLoc(f.VPC.Loc),
				Message: "cannot evaluate: settings.require_vpc is true and " + noVPC}, true
		}
		return Finding{Status: result.Fail, Message: "settings.require_vpc is true but " + noVPC}, true
	}
	ps := gatherRolePolicies(env, f)
	c := iampolicy.DefaultCatalog()
	acts := iamCatalogActions(c, vpcOnlyActions()...)
	grants, uncertain := ps.scan(c, grantScan{
		Granted:    explicitVPCGrants(acts),
		Candidates: acts,
		Wide:       func(iampolicy.Action, string) bool { return true },
	})
	if len(grants) > 0 {
		msg := fmt.Sprintf("%s (resources reachable only from inside a VPC), but %s", describeGrants(grants, "grants"), noVPC)
		if !vpcKnown {
			return Finding{Status: result.Unknown, Location: grants[0].At.Loc(), Message: "cannot evaluate: " + msg}, true
		}
		return Finding{Status: result.Fail, Location: grants[0].At.Loc(), Message: msg}, true
	}
	return roleVerdict(ps, nil, uncertain, allGaps, nil,
		fmt.Sprintf("the function needs no VPC: settings.require_vpc is off and role %q grants no access to VPC-only resources", ps.RoleName)), true
}
