package tfplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
)

// lineIndex maps resource addresses to the line their object starts on, per
// top-level section of the plan (resource_changes, planned_values,
// prior_state).
type lineIndex struct {
	addr    map[string]map[string]int
	errLine int
}

// maxJSONDepth bounds nesting while scanning.
const maxJSONDepth = 512

// scanLines walks the plan's tokens once and records, for every object
// inside a "resource_changes" or "resources" array that has an "address",
// the line of its opening brace.
func scanLines(data []byte) (lineIndex, error) {
	idx := lineIndex{addr: map[string]map[string]int{}}
	var nl []int
	for i, c := range data {
		if c == '\n' {
			nl = append(nl, i)
		}
	}
	lineOf := func(off int64) int { return sort.SearchInts(nl, int(off)) + 1 }

	type frame struct {
		obj     bool
		key     string // current key (objects)
		wantKey bool
		arrKey  string // key the enclosing array is stored under (objects in arrays)
		start   int64
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []frame
	section := ""
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 {
				idx.errLine = lineOf(before)
				return idx, errors.New("unexpected end of JSON input")
			}
			break
		}
		if err != nil {
			idx.errLine = lineOf(before)
			return idx, err
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if len(stack) >= maxJSONDepth {
					idx.errLine = lineOf(before)
					return idx, errors.New("nesting too deep")
				}
				f := frame{obj: v == '{', wantKey: v == '{', start: dec.InputOffset() - 1}
				if top != nil {
					if top.obj {
						f.arrKey = top.key
					} else {
						f.arrKey = top.arrKey
					}
				}
				if len(stack) == 1 && top.obj {
					section = top.key
				}
				stack = append(stack, f)
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].wantKey = true
				}
			}
		case string:
			if top != nil && top.obj && top.wantKey {
				top.key, top.wantKey = v, false
				continue
			}
			if top != nil && top.obj && top.key == "address" && (top.arrKey == "resource_changes" || top.arrKey == "resources") && len(stack) >= 3 {
				m := idx.addr[section]
				if m == nil {
					m = map[string]int{}
					idx.addr[section] = m
				}
				if _, dup := m[v]; !dup {
					m[v] = lineOf(top.start)
				}
			}
			if top != nil && top.obj {
				top.wantKey = true
			}
		default:
			if top != nil && top.obj {
				top.wantKey = true
			}
		}
	}
	return idx, nil
}
