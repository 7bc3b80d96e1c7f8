package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// skippedDirs are the folders NewTree never descends into: version control
// metadata and vendored or downloaded code that no source reads as input.
// Everything else (including .serverless, which the Serverless source may
// want) is listed, and each Source's Find decides what it reads.
var skippedDirs = map[string]bool{
	".git":         true,
	"node_modules": true,
	".terraform":   true,
}

// NewTree walks root once and returns its Tree. root is a PATH as the user
// gave it: a directory (every regular file under it is listed, except inside
// .git, node_modules, .terraform and cdk.out/asset.*) or a single file.
func NewTree(ctx context.Context, root string) (*Tree, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", root, err)
	}
	t := &Tree{Root: root, Display: displayName(root)}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("scan %s: %w", root, &fs.PathError{Op: "scan", Path: root, Err: errors.New("not a regular file or directory")})
		}
		t.IsFile = true
		t.Files = []string{filepath.Base(root)}
		return t, nil
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			// An unreadable folder or file is left out; the sources never see it.
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != root && skipDir(rel, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			t.Files = append(t.Files, rel)
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A link to a regular file is listed; links to folders are not
			// followed, so a tree cannot loop.
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				t.Files = append(t.Files, rel)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", root, err)
	}
	sort.Strings(t.Files)
	return t, nil
}

// skipDir reports whether the folder at rel (relative to the tree's root)
// is left out of the tree.
func skipDir(rel, name string) bool {
	if skippedDirs[name] {
		return true
	}
	// CDK asset staging folders hold copies of deployment code.
	return strings.HasPrefix(name, "asset.") && path.Base(path.Dir(rel)) == "cdk.out"
}

// displayName is the prefix locations use for files under root: the path as
// given, cleaned and slash-separated; the base name for an absolute path.
func displayName(root string) string {
	if filepath.IsAbs(root) {
		return filepath.Base(root)
	}
	return filepath.ToSlash(filepath.Clean(root))
}

// DisplayPath returns the location path of a file of the tree (relative to
// Root, slash-separated): Display joined with rel, or Display itself for a
// single-file tree.
func (t *Tree) DisplayPath(rel string) string {
	if t.IsFile {
		return t.Display
	}
	return path.Join(t.Display, rel)
}

// Path returns the on-disk path of a file or folder of the tree given
// relative to Root: Root itself for a single-file tree.
func (t *Tree) Path(rel string) string {
	if t.IsFile {
		return t.Root
	}
	return filepath.Join(t.Root, filepath.FromSlash(rel))
}
