package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkTAG01 is LW-TAG-01: required tags present.
func checkTAG01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-TAG-01",
		Title:       "Required tags present",
		Severity:    result.Info,
		Controls:    []string{"CC6.1"},
		Families:    fams,
		Semantics:   "Only when `settings.required_tags` is set: FAIL if the function lacks any of those tag keys (provider default_tags and SAM/Serverless stack tags count).",
		Remediation: "Add the missing tag keys to the function, or to the provider's default_tags / the stack's tags so every resource gets them.",
		DefaultOff:  true,
		Run:         perFunction(fams, evalTAG01),
	}
}

func evalTAG01(env *Env, f *inventory.Function) (Finding, bool) {
	required := env.Settings.RequiredTags
	if len(required) == 0 {
		return Finding{}, false
	}
	tags := f.Tags
	if tags.IsUnknown() {
		return unknownFinding(tags.Loc, "the function's tags cannot be resolved (%s)", whyUnknown(tags)), true
	}
	have, _ := tags.Get()
	var missing []string
	for _, k := range required {
		if _, ok := have[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return failFinding(firstLoc(tags.Loc, f.Loc), "the function lacks the required %s %s", pluralWord(len(missing), "tag", "tags"), strings.Join(missing, ", ")), true
	}
	return Finding{Status: result.Pass, Location: tags.Loc, Message: "the function has every required tag"}, true
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
