package awstest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Request is one API call as the proxy sees it: the HTTP request, its body,
// and what it asks (service signing name, SDK operation name, region, the
// caller's access key and account).
type Request struct {
	HTTP      *http.Request
	Body      []byte
	Service   string
	Operation string
	Region    string
	AccessKey string
	Account   string
	// Params are the REST path parameters ({FunctionName}, ...), unescaped.
	Params map[string]string
}

// Protocol is a service's wire protocol; it decides how errors are written.
type Protocol int

const (
	ProtoQuery    Protocol = iota // iam, sts: form POST, XML
	ProtoEC2                      // ec2: form POST, XML with <Response><Errors>
	ProtoJSON                     // awsJson1.1 with X-Amz-Target
	ProtoRESTJSON                 // lambda, access-analyzer, inspector2, guardduty
	ProtoCBOR                     // rpcv2Cbor (CloudWatch)
)

// ServiceProtocol returns the wire protocol of a service signing name.
func ServiceProtocol(service string) Protocol {
	switch service {
	case "iam", "sts":
		return ProtoQuery
	case "ec2":
		return ProtoEC2
	case "lambda", "access-analyzer", "inspector2", "guardduty":
		return ProtoRESTJSON
	case "monitoring":
		return ProtoCBOR
	}
	return ProtoJSON
}

// route is one REST operation: method, URI template and operation name.
type route struct {
	method, op string
	re         *regexp.Regexp
	names      []string
}

// restRoutes are the REST-JSON operations the proxy recognises, by service.
// The URIs are those of the services' API models.
var restRoutes = map[string][]route{
	"lambda": routes(
		"POST /2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy AddLayerVersionPermission",
		"POST /2015-03-31/functions/{FunctionName}/policy AddPermission",
		"POST /2015-03-31/functions/{FunctionName}/aliases CreateAlias",
		"POST /2020-04-22/code-signing-configs CreateCodeSigningConfig",
		"POST /2015-03-31/functions CreateFunction",
		"POST /2021-10-31/functions/{FunctionName}/url CreateFunctionUrlConfig",
		"DELETE /2015-03-31/functions/{FunctionName}/aliases/{Name} DeleteAlias",
		"DELETE /2015-03-31/functions/{FunctionName} DeleteFunction",
		"DELETE /2017-10-31/functions/{FunctionName}/concurrency DeleteFunctionConcurrency",
		"GET /2016-08-19/account-settings GetAccountSettings",
		"GET /2015-03-31/functions/{FunctionName}/aliases/{Name} GetAlias",
		"GET /2020-04-22/code-signing-configs/{CodeSigningConfigArn} GetCodeSigningConfig",
		"GET /2015-03-31/functions/{FunctionName} GetFunction",
		"GET /2020-06-30/functions/{FunctionName}/code-signing-config GetFunctionCodeSigningConfig",
		"GET /2019-09-30/functions/{FunctionName}/concurrency GetFunctionConcurrency",
		"GET /2015-03-31/functions/{FunctionName}/configuration GetFunctionConfiguration",
		"GET /2019-09-25/functions/{FunctionName}/event-invoke-config/list ListFunctionEventInvokeConfigs",
		"GET /2019-09-25/functions/{FunctionName}/event-invoke-config GetFunctionEventInvokeConfig",
		"PUT /2019-09-25/functions/{FunctionName}/event-invoke-config PutFunctionEventInvokeConfig",
		"GET /2021-10-31/functions/{FunctionName}/urls ListFunctionUrlConfigs",
		"GET /2021-10-31/functions/{FunctionName}/url GetFunctionUrlConfig",
		"GET /2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy GetLayerVersionPolicy",
		"GET /2018-10-31/layers/{LayerName}/versions/{VersionNumber} GetLayerVersion",
		"GET /2018-10-31/layers/{LayerName}/versions ListLayerVersions",
		"GET /2018-10-31/layers ListLayers",
		"GET /2015-03-31/functions/{FunctionName}/policy GetPolicy",
		"GET /2015-03-31/functions/{FunctionName}/aliases ListAliases",
		"GET /2020-04-22/code-signing-configs/{CodeSigningConfigArn}/functions ListFunctionsByCodeSigningConfig",
		"GET /2020-04-22/code-signing-configs ListCodeSigningConfigs",
		"GET /2015-03-31/functions ListFunctions",
		"GET /2017-03-31/tags/{Resource} ListTags",
		"GET /2015-03-31/functions/{FunctionName}/versions ListVersionsByFunction",
		"POST /2018-10-31/layers/{LayerName}/versions PublishLayerVersion",
		"POST /2015-03-31/functions/{FunctionName}/versions PublishVersion",
		"PUT /2020-06-30/functions/{FunctionName}/code-signing-config PutFunctionCodeSigningConfig",
		"PUT /2017-10-31/functions/{FunctionName}/concurrency PutFunctionConcurrency",
		"POST /2017-03-31/tags/{Resource} TagResource",
		"PUT /2015-03-31/functions/{FunctionName}/code UpdateFunctionCode",
		"PUT /2015-03-31/functions/{FunctionName}/configuration UpdateFunctionConfiguration",
	),
	"access-analyzer": routes(
		"GET /analyzer ListAnalyzers",
		"PUT /analyzer CreateAnalyzer",
	),
	"inspector2": routes(
		"POST /status/batch/get BatchGetAccountStatus",
		"POST /enable Enable",
	),
	"guardduty": routes(
		"GET /detector ListDetectors",
		"POST /detector CreateDetector",
		"GET /detector/{DetectorId} GetDetector",
		"POST /detector/{DetectorId} UpdateDetector",
	),
}

func routes(specs ...string) []route {
	out := make([]route, 0, len(specs))
	param := regexp.MustCompile(`\{([A-Za-z]+)\}`)
	for _, s := range specs {
		f := strings.Fields(s)
		var names []string
		var pat strings.Builder
		rest := f[1]
		for {
			loc := param.FindStringSubmatchIndex(rest)
			if loc == nil {
				pat.WriteString(regexp.QuoteMeta(rest))
				break
			}
			pat.WriteString(regexp.QuoteMeta(rest[:loc[0]]))
			pat.WriteString(`([^/]+)`)
			names = append(names, rest[loc[2]:loc[3]])
			rest = rest[loc[1]:]
		}
		out = append(out, route{method: f[0], op: f[2], re: regexp.MustCompile("^" + pat.String() + "/?$"), names: names})
	}
	return out
}

// identify fills the service, operation, region and access key of a request
// from its SigV4 Authorization header, X-Amz-Target, the rpcv2 path, the
// Query Action parameter or the REST route.
func identify(r *http.Request, body []byte) *Request {
	req := &Request{HTTP: r, Body: body}
	if auth := r.Header.Get("Authorization"); auth != "" {
		if i := strings.Index(auth, "Credential="); i >= 0 {
			cred := auth[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
			// AKID/DATE/REGION/SERVICE/aws4_request
			p := strings.Split(cred, "/")
			if len(p) >= 5 {
				req.AccessKey, req.Region, req.Service = p[0], p[2], p[3]
			}
		}
	}
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		t := r.Header.Get("X-Amz-Target")
		req.Operation = t[strings.LastIndexByte(t, '.')+1:]
	case strings.HasPrefix(r.URL.Path, "/service/") && strings.Contains(r.URL.Path, "/operation/"):
		req.Operation = r.URL.Path[strings.LastIndex(r.URL.Path, "/operation/")+len("/operation/"):]
	case ServiceProtocol(req.Service) == ProtoQuery || ServiceProtocol(req.Service) == ProtoEC2:
		if v := r.URL.Query().Get("Action"); v != "" {
			req.Operation = v
		} else if form, err := url.ParseQuery(string(body)); err == nil {
			req.Operation = form.Get("Action")
		}
	default:
		path := r.URL.EscapedPath()
		for _, rt := range restRoutes[req.Service] {
			if rt.method != r.Method {
				continue
			}
			m := rt.re.FindStringSubmatch(path)
			if m == nil {
				continue
			}
			req.Operation = rt.op
			req.Params = map[string]string{}
			for i, n := range rt.names {
				v, err := url.PathUnescape(m[i+1])
				if err != nil {
					v = m[i+1]
				}
				req.Params[n] = v
			}
			break
		}
	}
	return req
}

// IAMAction maps a recorded call (service signing name and SDK operation) to
// the IAM action that authorizes it.
func IAMAction(service, operation string) string {
	prefix := service
	if service == "monitoring" {
		prefix = "cloudwatch"
	}
	return prefix + ":" + operation
}
