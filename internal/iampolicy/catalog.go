package iampolicy

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen -out .

//go:embed data/catalog.lwcat.gz
var catalogGz []byte

// DataProvenance says where an embedded data set comes from.
type DataProvenance struct {
	Name     string // "iam-actions" or "aws-managed-policies"
	Source   string
	Snapshot string // date of the source snapshot, YYYY-MM-DD
	Licence  string
	Count    int // actions or policies
}

// Provenance describes the embedded data sets (for version output and
// auditor evidence).
func Provenance() []DataProvenance { return slices.Clone(dataProvenance[:]) }

// catalogData is the decoded catalog: every action in one slice, sorted by
// service prefix and then by lower-case name, so that a service's actions
// are one contiguous run.
type catalogData struct {
	services []catalogService
	actions  []Action
}

type catalogService struct {
	prefix string
	name   string
	types  []resourceType // sorted by name
	first  int            // actions[first:end] are the service's
	end    int
}

type resourceType struct {
	name string
	arn  string
}

// defaultCatalog decodes the embedded catalog once. The data is generated
// and tested, so failing to decode it is a build defect.
var defaultCatalog = sync.OnceValue(func() *Catalog {
	d, err := decodeCatalog(catalogGz)
	if err != nil {
		panic(fmt.Sprintf("iampolicy: embedded catalog: %v", err))
	}
	return &Catalog{impl: d}
})

// gunzip decompresses an embedded file into one string, sized from the gzip
// trailer, so that the decoded records can share its memory.
func gunzip(data []byte) (string, error) {
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if n := len(data); n >= 4 {
		// ISIZE: the uncompressed length modulo 2^32 (the files are small).
		b.Grow(int(binary.LittleEndian.Uint32(data[n-4:])))
	}
	if _, err := io.Copy(&b, r); err != nil {
		return "", err
	}
	return b.String(), r.Close()
}

// decodeCatalog reads the line format written by internal/gen.
func decodeCatalog(gz []byte) (*catalogData, error) {
	text, err := gunzip(gz) // the records are substrings of text
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	header, rest, _ := strings.Cut(text, "\n")
	if header != "lwcat 1" {
		return nil, fmt.Errorf("unknown header %q", header)
	}
	nActions := strings.Count(rest, "\nA\t")
	if strings.HasPrefix(rest, "A\t") {
		nActions++
	}
	d := &catalogData{actions: make([]Action, 0, nActions)}
	// All actions' resource-type lists share one backing array (about one
	// type per action; append grows it if need be).
	typeNames := make([]string, 0, nActions+nActions/8)
	var svc *catalogService
	for lineNo := 2; rest != ""; lineNo++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		kind, fields, _ := strings.Cut(line, "\t")
		switch kind {
		case "S":
			prefix, name, _ := strings.Cut(fields, "\t")
			if svc != nil {
				svc.end = len(d.actions)
			}
			d.services = append(d.services, catalogService{prefix: prefix, name: name, first: len(d.actions)})
			svc = &d.services[len(d.services)-1]
		case "T":
			if svc == nil {
				return nil, fmt.Errorf("line %d: resource type before a service", lineNo)
			}
			name, arn, _ := strings.Cut(fields, "\t")
			svc.types = append(svc.types, resourceType{name: name, arn: arn})
		case "A":
			if svc == nil {
				return nil, fmt.Errorf("line %d: action before a service", lineNo)
			}
			name, rest, ok1 := strings.Cut(fields, "\t")
			code, types, ok2 := strings.Cut(rest, "\t")
			if !ok1 || !ok2 || len(code) != 1 {
				return nil, fmt.Errorf("line %d: malformed action", lineNo)
			}
			access, ok := accessByCode(code[0])
			if !ok {
				return nil, fmt.Errorf("line %d: unknown access code %q", lineNo, code)
			}
			a := Action{Service: svc.prefix, Name: name, Access: access}
			if types != "" {
				start := len(typeNames)
				for idx := range strings.SplitSeq(types, ",") {
					i, err := strconv.Atoi(idx)
					if err != nil || i < 0 || i >= len(svc.types) {
						return nil, fmt.Errorf("line %d: bad resource type index %q", lineNo, idx)
					}
					typeNames = append(typeNames, svc.types[i].name)
				}
				a.ResourceTypes = typeNames[start:len(typeNames):len(typeNames)]
			}
			d.actions = append(d.actions, a)
		default:
			return nil, fmt.Errorf("line %d: unknown record %q", lineNo, kind)
		}
	}
	if svc != nil {
		svc.end = len(d.actions)
	}
	return d, nil
}

func accessByCode(c byte) (AccessLevel, bool) {
	switch c {
	case 'L':
		return List, true
	case 'R':
		return Read, true
	case 'W':
		return Write, true
	case 'P':
		return PermissionsManagement, true
	case 'T':
		return Tagging, true
	}
	return "", false
}

// service finds a service by prefix, case-insensitively.
func (d *catalogData) service(prefix string) (*catalogService, bool) {
	i := sort.Search(len(d.services), func(i int) bool { return compareFold(d.services[i].prefix, prefix) >= 0 })
	if i < len(d.services) && compareFold(d.services[i].prefix, prefix) == 0 {
		return &d.services[i], true
	}
	return nil, false
}

// actionRange returns the index range of the service's actions whose
// lower-case name starts with the lower-case prefix.
func (d *catalogData) actionRange(s *catalogService, namePrefix string) (int, int) {
	acts := d.actions[s.first:s.end]
	lo := sort.Search(len(acts), func(i int) bool { return compareFold(acts[i].Name, namePrefix) >= 0 })
	hi := lo
	for hi < len(acts) && hasPrefixFold(acts[hi].Name, namePrefix) {
		hi++
	}
	return s.first + lo, s.first + hi
}

// lookup is Lookup with the action's index in d.actions.
func (d *catalogData) lookup(action string) (int, bool) {
	prefix, name, ok := strings.Cut(action, ":")
	if !ok || name == "" {
		return 0, false
	}
	s, ok := d.service(prefix)
	if !ok {
		return 0, false
	}
	acts := d.actions[s.first:s.end]
	i := sort.Search(len(acts), func(i int) bool { return compareFold(acts[i].Name, name) >= 0 })
	if i < len(acts) && compareFold(acts[i].Name, name) == 0 {
		return s.first + i, true
	}
	return 0, false
}

// expand returns the indexes of the actions matching pattern (as MatchAction
// would match them against "service:Name"), in catalog order.
func (d *catalogData) expand(pattern string) []int {
	var out []int
	if pattern != "" && strings.Trim(pattern, "*") == "" {
		out = make([]int, len(d.actions))
		for i := range out {
			out[i] = i
		}
		return out
	}
	switch strings.Count(pattern, ":") {
	case 0:
		// Wildcards may stand for the colon: compare against full names.
		full := make([]byte, 0, 128)
		for i := range d.actions {
			a := &d.actions[i]
			full = append(append(append(full[:0], a.Service...), ':'), a.Name...)
			if matchGlob(pattern, full, true) {
				out = append(out, i)
			}
		}
		return out
	case 1:
		// An action has one colon, so the pattern's colon must meet it.
	default:
		return nil
	}
	prefixPat, namePat, _ := strings.Cut(pattern, ":")
	lit := namePat
	if i := strings.IndexAny(namePat, "*?"); i >= 0 {
		lit = namePat[:i]
	}
	matchNames := func(s *catalogService) {
		lo, hi := d.actionRange(s, lit)
		for i := lo; i < hi; i++ {
			if matchGlob(namePat, d.actions[i].Name, true) {
				out = append(out, i)
			}
		}
	}
	if !strings.ContainsAny(prefixPat, "*?") {
		if s, ok := d.service(prefixPat); ok {
			matchNames(s)
		}
		return out
	}
	for i := range d.services {
		if matchGlob(prefixPat, d.services[i].prefix, true) {
			matchNames(&d.services[i])
		}
	}
	return out
}

// compareFold compares two strings as if lower-cased (ASCII letters only;
// IAM names are ASCII).
func compareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := lowerASCII(a[i]), lowerASCII(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && compareFold(s[:len(prefix)], prefix) == 0
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
