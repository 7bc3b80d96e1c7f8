package iampolicy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// node is a decoded JSON or YAML value with, for Parse, the byte offset
// where it starts. Parse and FromValue both build nodes, so that one builder
// turns them into a Policy with the same rules and messages.
type node struct {
	kind    nodeKind
	str     string   // string value, number literal, or "true"/"false"
	keys    []string // object keys, in document order (FromValue: sorted)
	keyOffs []int    // offset of each key (-1 without positions)
	elems   []*node  // object values (parallel to keys) or array elements
	off     int      // offset of the value (-1 without positions)
}

type nodeKind uint8

const (
	kindNull nodeKind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
	kindUnresolved
)

func (k nodeKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "a list", "an object", "an unresolved value"}[k]
}

// maxDepth bounds nesting; a policy is never deeper than about five levels.
const maxDepth = 64

// posError is an error at a byte offset of the document (-1: no position).
type posError struct {
	off  int
	path string
	msg  string
}

func (e *posError) Error() string { return e.msg }

func errAt(n *node, path, format string, args ...any) *posError {
	off := -1
	if n != nil {
		off = n.off
	}
	return &posError{off: off, path: path, msg: fmt.Sprintf(format, args...)}
}

// readJSON decodes doc into nodes, keeping offsets. Objects with a repeated
// key are rejected: IAM would not say which one counts.
func readJSON(doc []byte) (*node, error) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, &posError{off: 0, msg: "empty policy document"}
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	r := &jsonReader{dec: dec, doc: doc}
	root, err := r.value(0)
	if err != nil {
		return nil, err
	}
	off := r.next()
	if _, err := dec.Token(); err != io.EOF {
		return nil, &posError{off: off, msg: "unexpected data after the policy document"}
	}
	return root, nil
}

type jsonReader struct {
	dec *json.Decoder
	doc []byte
}

// next returns the offset of the next token: the decoder's offset is the end
// of the previous token, before any separator and white space.
func (r *jsonReader) next() int {
	off := int(r.dec.InputOffset())
	for off < len(r.doc) && isSeparator(r.doc[off]) {
		off++
	}
	return off
}

func isSeparator(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':'
}

func (r *jsonReader) token() (json.Token, int, error) {
	off := r.next()
	tok, err := r.dec.Token()
	if err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			return nil, int(syn.Offset), &posError{off: int(syn.Offset), msg: "invalid JSON: " + syn.Error()}
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return nil, len(r.doc), &posError{off: len(r.doc), msg: "invalid JSON: unexpected end of document"}
		}
		return nil, off, &posError{off: off, msg: "invalid JSON: " + err.Error()}
	}
	return tok, off, nil
}

func (r *jsonReader) value(depth int) (*node, error) {
	tok, off, err := r.token()
	if err != nil {
		return nil, err
	}
	if depth > maxDepth {
		return nil, &posError{off: off, msg: "document nested too deeply"}
	}
	switch t := tok.(type) {
	case nil:
		return &node{kind: kindNull, off: off}, nil
	case bool:
		return &node{kind: kindBool, str: strconv.FormatBool(t), off: off}, nil
	case json.Number:
		return &node{kind: kindNumber, str: string(t), off: off}, nil
	case string:
		return &node{kind: kindString, str: t, off: off}, nil
	case json.Delim:
		switch t {
		case '[':
			n := &node{kind: kindArray, off: off}
			for r.dec.More() {
				e, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, e)
			}
			if _, _, err := r.token(); err != nil { // ']'
				return nil, err
			}
			return n, nil
		case '{':
			n := &node{kind: kindObject, off: off}
			var seen map[string]bool // for large objects; small ones are scanned
			for r.dec.More() {
				ktok, koff, err := r.token()
				if err != nil {
					return nil, err
				}
				key, _ := ktok.(string) // the decoder guarantees a string key
				dup := false
				if seen != nil {
					dup = seen[key]
					seen[key] = true
				} else {
					dup = slices.Contains(n.keys, key)
					if len(n.keys) >= 16 {
						seen = make(map[string]bool, 2*len(n.keys))
						for _, k := range n.keys {
							seen[k] = true
						}
						seen[key] = true
					}
				}
				if dup {
					return nil, &posError{off: koff, msg: fmt.Sprintf("duplicate key %q", key)}
				}
				v, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key)
				n.keyOffs = append(n.keyOffs, koff)
				n.elems = append(n.elems, v)
			}
			if _, _, err := r.token(); err != nil { // '}'
				return nil, err
			}
			return n, nil
		}
	}
	return nil, &posError{off: off, msg: fmt.Sprintf("invalid JSON: unexpected token %v", tok)}
}

// Unresolved stands, in a value given to FromValue, for a value the source
// could not resolve (a Terraform value known only after apply, an unresolved
// intrinsic function). It may replace any element value or list item; the
// statement then names the field in Statement.Unknown instead of failing.
// A whole statement that is Unresolved becomes a statement whose every field
// is unknown.
type Unresolved struct {
	// Reason says why, for messages ("known after apply").
	Reason string
}

// fromValue converts decoded Go values (encoding/json, yaml.v3, yaml.v2
// map[any]any, or values a source builds) into nodes without positions.
func fromValue(v any, path string, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, &posError{off: -1, path: path, msg: "document nested too deeply"}
	}
	n := &node{off: -1}
	switch t := v.(type) {
	case nil:
		n.kind = kindNull
	case Unresolved, *Unresolved:
		n.kind = kindUnresolved
	case string:
		n.kind, n.str = kindString, t
	case bool:
		n.kind, n.str = kindBool, strconv.FormatBool(t)
	case json.Number:
		n.kind, n.str = kindNumber, string(t)
	case float64:
		n.kind, n.str = kindNumber, formatFloat(t)
	case float32:
		n.kind, n.str = kindNumber, formatFloat(float64(t))
	case int:
		n.kind, n.str = kindNumber, strconv.Itoa(t)
	case int64:
		n.kind, n.str = kindNumber, strconv.FormatInt(t, 10)
	case uint64:
		n.kind, n.str = kindNumber, strconv.FormatUint(t, 10)
	case time.Time:
		// yaml.v2 decodes an unquoted date (Version: 2012-10-17) as a time.
		n.kind = kindString
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
			n.str = t.Format(time.DateOnly)
		} else {
			n.str = t.Format(time.RFC3339Nano)
		}
	case []any:
		n.kind = kindArray
		for i, e := range t {
			en, err := fromValue(e, fmt.Sprintf("%s[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, en)
		}
	case map[string]any:
		n.kind = kindObject
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := n.addMember(k, t[k], path, depth); err != nil {
				return nil, err
			}
		}
	case map[any]any:
		n.kind = kindObject
		keys := make([]string, 0, len(t))
		byKey := make(map[string]any, len(t))
		var badKeys []string
		for k, val := range t {
			ks, ok := scalarKey(k)
			if !ok {
				badKeys = append(badKeys, fmt.Sprintf("%T", k))
				continue
			}
			if _, dup := byKey[ks]; dup {
				return nil, &posError{off: -1, path: path, msg: fmt.Sprintf("duplicate key %q", ks)}
			}
			byKey[ks] = val
			keys = append(keys, ks)
		}
		if len(badKeys) > 0 {
			sort.Strings(badKeys) // the same message whatever the map order
			return nil, &posError{off: -1, path: path, msg: fmt.Sprintf("object key of type %s is not a string", badKeys[0])}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := n.addMember(k, byKey[k], path, depth); err != nil {
				return nil, err
			}
		}
	default:
		return fromReflect(reflect.ValueOf(v), path, depth)
	}
	return n, nil
}

func (n *node) addMember(key string, v any, path string, depth int) error {
	child, err := fromValue(v, joinPath(path, key), depth+1)
	if err != nil {
		return err
	}
	n.keys = append(n.keys, key)
	n.keyOffs = append(n.keyOffs, -1)
	n.elems = append(n.elems, child)
	return nil
}

// fromReflect handles the remaining shapes a source may build: other integer
// kinds, typed slices ([]string), maps with string keys, pointers.
func fromReflect(rv reflect.Value, path string, depth int) (*node, error) {
	n := &node{off: -1}
	switch rv.Kind() {
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		n.kind, n.str = kindNumber, strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint, reflect.Uintptr:
		n.kind, n.str = kindNumber, strconv.FormatUint(rv.Uint(), 10)
	case reflect.String:
		n.kind, n.str = kindString, rv.String()
	case reflect.Bool:
		n.kind, n.str = kindBool, strconv.FormatBool(rv.Bool())
	case reflect.Float32, reflect.Float64:
		n.kind, n.str = kindNumber, formatFloat(rv.Float())
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			n.kind = kindNull
			return n, nil
		}
		if depth > maxDepth {
			return nil, &posError{off: -1, path: path, msg: "document nested too deeply"}
		}
		return fromValue(rv.Elem().Interface(), path, depth+1)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			n.kind = kindNull
			return n, nil
		}
		n.kind = kindArray
		for i := 0; i < rv.Len(); i++ {
			e, err := fromValue(rv.Index(i).Interface(), fmt.Sprintf("%s[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, &posError{off: -1, path: path, msg: fmt.Sprintf("unsupported value of type %s", rv.Type())}
		}
		n.kind = kindObject
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		for _, k := range keys {
			val := rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key()))
			if err := n.addMember(k, val.Interface(), path, depth); err != nil {
				return nil, err
			}
		}
	default:
		if !rv.IsValid() {
			n.kind = kindNull
			return n, nil
		}
		return nil, &posError{off: -1, path: path, msg: fmt.Sprintf("unsupported value of type %s", rv.Type())}
	}
	return n, nil
}

// scalarKey stringifies a YAML map key.
func scalarKey(k any) (string, bool) {
	switch t := k.(type) {
	case string:
		return t, true
	case int, int64, uint64, bool:
		return fmt.Sprint(t), true
	case float64:
		return formatFloat(t), true
	}
	return "", false
}

// formatFloat writes a number as JSON would: integers without a fraction.
func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// lineCol converts a byte offset of doc to a 1-based line and column (in
// characters).
func lineCol(doc []byte, off int) (line, col int) {
	off = max(0, min(off, len(doc)))
	line = 1 + bytes.Count(doc[:off], []byte{'\n'})
	start := bytes.LastIndexByte(doc[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(doc[start:off])
}
