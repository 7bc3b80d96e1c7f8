package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// VulnDB is a database of known vulnerabilities that LW-RUN-04 matches
// dependencies against (a local OSV database: internal/pkgscan/osv).
type VulnDB interface {
	// Vulnerabilities returns, for each dependency, the advisories that
	// affect its version (nil when none). An error means the database could
	// not be read, so no dependency can be judged.
	Vulnerabilities(deps []inventory.Dependency) ([][]Advisory, error)
}

// Advisory is a known vulnerability affecting a dependency.
type Advisory struct {
	ID      string   // OSV ID: GHSA-..., PYSEC-..., GO-..., MAL-...
	Aliases []string // CVE IDs
	Summary string
	// Severity is the advisory's rating; Rated is false when it gives none
	// the database can read.
	Severity result.Severity
	Rated    bool
	// Fixed is the lowest version above the affected one that fixes it, ""
	// when no fix is known.
	Fixed string
}

// unratedSeverity is the severity of a finding whose advisories give none.
const unratedSeverity = result.High

// checkRUN04 is LW-RUN-04: no known-vulnerable dependencies.
func checkRUN04() *Check {
	return &Check{
		ID:       "LW-RUN-04",
		Title:    "No known-vulnerable dependencies",
		Severity: unratedSeverity,
		Controls: []string{"CC7.1"},
		Families: packageFamilies(),
		Semantics: "FAIL per vulnerable dependency found in lock files, installed package metadata (node_modules, " +
			"*.dist-info, gemspecs), go.mod, Go build info inside binaries and Maven metadata inside jars, matched " +
			"against a local OSV database (`--vuln-db DIR`); the severity is the highest of its advisories " +
			"(high when none is rated). UNKNOWN for each package with dependencies when no database is given, or when " +
			"its dependency metadata could not be read. Packages without dependency metadata yield no result.",
		Remediation: "Upgrade the dependency to the fixed version named in the message and rebuild the package; " +
			"keep `--vuln-db` fresh (download the ecosystems' all.zip from osv.dev) and run the scan in CI before deploy.",
		Run: runRUN04,
	}
}

func runRUN04(env *Env) []Finding {
	pkgs := packagesOf(env)
	pkgErrs := newPackageErrors(env)
	var out []Finding
	if env.VulnDB == nil {
		for _, p := range pkgs {
			if len(p.Dependencies) == 0 {
				continue
			}
			out = append(out, Finding{Status: result.Unknown, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: fmt.Sprintf("%s found (%s) but no --vuln-db given, so they cannot be matched against known vulnerabilities",
					pkgPlural(len(p.Dependencies), "dependency", "dependencies"), ecosystemCounts(p.Dependencies))})
		}
		return out
	}

	// One lookup for all packages' dependencies.
	type depKey struct{ eco, name, version string }
	index := map[depKey]int{}
	var all []inventory.Dependency
	for _, p := range pkgs {
		for _, d := range p.Dependencies {
			k := depKey{d.Ecosystem, d.Name, d.Version}
			if _, ok := index[k]; !ok {
				index[k] = len(all)
				all = append(all, d)
			}
		}
	}
	var advs [][]Advisory
	var dbErr error
	if len(all) > 0 {
		advs, dbErr = env.VulnDB.Vulnerabilities(all)
		if dbErr == nil && len(advs) != len(all) {
			dbErr = fmt.Errorf("the database answered %d of %d lookups", len(advs), len(all))
		}
	}

	for _, p := range pkgs {
		gap := pkgErrs.gap(p, true)
		if len(p.Dependencies) == 0 {
			if gap != "" {
				out = append(out, Finding{Status: result.Unknown, Resource: packageResource(p, p.Path), Location: packageLoc(p),
					Message: "the package's dependencies could not be read: " + gap})
			}
			continue
		}
		if dbErr != nil {
			out = append(out, Finding{Status: result.Unknown, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: fmt.Sprintf("%s found but the vulnerability database could not be read: %v",
					pkgPlural(len(p.Dependencies), "dependency", "dependencies"), dbErr)})
			continue
		}
		failed := false
		for _, d := range p.Dependencies {
			as := advs[index[depKey{d.Ecosystem, d.Name, d.Version}]]
			if len(as) == 0 {
				continue
			}
			failed = true
			sev := severityOf(as)
			out = append(out, Finding{
				Status:   result.Fail,
				Resource: packageResource(p, memberID(p, d.Manifest)+"#"+d.Name+"@"+d.Version),
				Location: memberLoc(p, d.Manifest, 0),
				Message:  vulnMessage(d, as),
				Severity: &sev,
			})
		}
		switch {
		case gap != "":
			out = append(out, Finding{Status: result.Unknown, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: "the package's dependencies were not all read: " + gap})
		case !failed:
			out = append(out, Finding{Status: result.Pass, Resource: packageResource(p, p.Path), Location: packageLoc(p),
				Message: fmt.Sprintf("none of the %s (%s) has a known vulnerability in the database",
					pkgPlural(len(p.Dependencies), "dependency", "dependencies"), ecosystemCounts(p.Dependencies))})
		}
	}
	return out
}

// severityOf is the highest rated severity of the advisories, or
// unratedSeverity when none is rated.
func severityOf(as []Advisory) result.Severity {
	best, rated := result.Info, false
	for _, a := range as {
		if a.Rated && (!rated || a.Severity > best) {
			best, rated = a.Severity, true
		}
	}
	if !rated {
		return unratedSeverity
	}
	return best
}

// vulnMessage names the dependency, its version and manifest, the
// advisories (with CVE aliases and severity) and the version that fixes
// them all.
func vulnMessage(d inventory.Dependency, as []Advisory) string {
	var parts []string
	fixed, noFix := "", []string{}
	for _, a := range as {
		s := a.ID
		var extra []string
		if len(a.Aliases) > 0 {
			extra = append(extra, strings.Join(a.Aliases, ", "))
		}
		if a.Rated {
			extra = append(extra, a.Severity.String())
		} else {
			extra = append(extra, "unrated")
		}
		s += " (" + strings.Join(extra, ", ") + ")"
		parts = append(parts, s)
		switch {
		case a.Fixed == "":
			noFix = append(noFix, a.ID)
		case fixed == "" || versionLess(fixed, a.Fixed):
			fixed = a.Fixed
		}
	}
	msg := fmt.Sprintf("%s %s (%s, from %s) is affected by %s", d.Name, d.Version, d.Ecosystem, d.Manifest, strings.Join(parts, ", "))
	switch {
	case len(noFix) == 0:
		msg += "; fixed in " + fixed
	case fixed != "":
		msg += fmt.Sprintf("; fixed in %s, except %s (no fix yet)", fixed, strings.Join(noFix, ", "))
	default:
		msg += "; no fixed version yet"
	}
	return msg
}

// versionLess orders fixed versions for the message: numerically by dotted
// parts, else as text. (The database compares versions exactly per
// ecosystem; this only picks the highest of its answers.)
func versionLess(a, b string) bool {
	pa, pb := strings.FieldsFunc(a, isVersionSep), strings.FieldsFunc(b, isVersionSep)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := atoiOK(pa[i])
		nb, eb := atoiOK(pb[i])
		switch {
		case ea && eb && na != nb:
			return na < nb
		case !(ea && eb) && pa[i] != pb[i]:
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func isVersionSep(r rune) bool { return r == '.' || r == '-' || r == '+' || r == '_' }

func atoiOK(s string) (int, bool) {
	n := 0
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ecosystemCounts is "npm 120, PyPI 3".
func ecosystemCounts(deps []inventory.Dependency) string {
	n := map[string]int{}
	for _, d := range deps {
		n[d.Ecosystem]++
	}
	ecos := make([]string, 0, len(n))
	for e := range n {
		ecos = append(ecos, e)
	}
	sort.Strings(ecos)
	parts := make([]string, len(ecos))
	for i, e := range ecos {
		parts[i] = fmt.Sprintf("%s %d", e, n[e])
	}
	return strings.Join(parts, ", ")
}
