package intrinsics

import (
	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// condResult is a condition's truth: known true/false, or unknown with why.
type condResult struct {
	val   bool
	known bool
	why   string
}

type condState struct {
	res    condResult
	active bool
	done   bool
}

// Condition evaluates the named condition of the Conditions section. known
// is false when it depends on something unknown (why says what).
func (e *Env) Condition(name string) (val, known bool, why string) {
	c := e.condition(name, 0)
	return c.val, c.known, c.why
}

func (e *Env) condition(name string, depth int) condResult {
	if e.conds == nil {
		e.conds = map[string]*condState{}
	}
	st := e.conds[name]
	if st == nil {
		st = &condState{}
		e.conds[name] = st
	}
	switch {
	case st.done:
		return st.res
	case st.active:
		return condResult{why: "condition " + name + " refers to itself"}
	}
	n := template.Get(e.Conditions, name)
	if n == nil {
		st.done = true
		st.res = condResult{why: "no condition named " + name}
		return st.res
	}
	st.active = true
	res := e.evalCond(n, depth+1)
	st.active = false
	st.done = true
	st.res = res
	return res
}

// evalCond evaluates a condition expression node.
func (e *Env) evalCond(n *yaml.Node, depth int) condResult {
	if depth > maxDepth {
		return condResult{why: "condition nested too deeply"}
	}
	if e.step(e.Loc(n)) != nil {
		return condResult{why: "template evaluation stopped: work limit exceeded"}
	}
	n = template.Deref(n)
	if name, arg, ok := Intrinsic(n); ok {
		return e.evalCondCall(name, arg, depth)
	}
	if n != nil && n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Condition" {
		return e.evalCondCall("Condition", template.Deref(n.Content[1]), depth)
	}
	// A literal or other value used as a condition.
	v := e.resolve(n, depth)
	if v != nil && v.Kind == Bool {
		return condResult{val: v.Str == "true", known: true}
	}
	if v.IsUnknown() {
		return condResult{why: v.Why}
	}
	return condResult{why: "condition is not a boolean expression"}
}

func (e *Env) evalCondCall(name string, arg *yaml.Node, depth int) condResult {
	arg = template.Deref(arg)
	switch name {
	case "Condition":
		if arg == nil || arg.Kind != yaml.ScalarNode {
			return condResult{why: "Condition: expected a condition name"}
		}
		return e.condition(arg.Value, depth)
	case "Fn::Equals":
		items, ok := argList(arg, 2, 2)
		if !ok {
			return condResult{why: "Fn::Equals: expected [VALUE, VALUE]"}
		}
		a, b := e.resolve(items[0], depth), e.resolve(items[1], depth)
		for _, v := range []*Value{a, b} {
			if u := v.FirstUnknown(); u != nil {
				return condResult{why: u.Why}
			}
		}
		return condResult{val: Equal(a, b), known: true}
	case "Fn::Not":
		items, ok := argList(arg, 1, 1)
		if !ok {
			return condResult{why: "Fn::Not: expected [CONDITION]"}
		}
		c := e.evalCond(items[0], depth+1)
		c.val = !c.val
		return c
	case "Fn::And", "Fn::Or":
		items, ok := argList(arg, 1, 10)
		if !ok {
			return condResult{why: name + ": expected 1 to 10 conditions"}
		}
		isAnd := name == "Fn::And"
		var unknown *condResult
		for _, it := range items {
			c := e.evalCond(it, depth+1)
			if !c.known {
				if unknown == nil {
					unknown = &c
				}
				continue
			}
			if c.val != isAnd {
				// false in an And, true in an Or decides.
				return condResult{val: c.val, known: true}
			}
		}
		if unknown != nil {
			return *unknown
		}
		return condResult{val: isAnd, known: true}
	}
	return condResult{why: name + " is not a condition function"}
}
