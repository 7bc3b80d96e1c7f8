package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkRUN05 is LW-RUN-05: code signing enforced.
func checkRUN05() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-RUN-05",
		Title:       "Code signing enforced",
		Severity:    result.Medium,
		Controls:    []string{"CC8.1", "CC6.8"},
		Families:    fams,
		Semantics:   "FAIL if there is no code signing config, or its policy is Warn.",
		Remediation: "Create a code signing config with your AWS Signer profile and untrusted_artifact_on_deployment (UntrustedArtifactOnDeployment) = Enforce, attach it to the function, and sign packages in the pipeline.",
		Run:         perFunction(fams, evalRUN05),
	}
}

func evalRUN05(env *Env, f *inventory.Function) (Finding, bool) {
	ref := f.CodeSigningConfig
	r, ok := ref.Get()
	switch {
	case ref.IsUnknown():
		return unknownFinding(ref.Loc, "the code signing config cannot be resolved (%s)", whyUnknown(ref)), true
	case !ok || r.IsZero():
		return failFinding(f.Loc, "no code signing config: unsigned code can be deployed"), true
	}
	c := env.Index.CodeSigningConfig(f.Origin, r)
	if c == nil {
		return unknownFinding(ref.Loc, "code signing config %s is not in the scanned inventory, so its policy is unknown", r.String()), true
	}
	p := c.UntrustedArtifactOnDeployment
	loc := firstLoc(p.Loc, c.Loc)
	switch policy, ok := p.Get(); {
	case p.IsUnknown():
		return unknownFinding(loc, "the policy of code signing config %s cannot be resolved (%s)", c.ID, whyUnknown(p)), true
	case !ok:
		return failFinding(loc, "code signing config %s sets no policy, so it defaults to Warn: unsigned code still deploys", c.ID), true
	case !strings.EqualFold(policy, "Enforce"):
		return failFinding(loc, "code signing config %s has policy %s: unsigned code still deploys", c.ID, policy), true
	}
	return Finding{Status: result.Pass, Location: loc, Message: "code signing config " + c.ID + " enforces signatures"}, true
}
