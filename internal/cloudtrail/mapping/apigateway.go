package mapping

import (
	"encoding/json"
	"strings"
)

// API Gateway authorises its management API with HTTP-verb actions
// (apigateway:GET, POST, PUT, PATCH, DELETE) on the path of the resource
// the call addresses. The data's rule takes the verb and path from the
// AWS SDK's operation model, which is not bundled; this file derives them
// from the event name's verb and the identifiers in requestParameters,
// which gives the same verb and path for the common operations (get,
// create, update, delete of APIs, resources, methods, stages, deployments,
// authorizers, routes, integrations, models, keys, usage plans, domain
// names) and a path one level too general for the rest.

// apiGatewayVerbs maps an event name's leading verb to the HTTP method.
var apiGatewayVerbs = [...]struct{ prefix, method string }{
	{"Create", "POST"},
	{"Delete", "DELETE"},
	{"Export", "GET"},
	{"Flush", "DELETE"},
	{"Generate", "POST"},
	{"Get", "GET"},
	{"Import", "PUT"},
	{"Put", "PUT"},
	{"Reimport", "PUT"},
	{"Reset", "DELETE"},
	{"Tag", "PUT"},
	{"Test", "POST"},
	{"Untag", "DELETE"},
	{"Update", "PATCH"},
}

// apiGatewayPath lists the identifiers of requestParameters in path order,
// with the collection segment each one follows. root marks identifiers
// that start a path (a create keeps them: they name the parent).
var apiGatewayPath = [...]struct {
	param, segment string
	root           bool
}{
	{"restApiId", "restapis", true},
	{"apiId", "apis", true},
	{"domainName", "domainnames", true},
	{"usagePlanId", "usageplans", true},
	{"vpcLinkId", "vpclinks", true},
	{"apiKey", "apikeys", true},
	{"clientCertificateId", "clientcertificates", true},
	{"resourceId", "resources", false},
	{"httpMethod", "methods", false},
	{"routeId", "routes", false},
	{"integrationId", "integrations", false},
	{"stageName", "stages", false},
	{"deploymentId", "deployments", false},
	{"authorizerId", "authorizers", false},
	{"modelName", "models", false},
	{"modelId", "models", false},
	{"requestValidatorId", "requestvalidators", false},
	{"basePath", "basepathmappings", false},
	{"apiMappingId", "apimappings", false},
	{"keyId", "keys", false},
}

// apiGatewayCollection maps an event name's noun to its collection segment.
func apiGatewayCollection(noun string) string {
	switch noun {
	case "Api":
		return "apis"
	case "ApiKey":
		return "apikeys"
	case "ApiMapping":
		return "apimappings"
	case "Authorizer":
		return "authorizers"
	case "BasePathMapping":
		return "basepathmappings"
	case "ClientCertificate":
		return "clientcertificates"
	case "Deployment":
		return "deployments"
	case "DomainName":
		return "domainnames"
	case "Integration":
		return "integrations"
	case "Method":
		return "methods"
	case "Model":
		return "models"
	case "RequestValidator":
		return "requestvalidators"
	case "Resource":
		return "resources"
	case "RestApi":
		return "restapis"
	case "Route":
		return "routes"
	case "Stage":
		return "stages"
	case "UsagePlan":
		return "usageplans"
	case "UsagePlanKey":
		return "keys"
	case "VpcLink":
		return "vpclinks"
	}
	return ""
}

// apiGateway maps an API Gateway management event; ok is false when the
// event name has no known verb (the default rule then applies).
func (m *Mapper) apiGateway(ev Event) (Result, bool) {
	method, noun := "", ""
	for _, v := range apiGatewayVerbs {
		if rest, ok := strings.CutPrefix(ev.Name, v.prefix); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			method, noun = v.method, rest
			break
		}
	}
	if method == "" {
		return Result{}, false
	}
	action, ok := m.catalog.Lookup("apigateway:" + method)
	if !ok {
		return Result{}, false
	}
	params := map[string]any{}
	if len(ev.RequestParameters) > 0 {
		_ = json.Unmarshal(ev.RequestParameters, &params) // unreadable: no identifiers
	}
	str := func(k string) string {
		s, _ := params[k].(string)
		if strings.ContainsAny(s, "/*?") && k != "basePath" {
			return "*"
		}
		return s
	}
	create := method == "POST" && strings.HasPrefix(ev.Name, "Create")
	collection, plural := apiGatewayCollection(noun), false
	if collection == "" {
		if c := apiGatewayCollection(strings.TrimSuffix(noun, "s")); c != "" && method == "GET" {
			collection, plural = c, true
		}
	}
	var b strings.Builder
	for _, p := range apiGatewayPath {
		v := str(p.param)
		if v == "" || (create && !p.root) || ((create || plural) && p.segment == collection) {
			continue
		}
		b.WriteString("/" + p.segment + "/" + v)
	}
	if (create || plural) && collection != "" {
		b.WriteString("/" + collection)
	}
	path := b.String()
	if path == "" {
		path = "/*"
	}
	region := ev.Region
	if region == "" {
		region = "*"
	}
	partition := ev.Partition
	if partition == "" {
		partition = "aws"
	}
	return Result{
		Rule:      RuleAPIGateway,
		Actions:   []string{action.String()},
		Resources: []string{"arn:" + partition + ":apigateway:" + region + "::" + path},
		Reason:    provenance.APIGatewayRule,
	}, true
}
