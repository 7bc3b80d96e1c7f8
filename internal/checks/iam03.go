package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// checkIAM03 is LW-IAM-03: no broad AWS-managed FullAccess policies.
func checkIAM03() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-03",
		Title:       "No broad AWS-managed FullAccess policies",
		Severity:    result.High,
		Controls:    []string{"CC6.3"},
		Families:    fams,
		Semantics:   "FAIL if an AWS-managed policy whose name ends in FullAccess is attached (AmazonS3FullAccess, AmazonDynamoDBFullAccess, ...).",
		Remediation: "Detach the FullAccess policy and grant only the actions the function calls on the specific resources it uses (for example dynamodb:GetItem and dynamodb:PutItem on the one table).",
		Run:         perFunction(fams, evalIAM03),
	}
}

// evalIAM03 fails a role with an AWS-managed *FullAccess policy attached.
func evalIAM03(env *Env, f *inventory.Function) (Finding, bool) {
	ps := gatherRolePolicies(env, f)
	var names []string
	var loc srcloc.Location
	for _, at := range ps.Attachments {
		if at.AWSManaged && strings.HasSuffix(at.Name, "FullAccess") {
			if len(names) == 0 {
				loc = iamFirstLoc(at.Loc)
			}
			names = append(names, at.Name)
		}
	}
	if len(names) > 0 {
		slices.Sort(names)
		names = slices.Compact(names)
		return Finding{
			Status:   result.Fail,
			Location: loc,
			Message: fmt.Sprintf("AWS-managed %s %s %s attached to role %q", iamPlural(len(names), "policy", "policies"),
				iamList(names, 3), iamPlural(len(names), "is", "are"), ps.RoleName),
		}, true
	}
	// Only a role or an attachment that cannot be read could hide one.
	if gaps, gloc := ps.gapTexts(func(k rolePolicyGapKind) bool { return k == gapRole || k == gapAttachment }); len(gaps) > 0 {
		return roleUnknownFinding(ps, gaps, gloc), true
	}
	return Finding{Status: result.Pass, Message: fmt.Sprintf("role %q has no AWS-managed FullAccess policy attached", ps.RoleName)}, true
}
