package cloudformation

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/intrinsics"
	"github.com/lambdawarden/lambdawarden/internal/cloudformation/sam"
	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// loader reads one root template and the stacks it nests.
type loader struct {
	ctx    context.Context
	cfg    Config
	tree   *scan.Tree
	inv    *inventory.Inventory
	origin string
	// stackTags are the stack tags samconfig.toml declares.
	stackTags map[string]string
	// byID are all resources of the root and nested stacks by inventory ID.
	byID map[string]*resource
	// loading holds the templates being loaded, to stop nesting loops.
	loading map[string]bool
	// pending links that need every stack loaded first.
	versions     []*resource
	policies     []*resource
	attachments  []*resource
	egress       []*resource
	roles        map[string]*inventory.Role
	groups       map[string]*inventory.SecurityGroup
	functions    map[string]*inventory.Function
	rolesByName  map[string]*inventory.Role
	managedNames map[string]string
}

// stack is one loaded template: the root or a nested stack.
type stack struct {
	l      *loader
	rel    string // tree-relative path of the template
	file   string // display path
	t      *template.Template
	env    *intrinsics.Env
	prefix string
	kind   inventory.SourceKind
	depth  int
	cdk    *cdkInfo
	tags   map[string]string
	// children are nested stacks by logical ID (nil entry: could not load).
	children map[string]*stack
	// written are the resources as written in the template, by logical ID.
	written map[string]*yaml.Node
	routes  []sam.Route
}

// resource is a resource of a loaded stack.
type resource struct {
	st   *stack
	r    *intrinsics.Resource
	key  *yaml.Node
	from string // SAM resource it was generated from
	// props are the resolved Properties (memoised).
	props    *intrinsics.Value
	resolved bool
}

func (r *resource) id() string { return r.r.ID }

func (r *resource) properties() *intrinsics.Value {
	if !r.resolved {
		r.resolved = true
		r.props = r.st.env.Resolve(r.r.Properties)
	}
	return r.props
}

func (r *resource) prop(path ...string) *intrinsics.Value { return r.properties().Get(path...) }

// loc is the resource's location: its logical ID, or for a resource SAM
// generates, the SAM text that causes it.
func (r *resource) loc() srcloc.Location {
	if r.from != "" && r.from != r.r.LogicalID && r.r.Node != nil {
		return r.st.env.Loc(r.r.Node)
	}
	return r.st.env.Loc(r.key)
}

func (s *Source) load(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
	inv := &inventory.Inventory{}
	l := &loader{
		ctx: ctx, cfg: s.cfg, tree: t, inv: inv,
		origin:       displayLocal(t, input),
		byID:         map[string]*resource{},
		loading:      map[string]bool{},
		roles:        map[string]*inventory.Role{},
		groups:       map[string]*inventory.SecurityGroup{},
		functions:    map[string]*inventory.Function{},
		rolesByName:  map[string]*inventory.Role{},
		managedNames: map[string]string{},
	}
	given, bad := intrinsics.ParseParams(opts.CFNParams)
	for _, b := range bad {
		l.errorf(l.origin, 0, "--cfn-param %q is not KEY=VALUE", b)
	}
	samGiven, samTags := samConfig(t, input)
	for k, v := range samGiven {
		if _, ok := given[k]; !ok {
			given[k] = v
		}
	}
	l.stackTags = samTags
	if root := l.loadStack(input, "", given, 0, nil); root == nil {
		inv.Sources = append(inv.Sources, inventory.Source{Kind: inventory.CloudFormation, Path: l.origin})
	}
	l.link()
	sortInventory(inv)
	return inv
}

func (l *loader) errorf(file string, line int, format string, args ...any) {
	l.inv.Errors = append(l.inv.Errors, inventory.Error{Source: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// loadStack reads template rel and converts its resources. prefix is the
// nested stack prefix ("" for the root); given are parameter values.
func (l *loader) loadStack(rel, prefix string, given map[string]*intrinsics.Value, depth int, parent *stack) *stack {
	file := l.displayLocal(rel)
	if err := l.ctx.Err(); err != nil {
		l.errorf(file, 0, "not read: %v", err)
		return nil
	}
	data, err := readFileLimited(l.diskPath(rel), l.cfg.Template.MaxBytes)
	if err != nil {
		var pe *fs.PathError
		switch {
		case errors.Is(err, errTooLarge):
			l.errorf(file, 0, "template is larger than the limit of %d bytes; not read", l.cfg.Template.MaxBytes)
		case errors.As(err, &pe):
			// The path is the file already named; keep absolute paths out.
			l.errorf(file, 0, "read template: %v", pe.Err)
		default:
			l.errorf(file, 0, "read template: %v", err)
		}
		return nil
	}
	t, err := template.Parse(file, data, l.cfg.Template)
	if err != nil {
		var te *template.Error
		if errors.As(err, &te) {
			l.errorf(file, te.Line, "%s", te.Message)
		} else {
			l.errorf(file, 0, "%v", err)
		}
		return nil
	}
	if t.Resources == nil || t.Resources.Kind != yaml.MappingNode {
		l.errorf(file, t.Root.Line, "template has no Resources mapping")
		return nil
	}
	st := &stack{
		l: l, rel: rel, file: file, t: t, prefix: prefix, depth: depth,
		kind: inventory.CloudFormation, children: map[string]*stack{}, tags: map[string]string{},
	}
	if t.IsSAM() {
		st.kind = inventory.SAM
	}
	st.written = map[string]*yaml.Node{}
	template.Pairs(t.Resources, func(k, v *yaml.Node) { st.written[k.Value] = v })
	if parent != nil {
		for k, v := range parent.tags {
			st.tags[k] = v
		}
	}
	if parent == nil && st.kind == inventory.SAM {
		// Stack tags from samconfig.toml apply to every resource.
		for k, v := range l.stackTags {
			st.tags[k] = v
		}
	}
	st.cdk = l.cdkFor(rel)
	if st.cdk != nil {
		for k, v := range st.cdk.tags {
			st.tags[k] = v
		}
	}
	l.inv.Sources = append(l.inv.Sources, inventory.Source{Kind: st.kind, Path: file})
	st.env = intrinsics.NewEnv(t, prefix, given)
	st.env.MaxSteps = l.cfg.MaxSteps
	st.env.StackOutput = st.stackOutput

	var resources []sam.Resource
	if st.kind == inventory.SAM {
		res := sam.Transform(t, st.env, sam.Options{ManagedPolicyARN: managedPolicyARN})
		for _, p := range res.Problems {
			if !p.Warning {
				l.errorf(file, p.Line, "SAM: %s", p.Message)
			}
		}
		st.env.Resources = map[string]*intrinsics.Resource{}
		for _, r := range res.Resources {
			st.env.AddResource(r.LogicalID, r.Node)
		}
		resources = res.Resources
		st.routes = res.Routes
	} else {
		template.Pairs(t.Resources, func(k, v *yaml.Node) {
			resources = append(resources, sam.Resource{LogicalID: k.Value, Node: v, Key: k})
		})
	}
	var list []*resource
	seen := map[string]bool{}
	for _, sr := range resources {
		if seen[sr.LogicalID] {
			l.errorf(file, lineOf(sr.Key, nil), "duplicate logical ID %s; the last one is used", sr.LogicalID)
			continue
		}
		seen[sr.LogicalID] = true
		r := &resource{st: st, r: st.env.Resources[sr.LogicalID], key: sr.Key, from: sr.From}
		if r.r == nil {
			continue
		}
		l.byID[r.id()] = r
		list = append(list, r)
	}
	l.loading[rel] = true
	for _, r := range list {
		if err := l.ctx.Err(); err != nil {
			l.errorf(file, 0, "not read: %v", err)
			break
		}
		if r.r.Condition != "" {
			if val, known, _ := st.env.Condition(r.r.Condition); known && !val {
				continue
			}
		}
		st.waivers(r)
		st.convert(r)
	}
	st.convertRoutes()
	delete(l.loading, rel)
	if st.env.Exceeded() {
		l.errorf(file, 0, "template evaluation stopped at the work limit; some values are unknown")
	}
	return st
}

// managedPolicyARN maps an AWS-managed policy name to its ARN using the
// embedded snapshot of AWS-managed policies.
func managedPolicyARN(name string) (string, bool) {
	p, ok := iampolicy.AWSManaged(name)
	if !ok || p == nil {
		return "", false
	}
	return p.ARN, true
}

// child loads (once) the nested stack of resource logicalID.
func (st *stack) child(logicalID string) *stack {
	if c, ok := st.children[logicalID]; ok {
		return c
	}
	st.children[logicalID] = nil
	r := st.l.byID[st.prefix+logicalID]
	if r == nil {
		return nil
	}
	crel, ok := localChild(st.rel, r.r.Node)
	if !ok {
		// The SAM transform turns Location into TemplateURL; look there too.
		if u, isStr := r.prop("TemplateURL").Scalar(); isStr && isLocalPath(u) {
			crel, ok = joinRel(st.rel, u)
		}
	}
	if !ok {
		return nil
	}
	if st.depth+1 > st.l.cfg.MaxNestedDepth {
		st.l.errorf(st.file, r.key.Line, "nested stack %s: nesting deeper than %d stacks; not read", r.id(), st.l.cfg.MaxNestedDepth)
		return nil
	}
	if _, err := os.Stat(st.l.diskPath(crel)); err != nil {
		st.l.errorf(st.file, r.key.Line, "nested stack %s: template %s not found", r.id(), st.l.displayLocal(crel))
		return nil
	}
	if st.l.loading[crel] {
		st.l.errorf(st.file, r.key.Line, "nested stack %s: template %s nests itself; not read again", r.id(), st.l.displayLocal(crel))
		return nil
	}
	given := map[string]*intrinsics.Value{}
	if p := r.prop("Parameters"); p != nil && p.Kind == intrinsics.Map {
		for _, f := range p.Fields {
			given[f.Key] = f.Value
		}
	}
	c := st.l.loadStack(crel, r.id()+".", given, st.depth+1, st)
	st.children[logicalID] = c
	return c
}

// stackOutput resolves Outputs.NAME of a nested stack.
func (st *stack) stackOutput(logicalID, output string) *intrinsics.Value {
	c := st.child(logicalID)
	if c == nil {
		return nil
	}
	n := template.Get(template.Get(c.t.Outputs, output), "Value")
	if n == nil {
		return nil
	}
	return c.env.Resolve(n)
}

func sortInventory(inv *inventory.Inventory) {
	sortItems(inv.Functions, func(x *inventory.Function) string { return x.ID })
	sortItems(inv.Roles, func(x *inventory.Role) string { return x.ID })
	sortItems(inv.ManagedPolicies, func(x *inventory.ManagedPolicy) string { return x.ID })
	sortItems(inv.Permissions, func(x *inventory.Permission) string { return x.ID })
	sortItems(inv.FunctionURLs, func(x *inventory.FunctionURL) string { return x.ID })
	sortItems(inv.Aliases, func(x *inventory.Alias) string { return x.ID })
	sortItems(inv.EventInvokeConfigs, func(x *inventory.EventInvokeConfig) string { return x.ID })
	sortItems(inv.CodeSigningConfigs, func(x *inventory.CodeSigningConfig) string { return x.ID })
	sortItems(inv.LogGroups, func(x *inventory.LogGroup) string { return x.ID })
	sortItems(inv.Alarms, func(x *inventory.Alarm) string { return x.ID })
	sortItems(inv.Layers, func(x *inventory.LayerVersion) string { return x.ID })
	sortItems(inv.LayerPermissions, func(x *inventory.LayerPermission) string { return x.ID })
	sortItems(inv.Subnets, func(x *inventory.Subnet) string { return x.ID })
	sortItems(inv.SecurityGroups, func(x *inventory.SecurityGroup) string { return x.ID })
	sortItems(inv.APIRoutes, func(x *inventory.APIRoute) string { return x.ID })
	sort.SliceStable(inv.Waivers, func(i, j int) bool {
		a, b := inv.Waivers[i], inv.Waivers[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		return a.Check < b.Check
	})
	sort.SliceStable(inv.Errors, func(i, j int) bool {
		a, b := inv.Errors[i], inv.Errors[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Message < b.Message
	})
}

func sortItems[T any](s []T, key func(T) string) {
	sort.SliceStable(s, func(i, j int) bool { return key(s[i]) < key(s[j]) })
}

// localPath returns the display path of p, a path relative to the
// template's folder; ok is false when it leaves the tree.
func (st *stack) localPath(p string) (string, bool) {
	rel, ok := joinRel(st.rel, p)
	if !ok {
		return "", false
	}
	return st.l.displayLocal(rel), true
}

// displayLocal returns the display path of a tree-relative path; for a
// single-file tree, paths next to the file are joined to its folder.
func (l *loader) displayLocal(rel string) string { return displayLocal(l.tree, rel) }

func displayLocal(t *scan.Tree, rel string) string {
	if t.IsFile {
		return path.Join(path.Dir(t.Display), rel)
	}
	return path.Join(t.Display, rel)
}

// diskPath returns the on-disk path of a tree-relative path (for a
// single-file tree, relative to the file's folder).
func (l *loader) diskPath(rel string) string { return diskPath(l.tree, rel) }

func diskPath(t *scan.Tree, rel string) string {
	if t.IsFile {
		return filepath.Join(filepath.Dir(t.Root), filepath.FromSlash(rel))
	}
	return filepath.Join(t.Root, filepath.FromSlash(rel))
}
