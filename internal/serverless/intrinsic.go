package serverless

import (
	"sort"
	"strconv"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// cfn evaluates the CloudFormation intrinsics that serverless.yml may hold
// (in IAM statements, environment values, roles, layers) to strings. A
// reference to another resource becomes a specific, symbolic ARN or name
// (arn:aws:dynamodb:<region>:<account>:table/orders), never "*".
type cfn struct {
	// resources is the Resources mapping (serverless.yml's resources.Resources,
	// or a generated template's).
	resources *val
	// synth are resources the framework generates, by logical ID.
	synth map[string]synthetic
	// stackName is the stack's name when known.
	stackName string
}

// synthetic is a resource the framework generates: its type and name.
type synthetic struct{ typ, name string }

// nameProperty is the property that names a resource of each type.
var nameProperty = map[string]string{
	"AWS::DynamoDB::Table":             "TableName",
	"AWS::SQS::Queue":                  "QueueName",
	"AWS::SNS::Topic":                  "TopicName",
	"AWS::S3::Bucket":                  "BucketName",
	"AWS::IAM::Role":                   "RoleName",
	"AWS::IAM::ManagedPolicy":          "ManagedPolicyName",
	"AWS::Lambda::Function":            "FunctionName",
	"AWS::Lambda::LayerVersion":        "LayerName",
	"AWS::Kinesis::Stream":             "Name",
	"AWS::Events::Rule":                "Name",
	"AWS::Events::EventBus":            "Name",
	"AWS::SecretsManager::Secret":      "Name",
	"AWS::StepFunctions::StateMachine": "StateMachineName",
	"AWS::Logs::LogGroup":              "LogGroupName",
	"AWS::KMS::Key":                    "",
}

// resource returns a resource's type and name (or the symbolic <ID>).
func (c *cfn) resource(id string) (typ, name string, ok bool) {
	if s, ok := c.synth[id]; ok {
		return s.typ, s.name, true
	}
	res := c.resources.get(id)
	if res == nil || res.k() != kMap {
		return "", "", false
	}
	typ, _ = res.get("Type").str()
	name = "<" + id + ">"
	if p := nameProperty[typ]; p != "" {
		if s, _, ok := c.str(res.path("Properties", p), 0); ok && s != "" {
			name = s
		}
	}
	return typ, name, true
}

const maxIntrinsicDepth = 32

// str evaluates v to a string. ok is false when it cannot be known
// statically; why then says why and ref whether it is a deploy-time
// reference rather than a missing value.
func (c *cfn) str(v *val, depth int) (s string, why string, ok bool) {
	s, why, ok, _ = c.eval(v, depth)
	return s, why, ok
}

// eval is str that also reports whether the value is a reference.
func (c *cfn) eval(v *val, depth int) (s string, why string, ok, ref bool) {
	if depth > maxIntrinsicDepth {
		return "", "intrinsics nested too deep", false, false
	}
	switch {
	case v == nil || v.k() == kNull:
		return "", "not set", false, false
	case v.k() == kScalar:
		return v.s, "", true, false
	case v.k() == kUnknown:
		return "", v.why, false, v.ref
	}
	name, arg, isFn := v.intrinsic()
	if !isFn {
		return "", "a mapping or list where a string is expected", false, false
	}
	switch name {
	case "Ref":
		id, _ := arg.str()
		s, ok := c.ref(id)
		return s, "", ok, true
	case "Fn::GetAtt":
		var res, attr string
		if a, ok := arg.str(); ok {
			res, attr, _ = strings.Cut(a, ".")
		} else if l := arg.list(); len(l) == 2 {
			res, _ = l[0].str()
			attr, _, _ = c.str(l[1], depth+1)
		}
		return c.getAtt(res, attr), "", true, true
	case "Fn::Join":
		l := arg.list()
		if len(l) != 2 {
			return "", "malformed Fn::Join", false, false
		}
		sep, _ := l[0].str()
		var parts []string
		anyRef := false
		for _, p := range l[1].list() {
			ps, why, ok, ref := c.eval(p, depth+1)
			if !ok {
				return "", why, false, ref
			}
			anyRef = anyRef || ref
			parts = append(parts, ps)
		}
		return strings.Join(parts, sep), "", true, anyRef
	case "Fn::Sub":
		return c.sub(arg, depth)
	case "Fn::Select":
		l := arg.list()
		if len(l) != 2 {
			return "", "malformed Fn::Select", false, false
		}
		idx, ok := l[0].integer()
		items := l[1].list()
		if !ok || idx < 0 || idx >= len(items) {
			return "", "Fn::Select index cannot be evaluated", false, false
		}
		return c.eval(items[idx], depth+1)
	case "Fn::ImportValue":
		return "", "Fn::ImportValue is an output of another stack", false, true
	}
	return "", name + " is not evaluated", false, true
}

// sub evaluates Fn::Sub (the string form and the [string, variables] form).
func (c *cfn) sub(arg *val, depth int) (string, string, bool, bool) {
	text, ok := arg.str()
	var vars *val
	if !ok {
		l := arg.list()
		if len(l) != 2 {
			return "", "malformed Fn::Sub", false, false
		}
		text, ok = l[0].str()
		if !ok {
			return "", "malformed Fn::Sub", false, false
		}
		vars = l[1]
	}
	var b strings.Builder
	ref := false
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		name := text[i+2 : i+j]
		text = text[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		ref = true
		if vv := vars.get(name); vv != nil {
			s, why, ok, _ := c.eval(vv, depth+1)
			if !ok {
				return "", why, false, true
			}
			b.WriteString(s)
			continue
		}
		if res, attr, isAtt := strings.Cut(name, "."); isAtt {
			b.WriteString(c.getAtt(res, attr))
			continue
		}
		s, _ := c.ref(name)
		b.WriteString(s)
	}
	return b.String(), "", true, ref
}

// ref evaluates {Ref: id}: a pseudo parameter, or what the resource's Ref
// returns (its ARN for topics, policies, secrets and layers; its name for
// most others).
func (c *cfn) ref(id string) (string, bool) {
	switch id {
	case "AWS::Region":
		return inventory.CurrentRegion, true
	case "AWS::AccountId":
		return inventory.CurrentAccount, true
	case "AWS::Partition":
		return inventory.CurrentPartition, true
	case "AWS::URLSuffix":
		return "amazonaws.com", true
	case "AWS::StackName":
		if c.stackName != "" {
			return c.stackName, true
		}
		return "<AWS::StackName>", true
	case "AWS::StackId":
		return "<AWS::StackId>", true
	}
	typ, name, ok := c.resource(id)
	if !ok {
		return "<" + id + ">", true
	}
	switch typ {
	case "AWS::SNS::Topic", "AWS::IAM::ManagedPolicy", "AWS::SecretsManager::Secret", "AWS::Lambda::LayerVersion":
		return c.getAtt(id, "Arn"), true
	case "AWS::SQS::Queue":
		return "https://sqs." + inventory.CurrentRegion + ".amazonaws.com/" + inventory.CurrentAccount + "/" + name, true
	}
	return name, true
}

// getAtt evaluates {Fn::GetAtt: [id, attr]} to a specific (symbolic) value.
func (c *cfn) getAtt(id, attr string) string {
	typ, name, ok := c.resource(id)
	if !ok {
		return "<" + id + "." + attr + ">"
	}
	region, account := inventory.CurrentRegion, inventory.CurrentAccount
	arn := func(service, rest string) string {
		return "arn:" + inventory.CurrentPartition + ":" + service + ":" + region + ":" + account + ":" + rest
	}
	switch attr {
	case "Arn", "TopicArn":
	case "QueueName", "TopicName":
		return name
	case "StreamArn":
		if typ == "AWS::DynamoDB::Table" {
			return arn("dynamodb", "table/"+name+"/stream/<"+id+".StreamArn>")
		}
		fallthrough
	default:
		return "<" + id + "." + attr + ">"
	}
	switch typ {
	case "AWS::DynamoDB::Table":
		return arn("dynamodb", "table/"+name)
	case "AWS::SQS::Queue":
		return arn("sqs", name)
	case "AWS::SNS::Topic":
		return arn("sns", name)
	case "AWS::S3::Bucket":
		return "arn:" + inventory.CurrentPartition + ":s3:::" + name
	case "AWS::IAM::Role":
		return "arn:" + inventory.CurrentPartition + ":iam::" + account + ":role/" + name
	case "AWS::IAM::ManagedPolicy":
		return "arn:" + inventory.CurrentPartition + ":iam::" + account + ":policy/" + name
	case "AWS::Lambda::Function":
		return arn("lambda", "function:"+name)
	case "AWS::Lambda::LayerVersion":
		return arn("lambda", "layer:"+name+":<"+id+".Version>")
	case "AWS::Kinesis::Stream":
		return arn("kinesis", "stream/"+name)
	case "AWS::Events::Rule":
		return arn("events", "rule/"+name)
	case "AWS::Events::EventBus":
		return arn("events", "event-bus/"+name)
	case "AWS::SecretsManager::Secret":
		return arn("secretsmanager", "secret:"+name)
	case "AWS::StepFunctions::StateMachine":
		return arn("states", "stateMachine:"+name)
	case "AWS::KMS::Key":
		return arn("kms", "key/<"+id+">")
	case "AWS::Logs::LogGroup":
		return arn("logs", "log-group:"+name+":*")
	}
	return "<" + id + "." + attr + ">"
}

// strList evaluates a string or list of strings. unknown is true when some
// element cannot be evaluated (it is left out).
func (c *cfn) strList(v *val) (out []string, unknown bool) {
	for _, x := range v.list() {
		s, _, ok := c.str(x, 0)
		if !ok {
			unknown = true
			continue
		}
		out = append(out, s)
	}
	return out, unknown
}

func sortStrings(s []string) { sort.Strings(s) }

func itoa(i int) string { return strconv.Itoa(i) }
