// Package sam expands AWS SAM resources (AWS::Serverless-2016-10-31) into
// the CloudFormation resources the SAM translator generates for them, as
// YAML nodes placed at the SAM text they come from: Globals merged the way
// SAM merges them, the implicit execution role with its managed policies,
// inline statements and policy templates, the permissions that Events
// create, function URLs, aliases and event invoke configs, with SAM's
// logical IDs. The behaviour follows aws-sam-translator 1.110.0.
package sam

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/intrinsics"
	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// Resource is a CloudFormation resource after the transform.
type Resource struct {
	LogicalID string
	// Node is the resource: a mapping with Type, Properties, Condition,
	// Metadata.
	Node *yaml.Node
	// Key is the node of the logical ID in the template (for a generated
	// resource, the key of the SAM resource it comes from).
	Key *yaml.Node
	// From is the logical ID of the SAM resource the resource was generated
	// from; empty for a resource written in the template as is.
	From string
}

// Route is an API route that a function's Api or HttpApi event creates.
type Route struct {
	// API is the logical ID of the API (ServerlessRestApi or
	// ServerlessHttpApi for the implicit ones).
	API    string
	Method string
	Path   string
	// Function is the function's logical ID.
	Function string
	// Authorization is NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS or JWT; ""
	// when it cannot be told.
	Authorization string
	// Node is the event's node, for locations.
	Node *yaml.Node
	// Condition is the function's condition, if any.
	Condition string
}

// Problem is something in the SAM part of a template that the transform
// could not use, at a line.
type Problem struct {
	Line    int
	Message string
	// Warning marks a SAM feature that is valid but not modelled (the
	// template is fine; the scan just does not see what it creates).
	Warning bool
}

// Options tune the transform.
type Options struct {
	// ManagedPolicyARN maps the name of an AWS-managed policy (as written in
	// Policies) to its ARN; ok=false leaves the name as written, as SAM does.
	ManagedPolicyARN func(name string) (arn string, ok bool)
	// Templates are the policy templates; nil uses the embedded ones.
	Templates PolicyTemplates
}

// Result is the transformed template.
type Result struct {
	Resources []Resource
	Routes    []Route
	Problems  []Problem
}

// Implicit API logical IDs.
const (
	implicitRestAPI = "ServerlessRestApi"
	implicitHTTPAPI = "ServerlessHttpApi"
)

type transformer struct {
	t    *template.Template
	env  *intrinsics.Env
	opts Options
	out  Result

	fnGlobals, apiGlobals, httpGlobals, layerGlobals *yaml.Node
	// byID are the template's resources by logical ID.
	byID map[string]*yaml.Node
	// implicit APIs used by events, created at the end.
	needRest, needHTTP bool
	// codeDeployRole is set once the shared CodeDeploy role is emitted.
	codeDeployRole bool
}

// Transform expands the SAM resources of t. env is the template's
// environment, used for the few values SAM resolves while transforming
// (alias names, Tracing, stage names).
func Transform(t *template.Template, env *intrinsics.Env, opts Options) *Result {
	x := &transformer{t: t, env: env, opts: opts, byID: map[string]*yaml.Node{}}
	if x.opts.Templates == nil {
		pt, err := EmbeddedPolicyTemplates()
		if err != nil {
			x.problem(t.Root, err.Error())
		}
		x.opts.Templates = pt
	}
	if g := template.Deref(t.Globals); g != nil && g.Kind != yaml.MappingNode {
		x.problem(g, "Globals must be a mapping")
	}
	template.Pairs(t.Globals, func(k, _ *yaml.Node) {
		if _, ok := globalsSupported[k.Value]; !ok {
			x.problem(k, "Globals."+k.Value+" is not a section SAM supports; ignored")
		}
	})
	var probs []Problem
	x.fnGlobals, probs = globalsFor(t.Globals, "Function")
	x.out.Problems = append(x.out.Problems, probs...)
	x.apiGlobals, probs = globalsFor(t.Globals, "Api")
	x.out.Problems = append(x.out.Problems, probs...)
	x.httpGlobals, probs = globalsFor(t.Globals, "HttpApi")
	x.out.Problems = append(x.out.Problems, probs...)
	x.layerGlobals, _ = globalsFor(t.Globals, "LayerVersion")

	template.Pairs(t.Resources, func(k, v *yaml.Node) { x.byID[k.Value] = v })
	template.Pairs(t.Resources, func(k, v *yaml.Node) {
		typ := template.Get(v, "Type")
		if typ == nil || typ.Kind != yaml.ScalarNode || !strings.HasPrefix(typ.Value, "AWS::Serverless::") {
			x.emit(k.Value, v, k, "")
			return
		}
		switch typ.Value {
		case "AWS::Serverless::Function":
			x.function(k, v)
		case "AWS::Serverless::LayerVersion":
			x.layer(k, v)
		case "AWS::Serverless::Api":
			x.api(k, v, "AWS::ApiGateway::RestApi", x.apiGlobals)
		case "AWS::Serverless::HttpApi":
			x.api(k, v, "AWS::ApiGatewayV2::Api", x.httpGlobals)
		case "AWS::Serverless::SimpleTable":
			a := atNode(k)
			props := a.mapping("TableName", template.Get(template.Get(v, "Properties"), "TableName"))
			x.emit(k.Value, a.resource("AWS::DynamoDB::Table", props, template.Get(v, "Condition")), k, k.Value)
		case "AWS::Serverless::Application":
			x.application(k, v)
		case "AWS::Serverless::StateMachine":
			a := atNode(k)
			props := a.mapping("StateMachineName", template.Get(template.Get(v, "Properties"), "Name"))
			x.emit(k.Value, a.resource("AWS::StepFunctions::StateMachine", props, template.Get(v, "Condition")), k, k.Value)
		default:
			// Connectors, GraphQL APIs, capacity providers: kept as written.
			x.emit(k.Value, v, k, "")
		}
	})
	if x.needRest && x.byID[implicitRestAPI] == nil {
		a := atNode(t.Resources)
		x.emit(implicitRestAPI, a.resource("AWS::ApiGateway::RestApi", nil, nil), t.Resources, implicitRestAPI)
		x.authorizerPermissions(implicitRestAPI, t.Resources, template.Get(x.apiGlobals, "Auth"), false, nil)
	}
	if x.needHTTP && x.byID[implicitHTTPAPI] == nil {
		a := atNode(t.Resources)
		x.emit(implicitHTTPAPI, a.resource("AWS::ApiGatewayV2::Api", nil, nil), t.Resources, implicitHTTPAPI)
		x.authorizerPermissions(implicitHTTPAPI, t.Resources, template.Get(x.httpGlobals, "Auth"), true, nil)
	}
	return &x.out
}

func (x *transformer) emit(id string, node, key *yaml.Node, from string) {
	x.out.Resources = append(x.out.Resources, Resource{LogicalID: id, Node: node, Key: key, From: from})
}

func (x *transformer) problem(n *yaml.Node, msg string) {
	x.out.Problems = append(x.out.Problems, Problem{Line: lineOf(n), Message: msg})
}

// warn records a valid SAM feature that is not modelled.
func (x *transformer) warn(n *yaml.Node, msg string) {
	x.out.Problems = append(x.out.Problems, Problem{Line: lineOf(n), Message: msg, Warning: true})
}

func lineOf(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

// scalar resolves n to a string when SAM would (parameter references).
func (x *transformer) scalar(n *yaml.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	return x.env.Resolve(n).Scalar()
}

func (x *transformer) layer(k, v *yaml.Node) {
	a := atNode(k)
	props := mergeGlobals(ignoreGlobals(x.layerGlobals, template.Get(v, "IgnoreGlobals")), template.Get(v, "Properties"))
	out := a.mapping()
	for _, p := range []string{"LayerName", "Description", "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo"} {
		set(out, p, template.Get(props, p))
	}
	set(out, "Content", x.code(template.Get(props, "ContentUri")))
	x.emit(k.Value, x.withMetadata(a.resource("AWS::Lambda::LayerVersion", out, template.Get(v, "Condition")), v), k, k.Value)
}

func (x *transformer) api(k, v *yaml.Node, typ string, globals *yaml.Node) {
	a := atNode(k)
	props := mergeGlobals(ignoreGlobals(globals, template.Get(v, "IgnoreGlobals")), template.Get(v, "Properties"))
	out := a.mapping()
	set(out, "Name", template.Get(props, "Name"))
	set(out, "Body", template.Get(props, "DefinitionBody"))
	x.emit(k.Value, x.withMetadata(a.resource(typ, out, template.Get(v, "Condition")), v), k, k.Value)
	x.authorizerPermissions(k.Value, k, template.Get(props, "Auth"), typ == "AWS::ApiGatewayV2::Api", template.Get(v, "Condition"))
}

// authorizerPermissions adds the permissions SAM gives API Gateway to call
// Lambda authorizers (for HTTP APIs only when asked).
func (x *transformer) authorizerPermissions(apiID string, key, auth *yaml.Node, http bool, cond *yaml.Node) {
	template.Pairs(template.Get(auth, "Authorizers"), func(name, def *yaml.Node) {
		fn := template.Get(def, "FunctionArn")
		if fn == nil {
			return
		}
		if http {
			if s, ok := x.scalar(template.Get(def, "EnableFunctionDefaultPermissions")); !ok || s != "true" {
				return
			}
		} else if s, ok := x.scalar(template.Get(def, "DisableFunctionDefaultPermissions")); ok && s == "true" {
			return
		}
		a := atNode(name)
		arn := "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*"
		if http {
			arn = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*"
		}
		p := a.mapping("Action", "lambda:InvokeFunction", "FunctionName", fn, "Principal", "apigateway.amazonaws.com",
			"SourceArn", a.sub(arn, "__ApiId__", a.ref(apiID)))
		x.emit(apiID+name.Value+"AuthorizerPermission", a.resource("AWS::Lambda::Permission", p, cond), key, apiID)
	})
}

func (x *transformer) application(k, v *yaml.Node) {
	a := atNode(k)
	props := template.Get(v, "Properties")
	out := a.mapping()
	if loc := template.Get(props, "Location"); loc != nil && loc.Kind == yaml.ScalarNode {
		set(out, "TemplateURL", loc)
	}
	set(out, "Parameters", template.Get(props, "Parameters"))
	x.emit(k.Value, x.withMetadata(a.resource("AWS::CloudFormation::Stack", out, template.Get(v, "Condition")), v), k, k.Value)
}

// withMetadata copies the SAM resource's Metadata (inline waivers, CDK or
// SAM build hints) to the generated resource.
func (x *transformer) withMetadata(r, from *yaml.Node) *yaml.Node {
	if md := template.Get(from, "Metadata"); md != nil {
		set(r, "Metadata", md)
	}
	return r
}

// code converts CodeUri / ContentUri to a Code / Content property: an S3
// URI or {Bucket, Key, Version} map to S3 locations, a local path stays a
// string (the loader resolves it against the template's folder).
func (x *transformer) code(uri *yaml.Node) *yaml.Node {
	uri = template.Deref(uri)
	if uri == nil {
		return nil
	}
	a := atNode(uri)
	bucketKey, keyKey, verKey := "S3Bucket", "S3Key", "S3ObjectVersion"
	switch {
	case uri.Kind == yaml.MappingNode && !isIntrinsic(uri):
		return a.mapping(bucketKey, template.Get(uri, "Bucket"), keyKey, template.Get(uri, "Key"), verKey, template.Get(uri, "Version"))
	case uri.Kind == yaml.ScalarNode && strings.HasPrefix(uri.Value, "s3://"):
		rest := strings.TrimPrefix(uri.Value, "s3://")
		bucket, key, _ := strings.Cut(rest, "/")
		key, version, _ := strings.Cut(key, "?versionId=")
		m := a.mapping(bucketKey, bucket, keyKey, key)
		if version != "" {
			set(m, verKey, a.str(version))
		}
		return m
	}
	return uri
}

// problemf records a problem at n.
func (x *transformer) problemf(n *yaml.Node, format string, args ...any) {
	x.problem(n, fmt.Sprintf(format, args...))
}
