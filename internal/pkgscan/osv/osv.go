// Package osv is a local OSV vulnerability database (`--vuln-db DIR`): OSV
// JSON records at any depth under a folder, and the per-ecosystem all.zip
// exports that osv.dev publishes (https://osv-vulnerabilities.storage.googleapis.com/ECOSYSTEM/all.zip).
// It matches dependencies with each ecosystem's own version rules
// (osv-scalibr's semantic package: npm and Go semver, PyPI PEP 440, Maven,
// RubyGems, ...), evaluating SEMVER and ECOSYSTEM ranges (introduced, fixed,
// last_affected, limit) and explicit version lists, and rates each advisory
// from its database_specific severity or its CVSS v3/v2 vector.
//
// A DB implements checks.VulnDB. It reads the folder lazily, on the first
// lookup, keeping only the records of the packages asked about, and is safe
// for concurrent use.
package osv

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// MaxRecordBytes is the largest OSV record read; larger files are skipped
// as problems (real records are a few KB).
const MaxRecordBytes = 16 << 20

// DB is a local OSV database.
type DB struct {
	dir string

	mu       sync.Mutex
	loaded   map[pkgKey]bool // packages whose records were looked for
	index    map[pkgKey][]*entry
	records  int
	problems []string
}

// pkgKey is an ecosystem and a normalized package name.
type pkgKey struct{ eco, name string }

// Open returns the database in dir. It checks that dir is a readable folder;
// records are read on the first lookup.
func Open(dir string) (*DB, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("vulnerability database: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("vulnerability database %s: not a folder", dir)
	}
	return &DB{dir: dir, loaded: map[pkgKey]bool{}, index: map[pkgKey][]*entry{}}, nil
}

// Problems returns the records that could not be read (malformed JSON, too
// large), each naming its file; they are skipped.
func (db *DB) Problems() []string {
	db.mu.Lock()
	defer db.mu.Unlock()
	return append([]string(nil), db.problems...)
}

// Vulnerabilities implements checks.VulnDB: the advisories affecting each
// dependency, sorted by ID.
func (db *DB) Vulnerabilities(deps []inventory.Dependency) ([][]checks.Advisory, error) {
	keys := make([]pkgKey, len(deps))
	want := map[pkgKey]bool{}
	for i, d := range deps {
		keys[i] = keyOf(d.Ecosystem, d.Name)
		want[keys[i]] = true
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	for k := range want {
		if db.loaded[k] {
			delete(want, k)
		}
	}
	if len(want) > 0 {
		if err := db.load(want); err != nil {
			return nil, err
		}
		for k := range want {
			db.loaded[k] = true
		}
	}
	out := make([][]checks.Advisory, len(deps))
	for i, d := range deps {
		out[i] = match(db.index[keys[i]], d.Ecosystem, d.Version)
	}
	return out, nil
}

// keyOf normalizes a package name the way its ecosystem compares names.
func keyOf(eco, name string) pkgKey {
	eco, _, _ = strings.Cut(eco, ":")
	switch eco {
	case "PyPI":
		// PEP 503: case-insensitive, runs of -, _ and . are equal.
		name = pypiSep.ReplaceAllString(strings.ToLower(name), "-")
	case "Maven":
		name = strings.ToLower(name)
	}
	return pkgKey{eco, name}
}

var pypiSep = regexp.MustCompile(`[-_.]+`)

// unit is one record to read: a file, or an entry of an all.zip.
type unit struct {
	file  string
	zip   *zip.File
	label string
}

// load reads every record under the folder and indexes those that affect
// a wanted package. It is called with db.mu held.
func (db *DB) load(want map[pkgKey]bool) error {
	var units []unit
	var zips []*zip.ReadCloser
	defer func() {
		for _, z := range zips {
			z.Close()
		}
	}()
	err := filepath.WalkDir(db.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == db.dir {
				return err
			}
			db.problems = append(db.problems, fmt.Sprintf("%s: %v", p, err))
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".json":
			units = append(units, unit{file: p, label: p})
		case ".zip":
			z, err := zip.OpenReader(p)
			if err != nil {
				db.problems = append(db.problems, fmt.Sprintf("%s: %v", p, err))
				return nil
			}
			zips = append(zips, z)
			for _, f := range z.File {
				if strings.HasSuffix(strings.ToLower(f.Name), ".json") {
					units = append(units, unit{zip: f, label: p + "!" + f.Name})
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read vulnerability database %s: %w", db.dir, err)
	}
	if len(units) == 0 {
		return fmt.Errorf("vulnerability database %s holds no OSV records (*.json or all.zip)", db.dir)
	}

	// Decode on a pool; each unit's entries land in its own slot.
	found := make([][]*entry, len(units))
	probs := make([]string, len(units))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(units)) {
		wg.Go(func() {
			var buf bytes.Buffer
			for {
				i := int(next.Add(1) - 1)
				if i >= len(units) {
					return
				}
				es, err := readUnit(units[i], &buf, want)
				if err != nil {
					probs[i] = fmt.Sprintf("%s: %v", units[i].label, err)
				}
				found[i] = es
			}
		})
	}
	wg.Wait()
	for i := range units {
		if probs[i] != "" {
			db.problems = append(db.problems, probs[i])
		}
		for _, e := range found[i] {
			k := keyOf(e.eco, e.name)
			db.index[k] = append(db.index[k], e)
		}
	}
	db.records += len(units)
	for k, es := range db.index {
		if want[k] {
			sort.SliceStable(es, func(i, j int) bool { return es[i].adv.id < es[j].adv.id })
		}
	}
	return nil
}

// readUnit reads one record and returns its entries for wanted packages.
func readUnit(u unit, buf *bytes.Buffer, want map[pkgKey]bool) ([]*entry, error) {
	buf.Reset()
	var r io.ReadCloser
	var err error
	if u.zip != nil {
		r, err = u.zip.Open()
	} else {
		r, err = os.Open(u.file)
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	n, err := buf.ReadFrom(io.LimitReader(r, MaxRecordBytes+1))
	if err != nil {
		return nil, err
	}
	if n > MaxRecordBytes {
		return nil, fmt.Errorf("record larger than %d bytes", MaxRecordBytes)
	}
	b := buf.Bytes()
	// Most records are about other packages: a first pass decodes only the
	// package names.
	var names struct {
		Affected []struct {
			Package struct{ Ecosystem, Name string }
		}
	}
	if err := json.Unmarshal(b, &names); err != nil {
		return nil, fmt.Errorf("not an OSV record: %w", err)
	}
	wanted := false
	for _, a := range names.Affected {
		if want[keyOf(a.Package.Ecosystem, a.Package.Name)] {
			wanted = true
			break
		}
	}
	if !wanted {
		return nil, nil
	}
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("not an OSV record: %w", err)
	}
	if rec.ID == "" {
		return nil, errors.New("not an OSV record: no id")
	}
	return rec.entries(want), nil
}
