package tfplan

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/terraform"
)

const afterApply = "known after apply"

// planned is one resource instance of the plan before references are applied.
type planned struct {
	address, module, typ, name string
	mode                       terraform.Mode
	index                      any
	values                     cty.Value
}

// instances turns the plan's resource instances into terraform.Instances:
// resource_changes (except deletions) with their after and after_unknown,
// then data sources read at plan time (prior_state) and anything only
// planned_values holds.
func instances(ctx context.Context, p *tfjson.Plan, lines lineIndex, file string) ([]terraform.Instance, []inventory.Error) {
	var errs []inventory.Error
	byAddr := map[string]*planned{}
	var order []*planned
	add := func(pl *planned) {
		if _, dup := byAddr[pl.address]; dup {
			return
		}
		byAddr[pl.address] = pl
		order = append(order, pl)
	}
	for _, rc := range p.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.DeposedKey != "" {
			continue
		}
		if rc.Change.Actions.Delete() || rc.Change.After == nil {
			continue
		}
		add(&planned{
			address: rc.Address, module: rc.ModuleAddress, typ: rc.Type, name: rc.Name, index: rc.Index,
			mode:   mode(rc.Mode),
			values: toCty(rc.Change.After, rc.Change.AfterUnknown, 0),
		})
	}
	var walk func(m *tfjson.StateModule, depth int)
	walk = func(m *tfjson.StateModule, depth int) {
		if m == nil || depth > 64 {
			return
		}
		for _, r := range m.Resources {
			if r == nil {
				continue
			}
			vals := map[string]any{}
			for k, v := range r.AttributeValues {
				vals[k] = v
			}
			add(&planned{
				address: r.Address, module: m.Address, typ: r.Type, name: r.Name, index: r.Index,
				mode: mode(r.Mode), values: toCty(vals, nil, 0),
			})
		}
		for _, c := range m.ChildModules {
			walk(c, depth+1)
		}
	}
	if p.PriorState != nil && p.PriorState.Values != nil {
		// Data sources read during planning; managed resources there are the
		// old state, which resource_changes supersedes.
		var dataOnly func(m *tfjson.StateModule, depth int)
		dataOnly = func(m *tfjson.StateModule, depth int) {
			if m == nil || depth > 64 {
				return
			}
			for _, r := range m.Resources {
				if r != nil && r.Mode == tfjson.DataResourceMode {
					vals := map[string]any{}
					for k, v := range r.AttributeValues {
						vals[k] = v
					}
					add(&planned{address: r.Address, module: m.Address, typ: r.Type, name: r.Name, index: r.Index, mode: terraform.Data, values: toCty(vals, nil, 0)})
				}
			}
			for _, c := range m.ChildModules {
				dataOnly(c, depth+1)
			}
		}
		dataOnly(p.PriorState.Values.RootModule, 0)
	}
	if p.PlannedValues != nil {
		walk(p.PlannedValues.RootModule, 0)
	}

	configs := configIndex(p.Config)
	var out []terraform.Instance
	for _, pl := range order {
		if ctx.Err() != nil {
			break
		}
		v := pl.values
		if cr := configs[configKey(pl.module, pl.mode, pl.typ, pl.name)]; cr != nil {
			r := &referrer{byAddr: byAddr, self: pl}
			v = r.apply(v, cr.Expressions, 0)
			errs = append(errs, r.errs...)
			if pl.mode == terraform.Managed {
				v = absentUnset(v, cr.Expressions, 0)
			}
		}
		out = append(out, terraform.Instance{
			Address: pl.address,
			Mode:    pl.mode,
			Type:    pl.typ,
			Name:    pl.name,
			Module:  pl.module,
			Values:  v,
			Loc:     instanceLoc(file, lines, pl.address),
		})
	}
	return out, errs
}

func mode(m tfjson.ResourceMode) terraform.Mode {
	if m == tfjson.DataResourceMode {
		return terraform.Data
	}
	return terraform.Managed
}

// toCty converts a JSON value with its after_unknown shadow: true marks a
// value (present or not) known only after apply.
func toCty(v any, unknown any, depth int) cty.Value {
	if b, ok := unknown.(bool); ok && b {
		return terraform.UnknownBecause(cty.DynamicPseudoType, afterApply)
	}
	if depth > 128 {
		return terraform.UnknownBecause(cty.DynamicPseudoType, "value nested too deeply")
	}
	switch x := v.(type) {
	case nil:
		if um, ok := unknown.(map[string]any); ok && len(um) > 0 {
			return toCty(map[string]any{}, unknown, depth)
		}
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(x)
	case bool:
		return cty.BoolVal(x)
	case float64:
		return cty.NumberFloatVal(x)
	case json.Number:
		if f, _, err := big.ParseFloat(string(x), 10, 512, big.ToNearestEven); err == nil {
			return cty.NumberVal(f)
		}
		return cty.StringVal(string(x))
	case []any:
		ul, _ := unknown.([]any)
		if len(x) == 0 && len(ul) == 0 {
			return cty.EmptyTupleVal
		}
		n := max(len(x), len(ul))
		elems := make([]cty.Value, n)
		for i := range n {
			var e, u any
			if i < len(x) {
				e = x[i]
			}
			if i < len(ul) {
				u = ul[i]
			}
			elems[i] = toCty(e, u, depth+1)
		}
		return cty.TupleVal(elems)
	case map[string]any:
		um, _ := unknown.(map[string]any)
		attrs := map[string]cty.Value{}
		for k, e := range x {
			attrs[k] = toCty(e, um[k], depth+1)
		}
		for k, u := range um {
			if _, ok := attrs[k]; !ok {
				if b, ok := u.(bool); ok && b {
					attrs[k] = terraform.UnknownBecause(cty.DynamicPseudoType, afterApply)
				}
			}
		}
		if len(attrs) == 0 {
			return cty.EmptyObjectVal
		}
		return cty.ObjectVal(attrs)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

var instanceKeys = regexp.MustCompile(`\[[^\]]*\]`)

// configKey names a resource's configuration block: its module path without
// instance keys, mode, type and name.
func configKey(module string, m terraform.Mode, typ, name string) string {
	return instanceKeys.ReplaceAllString(module, "") + "|" + string(m) + "|" + typ + "." + name
}

// configIndex lists the configuration's resource blocks by configKey.
func configIndex(c *tfjson.Config) map[string]*tfjson.ConfigResource {
	out := map[string]*tfjson.ConfigResource{}
	if c == nil {
		return out
	}
	var walk func(m *tfjson.ConfigModule, prefix string, depth int)
	walk = func(m *tfjson.ConfigModule, prefix string, depth int) {
		if m == nil || depth > 64 {
			return
		}
		for _, r := range m.Resources {
			if r != nil {
				out[configKey(prefix, mode(r.Mode), r.Type, r.Name)] = r
			}
		}
		names := make([]string, 0, len(m.ModuleCalls))
		for n := range m.ModuleCalls {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if mc := m.ModuleCalls[n]; mc != nil {
				p := "module." + n
				if prefix != "" {
					p = prefix + "." + p
				}
				walk(mc.Module, p, depth+1)
			}
		}
	}
	walk(c.RootModule, "", 0)
	return out
}

// absentUnset makes null the attributes that after_unknown marks but the
// configuration does not set: optional and computed attributes left to the
// provider (aws_iam_role managed_policy_arns, aws_lambda_function
// tracing_config), which the HCL loader reads as absent too. tags_all,
// computed from the provider's default tags, stays unknown.
func absentUnset(v cty.Value, exprs map[string]*tfjson.Expression, depth int) cty.Value {
	if depth > 32 || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	attrs := v.AsValueMap()
	changed := false
	for name, cur := range attrs {
		e := exprs[name]
		switch {
		case e == nil || e.ExpressionData == nil:
			if cur.IsKnown() || name == "tags_all" {
				continue
			}
			attrs[name] = cty.NullVal(cty.DynamicPseudoType)
			changed = true
		case e.NestedBlocks != nil && len(e.NestedBlocks) > 0:
			switch ty := cur.Type(); {
			case !cur.IsKnown() || cur.IsNull():
			case ty.IsObjectType():
				attrs[name] = absentUnset(cur, e.NestedBlocks[0], depth+1)
				changed = true
			case (ty.IsTupleType() || ty.IsListType()) && cur.LengthInt() == len(e.NestedBlocks):
				elems := cur.AsValueSlice()
				for i := range elems {
					elems[i] = absentUnset(elems[i], e.NestedBlocks[i], depth+1)
				}
				if len(elems) > 0 {
					attrs[name] = cty.TupleVal(elems)
					changed = true
				}
			}
		}
	}
	if !changed {
		return v
	}
	return cty.ObjectVal(attrs)
}

// referrer applies one instance's configuration references to its values.
type referrer struct {
	byAddr map[string]*planned
	self   *planned
	errs   []inventory.Error
}

// target is an attribute of another instance that an expression reads.
type target struct {
	inst *planned
	attr string
}

// apply walks the values with the configuration expressions beside them.
func (r *referrer) apply(v cty.Value, exprs map[string]*tfjson.Expression, depth int) cty.Value {
	if depth > 32 || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	attrs := v.AsValueMap()
	changed := false
	for name, e := range exprs {
		if e == nil || e.ExpressionData == nil {
			continue
		}
		cur, ok := attrs[name]
		if !ok {
			continue
		}
		var nv cty.Value
		if e.NestedBlocks != nil {
			nv = r.blocks(cur, e.NestedBlocks, depth)
		} else {
			nv = r.leaf(cur, e.References)
		}
		attrs[name] = nv
		changed = true
	}
	if !changed {
		return v
	}
	return cty.ObjectVal(attrs)
}

func (r *referrer) blocks(cur cty.Value, blocks []map[string]*tfjson.Expression, depth int) cty.Value {
	if cur.IsNull() || !cur.IsKnown() {
		return cur
	}
	ty := cur.Type()
	if ty.IsObjectType() && len(blocks) > 0 {
		return r.apply(cur, blocks[0], depth+1)
	}
	if !(ty.IsTupleType() || ty.IsListType()) {
		return cur
	}
	elems := cur.AsValueSlice()
	for i := range elems {
		if i < len(blocks) {
			elems[i] = r.apply(elems[i], blocks[i], depth+1)
		} else if len(blocks) == 1 {
			// dynamic blocks: one configuration block for several values
			elems[i] = r.apply(elems[i], blocks[0], depth+1)
		}
	}
	if len(elems) == 0 {
		return cur
	}
	return cty.TupleVal(elems)
}

// leaf replaces what is unknown in an attribute by the symbolic value of
// the attributes its expression references, and marks the value with the
// instances it was read from.
func (r *referrer) leaf(cur cty.Value, refs []string) cty.Value {
	targets := r.targets(refs)
	if len(targets) == 0 {
		return cur
	}
	var withAttr []target
	for _, t := range targets {
		if t.attr != "" {
			withAttr = append(withAttr, t)
		}
	}
	next := 0
	symbolic := func() (cty.Value, bool) {
		if len(withAttr) == 0 {
			return cty.NilVal, false
		}
		t := withAttr[min(next, len(withAttr)-1)]
		next++
		if t.inst.mode == terraform.Data && t.attr != "arn" {
			return cty.NilVal, false
		}
		get := func(a string) cty.Value {
			v := t.inst.values
			if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(a) {
				return cty.NilVal
			}
			return v.GetAttr(a)
		}
		return terraform.MarkRef(terraform.SymbolicAttr(t.inst.mode, t.inst.typ, t.inst.address, t.attr, get), t.inst.address), true
	}
	out := cur
	switch {
	case !cur.IsKnown():
		if s, ok := symbolic(); ok {
			out = s
		}
	case !cur.IsWhollyKnown() && !cur.IsNull() && (cur.Type().IsTupleType() || cur.Type().IsListType()):
		elems := cur.AsValueSlice()
		for i, e := range elems {
			if !e.IsKnown() {
				if s, ok := symbolic(); ok {
					elems[i] = s
				}
			}
		}
		out = cty.TupleVal(elems)
	case !cur.IsWhollyKnown() && !cur.IsNull() && cur.Type().IsObjectType() && len(withAttr) == 1:
		m := cur.AsValueMap()
		for k, e := range m {
			if !e.IsKnown() {
				if s, ok := symbolic(); ok {
					m[k] = s
				}
				next = 0
			}
		}
		out = cty.ObjectVal(m)
	}
	seen := map[string]bool{}
	for _, t := range targets {
		if !seen[t.inst.address] {
			seen[t.inst.address] = true
			out = terraform.MarkRef(out, t.inst.address)
		}
	}
	return out
}

var refPattern = regexp.MustCompile(`^((?:data\.)?[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*)((?:\[[^\]]*\])?)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?`)

// targets resolves an expression's references ("aws_iam_role.r.arn",
// "aws_iam_role.r", "module.m.x", "var.v") to instances of the plan.
// Terraform lists both an attribute reference and its object; the object
// alone is kept only when no attribute of it is named.
func (r *referrer) targets(refs []string) []target {
	var out []target
	have := map[string]bool{}
	for _, ref := range refs {
		switch strings.SplitN(ref, ".", 2)[0] {
		case "var", "local", "each", "count", "path", "terraform", "self", "module":
			continue
		}
		m := refPattern.FindStringSubmatch(ref)
		if m == nil {
			continue
		}
		inst := r.resolve(m[1], m[2])
		if inst == nil {
			continue
		}
		key := inst.address + "." + m[3]
		if have[key] {
			continue
		}
		have[key] = true
		out = append(out, target{inst: inst, attr: m[3]})
	}
	// Drop bare object references covered by an attribute reference.
	var kept []target
	for _, t := range out {
		if t.attr == "" {
			covered := false
			for _, u := range out {
				if u.inst == t.inst && u.attr != "" {
					covered = true
				}
			}
			if covered {
				continue
			}
		}
		kept = append(kept, t)
	}
	return kept
}

// resolve finds the instance a reference names from this instance's
// module: the exact instance when an index is written, else the only
// instance, else the instance with this one's own index (count.index and
// each.key patterns).
func (r *referrer) resolve(base, index string) *planned {
	prefix := ""
	if r.self.module != "" {
		prefix = r.self.module + "."
	}
	if index != "" {
		if p := r.byAddr[prefix+base+index]; p != nil {
			return p
		}
		return nil
	}
	if p := r.byAddr[prefix+base]; p != nil {
		return p
	}
	var matches []*planned
	for addr, p := range r.byAddr {
		if strings.HasPrefix(addr, prefix+base+"[") && !strings.Contains(addr[len(prefix+base):], ".") {
			matches = append(matches, p)
		}
	}
	if len(matches) == 1 {
		return matches[0]
	}
	if r.self.index != nil {
		if p := r.byAddr[prefix+base+indexSuffix(r.self.index)]; p != nil {
			return p
		}
	}
	return nil
}

func indexSuffix(i any) string {
	switch x := i.(type) {
	case string:
		b, _ := json.Marshal(x)
		return "[" + string(b) + "]"
	case float64:
		return fmt.Sprintf("[%d]", int64(x))
	case json.Number:
		return "[" + x.String() + "]"
	}
	return ""
}
