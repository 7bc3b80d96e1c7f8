package terraform

import (
	"bytes"
	"context"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// Source loads Terraform root modules written in HCL (and .tf.json).
type Source struct{}

// New returns the Terraform HCL source.
func New() *Source { return &Source{} }

var _ scan.Source = (*Source)(nil)

// Kind is inventory.Terraform.
func (s *Source) Kind() inventory.SourceKind { return inventory.Terraform }

// Find returns the root module directories under t: directories holding
// .tf or .tf.json files that no other directory of the tree calls as a
// local module. .terraform folders are skipped.
func (s *Source) Find(ctx context.Context, t *scan.Tree) ([]string, error) {
	if st, err := os.Stat(t.Root); err == nil && !st.IsDir() {
		if isConfigFile(filepath.Base(t.Root)) {
			return []string{"."}, nil
		}
		return nil, nil
	}
	dirs := map[string][]string{}
	for _, f := range t.Files {
		if !isConfigFile(path.Base(f)) || strings.Contains("/"+f, "/.terraform/") {
			continue
		}
		d := path.Dir(f)
		dirs[d] = append(dirs[d], f)
	}
	called := map[string]bool{}
	p := hclparse.NewParser()
	for d, files := range dirs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, f := range files {
			for _, src := range localModuleSources(p, filepath.Join(t.Root, filepath.FromSlash(f))) {
				target := path.Clean(path.Join(d, src))
				if target != d {
					called[target] = true
				}
			}
		}
	}
	var out []string
	for d := range dirs {
		if !called[d] {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out, nil
}

// localModuleSources returns the local sources of the module blocks in a file.
func localModuleSources(p *hclparse.Parser, name string) []string {
	src, err := readFile(name)
	if err != nil || !bytes.Contains(src, []byte("module")) {
		return nil
	}
	var f *hcl.File
	if strings.HasSuffix(name, ".json") {
		f, _ = p.ParseJSON(src, name)
	} else {
		f, _ = p.ParseHCL(src, name)
	}
	if f == nil || f.Body == nil {
		return nil
	}
	c, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "module", LabelNames: []string{"name"}}}})
	var out []string
	for _, b := range c.Blocks {
		mc, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}}})
		if a := mc.Attributes["source"]; a != nil {
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() && localSource(v.AsString()) {
				out = append(out, v.AsString())
			}
		}
	}
	return out
}

// Load evaluates the root module in dir (relative to t.Root) and maps it
// to an inventory. Files that cannot be read or parsed, remote modules and
// bad waivers become inventory errors; everything else is still loaded.
func (s *Source) Load(ctx context.Context, t *scan.Tree, dir string, opts scan.LoadOptions) *inventory.Inventory {
	display := path.Join(t.Display, dir)
	rootDir := filepath.Join(t.Root, filepath.FromSlash(dir))
	var files []string
	if st, err := os.Stat(t.Root); err == nil && !st.IsDir() {
		rootDir = filepath.Dir(t.Root)
		files = []string{t.Root}
		display = t.Display
	}
	l := newLoader(ctx, t, rootDir, opts)
	if files == nil {
		var err error
		files, err = configFiles(rootDir)
		if err != nil {
			l.errorf(rootDir, 0, "read directory: %v", err)
		}
	}
	instances := l.run(files)
	rootDisplay := display
	if files != nil && len(files) == 1 && files[0] == t.Root {
		rootDisplay = path.Dir(display)
	}
	inv := BuildInventory(instances, BuildOptions{
		Kind: inventory.Terraform, Origin: display, RootDir: rootDir, RootDisplay: rootDisplay,
	})
	if err := ctx.Err(); err != nil {
		l.errs = append(l.errs, inventory.Error{Source: display, Message: "load interrupted: " + err.Error()})
	}
	inv.Errors = append(l.errs, inv.Errors...)
	inv.Errors = sortErrors(inv.Errors)
	return inv
}

// sortErrors sorts and deduplicates errors.
func sortErrors(errs []inventory.Error) []inventory.Error {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Message < b.Message
	})
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && e == errs[i-1] {
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mappedTypes are the resource types BuildInventory maps; only these are
// evaluated in full, everything else only as far as references need it.
var mappedTypes = map[string]bool{
	"aws_lambda_function": true, "aws_iam_role": true, "aws_iam_role_policy": true,
	"aws_iam_role_policy_attachment": true, "aws_iam_policy_attachment": true,
	"aws_iam_role_policy_attachments_exclusive": true, "aws_iam_role_policies_exclusive": true,
	"aws_iam_policy": true, "aws_lambda_permission": true, "aws_lambda_function_url": true,
	"aws_lambda_alias": true, "aws_lambda_function_event_invoke_config": true,
	"aws_lambda_code_signing_config": true, "aws_cloudwatch_log_group": true,
	"aws_cloudwatch_metric_alarm": true, "aws_lambda_layer_version": true,
	"aws_lambda_layer_version_permission": true, "aws_subnet": true, "aws_security_group": true,
	"aws_security_group_rule": true, "aws_vpc_security_group_egress_rule": true,
	"aws_api_gateway_method": true, "aws_api_gateway_integration": true,
	"aws_apigatewayv2_route": true, "aws_apigatewayv2_integration": true,
}

// run evaluates the root module and returns the instances to map.
func (l *loader) run(files []string) []Instance {
	l.rootVars = l.loadRootVars()
	def := l.loadModule(l.rootDir, files)
	root := l.newModInst(def, "", nil, nil, nil)
	n := 0
	for _, rc := range def.resources {
		if collected(rc) {
			n++
		}
	}
	out := make([]Instance, 0, n) // enough unless count, for_each or modules add more
	l.collect(root, &out)
	return out
}

// collected reports whether the instances of a block are mapped.
func collected(rc *resourceConfig) bool {
	return rc.mode == Managed && mappedTypes[rc.typ] || rc.mode == Data && rc.typ == "archive_file"
}

func (l *loader) collect(m *modInst, out *[]Instance) {
	for _, rc := range m.def.resources {
		if l.ctx.Err() != nil {
			return
		}
		if !collected(rc) {
			continue
		}
		place := m.providerPlace(rc)
		for _, ri := range m.instances(rc).insts {
			*out = append(*out, Instance{
				Account: place.account, Region: place.region,
				Address: ri.addr, Mode: rc.mode, Type: rc.typ, Name: rc.name, Module: m.addr,
				Values:  ri.full(),
				Loc:     l.loc(rc.defRange),
				Locator: &hclLocator{l: l, rc: rc},
				Waivers: instanceWaivers(rc.waivers, ri.addr),
			})
		}
	}
	for _, call := range m.def.calls {
		for _, k := range m.children(call).kids {
			l.collect(k, out)
		}
	}
}

// loadRootVars reads the root module's variable values: terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars(.json) in lexical order, then the
// --var-file files, then --var NAME=VALUE.
func (l *loader) loadRootVars() map[string]cty.Value {
	vals := map[string]cty.Value{}
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		p := filepath.Join(l.rootDir, n)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			files = append(files, p)
		}
	}
	if ents, err := os.ReadDir(l.rootDir); err == nil {
		var auto []string
		for _, e := range ents {
			n := e.Name()
			if e.Type().IsRegular() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
				auto = append(auto, n)
			}
		}
		sort.Strings(auto)
		for _, n := range auto {
			files = append(files, filepath.Join(l.rootDir, n))
		}
	}
	for _, f := range l.opts.VarFiles {
		// Shown as given on the command line.
		l.displayMu.Lock()
		l.displayCache[f] = filepath.ToSlash(f)
		l.displayMu.Unlock()
		files = append(files, f)
	}
	for _, f := range files {
		src, err := readFile(f)
		if err != nil {
			l.errs = append(l.errs, inventory.Error{Source: l.display(f), Message: "read variables file: " + errorText(err, f, filepath.Base(f)).Error()})
			continue
		}
		var file *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(f, ".json") {
			file, diags = l.parser.ParseJSON(src, f)
		} else {
			file, diags = l.parser.ParseHCL(src, f)
		}
		if diags.HasErrors() {
			l.diagErrors(f, diags)
			continue
		}
		attrs, diags := file.Body.JustAttributes()
		l.diagErrors(f, diags)
		for n, a := range attrs {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				l.diagErrors(f, diags)
				continue
			}
			vals[n] = v
		}
	}
	for _, kv := range l.opts.Vars {
		name, raw, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			l.errs = append(l.errs, inventory.Error{Source: "--var", Message: "expected NAME=VALUE, got " + kv})
			continue
		}
		v := cty.StringVal(raw)
		if expr, diags := hclsyntax.ParseExpression([]byte(raw), "--var", hcl.Pos{Line: 1, Column: 1}); !diags.HasErrors() {
			if pv, diags := expr.Value(nil); !diags.HasErrors() && pv.IsWhollyKnown() {
				v = pv
			}
		}
		vals[strings.TrimSpace(name)] = v
	}
	return vals
}
