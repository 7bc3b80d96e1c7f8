package sam

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// Managed policies SAM attaches on its own.
const (
	basicExecutionARN   = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	durableExecutionARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicDurableExecutionRolePolicy"
	xrayWriteARN        = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
	vpcAccessARN        = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
	sqsExecutionARN     = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
	kinesisExecutionARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole"
	dynamoExecutionARN  = "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"
	mskExecutionARN     = "arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole"
)

// passThrough are the AWS::Serverless::Function properties SAM copies to
// the AWS::Lambda::Function unchanged.
var passThrough = []string{"FunctionName", "Handler", "Runtime", "Description", "MemorySize", "Timeout",
	"VpcConfig", "Environment", "KmsKeyArn", "ReservedConcurrentExecutions", "Layers", "FileSystemConfigs",
	"ImageConfig", "PackageType", "Architectures", "SnapStart", "EphemeralStorage", "CodeSigningConfigArn",
	"RuntimeManagementConfig", "LoggingConfig", "TenancyConfig", "RecursiveLoop", "DurableConfig"}

// fnState is what the expansion of one function shares between its parts.
type fnState struct {
	id        string
	key       *yaml.Node
	cond      *yaml.Node
	props     *yaml.Node
	aliasID   string
	aliasName string
	// role parts, filled before the role is emitted.
	createRole bool
	managed    []*yaml.Node
	managedSet map[string]bool
	inline     []*yaml.Node
	later      []Resource
}

func (f *fnState) get(name string) *yaml.Node { return template.Get(f.props, name) }

// at places generated nodes at the key of property name (where a reader
// looks for the setting), else at the function's logical ID.
func (f *fnState) at(name string) at {
	if k, _ := template.GetKey(f.props, name); k != nil {
		return atNode(k)
	}
	return atNode(f.key)
}

// target is what events and URLs point at: the alias when one is
// published, else the function (SAM's choice).
func (f *fnState) target(a at) *yaml.Node {
	if f.aliasID != "" {
		return a.ref(f.aliasID)
	}
	return a.ref(f.id)
}

func (f *fnState) addManaged(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		if f.managedSet[n.Value] {
			return
		}
		f.managedSet[n.Value] = true
	}
	f.managed = append(f.managed, n)
}

func (x *transformer) function(k, v *yaml.Node) {
	f := &fnState{
		id:         k.Value,
		key:        k,
		cond:       template.Get(v, "Condition"),
		props:      mergeGlobals(ignoreGlobals(x.fnGlobals, template.Get(v, "IgnoreGlobals")), template.Get(v, "Properties")),
		managedSet: map[string]bool{},
	}
	a := atNode(k)
	fn := a.mapping()
	for _, p := range passThrough {
		set(fn, p, f.get(p))
	}
	switch {
	case f.get("InlineCode") != nil:
		set(fn, "Code", atNode(f.get("InlineCode")).mapping("ZipFile", f.get("InlineCode")))
	case f.get("ImageUri") != nil:
		set(fn, "Code", atNode(f.get("ImageUri")).mapping("ImageUri", f.get("ImageUri")))
	default:
		set(fn, "Code", x.code(f.get("CodeUri")))
	}
	tracingOn := false
	if tr := f.get("Tracing"); tr != nil {
		if s, ok := x.scalar(tr); !ok || s != "Disabled" {
			set(fn, "TracingConfig", atNode(tr).mapping("Mode", tr))
			tracingOn = true
		}
	}
	dlq := f.get("DeadLetterQueue")
	if dlq != nil {
		set(fn, "DeadLetterConfig", atNode(dlq).mapping("TargetArn", template.Get(dlq, "TargetArn")))
	}
	set(fn, "Tags", tagList(a, f.get("Tags")))
	role := f.get("Role")
	f.createRole = role == nil
	if f.createRole {
		set(fn, "Role", a.getAtt(f.id+"Role", "Arn"))
	} else {
		set(fn, "Role", role)
	}
	x.emit(f.id, x.withMetadata(a.resource("AWS::Lambda::Function", fn, f.cond), v), k, f.id)

	x.alias(f)
	x.deploymentPreference(f)
	x.functionURL(f)
	invokePolicies := x.eventInvokeConfig(f)

	if f.createRole {
		if f.get("DurableConfig") != nil {
			f.addManaged(a.str(durableExecutionARN))
		} else {
			f.addManaged(a.str(basicExecutionARN))
		}
		if tracingOn {
			f.addManaged(atNode(f.get("Tracing")).str(xrayWriteARN))
		}
		if vpc := f.get("VpcConfig"); vpc != nil {
			f.addManaged(atNode(vpc).str(vpcAccessARN))
		}
		if dlq != nil {
			da := f.at("DeadLetterQueue")
			action := "sqs:SendMessage"
			if t, _ := x.scalar(template.Get(dlq, "Type")); t == "SNS" {
				action = "sns:Publish"
			}
			f.inline = append(f.inline, da.mapping("PolicyName", "DeadLetterQueuePolicy", "PolicyDocument",
				da.mapping("Version", "2012-10-17", "Statement", da.seq(da.mapping("Action", action, "Resource", template.Get(dlq, "TargetArn"), "Effect", "Allow")))))
		}
		f.inline = append(f.inline, invokePolicies...)
		x.policies(f)
	}
	x.events(f)
	if f.createRole {
		x.emitRole(f)
	} else if f.get("Policies") != nil {
		x.warn(f.get("Policies"), "Policies are ignored when Role is given (SAM creates no role)")
	}
	for _, r := range f.later {
		x.out.Resources = append(x.out.Resources, r)
	}
}

// tagList converts a SAM Tags map to a CloudFormation tag list with SAM's
// own lambda:createdBy tag first.
func tagList(a at, tags *yaml.Node) *yaml.Node {
	out := a.seq(a.mapping("Key", "lambda:createdBy", "Value", "SAM"))
	template.Pairs(tags, func(k, v *yaml.Node) {
		ka := atNode(k)
		out.Content = append(out.Content, ka.mapping("Key", k.Value, "Value", v))
	})
	return out
}

func (x *transformer) later(f *fnState, id string, node *yaml.Node) {
	f.later = append(f.later, Resource{LogicalID: id, Node: node, Key: f.key, From: f.id})
}

func (x *transformer) alias(f *fnState) {
	apa := f.get("AutoPublishAlias")
	if apa == nil {
		return
	}
	name, ok := x.scalar(apa)
	if !ok || name == "" {
		x.problem(apa, "AutoPublishAlias of "+f.id+" cannot be resolved; no alias is modelled")
		return
	}
	f.aliasName = name
	f.aliasID = f.id + "Alias" + strings.NewReplacer("-", "D", "_", "U").Replace(name)
	a := atNode(apa)
	verID := f.id + "Version"
	x.emit(verID, a.resource("AWS::Lambda::Version", a.mapping("FunctionName", a.ref(f.id)), f.cond), f.key, f.id)
	x.emit(f.aliasID, a.resource("AWS::Lambda::Alias", a.mapping("FunctionName", a.ref(f.id),
		"FunctionVersion", a.getAtt(verID, "Version"), "Name", name), f.cond), f.key, f.id)
}

func (x *transformer) functionURL(f *fnState) {
	u := f.get("FunctionUrlConfig")
	if u == nil {
		return
	}
	a := f.at("FunctionUrlConfig")
	auth := template.Get(u, "AuthType")
	url := a.mapping("AuthType", auth, "Cors", template.Get(u, "Cors"), "TargetFunctionArn", f.target(a),
		"InvokeMode", template.Get(u, "InvokeMode"))
	x.emit(f.id+"Url", a.resource("AWS::Lambda::Url", url, f.cond), f.key, f.id)
	// SAM adds the public permissions only for a literal NONE.
	if auth != nil && auth.Kind == yaml.ScalarNode && !isIntrinsic(auth) && auth.Value == "NONE" {
		x.emit(f.id+"UrlPublicPermissions", a.resource("AWS::Lambda::Permission", a.mapping(
			"Action", "lambda:InvokeFunctionUrl", "FunctionName", f.target(a), "Principal", "*",
			"FunctionUrlAuthType", "NONE"), f.cond), f.key, f.id)
		x.emit(f.id+"URLInvokeAllowPublicAccess", a.resource("AWS::Lambda::Permission", a.mapping(
			"Action", "lambda:InvokeFunction", "FunctionName", f.target(a), "Principal", "*",
			"InvokedViaFunctionUrl", a.boolean(true)), f.cond), f.key, f.id)
	}
}

// eventInvokeConfig emits the function's EventInvokeConfig and returns the
// role policies its destinations need.
func (x *transformer) eventInvokeConfig(f *fnState) []*yaml.Node {
	eic := f.get("EventInvokeConfig")
	if eic == nil {
		return nil
	}
	a := f.at("EventInvokeConfig")
	logical := f.id + "EventInvokeConfig"
	var policies []*yaml.Node
	dc := a.mapping()
	for _, which := range []string{"OnSuccess", "OnFailure"} {
		c := template.Get(template.Get(eic, "DestinationConfig"), which)
		if c == nil {
			continue
		}
		ca := atNode(c)
		typ, _ := x.scalar(template.Get(c, "Type"))
		dest := template.Get(c, "Destination")
		if dest == nil {
			switch typ {
			case "SQS":
				qid := logical + which + "Queue"
				x.emit(qid, ca.resource("AWS::SQS::Queue", nil, f.cond), f.key, f.id)
				dest = ca.getAtt(qid, "Arn")
			case "SNS":
				tid := logical + which + "Topic"
				x.emit(tid, ca.resource("AWS::SNS::Topic", nil, f.cond), f.key, f.id)
				dest = ca.ref(tid)
			default:
				x.problem(c, "EventInvokeConfig."+which+" of "+f.id+" has no Destination")
				continue
			}
		}
		set(dc, which, ca.mapping("Destination", dest))
		if p := destinationPolicy(ca, typ, dest, logical+which); p != nil {
			policies = append(policies, p)
		}
	}
	qualifier := "$LATEST"
	if f.aliasName != "" {
		qualifier = f.aliasName
	}
	x.emit(logical, a.resource("AWS::Lambda::EventInvokeConfig", a.mapping(
		"FunctionName", a.ref(f.id), "Qualifier", qualifier, "DestinationConfig", dc,
		"MaximumEventAgeInSeconds", template.Get(eic, "MaximumEventAgeInSeconds"),
		"MaximumRetryAttempts", template.Get(eic, "MaximumRetryAttempts")), f.cond), f.key, f.id)
	return policies
}

// destinationPolicy is the role policy SAM adds for an async destination.
func destinationPolicy(a at, typ string, dest *yaml.Node, logical string) *yaml.Node {
	stmt := func(action string, res *yaml.Node) *yaml.Node {
		return a.mapping("Action", action, "Effect", "Allow", "Resource", res)
	}
	var name string
	var stmts []*yaml.Node
	switch typ {
	case "SQS":
		name, stmts = "SQSPolicy", []*yaml.Node{stmt("sqs:SendMessage", dest)}
	case "SNS":
		name, stmts = "SNSPolicy", []*yaml.Node{stmt("sns:publish", dest)}
	case "EventBridge":
		name, stmts = "EventBridgePolicy", []*yaml.Node{stmt("events:PutEvents", dest)}
	case "Lambda":
		name, stmts = "LambdaPolicy", []*yaml.Node{stmt("lambda:InvokeFunction", dest)}
	case "S3Bucket":
		name = "S3Policy"
		stmts = []*yaml.Node{
			stmt("s3:PutObject", a.mapping("Fn::Join", a.seq(a.str("/"), a.seq(dest, a.str("*"))))),
			stmt("s3:ListBucket", dest),
		}
	default:
		return nil
	}
	return a.mapping("PolicyName", logical+name, "PolicyDocument", a.mapping("Statement", a.seq(stmts...)))
}

// policies turns the function's Policies into the role's managed policy
// ARNs and inline policies.
func (x *transformer) policies(f *fnState) {
	ps := f.get("Policies")
	if ps == nil {
		return
	}
	items := []*yaml.Node{ps}
	if ps.Kind == yaml.SequenceNode && !isIntrinsic(ps) {
		items = ps.Content
	}
	for i, p := range items {
		p = template.Deref(p)
		name := f.id + "RolePolicy" + strconv.Itoa(i)
		switch kind, ok := x.policyKind(p); {
		case !ok:
			x.problemf(p, "Policies[%d] of %s is not a managed policy, a policy document or a known policy template", i, f.id)
		case kind == policyManaged:
			f.addManaged(x.managedARN(p))
		case kind == policyStatement:
			f.inline = append(f.inline, x.inlinePolicy(p, name))
		case kind == policyTemplate:
			f.inline = append(f.inline, x.inlinePolicy(p, name))
		}
	}
}

type policyKind int

const (
	policyManaged policyKind = iota
	policyStatement
	policyTemplate
)

// policyKind classifies a Policies entry the way SAM does.
func (x *transformer) policyKind(p *yaml.Node) (policyKind, bool) {
	if p == nil {
		return 0, false
	}
	if cond, a, b, ok := ifParts(p); ok {
		_ = cond
		ka, oka := x.policyKind(template.Deref(a))
		kb, okb := x.policyKind(template.Deref(b))
		switch {
		case isNoValue(a) && okb:
			return kb, true
		case isNoValue(b) && oka:
			return ka, true
		case oka && okb && ka == kb:
			return ka, true
		}
		return 0, false
	}
	if p.Kind == yaml.ScalarNode || isIntrinsic(p) {
		return policyManaged, true
	}
	if p.Kind == yaml.MappingNode {
		if template.Get(p, "Statement") != nil {
			return policyStatement, true
		}
		if len(p.Content) == 2 && x.opts.Templates[p.Content[0].Value] != nil {
			return policyTemplate, true
		}
	}
	return 0, false
}

// managedARN maps a managed policy entry to its ARN (names of AWS-managed
// policies become ARNs; Fn::If branches are mapped one by one).
func (x *transformer) managedARN(p *yaml.Node) *yaml.Node {
	if cond, a, b, ok := ifParts(p); ok {
		return atNode(p).makeIf(cond, x.managedARN(template.Deref(a)), x.managedARN(template.Deref(b)))
	}
	if p.Kind != yaml.ScalarNode || isIntrinsic(p) || strings.HasPrefix(p.Value, "arn:") || x.opts.ManagedPolicyARN == nil {
		return p
	}
	if arn, ok := x.opts.ManagedPolicyARN(p.Value); ok {
		return atNode(p).str(arn)
	}
	return p
}

// inlinePolicy builds {PolicyName, PolicyDocument} for a statement document
// or a policy template (expanded), through Fn::If branches.
func (x *transformer) inlinePolicy(p *yaml.Node, name string) *yaml.Node {
	a := atNode(p)
	if cond, t, e, ok := ifParts(p); ok {
		branch := func(n *yaml.Node) *yaml.Node {
			if isNoValue(n) {
				return n
			}
			return x.inlinePolicy(template.Deref(n), name)
		}
		return a.makeIf(cond, branch(t), branch(e))
	}
	doc := p
	if template.Get(p, "Statement") == nil && p.Kind == yaml.MappingNode && len(p.Content) == 2 {
		expanded, err := x.opts.Templates.Expand(p.Content[0].Value, p.Content[1], p)
		if err != nil {
			x.problem(p, err.Error())
			return nil
		}
		doc = expanded
	}
	return a.mapping("PolicyName", name, "PolicyDocument", doc)
}

func (x *transformer) emitRole(f *fnState) {
	a := f.at("Policies")
	trust := f.get("AssumeRolePolicyDocument")
	if trust == nil {
		trust = a.mapping("Version", "2012-10-17", "Statement", a.seq(a.mapping(
			"Action", a.strs("sts:AssumeRole"), "Effect", "Allow",
			"Principal", a.mapping("Service", a.strs("lambda.amazonaws.com")))))
	}
	props := a.mapping("AssumeRolePolicyDocument", trust, "ManagedPolicyArns", a.seq(f.managed...))
	if len(f.inline) > 0 {
		set(props, "Policies", a.seq(f.inline...))
	}
	set(props, "Path", f.get("RolePath"))
	set(props, "PermissionsBoundary", f.get("PermissionsBoundary"))
	set(props, "Tags", tagList(a, f.get("Tags")))
	x.emit(f.id+"Role", a.resource("AWS::IAM::Role", props, f.cond), f.key, f.id)
}

// deploymentPreference adds the CodeDeploy service role SAM creates once
// per template for gradual deployments (unless the preference names one).
func (x *transformer) deploymentPreference(f *fnState) {
	dp := f.get("DeploymentPreference")
	if dp == nil || f.aliasID == "" || template.Get(dp, "Role") != nil || x.codeDeployRole {
		return
	}
	if enabled, ok := x.scalar(template.Get(dp, "Enabled")); ok && enabled == "false" {
		return
	}
	x.codeDeployRole = true
	a := atNode(dp)
	x.emit("CodeDeployServiceRole", a.resource("AWS::IAM::Role", a.mapping(
		"AssumeRolePolicyDocument", a.mapping("Version", "2012-10-17", "Statement", a.seq(a.mapping(
			"Action", a.strs("sts:AssumeRole"), "Effect", "Allow",
			"Principal", a.mapping("Service", a.strs("codedeploy.amazonaws.com"))))),
		"ManagedPolicyArns", a.strs("arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda")), nil), f.key, f.id)
}
