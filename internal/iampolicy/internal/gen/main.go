// Command gen turns the shared reference data (the IAM action catalog and the
// AWS-managed policy documents) into the compact files that package iampolicy
// embeds, plus their provenance. It is run by `go generate` in
// internal/iampolicy; building and testing never need the shared data.
//
// Usage (from internal/iampolicy):
//
//	go run ./internal/gen [-data DIR] [-out DIR]
//
// -data defaults to ../shared/data relative to the repository root (the
// directory holding go.mod); -out defaults to the current directory.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/lambdawarden/lambdawarden/internal/gendata"
	"go/format"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Output file names, relative to -out. Package iampolicy embeds them.
const (
	catalogFile    = "data/catalog.lwcat.gz"
	managedFile    = "data/managed.lwmp.gz"
	readmeFile     = "data/README.md"
	provenanceFile = "provenance_gen.go"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	dataDir := flag.String("data", "", "shared data directory (default: ../shared/data from the repository root)")
	outDir := flag.String("out", ".", "package directory to write the generated files to")
	flag.Parse()
	if *dataDir == "" {
		root, err := gendata.RepoRoot()
		if err != nil {
			log.Fatal(err)
		}
		*dataDir = filepath.Join(root, "..", "shared", "data")
	}
	files, err := generate(*dataDir)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(*outDir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %s (%d bytes)", path, len(f.data))
	}
}

// file is one generated output.
type file struct {
	name string
	data []byte
}

// generate reads the two source files under dataDir and returns the outputs.
// It is deterministic: the same input gives the same bytes.
func generate(dataDir string) ([]file, error) {
	cat, err := readCatalog(filepath.Join(dataDir, "iam-actions.json"))
	if err != nil {
		return nil, err
	}
	man, err := readManaged(filepath.Join(dataDir, "aws-managed-policies.json"))
	if err != nil {
		return nil, err
	}
	catBytes, err := gz(cat.encode())
	if err != nil {
		return nil, err
	}
	manBytes, err := gz(man.encode())
	if err != nil {
		return nil, err
	}
	prov, err := provenanceGo(cat, man)
	if err != nil {
		return nil, err
	}
	return []file{
		{catalogFile, catBytes},
		{managedFile, manBytes},
		{readmeFile, readme(cat, man, len(catBytes), len(manBytes))},
		{provenanceFile, prov},
	}, nil
}

// ---- IAM action catalog ----

type sarAction struct {
	Access    string   `json:"access"`
	Resources []string `json:"resources"`
}

type sarService struct {
	Name          string               `json:"name"`
	Actions       map[string]sarAction `json:"actions"`
	ResourceTypes map[string]string    `json:"resource_types"`
}

type sarFile struct {
	Source        string                `json:"source"`
	RetrievedFrom string                `json:"retrieved_from"`
	SnapshotDate  string                `json:"snapshot_date"`
	Licence       string                `json:"licence"`
	Services      map[string]sarService `json:"services"`
}

type catalog struct {
	sarFile
	actions int
}

var accessCodes = map[string]byte{
	"List":                   'L',
	"Read":                   'R',
	"Write":                  'W',
	"Permissions management": 'P',
	"Tagging":                'T',
}

func readCatalog(path string) (*catalog, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	var f sarFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if f.SnapshotDate == "" || len(f.Services) == 0 {
		return nil, fmt.Errorf("%s: no snapshot_date or no services", path)
	}
	c := &catalog{sarFile: f}
	for prefix, s := range f.Services {
		if err := clean(prefix, s.Name); err != nil {
			return nil, fmt.Errorf("service %q: %w", prefix, err)
		}
		if prefix != strings.ToLower(prefix) || strings.ContainsAny(prefix, ":*?") {
			return nil, fmt.Errorf("service prefix %q is not a plain lower-case prefix", prefix)
		}
		seen := map[string]string{}
		for name, a := range s.Actions {
			if err := clean(name); err != nil || strings.ContainsAny(name, ":*?,") || !isASCII(name) {
				return nil, fmt.Errorf("action %s:%q has a reserved character", prefix, name)
			}
			if other, dup := seen[strings.ToLower(name)]; dup {
				return nil, fmt.Errorf("actions %s:%s and %s:%s differ only in case", prefix, name, prefix, other)
			}
			seen[strings.ToLower(name)] = name
			if _, ok := accessCodes[a.Access]; !ok {
				return nil, fmt.Errorf("action %s:%s: unknown access level %q", prefix, name, a.Access)
			}
			for _, r := range a.Resources {
				if err := clean(r); err != nil || strings.Contains(r, ",") {
					return nil, fmt.Errorf("action %s:%s: bad resource type %q", prefix, name, r)
				}
			}
			c.actions++
		}
		for t, arn := range s.ResourceTypes {
			if err := clean(t, arn); err != nil || strings.Contains(t, ",") {
				return nil, fmt.Errorf("service %s: bad resource type %q", prefix, t)
			}
		}
	}
	return c, nil
}

// isASCII: the package compares action names with ASCII case folding.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// clean rejects strings that would break the line format.
func clean(ss ...string) error {
	for _, s := range ss {
		if strings.ContainsAny(s, "\t\n\r") {
			return fmt.Errorf("%q holds a tab or newline", s)
		}
	}
	return nil
}

// encode writes the catalog line format:
//
//	lwcat 1
//	S <TAB> prefix <TAB> service name
//	T <TAB> resource type <TAB> ARN template (empty if the reference has none)
//	A <TAB> action <TAB> access code <TAB> comma-separated resource-type indexes
//
// Services are sorted by prefix; a service's T lines come first, sorted by
// name, and A lines refer to them by index; actions are sorted by lower-case
// name. Access codes: L List, R Read, W Write, P Permissions management,
// T Tagging.
func (c *catalog) encode() []byte {
	var b bytes.Buffer
	b.WriteString("lwcat 1\n")
	for _, prefix := range sortedKeys(c.Services) {
		s := c.Services[prefix]
		fmt.Fprintf(&b, "S\t%s\t%s\n", prefix, s.Name)
		types := map[string]string{}
		for t, arn := range s.ResourceTypes {
			types[t] = arn
		}
		for _, a := range s.Actions {
			for _, r := range a.Resources {
				if _, ok := types[r]; !ok {
					// The reference names a type in an action row without
					// defining it; keep the name, with no template.
					types[r] = ""
				}
			}
		}
		names := sortedKeys(types)
		index := map[string]int{}
		for i, t := range names {
			index[t] = i
			fmt.Fprintf(&b, "T\t%s\t%s\n", t, types[t])
		}
		actions := sortedKeys(s.Actions)
		sort.SliceStable(actions, func(i, j int) bool {
			return strings.ToLower(actions[i]) < strings.ToLower(actions[j])
		})
		for _, name := range actions {
			a := s.Actions[name]
			idx := make([]string, len(a.Resources))
			for i, r := range a.Resources {
				idx[i] = fmt.Sprint(index[r])
			}
			fmt.Fprintf(&b, "A\t%s\t%c\t%s\n", name, accessCodes[a.Access], strings.Join(idx, ","))
		}
	}
	return b.Bytes()
}

// ---- AWS-managed policies ----

type managedPolicy struct {
	Path     string          `json:"path"`
	Version  string          `json:"version"`
	Updated  string          `json:"updated"`
	Document json.RawMessage `json:"document"`
}

type managedJSON struct {
	Count    int                      `json:"count"`
	Source   string                   `json:"source"`
	Policies map[string]managedPolicy `json:"policies"`
}

type managedSet struct {
	managedJSON
	newest string
}

func readManaged(path string) (*managedSet, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read managed policies: %w", err)
	}
	var f managedJSON
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if len(f.Policies) == 0 || f.Count != len(f.Policies) {
		return nil, fmt.Errorf("%s: count %d but %d policies", path, f.Count, len(f.Policies))
	}
	m := &managedSet{managedJSON: f}
	for name, p := range f.Policies {
		if err := clean(name, p.Path, p.Version, p.Updated); err != nil || strings.ContainsAny(name, "/:") {
			return nil, fmt.Errorf("policy %q: bad name, path or version", name)
		}
		if !strings.HasPrefix(p.Path, "/") || !strings.HasSuffix(p.Path, "/") {
			return nil, fmt.Errorf("policy %s: path %q must start and end with /", name, p.Path)
		}
		if p.Updated > m.newest {
			m.newest = p.Updated
		}
	}
	return m, nil
}

// encode writes the managed-policy line format:
//
//	lwmp 1
//	name <TAB> path <TAB> version <TAB> updated <TAB> compact JSON document
//
// sorted by name. Compact JSON never holds a raw tab or newline.
func (m *managedSet) encode() []byte {
	var b bytes.Buffer
	b.WriteString("lwmp 1\n")
	for _, name := range sortedKeys(m.Policies) {
		p := m.Policies[name]
		var doc bytes.Buffer
		if err := json.Compact(&doc, p.Document); err != nil {
			log.Fatalf("policy %s: %v", name, err) // cannot happen: decoded above
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\n", name, p.Path, p.Version, p.Updated, doc.Bytes())
	}
	return b.Bytes()
}

// ---- provenance ----

func provenanceGo(c *catalog, m *managedSet) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./internal/gen; DO NOT EDIT.\n\npackage iampolicy\n\n")
	b.WriteString("// Provenance of the embedded data (see data/README.md).\n")
	b.WriteString("var dataProvenance = [...]DataProvenance{\n")
	fmt.Fprintf(&b, "\t{\n\t\tName: %q,\n\t\tSource: %q,\n\t\tSnapshot: %q,\n\t\tLicence: %q,\n\t\tCount: %d,\n\t},\n",
		"iam-actions", c.Source+"; "+c.RetrievedFrom, c.SnapshotDate, c.Licence, c.actions)
	fmt.Fprintf(&b, "\t{\n\t\tName: %q,\n\t\tSource: %q,\n\t\tSnapshot: %q,\n\t\tLicence: %q,\n\t\tCount: %d,\n\t},\n",
		"aws-managed-policies", m.Source, dateOf(m.newest), managedLicence, len(m.Policies))
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format provenance: %w", err)
	}
	return out, nil
}

const managedLicence = "Policy documents published by AWS; snapshot as shipped in moto (Apache-2.0)"

func dateOf(ts string) string {
	if i := strings.IndexByte(ts, 'T'); i > 0 {
		return ts[:i]
	}
	return ts
}

func readme(c *catalog, m *managedSet, catSize, manSize int) []byte {
	var b bytes.Buffer
	b.WriteString("<!-- Code generated by go run ./internal/gen; DO NOT EDIT. -->\n")
	b.WriteString("# Embedded reference data\n\n")
	b.WriteString("Generated by `go generate ./internal/iampolicy` from `../shared/data` and committed, so that\n")
	b.WriteString("building and testing never need the shared data. Do not edit these files; regenerate them.\n\n")
	fmt.Fprintf(&b, "## %s (%d bytes)\n\n", catalogFile[len("data/"):], catSize)
	fmt.Fprintf(&b, "IAM action catalog: %d services, %d actions.\n\n", len(c.Services), c.actions)
	fmt.Fprintf(&b, "- Source: %s\n- Retrieved from: %s\n- Snapshot date: %s\n- Licence: %s\n\n",
		c.Source, c.RetrievedFrom, c.SnapshotDate, c.Licence)
	b.WriteString("Format (gzip of tab-separated lines, after the header line `lwcat 1`): `S prefix name` starts a\n")
	b.WriteString("service; `T type arn-template` lists its resource types (index = order); `A action access\n")
	b.WriteString("type-indexes` lists its actions, access being L(ist), R(ead), W(rite), P(ermissions management)\n")
	b.WriteString("or T(agging). Kept: access level and resource types, the facts the checks use; left out:\n")
	b.WriteString("condition keys, dependent actions, required resources.\n\n")
	fmt.Fprintf(&b, "## %s (%d bytes)\n\n", managedFile[len("data/"):], manSize)
	fmt.Fprintf(&b, "Documents of %d AWS-managed IAM policies.\n\n", len(m.Policies))
	fmt.Fprintf(&b, "- Source: %s\n- Newest policy update: %s\n- Licence: %s\n\n", m.Source, m.newest, managedLicence)
	b.WriteString("Format (gzip of lines, after the header line `lwmp 1`): `name path version updated document`,\n")
	b.WriteString("tab-separated, sorted by name; the document is compact JSON. ARN = `arn:aws:iam::aws:policy` +\n")
	b.WriteString("path + name.\n")
	return b.Bytes()
}

// ---- helpers ----

func gz(data []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	return b.Bytes(), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
