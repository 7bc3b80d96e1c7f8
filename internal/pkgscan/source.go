// Package pkgscan reads Lambda deployment packages and layers (zip files,
// jars and folders) for the package checks: junk files (LW-RUN-03), secrets
// (LW-SEC-05) and dependencies (LW-RUN-04). Archives are read in memory,
// streaming, never extracted to disk, within the limits of Config; nothing
// outside a package is ever read.
//
// Two ways in: the scan.Source that New returns reads zip files found under
// a PATH, and a folder given directly as a PATH; Link reads the packages that
// functions and layers of the IaC point at (Terraform filename and
// archive_file, SAM CodeUri, CDK assets, Serverless .serverless/*.zip) and
// ties the results to them.
//
// Result paths: findings name files inside a package by their
// package-relative path; inside nested archives with "!" ("lib/a.jar!x.xml").
//
// Decisions worth knowing:
//   - Zip entries whose names leave the package (../, absolute paths, drive
//     letters) and symbolic links pointing outside it (zip entries with the
//     symlink mode, links in folders) are LW-RUN-03 findings
//     (RulePathTraversal, RuleSymlinkEscape), not errors: the package was
//     read. Links are never followed; names are never used to open
//     anything (nothing is written to disk), and folders are read through
//     an os.Root.
//   - A limit that is hit (a zip bomb) is an error naming the file, the
//     limit and its Config field, and stops that package only; the checks
//     then say UNKNOWN for it. Other inputs are read as usual.
//   - Dotenv templates (.env.example, .env.sample, .env.template, .env.dist,
//     .envrc.example) are not junk: they are committed on purpose.
//   - Vendored code (node_modules, site-packages, vendor, pip-installed
//     packages found through their *.dist-info/RECORD, and everything inside
//     jars and nested archives) legitimately ships tests and editor files:
//     only junk that can hold credentials is reported there, and only
//     high-confidence secret rules count (as in minified and lock files).
//   - Folders named like tests (tests/, __tests__/, ...), version control
//     and IDE folders are reported once each, with their file count.
package pkgscan

import (
	"context"
	"os"
	"path"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// Source is the scan.Source of deployment packages.
type Source struct {
	cfg Config
}

// New returns the package source.
func New(cfg Config) scan.Source { return &Source{cfg: cfg} }

// Kind implements scan.Source.
func (*Source) Kind() inventory.SourceKind { return inventory.PackageSource }

// Find implements scan.Source. It returns every *.zip file under the tree
// (the tree leaves out .git, node_modules and .terraform), a .zip or .jar
// named directly as the PATH, or only the PATH itself (".") when it is a
// folder that looks like a deployment package (see IsPackageFolder); zips
// in it are then read as part of it.
func (*Source) Find(ctx context.Context, t *scan.Tree) ([]string, error) {
	if t.IsFile {
		if len(t.Files) == 1 && hasExt(strings.ToLower(t.Files[0]), ".zip", ".jar") {
			return []string{t.Files[0]}, nil
		}
		return nil, nil
	}
	if IsPackageFolder(t.Root, t.Files) {
		// Zips inside are read as part of it.
		return []string{"."}, nil
	}
	var out []string
	for _, f := range t.Files {
		if strings.HasSuffix(strings.ToLower(f), ".zip") {
			out = append(out, f)
		}
	}
	return out, nil
}

// Load implements scan.Source: it scans one package.
func (s *Source) Load(ctx context.Context, t *scan.Tree, input string, _ scan.LoadOptions) *inventory.Inventory {
	display := t.DisplayPath(input)
	pkg, errs := ScanPackage(ctx, t.Path(input), display, s.cfg)
	return &inventory.Inventory{
		Sources:  []inventory.Source{{Kind: inventory.PackageSource, Path: display}},
		Packages: []*inventory.Package{pkg},
		Errors:   errs,
	}
}

// IsPackageFolder reports whether a folder given as a PATH is a deployment
// package rather than a project holding infrastructure code: it holds
// runtime code at its top (a handler file, package.json, node_modules/, a
// bootstrap, python/ or nodejs/ for a layer, ...), no infrastructure code
// anywhere (*.tf, CloudFormation/SAM templates, serverless.yml, cdk.json),
// and is not a Git checkout (no .git at its top). files are the folder's
// files as scan.Tree lists them.
func IsPackageFolder(dir string, files []string) bool {
	if _, err := os.Lstat(dir + string(os.PathSeparator) + ".git"); err == nil {
		return false
	}
	runtime := false
	for _, f := range files {
		base := path.Base(f)
		lower := strings.ToLower(base)
		if isIaCFile(lower) {
			return false
		}
		if !strings.Contains(f, "/") {
			if isRuntimeFile(lower) {
				runtime = true
			}
			continue
		}
		top, _, _ := strings.Cut(f, "/")
		switch top {
		case "python", "nodejs", "java", "ruby", "bin", "lib", "extensions":
			runtime = true
		}
	}
	if !runtime {
		// node_modules/ is left out of the tree's files; look for it.
		if st, err := os.Stat(dir + string(os.PathSeparator) + "node_modules"); err == nil && st.IsDir() {
			runtime = true
		}
	}
	return runtime
}

// isIaCFile reports whether a (lower-case) base name is infrastructure code
// or a tool's project file.
func isIaCFile(lower string) bool {
	switch lower {
	case "serverless.yml", "serverless.yaml", "serverless.json", "serverless.ts", "serverless.js",
		"template.yaml", "template.yml", "template.json", "samconfig.toml", "cdk.json", "terragrunt.hcl":
		return true
	}
	return strings.HasSuffix(lower, ".tf") || strings.HasSuffix(lower, ".tf.json") ||
		strings.HasSuffix(lower, ".template.json") || strings.HasSuffix(lower, ".template.yaml")
}

// isRuntimeFile reports whether a (lower-case) top-level file is code or a
// manifest a Lambda runtime loads.
func isRuntimeFile(lower string) bool {
	switch lower {
	case "bootstrap", "package.json", "requirements.txt", "gemfile", "gemfile.lock", "go.mod":
		return true
	}
	return hasExt(lower, ".js", ".mjs", ".cjs", ".py", ".rb", ".jar", ".ps1", ".dll")
}
