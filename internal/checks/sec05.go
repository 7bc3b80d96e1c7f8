package checks

import (
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkSEC05 is LW-SEC-05: no secrets in the deployment package.
func checkSEC05() *Check {
	return &Check{
		ID:       "LW-SEC-05",
		Title:    "No secrets in the deployment package",
		Severity: result.Critical,
		Controls: []string{"C1.1", "CC6.1"},
		Families: packageFamilies(),
		Semantics: "FAIL for each file in a package or layer holding a credential or private key (gitleaks' rules for " +
			"known credential formats plus private keys, JWTs and URLs with passwords), one result per file and rule. " +
			"Values are redacted. Binary files are not scanned; in vendored code (node_modules, installed Python " +
			"packages, jars), minified files and lock files only high-confidence rules count. UNKNOWN for a file too " +
			"large to scan and for a package that could not be read in full.",
		Remediation: "Remove the file or the value from the package and rotate the credential: anyone who can read the " +
			"function's code (lambda:GetFunction) or the build artifacts has it. Fetch secrets at runtime from Secrets " +
			"Manager or SSM Parameter Store. A false positive can be waived per file or per rule (resource " +
			"\"PACKAGE!FILE#*\" or \"*#RULE\").",
		Run: runSEC05,
	}
}

func runSEC05(env *Env) []Finding {
	var out []Finding
	pkgErrs := newPackageErrors(env)
	for _, p := range packagesOf(env) {
		failed, notScanned := false, false
		// One result per file and rule, in the order of their first line.
		type group struct {
			file, rule, detail string
			lines              []int
		}
		var groups []*group
		byKey := map[[2]string]*group{}
		for _, s := range p.Secrets {
			k := [2]string{s.File, s.Rule}
			g := byKey[k]
			if g == nil {
				g = &group{file: s.File, rule: s.Rule, detail: s.Detail}
				byKey[k] = g
				groups = append(groups, g)
			}
			g.lines = append(g.lines, s.Line)
		}
		for _, g := range groups {
			if g.rule == pkgRuleNotScanned {
				notScanned = true
				out = append(out, Finding{Status: result.Unknown, Resource: packageResource(p, memberID(p, g.file)),
					Location: memberLoc(p, g.file, 0), Message: fmt.Sprintf("%s was %s", g.file, g.detail)})
				continue
			}
			failed = true
			msg := fmt.Sprintf("%s holds %s", g.file, g.detail)
			if l := linesText(g.lines); l != "" {
				msg += " " + l
			}
			out = append(out, Finding{
				Status:   result.Fail,
				Resource: packageResource(p, memberID(p, g.file)+"#"+g.rule),
				Location: memberLoc(p, g.file, g.lines[0]),
				Message:  msg,
			})
		}
		switch gap := pkgErrs.gap(p, false); {
		case gap != "":
			out = append(out, Finding{Status: result.Unknown, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: "the package was not fully scanned for secrets: " + gap})
		case !failed && !notScanned:
			out = append(out, Finding{Status: result.Pass, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: "no credential or private key found in the package"})
		}
	}
	return out
}

// linesText is "on line 3" or "on lines 3, 7 and 9" (at most ten listed).
func linesText(lines []int) string {
	if len(lines) == 0 || lines[0] == 0 {
		return ""
	}
	if len(lines) == 1 {
		return fmt.Sprintf("on line %d", lines[0])
	}
	var parts []string
	for i, l := range lines {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("%d more", len(lines)-10))
			break
		}
		parts = append(parts, fmt.Sprint(l))
	}
	return "on lines " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
