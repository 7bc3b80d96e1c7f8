package intrinsics

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// maxDepth bounds the recursion of evaluation (node nesting plus chains of
// references); templates are already checked to be at most 256 deep.
const maxDepth = 1000

// shortForms maps the YAML short-form tags to the intrinsic they stand for.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!GetAZs": "Fn::GetAZs",
	"!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
	"!Transform": "Fn::Transform", "!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

// Intrinsic reports whether n is an intrinsic function call, in short form
// (a !Tag) or long form (a one-key mapping {"Fn::X": ...} or {"Ref": ...}),
// and returns its name ("Ref", "Fn::Sub", ...) and argument.
func Intrinsic(n *yaml.Node) (name string, arg *yaml.Node, ok bool) {
	n = template.Deref(n)
	if n == nil {
		return "", nil, false
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name, ok := shortForms[n.Tag]
		if !ok {
			name = "Fn::" + strings.TrimPrefix(n.Tag, "!")
		}
		c := *n
		c.Tag = ""
		c.Style &^= yaml.TaggedStyle
		return name, &c, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, template.Deref(n.Content[1]), true
		}
	}
	return "", nil, false
}

// Resolve evaluates node n. It returns nil when n is absent or resolves to
// AWS::NoValue.
func (e *Env) Resolve(n *yaml.Node) *Value { return e.resolve(n, 0) }

func (e *Env) step(loc srcloc.Location) *Value {
	e.steps++
	limit := e.MaxSteps
	if limit <= 0 {
		limit = DefaultMaxSteps
	}
	if e.steps > limit {
		e.exceeded = true
		return UnknownAt("template evaluation stopped: work limit exceeded", loc)
	}
	return nil
}

func (e *Env) resolve(n *yaml.Node, depth int) *Value {
	n = template.Deref(n)
	if n == nil {
		return nil
	}
	loc := e.Loc(n)
	if stop := e.step(loc); stop != nil {
		return stop
	}
	if depth > maxDepth {
		return UnknownAt("value nested too deeply", loc)
	}
	if name, arg, ok := Intrinsic(n); ok {
		return e.call(name, arg, loc, depth+1)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return e.scalar(n)
	case yaml.SequenceNode:
		v := &Value{Kind: List, Loc: loc, Items: make([]*Value, 0, len(n.Content))}
		for _, c := range n.Content {
			if it := e.resolve(c, depth+1); it != nil {
				v.Items = append(v.Items, it)
			}
		}
		return v
	case yaml.MappingNode:
		v := &Value{Kind: Map, Loc: loc, Fields: make([]Field, 0, len(n.Content)/2)}
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := template.Deref(n.Content[i])
			if k == nil {
				continue
			}
			if k.Tag == "!!merge" || k.Value == "<<" && k.Style == 0 {
				merges = append(merges, n.Content[i+1])
				continue
			}
			if fv := e.resolve(n.Content[i+1], depth+1); fv != nil {
				v.Fields = append(v.Fields, Field{Key: k.Value, KeyLoc: e.Loc(k), Value: fv})
			}
		}
		// YAML merge keys (<<: *base) add the keys the mapping lacks.
		for _, m := range merges {
			m = template.Deref(m)
			sources := []*yaml.Node{m}
			if m != nil && m.Kind == yaml.SequenceNode {
				sources = m.Content
			}
			for _, src := range sources {
				mv := e.resolve(src, depth+1)
				if mv == nil || mv.Kind != Map {
					continue
				}
				for _, f := range mv.Fields {
					if v.Field(f.Key) == nil {
						v.Fields = append(v.Fields, f)
					}
				}
			}
		}
		return v
	}
	return UnknownAt("unsupported YAML node", loc)
}

func (e *Env) scalar(n *yaml.Node) *Value {
	v := &Value{Loc: e.Loc(n), Str: n.Value}
	switch n.ShortTag() {
	case "!!null":
		v.Kind = Null
	case "!!bool":
		v.Kind = Bool
		v.Str = strconv.FormatBool(strings.EqualFold(n.Value, "true"))
	case "!!int", "!!float":
		v.Kind = Number
	default:
		v.Kind = String
		v.Reference = HasDynamicReference(n.Value)
	}
	return v
}

// call evaluates one intrinsic function.
func (e *Env) call(name string, arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	switch name {
	case "Ref":
		return e.ref(arg, loc, depth)
	case "Fn::GetAtt":
		return e.getAtt(arg, loc, depth)
	case "Fn::Sub":
		return e.sub(arg, loc, depth)
	case "Fn::Join":
		return e.join(arg, loc, depth)
	case "Fn::Select":
		return e.selectFn(arg, loc, depth)
	case "Fn::Split":
		return e.split(arg, loc, depth)
	case "Fn::If":
		return e.ifFn(arg, loc, depth)
	case "Fn::FindInMap":
		return e.findInMap(arg, loc, depth)
	case "Fn::GetAZs":
		return e.getAZs(arg, loc, depth)
	case "Fn::ImportValue":
		why := "Fn::ImportValue: the value is exported by another stack"
		if v := e.resolve(arg, depth); v != nil && v.IsScalar() {
			why = "Fn::ImportValue " + v.Str + ": the value is exported by another stack"
		}
		return &Value{Kind: Unknown, Why: why, Loc: loc, Reference: true}
	case "Fn::Base64":
		v := e.resolve(arg, depth)
		if s, ok := v.Scalar(); ok {
			out := &Value{Kind: String, Str: base64.StdEncoding.EncodeToString([]byte(s)), Loc: loc}
			out.addTargets(v)
			return out
		}
		return e.unknownFrom(v, "Fn::Base64 of a value that is not a string", loc)
	case "Fn::Cidr":
		return e.cidr(arg, loc, depth)
	case "Fn::Length":
		v := e.resolve(arg, depth)
		if v != nil && v.Kind == List {
			return &Value{Kind: Number, Str: strconv.Itoa(len(v.Items)), Loc: loc}
		}
		return e.unknownFrom(v, "Fn::Length of a value that is not a list", loc)
	case "Fn::ToJsonString":
		v := e.resolve(arg, depth)
		if v == nil || !v.FullyKnown() {
			return e.unknownFrom(v.FirstUnknown(), "Fn::ToJsonString of an unknown value", loc)
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return UnknownAt("Fn::ToJsonString: "+err.Error(), loc)
		}
		out := &Value{Kind: String, Str: string(b), Loc: loc}
		out.addTargets(collect(v)...)
		return out
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition":
		c := e.evalCondCall(name, arg, depth)
		if !c.known {
			return UnknownAt(c.why, loc)
		}
		return &Value{Kind: Bool, Str: strconv.FormatBool(c.val), Loc: loc}
	case "Fn::Transform":
		return UnknownAt("Fn::Transform (a macro) is not evaluated", loc)
	}
	return UnknownAt("unsupported intrinsic function "+name, loc)
}

// collect returns v and every value inside it.
func collect(v *Value) []*Value {
	if v == nil {
		return nil
	}
	out := []*Value{v}
	for _, it := range v.Items {
		out = append(out, collect(it)...)
	}
	for _, f := range v.Fields {
		out = append(out, collect(f.Value)...)
	}
	return out
}

// unknownFrom returns an unknown value at loc: v's reason when v is
// unknown, else why.
func (e *Env) unknownFrom(v *Value, why string, loc srcloc.Location) *Value {
	if v != nil && v.Kind == Unknown {
		u := *v
		u.Loc = loc
		return &u
	}
	return UnknownAt(why, loc)
}

// argList resolves an intrinsic's argument that must be a sequence of n..m
// items, returning the item nodes.
func argList(arg *yaml.Node, min, max int) ([]*yaml.Node, bool) {
	arg = template.Deref(arg)
	if arg == nil || arg.Kind != yaml.SequenceNode || len(arg.Content) < min || len(arg.Content) > max {
		return nil, false
	}
	return arg.Content, true
}

func (e *Env) stringArg(n *yaml.Node, depth int) (string, *Value, bool) {
	v := e.resolve(n, depth)
	s, ok := v.Scalar()
	return s, v, ok
}

func (e *Env) ref(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	name, v, ok := e.stringArg(arg, depth)
	if !ok {
		return e.unknownFrom(v, "Ref of a value that is not a name", loc)
	}
	return e.refName(name, loc, depth)
}

func (e *Env) refName(name string, loc srcloc.Location, depth int) *Value {
	if v, ok := e.pseudo(name, loc); ok {
		return v
	}
	if p, ok := e.Params[name]; ok {
		return relocate(p.Value, loc)
	}
	if r, ok := e.Resources[name]; ok {
		return e.resourceRef(r, loc, depth)
	}
	return UnknownAt("Ref "+name+": no parameter or resource of that name", loc)
}

// relocate returns a copy of v placed at loc (v's own reason and flags kept).
func relocate(v *Value, loc srcloc.Location) *Value {
	if v == nil {
		return nil
	}
	c := *v
	c.Loc = loc
	return &c
}

func (e *Env) getAtt(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	arg = template.Deref(arg)
	var res, attr string
	switch {
	case arg != nil && arg.Kind == yaml.ScalarNode:
		var ok bool
		res, attr, ok = strings.Cut(arg.Value, ".")
		if !ok {
			return UnknownAt("Fn::GetAtt "+arg.Value+": expected RESOURCE.ATTRIBUTE", loc)
		}
	case arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2:
		r, rv, ok := e.stringArg(arg.Content[0], depth)
		if !ok {
			return e.unknownFrom(rv, "Fn::GetAtt with a resource name that is not a string", loc)
		}
		a, av, ok := e.stringArg(arg.Content[1], depth)
		if !ok {
			return e.unknownFrom(av, "Fn::GetAtt with an attribute name that is not a string", loc)
		}
		res, attr = r, a
	default:
		return UnknownAt("Fn::GetAtt: expected RESOURCE.ATTRIBUTE or [RESOURCE, ATTRIBUTE]", loc)
	}
	r, ok := e.Resources[res]
	if !ok {
		return UnknownAt("Fn::GetAtt "+res+"."+attr+": no resource "+res, loc)
	}
	return e.resourceAttr(r, attr, loc, depth)
}

func (e *Env) join(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	items, ok := argList(arg, 2, 2)
	if !ok {
		return UnknownAt("Fn::Join: expected [DELIMITER, [VALUES]]", loc)
	}
	delim, dv, ok := e.stringArg(items[0], depth)
	if !ok {
		return e.unknownFrom(dv, "Fn::Join delimiter is not a string", loc)
	}
	list := e.resolve(items[1], depth)
	if list == nil {
		return &Value{Kind: String, Loc: loc}
	}
	if list.Kind != List {
		return e.unknownFrom(list, "Fn::Join of a value that is not a list", loc)
	}
	parts := make([]string, 0, len(list.Items))
	out := &Value{Kind: String, Loc: loc}
	for _, it := range list.Items {
		s, ok := it.Scalar()
		if !ok {
			return e.unknownFrom(it, "Fn::Join of a value that is not a string", loc)
		}
		parts = append(parts, s)
	}
	out.Str = strings.Join(parts, delim)
	out.addTargets(list.Items...)
	if len(list.Items) == 1 {
		out.Target, out.Attr = list.Items[0].Target, list.Items[0].Attr
	}
	out.Reference = out.Reference || HasDynamicReference(out.Str)
	return out
}

func (e *Env) selectFn(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	items, ok := argList(arg, 2, 2)
	if !ok {
		return UnknownAt("Fn::Select: expected [INDEX, [VALUES]]", loc)
	}
	is, iv, ok := e.stringArg(items[0], depth)
	if !ok {
		return e.unknownFrom(iv, "Fn::Select index is not a number", loc)
	}
	idx, err := strconv.Atoi(strings.TrimSpace(is))
	if err != nil || idx < 0 {
		return UnknownAt("Fn::Select index "+strconv.Quote(is)+" is not a number", loc)
	}
	list := e.resolve(items[1], depth)
	if list == nil || list.Kind != List {
		return e.unknownFrom(list, "Fn::Select from a value that is not a list", loc)
	}
	if idx >= len(list.Items) {
		return UnknownAt(fmt.Sprintf("Fn::Select index %d is out of range (%d values)", idx, len(list.Items)), loc)
	}
	return relocate(list.Items[idx], loc)
}

func (e *Env) split(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	items, ok := argList(arg, 2, 2)
	if !ok {
		return UnknownAt("Fn::Split: expected [DELIMITER, STRING]", loc)
	}
	delim, dv, ok := e.stringArg(items[0], depth)
	if !ok || delim == "" {
		return e.unknownFrom(dv, "Fn::Split delimiter is not a non-empty string", loc)
	}
	s, sv, ok := e.stringArg(items[1], depth)
	if !ok {
		return e.unknownFrom(sv, "Fn::Split of a value that is not a string", loc)
	}
	out := &Value{Kind: List, Loc: loc}
	out.addTargets(sv)
	for _, p := range strings.Split(s, delim) {
		out.Items = append(out.Items, &Value{Kind: String, Str: p, Loc: loc, Reference: sv.Reference, Targets: sv.Targets})
	}
	return out
}

func (e *Env) ifFn(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	items, ok := argList(arg, 3, 3)
	if !ok {
		return UnknownAt("Fn::If: expected [CONDITION, VALUE_IF_TRUE, VALUE_IF_FALSE]", loc)
	}
	cn := template.Deref(items[0])
	if cn == nil || cn.Kind != yaml.ScalarNode {
		return UnknownAt("Fn::If: the condition is not a name", loc)
	}
	c := e.condition(cn.Value, depth)
	if c.known {
		if c.val {
			return e.resolve(items[1], depth)
		}
		return e.resolve(items[2], depth)
	}
	a, b := e.resolve(items[1], depth), e.resolve(items[2], depth)
	if a != nil && b != nil && a.FullyKnown() && Equal(a, b) {
		return a
	}
	return UnknownAt("Fn::If on condition "+cn.Value+": "+c.why, loc)
}

func (e *Env) findInMap(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	items, ok := argList(arg, 3, 4)
	if !ok {
		return UnknownAt("Fn::FindInMap: expected [MAP, TOP_KEY, SECOND_KEY]", loc)
	}
	var def *Value
	if len(items) == 4 {
		def = e.resolve(template.Get(items[3], "DefaultValue"), depth)
	}
	keys := make([]string, 3)
	for i := range 3 {
		s, v, ok := e.stringArg(items[i], depth)
		if !ok {
			return e.unknownFrom(v, "Fn::FindInMap with a key that is not a string", loc)
		}
		keys[i] = s
	}
	n := template.Get(template.Get(template.Get(e.Mappings, keys[0]), keys[1]), keys[2])
	if n == nil {
		if def != nil {
			return relocate(def, loc)
		}
		return UnknownAt(fmt.Sprintf("Fn::FindInMap: mapping %s has no %s.%s", keys[0], keys[1], keys[2]), loc)
	}
	return e.resolve(n, depth)
}

func (e *Env) getAZs(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	region, v, ok := e.stringArg(arg, depth)
	if !ok && v != nil {
		return e.unknownFrom(v, "Fn::GetAZs of a value that is not a region", loc)
	}
	if region == "" {
		region = inventory.CurrentRegion
	}
	out := &Value{Kind: List, Loc: loc, Reference: true}
	// Every commercial region has at least three zones; their names are
	// distinct, which is what checks such as LW-NET-02 need.
	for _, z := range "abc" {
		out.Items = append(out.Items, &Value{Kind: String, Str: region + string(z), Loc: loc, Reference: true})
	}
	return out
}

func (e *Env) cidr(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	items, ok := argList(arg, 3, 3)
	if !ok {
		return UnknownAt("Fn::Cidr: expected [IP_BLOCK, COUNT, CIDR_BITS]", loc)
	}
	var s [3]string
	for i := range 3 {
		x, v, ok := e.stringArg(items[i], depth)
		if !ok {
			return e.unknownFrom(v, "Fn::Cidr argument is not a string", loc)
		}
		s[i] = strings.TrimSpace(x)
	}
	prefix, err := netip.ParsePrefix(s[0])
	count, err1 := strconv.Atoi(s[1])
	bits, err2 := strconv.Atoi(s[2])
	if err != nil || err1 != nil || err2 != nil || count < 1 || count > 256 || bits < 1 {
		return UnknownAt("Fn::Cidr: invalid arguments", loc)
	}
	total := prefix.Addr().BitLen()
	newLen := total - bits
	if newLen < prefix.Bits() || newLen > total {
		return UnknownAt("Fn::Cidr: the subnet size does not fit the block", loc)
	}
	if avail := newLen - prefix.Bits(); avail < 9 && count > 1<<avail {
		return UnknownAt("Fn::Cidr: the block cannot hold that many subnets", loc)
	}
	out := &Value{Kind: List, Loc: loc}
	addr := prefix.Masked().Addr()
	for i := 0; i < count; i++ {
		out.Items = append(out.Items, &Value{Kind: String, Str: netip.PrefixFrom(addr, newLen).String(), Loc: loc})
		addr = nextBlock(addr, total-newLen)
	}
	return out
}

// nextBlock adds 2^hostBits to addr.
func nextBlock(addr netip.Addr, hostBits int) netip.Addr {
	b := addr.AsSlice()
	byteIdx := len(b) - 1 - hostBits/8
	if byteIdx < 0 {
		return addr
	}
	carry := 1 << (hostBits % 8)
	for i := byteIdx; i >= 0 && carry > 0; i-- {
		sum := int(b[i]) + carry
		b[i] = byte(sum)
		carry = sum >> 8
	}
	out, _ := netip.AddrFromSlice(b)
	return out
}
