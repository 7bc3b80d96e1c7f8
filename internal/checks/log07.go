package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkLOG07 is LW-LOG-07: Lambda Insights enabled.
func checkLOG07() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-LOG-07",
		Title:       "Lambda Insights enabled",
		Severity:    result.Info,
		Controls:    []string{"CC7.2"},
		Families:    fams,
		Semantics:   "FAIL if no LambdaInsightsExtension layer is attached.",
		Remediation: "Attach the LambdaInsightsExtension layer for the function's region and architecture (arn:aws:lambda:REGION:580247275435:layer:LambdaInsightsExtension:VERSION) and the CloudWatchLambdaInsightsExecutionRolePolicy managed policy to the role.",
		Run:         perFunction(fams, evalLOG07),
	}
}

func evalLOG07(env *Env, f *inventory.Function) (Finding, bool) {
	layers := f.Layers
	if layers.IsUnknown() {
		return unknownFinding(layers.Loc, "the function's layers cannot be resolved (%s)", whyUnknown(layers)), true
	}
	refs, _ := layers.Get()
	g := layerGraph{env.Index}
	unresolved := false
	for _, lv := range refs {
		r, ok := lv.Get()
		if !ok {
			unresolved = unresolved || lv.IsUnknown()
			continue
		}
		text := r.Name
		if l := g.layer(f.Origin, r); l != nil {
			text = l.ARN + " " + l.Name.Or("")
		}
		if isInsightsLayer(text) {
			return Finding{Status: result.Pass, Location: lv.Loc, Message: "the LambdaInsightsExtension layer is attached"}, true
		}
	}
	if unresolved {
		return unknownFinding(layers.Loc, "a layer reference cannot be resolved, so it may be the LambdaInsightsExtension layer"), true
	}
	return failFinding(firstLoc(layers.Loc, f.Loc), "no LambdaInsightsExtension layer is attached"), true
}

// isInsightsLayer reports whether a layer ARN or name is the Lambda
// Insights extension (LambdaInsightsExtension or LambdaInsightsExtension-Arm64).
func isInsightsLayer(s string) bool {
	return strings.Contains(s, ":layer:LambdaInsightsExtension") || strings.HasPrefix(s, "LambdaInsightsExtension")
}
