package intrinsics

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Symbolic values of the pseudo parameters that are not known statically.
// The account, region and partition are the inventory's placeholders, so
// checks treat them as the function's own.
const (
	StackName = "<stack-name>"
	StackID   = "arn:aws:cloudformation:" + inventory.CurrentRegion + ":" + inventory.CurrentAccount + ":stack/" + StackName + "/<stack-id>"
	URLSuffix = "amazonaws.com"
)

// DefaultMaxSteps bounds the evaluation work of one template.
const DefaultMaxSteps = 20_000_000

// Resource is a resource of the template as the resolver sees it.
type Resource struct {
	LogicalID string
	// ID is the inventory ID: the logical ID prefixed by nested stacks.
	ID         string
	Type       string
	Node       *yaml.Node
	Properties *yaml.Node
	// Condition is the name of the resource's condition, if any.
	Condition string
}

// Param is a template parameter and the value it has for this evaluation.
type Param struct {
	Name   string
	Type   string
	NoEcho bool
	// Value is the parameter's value: given (--cfn-param, a parent stack) or
	// its default; an Unknown value when it has none.
	Value *Value
	Loc   srcloc.Location
}

// Env is the evaluation context of one template. It is not safe for
// concurrent use.
type Env struct {
	// File is the template's display path, used in locations.
	File string
	// Prefix is prepended to logical IDs to form inventory IDs ("Child.").
	Prefix     string
	Params     map[string]*Param
	Mappings   *yaml.Node
	Conditions *yaml.Node
	Resources  map[string]*Resource
	// StackOutput resolves !GetAtt Stack.Outputs.Name of a nested stack
	// (by logical ID); nil makes such values unknown.
	StackOutput func(stackLogicalID, output string) *Value
	// MaxSteps bounds the work of the evaluation; 0 means DefaultMaxSteps.
	MaxSteps int

	steps    int
	exceeded bool
	conds    map[string]*condState
	names    map[string]string
	naming   map[string]bool
}

// NewEnv returns the environment of template t. given are parameter values
// from outside (--cfn-param KEY=VALUE or a parent stack); a given value
// without Loc takes the parameter's location.
func NewEnv(t *template.Template, prefix string, given map[string]*Value) *Env {
	e := &Env{
		File:       t.File,
		Prefix:     prefix,
		Params:     map[string]*Param{},
		Mappings:   t.Mappings,
		Conditions: t.Conditions,
		Resources:  map[string]*Resource{},
	}
	template.Pairs(t.Parameters, func(k, v *yaml.Node) {
		e.Params[k.Value] = e.newParam(k, v, given[k.Value])
	})
	template.Pairs(t.Resources, func(k, v *yaml.Node) {
		e.AddResource(k.Value, v)
	})
	return e
}

// AddResource adds (or replaces) a resource by logical ID.
func (e *Env) AddResource(logicalID string, node *yaml.Node) *Resource {
	r := &Resource{LogicalID: logicalID, ID: e.Prefix + logicalID, Node: node}
	if t := template.Get(node, "Type"); t != nil && t.Kind == yaml.ScalarNode {
		r.Type = t.Value
	}
	r.Properties = template.Get(node, "Properties")
	if c := template.Get(node, "Condition"); c != nil && c.Kind == yaml.ScalarNode {
		r.Condition = c.Value
	}
	e.Resources[logicalID] = r
	delete(e.names, logicalID)
	return r
}

// Loc returns the location of node n in this template.
func (e *Env) Loc(n *yaml.Node) srcloc.Location {
	if n == nil {
		return srcloc.Location{}
	}
	return srcloc.Location{File: e.File, Line: n.Line, Column: n.Column}
}

// Exceeded reports whether evaluation stopped at the work limit.
func (e *Env) Exceeded() bool { return e.exceeded }

// ResourceIDs returns the logical IDs of the resources, sorted.
func (e *Env) ResourceIDs() []string {
	ids := make([]string, 0, len(e.Resources))
	for id := range e.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (e *Env) newParam(k, decl *yaml.Node, given *Value) *Param {
	p := &Param{Name: k.Value, Loc: e.Loc(k)}
	if t := template.Get(decl, "Type"); t != nil && t.Kind == yaml.ScalarNode {
		p.Type = t.Value
	}
	if ne := template.Get(decl, "NoEcho"); ne != nil && ne.Kind == yaml.ScalarNode {
		p.NoEcho = strings.EqualFold(ne.Value, "true")
	}
	isList := p.Type == "CommaDelimitedList" || strings.HasPrefix(p.Type, "List<")
	switch {
	case strings.HasPrefix(p.Type, "AWS::SSM::Parameter::Value<"):
		// The default (or given value) is the name of an SSM parameter;
		// CloudFormation reads the value at deploy time.
		p.Value = &Value{Kind: Unknown, Why: "parameter " + p.Name + " is read from SSM Parameter Store at deploy time", Loc: p.Loc, Reference: true}
	case given != nil:
		v := *given
		if v.Loc.IsZero() {
			v.Loc = p.Loc
			// A value given on the command line is not written in the
			// scanned code; it is a reference only when it is secret.
			v.Reference = v.Reference || p.NoEcho
		}
		if isList && v.IsScalar() {
			v = *splitList(&v)
		}
		p.Value = &v
	default:
		def := template.Get(decl, "Default")
		if def == nil || def.Kind != yaml.ScalarNode && def.Kind != yaml.SequenceNode {
			p.Value = &Value{Kind: Unknown, Why: "parameter " + p.Name + " has no value (give it with --cfn-param " + p.Name + "=VALUE)", Loc: p.Loc, Reference: true}
			break
		}
		// A default written in the template is a literal of the scanned code.
		v := e.literal(def)
		if v.Kind == Null {
			v = &Value{Kind: Unknown, Why: "parameter " + p.Name + " has no value", Loc: p.Loc, Reference: true}
		}
		if isList && v.IsScalar() {
			v = splitList(v)
		}
		p.Value = v
	}
	return p
}

// literal converts a node without evaluating intrinsics (parameter defaults
// are literals).
func (e *Env) literal(n *yaml.Node) *Value {
	n = template.Deref(n)
	switch n.Kind {
	case yaml.ScalarNode:
		return e.scalar(n)
	case yaml.SequenceNode:
		v := &Value{Kind: List, Loc: e.Loc(n)}
		for _, c := range n.Content {
			v.Items = append(v.Items, e.literal(c))
		}
		return v
	}
	return &Value{Kind: Unknown, Why: "parameter value is not a string or list", Loc: e.Loc(n)}
}

func splitList(v *Value) *Value {
	out := &Value{Kind: List, Loc: v.Loc, Reference: v.Reference}
	if v.Str == "" {
		return out
	}
	for _, s := range strings.Split(v.Str, ",") {
		it := *v
		it.Str = strings.TrimSpace(s)
		it.Kind = String
		out.Items = append(out.Items, &it)
	}
	return out
}

// ParseParams turns KEY=VALUE strings into given parameter values.
// Malformed entries are returned in bad.
func ParseParams(kv []string) (given map[string]*Value, bad []string) {
	given = map[string]*Value{}
	for _, s := range kv {
		k, v, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			bad = append(bad, s)
			continue
		}
		given[k] = &Value{Kind: String, Str: v}
	}
	return given, bad
}

// pseudo returns the value of a pseudo parameter, ok=false when name is
// not one. AWS::NoValue gives a nil value.
func (e *Env) pseudo(name string, loc srcloc.Location) (*Value, bool) {
	var s string
	switch name {
	case "AWS::AccountId":
		s = inventory.CurrentAccount
	case "AWS::Region":
		s = inventory.CurrentRegion
	case "AWS::Partition":
		s = inventory.CurrentPartition
	case "AWS::StackName":
		s = StackName
	case "AWS::StackId":
		s = StackID
	case "AWS::URLSuffix":
		s = URLSuffix
	case "AWS::NoValue":
		return nil, true
	case "AWS::NotificationARNs":
		return &Value{Kind: Unknown, Why: "AWS::NotificationARNs is known only at deploy time", Loc: loc, Reference: true}, true
	default:
		return nil, false
	}
	return &Value{Kind: String, Str: s, Loc: loc, Reference: true}, true
}
