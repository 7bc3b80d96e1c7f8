package iampolicy

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed data/managed.lwmp.gz
var managedGz []byte

// ManagedPolicyARNPrefix starts the ARN of every AWS-managed policy in the
// aws partition; the path and name follow.
const ManagedPolicyARNPrefix = "arn:aws:iam::aws:policy"

// managedEntry is one line of the embedded snapshot; the document is parsed
// on lookup, so the first load only indexes.
type managedEntry struct {
	name, path, version, updated string
	doc                          string
	// parsed parses doc once, on first use: lookups are on the hot path of
	// every check run, and a large policy takes milliseconds to parse.
	parsed func() (*Policy, error)
}

type managedIndex struct {
	entries []managedEntry // sorted by name
	byLower map[string]int // lower-case name -> index
}

var managedPolicies = sync.OnceValue(func() *managedIndex {
	idx, err := decodeManaged(managedGz)
	if err != nil {
		panic(fmt.Sprintf("iampolicy: embedded managed policies: %v", err))
	}
	return idx
})

func decodeManaged(gz []byte) (*managedIndex, error) {
	text, err := gunzip(gz)
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	header, rest, _ := strings.Cut(text, "\n")
	if header != "lwmp 1" {
		return nil, fmt.Errorf("unknown header %q", header)
	}
	n := strings.Count(rest, "\n")
	idx := &managedIndex{entries: make([]managedEntry, 0, n), byLower: make(map[string]int, n)}
	for lineNo := 2; rest != ""; lineNo++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		f := strings.SplitN(line, "\t", 5)
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: want 5 fields, got %d", lineNo, len(f))
		}
		idx.byLower[strings.ToLower(f[0])] = len(idx.entries)
		doc := f[4]
		idx.entries = append(idx.entries, managedEntry{name: f[0], path: f[1], version: f[2], updated: f[3], doc: doc,
			parsed: sync.OnceValues(func() (*Policy, error) { return Parse([]byte(doc)) })})
	}
	if !sort.SliceIsSorted(idx.entries, func(i, j int) bool { return idx.entries[i].name < idx.entries[j].name }) {
		return nil, fmt.Errorf("entries are not sorted")
	}
	return idx, nil
}

// find looks a name up exactly, then case-insensitively.
func (m *managedIndex) find(name string) (*managedEntry, bool) {
	i := sort.Search(len(m.entries), func(i int) bool { return m.entries[i].name >= name })
	if i < len(m.entries) && m.entries[i].name == name {
		return &m.entries[i], true
	}
	if j, ok := m.byLower[strings.ToLower(name)]; ok {
		return &m.entries[j], true
	}
	return nil, false
}

// AWSManaged looks up an AWS-managed policy by name or ARN (any partition,
// any path). ok is false for a policy not in the snapshot.
//
// The policy is found by its name; a path in the ARN is not compared (so a
// mistyped path still finds the policy). Each call returns a fresh copy that
// the caller may modify; the document is parsed once and cloned.
func AWSManaged(nameOrARN string) (p *ManagedPolicy, ok bool) {
	name := nameOrARN
	if strings.HasPrefix(nameOrARN, "arn:") {
		if !IsAWSManagedARN(nameOrARN) {
			return nil, false
		}
		name = nameOrARN[strings.LastIndexByte(nameOrARN, '/')+1:]
	}
	if name == "" {
		return nil, false
	}
	e, ok := managedPolicies().find(name)
	if !ok {
		return nil, false
	}
	shared, err := e.parsed()
	if err != nil {
		// The snapshot is tested to parse; a failure is a build defect.
		panic(fmt.Sprintf("iampolicy: embedded managed policy %s: %v", e.name, err))
	}
	doc := shared.Clone()
	return &ManagedPolicy{
		Name:     e.name,
		ARN:      ManagedPolicyARNPrefix + e.path + e.name,
		Path:     e.path,
		Version:  e.version,
		Updated:  e.updated,
		Document: doc,
	}, true
}

// AWSManagedNames returns the names of every policy in the snapshot, sorted.
func AWSManagedNames() []string {
	m := managedPolicies()
	out := make([]string, len(m.entries))
	for i := range m.entries {
		out[i] = m.entries[i].name
	}
	return out
}

// IsAWSManagedARN reports whether arn names an AWS-managed policy
// (arn:PARTITION:iam::aws:policy/...), whether or not the snapshot has it.
func IsAWSManagedARN(arn string) bool {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return false
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !ok || partition == "" {
		return false
	}
	name, ok := strings.CutPrefix(rest, "iam::aws:policy/")
	return ok && name != "" && !strings.HasSuffix(name, "/")
}
