package terraform

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// maxFileSize bounds what is read of one configuration, tfvars or template
// file.
const maxFileSize = 8 << 20

// module is one parsed module directory.
type module struct {
	dir string // on disk
	// rel is dir relative to the root module's directory, slash-separated
	// ("." for the root): Terraform's path.module.
	rel       string
	variables map[string]*variableDecl
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	resources []*resourceConfig
	byKey     map[string]*resourceConfig // "TYPE.NAME" or "data.TYPE.NAME"
	calls     []*moduleCall
	callByKey map[string]*moduleCall
	providers map[string]*providerConfig // "aws", "aws.west"
	hasTypes  map[string]bool            // managed resource types declared
}

type variableDecl struct {
	name     string
	def      hcl.Expression
	typ      cty.Type
	defaults *typeexpr.Defaults
}

type resourceConfig struct {
	mode     Mode
	typ      string
	name     string
	count    hcl.Expression
	forEach  hcl.Expression
	provider string          // "aws.west"; "" for the default
	syntax   *hclsyntax.Body // nil for JSON
	// jsonAttrs are the content attributes of a JSON body (of a native
	// body they are syntax.Attributes but the meta-arguments).
	jsonAttrs map[string]*hcl.Attribute
	blocks    map[string][]*hclsyntax.Block // content blocks by type (dynamic by its label); nil when none
	defRange  hcl.Range
	rng       hcl.Range
	waivers   []waiverSpec
}

// attribute returns a content attribute's expression and range.
func (rc *resourceConfig) attribute(name string) (hcl.Expression, hcl.Range, bool) {
	if rc.syntax == nil {
		if a := rc.jsonAttrs[name]; a != nil {
			return a.Expr, a.Range, true
		}
		return nil, hcl.Range{}, false
	}
	if a := rc.syntax.Attributes[name]; a != nil && !resourceMeta[name] {
		return a.Expr, a.SrcRange, true
	}
	return nil, hcl.Range{}, false
}

// hasAttr reports whether a content attribute is set.
func (rc *resourceConfig) hasAttr(name string) bool {
	_, _, ok := rc.attribute(name)
	return ok
}

// eachAttr calls fn with the name of every content attribute.
func (rc *resourceConfig) eachAttr(fn func(string)) {
	if rc.syntax == nil {
		for n := range rc.jsonAttrs {
			fn(n)
		}
		return
	}
	for n := range rc.syntax.Attributes {
		if !resourceMeta[n] {
			fn(n)
		}
	}
}

// eachBlockType calls fn with every content block type.
func (rc *resourceConfig) eachBlockType(fn func(string)) {
	for n := range rc.blocks {
		fn(n)
	}
}

type moduleCall struct {
	name      string
	source    string
	srcRange  hcl.Range
	count     hcl.Expression
	forEach   hcl.Expression
	inputs    map[string]*hcl.Attribute
	providers map[string]string // child name -> parent name ("aws" -> "aws.west")
	defRange  hcl.Range
}

type providerConfig struct {
	key  string
	tags hcl.Expression // default_tags.tags, or nil
	// region and accounts are the region and allowed_account_ids
	// attributes, or nil.
	region, accounts hcl.Expression
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
}}

var resourceMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}, {Name: "provider"}, {Name: "depends_on"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "lifecycle"}, {Type: "provisioner", LabelNames: []string{"type"}}, {Type: "connection"}},
}

var resourceMeta = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true, "lifecycle": true, "provisioner": true, "connection": true}

var moduleSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "source"}, {Name: "version"}, {Name: "count"}, {Name: "for_each"}, {Name: "providers"}, {Name: "depends_on"},
}}

// configFiles lists the .tf and .tf.json files of a directory, sorted.
func configFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && isConfigFile(n) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

func isConfigFile(name string) bool {
	return (strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")) && !strings.HasPrefix(name, ".")
}

// readFile reads a file of at most maxFileSize bytes.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(name))
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", filepath.Base(name), maxFileSize)
	}
	b := make([]byte, st.Size())
	n, err := f.Read(b)
	if err != nil && n < len(b) {
		return nil, err
	}
	return b[:n], nil
}

// parsedFile is one configuration file after parsing.
type parsedFile struct {
	name  string
	body  hcl.Body // nil when the file could not be read or parsed
	src   []byte
	err   error
	diags hcl.Diagnostics
}

// parseFiles reads and parses configuration files, several at a time.
func parseFiles(ctx context.Context, names []string) []parsedFile {
	out := make([]parsedFile, len(names))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(names) {
		workers = len(names)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = parseFile(names[i])
			}
		}()
	}
	for i := range names {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func parseFile(name string) parsedFile {
	pf := parsedFile{name: name}
	src, err := readFile(name)
	if err != nil {
		pf.err = err
		return pf
	}
	var body hcl.Body
	if strings.HasSuffix(name, ".json") {
		var file *hcl.File
		file, pf.diags = hcljson.Parse(src, name)
		if file != nil {
			body = file.Body
		}
	} else {
		body, pf.diags = parseNative(src, name)
	}
	if !pf.diags.HasErrors() && body != nil {
		pf.body, pf.src = body, src
	}
	return pf
}

// loadModule parses a module directory (cached).
func (l *loader) loadModule(dir string, files []string) *module {
	if m, ok := l.modules[dir]; ok {
		return m
	}
	m := &module{
		dir:       dir,
		variables: map[string]*variableDecl{},
		locals:    map[string]*hcl.Attribute{},
		outputs:   map[string]*hcl.Attribute{},
		byKey:     map[string]*resourceConfig{},
		callByKey: map[string]*moduleCall{},
		providers: map[string]*providerConfig{},
		hasTypes:  map[string]bool{},
	}
	if rel, err := filepath.Rel(l.rootDir, dir); err == nil {
		m.rel = filepath.ToSlash(rel)
	} else {
		m.rel = "."
	}
	l.modules[dir] = m
	if files == nil {
		var err error
		files, err = configFiles(dir)
		if err != nil {
			l.errorf(dir, 0, "read module directory: %v", err)
		}
	}
	for _, pf := range parseFiles(l.ctx, files) {
		switch {
		case pf.err != nil:
			l.errorf(pf.name, 0, "read: %v", errorText(pf.err, pf.name, filepath.Base(pf.name)))
		case pf.body == nil:
			l.diagErrors(pf.name, pf.diags)
		default:
			l.addFile(m, pf.name, pf.body, pf.src)
		}
	}
	return m
}

func (l *loader) addFile(m *module, name string, body hcl.Body, src []byte) {
	content, _, diags := body.PartialContent(fileSchema)
	l.diagErrors(name, diags)
	var resBlocks []*resourceConfig
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			m.variables[b.Labels[0]] = l.variable(b)
		case "locals":
			attrs, diags := b.Body.JustAttributes()
			l.diagErrors(name, diags)
			for n, a := range attrs {
				m.locals[n] = a
			}
		case "output":
			c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}}})
			if a := c.Attributes["value"]; a != nil {
				m.outputs[b.Labels[0]] = a
			}
		case "provider":
			p := l.provider(b)
			m.providers[p.key] = p
		case "module":
			if c := l.moduleCall(b); c != nil {
				if _, dup := m.callByKey[c.name]; !dup {
					m.calls = append(m.calls, c)
					m.callByKey[c.name] = c
				}
			}
		case "resource", "data":
			rc := l.resource(b)
			key := rc.typ + "." + rc.name
			if rc.mode == Data {
				key = "data." + key
			} else {
				m.hasTypes[rc.typ] = true
			}
			if _, dup := m.byKey[key]; dup {
				l.errorf(name, b.DefRange.Start.Line, "duplicate %s %q %q", b.Type, rc.typ, rc.name)
				continue
			}
			m.byKey[key] = rc
			m.resources = append(m.resources, rc)
			if rc.mode == Managed {
				resBlocks = append(resBlocks, rc)
			}
		}
	}
	if src != nil && !strings.HasSuffix(name, ".json") {
		l.attachWaivers(name, src, resBlocks)
	}
}

func (l *loader) variable(b *hcl.Block) *variableDecl {
	v := &variableDecl{name: b.Labels[0], typ: cty.DynamicPseudoType}
	c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}}})
	if a := c.Attributes["default"]; a != nil {
		v.def = a.Expr
	}
	if a := c.Attributes["type"]; a != nil {
		ty, defs, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		if !diags.HasErrors() {
			v.typ, v.defaults = ty, defs
		}
	}
	return v
}

func (l *loader) provider(b *hcl.Block) *providerConfig {
	p := &providerConfig{key: b.Labels[0]}
	c, _, _ := b.Body.PartialContent(&hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "alias"}, {Name: "region"}, {Name: "allowed_account_ids"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "default_tags"}},
	})
	if a := c.Attributes["region"]; a != nil {
		p.region = a.Expr
	}
	if a := c.Attributes["allowed_account_ids"]; a != nil {
		p.accounts = a.Expr
	}
	if a := c.Attributes["alias"]; a != nil {
		if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			p.key += "." + v.AsString()
		}
	}
	for _, dt := range c.Blocks {
		dc, _, _ := dt.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "tags"}}})
		if a := dc.Attributes["tags"]; a != nil {
			p.tags = a.Expr
		}
	}
	return p
}

func (l *loader) moduleCall(b *hcl.Block) *moduleCall {
	c, remain, _ := b.Body.PartialContent(moduleSchema)
	mc := &moduleCall{name: b.Labels[0], defRange: b.DefRange, inputs: map[string]*hcl.Attribute{}, providers: map[string]string{}}
	if a := c.Attributes["source"]; a != nil {
		mc.srcRange = a.Range
		if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			mc.source = v.AsString()
		}
	} else {
		mc.srcRange = b.DefRange
	}
	if a := c.Attributes["count"]; a != nil {
		mc.count = a.Expr
	}
	if a := c.Attributes["for_each"]; a != nil {
		mc.forEach = a.Expr
	}
	if a := c.Attributes["providers"]; a != nil {
		if pairs, diags := hcl.ExprMap(a.Expr); !diags.HasErrors() {
			for _, p := range pairs {
				k := exprTraversal(p.Key)
				v := exprTraversal(p.Value)
				if k != "" && v != "" {
					mc.providers[k] = v
				}
			}
		}
	}
	attrs, _ := remain.JustAttributes()
	for n, a := range attrs {
		mc.inputs[n] = a
	}
	return mc
}

// exprTraversal renders a reference like aws.west as a dotted string, or "".
func exprTraversal(e hcl.Expression) string {
	t, diags := hcl.AbsTraversalForExpr(e)
	if diags.HasErrors() {
		return ""
	}
	var parts []string
	for _, s := range t {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ".")
}

func (l *loader) resource(b *hcl.Block) *resourceConfig {
	rc := &resourceConfig{typ: b.Labels[0], name: b.Labels[1], defRange: b.DefRange, mode: Managed}
	if b.Type == "data" {
		rc.mode = Data
	}
	if sb, ok := b.Body.(*hclsyntax.Body); ok {
		// The meta-arguments straight from the syntax tree: what
		// PartialContent(resourceMetaSchema) would return, without copying
		// the body.
		if a := sb.Attributes["count"]; a != nil {
			rc.count = a.Expr
		}
		if a := sb.Attributes["for_each"]; a != nil {
			rc.forEach = a.Expr
		}
		if a := sb.Attributes["provider"]; a != nil {
			rc.provider = exprTraversal(a.Expr)
		}
		rc.syntax = sb
		rc.rng = sb.SrcRange
		rc.rng.Start = b.DefRange.Start
		for _, blk := range sb.Blocks {
			if resourceMeta[blk.Type] {
				continue
			}
			t := blk.Type
			if t == "dynamic" && len(blk.Labels) > 0 {
				t = blk.Labels[0]
			}
			if rc.blocks == nil {
				rc.blocks = map[string][]*hclsyntax.Block{}
			}
			rc.blocks[t] = append(rc.blocks[t], blk)
		}
		return rc
	}
	meta, remain, _ := b.Body.PartialContent(resourceMetaSchema)
	if a := meta.Attributes["count"]; a != nil {
		rc.count = a.Expr
	}
	if a := meta.Attributes["for_each"]; a != nil {
		rc.forEach = a.Expr
	}
	if a := meta.Attributes["provider"]; a != nil {
		rc.provider = exprTraversal(a.Expr)
	}
	rc.rng = b.DefRange
	rc.jsonAttrs = map[string]*hcl.Attribute{}
	attrs, _ := remain.JustAttributes()
	for n, a := range attrs {
		if n != "//" {
			rc.jsonAttrs[n] = a
		}
	}
	return rc
}

// localSource reports whether a module source is a local path.
func localSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".."
}

// diagErrors records the error diagnostics, at most a few per file.
func (l *loader) diagErrors(name string, diags hcl.Diagnostics) {
	n := 0
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if n++; n > 5 {
			return
		}
		line := 0
		file := name
		if d.Subject != nil {
			line = d.Subject.Start.Line
			if d.Subject.Filename != "" {
				file = d.Subject.Filename
			}
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		l.errorf(file, line, "%s", msg)
	}
}

// errorf records an inventory error for an on-disk file.
func (l *loader) errorf(file string, line int, format string, args ...any) {
	l.errs = append(l.errs, inventory.Error{Source: l.display(file), Line: line, Message: fmt.Sprintf(format, args...)})
}

// display turns an on-disk path into the path locations show. It is safe
// for concurrent use (BuildInventory locates values from two goroutines).
func (l *loader) display(name string) string {
	l.displayMu.Lock()
	defer l.displayMu.Unlock()
	if d, ok := l.displayCache[name]; ok {
		return d
	}
	d := name
	if rel, err := filepath.Rel(l.treeRoot, name); err == nil {
		d = path.Join(l.treeDisplay, filepath.ToSlash(rel))
	} else if !filepath.IsAbs(name) {
		d = filepath.ToSlash(name)
	} else {
		d = filepath.Base(name)
	}
	l.displayCache[name] = d
	return d
}
