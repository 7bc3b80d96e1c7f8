// Command gen turns the shared CloudTrail-to-IAM rules
// (cloudtrail-to-iam.json) into rules_gen.go, the compact tables that
// package mapping compiles in, with the data's provenance. It is run by
// `go generate` in internal/cloudtrail/mapping; building and testing never
// need the shared data.
//
// Usage (from internal/cloudtrail/mapping):
//
//	go run ./internal/gen [-data DIR] [-out DIR]
//
// -data defaults to ../shared/data relative to the repository root (the
// directory holding go.mod); -out defaults to the current directory.
//
// The generator is strict: a top-level key or a skip rule it does not know
// is an error, so a change in the data's shape is reviewed rather than
// silently ignored.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/lambdawarden/lambdawarden/internal/gendata"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

const (
	sourceFile = "cloudtrail-to-iam.json"
	outFile    = "rules_gen.go"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	dataDir := flag.String("data", "", "shared data directory (default: ../shared/data from the repository root)")
	outDir := flag.String("out", ".", "package directory to write "+outFile+" to")
	flag.Parse()
	if *dataDir == "" {
		root, err := gendata.RepoRoot()
		if err != nil {
			log.Fatal(err)
		}
		*dataDir = filepath.Join(root, "..", "shared", "data")
	}
	raw, err := os.ReadFile(filepath.Join(*dataDir, sourceFile))
	if err != nil {
		log.Fatal(err)
	}
	src, err := generate(raw)
	if err != nil {
		log.Fatalf("%s: %v", sourceFile, err)
	}
	path := filepath.Join(*outDir, outFile)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", path, len(src))
}

// rulesFile is the shape of cloudtrail-to-iam.json.
type rulesFile struct {
	Description string `json:"description"`
	DefaultRule struct {
		IAMPrefix string `json:"iam_prefix"`
		IAMAction string `json:"iam_action"`
		Example   string `json:"example"`
	} `json:"default_rule"`
	APIVersionSuffix struct {
		Regex       string            `json:"regex"`
		ReplaceWith string            `json:"replace_with"`
		Source      string            `json:"source"`
		Examples    map[string]string `json:"examples"`
		Note        string            `json:"note"`
	} `json:"api_version_suffix"`
	PrefixExceptions map[string]struct {
		IAMPrefix string `json:"iam_prefix"`
		Source    string `json:"source"`
	} `json:"eventsource_prefix_exceptions"`
	NameExceptions []struct {
		EventSource string   `json:"eventSource"`
		EventName   string   `json:"eventName"`
		Actions     []string `json:"actions"`
		Source      string   `json:"source"`
		Note        string   `json:"note"`
		Confidence  string   `json:"confidence"`
	} `json:"event_name_exceptions"`
	APIGateway struct {
		Rule   string `json:"rule"`
		Source string `json:"source"`
	} `json:"apigateway"`
	Skip []struct {
		EventSource string `json:"eventSource"`
		EventName   string `json:"eventName"`
		EventType   string `json:"eventType"`
		Condition   string `json:"condition"`
		Reason      string `json:"reason"`
	} `json:"skip"`
	NotInCloudTrail []struct {
		Actions    []string `json:"actions"`
		Note       string   `json:"note"`
		Confidence string   `json:"confidence"`
	} `json:"not_in_cloudtrail"`
	IdentifyLambdaCaller struct {
		Rule string `json:"rule"`
		Note string `json:"note"`
	} `json:"identify_lambda_caller"`
	Sources []struct {
		ID      string `json:"id"`
		From    string `json:"from"`
		Licence string `json:"licence"`
	} `json:"sources"`
}

var knownKeys = []string{
	"api_version_suffix", "apigateway", "default_rule", "description", "event_name_exceptions",
	"eventsource_prefix_exceptions", "identify_lambda_caller", "not_in_cloudtrail", "skip", "sources",
}

var (
	errorCodeList = regexp.MustCompile(`^errorCode in \(([A-Za-z0-9_.,\s]+)\)$`)
	actionName    = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9]+$`)
)

// generate checks the rules and renders rules_gen.go. The same input gives
// the same bytes.
func generate(raw []byte) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	for k := range top {
		if !contains(knownKeys, k) {
			return nil, fmt.Errorf("unknown top-level key %q: teach the generator and package mapping about it", k)
		}
	}
	var f rulesFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if f.APIVersionSuffix.Regex == "" || f.APIVersionSuffix.ReplaceWith != "$1" {
		return nil, errors.New("api_version_suffix: want a regex with replace_with $1")
	}
	re, err := regexp.Compile(f.APIVersionSuffix.Regex)
	if err != nil {
		return nil, fmt.Errorf("api_version_suffix: %w", err)
	}
	for in, want := range f.APIVersionSuffix.Examples {
		if got := re.ReplaceAllString(in, "$1"); got != want {
			return nil, fmt.Errorf("api_version_suffix example %s: regex gives %s, want %s", in, got, want)
		}
	}

	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("// Code generated by go run ./internal/gen; DO NOT EDIT.\n\n")
	p("package mapping\n\n")
	sum := sha256.Sum256(raw)
	p("// provenance describes the embedded rules (see Provenance).\n")
	p("var provenance = Info{\n")
	p("File: %q,\nSHA256: %q,\nDescription: %q,\n", sourceFile, hex.EncodeToString(sum[:]), f.Description)
	p("Sources: []Source{\n")
	for _, s := range f.Sources {
		if s.ID == "" || s.From == "" {
			return nil, errors.New("sources: an entry without id or from")
		}
		p("{ID: %q, From: %q, Licence: %q},\n", s.ID, s.From, s.Licence)
	}
	p("},\n")
	p("APIGatewayRule: %q,\n", f.APIGateway.Rule)
	p("IdentifyLambdaCaller: %q,\n", f.IdentifyLambdaCaller.Rule)
	p("NotInCloudTrail: []string{\n")
	for _, n := range f.NotInCloudTrail {
		p("%q,\n", strings.Join(n.Actions, ", ")+": "+n.Note)
	}
	p("},\n}\n\n")

	p("// apiVersionSuffix strips API-version suffixes from event names (replace with $1).\n")
	p("const apiVersionSuffix = %q\n\n", f.APIVersionSuffix.Regex)

	// Prefix exceptions, sorted by event source.
	sources := make([]string, 0, len(f.PrefixExceptions))
	for s, e := range f.PrefixExceptions {
		if e.IAMPrefix == "" || strings.ContainsAny(e.IAMPrefix, ":* ") {
			return nil, fmt.Errorf("eventsource_prefix_exceptions[%s]: bad iam_prefix %q", s, e.IAMPrefix)
		}
		sources = append(sources, s)
	}
	sort.Strings(sources)
	p("// prefixExceptions maps an eventSource to its IAM prefix where the two differ, sorted.\n")
	p("var prefixExceptions = [...]prefixException{\n")
	for _, s := range sources {
		e := f.PrefixExceptions[s]
		p("{%q, %q, %q},\n", s, e.IAMPrefix, e.Source)
	}
	p("}\n\n")

	// Event name exceptions, sorted by (source, name).
	type nameEx struct {
		source, name, ref, note, confidence string
		actions                             []string
	}
	var exs []nameEx
	seen := map[string]bool{}
	for i, e := range f.NameExceptions {
		if e.EventSource == "" || e.EventName == "" || len(e.Actions) == 0 {
			return nil, fmt.Errorf("event_name_exceptions[%d]: want eventSource, eventName and actions", i)
		}
		key := e.EventSource + " " + e.EventName
		if seen[key] {
			return nil, fmt.Errorf("event_name_exceptions: %s listed twice", key)
		}
		seen[key] = true
		for _, a := range e.Actions {
			if !actionName.MatchString(a) {
				return nil, fmt.Errorf("event_name_exceptions[%s]: bad action %q", key, a)
			}
		}
		exs = append(exs, nameEx{e.EventSource, e.EventName, e.Source, e.Note, e.Confidence, e.Actions})
	}
	sort.Slice(exs, func(i, j int) bool {
		if exs[i].source != exs[j].source {
			return exs[i].source < exs[j].source
		}
		return exs[i].name < exs[j].name
	})
	p("// nameExceptions are the exact (eventSource, eventName) rules, sorted.\n")
	p("var nameExceptions = [...]nameException{\n")
	for _, e := range exs {
		p("{Source: %q, Name: %q, Actions: []string{", e.source, e.name)
		for i, a := range e.actions {
			if i > 0 {
				p(", ")
			}
			p("%q", a)
		}
		p("}, Ref: %q", e.ref)
		if e.note != "" {
			p(", Note: %q", e.note)
		}
		if e.confidence != "" {
			p(", Confidence: %q", e.confidence)
		}
		p("},\n")
	}
	p("}\n\n")

	// Skip rules.
	var events, types []string
	var codes []string
	for i, s := range f.Skip {
		switch {
		case s.EventSource != "" && s.EventName != "" && s.EventType == "" && s.Condition == "":
			events = append(events, fmt.Sprintf("{Source: %q, Name: %q, Reason: %q},\n", s.EventSource, s.EventName, s.Reason))
		case s.EventType != "" && s.EventSource == "" && s.EventName == "" && s.Condition == "":
			types = append(types, fmt.Sprintf("{Type: %q, Reason: %q},\n", s.EventType, s.Reason))
		case s.Condition != "" && s.EventSource == "" && s.EventName == "" && s.EventType == "":
			m := errorCodeList.FindStringSubmatch(s.Condition)
			if m == nil {
				return nil, fmt.Errorf("skip[%d]: condition %q is not `errorCode in (...)`", i, s.Condition)
			}
			for _, c := range strings.Split(m[1], ",") {
				if c = strings.TrimSpace(c); c != "" {
					codes = append(codes, c)
				}
			}
			p("// deniedReason is why denied calls are reported rather than granted.\n")
			p("const deniedReason = %q\n\n", s.Reason)
		default:
			return nil, fmt.Errorf("skip[%d]: unknown rule shape", i)
		}
	}
	if len(codes) == 0 {
		return nil, errors.New("skip: no errorCode rule for denied calls")
	}
	sort.Strings(events)
	sort.Strings(types)
	sort.Strings(codes)
	p("// skipEvents are exact (eventSource, eventName) pairs that need no permission, sorted.\n")
	p("var skipEvents = [...]skipEvent{\n%s}\n\n", strings.Join(events, ""))
	p("// skipEventTypes are eventType values that are not calls made by the identity, sorted.\n")
	p("var skipEventTypes = [...]skipEventType{\n%s}\n\n", strings.Join(types, ""))
	p("// deniedErrorCodes are the errorCode values of denied calls, sorted.\n")
	p("var deniedErrorCodes = [...]string{\n")
	for _, c := range codes {
		p("%q,\n", c)
	}
	p("}\n")

	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format generated code: %w\n%s", err, b.Bytes())
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
