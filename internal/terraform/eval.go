package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

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
	displayMu    sync.Mutex // guards displayCache
	displayCache map[string]string
	errs         []inventory.Error
	funcs        map[string]function.Function
	rootVars     map[string]cty.Value
	internalErrs int
	// bareCtx is the context of expressions that reference nothing.
	bareCtx *hcl.EvalContext
	// ctxPool holds evaluation contexts (with their emptied Variables) for
	// reuse: a context is dead once its expression has been evaluated.
	ctxPool []*hcl.EvalContext
	// objPool holds emptied maps that cty.ObjectVal inputs are built in
	// (ObjectVal copies them).
	objPool []map[string]cty.Value
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
	l.bareCtx = &hcl.EvalContext{Functions: l.funcs}
	return l
}

// pooledMapMax is the size above which a map is not kept for reuse
// (clearing a large map costs as much as making a new one).
const pooledMapMax = 32

// getCtx returns an evaluation context with the functions and no variables.
func (l *loader) getCtx() *hcl.EvalContext {
	if n := len(l.ctxPool); n > 0 {
		ctx := l.ctxPool[n-1]
		l.ctxPool = l.ctxPool[:n-1]
		return ctx
	}
	return &hcl.EvalContext{Functions: l.funcs, Variables: make(map[string]cty.Value, 4)}
}

// putCtx returns a context from getCtx once nothing uses it any more.
func (l *loader) putCtx(ctx *hcl.EvalContext) {
	if len(ctx.Variables) > pooledMapMax {
		return
	}
	clear(ctx.Variables)
	l.ctxPool = append(l.ctxPool, ctx)
}

// getObj returns an empty map to build an object's attributes in.
func (l *loader) getObj() map[string]cty.Value {
	if n := len(l.objPool); n > 0 {
		m := l.objPool[n-1]
		l.objPool = l.objPool[:n-1]
		return m
	}
	return make(map[string]cty.Value, 4)
}

// objectVal builds an object from a map from getObj and recycles the map.
func (l *loader) objectVal(attrs map[string]cty.Value) cty.Value {
	v := cty.ObjectVal(attrs)
	if len(attrs) <= pooledMapMax {
		clear(attrs)
		l.objPool = append(l.objPool, attrs)
	}
	return v
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
	varVals   map[string]cty.Value // by variable name
	localVals map[string]cty.Value
	outVals   map[string]cty.Value
	busy      map[string]bool // "var.x", "local.x", "output.x"
	res       map[*resourceConfig]*expansion
	kids      map[*moduleCall]*childSet
	providers map[string]*providerRef
	// varObjs and localObjs are the `var` and `local` objects of
	// expressions that reference one variable or local, by its name.
	varObjs   map[string]cty.Value
	localObjs map[string]cty.Value
	// refs caches refValue for the common needs (one attribute, or all).
	refs    map[refKey]cty.Value
	pathObj cty.Value // cty.NilVal until first needed
}

// refKey is a reference to a resource or data block with what it needs:
// one attribute (attr) or all of them (all).
type refKey struct {
	rc   *resourceConfig
	attr string
	all  bool
}

type providerRef struct {
	cfg  *providerConfig
	mod  *modInst
	tags cty.Value
	done bool
	busy bool
	// place is the account and region the configuration pins (provider.go).
	place *providerPlace
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
	// countObj and eachObj are the count and each objects, once built.
	countObj cty.Value
	eachObj  cty.Value
}

func (l *loader) newModInst(def *module, addr string, parent *modInst, call *moduleCall, callScope *scope) *modInst {
	m := &modInst{
		l: l, def: def, addr: addr, call: call, callScope: callScope,
		varVals: map[string]cty.Value{}, localVals: map[string]cty.Value{}, outVals: map[string]cty.Value{},
		busy: map[string]bool{},
		res:  make(map[*resourceConfig]*expansion, len(def.resources)), kids: map[*moduleCall]*childSet{},
		providers: map[string]*providerRef{},
		varObjs:   map[string]cty.Value{}, localObjs: map[string]cty.Value{},
		refs: map[refKey]cty.Value{},
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
	ctx := sc.context(appendVariables(nil, expr))
	v, diags := expr.Value(ctx)
	if ctx != l.bareCtx {
		// Diagnostics point at ctx: read them before it is reused.
		defer l.putCtx(ctx)
	}
	if diags.HasErrors() {
		l.reportMissingFiles(diags)
		return cty.DynamicVal.Mark(WhyMark(diagWhy(diags)))
	}
	if v == cty.NilVal {
		return cty.DynamicVal
	}
	return v
}

// appendVariables appends expr.Variables() to out: the same traversals in
// the same order, without the allocations of hclsyntax's generic walk for
// the expression types configurations are mostly made of (none of which
// opens a scope of local names).
func appendVariables(out []hcl.Traversal, expr hcl.Expression) []hcl.Traversal {
	switch x := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
	case *hclsyntax.ScopeTraversalExpr:
		out = append(out, x.Traversal)
	case *hclsyntax.TemplateExpr:
		for _, p := range x.Parts {
			out = appendVariables(out, p)
		}
	case *hclsyntax.TemplateWrapExpr:
		out = appendVariables(out, x.Wrapped)
	case *hclsyntax.FunctionCallExpr:
		for _, a := range x.Args {
			out = appendVariables(out, a)
		}
	case *hclsyntax.TupleConsExpr:
		for _, e := range x.Exprs {
			out = appendVariables(out, e)
		}
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			out = appendVariables(out, it.KeyExpr)
			out = appendVariables(out, it.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		// A key written as a bare name is a literal, not a reference.
		if hcl.ExprAsKeyword(x.Wrapped) == "" {
			out = appendVariables(out, x.Wrapped)
		}
	default:
		out = append(out, expr.Variables()...)
	}
	return out
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
	attrs []string // without duplicates; ignored when all
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
	n.attrs = appendUnique(n.attrs, a.Name)
}

// key returns the cache key of n for rc, or false when n is not one of the
// cached shapes (all attributes, or exactly one).
func (n *need) key(rc *resourceConfig) (refKey, bool) {
	switch {
	case n.all:
		return refKey{rc: rc, all: true}, true
	case len(n.attrs) == 1:
		return refKey{rc: rc, attr: n.attrs[0]}, true
	}
	return refKey{}, false
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
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

// blockRef is what an expression reads of one resource or data block (or
// module call): the block's type and name, and the attributes it needs.
type blockRef struct {
	data bool
	typ  string
	name string
	need need
}

// addBlockRef merges a reference into refs.
func addBlockRef(refs []blockRef, data bool, typ, name string, rest hcl.Traversal) []blockRef {
	if typ == "" || name == "" {
		return refs
	}
	for i := range refs {
		if r := &refs[i]; r.data == data && r.typ == typ && r.name == name {
			r.need.add(rest)
			return refs
		}
	}
	refs = append(refs, blockRef{data: data, typ: typ, name: name})
	refs[len(refs)-1].need.add(rest)
	return refs
}

var terraformObj = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})

// context builds the evaluation context for the given references: only the
// objects they name are evaluated, and of resources and data sources only
// the attributes they read. The context is the loader's to reuse once the
// expression is evaluated (see evalExpr).
func (sc *scope) context(travs []hcl.Traversal) *hcl.EvalContext {
	m := sc.m
	l := m.l
	if len(travs) == 0 {
		return l.bareCtx
	}
	ctx := l.getCtx()
	vars := ctx.Variables
	var varN, localN []string
	var refs, mods []blockRef
	for _, t := range travs {
		root := t.RootName()
		if v, ok := sc.extra[root]; ok {
			vars[root] = v
			continue
		}
		switch root {
		case "var":
			if n := attrAt(t, 1); n != "" {
				varN = appendUnique(varN, n)
			}
		case "local":
			if n := attrAt(t, 1); n != "" {
				localN = appendUnique(localN, n)
			}
		case "count":
			if sc.countIdx != cty.NilVal {
				if sc.countObj == cty.NilVal {
					sc.countObj = cty.ObjectVal(map[string]cty.Value{"index": sc.countIdx})
				}
				vars["count"] = sc.countObj
			}
		case "each":
			if sc.hasEach {
				if sc.eachObj == cty.NilVal {
					sc.eachObj = cty.ObjectVal(map[string]cty.Value{"key": sc.eachKey, "value": sc.eachVal})
				}
				vars["each"] = sc.eachObj
			}
		case "path":
			if m.pathObj == cty.NilVal {
				m.pathObj = cty.ObjectVal(map[string]cty.Value{
					"module": cty.StringVal(m.def.rel), "root": cty.StringVal("."), "cwd": cty.StringVal("."),
				})
			}
			vars["path"] = m.pathObj
		case "terraform":
			vars["terraform"] = terraformObj
		case "data":
			var rest hcl.Traversal
			if len(t) > 3 {
				rest = t[3:]
			}
			refs = addBlockRef(refs, true, attrAt(t, 1), attrAt(t, 2), rest)
		case "module":
			if n := attrAt(t, 1); n != "" && m.def.callByKey[n] != nil {
				mods = addBlockRef(mods, false, "module", n, t[2:])
			}
		default:
			if m.def.hasTypes[root] {
				var rest hcl.Traversal
				if len(t) > 2 {
					rest = t[2:]
				}
				refs = addBlockRef(refs, false, root, attrAt(t, 1), rest)
			}
		}
	}
	if varN != nil {
		vars["var"] = m.namedObject(varN, m.varObjs, m.variable, m.varVals)
	}
	if localN != nil {
		vars["local"] = m.namedObject(localN, m.localObjs, m.local, m.localVals)
	}
	if len(refs) > 0 {
		m.blockObjects(refs, vars)
	}
	if len(mods) > 0 {
		obj := l.getObj()
		for i := range mods {
			obj[mods[i].name] = m.moduleValue(m.def.callByKey[mods[i].name], &mods[i].need)
		}
		vars["module"] = l.objectVal(obj)
	}
	return ctx
}

// namedObject builds the `var` or `local` object of the given names with
// get; an object of one name is cached once its value is final (in vals).
func (m *modInst) namedObject(names []string, cache map[string]cty.Value, get func(string) cty.Value, vals map[string]cty.Value) cty.Value {
	if len(names) == 1 {
		if v, ok := cache[names[0]]; ok {
			return v
		}
	}
	obj := m.l.getObj()
	final := true
	for _, n := range names {
		v := get(n)
		if v == cty.NilVal {
			continue // not declared
		}
		obj[n] = v
		if _, ok := vals[n]; !ok {
			final = false // being computed: it refers to itself
		}
	}
	v := m.l.objectVal(obj)
	if len(names) == 1 && final {
		cache[names[0]] = v
	}
	return v
}

// blockObjects adds to vars the objects of the referenced resource types
// and, under "data", of the data source types.
func (m *modInst) blockObjects(refs []blockRef, vars map[string]cty.Value) {
	l := m.l
	// Managed types first, then data, as refs of one type are gathered.
	var dataObj map[string]cty.Value
	done := make([]bool, len(refs))
	for _, data := range []bool{false, true} {
		for i := range refs {
			if done[i] || refs[i].data != data {
				continue
			}
			typ := refs[i].typ
			obj := l.getObj()
			for j := i; j < len(refs); j++ {
				r := &refs[j]
				if done[j] || r.data != data || r.typ != typ {
					continue
				}
				done[j] = true
				var rc *resourceConfig
				if data {
					rc = m.def.byKey["data."+typ+"."+r.name]
				} else {
					rc = m.def.byKey[typ+"."+r.name]
				}
				if rc != nil {
					obj[r.name] = m.cachedRefValue(rc, &r.need)
				}
			}
			v := l.objectVal(obj)
			if !data {
				vars[typ] = v
				continue
			}
			if dataObj == nil {
				dataObj = l.getObj()
			}
			dataObj[typ] = v
		}
	}
	if dataObj != nil {
		vars["data"] = l.objectVal(dataObj)
	}
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
	if v, ok := m.varVals[name]; ok {
		return v
	}
	decl := m.def.variables[name]
	if decl == nil {
		return cty.NilVal
	}
	key := "var." + name
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
		// Unknown, but not a reference: nothing says it is read from
		// another object.
		v = cty.DynamicVal.Mark(WhyMark("variable " + name + " has no value"))
	} else {
		v = conformVar(v, decl)
	}
	m.varVals[name] = v
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
	if v, ok := m.localVals[name]; ok {
		return v
	}
	a := m.def.locals[name]
	if a == nil {
		return cty.NilVal
	}
	key := "local." + name
	if m.busy[key] {
		return cty.DynamicVal.Mark(WhyMark("local." + name + " refers to itself"))
	}
	m.busy[key] = true
	v := m.l.evalExpr(a.Expr, m.sc)
	delete(m.busy, key)
	m.localVals[name] = v
	return v
}

func (m *modInst) output(name string) cty.Value {
	if v, ok := m.outVals[name]; ok {
		return v
	}
	a := m.def.outputs[name]
	if a == nil {
		return cty.NilVal
	}
	key := "output." + name
	if m.busy[key] {
		return cty.DynamicVal.Mark(WhyMark("output " + name + " refers to itself"))
	}
	m.busy[key] = true
	v := m.l.evalExpr(a.Expr, m.sc).Mark(RefMark{Address: m.addr})
	delete(m.busy, key)
	m.outVals[name] = v
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
		// Only the keys are unmarked: each.value keeps its marks, so a
		// reference read through it still names the resource.
		mv := l.evalExpr(forEach, sc)
		v, _ := mv.UnmarkDeep()
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
			switch {
			case !byMap:
				ev = sv
			case ty.IsObjectType():
				ev = mv.GetAttr(k.AsString())
			default:
				ev = mv.Index(k)
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
	if x.insts == nil {
		x.insts = make([]*resInst, 0, len(keys))
	}
	for _, k := range keys {
		sc := m.sc // a block without count or for_each sees the module's scope
		switch {
		case rc.count != nil:
			sc = &scope{m: m, countIdx: k.key}
		case rc.forEach != nil:
			sc = &scope{m: m, hasEach: true, eachKey: k.key, eachVal: k.each}
		}
		x.insts = append(x.insts, m.newResInst(rc, base+k.str, sc))
	}
	x.busy = false
	return x
}

// cachedRefValue is refValue, cached per module instance for the common
// needs once the value is final.
func (m *modInst) cachedRefValue(rc *resourceConfig, nd *need) cty.Value {
	key, ok := nd.key(rc)
	if ok {
		if v, hit := m.refs[key]; hit {
			return v
		}
	}
	v, final := m.refValue(rc, nd)
	if ok && final {
		m.refs[key] = v
	}
	return v
}

// refValue is the value a reference to a resource or data block sees;
// final is false when part of it is being computed (it refers to itself)
// and so differs from what later references see.
func (m *modInst) refValue(rc *resourceConfig, nd *need) (v cty.Value, final bool) {
	x := m.instances(rc)
	final = m.res[rc] == x
	if x.why != "" {
		return cty.DynamicVal.Mark(WhyMark(x.why)), final
	}
	switch {
	case rc.count != nil:
		if len(x.insts) == 0 {
			return cty.EmptyTupleVal, final
		}
		vals := make([]cty.Value, len(x.insts))
		for i, ri := range x.insts {
			var f bool
			vals[i], f = ri.object(nd)
			final = final && f
		}
		return cty.TupleVal(vals), final
	case rc.forEach != nil:
		vals := make(map[string]cty.Value, len(x.insts))
		for _, ri := range x.insts {
			o, f := ri.object(nd)
			vals[ri.sc.eachKey.AsString()] = o
			final = final && f
		}
		return cty.ObjectVal(vals), final
	}
	if len(x.insts) == 0 {
		return cty.DynamicVal, final
	}
	o, f := x.insts[0].object(nd)
	return o, final && f
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
	installed := "" // where terraform init put a remote module
	if call.source != "" && !localSource(call.source) {
		installed = l.installedModule(m, call)
	}
	switch {
	case call.source == "":
		cs.why = "module " + call.name + " has no source"
		l.errorf(file, line, "module %q has no literal source", call.name)
		return cs
	case !localSource(call.source) && installed == "":
		cs.why = "module " + call.name + " has a remote source that is not scanned"
		l.errorf(file, line, "module %q: remote source %q is not loaded; its resources are not scanned", call.name, call.source)
		return cs
	case m.depth >= maxModuleDepth:
		cs.why = "modules nest too deep"
		l.errorf(file, line, "module %q: modules nest more than %d deep", call.name, maxModuleDepth)
		return cs
	}
	dir := filepath.Join(m.def.dir, filepath.FromSlash(call.source))
	if installed != "" {
		dir = installed
	}
	if onModuleStack(m, dir) {
		cs.why = "module " + call.name + " calls a module that contains it"
		l.errorf(file, line, "module %q: source %q is a module that is already being expanded (a module cycle); it is not expanded", call.name, call.source)
		return cs
	}
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
			for _, n := range nd.attrs {
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
	mark any // RefMark{Address: addr}
	sc   *scope
	vals map[string]cty.Value
	busy []string // attributes being computed
}

func (m *modInst) newResInst(rc *resourceConfig, addr string, sc *scope) *resInst {
	return &resInst{m: m, rc: rc, addr: addr, mark: RefMark{Address: addr}, sc: sc, vals: map[string]cty.Value{}}
}

// commonComputed are the computed attributes a whole-object reference sees.
var commonComputed = []string{"arn", "id", "name", "invoke_arn", "qualified_arn", "version", "url", "function_url", "execution_arn", "layer_arn", "key_id"}

// object is the instance as a reference sees it: the needed attributes,
// each marked with the instance's address. final is false when one of them
// is being computed (it refers to itself).
func (ri *resInst) object(nd *need) (v cty.Value, final bool) {
	l := ri.m.l
	vals := l.getObj()
	final = true
	add := func(n string) {
		v, f := ri.attrFinal(n)
		vals[n] = v.Mark(ri.mark)
		final = final && f
	}
	if nd.all {
		ri.rc.eachAttr(add)
		ri.rc.eachBlockType(add)
		for _, n := range commonComputed {
			if _, ok := vals[n]; !ok {
				add(n)
			}
		}
	} else {
		for _, n := range nd.attrs {
			add(n)
		}
	}
	return l.objectVal(vals), final
}

// attr evaluates one attribute (configured, nested blocks, or computed).
func (ri *resInst) attr(name string) cty.Value {
	v, _ := ri.attrFinal(name)
	return v
}

// attrFinal is attr; final is false when the attribute is being computed
// (it refers to itself), and so the value returned is not the one cached.
func (ri *resInst) attrFinal(name string) (cty.Value, bool) {
	if v, ok := ri.vals[name]; ok {
		return v, true
	}
	for _, b := range ri.busy {
		if b == name {
			return cty.DynamicVal.Mark(WhyMark(ri.addr + "." + name + " refers to itself")), false
		}
	}
	ri.busy = append(ri.busy, name)
	v := ri.compute(name)
	for i := len(ri.busy) - 1; i >= 0; i-- {
		if ri.busy[i] == name {
			ri.busy = append(ri.busy[:i], ri.busy[i+1:]...)
			break
		}
	}
	ri.vals[name] = v
	return v, true
}

func (ri *resInst) configured(name string) cty.Value {
	if !ri.rc.hasAttr(name) && ri.rc.blocks[name] == nil {
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
	if expr, _, ok := rc.attribute(name); ok {
		return l.evalExpr(expr, ri.sc)
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
	l := ri.m.l
	vals := l.getObj()
	add := func(n string) { vals[n] = ri.attr(n) }
	ri.rc.eachAttr(add)
	ri.rc.eachBlockType(add)
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
	return l.objectVal(vals)
}
