package sam

import (
	_ "embed"
	"fmt"
	"sort"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

//go:embed policytemplates.json
var policyTemplatesJSON []byte

// PolicyTemplate is one SAM policy template: its parameters and the policy
// document it expands to, with {"Ref": PARAMETER} where a value goes.
type PolicyTemplate struct {
	Name       string
	Parameters []string
	Definition *yaml.Node
}

// PolicyTemplates are the embedded SAM policy templates by name. The value
// is decoded once and must not be modified.
type PolicyTemplates map[string]*PolicyTemplate

var loadPolicyTemplates = sync.OnceValues(func() (PolicyTemplates, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(policyTemplatesJSON, &doc); err != nil {
		return nil, fmt.Errorf("decode embedded policy templates: %w", err)
	}
	out := PolicyTemplates{}
	template.Pairs(template.Get(doc.Content[0], "Templates"), func(k, v *yaml.Node) {
		t := &PolicyTemplate{Name: k.Value, Definition: template.Get(v, "Definition")}
		template.Pairs(template.Get(v, "Parameters"), func(p, _ *yaml.Node) {
			t.Parameters = append(t.Parameters, p.Value)
		})
		sort.Strings(t.Parameters)
		out[k.Value] = t
	})
	if len(out) != policyTemplatesCount {
		return nil, fmt.Errorf("embedded policy templates: %d templates, want %d", len(out), policyTemplatesCount)
	}
	return out, nil
})

// EmbeddedPolicyTemplates returns the SAM policy templates embedded from the
// shared reference data (all 81 of aws-sam-translator 1.110.0).
func EmbeddedPolicyTemplates() (PolicyTemplates, error) { return loadPolicyTemplates() }

// Names returns the template names, sorted.
func (p PolicyTemplates) Names() []string {
	out := make([]string, 0, len(p))
	for n := range p {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Expand returns the policy document of template name with the parameter
// values of args (a mapping node) substituted, the way SAM does: every
// {"Ref": P} whose P is a template parameter is replaced by the value
// given for P. Generated nodes are placed at pos. A missing parameter value
// is an error.
func (p PolicyTemplates) Expand(name string, args *yaml.Node, pos *yaml.Node) (*yaml.Node, error) {
	t := p[name]
	if t == nil {
		return nil, fmt.Errorf("unknown policy template %s", name)
	}
	args = template.Deref(args)
	values := map[string]*yaml.Node{}
	if args != nil && args.Kind == yaml.MappingNode {
		template.Pairs(args, func(k, v *yaml.Node) { values[k.Value] = v })
	} else if args != nil && !(args.Kind == yaml.ScalarNode && (args.Value == "" || args.ShortTag() == "!!null")) {
		return nil, fmt.Errorf("policy template %s: parameter values must be a mapping", name)
	}
	var missing []string
	params := map[string]bool{}
	for _, prm := range t.Parameters {
		params[prm] = true
		if values[prm] == nil {
			missing = append(missing, prm)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("policy template %s needs a value for %v", name, missing)
	}
	a := atNode(pos)
	var walk func(n *yaml.Node, depth int) *yaml.Node
	walk = func(n *yaml.Node, depth int) *yaml.Node {
		if n == nil || depth > 64 {
			return nil
		}
		if n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Ref" && params[n.Content[1].Value] {
			return values[n.Content[1].Value]
		}
		c := *n
		c.Line, c.Column = a.line, a.col
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			c.Content[i] = walk(ch, depth+1)
		}
		return &c
	}
	return walk(t.Definition, 0), nil
}
