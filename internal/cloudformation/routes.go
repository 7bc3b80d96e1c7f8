package cloudformation

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/intrinsics"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// routeID names a route defined inside an API's body or by a SAM event:
// the API's inventory ID, the method and the path.
func routeID(api, method, path string) string { return api + " " + method + " " + path }

// routeResource converts an AWS::ApiGateway::Method or
// AWS::ApiGatewayV2::Route integrated with a Lambda function.
func (st *stack) routeResource(r *resource) {
	var fn inventory.Value[inventory.Ref]
	if r.r.Type == "AWS::ApiGateway::Method" {
		fn = st.functionFromURI(r.prop("Integration", "Uri"))
	} else {
		for _, t := range r.prop("Target").Targets {
			if ir := st.l.byID[t]; ir != nil && ir.r.Type == "AWS::ApiGatewayV2::Integration" {
				fn = ir.st.functionFromURI(ir.prop("IntegrationUri"))
			}
		}
	}
	if fn.IsAbsent() {
		return
	}
	auth := r.prop("AuthorizationType")
	route := &inventory.APIRoute{Item: st.item(r), Function: fn, Authorization: strVal(auth)}
	if absent(auth) {
		route.Authorization = inventory.Of("NONE", r.loc())
	}
	st.l.inv.APIRoutes = append(st.l.inv.APIRoutes, route)
}

// functionFromURI finds the function an API integration URI invokes
// (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations,
// or a function ARN). It is absent for integrations that are not Lambda.
func (st *stack) functionFromURI(v *intrinsics.Value) inventory.Value[inventory.Ref] {
	switch {
	case absent(v):
		return inventory.Value[inventory.Ref]{}
	case v.Kind == intrinsics.Unknown:
		return unknownOf[inventory.Ref](v)
	}
	for _, t := range v.Targets {
		r := st.l.byID[t]
		if r == nil {
			continue
		}
		switch r.r.Type {
		case "AWS::Lambda::Function":
			return inventory.Of(inventory.Ref{ID: r.id(), Name: st.l.functionName(r)}, v.Loc)
		case "AWS::Lambda::Alias", "AWS::Lambda::Version":
			fn, _ := r.st.functionRef(r.prop("FunctionName"))
			fn.Loc = v.Loc
			return fn
		}
	}
	s, ok := v.Scalar()
	if !ok {
		return inventory.Value[inventory.Ref]{}
	}
	if i := strings.Index(s, "functions/"); i >= 0 {
		s = strings.TrimSuffix(s[i+len("functions/"):], "/invocations")
	}
	if !strings.Contains(s, ":function:") {
		return inventory.Value[inventory.Ref]{}
	}
	return inventory.Of(inventory.Ref{Name: s}, v.Loc)
}

func (l *loader) functionName(r *resource) string {
	return r.st.env.ResourceName(r.r.LogicalID)
}

var bodyMethods = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "patch": "PATCH",
	"head": "HEAD", "options": "OPTIONS", "x-amazon-apigateway-any-method": "ANY",
}

// bodyRoutes reads the routes of an API's OpenAPI/Swagger Body that are
// integrated with Lambda functions, with their authorization.
func (st *stack) bodyRoutes(r *resource) {
	body := r.prop("Body")
	if absent(body) || body.Kind != intrinsics.Map {
		return
	}
	schemes := body.Field("securityDefinitions")
	if schemes == nil {
		schemes = body.Get("components", "securitySchemes")
	}
	top := body.Field("security")
	paths := body.Field("paths")
	if paths == nil || paths.Kind != intrinsics.Map {
		return
	}
	for _, p := range paths.Fields {
		if p.Value.Kind != intrinsics.Map {
			continue
		}
		for _, m := range p.Value.Fields {
			method, ok := bodyMethods[strings.ToLower(m.Key)]
			if !ok {
				continue
			}
			fn := st.functionFromURI(m.Value.Get("x-amazon-apigateway-integration", "uri"))
			if fn.IsAbsent() {
				continue
			}
			sec := m.Value.Field("security")
			if sec == nil {
				sec = top
			}
			item := st.item(r)
			item.ID = routeID(r.id(), method, p.Key)
			item.Loc = m.KeyLoc
			st.l.inv.APIRoutes = append(st.l.inv.APIRoutes, &inventory.APIRoute{
				Item: item, Function: fn, Authorization: authFromSecurity(sec, schemes, m.KeyLoc),
			})
		}
	}
}

// authFromSecurity tells a body route's authorization from its security
// requirements and the API's security schemes.
func authFromSecurity(sec, schemes *intrinsics.Value, loc srcloc.Location) inventory.Value[string] {
	if sec.IsUnknown() {
		return unknownOf[string](sec)
	}
	reqs := sec.List()
	if len(reqs) == 0 || reqs[0].Kind != intrinsics.Map || len(reqs[0].Fields) == 0 {
		return inventory.Of("NONE", loc)
	}
	name := reqs[0].Fields[0].Key
	if name == "NONE" {
		return inventory.Of("NONE", loc)
	}
	scheme := schemes.Field(name)
	authType, _ := scheme.Field("x-amazon-apigateway-authtype").Scalar()
	authorizerType, _ := scheme.Get("x-amazon-apigateway-authorizer", "type").Scalar()
	switch {
	case strings.EqualFold(authType, "awsSigv4") || name == "AWS_IAM":
		return inventory.Of("AWS_IAM", loc)
	case strings.EqualFold(authType, "cognito_user_pools") || strings.EqualFold(authorizerType, "cognito_user_pools"):
		return inventory.Of("COGNITO_USER_POOLS", loc)
	case strings.EqualFold(authorizerType, "jwt"):
		return inventory.Of("JWT", loc)
	case strings.EqualFold(authType, "custom") || authorizerType == "request" || authorizerType == "token":
		return inventory.Of("CUSTOM", loc)
	case scheme == nil:
		return inventory.UnknownValue[string]("security scheme "+name+" is not defined in the API body", loc)
	}
	// An API key alone does not authenticate the caller.
	return inventory.Of("NONE", loc)
}

// convertRoutes adds the routes that SAM Api/HttpApi events create.
func (st *stack) convertRoutes() {
	for _, rt := range st.routes {
		if rt.Condition != "" {
			if val, known, _ := st.env.Condition(rt.Condition); known && !val {
				continue
			}
		}
		loc := st.env.Loc(rt.Node)
		auth := inventory.Of(rt.Authorization, loc)
		if rt.Authorization == "" {
			auth = inventory.UnknownValue[string]("the route's authorizer cannot be resolved", loc)
		}
		fnID := st.prefix + rt.Function
		name := fnID
		if r := st.l.byID[fnID]; r != nil {
			name = st.l.functionName(r)
		}
		st.l.inv.APIRoutes = append(st.l.inv.APIRoutes, &inventory.APIRoute{
			Item:          inventory.Item{ID: routeID(st.prefix+rt.API, rt.Method, rt.Path), Source: st.kind, Origin: st.l.origin, Loc: loc},
			Function:      inventory.Of(inventory.Ref{ID: fnID, Name: name}, loc),
			Authorization: auth,
		})
	}
}
