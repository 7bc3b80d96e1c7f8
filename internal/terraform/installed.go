package terraform

import (
	"encoding/json"
	"path/filepath"
	"strings"
)

// modulesManifest is .terraform/modules/modules.json, which terraform init
// writes: where each module call's source was installed.
type modulesManifest struct {
	Modules []struct {
		Key    string `json:"Key"`
		Source string `json:"Source"`
		Dir    string `json:"Dir"`
	} `json:"Modules"`
}

// installedModule returns the directory where terraform init installed the
// module that call (in m) names, or "" when the root module has no
// manifest, or the manifest does not list the call, or lists a directory
// outside the root module.
func (l *loader) installedModule(m *modInst, call *moduleCall) string {
	// The manifest keys a call by the names of the calls leading to it.
	names := []string{call.name}
	for p := m; p != nil && p.call != nil && p.callScope != nil; p = p.callScope.m {
		names = append([]string{p.call.name}, names...)
	}
	key := strings.Join(names, ".")
	b, err := readFile(filepath.Join(l.rootDir, ".terraform", "modules", "modules.json"))
	if err != nil {
		return ""
	}
	var mf modulesManifest
	if err := json.Unmarshal(b, &mf); err != nil {
		return ""
	}
	for _, e := range mf.Modules {
		if e.Key != key || e.Dir == "" {
			continue
		}
		dir := filepath.Clean(filepath.Join(l.rootDir, filepath.FromSlash(e.Dir)))
		rel, err := filepath.Rel(l.rootDir, dir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(e.Dir) {
			return ""
		}
		return dir
	}
	return ""
}
