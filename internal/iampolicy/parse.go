package iampolicy

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// ParseError is a malformed policy document. Line and Column (1-based) are
// set by Parse and ParseAt; FromValue has no positions and leaves them 0.
type ParseError struct {
	Line, Column int
	// Path names the element, such as "Statement[1].Effect"; empty for a
	// JSON syntax error.
	Path string
	Msg  string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse parses a JSON policy document in any legal shape: Statement as an
// object or a list; Action, Resource and their Not forms as a string or a
// list; Principal as "*" or a map of string-or-list; Condition values as
// strings, numbers, booleans or lists. Errors give the line of the problem.
//
// The error is a *ParseError. Each statement's Loc holds the line and column
// of its opening brace (File is empty; see ParseAt). An element whose value
// is null is taken as absent; a repeated key is an error.
func Parse(doc []byte) (*Policy, error) { return ParseAt(doc, srcloc.Location{}) }

// ParseAt is Parse for a document that starts at loc in a file (a policy
// file, or a heredoc inside a template): statement locations and error lines
// are given relative to that file.
func ParseAt(doc []byte, loc srcloc.Location) (*Policy, error) {
	doc = bytes.TrimPrefix(doc, []byte("\xEF\xBB\xBF"))
	b := builder{strict: true, doc: doc, at: loc}
	root, err := readJSON(doc)
	if err != nil {
		return nil, b.publicError(err)
	}
	p, err := b.policy(root)
	if err != nil {
		return nil, b.publicError(err)
	}
	return p, nil
}

// FromValue builds a policy from an already-decoded document (the
// map[string]any / []any / string / float64 / bool values of encoding/json
// or yaml.v3).
//
// As in Parse, an element whose value is null is taken as absent (Terraform
// writes null for unset object attributes).
//
// It also accepts map[any]any, other integer and float types, json.Number,
// time.Time (a YAML date), typed slices and maps, and Unresolved for values
// the source could not resolve. The error is a *ParseError naming the path.
func FromValue(v any) (*Policy, error) {
	b := builder{strict: true}
	root, err := fromValue(v, "", 0)
	if err != nil {
		return nil, b.publicError(err)
	}
	p, err := b.policy(root)
	if err != nil {
		return nil, b.publicError(err)
	}
	return p, nil
}

// builder turns nodes into a Policy. strict is false for reading back the
// canonical form this package writes (snapshots), which may hold statements
// that are incomplete because parts were unknown.
type builder struct {
	strict bool
	doc    []byte          // for positions; nil without
	at     srcloc.Location // where doc starts
}

func (b *builder) publicError(err error) error {
	var pe *posError
	if !errors.As(err, &pe) {
		return err
	}
	out := &ParseError{Path: pe.path, Msg: pe.msg}
	if b.doc != nil && pe.off >= 0 {
		out.Line, out.Column = b.position(pe.off)
	}
	return out
}

// position converts an offset into a line and column relative to b.at.
func (b *builder) position(off int) (int, int) {
	line, col := lineCol(b.doc, off)
	if b.at.Line > 0 {
		if line == 1 && b.at.Column > 0 {
			col += b.at.Column - 1
		}
		line += b.at.Line - 1
	}
	return line, col
}

func (b *builder) loc(n *node) srcloc.Location {
	if b.doc == nil || n.off < 0 {
		return srcloc.Location{}
	}
	line, col := b.position(n.off)
	return srcloc.Location{File: b.at.File, Line: line, Column: col}
}

// Versions IAM accepts.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

func (b *builder) policy(n *node) (*Policy, error) {
	if n.kind != kindObject {
		return nil, errAt(n, "", "a policy document must be an object, not %s", n.kind)
	}
	p := &Policy{}
	var stmts *node
	for i, key := range n.keys {
		v := n.elems[i]
		if v.kind == kindNull {
			continue // null is absent (Terraform writes null for unset attributes)
		}
		switch key {
		case "Version":
			if v.kind == kindUnresolved {
				continue
			}
			s, err := scalar(v, key)
			if err != nil {
				return nil, err
			}
			if b.strict && s != Version2012 && s != Version2008 {
				return nil, errAt(v, key, "must be %q or %q, got %q", Version2012, Version2008, s)
			}
			p.Version = s
		case "Id":
			if v.kind == kindUnresolved {
				continue
			}
			s, err := scalar(v, key)
			if err != nil {
				return nil, err
			}
			p.ID = s
		case "Statement":
			stmts = v
		default:
			return nil, unknownKey(n, i, "", "policy element", "Version, Id, Statement")
		}
	}
	if stmts == nil {
		return nil, errAt(n, "", "the policy has no Statement")
	}
	switch stmts.kind {
	case kindObject:
		s, err := b.statement(stmts, "Statement")
		if err != nil {
			return nil, err
		}
		p.Statements = []Statement{s}
	case kindArray:
		p.Statements = make([]Statement, 0, len(stmts.elems))
		for i, e := range stmts.elems {
			path := fmt.Sprintf("Statement[%d]", i)
			if e.kind != kindObject && e.kind != kindUnresolved {
				return nil, errAt(e, path, "a statement must be an object, not %s", e.kind)
			}
			s, err := b.statement(e, path)
			if err != nil {
				return nil, err
			}
			p.Statements = append(p.Statements, s)
		}
	case kindUnresolved:
		s, _ := b.statement(stmts, "Statement")
		p.Statements = []Statement{s}
	default:
		return nil, errAt(stmts, "Statement", "must be an object or a list of objects, not %s", stmts.kind)
	}
	return p, nil
}

// allUnknown are the fields of a statement that is unresolved as a whole.
var allUnknown = []string{"Action", "Condition", "Effect", "Principal", "Resource"}

func (b *builder) statement(n *node, path string) (Statement, error) {
	var s Statement
	if n.kind == kindUnresolved {
		s.Unknown = slices.Clone(allUnknown)
		return s, nil
	}
	s.Loc = b.loc(n)
	unknown := map[string]bool{}
	var seenAction, seenNotAction, seenResource, seenNotResource, seenEffect bool
	for i, key := range n.keys {
		v := n.elems[i]
		if v.kind == kindNull {
			continue // null is absent
		}
		kpath := path + "." + key
		var err error
		switch key {
		case "Sid":
			if v.kind != kindUnresolved {
				s.Sid, err = scalar(v, kpath)
			}
		case "Effect":
			seenEffect = true
			err = b.effect(&s, v, kpath, unknown)
		case "Action":
			seenAction = true
			s.Actions, err = stringList(v, kpath, "Action", unknown)
		case "NotAction":
			seenNotAction = true
			s.NotActionSet = true
			s.NotActions, err = stringList(v, kpath, "Action", unknown)
		case "Resource":
			seenResource = true
			s.Resources, err = stringList(v, kpath, "Resource", unknown)
		case "NotResource":
			seenNotResource = true
			s.NotResourceSet = true
			s.NotResources, err = stringList(v, kpath, "Resource", unknown)
		case "Principal":
			s.Principal, err = principal(v, kpath, unknown)
		case "NotPrincipal":
			s.NotPrincipal, err = principal(v, kpath, unknown)
		case "Condition":
			s.Conditions, err = conditions(v, kpath, unknown)
		case snapshotUnknownKey:
			if b.strict {
				return s, unknownKey(n, i, path, "statement element", statementElements)
			}
			var names []string
			names, err = stringList(v, kpath, "", unknown)
			for _, name := range names {
				unknown[name] = true
			}
		default:
			return s, unknownKey(n, i, path, "statement element", statementElements)
		}
		if err != nil {
			return s, err
		}
	}
	switch {
	case seenAction && seenNotAction:
		return s, errAt(n, path, "has both Action and NotAction")
	case seenResource && seenNotResource:
		return s, errAt(n, path, "has both Resource and NotResource")
	case s.Principal != nil && s.NotPrincipal != nil:
		return s, errAt(n, path, "has both Principal and NotPrincipal")
	case b.strict && !seenEffect:
		return s, errAt(n, path, "has no Effect")
	case b.strict && !seenAction && !seenNotAction:
		return s, errAt(n, path, "has neither Action nor NotAction")
	}
	for name := range unknown {
		s.Unknown = append(s.Unknown, name)
	}
	slices.Sort(s.Unknown)
	return s, nil
}

// snapshotUnknownKey carries Statement.Unknown in the JSON this package
// writes (see MarshalJSON); Parse rejects it in user documents.
const snapshotUnknownKey = "lw_unknown"

const statementElements = "Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition"

func unknownKey(n *node, i int, path, what, valid string) error {
	key := n.keys[i]
	hint := ""
	for _, v := range strings.Split(valid, ", ") {
		if strings.EqualFold(v, key) {
			hint = fmt.Sprintf(" (did you mean %q? element names are case-sensitive)", v)
		}
	}
	return &posError{off: n.keyOffs[i], path: path, msg: fmt.Sprintf("unknown %s %q%s; expected one of %s", what, key, hint, valid)}
}

func (b *builder) effect(s *Statement, v *node, path string, unknown map[string]bool) error {
	if v.kind == kindUnresolved {
		unknown["Effect"] = true
		return nil
	}
	e, err := scalar(v, path)
	if err != nil {
		return err
	}
	if b.strict && e != string(Allow) && e != string(Deny) {
		return errAt(v, path, "must be %q or %q, got %q", Allow, Deny, e)
	}
	s.Effect = Effect(e)
	return nil
}

// scalar reads a string; numbers and booleans (which YAML produces for
// unquoted values) are taken as their text.
func scalar(n *node, path string) (string, error) {
	switch n.kind {
	case kindString, kindNumber, kindBool:
		return n.str, nil
	}
	return "", errAt(n, path, "must be a string, not %s", n.kind)
}

// stringList reads a string or a list of strings. Unresolved values are left
// out and field is marked unknown. The slice is never nil, so that a present
// but empty or unresolved element is told from an absent one.
func stringList(n *node, path, field string, unknown map[string]bool) ([]string, error) {
	switch n.kind {
	case kindString:
		return []string{n.str}, nil
	case kindUnresolved:
		unknown[field] = true
		return []string{}, nil
	case kindArray:
		out := make([]string, 0, len(n.elems))
		for i, e := range n.elems {
			switch e.kind {
			case kindString:
				out = append(out, e.str)
			case kindUnresolved:
				unknown[field] = true
			default:
				return nil, errAt(e, fmt.Sprintf("%s[%d]", path, i), "must be a string, not %s", e.kind)
			}
		}
		return out, nil
	}
	return nil, errAt(n, path, "must be a string or a list of strings, not %s", n.kind)
}

func principal(n *node, path string, unknown map[string]bool) (*Principal, error) {
	switch n.kind {
	case kindUnresolved:
		unknown["Principal"] = true
		return &Principal{}, nil
	case kindString:
		if n.str == "*" {
			return &Principal{Wildcard: true}, nil
		}
		return nil, errAt(n, path, `must be "*" or an object such as {"AWS": [...]}, got %q`, n.str)
	case kindObject:
	default:
		return nil, errAt(n, path, `must be "*" or an object such as {"AWS": [...]}, not %s`, n.kind)
	}
	p := &Principal{}
	for i, key := range n.keys {
		v := n.elems[i]
		if v.kind == kindNull {
			continue // null is absent
		}
		var dst *[]string
		switch key {
		case "AWS":
			dst = &p.AWS
		case "Service":
			dst = &p.Service
		case "Federated":
			dst = &p.Federated
		case "CanonicalUser":
			dst = &p.CanonicalUser
		default:
			return nil, unknownKey(n, i, path, "principal type", "AWS, Service, Federated, CanonicalUser")
		}
		vals, err := principalValues(v, path+"."+key, key == "AWS", unknown)
		if err != nil {
			return nil, err
		}
		slices.Sort(vals)
		if vals = slices.Compact(vals); len(vals) > 0 {
			*dst = vals
		}
	}
	return p, nil
}

// principalValues reads a principal map value. For AWS, numbers are account
// IDs that YAML read as integers: they get their leading zeros back.
func principalValues(n *node, path string, aws bool, unknown map[string]bool) ([]string, error) {
	one := func(e *node, path string) (string, bool, error) {
		switch {
		case e.kind == kindString:
			return e.str, true, nil
		case e.kind == kindUnresolved:
			unknown["Principal"] = true
			return "", false, nil
		case e.kind == kindNumber && aws && isDigits(e.str) && len(e.str) <= 12:
			return strings.Repeat("0", 12-len(e.str)) + e.str, true, nil
		}
		return "", false, errAt(e, path, "must be a string, not %s", e.kind)
	}
	if n.kind != kindArray {
		s, ok, err := one(n, path)
		if err != nil || !ok {
			return []string{}, err
		}
		return []string{s}, nil
	}
	out := make([]string, 0, len(n.elems))
	for i, e := range n.elems {
		s, ok, err := one(e, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// conditions reads a Condition block: {operator: {key: value-or-list}}.
func conditions(n *node, path string, unknown map[string]bool) ([]Condition, error) {
	switch n.kind {
	case kindUnresolved:
		unknown["Condition"] = true
		return nil, nil
	case kindObject:
	default:
		return nil, errAt(n, path, "must be an object such as {\"StringEquals\": {...}}, not %s", n.kind)
	}
	var out []Condition
	for i, op := range n.keys {
		block := n.elems[i]
		opPath := path + "." + op
		switch block.kind {
		case kindNull:
			continue // null is absent
		case kindUnresolved:
			unknown["Condition"] = true
			continue
		case kindObject:
		default:
			return nil, errAt(block, opPath, "must be an object of condition keys, not %s", block.kind)
		}
		for j, key := range block.keys {
			v := block.elems[j]
			if v.kind == kindNull {
				continue // null is absent
			}
			keyPath := opPath + "." + key
			c := Condition{Operator: op, Key: key, Values: []string{}}
			switch v.kind {
			case kindString, kindNumber, kindBool:
				c.Values = append(c.Values, v.str)
			case kindUnresolved:
				unknown["Condition"] = true
			case kindArray:
				for k, e := range v.elems {
					switch e.kind {
					case kindString, kindNumber, kindBool:
						c.Values = append(c.Values, e.str)
					case kindUnresolved:
						unknown["Condition"] = true
					default:
						return nil, errAt(e, fmt.Sprintf("%s[%d]", keyPath, k), "must be a string, number or boolean, not %s", e.kind)
					}
				}
			default:
				return nil, errAt(v, keyPath, "must be a string, number, boolean or a list of them, not %s", v.kind)
			}
			out = append(out, c)
		}
	}
	sortConditions(out)
	return out, nil
}

// sortConditions orders conditions by operator, then key; values keep their
// order.
func sortConditions(cs []Condition) {
	slices.SortStableFunc(cs, func(a, b Condition) int {
		if c := strings.Compare(a.Operator, b.Operator); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}
