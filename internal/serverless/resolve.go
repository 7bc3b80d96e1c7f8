package serverless

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// resolver resolves the framework's variables (${self:...}, ${opt:...},
// ${sls:...}, ${env:...}, ${file(...)}, fallbacks) over a parsed service
// file. It is deterministic: it never reads the process environment or AWS.
// Every step is bounded (see Limits); cycles and runaway expansion become
// errors, never hangs.
type resolver struct {
	ctx     context.Context
	file    string // display path of the service file
	dir     string // service folder on disk
	rootDir string // scanned tree's folder on disk; ${file()} stays inside it
	root    *yaml.Node
	stage   string // --stage; "" when not given
	lim     Limits

	memo   map[*yaml.Node]*val
	active map[*yaml.Node]bool
	files  map[string]*val
	steps  int
	halted bool
	errs   []inventory.Error
	seen   map[string]bool
}

func newResolver(ctx context.Context, file, dir, rootDir string, root *yaml.Node, stage string, lim Limits) *resolver {
	return &resolver{
		ctx: ctx, file: file, dir: dir, rootDir: rootDir, root: root, stage: stage, lim: lim,
		memo: map[*yaml.Node]*val{}, active: map[*yaml.Node]bool{}, files: map[string]*val{}, seen: map[string]bool{},
	}
}

// errorf records an error at a line of the service file (once per line and message).
func (r *resolver) errorf(at pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := strconv.Itoa(at.line) + "\x00" + msg
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	r.errs = append(r.errs, inventory.Error{Source: r.file, Line: at.line, Message: msg})
}

// step counts work and reports false once the budget is spent or the
// context is done.
func (r *resolver) step(at pos) bool {
	if r.halted {
		return false
	}
	r.steps++
	if r.lim.MaxSteps > 0 && r.steps > r.lim.MaxSteps {
		r.halted = true
		r.errorf(at, "variable resolution stopped after %d steps (runaway references?)", r.lim.MaxSteps)
		return false
	}
	if r.steps%1024 == 0 && r.ctx.Err() != nil {
		r.halted = true
		return false
	}
	return true
}

func posOf(n *yaml.Node) pos { return pos{line: n.Line, col: n.Column} }

// node resolves a YAML node and everything under it.
func (r *resolver) node(n *yaml.Node, depth int) *val {
	if n == nil {
		return nil
	}
	if v, ok := r.memo[n]; ok {
		return v
	}
	at := posOf(n)
	if r.active[n] {
		r.errorf(at, "variable reference cycle through line %d", n.Line)
		return unknownVal("variable reference cycle", false, at)
	}
	if !r.step(at) {
		return unknownVal("variable resolution stopped", false, at)
	}
	r.active[n] = true
	defer delete(r.active, n)

	var v *val
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			v = &val{kind: kNull, at: at, size: 1}
		} else {
			v = r.node(n.Content[0], depth)
		}
	case yaml.AliasNode:
		v = r.node(n.Alias, depth)
	case yaml.MappingNode:
		v = r.mapping(n, depth)
	case yaml.SequenceNode:
		s := &val{kind: kSeq, at: at, end: template.EndLine(n), size: 1}
		for _, c := range n.Content {
			cv := r.node(c, depth)
			s.seq = append(s.seq, cv)
			s.size += sizeOf(cv)
		}
		v = wrapTag(n, s)
	case yaml.ScalarNode:
		v = r.scalarNode(n, depth)
	default:
		v = &val{kind: kNull, at: at, size: 1}
	}
	if r.lim.MaxExpandedNodes > 0 && v.size > r.lim.MaxExpandedNodes {
		r.halted = true
		r.errorf(at, "configuration expands to more than %d values through aliases and variables", r.lim.MaxExpandedNodes)
		v = unknownVal("configuration too large", false, at)
	}
	r.memo[n] = v
	return v
}

func sizeOf(v *val) int {
	if v == nil {
		return 0
	}
	return v.size
}

func (r *resolver) mapping(n *yaml.Node, depth int) *val {
	m := &val{kind: kMap, at: posOf(n), end: template.EndLine(n), size: 1}
	var merges []*yaml.Node
	set := func(key string, at pos, cv *val, override bool) {
		for i := range m.ents {
			if m.ents[i].key == key {
				if override {
					m.size += sizeOf(cv) - sizeOf(m.ents[i].v)
					m.ents[i] = entry{key: key, at: at, v: cv}
				}
				return
			}
		}
		m.ents = append(m.ents, entry{key: key, at: at, v: cv})
		m.size += sizeOf(cv)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, vn := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && (k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0)) {
			merges = append(merges, vn)
			continue
		}
		key := k.Value
		if k.Kind == yaml.ScalarNode && strings.Contains(key, "${") {
			if kv := r.interp(key, posOf(k), depth); kv.k() == kScalar {
				key = kv.s
			}
		}
		set(key, posOf(k), r.node(vn, depth), true)
	}
	for _, mn := range merges {
		mv := r.node(mn, depth)
		for _, src := range mv.list() {
			if src == nil || src.k() != kMap {
				continue
			}
			for _, e := range src.ents {
				set(e.key, e.at, e.v, false)
			}
		}
	}
	return wrapTag(n, m)
}

// shortForms are the CloudFormation short-form tags the framework accepts
// in serverless.yml, mapped to their long forms.
var shortForms = map[string]string{
	"Ref": "Ref", "Condition": "Condition", "GetAtt": "Fn::GetAtt", "Sub": "Fn::Sub", "Join": "Fn::Join",
	"Select": "Fn::Select", "Split": "Fn::Split", "If": "Fn::If", "Equals": "Fn::Equals", "Not": "Fn::Not",
	"And": "Fn::And", "Or": "Fn::Or", "FindInMap": "Fn::FindInMap", "ImportValue": "Fn::ImportValue",
	"GetAZs": "Fn::GetAZs", "Base64": "Fn::Base64", "Cidr": "Fn::Cidr",
}

// wrapTag turns a node with a CloudFormation short-form tag (!Ref X) into
// the long form ({"Ref": "X"}).
func wrapTag(n *yaml.Node, v *val) *val {
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v
	}
	name, ok := shortForms[n.Tag[1:]]
	if !ok {
		name = "Fn::" + n.Tag[1:]
	}
	if name == "Fn::GetAtt" && v.k() == kScalar {
		res, attr, _ := strings.Cut(v.s, ".")
		v = &val{kind: kSeq, at: v.at, end: v.end, size: 3,
			seq: []*val{scalar(res, "!!str", v.at), scalar(attr, "!!str", v.at)}}
	}
	return &val{kind: kMap, at: v.at, end: v.end, size: v.size + 1, ents: []entry{{key: name, at: v.at, v: v}}}
}

func (r *resolver) scalarNode(n *yaml.Node, depth int) *val {
	at := posOf(n)
	var v *val
	switch tag := n.ShortTag(); {
	case tag == "!!null":
		v = &val{kind: kNull, at: at, end: at.line, size: 1}
	case tag == "!!str" || (strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!")):
		v = r.interp(n.Value, at, depth)
	default:
		v = scalar(n.Value, tag, at)
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		c := *v
		c.end = template.EndLine(n)
		v = &c
	}
	return wrapTag(n, v)
}

// interp resolves the variables in a string. A string that is exactly one
// variable takes that variable's value (which may be a mapping); otherwise
// each variable must resolve to a scalar and the pieces are joined.
func (r *resolver) interp(s string, at pos, depth int) *val {
	if !strings.Contains(s, "${") {
		return scalar(s, "!!str", at)
	}
	var b strings.Builder
	var whys []string
	ref, unknown := false, false
	i := 0
	for i < len(s) {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		start := i + j
		end := closingBrace(s, start+2)
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		expr := s[start+2 : end]
		if !isVariable(expr) {
			// CloudFormation's own ${AWS::Region} / ${Resource} (Fn::Sub) stay.
			b.WriteString(s[i : end+1])
			i = end + 1
			continue
		}
		b.WriteString(s[i:start])
		v := r.variable(expr, at, depth+1)
		if start == 0 && end == len(s)-1 {
			return v
		}
		switch {
		case v == nil || v.k() == kNull:
			b.WriteString("null")
		case v.k() == kScalar:
			b.WriteString(v.s)
		case v.k() == kUnknown:
			unknown = true
			ref = ref || v.ref
			whys = append(whys, v.why)
		default:
			r.errorf(at, "variable ${%s} is a mapping or list inside a string", expr)
			unknown = true
			whys = append(whys, "${"+expr+"} is not a string")
		}
		if r.lim.MaxStringBytes > 0 && b.Len() > r.lim.MaxStringBytes {
			r.errorf(at, "string grows beyond %d bytes through variables", r.lim.MaxStringBytes)
			return unknownVal("string too long", false, at)
		}
		i = end + 1
	}
	if unknown {
		return unknownVal(strings.Join(whys, "; "), ref, at)
	}
	return scalar(b.String(), "!!str", at)
}

// closingBrace returns the index of the } that closes the ${ whose body
// starts at from, or -1.
func closingBrace(s string, from int) int {
	depth := 1
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

var varSource = regexp.MustCompile(`^\s*[A-Za-z][A-Za-z0-9_-]*(\(|:[^:]|:$)`)

// isVariable tells a framework variable (${self:x}, ${file(./a.yml)}) from
// CloudFormation substitutions that the framework leaves alone
// (${AWS::Region}, ${MyBucket}).
func isVariable(expr string) bool {
	return varSource.MatchString(expr) || strings.HasPrefix(strings.TrimSpace(expr), "${")
}

// splitTop splits s at commas outside quotes, parentheses and ${}.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '{' || c == '(':
			depth++
		case c == '}' || c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

var numberLit = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// variable resolves one ${...} body: alternatives separated by commas, the
// first that has a value wins.
func (r *resolver) variable(expr string, at pos, depth int) *val {
	if r.lim.MaxVarDepth > 0 && depth > r.lim.MaxVarDepth {
		r.errorf(at, "variables nested deeper than %d levels", r.lim.MaxVarDepth)
		return unknownVal("variables nested too deep", false, at)
	}
	if !r.step(at) {
		return unknownVal("variable resolution stopped", false, at)
	}
	var miss *val
	for _, alt := range splitTop(expr) {
		v, found := r.alternative(strings.TrimSpace(alt), at, depth)
		if found {
			return v
		}
		if miss == nil {
			miss = v
		}
	}
	if miss == nil {
		miss = unknownVal("${"+expr+"} has no value", false, at)
	}
	return miss
}

// alternative resolves one alternative of a variable. found is false when
// the source has no value, so the next alternative applies; v then says why.
func (r *resolver) alternative(a string, at pos, depth int) (v *val, found bool) {
	switch {
	case a == "":
		return unknownVal("empty variable", false, at), false
	case len(a) >= 2 && (a[0] == '\'' || a[0] == '"') && a[len(a)-1] == a[0]:
		return r.interp(a[1:len(a)-1], at, depth), true
	case numberLit.MatchString(a):
		tag := "!!int"
		if strings.Contains(a, ".") {
			tag = "!!float"
		}
		return scalar(a, tag, at), true
	case a == "true" || a == "false":
		return scalar(a, "!!bool", at), true
	case a == "null":
		return &val{kind: kNull, at: at, size: 1}, true
	case strings.HasPrefix(a, "${"):
		v := r.interp(a, at, depth)
		return v, v.k() != kUnknown || v.ref
	}
	if strings.Contains(a, "${") {
		av := r.interp(a, at, depth)
		if av.k() != kScalar {
			return unknownVal("variable address "+a+" cannot be resolved", av.ref, at), true
		}
		a = av.s
	}
	src, params, addr := splitSource(a)
	switch src {
	case "self":
		return r.self(addr, at, depth)
	case "opt":
		if addr == "stage" && r.stage != "" {
			return scalar(r.stage, "!!str", at), true
		}
		return unknownVal("${opt:"+addr+"} is a command-line option that was not given", false, at), false
	case "sls":
		switch addr {
		case "stage":
			return scalar(r.effectiveStage(at, depth), "!!str", at), true
		}
		return unknownVal("${sls:"+addr+"} is known only when the framework runs", false, at), true
	case "env":
		return unknownVal("${env:"+addr+"} reads the deploying machine's environment, which a scan does not use", true, at), false
	case "file":
		return r.fileVar(params, addr, at, depth)
	case "aws":
		switch addr {
		case "accountId":
			return scalar(inventory.CurrentAccount, "!!str", at), true
		case "region":
			return scalar(inventory.CurrentRegion, "!!str", at), true
		}
		return unknownVal("${aws:"+addr+"} is resolved at deploy time", true, at), true
	case "ssm", "cf", "s3", "sm", "param", "secretsmanager":
		return unknownVal("${"+a+"} is resolved from AWS at deploy time", true, at), true
	}
	return unknownVal("variable source "+src+" is not supported", false, at), true
}

// splitSource splits "file(./a.yml):x.y" into file, ./a.yml and x.y.
func splitSource(a string) (src, params, addr string) {
	i := strings.IndexAny(a, "(:")
	if i < 0 {
		return a, "", ""
	}
	src = a[:i]
	rest := a[i:]
	if rest[0] == '(' {
		if j := strings.IndexByte(rest, ')'); j >= 0 {
			params = strings.TrimSpace(rest[1:j])
			rest = rest[j+1:]
		} else {
			params, rest = rest[1:], ""
		}
	}
	addr = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
	return src, params, addr
}

// effectiveStage is --stage, else provider.stage, else "dev", as the
// framework decides ${sls:stage}.
func (r *resolver) effectiveStage(at pos, depth int) string {
	if r.stage != "" {
		return r.stage
	}
	if v, found := r.self("provider.stage", at, depth); found {
		if s, ok := v.str(); ok && s != "" {
			return s
		}
	}
	return "dev"
}

// splitPath splits a ${self:} address ("custom.tables.0.name").
func splitPath(addr string) []string {
	if addr == "" {
		return nil
	}
	return strings.Split(addr, ".")
}

// self looks up an address in the service file. It walks the raw nodes and
// resolves only what the address passes through, so that a reference from
// one part of the file to another is not mistaken for a cycle.
func (r *resolver) self(addr string, at pos, depth int) (*val, bool) {
	miss := func() (*val, bool) {
		return unknownVal("${self:"+addr+"} is not set", false, at), false
	}
	segs := splitPath(addr)
	cur := r.root
	if cur != nil && cur.Kind == yaml.DocumentNode && len(cur.Content) > 0 {
		cur = cur.Content[0]
	}
	var cv *val
	for i, seg := range segs {
		if cv == nil {
			n := template.Deref(cur)
			if n == nil {
				return miss()
			}
			if n.Kind == yaml.MappingNode && n.Tag == "!!map" {
				c := rawGet(n, seg, 0)
				if c == nil {
					return miss()
				}
				cur = c
				continue
			}
			if n.Kind == yaml.SequenceNode && n.Tag == "!!seq" {
				k, err := strconv.Atoi(seg)
				if err != nil || k < 0 || k >= len(n.Content) {
					return miss()
				}
				cur = n.Content[k]
				continue
			}
			cv = r.node(n, depth)
		}
		v, found := navigate(cv, segs[i:])
		if !found {
			return miss()
		}
		return v, true
	}
	if cv != nil {
		return cv, true
	}
	return r.node(cur, depth), true
}

// rawGet finds key in a raw mapping, looking through merge keys.
func rawGet(m *yaml.Node, key string, depth int) *yaml.Node {
	if depth > 16 {
		return nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0) {
			merges = append(merges, m.Content[i+1])
			continue
		}
		if k.Value == key {
			return m.Content[i+1]
		}
	}
	for _, mn := range merges {
		mn = template.Deref(mn)
		if mn == nil {
			continue
		}
		srcs := []*yaml.Node{mn}
		if mn.Kind == yaml.SequenceNode {
			srcs = mn.Content
		}
		for _, s := range srcs {
			if s = template.Deref(s); s != nil && s.Kind == yaml.MappingNode {
				if c := rawGet(s, key, depth+1); c != nil {
					return c
				}
			}
		}
	}
	return nil
}

// navigate follows an address through a resolved value. An unknown value on
// the way makes the result unknown (found, since the source set it).
func navigate(v *val, segs []string) (*val, bool) {
	for _, seg := range segs {
		switch {
		case v == nil:
			return nil, false
		case v.k() == kUnknown:
			return v, true
		case v.k() == kMap:
			v = v.get(seg)
			if v == nil {
				return nil, false
			}
		case v.k() == kSeq:
			k, err := strconv.Atoi(seg)
			if err != nil || k < 0 || k >= len(v.seq) {
				return nil, false
			}
			v = v.seq[k]
		default:
			return nil, false
		}
	}
	return v, v != nil
}

// fileVar resolves ${file(path):address} for YAML and JSON files inside the
// scanned tree. Variables in that file are resolved too; its values take the
// position of the referencing line, since locations name the service file.
func (r *resolver) fileVar(params, addr string, at pos, depth int) (*val, bool) {
	p := strings.Trim(strings.TrimSpace(params), `'"`)
	if p == "" {
		return unknownVal("${file()} names no file", false, at), true
	}
	full := filepath.Clean(filepath.Join(r.dir, filepath.FromSlash(p)))
	if !within(r.rootDir, full) {
		r.errorf(at, "${file(%s)} is outside the scanned folder; not read", p)
		return unknownVal("${file("+p+")} is outside the scanned folder", false, at), true
	}
	switch strings.ToLower(filepath.Ext(full)) {
	case ".yml", ".yaml", ".json":
	default:
		return unknownVal("${file("+p+")} is code the framework runs; not evaluated", false, at), true
	}
	doc, ok := r.files[full]
	if !ok {
		if len(r.files) >= r.lim.MaxFiles {
			r.errorf(at, "more than %d files referenced with ${file()}", r.lim.MaxFiles)
			return unknownVal("too many ${file()} references", false, at), true
		}
		r.files[full] = nil
		doc = r.loadFile(full, p, at, depth)
		r.files[full] = doc
	}
	if doc == nil {
		return unknownVal("${file("+p+")} does not exist or cannot be read", false, at), false
	}
	v, found := navigate(doc, splitPath(addr))
	if !found {
		return unknownVal("${file("+p+"):"+addr+"} is not set", false, at), false
	}
	return v, true
}

// within reports whether p is root or inside it, after following symlinks.
func within(root, p string) bool {
	if rr, err := filepath.EvalSymlinks(root); err == nil {
		root = rr
	}
	if pp, err := filepath.EvalSymlinks(p); err == nil {
		p = pp
	} else if !errors.Is(err, os.ErrNotExist) {
		return false
	}
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (r *resolver) loadFile(full, name string, at pos, depth int) *val {
	info, err := os.Stat(full)
	if err != nil || !info.Mode().IsRegular() {
		return nil
	}
	if r.lim.MaxBytes > 0 && info.Size() > r.lim.MaxBytes {
		r.errorf(at, "${file(%s)} is %d bytes, larger than the limit of %d", name, info.Size(), r.lim.MaxBytes)
		return unknownVal("file too large", false, at)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		r.errorf(at, "read %s: %v", name, err)
		return unknownVal("file cannot be read", false, at)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		r.errorf(at, "${file(%s)}: %v", name, err)
		return unknownVal("file is malformed", false, at)
	}
	if err := template.Check(&doc, r.lim.template()); err != nil {
		r.errorf(at, "${file(%s)}: %v", name, err)
		return unknownVal("file is too large or too deep", false, at)
	}
	v := r.node(&doc, depth)
	return relocate(v, at, map[*val]*val{})
}

// relocate copies v with every position set to at.
func relocate(v *val, at pos, done map[*val]*val) *val {
	if v == nil {
		return nil
	}
	if c, ok := done[v]; ok {
		return c
	}
	c := *v
	c.at, c.end = at, at.line
	if v.ents != nil {
		c.ents = make([]entry, len(v.ents))
		for i, e := range v.ents {
			c.ents[i] = entry{key: e.key, at: at, v: relocate(e.v, at, done)}
		}
	}
	if v.seq != nil {
		c.seq = make([]*val, len(v.seq))
		for i, s := range v.seq {
			c.seq[i] = relocate(s, at, done)
		}
	}
	done[v] = &c
	return &c
}
