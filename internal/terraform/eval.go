package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

const (
	// maxInstances bounds count and for_each expansions of one block.
	maxInstances = 10000
	// maxModuleDepth bounds module nesting (and catches modules that call
	// themselves).
	maxModuleDepth = 24
)

// loader evaluates one root module: layer 1, configuration to instances.
type loader struct {
	ctx          context.Context
	parser       *hclparse.Parser
	treeRoot     string // scan.Tree.Root
	treeDisplay  string
	rootDir      string // root module directory on disk
	fileBase     string // file functions read only below this directory
	opts         scan.LoadOptions
	modules      map[string]*module
	displayCache map[string]string
	errs         []inventory.Error
	funcs        map[string]function.Function
	rootVars     map[string]cty.Value
	internalErrs int
}

func newLoader(ctx context.Context, t *scan.Tree, rootDir string, opts scan.LoadOptions) *loader {
	base := t.Root
	if rootDir != "" && !strings.HasPrefix(rootDir, base) {
		base = rootDir
	}
	l := &loader{
		ctx:          ctx,
		parser:       hclparse.NewParser(),
		treeRoot:     t.Root,
		treeDisplay:  t.Display,
		rootDir:      rootDir,
		fileBase:     base,
		opts:         opts,
		modules:      map[string]*module{},
		displayCache: map[string]string{},
	}
	l.funcs = l.functions(true)
	return l
}

// modInst is one instance of a module.
type modInst struct {
	l         *loader
	def       *module
	addr      string // "" for the root
	call      *moduleCall
	callScope *scope
	depth     int
	sc        *scope
	vals      map[string]cty.Value // "var.x", "local.x", "output.x"
	busy      map[string]bool
	res       map[*resourceConfig]*expansion
	kids      map[*moduleCall]*childSet
	providers map[string]*providerRef
}

type providerRef struct {
	cfg  *providerConfig
	mod  *modInst
	tags cty.Value
	done bool
	busy bool
}

type expansion struct {
	insts []*resInst
	why   string // the expansion itself is unknown
	busy  bool
}

type childSet struct {
	kids []*modInst
	why  string
	busy bool
}

// scope is what an expression sees besides module objects.
type scope struct {
	m        *modInst
	countIdx cty.Value // cty.NilVal when not in a counted block
	hasEach  bool
	eachKey  cty.Value
	eachVal  cty.Value
	extra    map[string]cty.Value
}

func (l *loader) newModInst(def *module, addr string, parent *modInst, call *moduleCall, callScope *scope) *modInst {
	m := &modInst{
		l: l, def: def, addr: addr, call: call, callScope: callScope,
		vals: map[string]cty.Value{}, busy: map[string]bool{},
		res: map[*resourceConfig]*expansion{}, kids: map[*moduleCall]*childSet{},
		providers: map[string]*providerRef{},
	}
	m.sc = &scope{m: m}
	if parent != nil {
		m.depth = parent.depth + 1
		for k, p := range parent.providers {
			m.providers[k] = p
		}
		if call != nil {
			for k, v := range call.providers {
				if p := parent.providers[v]; p != nil {
					m.providers[k] = p
				}
			}
		}
	}
	for k, cfg := range def.providers {
		m.providers[k] = &providerRef{cfg: cfg, mod: m}
	}
	return m
}

// loc converts an HCL position to a location.
func (l *loader) loc(r hcl.Range) srcloc.Location {
	if r.Filename == "" {
		return srcloc.Location{}
	}
	return srcloc.Location{File: l.display(r.Filename), Line: r.Start.Line, Column: r.Start.Column}
}

// evalExpr evaluates an expression; errors become unknown values that say why.
func (l *loader) evalExpr(expr hcl.Expression, sc *scope) (v cty.Value) {
	defer func() {
		if r := recover(); r != nil {
			l.internalErrs++
			rng := expr.Range()
			l.errorf(rng.Filename, rng.Start.Line, "internal error evaluating expression: %v", r)
			v = cty.DynamicVal.Mark(WhyMark("the expression could not be evaluated"))
		}
	}()
	ctx := sc.context(expr.Variables())
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.DynamicVal.Mark(WhyMark(diagWhy(diags)))
	}
	if v == cty.NilVal {
		return cty.DynamicVal
	}
	return v
}

func diagWhy(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			msg = fmt.Sprintf("line %d: %s", d.Subject.Start.Line, msg)
		}
		return strings.TrimSuffix(msg, ".")
	}
	return "the expression could not be evaluated"
}

// need is which attributes of an object an expression reads.
type need struct {
	all   bool
	attrs map[string]bool
}

func (n *need) add(rest hcl.Traversal) {
	// Skip an instance key.
	if len(rest) > 0 {
		if _, ok := rest[0].(hcl.TraverseIndex); ok {
			rest = rest[1:]
		} else if _, ok := rest[0].(hcl.TraverseSplat); ok {
			rest = rest[1:]
		}
	}
	if len(rest) == 0 {
		n.all = true
		return
	}
	a, ok := rest[0].(hcl.TraverseAttr)
	if !ok {
		n.all = true
		return
	}
	if n.attrs == nil {
		n.attrs = map[string]bool{}
	}
	n.attrs[a.Name] = true
}

func attrAt(t hcl.Traversal, i int) string {
	if i >= len(t) {
		return ""
	}
	if a, ok := t[i].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

// context builds the evaluation context for the given references: only the
// objects they name are evaluated.
func (sc *scope) context(travs []hcl.Traversal) *hcl.EvalContext {
	m := sc.m
	ctx := &hcl.EvalContext{Functions: m.l.funcs}
	if len(travs) == 0 {
		return ctx
	}
	vars := map[string]cty.Value{}
	var varN, localN map[string]bool
	res := map[string]map[string]*need{}  // type -> name -> need
	data := map[string]map[string]*need{} // type -> name -> need
	mods := map[string]*need{}
	addRes := func(into map[string]map[string]*need, typ, name string, rest hcl.Traversal) {
		if typ == "" || name == "" {
			return
		}
		byName := into[typ]
		if byName == nil {
			byName = map[string]*need{}
			into[typ] = byName
		}
		nd := byName[name]
		if nd == nil {
			nd = &need{}
			byName[name] = nd
		}
		nd.add(rest)
	}
	for _, t := range travs {
		root := t.RootName()
		if v, ok := sc.extra[root]; ok {
			vars[root] = v
			continue
		}
		switch root {
		case "var":
			if n := attrAt(t, 1); n != "" {
				if varN == nil {
					varN = map[string]bool{}
				}
				varN[n] = true
			}
		case "local":
			if n := attrAt(t, 1); n != "" {
				if localN == nil {
					localN = map[string]bool{}
				}
				localN[n] = true
			}
		case "count":
			if sc.countIdx != cty.NilVal {
				vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": sc.countIdx})
			}
		case "each":
			if sc.hasEach {
				vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": sc.eachKey, "value": sc.eachVal})
			}
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(m.def.rel), "root": cty.StringVal("."), "cwd": cty.StringVal("."),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "data":
			if len(t) > 3 {
				addRes(data, attrAt(t, 1), attrAt(t, 2), t[3:])
			} else {
				addRes(data, attrAt(t, 1), attrAt(t, 2), nil)
			}
		case "module":
			if n := attrAt(t, 1); n != "" && m.def.callByKey[n] != nil {
				nd := mods[n]
				if nd == nil {
					nd = &need{}
					mods[n] = nd
				}
				nd.add(t[2:])
			}
		default:
			if m.def.hasTypes[root] {
				if len(t) > 2 {
					addRes(res, root, attrAt(t, 1), t[2:])
				} else {
					addRes(res, root, attrAt(t, 1), nil)
				}
			}
		}
	}
	if varN != nil {
		obj := map[string]cty.Value{}
		for n := range varN {
			if v := m.variable(n); v != cty.NilVal {
				obj[n] = v
			}
		}
		vars["var"] = cty.ObjectVal(obj)
	}
	if localN != nil {
		obj := map[string]cty.Value{}
		for n := range localN {
			if v := m.local(n); v != cty.NilVal {
				obj[n] = v
			}
		}
		vars["local"] = cty.ObjectVal(obj)
	}
	for typ, names := range res {
		obj := map[string]cty.Value{}
		for name, nd := range names {
			if rc := m.def.byKey[typ+"."+name]; rc != nil {
				obj[name] = m.refValue(rc, nd)
			}
		}
		vars[typ] = cty.ObjectVal(obj)
	}
	if len(data) > 0 {
		types := map[string]cty.Value{}
		for typ, names := range data {
			obj := map[string]cty.Value{}
			for name, nd := range names {
				if rc := m.def.byKey["data."+typ+"."+name]; rc != nil {
					obj[name] = m.refValue(rc, nd)
				}
			}
			types[typ] = cty.ObjectVal(obj)
		}
		vars["data"] = cty.ObjectVal(types)
	}
	if len(mods) > 0 {
		obj := map[string]cty.Value{}
		for n, nd := range mods {
			obj[n] = m.moduleValue(m.def.callByKey[n], nd)
		}
		vars["module"] = cty.ObjectVal(obj)
	}
	ctx.Variables = vars
	return ctx
}

// with returns a copy of sc with one more iterator variable.
func (sc *scope) with(name string, v cty.Value) *scope {
	c := *sc
	c.extra = make(map[string]cty.Value, len(sc.extra)+1)
	for k, x := range sc.extra {
		c.extra[k] = x
	}
	c.extra[name] = v
	return &c
}

// variable returns the value of an input variable, or cty.NilVal when it is
// not declared.
func (m *modInst) variable(name string) cty.Value {
	key := "var." + name
	if v, ok := m.vals[key]; ok {
		return v
	}
	decl := m.def.variables[name]
	if decl == nil {
		return cty.NilVal
	}
	if m.busy[key] {
		return cty.DynamicVal.Mark(WhyMark("variable " + name + " refers to itself"))
	}
	m.busy[key] = true
	defer delete(m.busy, key)
	var v cty.Value
	set := false
	if m.call == nil {
		if rv, ok := m.l.rootVars[name]; ok {
			v, set = rv, true
		}
	} else if a := m.call.inputs[name]; a != nil {
		v, set = m.l.evalExpr(a.Expr, m.callScope), true
	}
	if set {
		if u, _ := v.Unmark(); u.IsKnown() && u.IsNull() {
			set = false
		}
	}
	if !set && decl.def != nil {
		v, set = m.l.evalExpr(decl.def, m.sc), true
	}
	if !set {
		v = cty.DynamicVal.Mark(WhyMark("variable " + name + " has no value")).Mark(RefMark{Address: "var." + name})
	} else {
		v = conformVar(v, decl)
	}
	m.vals[key] = v
	return v
}

// conformVar applies a variable's type defaults and conversion; values
// that do not convert are kept as given.
func conformVar(v cty.Value, decl *variableDecl) (out cty.Value) {
	out = v
	defer func() {
		if recover() != nil {
			out = v
		}
	}()
	if decl.defaults != nil {
		v = decl.defaults.Apply(v)
	}
	if decl.typ != cty.DynamicPseudoType {
		if cv, err := convert.Convert(v, decl.typ); err == nil {
			return cv
		}
	}
	return v
}

func (m *modInst) local(name string) cty.Value {
	key := "local." + name
	if v, ok := m.vals[key]; ok {
		return v
	}
	a := m.def.locals[name]
	if a == nil {
		return cty.NilVal
	}
	if m.busy[key] {
		return cty.DynamicVal.Mark(WhyMark("local." + name + " refers to itself"))
	}
	m.busy[key] = true
	v := m.l.evalExpr(a.Expr, m.sc)
	delete(m.busy, key)
	m.vals[key] = v
	return v
}

func (m *modInst) output(name string) cty.Value {
	key := "output." + name
	if v, ok := m.vals[key]; ok {
		return v
	}
	a := m.def.outputs[name]
	if a == nil {
		return cty.NilVal
	}
	if m.busy[key] {
		return cty.DynamicVal.Mark(WhyMark("output " + name + " refers to itself"))
	}
	m.busy[key] = true
	v := m.l.evalExpr(a.Expr, m.sc).Mark(RefMark{Address: m.addr})
	delete(m.busy, key)
	m.vals[key] = v
	return v
}

// keyed is one key of a count or for_each expansion.
type keyed struct {
	key  cty.Value // number (count), string (for_each), or cty.NilVal
	each cty.Value
	str  string // "[0]", `["k"]`, ""
}

// expand evaluates count / for_each; why is set when the expansion is unknown.
func (l *loader) expand(count, forEach hcl.Expression, sc *scope, what string) (keys []keyed, why string) {
	switch {
	case count != nil:
		v, _ := l.evalExpr(count, sc).UnmarkDeep()
		if !v.IsKnown() {
			return nil, "count of " + what + " is not known before apply"
		}
		if v.IsNull() {
			return nil, ""
		}
		nv, err := convert.Convert(v, cty.Number)
		if err != nil || !nv.IsKnown() || nv.IsNull() {
			return nil, "count of " + what + " is not a number"
		}
		bf := nv.AsBigFloat()
		n, _ := bf.Int64()
		if !bf.IsInt() && n == 0 {
			return nil, "count of " + what + " is not a whole number"
		}
		if n > maxInstances {
			rng := count.Range()
			l.errorf(rng.Filename, rng.Start.Line, "count of %s is %d; only the first %d instances are scanned", what, n, maxInstances)
			n = maxInstances
		}
		for i := int64(0); i < n; i++ {
			keys = append(keys, keyed{key: cty.NumberIntVal(i), str: "[" + strconv.FormatInt(i, 10) + "]"})
		}
		return keys, ""
	case forEach != nil:
		v, _ := l.evalExpr(forEach, sc).UnmarkDeep()
		if !v.IsWhollyKnown() {
			return nil, "for_each of " + what + " is not known before apply"
		}
		if v.IsNull() {
			return nil, ""
		}
		ty := v.Type()
		if !v.CanIterateElements() {
			return nil, "for_each of " + what + " is not a map or set"
		}
		byMap := ty.IsMapType() || ty.IsObjectType()
		seen := map[string]bool{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			kv := ev
			if byMap {
				kv = k
			}
			sv, err := convert.Convert(kv, cty.String)
			if err != nil || sv.IsNull() {
				return nil, "for_each of " + what + " has a key that is not a string"
			}
			s := sv.AsString()
			if seen[s] {
				continue
			}
			seen[s] = true
			if !byMap {
				ev = sv
			}
			keys = append(keys, keyed{key: sv, each: ev, str: "[" + quoteKey(s) + "]"})
			if len(keys) >= maxInstances {
				rng := forEach.Range()
				l.errorf(rng.Filename, rng.Start.Line, "for_each of %s has more than %d elements; only the first %d are scanned", what, maxInstances, maxInstances)
				break
			}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].key.AsString() < keys[j].key.AsString() })
		return keys, ""
	}
	return []keyed{{key: cty.NilVal}}, ""
}

// quoteKey writes a string instance key as Terraform does.
func quoteKey(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '$', '%':
			if i+1 < len(s) && s[i+1] == '{' {
				b.WriteByte(c)
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (m *modInst) prefix() string {
	if m.addr == "" {
		return ""
	}
	return m.addr + "."
}

// instances expands a resource or data block of the module (cached).
func (m *modInst) instances(rc *resourceConfig) *expansion {
	if x, ok := m.res[rc]; ok {
		if x.busy {
			return &expansion{why: "count or for_each of " + rc.typ + "." + rc.name + " refers to itself"}
		}
		return x
	}
	x := &expansion{busy: true}
	m.res[rc] = x
	base := m.prefix() + rc.typ + "." + rc.name
	if rc.mode == Data {
		base = m.prefix() + "data." + rc.typ + "." + rc.name
	}
	keys, why := m.l.expand(rc.count, rc.forEach, m.sc, base)
	x.why = why
	if why != "" {
		// Keep one instance with unknown keys, so the block is still mapped.
		sc := &scope{m: m}
		u := cty.DynamicVal.Mark(WhyMark(why))
		if rc.count != nil {
			sc.countIdx = cty.UnknownVal(cty.Number).Mark(WhyMark(why))
		} else {
			sc.hasEach, sc.eachKey, sc.eachVal = true, cty.UnknownVal(cty.String).Mark(WhyMark(why)), u
		}
		x.insts = []*resInst{m.newResInst(rc, base, sc)}
	}
	for _, k := range keys {
		sc := &scope{m: m}
		switch {
		case rc.count != nil:
			sc.countIdx = k.key
		case rc.forEach != nil:
			sc.hasEach, sc.eachKey, sc.eachVal = true, k.key, k.each
		}
		x.insts = append(x.insts, m.newResInst(rc, base+k.str, sc))
	}
	x.busy = false
	return x
}

// refValue is the value a reference to a resource or data block sees.
func (m *modInst) refValue(rc *resourceConfig, nd *need) cty.Value {
	x := m.instances(rc)
	if x.why != "" {
		return cty.DynamicVal.Mark(WhyMark(x.why))
	}
	switch {
	case rc.count != nil:
		if len(x.insts) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(x.insts))
		for i, ri := range x.insts {
			vals[i] = ri.object(nd)
		}
		return cty.TupleVal(vals)
	case rc.forEach != nil:
		vals := make(map[string]cty.Value, len(x.insts))
		for _, ri := range x.insts {
			vals[ri.sc.eachKey.AsString()] = ri.object(nd)
		}
		return cty.ObjectVal(vals)
	}
	if len(x.insts) == 0 {
		return cty.DynamicVal
	}
	return x.insts[0].object(nd)
}

// children expands a module call (cached).
func (m *modInst) children(call *moduleCall) *childSet {
	if cs, ok := m.kids[call]; ok {
		if cs.busy {
			return &childSet{why: "module " + call.name + " refers to itself"}
		}
		return cs
	}
	cs := &childSet{busy: true}
	m.kids[call] = cs
	defer func() { cs.busy = false }()
	l := m.l
	file, line := call.srcRange.Filename, call.srcRange.Start.Line
	switch {
	case call.source == "":
		cs.why = "module " + call.name + " has no source"
		l.errorf(file, line, "module %q has no literal source", call.name)
		return cs
	case !localSource(call.source):
		cs.why = "module " + call.name + " has a remote source that is not scanned"
		l.errorf(file, line, "module %q: remote source %q is not loaded; its resources are not scanned", call.name, call.source)
		return cs
	case m.depth >= maxModuleDepth:
		cs.why = "modules nest too deep"
		l.errorf(file, line, "module %q: modules nest more than %d deep", call.name, maxModuleDepth)
		return cs
	}
	dir := filepath.Join(m.def.dir, filepath.FromSlash(call.source))
	files, err := configFiles(dir)
	if err != nil || len(files) == 0 {
		cs.why = "module " + call.name + " could not be loaded"
		l.errorf(file, line, "module %q: no Terraform files in %s", call.name, call.source)
		return cs
	}
	def := l.loadModule(dir, files)
	base := m.prefix() + "module." + call.name
	keys, why := l.expand(call.count, call.forEach, m.sc, base)
	if why != "" {
		cs.why = why
		sc := &scope{m: m, countIdx: cty.NilVal}
		if call.count != nil {
			sc.countIdx = cty.UnknownVal(cty.Number).Mark(WhyMark(why))
		} else {
			sc.hasEach, sc.eachKey, sc.eachVal = true, cty.UnknownVal(cty.String).Mark(WhyMark(why)), cty.DynamicVal.Mark(WhyMark(why))
		}
		cs.kids = []*modInst{l.newModInst(def, base, m, call, sc)}
		return cs
	}
	for _, k := range keys {
		sc := &scope{m: m}
		switch {
		case call.count != nil:
			sc.countIdx = k.key
		case call.forEach != nil:
			sc.hasEach, sc.eachKey, sc.eachVal = true, k.key, k.each
		}
		child := l.newModInst(def, base+k.str, m, call, sc)
		child.sc.countIdx = cty.NilVal
		cs.kids = append(cs.kids, child)
	}
	return cs
}

// moduleValue is the value a reference to a module call sees: its outputs.
func (m *modInst) moduleValue(call *moduleCall, nd *need) cty.Value {
	cs := m.children(call)
	if cs.why != "" {
		return cty.DynamicVal.Mark(WhyMark(cs.why))
	}
	obj := func(k *modInst) cty.Value {
		vals := map[string]cty.Value{}
		if nd.all {
			for n := range k.def.outputs {
				vals[n] = k.output(n)
			}
		} else {
			for n := range nd.attrs {
				if v := k.output(n); v != cty.NilVal {
					vals[n] = v
				}
			}
		}
		return cty.ObjectVal(vals)
	}
	switch {
	case call.count != nil:
		if len(cs.kids) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(cs.kids))
		for i, k := range cs.kids {
			vals[i] = obj(k)
		}
		return cty.TupleVal(vals)
	case call.forEach != nil:
		vals := map[string]cty.Value{}
		for _, k := range cs.kids {
			vals[k.callScope.eachKey.AsString()] = obj(k)
		}
		return cty.ObjectVal(vals)
	}
	if len(cs.kids) == 0 {
		return cty.DynamicVal
	}
	return obj(cs.kids[0])
}

// defaultTags returns the default tags of the provider configuration a
// resource uses, or cty.NilVal.
func (m *modInst) defaultTags(rc *resourceConfig) cty.Value {
	key := rc.provider
	if key == "" {
		key = "aws"
	}
	p := m.providers[key]
	if p == nil || p.cfg.tags == nil {
		return cty.NilVal
	}
	if !p.done {
		if p.busy {
			return cty.NilVal
		}
		p.busy = true
		p.tags = m.l.evalExpr(p.cfg.tags, p.mod.sc)
		p.busy, p.done = false, true
	}
	return p.tags
}

// evalBlocks evaluates nested blocks of one type into a tuple of objects.
func (l *loader) evalBlocks(blocks []*hclsyntax.Block, sc *scope) cty.Value {
	var items []cty.Value
	for _, b := range blocks {
		if b.Type != "dynamic" {
			items = append(items, l.evalBody(b.Body, sc))
			continue
		}
		dyn, why := l.expandDynamic(b, sc)
		if why != "" {
			return cty.DynamicVal.Mark(WhyMark(why))
		}
		items = append(items, dyn...)
	}
	if len(items) == 0 {
		return cty.EmptyTupleVal
	}
	return cty.TupleVal(items)
}

// evalBody evaluates a nested block body into an object.
func (l *loader) evalBody(body *hclsyntax.Body, sc *scope) cty.Value {
	vals := make(map[string]cty.Value, len(body.Attributes))
	for n, a := range body.Attributes {
		vals[n] = l.evalExpr(a.Expr, sc)
	}
	if len(body.Blocks) > 0 {
		byType := map[string][]*hclsyntax.Block{}
		var order []string
		for _, b := range body.Blocks {
			t := b.Type
			if t == "dynamic" && len(b.Labels) > 0 {
				t = b.Labels[0]
			}
			if byType[t] == nil {
				order = append(order, t)
			}
			byType[t] = append(byType[t], b)
		}
		for _, t := range order {
			vals[t] = l.evalBlocks(byType[t], sc)
		}
	}
	return cty.ObjectVal(vals)
}

// expandDynamic expands a dynamic block into its generated block objects.
func (l *loader) expandDynamic(b *hclsyntax.Block, sc *scope) ([]cty.Value, string) {
	if len(b.Labels) == 0 {
		return nil, "dynamic block without a type"
	}
	iter := b.Labels[0]
	if a := b.Body.Attributes["iterator"]; a != nil {
		if n := exprTraversal(a.Expr); n != "" {
			iter = n
		}
	}
	var content *hclsyntax.Body
	for _, c := range b.Body.Blocks {
		if c.Type == "content" {
			content = c.Body
		}
	}
	fe := b.Body.Attributes["for_each"]
	if content == nil || fe == nil {
		return nil, "dynamic " + iter + " block has no for_each or content"
	}
	v, _ := l.evalExpr(fe.Expr, sc).UnmarkDeep()
	if !v.IsKnown() {
		return nil, "for_each of dynamic " + b.Labels[0] + " block is not known before apply"
	}
	if v.IsNull() || !v.CanIterateElements() {
		return nil, ""
	}
	var out []cty.Value
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		child := sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": k, "value": ev}))
		out = append(out, l.evalBody(content, child))
		if len(out) >= maxInstances {
			break
		}
	}
	return out, ""
}

// resInst is one resource or data instance being evaluated.
type resInst struct {
	m    *modInst
	rc   *resourceConfig
	addr string
	sc   *scope
	vals map[string]cty.Value
	busy map[string]bool
}

func (m *modInst) newResInst(rc *resourceConfig, addr string, sc *scope) *resInst {
	return &resInst{m: m, rc: rc, addr: addr, sc: sc, vals: map[string]cty.Value{}, busy: map[string]bool{}}
}

// commonComputed are the computed attributes a whole-object reference sees.
var commonComputed = []string{"arn", "id", "name", "invoke_arn", "qualified_arn", "version", "url", "function_url", "execution_arn", "layer_arn", "key_id"}

// object is the instance as a reference sees it: the needed attributes,
// each marked with the instance's address.
func (ri *resInst) object(nd *need) cty.Value {
	mark := RefMark{Address: ri.addr}
	vals := map[string]cty.Value{}
	if nd.all {
		for n := range ri.rc.attrs {
			vals[n] = ri.attr(n).Mark(mark)
		}
		for n := range ri.rc.blocks {
			vals[n] = ri.attr(n).Mark(mark)
		}
		for _, n := range commonComputed {
			if _, ok := vals[n]; !ok {
				vals[n] = ri.attr(n).Mark(mark)
			}
		}
	} else {
		for n := range nd.attrs {
			vals[n] = ri.attr(n).Mark(mark)
		}
	}
	return cty.ObjectVal(vals)
}

// attr evaluates one attribute (configured, nested blocks, or computed).
func (ri *resInst) attr(name string) cty.Value {
	if v, ok := ri.vals[name]; ok {
		return v
	}
	if ri.busy[name] {
		return cty.DynamicVal.Mark(WhyMark(ri.addr + "." + name + " refers to itself"))
	}
	ri.busy[name] = true
	v := ri.compute(name)
	delete(ri.busy, name)
	ri.vals[name] = v
	return v
}

func (ri *resInst) configured(name string) cty.Value {
	if ri.rc.attrs[name] == nil && ri.rc.blocks[name] == nil {
		return cty.NilVal
	}
	return ri.attr(name)
}

func (ri *resInst) compute(name string) cty.Value {
	rc := ri.rc
	l := ri.m.l
	if rc.mode == Data && rc.typ == "aws_iam_policy_document" && (name == "json" || name == "minified_json") {
		return ri.policyDocument()
	}
	if a := rc.attrs[name]; a != nil {
		return l.evalExpr(a.Expr, ri.sc)
	}
	if bs := rc.blocks[name]; bs != nil {
		return l.evalBlocks(bs, ri.sc)
	}
	if name == "tags_all" && rc.mode == Managed {
		return ri.tagsAll()
	}
	if rc.mode == Data && rc.typ == "archive_file" && name != "output_path" {
		return UnknownBecause(cty.String, "computed by archive_file when Terraform runs")
	}
	return SymbolicAttr(rc.mode, rc.typ, ri.addr, name, ri.configured)
}

// tagsAll merges the provider's default tags under the configured tags.
func (ri *resInst) tagsAll() cty.Value {
	tags := ri.configured("tags")
	var dt cty.Value
	if strings.HasPrefix(ri.rc.typ, "aws_") {
		dt = ri.m.defaultTags(ri.rc)
	}
	switch {
	case dt == cty.NilVal && tags == cty.NilVal:
		return cty.NullVal(cty.Map(cty.String))
	case dt == cty.NilVal:
		return tags
	case tags == cty.NilVal:
		return dt
	}
	v, err := mergeFunc.Call([]cty.Value{dt, tags})
	if err != nil {
		return cty.DynamicVal.Mark(WhyMark("tags could not be merged with default_tags: " + err.Error()))
	}
	return v
}

// full is the instance's value for BuildInventory: every configured
// attribute and block, plus tags_all and arn.
func (ri *resInst) full() cty.Value {
	vals := map[string]cty.Value{}
	for n := range ri.rc.attrs {
		vals[n] = ri.attr(n)
	}
	for n := range ri.rc.blocks {
		vals[n] = ri.attr(n)
	}
	if ri.rc.mode == Managed {
		if _, ok := vals["tags_all"]; !ok {
			if v := ri.attr("tags_all"); v != cty.NilVal {
				vals["tags_all"] = v
			}
		}
		if _, ok := vals["arn"]; !ok {
			vals["arn"] = ri.attr("arn")
		}
	}
	return cty.ObjectVal(vals)
}
