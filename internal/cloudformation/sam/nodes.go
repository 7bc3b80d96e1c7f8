package sam

import (
	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// at builds YAML nodes placed at the line and column of a source node, so
// that what the transform generates points back at the SAM text that caused
// it.
type at struct{ line, col int }

func atNode(n *yaml.Node) at {
	if n == nil {
		return at{}
	}
	return at{n.Line, n.Column}
}

func (a at) str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Line: a.line, Column: a.col}
}

func (a at) boolean(b bool) *yaml.Node {
	v := "false"
	if b {
		v = "true"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v, Line: a.line, Column: a.col}
}

// mapping builds a mapping from key, value pairs; a nil value leaves its key out.
func (a at) mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: a.line, Column: a.col}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		var v *yaml.Node
		switch x := kv[i+1].(type) {
		case *yaml.Node:
			v = x
		case string:
			v = a.str(x)
		}
		if v == nil {
			continue
		}
		m.Content = append(m.Content, a.str(k), v)
	}
	return m
}

func (a at) seq(items ...*yaml.Node) *yaml.Node {
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: a.line, Column: a.col}
	for _, it := range items {
		if it != nil {
			s.Content = append(s.Content, it)
		}
	}
	return s
}

func (a at) strs(ss ...string) *yaml.Node {
	s := a.seq()
	for _, x := range ss {
		s.Content = append(s.Content, a.str(x))
	}
	return s
}

func (a at) ref(name string) *yaml.Node { return a.mapping("Ref", name) }

func (a at) getAtt(id, attr string) *yaml.Node {
	return a.mapping("Fn::GetAtt", a.strs(id, attr))
}

// sub builds Fn::Sub; vars are name, value pairs.
func (a at) sub(s string, vars ...any) *yaml.Node {
	if len(vars) == 0 {
		return a.mapping("Fn::Sub", s)
	}
	return a.mapping("Fn::Sub", a.seq(a.str(s), a.mapping(vars...)))
}

// set adds or replaces key in mapping m.
func set(m *yaml.Node, key string, v *yaml.Node) {
	if m == nil || v == nil {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: v.Line, Column: v.Column}, v)
}

// resource builds a resource node of type typ with properties, carrying
// the condition of the SAM resource it comes from.
func (a at) resource(typ string, props *yaml.Node, condition *yaml.Node) *yaml.Node {
	r := a.mapping("Type", typ)
	if props != nil {
		set(r, "Properties", props)
	}
	if condition != nil {
		set(r, "Condition", condition)
	}
	return r
}

// isIntrinsic reports whether n is an intrinsic function call (SAM treats
// these like scalars when it merges Globals).
func isIntrinsic(n *yaml.Node) bool {
	n = template.Deref(n)
	if n == nil {
		return false
	}
	if len(n.Tag) > 1 && n.Tag[0] == '!' && n.Tag[1] != '!' {
		return true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		return k == "Ref" || k == "Condition" || len(k) > 4 && k[:4] == "Fn::"
	}
	return false
}

// isNoValue reports whether n is {Ref: AWS::NoValue} or !Ref AWS::NoValue.
func isNoValue(n *yaml.Node) bool {
	n = template.Deref(n)
	if n == nil {
		return false
	}
	if n.Tag == "!Ref" && n.Value == "AWS::NoValue" {
		return true
	}
	v := template.Get(n, "Ref")
	return v != nil && len(n.Content) == 2 && v.Value == "AWS::NoValue"
}

// ifParts returns the condition name and branches of an Fn::If node.
func ifParts(n *yaml.Node) (cond string, a, b *yaml.Node, ok bool) {
	n = template.Deref(n)
	if n == nil {
		return "", nil, nil, false
	}
	var args *yaml.Node
	switch {
	case n.Tag == "!If":
		args = n
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Fn::If":
		args = template.Deref(n.Content[1])
	default:
		return "", nil, nil, false
	}
	if args == nil || args.Kind != yaml.SequenceNode || len(args.Content) != 3 {
		return "", nil, nil, false
	}
	c := template.Deref(args.Content[0])
	if c == nil || c.Kind != yaml.ScalarNode {
		return "", nil, nil, false
	}
	return c.Value, args.Content[1], args.Content[2], true
}

// makeIf builds an Fn::If node.
func (a at) makeIf(cond string, x, y *yaml.Node) *yaml.Node {
	return a.mapping("Fn::If", a.seq(a.str(cond), x, y))
}

// deepCopy copies n; every copied node is placed at a.
func (a at) deepCopy(n *yaml.Node, depth int) *yaml.Node {
	n = template.Deref(n)
	if n == nil || depth > 64 {
		return nil
	}
	c := *n
	c.Line, c.Column = a.line, a.col
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		c.Content[i] = a.deepCopy(ch, depth+1)
	}
	return &c
}
