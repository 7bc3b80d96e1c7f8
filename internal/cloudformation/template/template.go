// Package template parses CloudFormation and SAM templates (YAML or JSON)
// into yaml.v3 node trees that keep every value's line and column, and
// guards against hostile input: oversized files, alias bombs and very deep
// nesting give an error with the file and line instead of exhausting memory.
package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits bound the work a template may cause.
type Limits struct {
	// MaxBytes is the largest file that is parsed.
	MaxBytes int64
	// MaxDepth is the deepest nesting of mappings and sequences allowed,
	// counted through aliases.
	MaxDepth int
	// MaxExpandedNodes caps the node count of the document with every alias
	// expanded (a billion-laughs document is tiny but expands to billions).
	MaxExpandedNodes int
}

// DefaultLimits are generous for real templates (the CloudFormation service
// itself accepts at most 1 MB) and small enough to keep a scan bounded.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 32 << 20, MaxDepth: 256, MaxExpandedNodes: 2_000_000}
}

// Template is a parsed template: the document's root mapping and its
// top-level sections.
type Template struct {
	// File is the template's display path, used in locations and errors.
	File string
	Root *yaml.Node

	FormatVersion *yaml.Node
	Transform     *yaml.Node
	Parameters    *yaml.Node
	Mappings      *yaml.Node
	Conditions    *yaml.Node
	Globals       *yaml.Node
	Resources     *yaml.Node
	Outputs       *yaml.Node
	Metadata      *yaml.Node
}

// Error is a problem with a template at a line (0 when unknown).
type Error struct {
	File    string
	Line    int
	Message string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return e.File + ": " + e.Message
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// Parse parses data as a template. file is the display path for errors.
// The error, when not nil, is an *Error.
func Parse(file string, data []byte, lim Limits) (*Template, error) {
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, &Error{File: file, Message: fmt.Sprintf("template is %d bytes, larger than the limit of %d", len(data), lim.MaxBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		// A JSON template: encoding/json names the exact offset of a syntax
		// error, where yaml.v3 names the start of the enclosing block.
		if err := jsonSyntax(data, lim.MaxDepth); err != nil {
			err.File = file
			return nil, err
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(file, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: file, Line: 1, Message: "empty document"}
	}
	root := doc.Content[0]
	if err := Check(root, lim); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = file
		}
		return nil, err
	}
	root = Deref(root)
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: root.Line, Message: "template is not a mapping"}
	}
	t := &Template{File: file, Root: root}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], Deref(root.Content[i+1])
		switch k.Value {
		case "AWSTemplateFormatVersion":
			t.FormatVersion = v
		case "Transform":
			t.Transform = v
		case "Parameters":
			t.Parameters = v
		case "Mappings":
			t.Mappings = v
		case "Conditions":
			t.Conditions = v
		case "Globals":
			t.Globals = v
		case "Resources":
			t.Resources = v
		case "Outputs":
			t.Outputs = v
		case "Metadata":
			t.Metadata = v
		}
	}
	return t, nil
}

// yamlError turns a yaml.v3 error into an *Error with the line it names.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	e := &Error{File: file, Message: "malformed YAML/JSON: " + msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		e.Message = "malformed YAML/JSON: " + msg
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	// yaml.v3 reports parser errors with a 0-based line (the start of the
	// enclosing block), scanner errors with a 1-based one.
	if strings.HasPrefix(msg, "did not find expected") {
		e.Line++
	}
	return e
}

// jsonSyntax checks data as JSON and returns the first syntax error (or
// nesting deeper than maxDepth) with its line, or nil.
func jsonSyntax(data []byte, maxDepth int) *Error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if d, ok := tok.(json.Delim); ok && err == nil {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
			if maxDepth > 0 && depth > maxDepth {
				off := dec.InputOffset()
				line := 1 + bytes.Count(data[:off], []byte("\n"))
				return &Error{Line: line, Message: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
			}
		}
		if err != nil {
			off := dec.InputOffset()
			var se *json.SyntaxError
			if errors.As(err, &se) {
				off = se.Offset
			}
			if off > int64(len(data)) {
				off = int64(len(data))
			}
			line := 1 + bytes.Count(data[:off], []byte("\n"))
			return &Error{Line: line, Message: "malformed JSON: " + err.Error()}
		}
	}
}

// Check verifies that n stays within the depth and alias-expansion limits.
// It runs in time linear in the size of the parsed (unexpanded) document.
func Check(n *yaml.Node, lim Limits) error {
	c := checker{lim: lim, memo: map[*yaml.Node]stat{}, active: map[*yaml.Node]bool{}}
	s, err := c.walk(n, 0)
	if err != nil {
		return err
	}
	if lim.MaxExpandedNodes > 0 && s.size > lim.MaxExpandedNodes {
		return &Error{Line: n.Line, Message: fmt.Sprintf("document expands to more than %d nodes through YAML aliases (alias bomb?)", lim.MaxExpandedNodes)}
	}
	return nil
}

type stat struct {
	size  int // node count with aliases expanded
	depth int // nesting depth with aliases expanded
}

type checker struct {
	lim Limits
	// memo holds the expanded size and depth of anchored nodes, the only
	// ones aliases can repeat.
	memo map[*yaml.Node]stat
	// active are the anchored nodes being walked: an alias to one of them
	// is a cycle (yaml.v3 builds such trees for "&a [*a]").
	active map[*yaml.Node]bool
}

// hardDepth stops the walk of a (hand-built) tree whose aliases form a
// cycle when no depth limit is configured.
const hardDepth = 10000

func (c *checker) walk(n *yaml.Node, level int) (stat, error) {
	if n == nil {
		return stat{}, nil
	}
	maxDepth := c.lim.MaxDepth
	if maxDepth <= 0 {
		maxDepth = hardDepth
	}
	if s, ok := c.memo[n]; ok {
		if level+s.depth > maxDepth {
			return stat{}, &Error{Line: n.Line, Message: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
		}
		return s, nil
	}
	if level > maxDepth {
		return stat{}, &Error{Line: n.Line, Message: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	if n.Anchor != "" {
		if c.active[n] {
			return stat{}, &Error{Line: n.Line, Message: "YAML alias refers to a node that contains it"}
		}
		c.active[n] = true
		defer delete(c.active, n)
	}
	var s stat
	switch n.Kind {
	case yaml.AliasNode:
		t, err := c.walk(n.Alias, level)
		if err != nil {
			return stat{}, err
		}
		s = t
	case yaml.DocumentNode, yaml.SequenceNode, yaml.MappingNode:
		s.size = 1
		for _, ch := range n.Content {
			t, err := c.walk(ch, level+1)
			if err != nil {
				return stat{}, err
			}
			s.size += t.size
			if t.depth+1 > s.depth {
				s.depth = t.depth + 1
			}
			if c.lim.MaxExpandedNodes > 0 && s.size > c.lim.MaxExpandedNodes {
				return stat{}, &Error{Line: n.Line, Message: fmt.Sprintf("document expands to more than %d nodes through YAML aliases (alias bomb?)", c.lim.MaxExpandedNodes)}
			}
		}
	default:
		s.size = 1
	}
	if n.Anchor != "" {
		c.memo[n] = s
	}
	return s, nil
}

// Deref follows aliases to the node they name.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// Get returns the value of key in mapping m (aliases followed), or nil.
func Get(m *yaml.Node, key string) *yaml.Node {
	m = Deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return Deref(m.Content[i+1])
		}
	}
	return nil
}

// GetKey returns the key node and value of key in mapping m, or nils.
func GetKey(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = Deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], Deref(m.Content[i+1])
		}
	}
	return nil, nil
}

// Pairs calls fn for each key and value of mapping m in document order.
func Pairs(m *yaml.Node, fn func(k, v *yaml.Node)) {
	m = Deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fn(m.Content[i], Deref(m.Content[i+1]))
	}
}

// EndLine returns the last line that n or anything inside it is written on
// (aliases are not followed: their text is one line).
func EndLine(n *yaml.Node) int {
	end := 0
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 512 {
			return
		}
		if n.Line > end {
			end = n.Line
		}
		if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0) {
			end = max(end, n.Line+bytes.Count([]byte(n.Value), []byte("\n")))
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return end
}

// IsSAM reports whether the template declares the SAM transform.
func (t *Template) IsSAM() bool {
	tr := Deref(t.Transform)
	if tr == nil {
		return false
	}
	switch tr.Kind {
	case yaml.ScalarNode:
		return isSAMTransform(tr.Value)
	case yaml.SequenceNode:
		for _, c := range tr.Content {
			if c = Deref(c); c != nil && c.Kind == yaml.ScalarNode && isSAMTransform(c.Value) {
				return true
			}
		}
	}
	return false
}

func isSAMTransform(s string) bool { return s == "AWS::Serverless-2016-10-31" }
