package awstest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// emulator answers, in the services' real wire formats, what moto_server
// 5.2.1 lacks or gets wrong:
//   - lambda ListFunctionUrlConfigs (built from moto's GetFunctionUrlConfig),
//     GetAccountSettings, code signing configs (create, get, list, functions
//     by config, put on a function), and the fields moto drops from
//     ListFunctions / GetFunction(Configuration) (KMSKeyArn,
//     DeadLetterConfig, LoggingConfig; TracingConfig after an update);
//   - IAM Access Analyzer CreateAnalyzer / ListAnalyzers;
//   - IAM GenerateServiceLastAccessedDetails / GetServiceLastAccessedDetails
//     (rows set with SetLastAccessed);
//   - CloudTrail LookupEvents, from the CreateFunction and UpdateFunctionCode
//     calls that went through the proxy, attributed to the caller (an
//     assumed role learnt from STS AssumeRole answers, else the account's
//     IAM user);
//   - CloudWatch PutMetricAlarm / DescribeAlarms / DeleteAlarms over the
//     rpcv2 CBOR protocol the current SDK speaks (moto speaks only Query).
type emulator struct {
	mu        sync.Mutex
	extras    map[string]map[string]json.RawMessage // function ARN -> dropped fields
	urls      map[string]map[string]bool            // function ARN -> qualifiers with a URL
	reserved  map[string]int                        // function ARN -> reserved concurrency
	csc       map[string]json.RawMessage            // config ARN -> config
	cscOrder  []string
	fnCSC     map[string]string              // function ARN -> config ARN
	analyzers map[string][]map[string]any    // account/region -> analyzers
	lastAcc   map[string][]ServiceRow        // role ARN -> rows
	jobs      map[string]string              // job ID -> role ARN
	events    map[string][]trailEvent        // account/region -> events, oldest first
	alarms    map[string]map[string]cbor.Map // account/region -> name -> alarm
	seq       int
}

// ServiceRow is one row of emulated IAM last-accessed data; a zero
// LastAuthenticated means never used.
type ServiceRow struct {
	Namespace         string
	LastAuthenticated time.Time
}

type trailEvent struct {
	id, name, function string
	at                 time.Time
	key                string
	who                identity
	account, region    string
}

func newEmulator() *emulator {
	return &emulator{
		extras: map[string]map[string]json.RawMessage{}, urls: map[string]map[string]bool{},
		reserved: map[string]int{}, csc: map[string]json.RawMessage{}, fnCSC: map[string]string{},
		analyzers: map[string][]map[string]any{}, lastAcc: map[string][]ServiceRow{}, jobs: map[string]string{},
		events: map[string][]trailEvent{}, alarms: map[string]map[string]cbor.Map{},
	}
}

// SetLastAccessed sets the IAM last-accessed rows the proxy reports for a role.
func (p *Proxy) SetLastAccessed(roleARN string, rows []ServiceRow) {
	p.emu.mu.Lock()
	defer p.emu.mu.Unlock()
	p.emu.lastAcc[roleARN] = rows
}

// ResetState forgets everything the emulator learnt (call with moto's reset).
func (p *Proxy) ResetState() {
	if p.emu != nil {
		p.emu = newEmulator()
	}
	p.mu.Lock()
	p.keys = map[string]identity{}
	p.mu.Unlock()
}

func scopeKey(r *Request) string { return r.Account + "/" + r.Region }

// functionARN returns the unqualified ARN a FunctionName parameter names.
func functionARN(r *Request, name string) string {
	if strings.HasPrefix(name, "arn:") {
		p := strings.Split(name, ":")
		if len(p) >= 7 {
			return strings.Join(p[:7], ":")
		}
		return name
	}
	if i := strings.Index(name, ":function:"); i >= 0 { // ACCOUNT:function:NAME
		name = name[i+len(":function:"):]
	}
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[:i]
	}
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", r.Region, r.Account, name)
}

// handle answers a call itself; false lets it through to the backend.
func (e *emulator) handle(p *Proxy, w http.ResponseWriter, r *Request, id identity) bool {
	switch r.Service + ":" + r.Operation {
	case "lambda:ListFunctionUrlConfigs":
		e.listURLs(p, w, r)
	case "lambda:GetAccountSettings":
		e.accountSettings(w, r)
	case "lambda:CreateCodeSigningConfig":
		e.createCSC(w, r)
	case "lambda:GetCodeSigningConfig":
		e.mu.Lock()
		c, ok := e.csc[r.Params["CodeSigningConfigArn"]]
		e.mu.Unlock()
		if !ok {
			writeRESTError(w, http.StatusNotFound, "ResourceNotFoundException", "code signing config not found")
			return true
		}
		writeJSON(w, http.StatusOK, map[string]any{"CodeSigningConfig": c})
	case "lambda:ListCodeSigningConfigs":
		e.mu.Lock()
		var list []json.RawMessage
		for _, arn := range e.cscOrder {
			if strings.Contains(arn, ":"+r.Region+":"+r.Account+":") {
				list = append(list, e.csc[arn])
			}
		}
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"CodeSigningConfigs": nonNilRaw(list)})
	case "lambda:ListFunctionsByCodeSigningConfig":
		arn := r.Params["CodeSigningConfigArn"]
		e.mu.Lock()
		fns := []string{}
		for fn, c := range e.fnCSC {
			if c == arn {
				fns = append(fns, fn)
			}
		}
		e.mu.Unlock()
		sort.Strings(fns)
		writeJSON(w, http.StatusOK, map[string]any{"FunctionArns": fns})
	case "lambda:PutFunctionCodeSigningConfig":
		var in struct{ CodeSigningConfigArn string }
		_ = json.Unmarshal(r.Body, &in)
		fn := functionARN(r, r.Params["FunctionName"])
		e.mu.Lock()
		e.fnCSC[fn] = in.CodeSigningConfigArn
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"CodeSigningConfigArn": in.CodeSigningConfigArn, "FunctionName": r.Params["FunctionName"]})
	case "access-analyzer:CreateAnalyzer":
		var in struct {
			AnalyzerName string `json:"analyzerName"`
			Type         string `json:"type"`
		}
		_ = json.Unmarshal(r.Body, &in)
		arn := fmt.Sprintf("arn:aws:access-analyzer:%s:%s:analyzer/%s", r.Region, r.Account, in.AnalyzerName)
		e.mu.Lock()
		e.analyzers[scopeKey(r)] = append(e.analyzers[scopeKey(r)], map[string]any{
			"arn": arn, "name": in.AnalyzerName, "type": in.Type, "status": "ACTIVE",
			"createdAt": time.Now().UTC().Format(time.RFC3339),
		})
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"arn": arn})
	case "access-analyzer:ListAnalyzers":
		e.mu.Lock()
		list := append([]map[string]any{}, e.analyzers[scopeKey(r)]...)
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"analyzers": list})
	case "iam:GenerateServiceLastAccessedDetails":
		form, _ := url.ParseQuery(string(r.Body))
		e.mu.Lock()
		e.seq++
		job := fmt.Sprintf("00000000-0000-4000-8000-%012d", e.seq)
		e.jobs[job] = form.Get("Arn")
		e.mu.Unlock()
		writeXML(w, http.StatusOK, generateLastAccessed{Xmlns: iamNS, JobID: job, RequestID: requestID()})
	case "iam:GetServiceLastAccessedDetails":
		e.getLastAccessed(w, r)
	case "cloudtrail:LookupEvents":
		e.lookupEvents(w, r)
	case "monitoring:PutMetricAlarm", "monitoring:DescribeAlarms", "monitoring:DeleteAlarms":
		e.alarmsCall(w, r)
	default:
		return false
	}
	return true
}

// before rewrites a request for the backend: moto accepts only layers of
// the caller's own account, so layers of other accounts (AWS's extensions,
// vendors') are kept by the proxy and put back into the answers.
func (e *emulator) before(r *Request) []byte {
	if r.Service != "lambda" || (r.Operation != "CreateFunction" && r.Operation != "UpdateFunctionConfiguration") {
		return r.Body
	}
	var in map[string]json.RawMessage
	if json.Unmarshal(r.Body, &in) != nil || in["Layers"] == nil {
		return r.Body
	}
	var layers, own []string
	if json.Unmarshal(in["Layers"], &layers) != nil {
		return r.Body
	}
	var all []map[string]any
	for _, l := range layers {
		all = append(all, map[string]any{"Arn": l, "CodeSize": 0})
		if p := strings.Split(l, ":"); len(p) > 4 && p[4] == r.Account {
			own = append(own, l)
		}
	}
	if len(own) == len(layers) {
		return r.Body
	}
	name := r.Params["FunctionName"]
	if name == "" {
		_ = json.Unmarshal(in["FunctionName"], &name)
	}
	fn := functionARN(r, name)
	e.mu.Lock()
	if e.extras[fn] == nil {
		e.extras[fn] = map[string]json.RawMessage{}
	}
	e.extras[fn]["Layers"], _ = json.Marshal(all)
	e.mu.Unlock()
	in["Layers"], _ = json.Marshal(nonNilStrings(own))
	b, err := json.Marshal(in)
	if err != nil {
		return r.Body
	}
	return b
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// after sees a call the backend answered: it learns from it and patches
// what moto drops.
func (e *emulator) after(p *Proxy, r *Request, id identity, status int, body []byte) []byte {
	if status < 200 || status > 299 {
		return body
	}
	switch r.Service + ":" + r.Operation {
	case "sts:AssumeRole":
		var out struct {
			Result struct {
				Credentials struct {
					AccessKeyID string `xml:"AccessKeyId"`
				} `xml:"Credentials"`
				User struct{ Arn string } `xml:"AssumedRoleUser"`
			} `xml:"AssumeRoleResult"`
		}
		if xml.Unmarshal(body, &out) == nil && out.Result.Credentials.AccessKeyID != "" {
			arn := out.Result.User.Arn // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
			parts := strings.Split(arn, ":")
			role := ""
			if len(parts) == 6 {
				seg := strings.Split(parts[5], "/")
				if len(seg) >= 2 {
					role = "arn:aws:iam::" + parts[4] + ":role/" + seg[1]
				}
				p.learnKey(out.Result.Credentials.AccessKeyID, identity{account: parts[4], arn: arn, roleARN: role})
			}
		}
	case "lambda:CreateFunction":
		var in map[string]json.RawMessage
		_ = json.Unmarshal(r.Body, &in)
		var name string
		_ = json.Unmarshal(in["FunctionName"], &name)
		fn := functionARN(r, name)
		e.remember(fn, in)
		if raw, ok := in["CodeSigningConfigArn"]; ok {
			var arn string
			_ = json.Unmarshal(raw, &arn)
			e.mu.Lock()
			e.fnCSC[fn] = arn
			e.mu.Unlock()
		}
		e.record(r, id, "CreateFunction20150331", name)
		return e.patch(body, fn)
	case "lambda:UpdateFunctionConfiguration":
		var in map[string]json.RawMessage
		_ = json.Unmarshal(r.Body, &in)
		fn := functionARN(r, r.Params["FunctionName"])
		e.remember(fn, in)
		return e.patch(body, fn)
	case "lambda:UpdateFunctionCode":
		e.record(r, id, "UpdateFunctionCode20150331v2", r.Params["FunctionName"])
	case "lambda:CreateFunctionUrlConfig":
		fn := functionARN(r, r.Params["FunctionName"])
		e.mu.Lock()
		if e.urls[fn] == nil {
			e.urls[fn] = map[string]bool{}
		}
		e.urls[fn][r.HTTP.URL.Query().Get("Qualifier")] = true
		e.mu.Unlock()
	case "lambda:PutFunctionConcurrency":
		var in struct{ ReservedConcurrentExecutions int }
		_ = json.Unmarshal(r.Body, &in)
		e.mu.Lock()
		e.reserved[functionARN(r, r.Params["FunctionName"])] = in.ReservedConcurrentExecutions
		e.mu.Unlock()
	case "lambda:DeleteFunctionConcurrency":
		e.mu.Lock()
		delete(e.reserved, functionARN(r, r.Params["FunctionName"]))
		e.mu.Unlock()
	case "lambda:GetPolicy":
		return fixPrincipals(body)
	case "lambda:GetFunctionEventInvokeConfig", "lambda:PutFunctionEventInvokeConfig":
		return epochField(body, "LastModified")
	case "lambda:ListFunctionEventInvokeConfigs":
		var out map[string]json.RawMessage
		var list []json.RawMessage
		if json.Unmarshal(body, &out) == nil && json.Unmarshal(out["FunctionEventInvokeConfigs"], &list) == nil {
			for i := range list {
				list[i] = epochField(list[i], "LastModified")
			}
			out["FunctionEventInvokeConfigs"], _ = json.Marshal(list)
			if b, err := json.Marshal(out); err == nil {
				return b
			}
		}
	case "lambda:GetFunctionConfiguration":
		return e.patch(body, functionARN(r, r.Params["FunctionName"]))
	case "lambda:GetFunction":
		var out map[string]json.RawMessage
		if json.Unmarshal(body, &out) == nil && out["Configuration"] != nil {
			out["Configuration"] = e.patch(out["Configuration"], functionARN(r, r.Params["FunctionName"]))
			if b, err := json.Marshal(out); err == nil {
				return b
			}
		}
	case "lambda:ListFunctions":
		var out map[string]json.RawMessage
		var fns []json.RawMessage
		if json.Unmarshal(body, &out) == nil && json.Unmarshal(out["Functions"], &fns) == nil {
			for i, f := range fns {
				var head struct{ FunctionArn string }
				_ = json.Unmarshal(f, &head)
				fns[i] = e.patch(f, functionARN(r, head.FunctionArn)) // versions and $LATEST come qualified with FunctionVersion=ALL
			}
			out["Functions"], _ = json.Marshal(fns)
			if b, err := json.Marshal(out); err == nil {
				return b
			}
		}
	}
	return body
}

// fixPrincipals rewrites the bare account IDs moto writes as a resource
// policy's principal into the form Lambda returns:
// {"AWS": "arn:aws:iam::ACCOUNT:root"}.
func fixPrincipals(body []byte) []byte {
	var out map[string]json.RawMessage
	var doc string
	if json.Unmarshal(body, &out) != nil || json.Unmarshal(out["Policy"], &doc) != nil {
		return body
	}
	var pol map[string]any
	if json.Unmarshal([]byte(doc), &pol) != nil {
		return body
	}
	sts, _ := pol["Statement"].([]any)
	for _, st := range sts {
		m, ok := st.(map[string]any)
		if !ok {
			continue
		}
		if p, ok := m["Principal"].(string); ok && len(p) == 12 && strings.Trim(p, "0123456789") == "" {
			m["Principal"] = map[string]any{"AWS": "arn:aws:iam::" + p + ":root"}
		}
	}
	b, err := json.Marshal(pol)
	if err != nil {
		return body
	}
	out["Policy"], _ = json.Marshal(string(b))
	res, err := json.Marshal(out)
	if err != nil {
		return body
	}
	return res
}

// epochField rewrites an ISO 8601 timestamp field as epoch seconds, the
// wire format of Lambda's event invoke configs (moto writes a string).
func epochField(obj []byte, field string) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return obj
	}
	var s string
	if json.Unmarshal(m[field], &s) != nil {
		return obj
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return obj
	}
	m[field] = json.RawMessage(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64))
	b, err := json.Marshal(m)
	if err != nil {
		return obj
	}
	return b
}

// droppedFields are the configuration fields moto accepts but does not return.
var droppedFields = []string{"KMSKeyArn", "DeadLetterConfig", "LoggingConfig", "TracingConfig"}

func (e *emulator) remember(fn string, in map[string]json.RawMessage) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.extras[fn] == nil {
		e.extras[fn] = map[string]json.RawMessage{}
	}
	for _, k := range droppedFields {
		if v, ok := in[k]; ok {
			e.extras[fn][k] = v
		}
	}
}

// patch adds the remembered fields to a function configuration object.
func (e *emulator) patch(cfg []byte, fn string) []byte {
	e.mu.Lock()
	extra := e.extras[fn]
	e.mu.Unlock()
	if len(extra) == 0 {
		return cfg
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(cfg, &m) != nil {
		return cfg
	}
	for k, v := range extra {
		if k == "TracingConfig" || k == "Layers" || m[k] == nil || string(m[k]) == "null" {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return cfg
	}
	return b
}

// listURLs builds ListFunctionUrlConfigs from moto's GetFunctionUrlConfig
// for each qualifier a URL was created for.
func (e *emulator) listURLs(p *Proxy, w http.ResponseWriter, r *Request) {
	fn := functionARN(r, r.Params["FunctionName"])
	e.mu.Lock()
	var quals []string
	for q := range e.urls[fn] {
		quals = append(quals, q)
	}
	e.mu.Unlock()
	sort.Strings(quals)
	configs := []json.RawMessage{}
	for _, q := range quals {
		name := fn[strings.LastIndex(fn, ":")+1:]
		u := "/2021-10-31/functions/" + url.PathEscape(name) + "/url"
		if q != "" {
			u += "?Qualifier=" + url.QueryEscape(q)
		}
		req, err := http.NewRequestWithContext(r.HTTP.Context(), http.MethodGet, u, nil)
		if err != nil {
			continue
		}
		req.Header = r.HTTP.Header.Clone()
		req.Host = r.HTTP.Host
		rec := newBuffer()
		p.opts.Backend.ServeHTTP(rec, req)
		if rec.status >= 200 && rec.status < 300 { // moto answers 201
			configs = append(configs, json.RawMessage(rec.body.Bytes()))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"FunctionUrlConfigs": configs})
}

func (e *emulator) accountSettings(w http.ResponseWriter, r *Request) {
	const limit = 1000
	e.mu.Lock()
	used := 0
	prefix := fmt.Sprintf("arn:aws:lambda:%s:%s:function:", r.Region, r.Account)
	for fn, n := range e.reserved {
		if strings.HasPrefix(fn, prefix) {
			used += n
		}
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"AccountLimit": map[string]any{"TotalCodeSize": 80530636800, "CodeSizeUnzipped": 262144000, "CodeSizeZipped": 52428800,
			"ConcurrentExecutions": limit, "UnreservedConcurrentExecutions": limit - used},
		"AccountUsage": map[string]any{"TotalCodeSize": 0, "FunctionCount": 0},
	})
}

func (e *emulator) createCSC(w http.ResponseWriter, r *Request) {
	var in map[string]json.RawMessage
	_ = json.Unmarshal(r.Body, &in)
	e.mu.Lock()
	e.seq++
	id := fmt.Sprintf("csc-%017x", e.seq)
	arn := fmt.Sprintf("arn:aws:lambda:%s:%s:code-signing-config:%s", r.Region, r.Account, id)
	cfg := map[string]any{
		"CodeSigningConfigArn": arn, "CodeSigningConfigId": id,
		"AllowedPublishers":   in["AllowedPublishers"],
		"CodeSigningPolicies": map[string]string{"UntrustedArtifactOnDeployment": "Warn"},
		"LastModified":        time.Now().UTC().Format("2006-01-02T15:04:05.000+0000"),
	}
	if d, ok := in["Description"]; ok {
		cfg["Description"] = d
	}
	if p, ok := in["CodeSigningPolicies"]; ok {
		cfg["CodeSigningPolicies"] = p
	}
	b, _ := json.Marshal(cfg)
	e.csc[arn] = b
	e.cscOrder = append(e.cscOrder, arn)
	e.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"CodeSigningConfig": json.RawMessage(b)})
}

const iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"

type generateLastAccessed struct {
	XMLName   xml.Name `xml:"GenerateServiceLastAccessedDetailsResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	JobID     string   `xml:"GenerateServiceLastAccessedDetailsResult>JobId"`
	RequestID string   `xml:"ResponseMetadata>RequestId"`
}

type lastAccessedRow struct {
	ServiceName                string `xml:"ServiceName"`
	ServiceNamespace           string `xml:"ServiceNamespace"`
	LastAuthenticated          string `xml:"LastAuthenticated,omitempty"`
	LastAuthenticatedEntity    string `xml:"LastAuthenticatedEntity,omitempty"`
	TotalAuthenticatedEntities int    `xml:"TotalAuthenticatedEntities"`
}

type getLastAccessed struct {
	XMLName   xml.Name          `xml:"GetServiceLastAccessedDetailsResponse"`
	Xmlns     string            `xml:"xmlns,attr"`
	JobStatus string            `xml:"GetServiceLastAccessedDetailsResult>JobStatus"`
	JobType   string            `xml:"GetServiceLastAccessedDetailsResult>JobType"`
	Created   string            `xml:"GetServiceLastAccessedDetailsResult>JobCreationDate"`
	Completed string            `xml:"GetServiceLastAccessedDetailsResult>JobCompletionDate,omitempty"`
	Rows      []lastAccessedRow `xml:"GetServiceLastAccessedDetailsResult>ServicesLastAccessed>member"`
	Truncated bool              `xml:"GetServiceLastAccessedDetailsResult>IsTruncated"`
	RequestID string            `xml:"ResponseMetadata>RequestId"`
}

func (e *emulator) getLastAccessed(w http.ResponseWriter, r *Request) {
	form, _ := url.ParseQuery(string(r.Body))
	e.mu.Lock()
	role, ok := e.jobs[form.Get("JobId")]
	rows := e.lastAcc[role]
	e.mu.Unlock()
	if !ok {
		writeXML(w, http.StatusBadRequest, queryError{Error: queryErrorBody{Type: "Sender", Code: "NoSuchEntity", Message: "job not found"}, RequestID: requestID()})
		return
	}
	now := time.Now().UTC().Format(time.RFC3339)
	out := getLastAccessed{Xmlns: iamNS, JobStatus: "COMPLETED", JobType: "SERVICE_LEVEL", Created: now, Completed: now, RequestID: requestID()}
	for _, row := range rows {
		lr := lastAccessedRow{ServiceName: row.Namespace, ServiceNamespace: row.Namespace}
		if !row.LastAuthenticated.IsZero() {
			lr.LastAuthenticated = row.LastAuthenticated.UTC().Format(time.RFC3339)
			lr.LastAuthenticatedEntity = role
			lr.TotalAuthenticatedEntities = 1
		}
		out.Rows = append(out.Rows, lr)
	}
	writeXML(w, http.StatusOK, out)
}

// record keeps a CloudTrail management event for a lambda write call.
func (e *emulator) record(r *Request, id identity, event, function string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seq++
	e.events[scopeKey(r)] = append(e.events[scopeKey(r)], trailEvent{
		id: fmt.Sprintf("e0000000-0000-4000-8000-%012d", e.seq), name: event, function: function,
		at: time.Now().UTC().Truncate(time.Second), key: r.AccessKey, who: id, account: r.Account, region: r.Region,
	})
}

func (ev trailEvent) cloudTrailEvent() string {
	ui := map[string]any{"accountId": ev.account, "accessKeyId": ev.key}
	if ev.who.arn != "" {
		session := ev.who.arn[strings.LastIndexByte(ev.who.arn, '/')+1:]
		roleName := ev.who.roleARN[strings.LastIndexByte(ev.who.roleARN, '/')+1:]
		ui["type"] = "AssumedRole"
		ui["principalId"] = "AROAEXAMPLE:" + session
		ui["arn"] = ev.who.arn
		ui["sessionContext"] = map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": "AROAEXAMPLE", "arn": ev.who.roleARN, "accountId": ev.account, "userName": roleName},
			"attributes":    map[string]any{"creationDate": ev.at.Format(time.RFC3339), "mfaAuthenticated": "false"},
		}
	} else {
		ui["type"] = "IAMUser"
		ui["principalId"] = "AIDAEXAMPLE"
		ui["arn"] = "arn:aws:iam::" + ev.account + ":user/moto"
		ui["userName"] = "moto"
	}
	b, _ := json.Marshal(map[string]any{
		"eventVersion": "1.08", "userIdentity": ui, "eventTime": ev.at.Format(time.RFC3339),
		"eventSource": "lambda.amazonaws.com", "eventName": ev.name, "awsRegion": ev.region,
		"sourceIPAddress": "192.0.2.10", "userAgent": "aws-sdk-go-v2/1.0",
		"requestParameters": map[string]any{"functionName": ev.function},
		"eventID":           ev.id, "readOnly": false, "eventType": "AwsApiCall", "managementEvent": true,
		"recipientAccountId": ev.account, "eventCategory": "Management",
	})
	return string(b)
}

func (e *emulator) lookupEvents(w http.ResponseWriter, r *Request) {
	var in struct {
		LookupAttributes []struct{ AttributeKey, AttributeValue string }
		StartTime        *float64
		EndTime          *float64
		MaxResults       int
		NextToken        string
	}
	_ = json.Unmarshal(r.Body, &in)
	e.mu.Lock()
	all := append([]trailEvent(nil), e.events[scopeKey(r)]...)
	e.mu.Unlock()
	var match []trailEvent
	for i := len(all) - 1; i >= 0; i-- { // newest first
		ev := all[i]
		ok := true
		for _, a := range in.LookupAttributes {
			switch a.AttributeKey {
			case "EventName":
				ok = ok && ev.name == a.AttributeValue
			case "ResourceName":
				ok = ok && ev.function == a.AttributeValue
			}
		}
		if in.StartTime != nil && float64(ev.at.Unix()) < *in.StartTime {
			ok = false
		}
		if in.EndTime != nil && float64(ev.at.Unix()) > *in.EndTime {
			ok = false
		}
		if ok {
			match = append(match, ev)
		}
	}
	start, _ := strconv.Atoi(in.NextToken)
	size := in.MaxResults
	if size <= 0 || size > 50 {
		size = 50
	}
	end := min(start+size, len(match))
	out := map[string]any{}
	var events []map[string]any
	for _, ev := range match[min(start, len(match)):end] {
		user := "moto"
		if ev.who.arn != "" {
			user = ev.who.arn[strings.LastIndexByte(ev.who.arn, '/')+1:]
		}
		events = append(events, map[string]any{
			"EventId": ev.id, "EventName": ev.name, "ReadOnly": "false", "AccessKeyId": ev.key,
			"EventTime": ev.at.Unix(), "EventSource": "lambda.amazonaws.com", "Username": user,
			"Resources":       []map[string]string{{"ResourceType": "AWS::Lambda::Function", "ResourceName": ev.function}},
			"CloudTrailEvent": ev.cloudTrailEvent(),
		})
	}
	out["Events"] = nonNilMaps(events)
	if end < len(match) {
		out["NextToken"] = strconv.Itoa(end)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	b, _ := json.Marshal(out)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// alarmsCall emulates the CloudWatch alarm calls over rpcv2 CBOR.
func (e *emulator) alarmsCall(w http.ResponseWriter, r *Request) {
	var in cbor.Map
	if len(r.Body) > 0 {
		v, err := cbor.Decode(r.Body)
		if err != nil {
			writeCBORError(w, http.StatusBadRequest, "com.amazonaws.cloudwatch#InvalidParameterValueException", "InvalidParameterValue;Sender", err.Error())
			return
		}
		in, _ = v.(cbor.Map)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	key := scopeKey(r)
	if e.alarms[key] == nil {
		e.alarms[key] = map[string]cbor.Map{}
	}
	switch r.Operation {
	case "PutMetricAlarm":
		name, _ := in["AlarmName"].(cbor.String)
		a := cbor.Map{}
		for k, v := range in {
			if k != "Tags" {
				a[k] = v
			}
		}
		a["AlarmArn"] = cbor.String(fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", r.Region, r.Account, name))
		a["StateValue"] = cbor.String("INSUFFICIENT_DATA")
		e.alarms[key][string(name)] = a
		writeCBOR(w, http.StatusOK, cbor.Map{})
	case "DeleteAlarms":
		if names, ok := in["AlarmNames"].(cbor.List); ok {
			for _, n := range names {
				if s, ok := n.(cbor.String); ok {
					delete(e.alarms[key], string(s))
				}
			}
		}
		writeCBOR(w, http.StatusOK, cbor.Map{})
	default: // DescribeAlarms
		names := make([]string, 0, len(e.alarms[key]))
		for n := range e.alarms[key] {
			names = append(names, n)
		}
		sort.Strings(names)
		list := cbor.List{}
		for _, n := range names {
			list = append(list, e.alarms[key][n])
		}
		writeCBOR(w, http.StatusOK, cbor.Map{"MetricAlarms": list, "CompositeAlarms": cbor.List{}})
	}
}

func writeCBOR(w http.ResponseWriter, status int, v cbor.Value) {
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(status)
	_, _ = w.Write(cbor.Encode(v))
}

func writeCBORError(w http.ResponseWriter, status int, typ, query, msg string) {
	w.Header().Set("X-Amzn-Query-Error", query)
	writeCBOR(w, status, cbor.Map{"__type": cbor.String(typ), "message": cbor.String(msg)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeRESTError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Amzn-ErrorType", code)
	writeJSON(w, status, map[string]string{"Type": "User", "Message": msg})
}

func jsonString(key, value string) string {
	b, _ := json.Marshal(map[string]string{key: value})
	return string(b)
}

func nonNilRaw(v []json.RawMessage) []json.RawMessage {
	if v == nil {
		return []json.RawMessage{}
	}
	return v
}

func nonNilMaps(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func newBuffer() *bufferWriter { return &bufferWriter{header: http.Header{}, status: http.StatusOK} }

type bufferWriter struct {
	header http.Header
	status int
	body   bytesBuffer
}

type bytesBuffer struct{ b []byte }

func (b *bytesBuffer) Bytes() []byte { return b.b }

func (w *bufferWriter) Header() http.Header  { return w.header }
func (w *bufferWriter) WriteHeader(code int) { w.status = code }
func (w *bufferWriter) Write(p []byte) (int, error) {
	w.body.b = append(w.body.b, p...)
	return len(p), nil
}

var _ io.Writer = (*bufferWriter)(nil)
