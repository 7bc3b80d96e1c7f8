package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// packageChecks are the checks on deployment packages: LW-SEC-05, LW-RUN-03
// and LW-RUN-04.
//
// Their results have resource.kind "package" and resource.name the function
// (or layer) the package belongs to, or the package's path when it was
// scanned on its own. resource.id names what the result is about, so config
// waivers can target it with globs:
//   - the package: its path ("build/fn.zip", "src/orders");
//   - a file in it: the package path, "!" (zip) or "/" (folder), and the
//     file's path in the package ("build/fn.zip!config/settings.js",
//     "build/fn.zip!lib/app.jar!application.properties");
//   - LW-SEC-05 adds "#" and the detector rule
//     ("build/fn.zip!config/settings.js#gitleaks:aws-access-token"), so a
//     waiver can cover one file ("build/fn.zip!config/settings.js#*") or one
//     rule everywhere ("*#gitleaks:generic-api-key");
//   - LW-RUN-04 adds "#NAME@VERSION" to the manifest it was read from
//     ("build/fn.zip!node_modules/.package-lock.json#lodash@4.17.20").
func packageChecks() []*Check { return []*Check{checkSEC05(), checkRUN03(), checkRUN04()} }

// Values shared with internal/pkgscan (which the checks may not import):
// the reserved rules of Package.Secrets and Package.Junk, and the prefix of
// errors about dependency metadata.
const (
	// pkgRuleNotScanned marks a file not scanned for secrets (too large).
	pkgRuleNotScanned = "lambdawarden:not-scanned"
	// pkgRuleNotRead marks a package that could not be read at all (not on
	// disk); its Detail says why.
	pkgRuleNotRead = "lambdawarden:not-read"
	// pkgDependencyError starts errors that leave only LW-RUN-04 unknown.
	pkgDependencyError = "read dependencies: "
)

// packagesOf returns the packages the checks evaluate, in inventory order.
func packagesOf(env *Env) []*inventory.Package {
	var out []*inventory.Package
	for _, p := range env.Inventory().Packages {
		if hasFamily(packageFamilies(), p.Source.Family()) {
			out = append(out, p)
		}
	}
	return out
}

// packageOwner is resource.name for a package's results: the function or
// layer it belongs to, else the package path.
func packageOwner(p *inventory.Package) string {
	if r, ok := p.Function.Get(); ok {
		if r.Name != "" {
			return r.Name
		}
		if r.ID != "" {
			return r.ID
		}
	}
	return p.Path
}

func packageResource(p *inventory.Package, id string) result.Resource {
	return result.Resource{Kind: result.KindPackage, ID: id, Name: packageOwner(p), Account: p.Account, Region: p.Region}
}

// isArchivePath reports whether a package path is an archive (members are
// joined with "!") rather than a folder (joined with "/").
func isArchivePath(p string) bool {
	l := strings.ToLower(p)
	for _, e := range []string{".zip", ".jar", ".war", ".ear"} {
		if strings.HasSuffix(l, e) {
			return true
		}
	}
	return false
}

// memberID is the resource ID of a file in a package.
func memberID(p *inventory.Package, file string) string {
	if isArchivePath(p.Path) {
		return p.Path + "!" + file
	}
	return path.Join(p.Path, file)
}

// packageLoc is the location of a package's own results.
func packageLoc(p *inventory.Package) srcloc.Location {
	if p.Loc.File != "" {
		return srcloc.Location{File: p.Loc.File}
	}
	return srcloc.Location{File: p.Path}
}

// memberLoc is the location of a file in a package: the file itself (with
// the line) in a folder, the archive in a zip, whose members have no path
// of their own on disk.
func memberLoc(p *inventory.Package, file string, line int) srcloc.Location {
	if isArchivePath(p.Path) || strings.Contains(file, "!") {
		if !isArchivePath(p.Path) {
			file, _, _ = strings.Cut(file, "!")
			return srcloc.Location{File: path.Join(p.Path, file)}
		}
		return packageLoc(p)
	}
	return srcloc.Location{File: path.Join(p.Path, file), Line: line}
}

// packageErrors are the inventory's errors by the package path they fall
// under (the package itself, or a member after "!" or "/"), gathered once
// per run so that judging a package does not scan every error.
type packageErrors map[string][]inventory.Error

// newPackageErrors indexes the errors under the paths of the packages the
// checks evaluate. An error's source is under a package when the package's
// path is the source or a prefix of it ending before a "!" or "/", so only
// those prefixes are looked up.
func newPackageErrors(env *Env) packageErrors {
	paths := map[string]bool{}
	for _, p := range packagesOf(env) {
		paths[p.Path] = true
	}
	out := packageErrors{}
	for _, e := range env.Inventory().Errors {
		// Each prefix has its own length, so none is added twice.
		src := e.Source
		if paths[src] {
			out[src] = append(out[src], e)
		}
		for i := 0; i < len(src); i++ {
			if (src[i] == '!' || src[i] == '/') && paths[src[:i]] {
				out[src[:i]] = append(out[src[:i]], e)
			}
		}
	}
	return out
}

// gap says why a package was not read in full ("" when it was): it was not
// on disk, or errors were reported under its path (a limit that was hit, an
// unreadable file). Errors about dependency metadata count only for
// LW-RUN-04 (deps).
func (pe packageErrors) gap(p *inventory.Package, deps bool) string {
	for _, j := range p.Junk {
		if j.Rule == pkgRuleNotRead {
			return j.Detail
		}
	}
	n, first := 0, ""
	for _, e := range pe[p.Path] {
		if !deps && strings.HasPrefix(e.Message, pkgDependencyError) {
			continue
		}
		if n == 0 {
			first = e.Source + ": " + e.Message
		}
		n++
	}
	switch n {
	case 0:
		return ""
	case 1:
		return "it could not be read in full (" + first + ")"
	}
	return fmt.Sprintf("it could not be read in full (%s; and %d more errors)", first, n-1)
}

// pkgPlural is "1 file" or "3 files".
func pkgPlural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
