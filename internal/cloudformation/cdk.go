package cloudformation

import (
	"encoding/json"
	"path"
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/intrinsics"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// cdkInfo is what a cdk.out folder says about one of its templates.
type cdkInfo struct {
	// dir is the tree-relative cdk.out folder.
	dir string
	// tags are the stack tags from manifest.json.
	tags map[string]string
	// assets maps an asset's S3 object key and hash to its local folder or
	// file, relative to dir.
	assets map[string]string
}

type cdkManifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile string            `json:"templateFile"`
			Tags         map[string]string `json:"tags"`
			File         string            `json:"file"`
		} `json:"properties"`
	} `json:"artifacts"`
}

type cdkAssets struct {
	Files map[string]struct {
		Source struct {
			Path      string `json:"path"`
			Packaging string `json:"packaging"`
		} `json:"source"`
		Destinations map[string]struct {
			ObjectKey string `json:"objectKey"`
		} `json:"destinations"`
	} `json:"files"`
}

// maxCDKManifest bounds the CDK manifest files read.
const maxCDKManifest = 16 << 20

// cdkFor returns the CDK information of a template in a cdk.out folder, or
// nil for other templates.
func (l *loader) cdkFor(rel string) *cdkInfo {
	dir := path.Dir(rel)
	if !isCDKDir(dir) {
		return nil
	}
	info := &cdkInfo{dir: dir, tags: map[string]string{}, assets: map[string]string{}}
	var m cdkManifest
	if data, err := readFileLimited(l.diskPath(path.Join(dir, "manifest.json")), maxCDKManifest); err == nil {
		if err := json.Unmarshal(data, &m); err != nil {
			l.errorf(l.displayLocal(path.Join(dir, "manifest.json")), 0, "CDK manifest: %v", err)
		}
	}
	assetFiles := map[string]bool{}
	names := make([]string, 0, len(m.Artifacts))
	for name := range m.Artifacts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := m.Artifacts[name]
		switch a.Type {
		case "aws:cloudformation:stack":
			if a.Properties.TemplateFile == path.Base(rel) {
				for k, v := range a.Properties.Tags {
					info.tags[k] = v
				}
			}
		case "cdk:asset-manifest":
			if a.Properties.File != "" {
				assetFiles[a.Properties.File] = true
			}
		}
	}
	// Asset manifests are named after the stack; read the one beside the
	// template even when manifest.json does not list it.
	assetFiles[strings.TrimSuffix(path.Base(rel), ".template.json")+".assets.json"] = true
	files := make([]string, 0, len(assetFiles))
	for f := range assetFiles {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := readFileLimited(l.diskPath(path.Join(dir, f)), maxCDKManifest)
		if err != nil {
			continue
		}
		var am cdkAssets
		if err := json.Unmarshal(data, &am); err != nil {
			l.errorf(l.displayLocal(path.Join(dir, f)), 0, "CDK asset manifest: %v", err)
			continue
		}
		for hash, fa := range am.Files {
			if fa.Source.Path == "" {
				continue
			}
			info.assets[hash] = fa.Source.Path
			for _, d := range fa.Destinations {
				if d.ObjectKey != "" {
					info.assets[d.ObjectKey] = fa.Source.Path
				}
			}
		}
	}
	return info
}

// assetPath returns the display path of a CDK asset named by a resource's
// aws:asset:path metadata or its S3 object key.
func (st *stack) assetPath(metadataPath, objectKey string) (string, bool) {
	if st.cdk == nil {
		return "", false
	}
	p := metadataPath
	if p == "" {
		p = st.cdk.assets[objectKey]
	}
	if p == "" || !isLocalPath(p) {
		return "", false
	}
	rel := path.Clean(path.Join(st.cdk.dir, p))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return st.l.displayLocal(rel), true
}

// samConfig reads samconfig.toml beside a SAM template: the deploy
// parameter_overrides (as given parameter values, literals of the scanned
// code) and the stack tags.
func samConfig(t *scan.Tree, input string) (map[string]*intrinsics.Value, map[string]string) {
	rel := path.Join(path.Dir(input), "samconfig.toml")
	data, err := readFileLimited(diskPath(t, rel), 1<<20)
	if err != nil {
		return nil, nil
	}
	file := displayLocal(t, rel)
	params := map[string]*intrinsics.Value{}
	tags := map[string]string{}
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[] ")
			continue
		}
		if section != "default.deploy.parameters" && section != "default.global.parameters" {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key = strings.TrimSpace(key)
		if key != "parameter_overrides" && key != "tags" {
			continue
		}
		loc := srcloc.Location{File: file, Line: i + 1, Column: 1}
		for _, kv := range samPairs(tomlValue(strings.TrimSpace(val))) {
			k, v, _ := strings.Cut(kv, "=")
			if key == "tags" {
				tags[k] = v
			} else {
				params[k] = &intrinsics.Value{Kind: intrinsics.String, Str: v, Loc: loc}
			}
		}
	}
	return params, tags
}

// tomlValue decodes a TOML basic string or an array of them into the
// space-separated text SAM reads.
func tomlValue(s string) string {
	if strings.HasPrefix(s, "[") {
		var parts []string
		for _, p := range strings.Split(strings.Trim(s, "[]"), ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, tomlValue(p))
			}
		}
		return strings.Join(parts, " ")
	}
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		inner := s[1 : len(s)-1]
		if s[0] == '"' {
			inner = strings.ReplaceAll(inner, `\"`, `"`)
			inner = strings.ReplaceAll(inner, `\\`, `\`)
		}
		return inner
	}
	return s
}

// samPairs splits `K=V K2="v 2"` into K=V items, unquoting values.
func samPairs(s string) []string {
	var out []string
	var cur strings.Builder
	quote := byte(0)
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && (c == ' ' || c == '\t'):
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	var kv []string
	for _, p := range out {
		if strings.Contains(p, "=") {
			kv = append(kv, p)
		}
	}
	return kv
}
