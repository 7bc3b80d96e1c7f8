package evidence

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Problem kinds of a verification.
const (
	// Modified: the file's SHA-256 or size differs from the manifest.
	Modified = "modified"
	// Missing: the manifest lists the file, the pack does not hold it.
	Missing = "missing"
	// Extra: the pack holds a file the manifest does not list.
	Extra = "extra"
	// Duplicate: a zip holds the same path twice.
	Duplicate = "duplicate"
	// Unsafe: a path is absolute, leaves the pack or is not a regular file.
	Unsafe = "unsafe"
)

// Problem is one file that fails verification.
type Problem struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	// Want and Got are the SHA-256 from the manifest and of the file, for
	// modified files.
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
}

func (p Problem) String() string {
	if p.Kind == Modified {
		return fmt.Sprintf("%s: %s (manifest sha256 %s, file sha256 %s)", p.Path, p.Kind, p.Want, p.Got)
	}
	return p.Path + ": " + p.Kind
}

// Report is the outcome of Verify.
type Report struct {
	// Path is the pack verified.
	Path string `json:"path"`
	// Checked is the number of files the manifest lists.
	Checked int `json:"checked"`
	// ManifestSHA256 is the SHA-256 of manifest.json, to compare with the
	// digest recorded when the pack was made.
	ManifestSHA256 string `json:"manifest_sha256"`
	// Problems are sorted by path; none means the pack verifies.
	Problems []Problem `json:"problems"`
}

// OK reports whether every file matches the manifest.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// packFile is a file of a pack being verified.
type packFile struct {
	open func() (io.ReadCloser, error)
	bad  string // a problem kind found without reading it
}

// Verify re-checks a pack (a folder or a zip) against its manifest: every file
// it lists must exist with the recorded SHA-256 and size, and no other file
// may be present. Tampering gives a Report with Problems and a nil error; an
// error means the pack or its manifest could not be read at all.
func Verify(ctx context.Context, path string) (Report, error) {
	rep := Report{Path: path, Problems: []Problem{}}
	st, err := os.Stat(path)
	if err != nil {
		return rep, fmt.Errorf("evidence: %w", err)
	}
	var files map[string]*packFile
	var closer io.Closer
	if st.IsDir() {
		files, err = dirFiles(path, &rep)
	} else {
		var zr *zip.ReadCloser
		zr, err = zip.OpenReader(path)
		if err != nil {
			return rep, fmt.Errorf("evidence: open %s: %w", path, err)
		}
		closer = zr
		files = zipFiles(&zr.Reader, &rep)
	}
	if closer != nil {
		defer closer.Close()
	}
	if err != nil {
		return rep, err
	}
	mf := files[ManifestName]
	if mf == nil || mf.bad != "" {
		return rep, fmt.Errorf("evidence: %s has no %s", path, ManifestName)
	}
	mb, err := readAll(mf)
	if err != nil {
		return rep, fmt.Errorf("evidence: read %s: %w", ManifestName, err)
	}
	rep.ManifestSHA256 = sha(mb)
	var m Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		return rep, fmt.Errorf("evidence: %s: %w", ManifestName, err)
	}
	listed := map[string]bool{ManifestName: true}
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Checked++
		if !safePath(f.Path) || f.Path == ManifestName {
			rep.Problems = append(rep.Problems, Problem{Path: f.Path, Kind: Unsafe})
			continue
		}
		listed[f.Path] = true
		pf := files[f.Path]
		switch {
		case pf == nil:
			rep.Problems = append(rep.Problems, Problem{Path: f.Path, Kind: Missing})
			continue
		case pf.bad != "":
			continue // reported when listing the pack
		}
		got, size, err := hashFile(pf)
		if err != nil {
			// A damaged zip entry (bad checksum) or an unreadable file.
			rep.Problems = append(rep.Problems, Problem{Path: f.Path, Kind: Modified, Want: f.SHA256, Got: "unreadable: " + err.Error()})
			continue
		}
		if got != strings.ToLower(f.SHA256) || size != f.Size {
			rep.Problems = append(rep.Problems, Problem{Path: f.Path, Kind: Modified, Want: f.SHA256, Got: got})
		}
	}
	for p, pf := range files {
		if !listed[p] && pf.bad == "" {
			rep.Problems = append(rep.Problems, Problem{Path: p, Kind: Extra})
		}
	}
	sort.Slice(rep.Problems, func(i, j int) bool {
		if rep.Problems[i].Path != rep.Problems[j].Path {
			return rep.Problems[i].Path < rep.Problems[j].Path
		}
		return rep.Problems[i].Kind < rep.Problems[j].Kind
	})
	return rep, nil
}

func dirFiles(root string, rep *Report) (map[string]*packFile, error) {
	files := map[string]*packFile{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root || d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !d.Type().IsRegular() {
			files[rel] = &packFile{bad: Unsafe}
			rep.Problems = append(rep.Problems, Problem{Path: rel, Kind: Unsafe})
			return nil
		}
		full := p
		files[rel] = &packFile{open: func() (io.ReadCloser, error) { return os.Open(full) }}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	return files, nil
}

func zipFiles(zr *zip.Reader, rep *Report) map[string]*packFile {
	files := map[string]*packFile{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") && f.UncompressedSize64 == 0 {
			continue // a directory entry
		}
		switch {
		case !safePath(f.Name) || !f.Mode().IsRegular():
			files[f.Name] = &packFile{bad: Unsafe}
			rep.Problems = append(rep.Problems, Problem{Path: f.Name, Kind: Unsafe})
		case files[f.Name] != nil:
			if files[f.Name].bad != Duplicate {
				rep.Problems = append(rep.Problems, Problem{Path: f.Name, Kind: Duplicate})
			}
			files[f.Name] = &packFile{bad: Duplicate}
		default:
			zf := f
			files[f.Name] = &packFile{open: zf.Open}
		}
	}
	return files
}

func readAll(pf *packFile) ([]byte, error) {
	rc, err := pf.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 64<<20))
}

func hashFile(pf *packFile) (string, int64, error) {
	rc, err := pf.open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
