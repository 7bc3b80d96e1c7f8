package pkgscan

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// Link reads the local packages that the functions and layers of inv point
// at (Function.Package.Path, LayerVersion.Package.Path: Terraform filename
// and archive_file, SAM CodeUri, CDK assets, Serverless .serverless/*.zip)
// and adds one Package per function or layer, linked to it (Package.Function,
// IsLayer for layers), so package results name the function.
//
// trees are the scanned PATHs: package paths are display paths, which Link
// resolves against them. Each package is read once, however many functions
// share it; a package the Source already read as a standalone zip is reused
// and the standalone copy is replaced by the linked ones. A package that is
// not on disk (not built yet) gets a Package whose only Junk entry has rule
// RuleNotRead, so its checks are UNKNOWN rather than silently absent.
// Container images and S3 objects are not read. Errors go to inv.Errors.
func Link(ctx context.Context, trees []*scan.Tree, inv *inventory.Inventory, cfg Config) {
	type target struct {
		owner  inventory.Ref
		origin string
		loc    inventory.Value[inventory.Ref]
		layer  bool
		path   string
	}
	var targets []target
	for _, f := range inv.Functions {
		ref, ok := f.Package.Get()
		if !ok || ref.Path == "" || ref.ImageURI != "" {
			continue
		}
		if pt, ok := f.PackageType.Get(); ok && pt == "Image" {
			continue
		}
		owner := inventory.Ref{ID: f.ID, Name: f.DisplayName()}
		targets = append(targets, target{owner: owner, origin: f.Origin, loc: inventory.Of(owner, f.Package.Loc), path: ref.Path})
	}
	for _, l := range inv.Layers {
		ref, ok := l.Package.Get()
		if !ok || ref.Path == "" {
			continue
		}
		name := l.Name.Or("")
		if name == "" {
			name = l.ID
		}
		owner := inventory.Ref{ID: l.ID, Name: name}
		targets = append(targets, target{owner: owner, origin: l.Origin, loc: inventory.Of(owner, l.Package.Loc), layer: true, path: ref.Path})
	}
	if len(targets) == 0 {
		return
	}

	// Standalone packages already read by the Source, by path.
	standalone := map[string]*inventory.Package{}
	for _, p := range inv.Packages {
		if p.Function.IsAbsent() {
			standalone[p.Path] = p
		}
	}
	scanned := map[string]*inventory.Package{}
	var paths []string
	for _, t := range targets {
		if _, ok := scanned[t.path]; !ok {
			scanned[t.path] = nil
			paths = append(paths, t.path)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		if ctx.Err() != nil {
			return
		}
		if pkg, ok := standalone[p]; ok {
			scanned[p] = pkg
			continue
		}
		disk, ok := resolve(trees, p)
		if !ok {
			scanned[p] = &inventory.Package{
				Item: inventory.Item{ID: p, Source: inventory.PackageSource, Origin: p},
				Path: p,
				Junk: []inventory.PackageFinding{{Rule: RuleNotRead, Detail: "the package " + p + " is not on disk (build it before scanning to check its content)"}},
			}
			continue
		}
		pkg, errs := ScanPackage(ctx, disk, p, cfg)
		scanned[p] = pkg
		inv.Errors = append(inv.Errors, errs...)
		inv.Sources = append(inv.Sources, inventory.Source{Kind: inventory.PackageSource, Path: p})
	}

	// Replace standalone copies by linked ones.
	linked := map[string]bool{}
	for _, t := range targets {
		linked[t.path] = true
	}
	kept := inv.Packages[:0]
	for _, p := range inv.Packages {
		if p.Function.IsAbsent() && linked[p.Path] {
			continue
		}
		kept = append(kept, p)
	}
	inv.Packages = kept
	for _, t := range targets {
		src := scanned[t.path]
		cp := *src
		cp.Origin = t.origin
		cp.Function = t.loc
		cp.IsLayer = t.layer
		cp.Loc = src.Loc
		if cp.Loc.IsZero() {
			cp.Loc = t.loc.Loc
		}
		inv.Packages = append(inv.Packages, &cp)
	}
}

// resolve finds a display path on disk. Display paths are relative to the
// folder a PATH was given from: the working directory for a relative PATH,
// the PATH's parent for an absolute one.
func resolve(trees []*scan.Tree, display string) (string, bool) {
	var bases []string
	for _, t := range trees {
		if filepath.IsAbs(t.Root) {
			bases = append(bases, filepath.Dir(filepath.Clean(t.Root)))
		}
	}
	bases = append(bases, ".")
	for _, b := range bases {
		var p string
		if path.IsAbs(display) || filepath.IsAbs(display) {
			p = filepath.FromSlash(display)
		} else {
			p = filepath.Join(b, filepath.FromSlash(display))
		}
		if _, err := os.Stat(p); err == nil {
			return p, true
		} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return p, true // exists but unreadable: ScanPackage reports why
		}
	}
	return "", false
}

// Linker returns Link with cfg bound, in the shape of a post-load step of
// the scan (run once after every source's inventory is merged).
func Linker(cfg Config) func(ctx context.Context, trees []*scan.Tree, inv *inventory.Inventory) {
	return func(ctx context.Context, trees []*scan.Tree, inv *inventory.Inventory) { Link(ctx, trees, inv, cfg) }
}
