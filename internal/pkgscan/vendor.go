package pkgscan

import (
	"bufio"
	"bytes"
	"path"
	"strings"
)

// vendorIndex knows which files of a package are third-party code. Python
// packages installed with `pip install -t` sit beside the application's own
// code (requests/, numpy/ next to handler.py), so folder names alone cannot
// tell; each installed distribution's *.dist-info/RECORD (and top_level.txt)
// lists what it installed.
type vendorIndex struct {
	// dirs are folder prefixes ("python/numpy/") and files are single files
	// ("six.py") installed by a distribution.
	dirs  map[string]bool
	files map[string]bool
}

// isPythonMetadata reports whether p is a metadata file the index reads.
func isPythonMetadata(p string) bool {
	return strings.HasSuffix(p, ".dist-info/RECORD") || strings.HasSuffix(p, ".dist-info/top_level.txt") ||
		strings.HasSuffix(p, ".egg-info/top_level.txt")
}

// add records the files a RECORD or top_level.txt at p lists.
func (v *vendorIndex) add(p string, content []byte) {
	if v.dirs == nil {
		v.dirs, v.files = map[string]bool{}, map[string]bool{}
	}
	// The site folder is the folder holding NAME.dist-info.
	site := path.Dir(path.Dir(p))
	if site == "." {
		site = ""
	} else {
		site += "/"
	}
	isRecord := strings.HasSuffix(p, "/RECORD")
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(nil, 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if isRecord {
			// path,hash,size; a path with commas is quoted.
			if strings.HasPrefix(line, `"`) {
				if end := strings.Index(line[1:], `"`); end >= 0 {
					line = line[1 : end+1]
				}
			} else if i := strings.IndexByte(line, ','); i >= 0 {
				line = line[:i]
			}
		}
		if line == "" || strings.HasPrefix(line, "..") || strings.HasPrefix(line, "/") {
			continue
		}
		first, rest, nested := strings.Cut(line, "/")
		if first == "" || first == "." || strings.HasSuffix(first, ".dist-info") || strings.HasSuffix(first, ".egg-info") {
			continue
		}
		if nested || !isRecord {
			v.dirs[site+first+"/"] = true
		}
		if !nested || rest == "" {
			v.files[site+first] = true
			// top_level.txt names modules, which may be single files.
			if !isRecord {
				v.files[site+first+".py"] = true
			}
		}
	}
}

// vendored reports whether the file at p is third-party code: under a
// package manager folder (node_modules, site-packages, vendor, ...), in
// Python package metadata, or installed by a Python distribution.
func (v *vendorIndex) vendored(p string) bool {
	rest := p
	prefixLen := 0
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			break
		}
		seg := rest[:i]
		if vendorDirs[seg] || strings.HasSuffix(seg, ".dist-info") || strings.HasSuffix(seg, ".egg-info") {
			return true
		}
		prefixLen += i + 1
		if v.dirs[p[:prefixLen]] {
			return true
		}
		rest = rest[i+1:]
	}
	return v.files[p]
}
