package checks

import (
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkRUN03 is LW-RUN-03: the package holds runtime files only.
func checkRUN03() *Check {
	return &Check{
		ID:       "LW-RUN-03",
		Title:    "Package holds runtime files only",
		Severity: result.Medium,
		Controls: []string{"CC8.1"},
		Families: packageFamilies(),
		Semantics: "FAIL for each file that does not belong in a deployment package: `.git/` and other version control " +
			"folders, `.env*` files (not templates such as .env.example), test folders and files, editor and OS junk, " +
			"SSH and TLS private keys (`id_rsa`, `*.pem`/`*.key` holding a private key, key stores), Terraform state, " +
			"`.npmrc`/`.pypirc`/`.netrc` holding credentials, AWS credential files, source maps holding secrets, zip " +
			"entries whose names leave the package (`../`, absolute, drive letters) and symbolic links pointing outside it. " +
			"Folders are reported once with their file count. Inside vendored code (node_modules, installed Python " +
			"packages, jars) only files that can hold credentials count. UNKNOWN for a package that could not be read in full.",
		Remediation: "Build the package from an allow-list (e.g. `zip -r fn.zip dist node_modules`, SAM/Serverless " +
			"package patterns, .npmignore or `files` in package.json) and exclude .git, .env*, tests, keys and state. " +
			"Rotate any credential that was shipped.",
		Run: runRUN03,
	}
}

func runRUN03(env *Env) []Finding {
	var out []Finding
	pkgErrs := newPackageErrors(env)
	for _, p := range packagesOf(env) {
		failed := false
		for _, j := range p.Junk {
			if strings.HasPrefix(j.Rule, "lambdawarden:") {
				continue
			}
			failed = true
			out = append(out, Finding{
				Status:   result.Fail,
				Resource: packageResource(p, memberID(p, j.File)),
				Location: memberLoc(p, strings.TrimSuffix(j.File, "/"), j.Line),
				Message:  fmt.Sprintf("%s: %s", j.File, j.Detail),
			})
		}
		switch gap := pkgErrs.gap(p, false); {
		case gap != "":
			out = append(out, Finding{Status: result.Unknown, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: "the package was not fully checked for junk files: " + gap})
		case !failed:
			out = append(out, Finding{Status: result.Pass, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: "the package holds no version control data, environment files, tests, keys or other junk"})
		}
	}
	return out
}
