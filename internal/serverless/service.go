package serverless

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Framework facts (Serverless Framework v3 / osls v4).
const (
	sharedRoleID     = "IamRoleLambdaExecution"
	defaultMemoryMB  = 1024
	defaultTimeout   = 6
	defaultRuntime   = "nodejs24.x"
	defaultRegion    = "us-east-1"
	rolesPlugin      = "serverless-iam-roles-per-function"
	vpcManagedPolicy = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
)

// builder turns a resolved service into inventory items.
type builder struct {
	r    *resolver
	file string // display path of the service file
	dir  string // service folder on disk
	inv  *inventory.Inventory
	cfn  *cfn

	root, provider *val
	service        string
	stage          string
	region         string
	regionKnown    bool
	stageOK        bool

	fns []*fnCtx
	// sharedRole collects the statements of the framework's shared role.
	sharedRole *inventory.Role
	sharedStmt []iampolicy.Statement
}

// fnCtx is one function while it is built.
type fnCtx struct {
	key  string
	at   pos
	v    *val
	fn   *inventory.Function
	name string // resolved name, "" when unknown
	// ownRole is true when the function does not use the shared role.
	ownRole     bool
	pluginRole  bool
	customNamed bool
}

func newBuilder(r *resolver, file, dir string) *builder {
	return &builder{r: r, file: file, dir: dir, inv: &inventory.Inventory{}}
}

func (b *builder) loc(p pos) srcloc.Location {
	return srcloc.Location{File: b.file, Line: p.line, Column: p.col}
}

func (b *builder) errorf(p pos, format string, args ...any) {
	b.inv.Errors = append(b.inv.Errors, inventory.Error{Source: b.file, Line: p.line, Message: fmt.Sprintf(format, args...)})
}

func (b *builder) item(id string, p pos) inventory.Item {
	it := inventory.Item{ID: id, Source: inventory.Serverless, Origin: b.file, Loc: b.loc(p)}
	if b.regionKnown {
		it.Region = b.region
	}
	return it
}

// str converts a setting to an inventory value: absent when not set,
// unknown when it cannot be resolved.
func (b *builder) str(v *val) inventory.Value[string] {
	if v.isNull() {
		return inventory.Value[string]{}
	}
	s, why, ok := b.cfn.str(v, 0)
	if !ok {
		return inventory.UnknownValue[string](why, b.loc(v.at))
	}
	return inventory.Of(s, b.loc(v.at))
}

func (b *builder) integer(v *val) inventory.Value[int] {
	if v.isNull() {
		return inventory.Value[int]{}
	}
	if v.k() == kUnknown {
		return inventory.UnknownValue[int](v.why, b.loc(v.at))
	}
	n, ok := v.integer()
	if !ok {
		return inventory.UnknownValue[int]("not a number", b.loc(v.at))
	}
	return inventory.Of(n, b.loc(v.at))
}

// first returns the first of the values that is set (the function's own
// setting, then the provider's).
func first(vs ...*val) *val {
	for _, v := range vs {
		if !v.isNull() {
			return v
		}
	}
	return nil
}

// firstTruthy is first with the framework's `a || b` semantics.
func firstTruthy(vs ...*val) *val {
	for _, v := range vs {
		if v.truthy() {
			return v
		}
	}
	return nil
}

func (b *builder) build() {
	b.root = b.r.node(b.r.root, 0)
	if b.root == nil || b.root.k() != kMap {
		b.errorf(pos{line: 1}, "service file is not a mapping")
		return
	}
	b.provider = b.root.get("provider")
	if b.provider.k() != kMap {
		if b.provider.k() != kNull {
			b.errorf(b.provider.at, "provider must be a mapping")
		}
		b.provider = &val{kind: kMap, at: b.root.at, size: 1}
	}
	if name, ok := b.provider.get("name").str(); ok && name != "aws" {
		b.errorf(b.provider.get("name").at, "provider %q is not AWS; not scanned", name)
		return
	}
	svc := b.root.get("service")
	if svc.k() == kMap {
		svc = svc.get("name")
	}
	if s, ok := svc.str(); ok && s != "" {
		b.service = s
	}
	b.stage = b.r.effectiveStage(b.provider.at, 0)
	b.stageOK = true
	if v := b.provider.get("stage"); v != nil && v.k() == kUnknown && b.r.stage == "" {
		b.stageOK = false
	}
	b.region, b.regionKnown = defaultRegion, true
	if v := b.provider.get("region"); !v.isNull() {
		b.region, b.regionKnown = v.str()
	}
	b.cfn = &cfn{resources: b.root.path("resources", "Resources"), synth: map[string]synthetic{}}
	if b.service != "" && b.stageOK {
		b.cfn.stackName = b.service + "-" + b.stage
		if s, ok := b.provider.get("stackName").str(); ok {
			b.cfn.stackName = s
		}
	}

	b.collectFunctions()
	b.sharedRoleSetup()
	for _, f := range b.fns {
		b.function(f)
	}
	b.finishSharedRole()
	b.resources()
}

// collectFunctions reads the function keys, names and role choice first, so
// that references between functions (destinations, the shared role's log
// statements) can be resolved.
func (b *builder) collectFunctions() {
	fv := b.root.get("functions")
	var ents []entry
	for _, part := range fv.list() {
		switch {
		case part == nil || part.k() == kNull:
		case part.k() == kMap:
			ents = append(ents, part.ents...)
		case part.k() == kUnknown:
			b.errorf(part.at, "functions cannot be resolved: %s", part.why)
		default:
			b.errorf(part.at, "functions must be a mapping of function keys")
		}
	}
	plugin := b.hasPlugin(rolesPlugin)
	for _, e := range ents {
		if e.v == nil || e.v.k() != kMap {
			if e.v != nil && e.v.k() == kUnknown {
				b.errorf(e.at, "function %s cannot be resolved: %s", e.key, e.v.why)
			} else {
				b.errorf(e.at, "function %s is not a mapping", e.key)
			}
			continue
		}
		f := &fnCtx{key: e.key, at: e.at, v: e.v}
		if n := e.v.get("name"); !n.isNull() {
			f.name, _ = n.str()
			f.customNamed = true
		} else if b.service != "" && b.stageOK {
			f.name = b.service + "-" + b.stage + "-" + e.key
		}
		if e.v.get("role").truthy() {
			f.ownRole = true
		} else if plugin && e.v.has("iamRoleStatements") {
			f.ownRole, f.pluginRole = true, true
		}
		b.cfn.synth[lambdaLogicalID(e.key)] = synthetic{typ: "AWS::Lambda::Function", name: orSymbol(f.name, lambdaLogicalID(e.key))}
		b.fns = append(b.fns, f)
	}
}

func orSymbol(s, id string) string {
	if s == "" {
		return "<" + id + ">"
	}
	return s
}

func (b *builder) hasPlugin(name string) bool {
	p := b.root.get("plugins")
	if p.k() == kMap {
		p = p.get("modules")
	}
	for _, x := range p.list() {
		if s, ok := x.str(); ok && s == name {
			return true
		}
	}
	return false
}

// providerRole returns the role all functions use when the provider names
// an existing one (provider.iam.role as a string or intrinsic, or the
// legacy provider.role), else nil.
func (b *builder) providerRole() *val {
	r := b.provider.path("iam", "role")
	if r != nil {
		if r.k() == kScalar || r.k() == kUnknown {
			return r
		}
		if _, _, ok := r.intrinsic(); ok {
			return r
		}
	}
	if b.provider.has("role") {
		if pr := b.provider.get("role"); pr.truthy() {
			return pr
		}
	}
	return nil
}

// sharedRoleSetup creates the framework's shared execution role with its
// log statements and provider statements, when some function uses it.
func (b *builder) sharedRoleSetup() {
	if b.providerRole() != nil || b.provider.has("role") {
		return
	}
	uses := false
	for _, f := range b.fns {
		if !f.v.has("role") {
			uses = true
		}
	}
	if !uses || len(b.fns) == 0 {
		return
	}
	roleV := b.provider.path("iam", "role")
	at := b.provider.at
	if roleV != nil {
		at = roleV.at
	} else if b.provider == nil {
		at = pos{line: 1, col: 1}
	}
	role := &inventory.Role{Item: b.item(sharedRoleID, at)}
	if n := roleV.get("name"); !n.isNull() {
		role.Name = b.str(n)
	} else if b.service != "" && b.stageOK && b.regionKnown {
		role.Name = inventory.Of(b.service+"-"+b.stage+"-"+b.region+"-lambdaRole", b.loc(at))
	} else {
		role.Name = inventory.UnknownValue[string]("role name depends on unresolved service, stage or region", b.loc(at))
	}
	role.TrustPolicy = inventory.Of(lambdaTrust(b.loc(at)), b.loc(at))
	boundary := first(roleV.get("permissionsBoundary"), roleV.get("permissionBoundary"), b.provider.get("rolePermissionsBoundary"))
	role.Boundary = b.str(boundary)
	role.PoliciesComplete = inventory.Of(true, b.loc(at))
	b.cfn.synth[sharedRoleID] = synthetic{typ: "AWS::IAM::Role", name: orSymbol(role.Name.Or(""), sharedRoleID)}
	b.sharedRole = role

	// Log statements as the framework writes them: the service's canonical
	// log-group prefix, plus each custom-named function's own group.
	logsAt := b.loc(at)
	var groups, streams []string
	canonical := false
	var disabled []string
	prefix := "/aws/lambda/" + b.service + "-" + b.stage
	for _, f := range b.fns {
		logsOff := f.v.get("disableLogs").truthy()
		if f.name == "" || !f.customNamed || strings.HasPrefix(f.name, b.service+"-"+b.stage) {
			if logsOff {
				disabled = append(disabled, f.name)
			} else {
				canonical = true
			}
			continue
		}
		if !logsOff {
			groups = append(groups, logGroupARN("/aws/lambda/"+f.name)+":*")
			streams = append(streams, logGroupARN("/aws/lambda/"+f.name)+":*:*")
		}
	}
	if canonical {
		groups = append(groups, logGroupARN(prefix+"*")+":*")
		streams = append(streams, logGroupARN(prefix+"*")+":*:*")
	}
	b.sharedStmt = append(b.sharedStmt,
		iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"}, Resources: groups, Loc: logsAt},
		iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"logs:PutLogEvents"}, Resources: streams, Loc: logsAt})
	if canonical && len(disabled) > 0 {
		var res []string
		for _, n := range disabled {
			res = append(res, logGroupARN("/aws/lambda/"+n)+":*")
		}
		b.sharedStmt = append(b.sharedStmt, iampolicy.Statement{Effect: iampolicy.Deny, Actions: []string{"logs:PutLogEvents"}, Resources: res, Loc: logsAt})
	}
	stmts := roleV.get("statements")
	if stmts.isNull() {
		stmts = b.provider.get("iamRoleStatements")
	}
	b.sharedStmt = append(b.sharedStmt, b.statements(stmts)...)

	managed := roleV.get("managedPolicies")
	if managed.isNull() {
		managed = b.provider.get("iamManagedPolicies")
	}
	role.Attached = append(role.Attached, b.attachments(managed)...)
	vpc := !b.provider.get("vpc").isNull()
	for _, f := range b.fns {
		vpc = vpc || f.v.has("vpc")
	}
	if vpc {
		role.Attached = append(role.Attached, inventory.PolicyAttachment{Policy: inventory.Of(inventory.Ref{Name: vpcManagedPolicy}, logsAt), Loc: logsAt})
	}
}

func logGroupARN(name string) string {
	return "arn:" + inventory.CurrentPartition + ":logs:" + inventory.CurrentRegion + ":" + inventory.CurrentAccount + ":log-group:" + name
}

func lambdaTrust(loc srcloc.Location) *iampolicy.Policy {
	return &iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{{
		Effect:    iampolicy.Allow,
		Principal: &iampolicy.Principal{Service: []string{"lambda.amazonaws.com"}},
		Actions:   []string{"sts:AssumeRole"},
		Loc:       loc,
	}}}
}

func (b *builder) attachments(v *val) []inventory.PolicyAttachment {
	var out []inventory.PolicyAttachment
	for _, m := range v.list() {
		out = append(out, inventory.PolicyAttachment{Policy: b.policyRef(m), Loc: b.loc(m.at)})
	}
	return out
}

// policyRef is a managed-policy reference: an ARN, or a policy defined in
// resources.
func (b *builder) policyRef(m *val) inventory.Value[inventory.Ref] {
	if name, arg, ok := m.intrinsic(); ok && name == "Ref" {
		if id, ok := arg.str(); ok && b.cfn.resources.get(id) != nil {
			return inventory.Of(inventory.Ref{ID: id}, b.loc(m.at))
		}
	}
	s := b.str(m)
	if v, ok := s.Get(); ok {
		return inventory.Of(inventory.Ref{Name: v}, s.Loc)
	}
	return inventory.Value[inventory.Ref]{State: s.State, Loc: s.Loc, Why: s.Why}
}

// statements converts IAM statements written in the service file.
func (b *builder) statements(v *val) []iampolicy.Statement {
	var out []iampolicy.Statement
	if v != nil && v.k() == kUnknown {
		out = append(out, iampolicy.Statement{Effect: iampolicy.Allow, Unknown: []string{"Effect", "Action", "Resource"}, Loc: b.loc(v.at)})
		return out
	}
	for _, s := range v.list() {
		if s == nil || s.k() != kMap {
			if s != nil {
				b.errorf(s.at, "IAM statement is not a mapping")
			}
			continue
		}
		out = append(out, b.statement(s))
	}
	return out
}

func (b *builder) statement(s *val) iampolicy.Statement {
	st := iampolicy.Statement{Loc: b.loc(s.at)}
	st.Sid, _ = s.get("Sid").str()
	switch e, _ := s.get("Effect").str(); e {
	case "Allow":
		st.Effect = iampolicy.Allow
	case "Deny":
		st.Effect = iampolicy.Deny
	default:
		st.Effect = iampolicy.Allow
		st.Unknown = append(st.Unknown, "Effect")
	}
	list := func(field string) ([]string, bool) {
		v := s.get(field)
		if v == nil {
			return nil, false
		}
		l, unk := b.cfn.strList(v)
		if unk || v.k() == kUnknown {
			st.Unknown = appendOnce(st.Unknown, strings.TrimPrefix(field, "Not"))
		}
		return l, true
	}
	if l, ok := list("NotAction"); ok {
		st.NotActions, st.NotActionSet = l, true
	} else {
		st.Actions, _ = list("Action")
	}
	if l, ok := list("NotResource"); ok {
		st.NotResources, st.NotResourceSet = l, true
	} else {
		st.Resources, _ = list("Resource")
	}
	if c := s.get("Condition"); !c.isNull() {
		st.Conditions = b.conditions(c, &st)
	}
	return st
}

func appendOnce(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

func (b *builder) conditions(c *val, st *iampolicy.Statement) []iampolicy.Condition {
	var out []iampolicy.Condition
	if c.k() != kMap {
		st.Unknown = appendOnce(st.Unknown, "Condition")
		return nil
	}
	for _, op := range c.ents {
		if op.v == nil || op.v.k() != kMap {
			st.Unknown = appendOnce(st.Unknown, "Condition")
			continue
		}
		for _, k := range op.v.ents {
			vals, unk := b.cfn.strList(k.v)
			if unk {
				st.Unknown = appendOnce(st.Unknown, "Condition")
			}
			out = append(out, iampolicy.Condition{Operator: op.key, Key: k.key, Values: vals})
		}
	}
	return out
}

// lambdaLogicalID is the framework's logical ID of a function.
func lambdaLogicalID(key string) string { return normalizedName(key) + "LambdaFunction" }

// normalizedName is the framework's normalization of a function key for
// logical IDs: '-' becomes Dash, '_' Underscore, and the first letter upper case.
func normalizedName(key string) string {
	s := strings.ReplaceAll(strings.ReplaceAll(key, "-", "Dash"), "_", "Underscore")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var nonAlnum = regexp.MustCompile(`[^0-9A-Za-z]`)

// alnumName is the framework's normalizeNameToAlphaNumericOnly.
func alnumName(s string) string {
	s = nonAlnum.ReplaceAllString(s, "")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (b *builder) functionARN(f *fnCtx) string {
	return "arn:" + inventory.CurrentPartition + ":lambda:" + inventory.CurrentRegion + ":" + inventory.CurrentAccount + ":function:" + orSymbol(f.name, lambdaLogicalID(f.key))
}

// function builds one function with its URL, permissions, routes, log
// group, role and waivers.
func (b *builder) function(f *fnCtx) {
	v, p := f.v, b.provider
	fn := &inventory.Function{Item: b.item(f.key, f.at)}
	f.fn = fn
	switch {
	case f.name != "":
		fn.Name = inventory.Of(f.name, b.loc(first(v.get("name"), b.root.get("service")).at))
	case v.get("name") != nil:
		fn.Name = b.str(v.get("name"))
	default:
		fn.Name = inventory.UnknownValue[string]("function name depends on an unresolved service name or stage", b.loc(f.at))
	}
	fnLoc := b.loc(f.at)
	fn.Handler = b.str(v.get("handler"))
	if img := v.get("image"); !img.isNull() {
		fn.PackageType = inventory.Of("Image", b.loc(img.at))
		if s, ok := img.str(); ok {
			fn.Package = inventory.Of(inventory.PackageRef{ImageURI: s}, b.loc(img.at))
		}
	} else {
		fn.PackageType = inventory.Of("Zip", fnLoc)
		if rt := first(v.get("runtime"), p.get("runtime")); rt != nil {
			fn.Runtime = b.str(rt)
		} else {
			fn.Runtime = inventory.Of(defaultRuntime, fnLoc)
		}
		fn.Package = b.packageRef(f)
	}
	fn.MemoryMB = b.intOr(firstTruthy(v.get("memorySize"), p.get("memorySize")), defaultMemoryMB, fnLoc)
	fn.TimeoutSeconds = b.intOr(firstTruthy(v.get("timeout"), p.get("timeout")), defaultTimeout, fnLoc)
	fn.Environment = b.environment(p.get("environment"), v.get("environment"))
	kms := firstTruthy(v.get("kmsKeyArn"), p.get("kmsKeyArn"))
	fn.KMSKeyARN = b.str(kms)
	if tr := firstTruthy(v.get("tracing"), p.path("tracing", "lambda")); tr != nil {
		if bv, ok := tr.boolean(); ok && bv {
			fn.TracingMode = inventory.Of("Active", b.loc(tr.at))
		} else {
			fn.TracingMode = b.str(tr)
		}
	}
	logs := v.get("logs")
	if !logs.truthy() {
		logs = p.path("logs", "lambda")
	}
	if logs.truthy() && logs.k() == kMap {
		fn.LogFormat = b.str(logs.get("logFormat"))
		fn.LogGroup = b.str(logs.get("logGroup"))
	}
	if rc := v.get("reservedConcurrency"); !rc.isNull() {
		fn.ReservedConcurrency = b.integer(rc)
	}
	fn.VPC = b.vpc(v, p)
	fn.Layers = b.layers(first(v.get("layers"), p.get("layers")))
	if oe := v.get("onError"); oe.truthy() {
		fn.DeadLetterTarget = b.str(oe)
	}
	if of := v.path("destinations", "onFailure"); !of.isNull() {
		fn.OnFailureDestination = b.destination(of)
	}
	fn.Tags = b.tags(v)
	versions := p.get("versionFunctions")
	if fv := v.get("versionFunction"); !fv.isNull() {
		versions = fv
	}
	if bv, ok := versions.boolean(); ok && !bv {
		fn.PublishVersions = inventory.Of(false, b.loc(versions.at))
	} else {
		fn.PublishVersions = inventory.Of(true, fnLoc)
	}
	if pc := v.get("provisionedConcurrency"); pc.truthy() {
		b.inv.Aliases = append(b.inv.Aliases, &inventory.Alias{
			Item:            b.item(normalizedName(f.key)+"ProvConcLambdaAlias", pc.at),
			Function:        inventory.Of(inventory.Ref{ID: f.key}, b.loc(pc.at)),
			Name:            inventory.Of("provisioned", b.loc(pc.at)),
			FunctionVersion: inventory.Of("<"+normalizedName(f.key)+"LambdaVersion.Version>", b.loc(pc.at)),
		})
	}

	b.role(f)
	// The framework adds these grants to its shared role whenever it creates
	// one, whichever role the function ends up with (the per-function roles
	// plugin runs later and does not remove them).
	if kms != nil && b.sharedRole != nil {
		if s, ok := kms.str(); ok {
			b.addShared(iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"kms:Decrypt"}, Resources: []string{s}, Loc: b.loc(kms.at)})
		}
	}
	if fn.TracingMode.IsKnown() && b.sharedRole != nil {
		b.addShared(iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, Resources: []string{"*"}, Loc: fn.TracingMode.Loc})
	}
	if oe := v.get("onError"); oe.truthy() && b.sharedRole != nil {
		if s, ok := oe.str(); ok {
			b.addShared(iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"sns:Publish"}, Resources: []string{s}, Loc: b.loc(oe.at)})
		}
	}
	if d := v.get("destinations"); !d.isNull() && !v.get("role").truthy() && b.providerRole() == nil && b.sharedRole != nil {
		for _, k := range []string{"onSuccess", "onFailure"} {
			if dv := d.get(k); !dv.isNull() {
				b.destinationStatement(dv)
			}
		}
	}
	b.url(f)
	b.events(f)
	b.logGroup(f)
	b.waivers(f)
	b.inv.Functions = append(b.inv.Functions, fn)
}

func (b *builder) intOr(v *val, def int, loc srcloc.Location) inventory.Value[int] {
	if v == nil {
		return inventory.Of(def, loc)
	}
	return b.integer(v)
}

// addShared adds a statement to the shared role unless an equal one is there.
func (b *builder) addShared(st iampolicy.Statement) {
	for _, x := range b.sharedStmt {
		if x.Effect == st.Effect && strings.Join(x.Actions, ",") == strings.Join(st.Actions, ",") && strings.Join(x.Resources, ",") == strings.Join(st.Resources, ",") {
			return
		}
	}
	b.sharedStmt = append(b.sharedStmt, st)
}

func (b *builder) finishSharedRole() {
	if b.sharedRole == nil {
		return
	}
	name := b.service + "-" + b.stage + "-lambda"
	loc := b.sharedRole.Loc
	b.sharedRole.Inline = append(b.sharedRole.Inline, inventory.InlinePolicy{
		Name:     name,
		Document: inventory.Of(&iampolicy.Policy{Version: "2012-10-17", Statements: b.sharedStmt}, loc),
		Loc:      loc,
	})
	b.inv.Roles = append([]*inventory.Role{b.sharedRole}, b.inv.Roles...)
}

// environment merges provider and function variables (the function's win).
func (b *builder) environment(pv, fv *val) inventory.Value[[]inventory.EnvVar] {
	if pv.isNull() && fv.isNull() {
		return inventory.Value[[]inventory.EnvVar]{}
	}
	for _, e := range []*val{pv, fv} {
		if e != nil && e.k() == kUnknown {
			return inventory.UnknownValue[[]inventory.EnvVar]("environment: "+e.why, b.loc(e.at))
		}
	}
	at := first(fv, pv).at
	var vars []inventory.EnvVar
	index := map[string]int{}
	for _, e := range []*val{pv, fv} {
		if e == nil || e.k() != kMap {
			continue
		}
		for _, ent := range e.ents {
			ev := b.envVar(ent)
			if i, ok := index[ent.key]; ok {
				vars[i] = ev
				continue
			}
			index[ent.key] = len(vars)
			vars = append(vars, ev)
		}
	}
	return inventory.Of(vars, b.loc(at))
}

func (b *builder) envVar(e entry) inventory.EnvVar {
	ev := inventory.EnvVar{Name: e.key}
	v := e.v
	loc := b.loc(e.at)
	switch {
	case v == nil || v.k() == kNull:
		ev.Value = inventory.Of("", loc)
	case v.k() == kScalar:
		ev.Value = inventory.Of(v.s, loc)
	case v.k() == kUnknown:
		ev.Value = inventory.UnknownValue[string](v.why, loc)
		ev.Reference = v.ref
	default:
		s, why, ok, ref := b.cfn.eval(v, 0)
		ev.Reference = ref || ok
		if ok {
			ev.Value = inventory.Of(s, loc)
		} else {
			ev.Value = inventory.UnknownValue[string](why, loc)
		}
	}
	return ev
}

func (b *builder) vpc(v, p *val) inventory.Value[inventory.VPCConfig] {
	fv := v.get("vpc")
	if v.has("vpc") && (fv == nil || fv.k() == kNull || (fv.k() == kScalar && !fv.truthy())) {
		return inventory.Value[inventory.VPCConfig]{}
	}
	pv := p.get("vpc")
	if fv.k() == kUnknown || pv.k() == kUnknown {
		w := first(fv, pv)
		return inventory.UnknownValue[inventory.VPCConfig]("vpc: "+w.why, b.loc(w.at))
	}
	sg := first(fv.get("securityGroupIds"), pv.get("securityGroupIds"))
	sn := first(fv.get("subnetIds"), pv.get("subnetIds"))
	if sg == nil || sn == nil {
		return inventory.Value[inventory.VPCConfig]{}
	}
	return inventory.Of(inventory.VPCConfig{Subnets: b.refList(sn), SecurityGroups: b.refList(sg)}, b.loc(first(fv, pv).at))
}

// refList converts a list of IDs or ARNs (or references to resources).
func (b *builder) refList(v *val) inventory.Value[[]inventory.Value[inventory.Ref]] {
	if v.k() == kUnknown {
		return inventory.UnknownValue[[]inventory.Value[inventory.Ref]](v.why, b.loc(v.at))
	}
	var out []inventory.Value[inventory.Ref]
	for _, x := range v.list() {
		out = append(out, b.ref(x))
	}
	return inventory.Of(out, b.loc(v.at))
}

// ref converts one reference: {Ref: X} / !GetAtt X.Arn to a resource in
// resources becomes its ID; anything else the name or ARN written.
func (b *builder) ref(x *val) inventory.Value[inventory.Ref] {
	if name, arg, ok := x.intrinsic(); ok {
		var id string
		switch name {
		case "Ref":
			id, _ = arg.str()
		case "Fn::GetAtt":
			if l := arg.list(); len(l) > 0 {
				id, _ = l[0].str()
			}
		}
		if id != "" && (b.cfn.resources.get(id) != nil || b.cfn.synth[id].typ != "") {
			s, _, _ := b.cfn.str(x, 0)
			return inventory.Of(inventory.Ref{ID: id, Name: s}, b.loc(x.at))
		}
	}
	s := b.str(x)
	if n, ok := s.Get(); ok {
		return inventory.Of(inventory.Ref{Name: n}, s.Loc)
	}
	return inventory.Value[inventory.Ref]{State: s.State, Loc: s.Loc, Why: s.Why}
}

func (b *builder) layers(v *val) inventory.Value[[]inventory.Value[inventory.Ref]] {
	if v.isNull() {
		return inventory.Value[[]inventory.Value[inventory.Ref]]{}
	}
	return b.refList(v)
}

// destination is the ARN of an async destination: an ARN, a function of
// this service by key, or {arn, type}.
func (b *builder) destination(d *val) inventory.Value[string] {
	if d.k() == kMap && !d.has("Ref") && !d.has("Fn::GetAtt") {
		return b.str(d.get("arn"))
	}
	if s, ok := d.str(); ok && !strings.HasPrefix(s, "arn:") {
		for _, f := range b.fns {
			if f.key == s {
				return inventory.Of(b.functionARN(f), b.loc(d.at))
			}
		}
		if strings.Contains(s, ":") {
			return inventory.Of(s, b.loc(d.at))
		}
		return inventory.Of("arn:"+inventory.CurrentPartition+":lambda:"+inventory.CurrentRegion+":"+inventory.CurrentAccount+":function:"+s, b.loc(d.at))
	}
	return b.str(d)
}

// destinationStatement adds what the framework grants the shared role to
// reach a destination.
func (b *builder) destinationStatement(d *val) {
	arnV := b.destination(d)
	arn, ok := arnV.Get()
	if !ok {
		return
	}
	typ, _ := d.get("type").str()
	if typ == "" {
		switch {
		case strings.Contains(arn, ":sqs:"):
			typ = "sqs"
		case strings.Contains(arn, ":sns:"):
			typ = "sns"
		case strings.Contains(arn, ":events:"):
			typ = "eventBus"
		default:
			typ = "function"
		}
	}
	action := map[string]string{"function": "lambda:InvokeFunction", "sqs": "sqs:SendMessage", "sns": "sns:Publish", "eventBus": "events:PutEvents"}[typ]
	if action == "" {
		return
	}
	b.addShared(iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{action}, Resources: []string{arn}, Loc: arnV.Loc})
}

// tags merges provider stack tags, provider tags and function tags.
func (b *builder) tags(v *val) inventory.Value[map[string]string] {
	srcs := []*val{b.provider.get("stackTags"), b.provider.get("tags"), v.get("tags")}
	var at *val
	out := map[string]string{}
	for _, s := range srcs {
		if s.isNull() {
			continue
		}
		if s.k() == kUnknown {
			return inventory.UnknownValue[map[string]string]("tags: "+s.why, b.loc(s.at))
		}
		at = s
		for _, e := range s.ents {
			str, _, ok := b.cfn.str(e.v, 0)
			if !ok {
				str = "<unresolved>"
			}
			out[e.key] = str
		}
	}
	if at == nil {
		return inventory.Value[map[string]string]{}
	}
	return inventory.Of(out, b.loc(at.at))
}

// packageRef is the local artifact: package.artifact (function or
// service), else the zip `serverless package` left in .serverless/.
func (b *builder) packageRef(f *fnCtx) inventory.Value[inventory.PackageRef] {
	art := first(f.v.path("package", "artifact"), b.root.path("package", "artifact"))
	if art != nil {
		s, ok := art.str()
		if !ok {
			return inventory.UnknownValue[inventory.PackageRef]("package.artifact: "+art.why, b.loc(art.at))
		}
		if strings.HasPrefix(s, "s3://") || strings.HasPrefix(s, "https://") {
			bucket, key, _ := strings.Cut(strings.TrimPrefix(s, "s3://"), "/")
			return inventory.Of(inventory.PackageRef{S3Bucket: bucket, S3Key: key}, b.loc(art.at))
		}
		return inventory.Of(inventory.PackageRef{Path: path.Join(path.Dir(b.file), filepath.ToSlash(s))}, b.loc(art.at))
	}
	zip := b.service + ".zip"
	if ind, _ := first(f.v.path("package", "individually"), b.root.path("package", "individually")).boolean(); ind {
		zip = f.key + ".zip"
	}
	if b.service == "" {
		return inventory.Value[inventory.PackageRef]{}
	}
	if info, err := os.Stat(filepath.Join(b.dir, ".serverless", zip)); err == nil && info.Mode().IsRegular() {
		return inventory.Of(inventory.PackageRef{Path: path.Join(path.Dir(b.file), ".serverless", zip)}, b.loc(f.at))
	}
	return inventory.Value[inventory.PackageRef]{}
}
