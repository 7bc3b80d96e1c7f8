package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// checkEXP01 is LW-EXP-01: public function with dangerous power.
func checkEXP01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-EXP-01",
		Title:       "Public function with dangerous power",
		Severity:    result.Critical,
		Controls:    []string{"CC6.1", "CC6.3", "CC6.6"},
		Families:    fams,
		Semantics:   "FAIL if the function is reachable without authentication (LW-INV-01 or LW-INV-04 fails, or an API Gateway route without authorizer where the API is in the inventory) AND its role fails any of LW-IAM-02, -05, -08, -09 or it holds a plaintext secret (LW-SEC-01). The message lists the chain, e.g. \"public URL -> role can iam:PassRole on *\".",
		Remediation: "Break the chain at either end: require authentication in front of the function (AWS_IAM URL auth, an API authorizer, a pinned resource policy) and cut the role down to the actions and resources it needs, with secrets fetched from Secrets Manager.",
		Run:         perFunction(fams, evalEXP01),
	}
}

// expLink is one link of an exposure chain: what it is and where.
type expLink struct {
	text string
	loc  srcloc.Location
}

func evalEXP01(env *Env, f *inventory.Function) (Finding, bool) {
	var entries, entryDoubts []expLink
	if fd, _ := evalINV01(env, f); fd.Status == result.Fail {
		entries = append(entries, expLink{"public resource policy", fd.Location})
	} else if fd.Status == result.Unknown {
		entryDoubts = append(entryDoubts, expLink{"resource policy (LW-INV-01 unknown)", fd.Location})
	}
	if fd, _ := evalINV04(env, f); fd.Status == result.Fail {
		entries = append(entries, expLink{"public URL", fd.Location})
	} else if fd.Status == result.Unknown {
		entryDoubts = append(entryDoubts, expLink{"function URL (LW-INV-04 unknown)", fd.Location})
	}
	// An API route or method whose authorization is not set has AWS's
	// default, NONE (apigatewayv2 routes' authorization_type, REST methods'
	// authorization): it is open like one set to NONE.
	for _, r := range env.Index.APIRoutes(f) {
		auth := r.Authorization
		switch a, ok := auth.Get(); {
		case ok && strings.EqualFold(a, "NONE"):
			entries = append(entries, expLink{"API route " + r.ID + " without authorizer", firstLoc(auth.Loc, r.Loc)})
		case auth.IsAbsent():
			entries = append(entries, expLink{"API route " + r.ID + " without authorizer (authorization not set, so NONE)", r.Loc})
		case auth.IsUnknown():
			entryDoubts = append(entryDoubts, expLink{"API route " + r.ID + " (authorization unknown)", firstLoc(auth.Loc, r.Loc)})
		}
	}
	if len(entries) == 0 && len(entryDoubts) == 0 {
		return passFinding("the function is not reachable without authentication"), true
	}

	var powers, powerDoubts []expLink
	for _, p := range []struct {
		id   string
		eval FunctionEval
	}{{"LW-IAM-02", evalIAM02}, {"LW-IAM-05", evalIAM05}, {"LW-IAM-08", evalIAM08}, {"LW-IAM-09", evalIAM09}, {"LW-SEC-01", evalSEC01}} {
		fd, ok := p.eval(env, f)
		switch {
		case !ok:
		case fd.Status == result.Fail:
			powers = append(powers, expLink{fd.Message + " (" + p.id + ")", fd.Location})
		case fd.Status == result.Unknown:
			powerDoubts = append(powerDoubts, expLink{p.id, fd.Location})
		}
	}

	switch {
	case len(entries) > 0 && len(powers) > 0:
		return failFinding(firstLoc(entries[0].loc, powers[0].loc), "%s -> %s", linkTexts(entries, " and "), linkTexts(powers, "; ")), true
	case len(entries) > 0 && len(powerDoubts) > 0:
		return unknownFinding(firstLoc(powerDoubts[0].loc, entries[0].loc), "%s -> the role's power is unknown (%s)", linkTexts(entries, " and "), linkTexts(powerDoubts, ", ")), true
	case len(powers) > 0:
		return unknownFinding(firstLoc(entryDoubts[0].loc, powers[0].loc), "%s, and whether it is public is unknown: %s", linkTexts(powers, "; "), linkTexts(entryDoubts, ", ")), true
	case len(entries) > 0:
		return passFinding(linkTexts(entries, " and ") + ", but the role holds no dangerous power and no plaintext secret"), true
	case len(powerDoubts) > 0:
		return unknownFinding(firstLoc(entryDoubts[0].loc, powerDoubts[0].loc), "whether the function is public (%s) and the role's power (%s) are unknown", linkTexts(entryDoubts, ", "), linkTexts(powerDoubts, ", ")), true
	default:
		return passFinding("the role holds no dangerous power and no plaintext secret"), true
	}
}

func linkTexts(ls []expLink, sep string) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return strings.Join(out, sep)
}
