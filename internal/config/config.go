// Package config reads the `.lambdawarden.yaml` file: the scan's defaults
// (every flag of `scan` has a key), the check settings, severity overrides
// and waivers. Unknown keys are errors that name the key and its line, so a
// typo never silently weakens a scan.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/waiver"
)

// FileName is the config file's name, looked for in the first PATH or the
// working directory.
const FileName = ".lambdawarden.yaml"

// Config is the content of a config file. Fields left out of the file keep
// their zero value (Settings: the catalog defaults).
type Config struct {
	// FailOn is a severity or "none" (empty: not set).
	FailOn string `yaml:"fail_on"`
	// FailOnUnknown also fails the scan on an UNKNOWN at or above FailOn
	// (like --fail-on-unknown).
	FailOnUnknown bool `yaml:"fail_on_unknown"`
	// MinSeverity is a severity (empty: not set).
	MinSeverity string `yaml:"min_severity"`
	// Format are FORMAT or FORMAT=FILE entries, like --format.
	Format StringList `yaml:"format"`
	Output string     `yaml:"output"`

	All        bool `yaml:"all"`
	Quiet      bool `yaml:"quiet"`
	NoColor    bool `yaml:"no_color"`
	NoProgress bool `yaml:"no_progress"`
	Timestamps bool `yaml:"timestamps"`

	Checks            Checks            `yaml:"checks"`
	SeverityOverrides map[string]string `yaml:"severity_overrides"`
	Settings          checks.Settings   `yaml:"settings"`
	Waivers           []Waiver          `yaml:"waivers"`

	// Source inputs, like --var-file, --var, --cfn-param and --stage.
	VarFiles  StringList        `yaml:"var_files"`
	Vars      map[string]string `yaml:"vars"`
	CFNParams map[string]string `yaml:"cfn_params"`
	Stage     string            `yaml:"stage"`
	// VulnDB is a local OSV database folder, like --vuln-db.
	VulnDB string `yaml:"vuln_db"`

	// Path is the file the config was read from ("" for none).
	Path string `yaml:"-"`
	// set records which top-level keys the file sets.
	set map[string]bool
}

// Checks chooses checks by ID or glob.
type Checks struct {
	// Only keeps just these checks (like --checks).
	Only StringList `yaml:"only"`
	// Skip drops these checks (like --skip-checks).
	Skip StringList `yaml:"skip"`
	// Enable turns on checks that are off by default (LW-IAM-12).
	Enable StringList `yaml:"enable"`
}

// Waiver is one entry of `waivers:`.
type Waiver struct {
	Check    string `yaml:"check"`
	Resource string `yaml:"resource"`
	Reason   string `yaml:"reason"`
	Expires  string `yaml:"expires"`
	// Line is where the entry starts in the file.
	Line int `yaml:"-"`
}

// StringList is a YAML list of strings that may also be written as a
// single string.
type StringList []string

// UnmarshalYAML accepts a string or a list of strings.
func (l *StringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" {
			*l = nil
			return nil
		}
		*l = StringList{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

// Default returns an empty config: catalog default settings, nothing set.
func Default() *Config {
	return &Config{Settings: checks.DefaultSettings(), set: map[string]bool{}}
}

// IsSet reports whether the file sets a top-level key (for example
// "fail_on"), so that flags given on the command line can win and the
// file's values apply otherwise.
func (c *Config) IsSet(key string) bool { return c.set[key] }

// Locate returns the config file to read when --config is not given:
// FileName in the first PATH when that is a folder, else in the working
// directory; "" when there is none.
func Locate(paths []string) string {
	dir := "."
	if len(paths) > 0 {
		if fi, err := os.Stat(paths[0]); err == nil && fi.IsDir() {
			dir = paths[0]
		}
	}
	p := filepath.Join(dir, FileName)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
		return p
	}
	return ""
}

// Load reads a config file. Relative paths in it (output, var_files,
// vuln_db, format files) are taken as relative to the file's folder.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if c.Output != "" && !filepath.IsAbs(c.Output) {
		c.Output = filepath.Join(dir, c.Output)
	}
	if c.VulnDB != "" && !filepath.IsAbs(c.VulnDB) {
		c.VulnDB = filepath.Join(dir, c.VulnDB)
	}
	for i, f := range c.VarFiles {
		if !filepath.IsAbs(f) {
			c.VarFiles[i] = filepath.Join(dir, f)
		}
	}
	for i, f := range c.Format {
		if name, file, ok := strings.Cut(f, "="); ok && file != "" && !filepath.IsAbs(file) {
			c.Format[i] = name + "=" + filepath.Join(dir, file)
		}
	}
	return c, nil
}

// Parse parses and validates a config file's content; name is used in
// error messages ("name:line: ...").
func Parse(name string, data []byte) (*Config, error) {
	c := Default()
	c.Path = name
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return c, nil
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return c, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the config must be a mapping of keys (fail_on, checks, settings, waivers, ...)", name, root.Line)
	}
	if err := checkKeys(name, root, reflect.TypeOf(Config{}), ""); err != nil {
		return nil, err
	}
	if err := root.Decode(c); err != nil {
		return nil, fmt.Errorf("%s: %v", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key := root.Content[i].Value
		c.set[key] = true
		if key == "waivers" && root.Content[i+1].Kind == yaml.SequenceNode {
			for j, item := range root.Content[i+1].Content {
				if j < len(c.Waivers) {
					c.Waivers[j].Line = item.Line
				}
			}
		}
	}
	if err := c.validate(name, root); err != nil {
		return nil, err
	}
	return c, nil
}

// checkKeys walks a YAML mapping against the struct type t and returns an
// error naming the first key that t does not have, with its line.
func checkKeys(name string, n *yaml.Node, t reflect.Type, where string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // the decoder reports the type mismatch
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				return fmt.Errorf("%s:%d:%d: unknown key %q%s (known keys: %s)", name, k.Line, k.Column, k.Value, inWhere(where), strings.Join(sortedNames(fields), ", "))
			}
			if err := checkKeys(name, v, f.Type, join(where, k.Value)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := checkKeys(name, n.Content[i+1], t.Elem(), join(where, n.Content[i].Value)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return nil
		}
		for i, item := range n.Content {
			if err := checkKeys(name, item, t.Elem(), fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func inWhere(where string) string {
	if where == "" {
		return ""
	}
	return " in " + where
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

// yamlFields maps the YAML keys of a struct type to its fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag == "-" {
			continue
		}
		if tag == "" {
			tag = strings.ToLower(f.Name)
		}
		out[tag] = f
	}
	return out
}

func sortedNames(m map[string]reflect.StructField) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validate checks the values: severities, waivers and dates.
func (c *Config) validate(name string, root *yaml.Node) error {
	line := func(path ...string) int {
		n := root
		for _, key := range path {
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					n, found = n.Content[i+1], true
					break
				}
			}
			if !found {
				break
			}
		}
		return n.Line
	}
	if c.FailOn != "" && !strings.EqualFold(c.FailOn, "none") {
		if _, err := result.ParseSeverity(c.FailOn); err != nil {
			return fmt.Errorf("%s:%d: fail_on: %v (or none)", name, line("fail_on"), err)
		}
	}
	if c.MinSeverity != "" {
		if _, err := result.ParseSeverity(c.MinSeverity); err != nil {
			return fmt.Errorf("%s:%d: min_severity: %v", name, line("min_severity"), err)
		}
	}
	for _, id := range sortedKeys(c.SeverityOverrides) {
		if _, err := result.ParseSeverity(c.SeverityOverrides[id]); err != nil {
			return fmt.Errorf("%s:%d: severity_overrides.%s: %v", name, line("severity_overrides", id), id, err)
		}
	}
	for i, w := range c.Waivers {
		where := fmt.Sprintf("%s:%d: waivers[%d]", name, w.Line, i)
		switch {
		case strings.TrimSpace(w.Check) == "":
			return fmt.Errorf("%s: check is required (a check ID or glob such as LW-INV-07)", where)
		case strings.TrimSpace(w.Resource) == "":
			return fmt.Errorf("%s: resource is required (a resource ID or name, or a glob; \"*\" waives the check everywhere)", where)
		case strings.TrimSpace(w.Reason) == "":
			return fmt.Errorf("%s: reason is required: auditors need the justification for every waiver", where)
		}
		if w.Expires != "" {
			if _, err := waiver.ParseDate(w.Expires); err != nil {
				return fmt.Errorf("%s: %v", where, err)
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ParsedSeverityOverrides returns the parsed overrides, keyed by upper-case check ID.
func (c *Config) ParsedSeverityOverrides() map[string]result.Severity {
	out := map[string]result.Severity{}
	for id, s := range c.SeverityOverrides {
		if sev, err := result.ParseSeverity(s); err == nil {
			out[strings.ToUpper(id)] = sev
		}
	}
	return out
}

// WaiverRules returns the waivers as rules for the waiver package. Each
// rule's Source is FILE:LINE of its entry in the config file (the file as
// DisplayPath shows it), as results show inline waivers.
func (c *Config) WaiverRules() []waiver.Rule {
	out := make([]waiver.Rule, 0, len(c.Waivers))
	file := DisplayPath(c.Path)
	for _, w := range c.Waivers {
		src := "config"
		if file != "" {
			src = fmt.Sprintf("%s:%d", file, w.Line)
		}
		out = append(out, waiver.Rule{Check: w.Check, Resource: w.Resource, Reason: w.Reason, Expires: w.Expires, Source: src, Line: w.Line})
	}
	return out
}

// CheckWaivers returns an error naming the file and line of the first
// waiver whose check ID or glob matches none of catalog (the IDs of every
// check), with the closest ID as a suggestion.
func (c *Config) CheckWaivers(catalog []string) error {
	for i, w := range c.Waivers {
		if err := waiver.CheckPattern(w.Check, catalog); err != nil {
			return fmt.Errorf("%s:%d: waivers[%d]: %v", c.Path, w.Line, i, err)
		}
	}
	return nil
}

// DisplayPath is how reports name a config file: the path as given,
// cleaned and slash-separated; an absolute path relative to the working
// directory when it lies under it, else its base name (reports never hold
// absolute paths).
func DisplayPath(path string) string {
	if path == "" {
		return ""
	}
	if filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return filepath.ToSlash(rel)
			}
		}
		return filepath.Base(path)
	}
	return filepath.ToSlash(filepath.Clean(path))
}
