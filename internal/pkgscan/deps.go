package pkgscan

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	cpb "github.com/google/osv-scalibr/binary/proto/config_go_proto"
	"github.com/google/osv-scalibr/extractor"
	"github.com/google/osv-scalibr/extractor/filesystem"
	"github.com/google/osv-scalibr/extractor/filesystem/language/golang/gobinary"
	"github.com/google/osv-scalibr/extractor/filesystem/language/golang/gomod"
	"github.com/google/osv-scalibr/extractor/filesystem/language/java/archive"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/packagejson"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/packagelockjson"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/pnpmlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/yarnlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pipfilelock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/poetrylock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/requirements"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/uvlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/wheelegg"
	"github.com/google/osv-scalibr/extractor/filesystem/language/ruby/gemfilelock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/ruby/gemspec"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Dependencies are read by osv-scalibr's extractors, one per file format,
// each fed a file of the package from memory (never from disk: scalibr's
// ScanInput takes a reader, and the sibling-file lookups some extractors do
// see an empty file system). A plugin list, not a switch, decides what runs.
//
// Which files each extractor reads is its own FileRequired, except where
// noted on the plugin.
type depPlugin struct {
	ex filesystem.Extractor
	// want, when set, replaces the extractor's FileRequired.
	want func(p string) bool
	// binary plugins only see executables that start with the ELF magic.
	binary bool
	// archive plugins see nested archives (with a ReaderAt).
	archive bool
	// keep, when set, drops packages the plugin should not report.
	keep func(*extractor.Package) bool
}

// newPlugins builds the plugin list. The Java archive extractor reads the
// jars inside a jar itself, within cfg's depth and nested-archive limits.
func newPlugins(cfg Config) ([]*depPlugin, error) {
	none := &cpb.PluginConfig{}
	no := false
	javaCfg := &cpb.PluginConfig{PluginSpecific: []*cpb.PluginSpecificConfig{{
		Config: &cpb.PluginSpecificConfig_JavaArchive{JavaArchive: &cpb.JavaArchiveConfig{
			MaxZipDepth:    int32(max(1, cfg.MaxDepth)),
			MaxOpenedBytes: cfg.MaxNestedArchiveBytes,
			MinZipBytes:    1,
			HashJars:       &no,
		}},
	}}}
	type mk struct {
		new func(*cpb.PluginConfig) (filesystem.Extractor, error)
		cfg *cpb.PluginConfig
		p   depPlugin
	}
	list := []mk{
		// package-lock.json and npm-shrinkwrap.json, and npm's hidden
		// lockfile node_modules/.package-lock.json (what is installed).
		{packagelockjson.New, none, depPlugin{want: func(p string) bool {
			b := path.Base(p)
			if strings.HasSuffix(p, "node_modules/.package-lock.json") || p == ".package-lock.json" {
				return true
			}
			return (b == "package-lock.json" || b == "npm-shrinkwrap.json") && !strings.Contains(p, "node_modules/")
		}}},
		// Installed npm packages: node_modules/NAME/package.json only (not the
		// application's own package.json, nor fixtures inside packages).
		{packagejson.New, none, depPlugin{want: installedPackageJSON}},
		{yarnlock.New, none, depPlugin{}},
		{pnpmlock.New, none, depPlugin{}},
		{requirements.New, none, depPlugin{}},
		{poetrylock.New, none, depPlugin{}},
		{pipfilelock.New, none, depPlugin{}},
		{uvlock.New, none, depPlugin{}},
		// *.dist-info/METADATA and *.egg-info/PKG-INFO: installed Python packages.
		{wheelegg.New, none, depPlugin{want: func(p string) bool {
			return strings.HasSuffix(p, ".dist-info/METADATA") || strings.HasSuffix(p, ".egg-info/PKG-INFO")
		}}},
		// go.mod: the "go" directive is the language version, not the
		// toolchain, so its "stdlib" entry is dropped (Go build info gives the
		// real one).
		{gomod.New, none, depPlugin{keep: func(p *extractor.Package) bool { return p.Name != "stdlib" }}},
		{gobinary.New, none, depPlugin{binary: true}},
		{archive.New, javaCfg, depPlugin{archive: true}},
		{gemfilelock.New, none, depPlugin{}},
		{gemspec.New, none, depPlugin{}},
	}
	out := make([]*depPlugin, 0, len(list))
	for _, m := range list {
		ex, err := m.new(m.cfg)
		if err != nil {
			return nil, fmt.Errorf("dependency extractor: %w", err)
		}
		p := m.p
		p.ex = ex
		out = append(out, &p)
	}
	return out, nil
}

// installedPackageJSON reports whether p is the package.json of a package
// installed under node_modules (node_modules/NAME/package.json or
// node_modules/@SCOPE/NAME/package.json).
func installedPackageJSON(p string) bool {
	if path.Base(p) != "package.json" {
		return false
	}
	i := strings.LastIndex(p, "node_modules/")
	if i < 0 {
		return false
	}
	rest := strings.Split(p[i+len("node_modules/"):], "/")
	switch len(rest) {
	case 2:
		return !strings.HasPrefix(rest[0], ".")
	case 3:
		return strings.HasPrefix(rest[0], "@")
	}
	return false
}

// pluginsFor returns the plugins that read the file at p (package-relative,
// slash-separated).
func pluginsFor(plugins []*depPlugin, p string, size int64, mode fs.FileMode) []*depPlugin {
	var out []*depPlugin
	api := fileAPI{p: p, info: fileInfo{name: path.Base(p), size: size, mode: mode}}
	for _, pl := range plugins {
		var ok bool
		if pl.want != nil {
			ok = pl.want(p)
		} else {
			ok = pl.ex.FileRequired(api)
		}
		if ok {
			out = append(out, pl)
		}
	}
	return out
}

// extract runs a plugin on a file's content and returns its dependencies.
// manifest is the file's package-relative path.
func (pl *depPlugin) extract(ctx context.Context, manifest string, r io.Reader, size int64, mode fs.FileMode) (deps []inventory.Dependency, err error) {
	// An extractor is third-party code fed untrusted input: a panic in it
	// is an error about this file, not the end of the scan.
	defer func() {
		if p := recover(); p != nil {
			deps, err = nil, fmt.Errorf("%s: internal error on this file: %v", pl.ex.Name(), p)
		}
	}()
	in := &filesystem.ScanInput{
		FS:     emptyFS{},
		Path:   localName(manifest),
		Reader: r,
		Info:   fileInfo{name: path.Base(manifest), size: size, mode: mode},
	}
	inv, err := pl.ex.Extract(ctx, in)
	var out []inventory.Dependency
	for _, p := range inv.Packages {
		if p == nil || p.Name == "" || p.Version == "" || (pl.keep != nil && !pl.keep(p)) {
			continue
		}
		eco := p.Ecosystem().String()
		if eco == "" || strings.HasPrefix(p.Version, "(") {
			continue // no ecosystem, or "(devel)": a main module built from source
		}
		name := p.Name
		if eco == "Go" && name == "go" {
			name = "stdlib" // Go build info's toolchain, as OSV names it
		}
		out = append(out, inventory.Dependency{Ecosystem: eco, Name: name, Version: p.Version, Manifest: manifest})
	}
	if err != nil {
		return out, fmt.Errorf("%s: %w", pl.ex.Name(), err)
	}
	return out, nil
}

// localName is the last archive member of a nested path ("a.jar!x/y" ->
// "x/y"), which is what extractors that look at paths expect.
func localName(p string) string {
	if i := strings.LastIndexByte(p, '!'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// isELF reports whether head starts with the ELF magic (Lambda runs Linux
// binaries only).
func isELF(head []byte) bool { return bytes.HasPrefix(head, []byte("\x7fELF")) }

// dedupeDeps sorts dependencies and keeps one per ecosystem, name and
// version: the one read from the first manifest in path order.
func dedupeDeps(deps []inventory.Dependency) []inventory.Dependency {
	sort.Slice(deps, func(i, j int) bool {
		a, b := deps[i], deps[j]
		if a.Ecosystem != b.Ecosystem {
			return a.Ecosystem < b.Ecosystem
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Manifest < b.Manifest
	})
	out := deps[:0]
	for i, d := range deps {
		if i > 0 && d.Ecosystem == deps[i-1].Ecosystem && d.Name == deps[i-1].Name && d.Version == deps[i-1].Version {
			continue
		}
		out = append(out, d)
	}
	return out
}

// fileAPI and fileInfo describe a package member to scalibr's FileRequired.
type fileAPI struct {
	p    string
	info fileInfo
}

func (a fileAPI) Path() string               { return a.p }
func (a fileAPI) Stat() (fs.FileInfo, error) { return a.info, nil }

type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

// emptyFS is the file system extractors see around the file they read:
// nothing. Sibling lookups (npm-shrinkwrap.json beside package-lock.json,
// requirements files included with -r, go.sum) find nothing, so no
// extractor ever reads outside the package or from disk.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (emptyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
}

func (emptyFS) Stat(name string) (fs.FileInfo, error) {
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}
