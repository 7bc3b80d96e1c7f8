package sam

import (
	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// globalsSupported are the properties SAM accepts in Globals per section
// (aws-sam-translator 1.110.0, plugins/globals/globals.py). Others are an
// error for SAM; here they are ignored with a problem.
var globalsSupported = map[string][]string{
	"Function": {"Handler", "Runtime", "CodeUri", "DeadLetterQueue", "Description", "MemorySize", "Timeout",
		"VpcConfig", "Environment", "Tags", "PropagateTags", "Tracing", "KmsKeyArn", "AutoPublishAlias",
		"AutoPublishAliasAllProperties", "Layers", "DeploymentPreference", "RolePath", "PermissionsBoundary",
		"ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig", "AssumeRolePolicyDocument",
		"EventInvokeConfig", "FileSystemConfigs", "CodeSigningConfigArn", "Architectures", "SnapStart",
		"EphemeralStorage", "FunctionUrlConfig", "RuntimeManagementConfig", "LoggingConfig", "RecursiveLoop",
		"SourceKMSKeyArn", "TenancyConfig", "DurableConfig", "CapacityProviderConfig", "FunctionScalingConfig",
		"PublishToLatestPublished", "VersionDeletionPolicy"},
	"Api": {"Auth", "Name", "DefinitionUri", "CacheClusterEnabled", "CacheClusterSize", "MergeDefinitions",
		"Variables", "EndpointConfiguration", "MethodSettings", "BinaryMediaTypes", "MinimumCompressionSize",
		"Cors", "GatewayResponses", "AccessLogSetting", "CanarySetting", "TracingEnabled", "OpenApiVersion",
		"Domain", "AlwaysDeploy", "PropagateTags", "SecurityPolicy", "EndpointAccessMode"},
	"HttpApi": {"Auth", "AccessLogSettings", "StageVariables", "Tags", "CorsConfiguration", "DefaultRouteSettings",
		"Domain", "RouteSettings", "FailOnWarnings", "PropagateTags"},
	"SimpleTable":  {"SSESpecification"},
	"StateMachine": {"PropagateTags"},
	"LayerVersion": {"PublishLambdaVersion"},
}

// globalsFor returns the Globals section for a SAM resource type
// ("Function", "Api", ...) keeping only supported properties, and the
// problems found.
func globalsFor(globals *yaml.Node, section string) (*yaml.Node, []Problem) {
	g := template.Get(globals, section)
	if g == nil || g.Kind != yaml.MappingNode {
		return nil, nil
	}
	allowed := map[string]bool{}
	for _, p := range globalsSupported[section] {
		allowed[p] = true
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: g.Line, Column: g.Column}
	var probs []Problem
	for i := 0; i+1 < len(g.Content); i += 2 {
		if !allowed[g.Content[i].Value] {
			probs = append(probs, Problem{Line: g.Content[i].Line, Message: "Globals." + section + "." + g.Content[i].Value + " is not a property SAM takes from Globals; ignored"})
			continue
		}
		out.Content = append(out.Content, g.Content[i], g.Content[i+1])
	}
	return out, probs
}

// ignoreGlobals drops the properties named by a resource's IgnoreGlobals
// attribute ("*" or a list) from g.
func ignoreGlobals(g, ignore *yaml.Node) *yaml.Node {
	ignore = template.Deref(ignore)
	if g == nil || ignore == nil {
		return g
	}
	if ignore.Kind == yaml.ScalarNode && ignore.Value == "*" {
		return nil
	}
	drop := map[string]bool{}
	for _, c := range ignore.Content {
		if c = template.Deref(c); c != nil && c.Kind == yaml.ScalarNode {
			drop[c.Value] = true
		}
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: g.Line, Column: g.Column}
	for i := 0; i+1 < len(g.Content); i += 2 {
		if !drop[g.Content[i].Value] {
			out.Content = append(out.Content, g.Content[i], g.Content[i+1])
		}
	}
	return out
}

// mergeGlobals merges global properties g under a resource's properties
// local the way SAM does: maps merge key by key (recursively), lists are
// concatenated (global items first), and for scalars, intrinsics or values
// of different shapes the local value wins.
func mergeGlobals(g, local *yaml.Node) *yaml.Node {
	g, local = template.Deref(g), template.Deref(local)
	switch {
	case g == nil:
		return local
	case local == nil:
		return g
	}
	tg, tl := token(g), token(local)
	if tg != tl || tg == tokenScalar {
		return local
	}
	if tg == tokenList {
		out := *local
		out.Content = append(append([]*yaml.Node{}, g.Content...), local.Content...)
		return &out
	}
	out := *g
	out.Line, out.Column = local.Line, local.Column
	out.Content = append([]*yaml.Node{}, g.Content...)
	for i := 0; i+1 < len(local.Content); i += 2 {
		k := local.Content[i]
		merged := false
		for j := 0; j+1 < len(out.Content); j += 2 {
			if out.Content[j].Value == k.Value {
				out.Content[j] = k
				out.Content[j+1] = mergeGlobals(out.Content[j+1], local.Content[i+1])
				merged = true
				break
			}
		}
		if !merged {
			out.Content = append(out.Content, k, local.Content[i+1])
		}
	}
	return &out
}

const (
	tokenScalar = iota
	tokenList
	tokenMap
)

func token(n *yaml.Node) int {
	switch {
	case isIntrinsic(n):
		return tokenScalar
	case n.Kind == yaml.MappingNode:
		return tokenMap
	case n.Kind == yaml.SequenceNode:
		return tokenList
	}
	return tokenScalar
}
