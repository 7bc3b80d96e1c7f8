package cloudformation

import (
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/intrinsics"
	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

func (st *stack) item(r *resource) inventory.Item {
	return inventory.Item{ID: r.id(), Source: st.kind, Origin: st.l.origin, Loc: r.loc()}
}

// convert adds the inventory items of one resource.
func (st *stack) convert(r *resource) {
	l := st.l
	switch r.r.Type {
	case "AWS::Lambda::Function":
		st.function(r)
	case "AWS::Lambda::Permission":
		st.permission(r)
	case "AWS::Lambda::Url":
		st.functionURL(r)
	case "AWS::Lambda::Alias":
		st.alias(r)
	case "AWS::Lambda::Version":
		l.versions = append(l.versions, r)
	case "AWS::Lambda::EventInvokeConfig":
		st.eventInvokeConfig(r)
	case "AWS::Lambda::CodeSigningConfig":
		l.inv.CodeSigningConfigs = append(l.inv.CodeSigningConfigs, &inventory.CodeSigningConfig{
			Item:                          st.item(r),
			UntrustedArtifactOnDeployment: strVal(r.prop("CodeSigningPolicies", "UntrustedArtifactOnDeployment")),
		})
	case "AWS::Lambda::LayerVersion":
		st.layer(r)
	case "AWS::Lambda::LayerVersionPermission":
		st.layerPermission(r)
	case "AWS::IAM::Role":
		st.role(r)
	case "AWS::IAM::Policy", "AWS::IAM::RolePolicy":
		l.policies = append(l.policies, r)
	case "AWS::IAM::ManagedPolicy":
		st.managedPolicy(r)
	case "AWS::Logs::LogGroup":
		l.inv.LogGroups = append(l.inv.LogGroups, &inventory.LogGroup{
			Item:          st.item(r),
			Name:          st.nameOf(r, "LogGroupName"),
			RetentionDays: intVal(r.prop("RetentionInDays")),
			KMSKeyID:      strVal(r.prop("KmsKeyId")),
		})
	case "AWS::CloudWatch::Alarm":
		st.alarm(r)
	case "AWS::EC2::Subnet":
		az := r.prop("AvailabilityZone")
		if absent(az) {
			az = r.prop("AvailabilityZoneId")
		}
		l.inv.Subnets = append(l.inv.Subnets, &inventory.Subnet{Item: st.item(r), AvailabilityZone: strVal(az)})
	case "AWS::EC2::SecurityGroup":
		st.securityGroup(r)
	case "AWS::EC2::SecurityGroupEgress":
		l.egress = append(l.egress, r)
	case "AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Route":
		st.routeResource(r)
	case "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
		st.bodyRoutes(r)
	case "AWS::CloudFormation::Stack":
		if _, local := localChild(st.rel, r.r.Node); local || isLocalTemplateURL(r) {
			st.child(r.r.LogicalID)
		}
	}
}

func isLocalTemplateURL(r *resource) bool {
	u, ok := r.prop("TemplateURL").Scalar()
	return ok && isLocalPath(u)
}

// nameOf returns a resource's name: its name property, or (when the
// property is not set, so CloudFormation generates the name) the symbolic
// name references render, which is the inventory ID.
func (st *stack) nameOf(r *resource, prop string) inventory.Value[string] {
	v := r.prop(prop)
	if absent(v) {
		return inventory.Of(st.env.ResourceName(r.r.LogicalID), r.loc())
	}
	return strVal(v)
}

func (st *stack) function(r *resource) {
	f := &inventory.Function{
		Item:                st.item(r),
		Name:                st.nameOf(r, "FunctionName"),
		Runtime:             strVal(r.prop("Runtime")),
		Handler:             strVal(r.prop("Handler")),
		PackageType:         strVal(r.prop("PackageType")),
		Role:                st.plainRef(r.prop("Role")),
		KMSKeyARN:           strVal(r.prop("KmsKeyArn")),
		TracingMode:         strVal(r.prop("TracingConfig", "Mode")),
		LogFormat:           strVal(r.prop("LoggingConfig", "LogFormat")),
		LogGroup:            strVal(r.prop("LoggingConfig", "LogGroup")),
		ReservedConcurrency: intVal(r.prop("ReservedConcurrentExecutions")),
		TimeoutSeconds:      intVal(r.prop("Timeout")),
		MemoryMB:            intVal(r.prop("MemorySize")),
		Layers:              st.refList(r.prop("Layers")),
		CodeSigningConfig:   st.plainRef(r.prop("CodeSigningConfigArn")),
		DeadLetterTarget:    strVal(r.prop("DeadLetterConfig", "TargetArn")),
		Tags:                tagMap(r.prop("Tags"), st.tags, r.loc()),
		Package:             st.packageRef(r, r.prop("Code")),
	}
	if env := r.prop("Environment"); !absent(env) {
		f.Environment = envVars(env.Field("Variables"))
	}
	if vpc := r.prop("VpcConfig"); !absent(vpc) {
		if vpc.Kind == intrinsics.Unknown {
			f.VPC = unknownOf[inventory.VPCConfig](vpc)
		} else {
			subnets := st.refList(vpc.Field("SubnetIds"))
			if s, ok := subnets.Get(); !ok || len(s) > 0 {
				f.VPC = inventory.Of(inventory.VPCConfig{
					Subnets:        subnets,
					SecurityGroups: st.refList(vpc.Field("SecurityGroupIds")),
				}, vpc.Loc)
			}
		}
	}
	st.l.functions[f.ID] = f
	st.l.inv.Functions = append(st.l.inv.Functions, f)
}

// packageRef says where a function's or layer's code is: a CDK asset
// folder, a local path (SAM CodeUri, or a template before `aws
// cloudformation package`), an S3 object or a container image.
func (st *stack) packageRef(r *resource, code *intrinsics.Value) inventory.Value[inventory.PackageRef] {
	md := template.Get(r.r.Node, "Metadata")
	if p := scalarText(template.Get(md, "aws:asset:path")); p != "" {
		if disp, ok := st.assetPath(p, ""); ok {
			return inventory.Of(inventory.PackageRef{Path: disp}, st.env.Loc(template.Get(md, "aws:asset:path")))
		}
	}
	switch {
	case absent(code):
		return inventory.Value[inventory.PackageRef]{}
	case code.Kind == intrinsics.Unknown:
		return unknownOf[inventory.PackageRef](code)
	case code.IsScalar():
		if strings.HasPrefix(code.Str, "s3://") {
			bucket, key, _ := strings.Cut(strings.TrimPrefix(code.Str, "s3://"), "/")
			return inventory.Of(inventory.PackageRef{S3Bucket: bucket, S3Key: key}, code.Loc)
		}
		if disp, ok := st.localPath(code.Str); ok {
			return inventory.Of(inventory.PackageRef{Path: disp}, code.Loc)
		}
		return inventory.UnknownValue[inventory.PackageRef]("code path "+code.Str+" is outside the scanned tree", code.Loc)
	case code.Kind != intrinsics.Map:
		return inventory.UnknownValue[inventory.PackageRef]("Code is a "+code.Kind.String(), code.Loc)
	}
	if code.Field("ZipFile") != nil {
		// Inline code: there is no package to read.
		return inventory.Value[inventory.PackageRef]{}
	}
	var ref inventory.PackageRef
	if u, ok := code.Field("ImageUri").Scalar(); ok {
		ref.ImageURI = u
	}
	bucket, bucketKey := code.Field("S3Bucket"), code.Field("S3Key")
	if bucketKey.IsUnknown() && ref.ImageURI == "" && bucket.IsUnknown() {
		return unknownOf[inventory.PackageRef](bucketKey)
	}
	ref.S3Bucket, _ = bucket.Scalar()
	ref.S3Key, _ = bucketKey.Scalar()
	if ref.S3Key != "" {
		if disp, ok := st.assetPath("", ref.S3Key); ok {
			ref.Path = disp
		}
	}
	if ref == (inventory.PackageRef{}) {
		return inventory.UnknownValue[inventory.PackageRef]("the code location cannot be resolved", code.Loc)
	}
	return inventory.Of(ref, code.Loc)
}

// functionRef resolves what a FunctionName / TargetFunctionArn names: the
// function, and the qualifier (alias or version) when it names one.
func (st *stack) functionRef(v *intrinsics.Value) (inventory.Value[inventory.Ref], inventory.Value[string]) {
	switch {
	case absent(v):
		return inventory.Value[inventory.Ref]{}, inventory.Value[string]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[inventory.Ref](v), inventory.Value[string]{}
	case !v.IsScalar():
		return inventory.UnknownValue[inventory.Ref]("expected a function name or ARN", v.Loc), inventory.Value[string]{}
	}
	target := v.Target
	if target == "" && len(v.Targets) == 1 {
		target = v.Targets[0]
	}
	if r := st.l.byID[target]; r != nil {
		switch r.r.Type {
		case "AWS::Lambda::Function":
			return inventory.Of(inventory.Ref{ID: r.id(), Name: inventory.FunctionNameFromARN(v.Str)}, v.Loc), qualifierOf(v)
		case "AWS::Lambda::Alias":
			fn, _ := r.st.functionRef(r.prop("FunctionName"))
			fn.Loc = v.Loc
			return fn, relocated(strVal(r.prop("Name")), v)
		case "AWS::Lambda::Version":
			fn, _ := r.st.functionRef(r.prop("FunctionName"))
			fn.Loc = v.Loc
			return fn, inventory.Of("<"+r.id()+".Version>", v.Loc)
		}
	}
	return inventory.Of(inventory.Ref{Name: v.Str}, v.Loc), qualifierOf(v)
}

func relocated(q inventory.Value[string], v *intrinsics.Value) inventory.Value[string] {
	q.Loc = v.Loc
	return q
}

// qualifierOf returns the qualifier of a function ARN
// (arn:aws:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER), absent if none.
func qualifierOf(v *intrinsics.Value) inventory.Value[string] {
	i := strings.Index(v.Str, ":function:")
	if i < 0 {
		return inventory.Value[string]{}
	}
	if _, q, ok := strings.Cut(v.Str[i+len(":function:"):], ":"); ok && q != "" {
		return inventory.Of(q, v.Loc)
	}
	return inventory.Value[string]{}
}

// withQualifier prefers an explicit Qualifier property.
func withQualifier(q inventory.Value[string], prop *intrinsics.Value) inventory.Value[string] {
	if !absent(prop) {
		return strVal(prop)
	}
	return q
}

func (st *stack) permission(r *resource) {
	fn, q := st.functionRef(r.prop("FunctionName"))
	stmt := iampolicy.Statement{Effect: iampolicy.Allow, Loc: r.loc()}
	unknown := map[string]bool{}
	if a := r.prop("Action"); a.IsScalar() {
		stmt.Actions = []string{a.Str}
	} else {
		unknown["Action"] = true
	}
	stmt.Principal = principal(r.prop("Principal"), unknown)
	if s, ok := fn.Get(); ok && s.Name != "" {
		arn := functionARN(s.Name)
		if qv, ok := q.Get(); ok && qualifierOf(&intrinsics.Value{Str: arn}).IsAbsent() {
			arn += ":" + qv
		}
		stmt.Resources = []string{arn}
	} else {
		unknown["Resource"] = true
	}
	conds := []struct{ prop, op, key string }{
		{"SourceArn", "ArnLike", "aws:SourceArn"},
		{"SourceAccount", "StringEquals", "aws:SourceAccount"},
		{"PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"},
		{"FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"},
		{"EventSourceToken", "StringEquals", "lambda:EventSourceToken"},
		{"InvokedViaFunctionUrl", "Bool", "lambda:InvokedViaFunctionUrl"},
	}
	for _, c := range conds {
		v := r.prop(c.prop)
		switch {
		case absent(v):
		case v.IsScalar():
			stmt.Conditions = append(stmt.Conditions, iampolicy.Condition{Operator: c.op, Key: c.key, Values: []string{v.Str}})
		default:
			unknown["Condition"] = true
		}
	}
	stmt.Unknown = sortedKeys(unknown)
	st.l.inv.Permissions = append(st.l.inv.Permissions, &inventory.Permission{
		Item: st.item(r), Function: fn, Qualifier: q, Statement: stmt,
	})
}

// functionARN renders the ARN of a function given by name or ARN.
func functionARN(nameOrARN string) string {
	if strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN
	}
	return "arn:" + inventory.CurrentPartition + ":lambda:" + inventory.CurrentRegion + ":" + inventory.CurrentAccount + ":function:" + nameOrARN
}

// principal converts a Lambda permission's Principal: "*", a service, an
// account ID or an ARN.
func principal(v *intrinsics.Value, unknown map[string]bool) *iampolicy.Principal {
	s, ok := v.Scalar()
	switch {
	case !ok:
		unknown["Principal"] = true
		return &iampolicy.Principal{}
	case s == "*":
		return &iampolicy.Principal{Wildcard: true}
	case strings.HasSuffix(s, ".amazonaws.com") || strings.HasSuffix(s, ".amazon.com") || strings.HasSuffix(s, ".amazonaws.com.cn"):
		return &iampolicy.Principal{Service: []string{s}}
	}
	return &iampolicy.Principal{AWS: []string{s}}
}

func (st *stack) functionURL(r *resource) {
	fn, q := st.functionRef(r.prop("TargetFunctionArn"))
	u := &inventory.FunctionURL{
		Item:      st.item(r),
		Function:  fn,
		Qualifier: withQualifier(q, r.prop("Qualifier")),
		AuthType:  strVal(r.prop("AuthType")),
	}
	if cors := r.prop("Cors"); !absent(cors) {
		u.CORSAllowOrigins = strList(cors.Field("AllowOrigins"))
	}
	st.l.inv.FunctionURLs = append(st.l.inv.FunctionURLs, u)
}

func (st *stack) alias(r *resource) {
	fn, _ := st.functionRef(r.prop("FunctionName"))
	st.l.inv.Aliases = append(st.l.inv.Aliases, &inventory.Alias{
		Item:            st.item(r),
		Function:        fn,
		Name:            strVal(r.prop("Name")),
		FunctionVersion: strVal(r.prop("FunctionVersion")),
	})
}

func (st *stack) eventInvokeConfig(r *resource) {
	fn, _ := st.functionRef(r.prop("FunctionName"))
	st.l.inv.EventInvokeConfigs = append(st.l.inv.EventInvokeConfigs, &inventory.EventInvokeConfig{
		Item:      st.item(r),
		Function:  fn,
		OnFailure: strVal(r.prop("DestinationConfig", "OnFailure", "Destination")),
		OnSuccess: strVal(r.prop("DestinationConfig", "OnSuccess", "Destination")),
	})
}

func (st *stack) layer(r *resource) {
	st.l.inv.Layers = append(st.l.inv.Layers, &inventory.LayerVersion{
		Item:    st.item(r),
		Name:    st.nameOf(r, "LayerName"),
		Package: st.packageRef(r, r.prop("Content")),
	})
}

func (st *stack) layerPermission(r *resource) {
	unknown := map[string]bool{}
	stmt := iampolicy.Statement{Effect: iampolicy.Allow, Loc: r.loc()}
	if a, ok := r.prop("Action").Scalar(); ok {
		stmt.Actions = []string{a}
	} else {
		unknown["Action"] = true
	}
	stmt.Principal = principal(r.prop("Principal"), unknown)
	if org := r.prop("OrganizationId"); !absent(org) {
		if s, ok := org.Scalar(); ok {
			stmt.Conditions = []iampolicy.Condition{{Operator: "StringEquals", Key: "aws:PrincipalOrgID", Values: []string{s}}}
		} else {
			unknown["Condition"] = true
		}
	}
	layer := st.plainRef(r.prop("LayerVersionArn"))
	if l, ok := layer.Get(); ok {
		stmt.Resources = []string{l.Name}
	}
	stmt.Unknown = sortedKeys(unknown)
	st.l.inv.LayerPermissions = append(st.l.inv.LayerPermissions, &inventory.LayerPermission{
		Item: st.item(r), Layer: layer, Statement: stmt,
	})
}

func (st *stack) role(r *resource) {
	role := &inventory.Role{
		Item:             st.item(r),
		Name:             st.nameOf(r, "RoleName"),
		TrustPolicy:      st.policyDoc(r.prop("AssumeRolePolicyDocument")),
		Boundary:         strVal(r.prop("PermissionsBoundary")),
		PoliciesComplete: inventory.Of(true, r.loc()),
	}
	if ps := r.prop("Policies"); !absent(ps) {
		if ps.Kind == intrinsics.Unknown {
			role.Inline = append(role.Inline, inventory.InlinePolicy{Name: "Policies", Document: unknownOf[*iampolicy.Policy](ps), Loc: ps.Loc})
		}
		for _, p := range ps.List() {
			role.Inline = append(role.Inline, st.inlinePolicy(p))
		}
		if ps.Kind == intrinsics.Map {
			role.Inline = append(role.Inline, st.inlinePolicy(ps))
		}
	}
	if mp := r.prop("ManagedPolicyArns"); !absent(mp) {
		if mp.Kind == intrinsics.Unknown {
			role.Attached = append(role.Attached, inventory.PolicyAttachment{Policy: unknownOf[inventory.Ref](mp), Loc: mp.Loc})
		}
		for _, a := range mp.List() {
			role.Attached = append(role.Attached, inventory.PolicyAttachment{Policy: st.plainRef(a), Loc: a.Loc})
		}
	}
	st.l.roles[role.ID] = role
	if n, ok := role.Name.Get(); ok {
		st.l.rolesByName[n] = role
	}
	st.l.inv.Roles = append(st.l.inv.Roles, role)
}

// inlinePolicy converts {PolicyName, PolicyDocument}.
func (st *stack) inlinePolicy(p *intrinsics.Value) inventory.InlinePolicy {
	if p.Kind == intrinsics.Unknown {
		return inventory.InlinePolicy{Name: "<unknown>", Document: unknownOf[*iampolicy.Policy](p), Loc: p.Loc}
	}
	name, _ := p.Field("PolicyName").Scalar()
	return inventory.InlinePolicy{Name: name, Document: st.policyDoc(p.Field("PolicyDocument")), Loc: p.Loc}
}

func (st *stack) managedPolicy(r *resource) {
	mp := &inventory.ManagedPolicy{
		Item:     st.item(r),
		Name:     st.nameOf(r, "ManagedPolicyName"),
		Document: st.policyDoc(r.prop("PolicyDocument")),
	}
	if arn, ok := st.env.RefValue(r.r.LogicalID).Scalar(); ok {
		st.l.managedNames[mp.ID] = arn
	}
	st.l.inv.ManagedPolicies = append(st.l.inv.ManagedPolicies, mp)
	if roles := r.prop("Roles"); !absent(roles) {
		st.l.attachments = append(st.l.attachments, r)
	}
}

func (st *stack) alarm(r *resource) {
	a := &inventory.Alarm{Item: st.item(r), Name: st.nameOf(r, "AlarmName")}
	if ms := r.prop("Metrics"); !absent(ms) {
		for _, m := range ms.List() {
			metric := m.Get("MetricStat", "Metric")
			if absent(metric) {
				if e := m.Field("Expression"); !absent(e) {
					a.Metrics = append(a.Metrics, inventory.AlarmMetric{Expression: strVal(e)})
				}
				continue
			}
			a.Metrics = append(a.Metrics, alarmMetric(metric))
		}
	} else {
		a.Metrics = append(a.Metrics, alarmMetric(r.properties()))
	}
	st.l.inv.Alarms = append(st.l.inv.Alarms, a)
}

func alarmMetric(m *intrinsics.Value) inventory.AlarmMetric {
	am := inventory.AlarmMetric{Namespace: strVal(m.Field("Namespace")), MetricName: strVal(m.Field("MetricName"))}
	for _, d := range m.Field("Dimensions").List() {
		name, ok := d.Field("Name").Scalar()
		if !ok {
			continue
		}
		if am.Dimensions == nil {
			am.Dimensions = map[string]inventory.Value[string]{}
		}
		am.Dimensions[name] = strVal(d.Field("Value"))
	}
	return am
}

func (st *stack) securityGroup(r *resource) {
	sg := &inventory.SecurityGroup{Item: st.item(r)}
	if eg := r.prop("SecurityGroupEgress"); !absent(eg) {
		if eg.Kind == intrinsics.Unknown {
			sg.Egress = unknownOf[[]inventory.EgressRule](eg)
		} else {
			var rules []inventory.EgressRule
			for _, rule := range eg.List() {
				rules = append(rules, egressRule(rule, rule.Loc))
			}
			sg.Egress = inventory.Of(rules, eg.Loc)
		}
	}
	st.l.groups[sg.ID] = sg
	st.l.inv.SecurityGroups = append(st.l.inv.SecurityGroups, sg)
}

func egressRule(v *intrinsics.Value, loc srcloc.Location) inventory.EgressRule {
	rule := inventory.EgressRule{
		Protocol: strVal(v.Field("IpProtocol")),
		FromPort: intVal(v.Field("FromPort")),
		ToPort:   intVal(v.Field("ToPort")),
		Loc:      loc,
	}
	var cidrs []string
	for _, k := range []string{"CidrIp", "CidrIpv6"} {
		c := v.Field(k)
		if absent(c) {
			continue
		}
		s, ok := c.Scalar()
		if !ok {
			rule.CIDRs = unknownOf[[]string](c)
			return rule
		}
		cidrs = append(cidrs, s)
	}
	rule.CIDRs = inventory.Of(cidrs, loc)
	return rule
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
