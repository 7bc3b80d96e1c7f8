package terraform

import (
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// node is a position in an instance's value: the unmarked value there, the
// marks collected on the way, and the path from the instance.
type node struct {
	v     cty.Value
	marks cty.ValueMarks
	path  cty.Path
	// set is false for an absent (missing or null) value.
	set bool
}

func newNode(v cty.Value, marks cty.ValueMarks, p cty.Path) node {
	if v == cty.NilVal {
		return node{path: p}
	}
	u, m := v.Unmark()
	if len(m) > 0 {
		all := make(cty.ValueMarks, len(marks)+len(m))
		for k := range marks {
			all[k] = struct{}{}
		}
		for k := range m {
			all[k] = struct{}{}
		}
		marks = all
	}
	return node{v: u, marks: marks, path: p, set: !(u.IsKnown() && u.IsNull())}
}

func rootNode(v cty.Value) node { return newNode(v, nil, nil) }

func (n node) known() bool { return n.set && n.v.IsKnown() }

func (n node) unknown() bool { return n.set && !n.v.IsKnown() }

func extend(p cty.Path, s cty.PathStep) cty.Path {
	out := make(cty.Path, len(p)+1)
	copy(out, p)
	out[len(p)] = s
	return out
}

// attr is an attribute, block or map key. A single-element list (a block
// as plan JSON writes it) is looked through.
func (n node) attr(name string) node {
	p := extend(n.path, cty.GetAttrStep{Name: name})
	switch {
	case !n.set:
		return node{path: p}
	case !n.v.IsKnown():
		return node{v: cty.DynamicVal, marks: n.marks, path: p, set: true}
	}
	ty := n.v.Type()
	switch {
	case ty.IsObjectType():
		if !ty.HasAttribute(name) {
			return node{path: p}
		}
		return newNode(n.v.GetAttr(name), n.marks, p)
	case ty.IsMapType():
		k := cty.StringVal(name)
		if !n.v.HasIndex(k).True() {
			return node{path: p}
		}
		return newNode(n.v.Index(k), n.marks, extend(n.path, cty.IndexStep{Key: k}))
	}
	return node{path: p}
}

// list returns the elements of a list, set or tuple (an object counts as
// one element, as a single block). unknown is true when n is unknown.
func (n node) list() (items []node, unknown bool) {
	switch {
	case !n.set:
		return nil, false
	case !n.v.IsKnown():
		return nil, true
	}
	ty := n.v.Type()
	if ty.IsObjectType() {
		return []node{n}, false
	}
	if !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
		return nil, false
	}
	i := 0
	for it := n.v.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		items = append(items, newNode(e, n.marks, extend(n.path, cty.IndexStep{Key: cty.NumberIntVal(int64(i))})))
	}
	return items, false
}

// block returns the first block of a type: absent when there is none,
// unknown when the blocks are.
func (n node) block(name string) node {
	c := n.attr(name)
	items, unk := c.list()
	if unk {
		return c
	}
	if len(items) == 0 {
		return node{path: c.path}
	}
	return items[0]
}

// blocks returns the blocks of a type.
func (n node) blocks(name string) (items []node, unknown node) {
	c := n.attr(name)
	items, unk := c.list()
	if unk {
		return nil, c
	}
	return items, node{}
}

// entries returns a map's or object's keys (sorted) and values.
func (n node) entries() (keys []string, vals []node) {
	if !n.known() {
		return nil, nil
	}
	ty := n.v.Type()
	if !(ty.IsMapType() || ty.IsObjectType()) {
		return nil, nil
	}
	for it := n.v.ElementIterator(); it.Next(); {
		k, v := it.Element()
		ks := k.AsString()
		keys = append(keys, ks)
		vals = append(vals, newNode(v, n.marks, extend(n.path, cty.IndexStep{Key: cty.StringVal(ks)})))
	}
	return keys, vals
}

// refs are the addresses of the objects n was read from.
func (n node) refs() []string { return refAddresses(n.marks) }

// scalarString renders a known string, number or bool.
func scalarString(v cty.Value) (string, bool) {
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			i, acc := bf.Int64()
			if acc == big.Exact {
				return strconv.FormatInt(i, 10), true
			}
		}
		return bf.Text('f', -1), true
	case cty.Bool:
		return strconv.FormatBool(v.True()), true
	}
	return "", false
}

// valuer converts nodes to inventory values located in one instance.
type valuer struct{ inst *Instance }

func (b valuer) loc(n node) srcloc.Location {
	if b.inst.Locator != nil {
		if l := b.inst.Locator.Loc(n.path); !l.IsZero() {
			return l
		}
	}
	return b.inst.Loc
}

func (b valuer) why(n node) string {
	if w := whyOf(n.marks); w != "" {
		return w
	}
	return "known only after apply"
}

func unknownOf[T any](b valuer, n node) inventory.Value[T] {
	return inventory.UnknownValue[T](b.why(n), b.loc(n))
}

func (b valuer) str(n node) inventory.Value[string] {
	switch {
	case !n.set:
		return inventory.Value[string]{}
	case !n.v.IsKnown():
		return unknownOf[string](b, n)
	}
	s, ok := scalarString(n.v)
	if !ok {
		return inventory.UnknownValue[string]("not a string", b.loc(n))
	}
	return inventory.Of(s, b.loc(n))
}

func (b valuer) integer(n node) inventory.Value[int] {
	switch {
	case !n.set:
		return inventory.Value[int]{}
	case !n.v.IsKnown():
		return unknownOf[int](b, n)
	}
	s, ok := scalarString(n.v)
	i, err := strconv.Atoi(s)
	if !ok || err != nil {
		return inventory.UnknownValue[int]("not a whole number", b.loc(n))
	}
	return inventory.Of(i, b.loc(n))
}

func (b valuer) boolean(n node) inventory.Value[bool] {
	switch {
	case !n.set:
		return inventory.Value[bool]{}
	case !n.v.IsKnown():
		return unknownOf[bool](b, n)
	}
	s, _ := scalarString(n.v)
	v, err := strconv.ParseBool(s)
	if err != nil {
		return inventory.UnknownValue[bool]("not a boolean", b.loc(n))
	}
	return inventory.Of(v, b.loc(n))
}

// strs reads a list of strings; any unknown element makes it unknown.
func (b valuer) strs(n node) inventory.Value[[]string] {
	items, unk := n.list()
	switch {
	case unk:
		return unknownOf[[]string](b, n)
	case !n.set:
		return inventory.Value[[]string]{}
	}
	out := []string{}
	for _, it := range items {
		if !it.set {
			continue
		}
		if !it.v.IsKnown() {
			return unknownOf[[]string](b, it)
		}
		s, ok := scalarString(it.v)
		if !ok {
			return inventory.UnknownValue[[]string]("not a list of strings", b.loc(it))
		}
		out = append(out, s)
	}
	return inventory.Of(out, b.loc(n))
}

// strMap reads a map of strings; any unknown value makes it unknown.
func (b valuer) strMap(n node) inventory.Value[map[string]string] {
	switch {
	case !n.set:
		return inventory.Value[map[string]string]{}
	case !n.v.IsKnown():
		return unknownOf[map[string]string](b, n)
	}
	keys, vals := n.entries()
	out := make(map[string]string, len(keys))
	for i, k := range keys {
		v := vals[i]
		if !v.set {
			continue
		}
		if !v.v.IsKnown() {
			return unknownOf[map[string]string](b, v)
		}
		s, ok := scalarString(v.v)
		if !ok {
			return inventory.UnknownValue[map[string]string]("not a map of strings", b.loc(v))
		}
		out[k] = s
	}
	return inventory.Of(out, b.loc(n))
}

// ref reads a reference to a resource of one of types: by address when
// the value was read from exactly one such resource, else by the name or
// ARN written.
func (b valuer) ref(n node, types ...string) inventory.Value[inventory.Ref] {
	if !n.set {
		return inventory.Value[inventory.Ref]{}
	}
	if id := refTo(n, types...); id != "" {
		return inventory.Of(inventory.Ref{ID: id}, b.loc(n))
	}
	if !n.v.IsKnown() {
		return unknownOf[inventory.Ref](b, n)
	}
	s, ok := scalarString(n.v)
	if !ok {
		return inventory.UnknownValue[inventory.Ref]("not a string", b.loc(n))
	}
	return inventory.Of(inventory.Ref{Name: s}, b.loc(n))
}

// refTo returns the one address of a resource of the given types that n
// was read from, or "".
func refTo(n node, types ...string) string {
	found := ""
	for _, a := range n.refs() {
		t, _ := addrType(a)
		for _, want := range types {
			if t == want {
				if found != "" && found != a {
					return ""
				}
				found = a
			}
		}
	}
	return found
}

// refList reads a list of references.
func (b valuer) refList(n node, types ...string) inventory.Value[[]inventory.Value[inventory.Ref]] {
	items, unk := n.list()
	switch {
	case unk:
		return unknownOf[[]inventory.Value[inventory.Ref]](b, n)
	case !n.set:
		return inventory.Value[[]inventory.Value[inventory.Ref]]{}
	}
	out := []inventory.Value[inventory.Ref]{}
	for _, it := range items {
		if it.set {
			out = append(out, b.ref(it, types...))
		}
	}
	return inventory.Of(out, b.loc(n))
}

// isReference reports whether a value was read from a resource, a data
// source or a module output (an input variable is not a reference).
func isReference(n node) bool {
	for _, a := range n.refs() {
		if !strings.HasPrefix(a, "var.") {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
