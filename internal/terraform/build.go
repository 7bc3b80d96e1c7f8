package terraform

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// BuildOptions says where instances come from.
type BuildOptions struct {
	// Kind is inventory.Terraform or inventory.TerraformPlan; every item's Source.
	Kind inventory.SourceKind
	// Origin is every item's Origin: the root module directory (or plan
	// file) as locations show it.
	Origin string
	// RootDir is the root module directory on disk, against which relative
	// package paths (filename, archive_file) are resolved; "" when unknown.
	RootDir string
	// RootDisplay is RootDir as locations show it.
	RootDisplay string
}

// BuildInventory maps resource instances to inventory items: layer 2 of the
// loader, shared by the HCL and plan JSON sources. It reads only
// inst.Values (with the marks described on Instance), Loc and Locator, so
// a caller that builds Instances from other data gets the same mapping.
// Instances of types it does not map are ignored. The result's Sources is
// one entry {opts.Kind, opts.Origin}; malformed policy documents are
// reported in its Errors.
func BuildInventory(instances []Instance, opts BuildOptions) *inventory.Inventory {
	b := &builder{
		opts:     opts,
		inv:      &inventory.Inventory{Sources: []inventory.Source{{Kind: opts.Kind, Path: opts.Origin}}},
		roles:    map[string]*inventory.Role{},
		roleName: map[string][]*inventory.Role{},
		archives: map[string]node{},
		sgs:      map[string]*inventory.SecurityGroup{},
	}
	sorted := make([]*Instance, len(instances))
	for i := range instances {
		sorted[i] = &instances[i]
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Address < sorted[j].Address })

	byType := map[string][]*Instance{}
	for _, in := range sorted {
		key := in.Type
		if in.Mode == Data {
			key = "data." + in.Type
		}
		byType[key] = append(byType[key], in)
		b.inv.Waivers = append(b.inv.Waivers, in.Waivers...)
	}
	for _, in := range byType["data.archive_file"] {
		v := rootNode(in.Values)
		if p, ok := v.attr("output_path").v, v.attr("output_path").known(); ok {
			if s, ok := scalarString(p); ok {
				b.archives[path.Clean(filepath.ToSlash(s))] = v
			}
		}
	}
	each := func(typ string, fn func(valuer, node, *Instance)) {
		for _, in := range byType[typ] {
			fn(valuer{inst: in}, rootNode(in.Values), in)
		}
	}
	// Roles and what attaches policies to them are built beside the rest:
	// the two halves share nothing they write (the IAM half writes Roles,
	// ManagedPolicies, Errors and the role indexes; the rest only reads
	// archives), and each list is still appended to in address order.
	var wg sync.WaitGroup
	var iamPanic any
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { iamPanic = recover() }()
		each("aws_iam_role", b.role)
		each("aws_iam_policy", b.managedPolicy)
		each("aws_iam_role_policy", b.rolePolicy)
		each("aws_iam_role_policy_attachment", b.roleAttachment)
		each("aws_iam_policy_attachment", b.policyAttachment)
		each("aws_iam_role_policy_attachments_exclusive", b.exclusiveAttachments)
		b.finishRoles()
	}()
	func() {
		// Wait for the IAM half even when this one panics.
		defer wg.Wait()
		b.buildRest(each, byType)
	}()
	if iamPanic != nil {
		panic(iamPanic)
	}
	b.inv.Errors = sortErrors(b.inv.Errors)
	return b.inv
}

// buildRest builds everything but the IAM items.
func (b *builder) buildRest(each func(string, func(valuer, node, *Instance)), byType map[string][]*Instance) {
	each("aws_lambda_function", b.function)
	each("aws_lambda_permission", b.permission)
	each("aws_lambda_function_url", b.functionURL)
	each("aws_lambda_alias", b.alias)
	each("aws_lambda_function_event_invoke_config", b.invokeConfig)
	each("aws_lambda_code_signing_config", b.codeSigning)
	each("aws_cloudwatch_log_group", b.logGroup)
	each("aws_cloudwatch_metric_alarm", b.alarm)
	each("aws_lambda_layer_version", b.layer)
	each("aws_lambda_layer_version_permission", b.layerPermission)
	each("aws_subnet", b.subnet)
	each("aws_security_group", b.securityGroup)
	each("aws_security_group_rule", b.sgRule)
	each("aws_vpc_security_group_egress_rule", b.vpcEgressRule)
	b.apiRoutes(byType)
}

type builder struct {
	opts     BuildOptions
	inv      *inventory.Inventory
	roles    map[string]*inventory.Role
	roleName map[string][]*inventory.Role
	// incomplete says why a role's policies may be incomplete.
	incomplete map[*inventory.Role]string
	anyRole    string // an attachment to an unresolvable role
	archives   map[string]node
	sgs        map[string]*inventory.SecurityGroup
}

func (b *builder) item(in *Instance) inventory.Item {
	return inventory.Item{ID: in.Address, Source: b.opts.Kind, Origin: b.opts.Origin, Loc: in.Loc, Account: in.Account, Region: in.Region}
}

// arn returns the instance's arn attribute when known.
func arnOf(v node) string {
	a := v.attr("arn")
	if a.known() {
		if s, ok := scalarString(a.v); ok {
			return s
		}
	}
	return ""
}

func (b *builder) function(val valuer, v node, in *Instance) {
	f := &inventory.Function{Item: b.item(in)}
	f.Name = val.str(v.attr("function_name"))
	f.ARN = arnOf(v)
	f.Runtime = val.str(v.attr("runtime"))
	f.Handler = val.str(v.attr("handler"))
	f.PackageType = val.str(v.attr("package_type"))
	f.Role = val.ref(v.attr("role"), "aws_iam_role")
	f.Environment = b.environment(val, v)
	f.KMSKeyARN = val.str(v.attr("kms_key_arn"))
	f.TracingMode = val.str(v.block("tracing_config").attr("mode"))
	lc := v.block("logging_config")
	if lc.unknown() {
		f.LogFormat = unknownOf[string](val, lc)
		f.LogGroup = unknownOf[string](val, lc)
	} else {
		f.LogFormat = val.str(lc.attr("log_format"))
		f.LogGroup = val.str(lc.attr("log_group"))
	}
	f.ReservedConcurrency = val.integer(v.attr("reserved_concurrent_executions"))
	if n, ok := f.ReservedConcurrency.Get(); ok && n < 0 {
		f.ReservedConcurrency = inventory.Value[int]{}
	}
	f.TimeoutSeconds = val.integer(v.attr("timeout"))
	f.MemoryMB = val.integer(v.attr("memory_size"))
	f.VPC = b.vpc(val, v.block("vpc_config"))
	f.Layers = val.refList(v.attr("layers"), "aws_lambda_layer_version")
	f.CodeSigningConfig = val.ref(v.attr("code_signing_config_arn"), "aws_lambda_code_signing_config")
	dlc := v.block("dead_letter_config")
	if dlc.unknown() {
		f.DeadLetterTarget = unknownOf[string](val, dlc)
	} else {
		f.DeadLetterTarget = val.str(dlc.attr("target_arn"))
	}
	f.Tags = tags(val, v)
	f.Package = b.pkg(val, v)
	f.PublishVersions = val.boolean(v.attr("publish"))
	b.inv.Functions = append(b.inv.Functions, f)
}

// tags reads tags_all when present (configured tags over provider default
// tags), else tags.
func tags(val valuer, v node) inventory.Value[map[string]string] {
	if t := v.attr("tags_all"); t.set {
		out := val.strMap(t)
		if c := v.attr("tags"); c.set {
			out.Loc = val.loc(c)
		}
		return out
	}
	return val.strMap(v.attr("tags"))
}

func (b *builder) environment(val valuer, v node) inventory.Value[[]inventory.EnvVar] {
	env := v.block("environment")
	switch {
	case !env.set:
		return inventory.Value[[]inventory.EnvVar]{}
	case env.unknown():
		return unknownOf[[]inventory.EnvVar](val, env)
	}
	vars := env.attr("variables")
	switch {
	case !vars.set:
		return inventory.Value[[]inventory.EnvVar]{}
	case vars.unknown():
		return unknownOf[[]inventory.EnvVar](val, vars)
	}
	keys, vals := vars.entries()
	out := make([]inventory.EnvVar, 0, len(keys))
	for i, k := range keys {
		out = append(out, inventory.EnvVar{Name: k, Value: val.str(vals[i]), Reference: isReference(vals[i])})
	}
	return inventory.Of(out, val.loc(vars))
}

func (b *builder) vpc(val valuer, c node) inventory.Value[inventory.VPCConfig] {
	switch {
	case !c.set:
		return inventory.Value[inventory.VPCConfig]{}
	case c.unknown():
		return unknownOf[inventory.VPCConfig](val, c)
	}
	cfg := inventory.VPCConfig{
		Subnets:        val.refList(c.attr("subnet_ids"), "aws_subnet"),
		SecurityGroups: val.refList(c.attr("security_group_ids"), "aws_security_group"),
	}
	sn, snOK := cfg.Subnets.Get()
	sg, sgOK := cfg.SecurityGroups.Get()
	if (snOK || cfg.Subnets.IsAbsent()) && (sgOK || cfg.SecurityGroups.IsAbsent()) && len(sn) == 0 && len(sg) == 0 {
		// An empty vpc_config detaches the function from any VPC.
		return inventory.Value[inventory.VPCConfig]{}
	}
	return inventory.Of(cfg, val.loc(c))
}

// pkg reads where a function's or layer's code is.
func (b *builder) pkg(val valuer, v node) inventory.Value[inventory.PackageRef] {
	var ref inventory.PackageRef
	var firstUnknown *node
	read := func(attr string, into *string) {
		n := v.attr(attr)
		s := val.str(n)
		if s.IsUnknown() && firstUnknown == nil {
			firstUnknown = &n
		}
		*into = s.Or("")
	}
	var filename string
	read("filename", &filename)
	read("s3_bucket", &ref.S3Bucket)
	read("s3_key", &ref.S3Key)
	read("image_uri", &ref.ImageURI)
	if filename != "" {
		ref.Path = b.packagePath(filename)
	}
	if ref == (inventory.PackageRef{}) {
		if firstUnknown != nil {
			return unknownOf[inventory.PackageRef](val, *firstUnknown)
		}
		return inventory.Value[inventory.PackageRef]{}
	}
	loc := val.inst.Loc
	for _, a := range []string{"filename", "image_uri", "s3_bucket"} {
		if n := v.attr(a); n.set {
			loc = val.loc(n)
			break
		}
	}
	return inventory.Of(ref, loc)
}

// packagePath turns a filename written relative to the root module into a
// display path; a zip that an archive_file builds and that is not on disk
// points at the archive's source instead.
func (b *builder) packagePath(filename string) string {
	clean := path.Clean(filepath.ToSlash(filename))
	if b.opts.RootDir != "" && !filepath.IsAbs(filepath.FromSlash(clean)) {
		if _, err := os.Stat(filepath.Join(b.opts.RootDir, filepath.FromSlash(clean))); err != nil {
			if a, ok := b.archives[clean]; ok {
				for _, src := range []string{"source_dir", "source_file"} {
					if n := a.attr(src); n.known() {
						if s, ok := scalarString(n.v); ok && s != "" {
							clean = path.Clean(filepath.ToSlash(s))
							break
						}
					}
				}
			}
		}
	}
	if path.IsAbs(clean) || filepath.IsAbs(filepath.FromSlash(clean)) {
		if b.opts.RootDir != "" {
			if rel, err := filepath.Rel(b.opts.RootDir, filepath.FromSlash(clean)); err == nil {
				return path.Join(b.opts.RootDisplay, filepath.ToSlash(rel))
			}
		}
		return path.Base(clean)
	}
	if b.opts.RootDisplay == "" {
		return clean
	}
	return path.Join(b.opts.RootDisplay, clean)
}

// functionARN renders the ARN a permission's function_name names.
func functionARN(name, qualifier string) string {
	arn := name
	switch {
	case strings.HasPrefix(name, "arn:"):
	case strings.Contains(name, ":function:"):
		arn = "arn:aws:lambda:" + region + ":" + name
	default:
		arn = "arn:aws:lambda:" + region + ":" + acct + ":function:" + name
	}
	if qualifier != "" {
		arn += ":" + qualifier
	}
	return arn
}

// principalOf classifies a principal string.
func principalOf(s string) *iampolicy.Principal {
	switch {
	case s == "*":
		return &iampolicy.Principal{Wildcard: true, AWS: []string{"*"}}
	case strings.HasSuffix(s, ".amazonaws.com") || strings.HasSuffix(s, ".amazonaws.com.cn") || strings.HasSuffix(s, ".amazon.com"):
		return &iampolicy.Principal{Service: []string{s}}
	}
	return &iampolicy.Principal{AWS: []string{s}}
}

func addUnknown(st *iampolicy.Statement, field string) {
	for _, f := range st.Unknown {
		if f == field {
			return
		}
	}
	st.Unknown = append(st.Unknown, field)
	sort.Strings(st.Unknown)
}

// condition adds a condition read from an attribute.
func condition(val valuer, st *iampolicy.Statement, n node, op, key string) {
	switch {
	case !n.set:
	case !n.v.IsKnown():
		addUnknown(st, "Condition")
	default:
		if s, ok := scalarString(n.v); ok && s != "" {
			st.Conditions = append(st.Conditions, iampolicy.Condition{Operator: op, Key: key, Values: []string{s}})
		}
	}
}

func sortConditions(cs []iampolicy.Condition) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Operator != cs[j].Operator {
			return cs[i].Operator < cs[j].Operator
		}
		return cs[i].Key < cs[j].Key
	})
}

func (b *builder) permission(val valuer, v node, in *Instance) {
	p := &inventory.Permission{Item: b.item(in)}
	fnNode := v.attr("function_name")
	p.Function = val.ref(fnNode, "aws_lambda_function")
	p.Qualifier = val.str(v.attr("qualifier"))
	st := iampolicy.Statement{Effect: iampolicy.Allow, Loc: in.Loc}
	st.Sid = val.str(v.attr("statement_id")).Or("")
	if a := val.str(v.attr("action")); a.IsKnown() {
		st.Actions = []string{a.V}
	} else {
		addUnknown(&st, "Action")
	}
	if pr := val.str(v.attr("principal")); pr.IsKnown() {
		st.Principal = principalOf(pr.V)
	} else {
		addUnknown(&st, "Principal")
	}
	name := val.str(fnNode)
	q := p.Qualifier.Or("")
	switch {
	case name.IsKnown():
		st.Resources = []string{functionARN(name.V, q)}
	case p.Function.IsKnown() && p.Function.V.ID != "":
		st.Resources = []string{functionARN(placeholder(p.Function.V.ID, "function_name"), q)}
	default:
		addUnknown(&st, "Resource")
	}
	if p.Qualifier.IsUnknown() {
		addUnknown(&st, "Resource")
	}
	condition(val, &st, v.attr("source_arn"), "ArnLike", "aws:SourceArn")
	condition(val, &st, v.attr("source_account"), "StringEquals", "aws:SourceAccount")
	condition(val, &st, v.attr("principal_org_id"), "StringEquals", "aws:PrincipalOrgID")
	condition(val, &st, v.attr("function_url_auth_type"), "StringEquals", "lambda:FunctionUrlAuthType")
	condition(val, &st, v.attr("event_source_token"), "StringEquals", "lambda:EventSourceToken")
	sortConditions(st.Conditions)
	p.Statement = st
	b.inv.Permissions = append(b.inv.Permissions, p)
}

func (b *builder) functionURL(val valuer, v node, in *Instance) {
	u := &inventory.FunctionURL{Item: b.item(in)}
	u.Function = val.ref(v.attr("function_name"), "aws_lambda_function")
	u.Qualifier = val.str(v.attr("qualifier"))
	u.AuthType = val.str(v.attr("authorization_type"))
	cors := v.block("cors")
	switch {
	case cors.unknown():
		u.CORSAllowOrigins = unknownOf[[]string](val, cors)
	case cors.set:
		u.CORSAllowOrigins = val.strs(cors.attr("allow_origins"))
		if u.CORSAllowOrigins.IsAbsent() {
			u.CORSAllowOrigins = inventory.Of([]string{}, val.loc(cors))
		}
	}
	b.inv.FunctionURLs = append(b.inv.FunctionURLs, u)
}

func (b *builder) alias(val valuer, v node, in *Instance) {
	a := &inventory.Alias{Item: b.item(in)}
	a.Function = val.ref(v.attr("function_name"), "aws_lambda_function")
	a.Name = val.str(v.attr("name"))
	a.FunctionVersion = val.str(v.attr("function_version"))
	b.inv.Aliases = append(b.inv.Aliases, a)
}

func (b *builder) invokeConfig(val valuer, v node, in *Instance) {
	c := &inventory.EventInvokeConfig{Item: b.item(in)}
	c.Function = val.ref(v.attr("function_name"), "aws_lambda_function")
	dc := v.block("destination_config")
	if dc.unknown() {
		c.OnFailure = unknownOf[string](val, dc)
		c.OnSuccess = unknownOf[string](val, dc)
	} else {
		c.OnFailure = dest(val, dc.block("on_failure"))
		c.OnSuccess = dest(val, dc.block("on_success"))
	}
	b.inv.EventInvokeConfigs = append(b.inv.EventInvokeConfigs, c)
}

func dest(val valuer, n node) inventory.Value[string] {
	if n.unknown() {
		return unknownOf[string](val, n)
	}
	return val.str(n.attr("destination"))
}

func (b *builder) codeSigning(val valuer, v node, in *Instance) {
	c := &inventory.CodeSigningConfig{Item: b.item(in), ARN: arnOf(v)}
	pol := v.block("policies")
	switch {
	case pol.unknown():
		c.UntrustedArtifactOnDeployment = unknownOf[string](val, pol)
	default:
		c.UntrustedArtifactOnDeployment = val.str(pol.attr("untrusted_artifact_on_deployment"))
	}
	if c.UntrustedArtifactOnDeployment.IsAbsent() {
		c.UntrustedArtifactOnDeployment = inventory.Value[string]{State: inventory.Absent, V: "Warn"}
	}
	b.inv.CodeSigningConfigs = append(b.inv.CodeSigningConfigs, c)
}

func (b *builder) logGroup(val valuer, v node, in *Instance) {
	g := &inventory.LogGroup{Item: b.item(in)}
	g.Name = val.str(v.attr("name"))
	if g.Name.IsAbsent() {
		why := "the log group name is generated by AWS"
		if v.attr("name_prefix").set {
			why = "the log group name is generated from name_prefix"
		}
		g.Name = inventory.UnknownValue[string](why, in.Loc)
	}
	g.RetentionDays = val.integer(v.attr("retention_in_days"))
	g.KMSKeyID = val.str(v.attr("kms_key_id"))
	b.inv.LogGroups = append(b.inv.LogGroups, g)
}

func (b *builder) alarm(val valuer, v node, in *Instance) {
	a := &inventory.Alarm{Item: b.item(in)}
	a.Name = val.str(v.attr("alarm_name"))
	metric := func(n node) inventory.AlarmMetric {
		m := inventory.AlarmMetric{Namespace: val.str(n.attr("namespace")), MetricName: val.str(n.attr("metric_name"))}
		d := n.attr("dimensions")
		if d.unknown() {
			m.Dimensions = map[string]inventory.Value[string]{"FunctionName": unknownOf[string](val, d)}
		} else if keys, vals := d.entries(); len(keys) > 0 {
			m.Dimensions = map[string]inventory.Value[string]{}
			for i, k := range keys {
				m.Dimensions[k] = val.str(vals[i])
			}
		}
		return m
	}
	if v.attr("metric_name").set {
		a.Metrics = append(a.Metrics, metric(v))
	}
	qs, _ := v.blocks("metric_query")
	for _, q := range qs {
		if mb := q.block("metric"); mb.set && !mb.unknown() {
			a.Metrics = append(a.Metrics, metric(mb))
		} else if e := q.attr("expression"); e.set {
			a.Metrics = append(a.Metrics, inventory.AlarmMetric{Expression: val.str(e)})
		}
	}
	b.inv.Alarms = append(b.inv.Alarms, a)
}

func (b *builder) layer(val valuer, v node, in *Instance) {
	l := &inventory.LayerVersion{Item: b.item(in)}
	l.Name = val.str(v.attr("layer_name"))
	l.ARN = arnOf(v)
	l.Package = b.pkg(val, v)
	b.inv.Layers = append(b.inv.Layers, l)
}

func (b *builder) layerPermission(val valuer, v node, in *Instance) {
	p := &inventory.LayerPermission{Item: b.item(in)}
	ln := v.attr("layer_name")
	p.Layer = val.ref(ln, "aws_lambda_layer_version")
	st := iampolicy.Statement{Effect: iampolicy.Allow, Loc: in.Loc}
	st.Sid = val.str(v.attr("statement_id")).Or("")
	if a := val.str(v.attr("action")); a.IsKnown() {
		st.Actions = []string{a.V}
	} else {
		addUnknown(&st, "Action")
	}
	if pr := val.str(v.attr("principal")); pr.IsKnown() {
		st.Principal = principalOf(pr.V)
	} else {
		addUnknown(&st, "Principal")
	}
	name := val.str(ln)
	ver := val.str(v.attr("version_number"))
	if name.IsKnown() && ver.IsKnown() {
		arn := name.V
		if !strings.HasPrefix(arn, "arn:") {
			arn = "arn:aws:lambda:" + region + ":" + acct + ":layer:" + arn
		}
		st.Resources = []string{arn + ":" + ver.V}
	} else {
		addUnknown(&st, "Resource")
	}
	condition(val, &st, v.attr("organization_id"), "StringEquals", "aws:PrincipalOrgID")
	sortConditions(st.Conditions)
	p.Statement = st
	b.inv.LayerPermissions = append(b.inv.LayerPermissions, p)
}

func (b *builder) subnet(val valuer, v node, in *Instance) {
	s := &inventory.Subnet{Item: b.item(in)}
	s.AvailabilityZone = val.str(v.attr("availability_zone"))
	if s.AvailabilityZone.IsAbsent() {
		if id := val.str(v.attr("availability_zone_id")); !id.IsAbsent() {
			s.AvailabilityZone = id
		} else {
			s.AvailabilityZone = inventory.UnknownValue[string]("the availability zone is chosen by AWS", in.Loc)
		}
	}
	b.inv.Subnets = append(b.inv.Subnets, s)
}

func (b *builder) securityGroup(val valuer, v node, in *Instance) {
	g := &inventory.SecurityGroup{Item: b.item(in)}
	eg := v.attr("egress")
	items, unk := eg.list()
	switch {
	case unk:
		g.Egress = unknownOf[[]inventory.EgressRule](val, eg)
	case eg.set:
		rules := []inventory.EgressRule{}
		for _, r := range items {
			rules = append(rules, egressRule(val, r, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
		}
		g.Egress = inventory.Of(rules, val.loc(eg))
	}
	b.sgs[in.Address] = g
	b.inv.SecurityGroups = append(b.inv.SecurityGroups, g)
}

func egressRule(val valuer, r node, protoAttr string, cidrAttrs ...string) inventory.EgressRule {
	rule := inventory.EgressRule{
		Protocol: val.str(r.attr(protoAttr)),
		FromPort: val.integer(r.attr("from_port")),
		ToPort:   val.integer(r.attr("to_port")),
		Loc:      val.loc(r),
	}
	cidrs := []string{}
	state := inventory.Absent
	var unk node
	for _, a := range cidrAttrs {
		n := r.attr(a)
		items, u := n.list()
		if u {
			state, unk = inventory.Unknown, n
			break
		}
		if n.set && n.known() && n.v.Type() == cty.String {
			items = []node{n}
		}
		for _, it := range items {
			if it.unknown() {
				state, unk = inventory.Unknown, it
				break
			}
			if s, ok := scalarString(it.v); ok && it.set {
				cidrs = append(cidrs, s)
				state = inventory.Known
			}
		}
	}
	switch state {
	case inventory.Unknown:
		rule.CIDRs = unknownOf[[]string](val, unk)
	case inventory.Known:
		rule.CIDRs = inventory.Of(cidrs, rule.Loc)
	}
	return rule
}

// groupFor finds the security group a rule resource targets.
func (b *builder) groupFor(n node) *inventory.SecurityGroup {
	if id := refTo(n, "aws_security_group"); id != "" {
		return b.sgs[id]
	}
	return nil
}

func appendEgress(g *inventory.SecurityGroup, rule inventory.EgressRule) {
	if g.Egress.IsUnknown() {
		return
	}
	rules, _ := g.Egress.Get()
	g.Egress = inventory.Of(append(rules, rule), g.Egress.Loc)
	if g.Egress.Loc.IsZero() {
		g.Egress.Loc = rule.Loc
	}
}

func (b *builder) sgRule(val valuer, v node, in *Instance) {
	if t := val.str(v.attr("type")); !t.IsKnown() || t.V != "egress" {
		return
	}
	if g := b.groupFor(v.attr("security_group_id")); g != nil {
		appendEgress(g, egressRule(val, v, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
	}
}

func (b *builder) vpcEgressRule(val valuer, v node, in *Instance) {
	if g := b.groupFor(v.attr("security_group_id")); g != nil {
		appendEgress(g, egressRule(val, v, "ip_protocol", "cidr_ipv4", "cidr_ipv6"))
	}
}

// apiRoutes links API Gateway methods and routes with their Lambda
// integrations.
func (b *builder) apiRoutes(byType map[string][]*Instance) {
	fnOf := func(val valuer, n node) inventory.Value[inventory.Ref] {
		if id := refTo(n, "aws_lambda_function", "aws_lambda_alias"); id != "" {
			if t, _ := addrType(id); t == "aws_lambda_function" {
				return inventory.Of(inventory.Ref{ID: id}, val.loc(n))
			}
		}
		r := val.ref(n)
		if s, ok := r.Get(); ok && s.Name != "" {
			if i := strings.Index(s.Name, "/functions/"); i >= 0 {
				arn := strings.TrimSuffix(s.Name[i+len("/functions/"):], "/invocations")
				r.V.Name = arn
			}
		}
		return r
	}
	// REST APIs: integrations keyed by rest API, resource and method.
	type restKey struct{ api, res, method string }
	key := func(n node) restKey {
		s := func(a string) string {
			x := n.attr(a)
			if id := x.refs(); len(id) > 0 && !x.known() {
				return id[0]
			}
			if x.known() {
				v, _ := scalarString(x.v)
				return v
			}
			return ""
		}
		return restKey{s("rest_api_id"), s("resource_id"), s("http_method")}
	}
	restInts := map[restKey]inventory.Value[inventory.Ref]{}
	for _, in := range byType["aws_api_gateway_integration"] {
		val, v := valuer{inst: in}, rootNode(in.Values)
		restInts[key(v)] = fnOf(val, v.attr("uri"))
	}
	for _, in := range byType["aws_api_gateway_method"] {
		val, v := valuer{inst: in}, rootNode(in.Values)
		fn, ok := restInts[key(v)]
		if !ok {
			continue
		}
		b.inv.APIRoutes = append(b.inv.APIRoutes, &inventory.APIRoute{
			Item: b.item(in), Function: fn, Authorization: val.str(v.attr("authorization")),
		})
	}
	// HTTP APIs: routes name their integration in target ("integrations/ID").
	v2Ints := map[string]inventory.Value[inventory.Ref]{}
	for _, in := range byType["aws_apigatewayv2_integration"] {
		val, v := valuer{inst: in}, rootNode(in.Values)
		v2Ints[in.Address] = fnOf(val, v.attr("integration_uri"))
	}
	for _, in := range byType["aws_apigatewayv2_route"] {
		val, v := valuer{inst: in}, rootNode(in.Values)
		id := refTo(v.attr("target"), "aws_apigatewayv2_integration")
		fn, ok := v2Ints[id]
		if !ok {
			continue
		}
		auth := val.str(v.attr("authorization_type"))
		if auth.IsAbsent() {
			auth = inventory.Value[string]{State: inventory.Absent, V: "NONE"}
		}
		b.inv.APIRoutes = append(b.inv.APIRoutes, &inventory.APIRoute{Item: b.item(in), Function: fn, Authorization: auth})
	}
}
