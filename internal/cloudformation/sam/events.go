package sam

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// pathParam matches API path parameters, which SAM turns into * in the
// permission's SourceArn.
var pathParam = regexp.MustCompile(`{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\+|proxy\+)}`)

func (x *transformer) events(f *fnState) {
	template.Pairs(f.get("Events"), func(k, ev *yaml.Node) {
		typ, _ := x.scalar(template.Get(ev, "Type"))
		props := template.Get(ev, "Properties")
		id := f.id + k.Value
		a := atNode(k)
		permission := func(suffix, principal string, kv ...any) {
			p := a.mapping("Action", "lambda:InvokeFunction", "FunctionName", f.target(a), "Principal", principal)
			for i := 0; i+1 < len(kv); i += 2 {
				switch v := kv[i+1].(type) {
				case *yaml.Node:
					set(p, kv[i].(string), v)
				case string:
					set(p, kv[i].(string), a.str(v))
				}
			}
			x.later(f, id+"Permission"+suffix, a.resource("AWS::Lambda::Permission", p, f.cond))
		}
		switch typ {
		case "Api":
			x.apiEvent(f, k, ev, props, permission)
		case "HttpApi":
			x.httpAPIEvent(f, k, ev, props, permission)
		case "S3":
			permission("", "s3.amazonaws.com", "SourceAccount", a.ref("AWS::AccountId"))
		case "SNS":
			if template.Get(props, "SqsSubscription") != nil {
				x.warn(k, "SNS event "+k.Value+" with SqsSubscription is not modelled")
				return
			}
			permission("", "sns.amazonaws.com", "SourceArn", template.Get(props, "Topic"))
		case "SQS":
			x.pollerPolicy(f, sqsExecutionARN, a)
		case "Kinesis":
			x.pollerPolicy(f, kinesisExecutionARN, a)
		case "DynamoDB":
			x.pollerPolicy(f, dynamoExecutionARN, a)
		case "MSK":
			x.pollerPolicy(f, mskExecutionARN, a)
		case "Schedule":
			rule := a.mapping("ScheduleExpression", template.Get(props, "Schedule"), "Name", template.Get(props, "Name"))
			x.later(f, id, a.resource("AWS::Events::Rule", rule, f.cond))
			permission("", "events.amazonaws.com", "SourceArn", a.getAtt(id, "Arn"))
		case "EventBridgeRule", "CloudWatchEvent":
			rule := a.mapping("EventPattern", template.Get(props, "Pattern"), "EventBusName", template.Get(props, "EventBusName"),
				"Name", template.Get(props, "RuleName"))
			x.later(f, id, a.resource("AWS::Events::Rule", rule, f.cond))
			permission("", "events.amazonaws.com", "SourceArn", a.getAtt(id, "Arn"))
		case "ScheduleV2":
			x.scheduleV2(f, k, props, id)
		case "CloudWatchLogs":
			permission("", "logs.amazonaws.com", "SourceArn", a.sub(
				"arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*",
				"__LogGroupName__", template.Get(props, "LogGroupName")))
		case "IoTRule":
			x.later(f, id, a.resource("AWS::IoT::TopicRule", nil, f.cond))
			permission("", "iot.amazonaws.com",
				"SourceArn", a.sub("arn:aws:iot:${AWS::Region}:${AWS::AccountId}:rule/${RuleName}", "RuleName", a.ref(id)),
				"SourceAccount", a.sub("${AWS::AccountId}"))
		case "AlexaSkill":
			permission("", "alexa-appkit.amazon.com", "EventSourceToken", template.Get(props, "SkillId"))
		case "Cognito":
			pool := template.Get(props, "UserPool")
			var arn *yaml.Node
			if r := template.Get(pool, "Ref"); r != nil && r.Kind == yaml.ScalarNode {
				arn = a.getAtt(r.Value, "Arn")
			} else if pool != nil && pool.Tag == "!Ref" {
				arn = a.getAtt(pool.Value, "Arn")
			}
			// SAM names this one after the function or alias it targets.
			prefix := f.id
			if f.aliasID != "" {
				prefix = f.aliasID
			}
			p := a.mapping("Action", "lambda:InvokeFunction", "FunctionName", f.target(a),
				"Principal", "cognito-idp.amazonaws.com", "SourceArn", arn)
			x.later(f, prefix+"CognitoPermission", a.resource("AWS::Lambda::Permission", p, f.cond))
		default:
			x.warn(k, "event "+k.Value+" of "+f.id+": type "+strings.TrimSpace(typ)+" is not modelled")
		}
	})
}

// pollerPolicy adds the managed policy a poll-based event source needs to
// the role SAM creates (these sources need no resource-based permission).
func (x *transformer) pollerPolicy(f *fnState, arn string, a at) {
	if f.createRole {
		f.addManaged(a.str(arn))
	}
}

func (x *transformer) scheduleV2(f *fnState, k, props *yaml.Node, id string) {
	a := atNode(k)
	target := a.mapping("Arn", f.target(a))
	if r := template.Get(props, "RoleArn"); r != nil {
		set(target, "RoleArn", r)
	} else {
		roleID := id + "Role"
		set(target, "RoleArn", a.getAtt(roleID, "Arn"))
		role := a.mapping(
			"AssumeRolePolicyDocument", a.mapping("Version", "2012-10-17", "Statement", a.seq(a.mapping(
				"Action", a.strs("sts:AssumeRole"), "Effect", "Allow",
				"Principal", a.mapping("Service", a.strs("scheduler.amazonaws.com"))))),
			"Policies", a.seq(a.mapping("PolicyName", id+"LambdaPolicy", "PolicyDocument", a.mapping(
				"Statement", a.seq(a.mapping("Action", "lambda:InvokeFunction", "Effect", "Allow", "Resource", f.target(a)))))),
		)
		x.later(f, roleID, a.resource("AWS::IAM::Role", role, f.cond))
	}
	name := template.Get(props, "Name")
	if name == nil {
		name = a.str(id)
	}
	x.later(f, id, a.resource("AWS::Scheduler::Schedule", a.mapping("Name", name,
		"ScheduleExpression", template.Get(props, "ScheduleExpression"), "Target", target), f.cond))
}

// apiLogicalID returns the logical ID an event's RestApiId/ApiId refers to.
func apiLogicalID(n *yaml.Node) (string, bool) {
	n = template.Deref(n)
	switch {
	case n == nil:
		return "", false
	case n.Tag == "!Ref":
		return n.Value, true
	case n.Kind == yaml.ScalarNode && !isIntrinsic(n):
		return n.Value, true
	}
	if r := template.Get(n, "Ref"); r != nil && r.Kind == yaml.ScalarNode && len(n.Content) == 2 {
		return r.Value, true
	}
	return "", false
}

type permissionFunc func(suffix, principal string, kv ...any)

func (x *transformer) apiEvent(f *fnState, k, ev, props *yaml.Node, permission permissionFunc) {
	a := atNode(k)
	path, _ := x.scalar(template.Get(props, "Path"))
	method, _ := x.scalar(template.Get(props, "Method"))
	apiNode := template.Get(props, "RestApiId")
	apiID, suffix := implicitRestAPI, "Prod"
	var apiRef *yaml.Node
	if apiNode == nil {
		x.needRest = true
		apiRef = a.ref(implicitRestAPI)
	} else {
		apiRef = apiNode
		suffix = "AllStages"
		if id, ok := apiLogicalID(apiNode); ok && x.byID[id] != nil {
			apiID = id
			suffix = "Stage"
			if st := template.Get(template.Get(x.byID[id], "Properties"), "StageName"); st != nil && st.Kind == yaml.ScalarNode && !isIntrinsic(st) {
				suffix = st.Value
			}
		} else {
			apiID = ""
		}
	}
	m := "*"
	if !strings.EqualFold(method, "any") {
		m = strings.ToUpper(method)
	}
	p := strings.TrimSuffix(path, "/")
	if p == "" {
		p = path
	}
	p = pathParam.ReplaceAllString(p, "*")
	permission(suffix, "apigateway.amazonaws.com", "SourceArn", a.sub(
		"arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/"+m+p,
		"__ApiId__", apiRef, "__Stage__", "*"))
	if apiID == "" {
		return
	}
	auth := template.Get(x.apiProps(apiID, x.apiGlobals), "Auth")
	x.out.Routes = append(x.out.Routes, Route{
		API: apiID, Method: routeMethod(method), Path: path, Function: f.id, Node: k,
		Authorization: authorization(template.Get(template.Get(props, "Auth"), "Authorizer"), auth, x),
		Condition:     condName(f.cond),
	})
}

func (x *transformer) httpAPIEvent(f *fnState, k, ev, props *yaml.Node, permission permissionFunc) {
	a := atNode(k)
	path, okPath := x.scalar(template.Get(props, "Path"))
	method, okMethod := x.scalar(template.Get(props, "Method"))
	if !okPath && !okMethod {
		path, method = "$default", "x-amazon-apigateway-any-method"
	}
	apiNode := template.Get(props, "ApiId")
	apiID := implicitHTTPAPI
	var apiRef *yaml.Node
	if apiNode == nil {
		x.needHTTP = true
		apiRef = a.ref(implicitHTTPAPI)
	} else {
		apiRef = apiNode
		if id, ok := apiLogicalID(apiNode); ok && x.byID[id] != nil {
			apiID = id
		} else {
			apiID = ""
		}
	}
	p := strings.TrimSuffix(path, "/")
	if p == "" {
		p = path
	}
	if p == "$default" {
		p = ""
	}
	p = pathParam.ReplaceAllString(p, "*")
	m := strings.ToUpper(method)
	if strings.EqualFold(method, "any") || method == "x-amazon-apigateway-any-method" {
		m = "*"
	}
	resource := "${__ApiId__}/${__Stage__}"
	if m == "*" && p == "/$default" {
		resource += p
	} else {
		resource += "/" + m + p
	}
	permission("", "apigateway.amazonaws.com", "SourceArn", a.sub(
		"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"+resource,
		"__ApiId__", apiRef, "__Stage__", "*"))
	if apiID == "" {
		return
	}
	auth := template.Get(x.apiProps(apiID, x.httpGlobals), "Auth")
	x.out.Routes = append(x.out.Routes, Route{
		API: apiID, Method: routeMethod(method), Path: path, Function: f.id, Node: k,
		Authorization: authorization(template.Get(template.Get(props, "Auth"), "Authorizer"), auth, x),
		Condition:     condName(f.cond),
	})
}

// apiProps returns an API's properties merged with Globals (for the
// implicit APIs, the Globals alone).
func (x *transformer) apiProps(apiID string, globals *yaml.Node) *yaml.Node {
	if apiID == implicitRestAPI || apiID == implicitHTTPAPI {
		if r := x.byID[apiID]; r == nil {
			return globals
		}
	}
	r := x.byID[apiID]
	return mergeGlobals(ignoreGlobals(globals, template.Get(r, "IgnoreGlobals")), template.Get(r, "Properties"))
}

func routeMethod(m string) string {
	if strings.EqualFold(m, "any") || m == "x-amazon-apigateway-any-method" {
		return "ANY"
	}
	return strings.ToUpper(m)
}

func condName(n *yaml.Node) string {
	if n = template.Deref(n); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// authorization tells a route's authorization from the event's Authorizer
// or the API's DefaultAuthorizer and Authorizers.
func authorization(eventAuthorizer, apiAuth *yaml.Node, x *transformer) string {
	name := ""
	if eventAuthorizer != nil {
		s, ok := x.scalar(eventAuthorizer)
		if !ok {
			return ""
		}
		name = s
	} else if d := template.Get(apiAuth, "DefaultAuthorizer"); d != nil {
		s, ok := x.scalar(d)
		if !ok {
			return ""
		}
		name = s
	}
	switch name {
	case "", "NONE":
		return "NONE"
	case "AWS_IAM":
		return "AWS_IAM"
	}
	def := template.Get(template.Get(apiAuth, "Authorizers"), name)
	switch {
	case def == nil:
		return ""
	case template.Get(def, "UserPoolArn") != nil:
		return "COGNITO_USER_POOLS"
	case template.Get(def, "JwtConfiguration") != nil:
		return "JWT"
	}
	return "CUSTOM"
}
