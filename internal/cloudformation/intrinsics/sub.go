package intrinsics

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// sub evaluates Fn::Sub in both forms: "text ${Var}" and ["text", {Var: value}].
func (e *Env) sub(arg *yaml.Node, loc srcloc.Location, depth int) *Value {
	arg = template.Deref(arg)
	var text *yaml.Node
	var vars *yaml.Node
	switch {
	case arg != nil && arg.Kind == yaml.ScalarNode:
		text = arg
	case arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2:
		text, vars = template.Deref(arg.Content[0]), template.Deref(arg.Content[1])
		if vars != nil && vars.Kind != yaml.MappingNode {
			return UnknownAt("Fn::Sub: the variables are not a mapping", loc)
		}
	default:
		return UnknownAt("Fn::Sub: expected STRING or [STRING, {VARIABLES}]", loc)
	}
	if text == nil || text.Kind != yaml.ScalarNode {
		// The template string may itself be an intrinsic in some tools'
		// output; evaluate it and substitute the result.
		tv := e.resolve(text, depth)
		if s, ok := tv.Scalar(); ok {
			text = &yaml.Node{Kind: yaml.ScalarNode, Value: s, Line: loc.Line, Column: loc.Column}
		} else {
			return e.unknownFrom(tv, "Fn::Sub: the template is not a string", loc)
		}
	}
	s := text.Value
	var b strings.Builder
	out := &Value{Kind: String, Loc: loc}
	var parts []*Value
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		rest := s[i+2:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		name := rest[:j]
		s = rest[j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		v := e.subVar(strings.TrimSpace(name), vars, loc, depth)
		if v == nil {
			// AWS::NoValue in a string is an empty string.
			continue
		}
		str, ok := v.Scalar()
		if !ok {
			return e.unknownFrom(v, "Fn::Sub variable ${"+name+"} is not a string", loc)
		}
		parts = append(parts, v)
		b.WriteString(str)
	}
	out.Str = b.String()
	out.addTargets(parts...)
	if len(parts) == 1 && out.Str == parts[0].Str {
		out.Target, out.Attr = parts[0].Target, parts[0].Attr
	}
	out.Reference = out.Reference || HasDynamicReference(out.Str)
	return out
}

// subVar resolves one ${name} of Fn::Sub.
func (e *Env) subVar(name string, vars *yaml.Node, loc srcloc.Location, depth int) *Value {
	if n := template.Get(vars, name); n != nil {
		return e.resolve(n, depth)
	}
	if _, ok := e.pseudo(name, loc); ok || e.Params[name] != nil || e.Resources[name] != nil {
		return e.refName(name, loc, depth)
	}
	if res, attr, ok := strings.Cut(name, "."); ok {
		if r := e.Resources[res]; r != nil {
			return e.resourceAttr(r, attr, loc, depth)
		}
	}
	return UnknownAt("Fn::Sub variable ${"+name+"}: no parameter, resource or variable of that name", loc)
}
