package awstest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// APIHandler is a backend that takes the call as the proxy parsed it.
type APIHandler interface {
	ServeAPI(w http.ResponseWriter, r *Request)
}

// Synthetic is a backend that serves a generated account from memory, for
// benchmarks at a scale moto_server cannot hold (it takes seconds per
// hundred functions and its memory grows with every resource): N functions
// spread over the regions, one execution role each, in the real wire
// formats of every call the collector makes.
//
// The mix: every second function has a dead-letter queue; every function
// has one published version and an alias, every second one to that version
// (the others to $LATEST); every tenth one a VPC attachment; every fifth
// one an error alarm; IAM last-accessed jobs take JobDuration; in every second region some functions have reserved
// concurrency; every function has a resource policy statement and one
// CloudTrail deployment event.
type Synthetic struct {
	Account   string
	Regions   []string
	Functions int
	// JobDuration is how long a last-accessed job stays IN_PROGRESS after
	// GenerateServiceLastAccessedDetails (NewSynthetic: 1 s).
	JobDuration time.Duration
	perRegion   int
	created     string
	// pages caches the listing pages: the backend's own work is not what a
	// benchmark of the collector measures.
	pages sync.Map // key -> []byte
}

// cached returns the body for key, building it once.
func (s *Synthetic) cached(key string, build func() []byte) []byte {
	if b, ok := s.pages.Load(key); ok {
		return b.([]byte)
	}
	b := build()
	s.pages.Store(key, b)
	return b
}

func writeBody(w http.ResponseWriter, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(200)
	_, _ = w.Write(body)
}

// NewSynthetic returns a synthetic account.
func NewSynthetic(account string, regions []string, functions int) *Synthetic {
	return &Synthetic{Account: account, Regions: regions, Functions: functions, perRegion: functions / len(regions), JobDuration: time.Second,
		created: time.Now().UTC().Add(-24 * time.Hour).Format(time.RFC3339)}
}

// ServeHTTP answers requests the proxy did not parse (none).
func (s *Synthetic) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "synthetic backend needs the proxy", http.StatusBadRequest)
}

func (s *Synthetic) regionIndex(region string) int {
	for i, r := range s.Regions {
		if r == region {
			return i
		}
	}
	return -1
}

func (s *Synthetic) fnName(region string, i int) string {
	return fmt.Sprintf("fn-%s-%05d", region, i)
}

// fnIndex parses a function name or ARN of this account.
func (s *Synthetic) fnIndex(name string) int {
	name = name[strings.LastIndex(name, "-")+1:]
	i, err := strconv.Atoi(name)
	if err != nil {
		return -1
	}
	return i
}

func (s *Synthetic) roleARN(region string, i int) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/role-%s-%05d", s.Account, region, i)
}

func (s *Synthetic) fnARN(region string, i int) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, s.Account, s.fnName(region, i))
}

func (s *Synthetic) config(region string, i int) map[string]any {
	name := s.fnName(region, i)
	c := map[string]any{
		"FunctionName": name, "FunctionArn": s.fnARN(region, i), "Runtime": "python3.12", "Role": s.roleARN(region, i),
		"Handler": "index.handler", "CodeSize": 1024, "Timeout": 30, "MemorySize": 256, "Version": "$LATEST",
		"LastModified": "2026-01-01T00:00:00.000+0000", "PackageType": "Zip",
		"Environment":   map[string]any{"Variables": map[string]string{"LOG_LEVEL": "info", "TABLE": name}},
		"TracingConfig": map[string]string{"Mode": "PassThrough"},
		"LoggingConfig": map[string]string{"LogFormat": "Text", "LogGroup": "/aws/lambda/" + name},
	}
	if i%2 == 0 {
		c["DeadLetterConfig"] = map[string]string{"TargetArn": fmt.Sprintf("arn:aws:sqs:%s:%s:dlq", region, s.Account)}
	}
	if i%10 == 0 {
		c["VpcConfig"] = map[string]any{"SubnetIds": []string{"subnet-" + region + "-a", "subnet-" + region + "-b"}, "SecurityGroupIds": []string{"sg-" + region}}
	}
	return c
}

// ServeAPI answers one call.
func (s *Synthetic) ServeAPI(w http.ResponseWriter, r *Request) {
	ri := s.regionIndex(r.Region)
	q := r.HTTP.URL.Query()
	form, _ := url.ParseQuery(string(r.Body))
	switch r.Service + ":" + r.Operation {
	case "sts:GetCallerIdentity":
		writeXML(w, 200, stsIdentity{Xmlns: "https://sts.amazonaws.com/doc/2011-06-15/", Arn: "arn:aws:iam::" + s.Account + ":user/bench", UserID: "AIDABENCH", Account: s.Account, RequestID: requestID()})
	case "lambda:ListFunctions":
		// With FunctionVersion=ALL every function is listed as $LATEST
		// followed by its published version 1, two entries a function.
		all := q.Get("FunctionVersion") == "ALL"
		body := s.cached("lf/"+r.Region+"/"+q.Get("Marker")+"/"+q.Get("MaxItems")+"/"+q.Get("FunctionVersion"), func() []byte {
			start, _ := strconv.Atoi(q.Get("Marker"))
			size, _ := strconv.Atoi(q.Get("MaxItems"))
			if size <= 0 || size > 50 {
				size = 50
			}
			n := 0
			if ri >= 0 {
				n = s.perRegion
			}
			per := 1
			if all {
				per = 2
			}
			end := min(start+size, n*per)
			fns := []map[string]any{}
			for k := start; k < end; k++ {
				c := s.config(r.Region, k/per)
				if k%per == 1 {
					c["Version"], c["FunctionArn"] = "1", s.fnARN(r.Region, k/per)+":1"
				}
				fns = append(fns, c)
			}
			out := map[string]any{"Functions": fns}
			if end < n*per {
				out["NextMarker"] = strconv.Itoa(end)
			}
			b, _ := json.Marshal(out)
			return b
		})
		writeBody(w, "application/json", body)
	case "lambda:GetPolicy":
		i := s.fnIndex(r.Params["FunctionName"])
		if i%4 == 3 {
			writeRESTError(w, 404, "ResourceNotFoundException", "The resource you requested does not exist.")
			return
		}
		doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": []map[string]any{{
			"Sid": "api", "Effect": "Allow", "Principal": map[string]string{"Service": "apigateway.amazonaws.com"},
			"Action": "lambda:InvokeFunction", "Resource": s.fnARN(r.Region, i),
			"Condition": map[string]any{"ArnLike": map[string]string{"AWS:SourceArn": fmt.Sprintf("arn:aws:execute-api:%s:%s:api%05d/*", r.Region, s.Account, i)}},
		}}})
		writeJSON(w, 200, map[string]any{"Policy": string(doc), "RevisionId": "r1"})
	case "lambda:ListFunctionUrlConfigs":
		writeJSON(w, 200, map[string]any{"FunctionUrlConfigs": []any{}})
	case "lambda:ListAliases":
		i := s.fnIndex(r.Params["FunctionName"])
		v := "1"
		if i%2 == 1 {
			v = "$LATEST"
		}
		writeJSON(w, 200, map[string]any{"Aliases": []map[string]any{{"AliasArn": s.fnARN(r.Region, i) + ":live", "Name": "live", "FunctionVersion": v}}})
	case "lambda:ListVersionsByFunction":
		i := s.fnIndex(r.Params["FunctionName"])
		a, b := s.config(r.Region, i), s.config(r.Region, i)
		b["Version"] = "1"
		writeJSON(w, 200, map[string]any{"Versions": []any{a, b}})
	case "lambda:ListFunctionEventInvokeConfigs":
		writeJSON(w, 200, map[string]any{"FunctionEventInvokeConfigs": []any{}})
	case "lambda:GetAccountSettings":
		unreserved := 1000
		if ri%2 == 1 {
			unreserved = 900
		}
		writeJSON(w, 200, map[string]any{"AccountLimit": map[string]any{"ConcurrentExecutions": 1000, "UnreservedConcurrentExecutions": unreserved,
			"TotalCodeSize": 80530636800, "CodeSizeUnzipped": 262144000, "CodeSizeZipped": 52428800}, "AccountUsage": map[string]any{"FunctionCount": s.perRegion}})
	case "lambda:GetFunction":
		i := s.fnIndex(r.Params["FunctionName"])
		out := map[string]any{"Configuration": s.config(r.Region, i), "Tags": map[string]string{"team": "bench"}}
		if i%10 == 1 {
			out["Concurrency"] = map[string]int{"ReservedConcurrentExecutions": 10}
		}
		writeJSON(w, 200, out)
	case "lambda:ListCodeSigningConfigs":
		writeJSON(w, 200, map[string]any{"CodeSigningConfigs": []any{}})
	case "iam:GetAccountAuthorizationDetails":
		writeBody(w, "text/xml", s.cached("gaad/"+form.Get("Marker")+"/"+form.Get("MaxItems"), func() []byte {
			rec := newBuffer()
			size, _ := strconv.Atoi(form.Get("MaxItems"))
			s.authDetails(rec, form.Get("Marker"), size)
			return rec.body.Bytes()
		}))
	case "iam:GenerateServiceLastAccessedDetails":
		job := strconv.FormatInt(time.Now().UnixNano(), 10) + "-" + url.PathEscape(form.Get("Arn"))
		writeXML(w, 200, generateLastAccessed{Xmlns: iamNS, JobID: job, RequestID: requestID()})
	case "iam:GetServiceLastAccessedDetails":
		job := form.Get("JobId")
		ns, _ := strconv.ParseInt(job[:max(strings.IndexByte(job, '-'), 0)], 10, 64)
		if started := time.Unix(0, ns); time.Since(started) < s.JobDuration {
			writeXML(w, 200, getLastAccessed{Xmlns: iamNS, JobStatus: "IN_PROGRESS", JobType: "SERVICE_LEVEL",
				Created: started.UTC().Format(time.RFC3339), RequestID: requestID()})
			return
		}
		writeXML(w, 200, getLastAccessed{Xmlns: iamNS, JobStatus: "COMPLETED", JobType: "SERVICE_LEVEL", Created: s.created, Completed: s.created,
			Rows: []lastAccessedRow{{ServiceName: "Amazon DynamoDB", ServiceNamespace: "dynamodb", LastAuthenticated: s.created, TotalAuthenticatedEntities: 1},
				{ServiceName: "Amazon CloudWatch Logs", ServiceNamespace: "logs", LastAuthenticated: s.created, TotalAuthenticatedEntities: 1}},
			RequestID: requestID()})
	case "logs:DescribeLogGroups":
		var in struct {
			NextToken string `json:"nextToken"`
		}
		_ = json.Unmarshal(r.Body, &in)
		start, _ := strconv.Atoi(in.NextToken)
		end := min(start+50, s.perRegion)
		groups := []map[string]any{}
		for i := start; i < end; i++ {
			name := "/aws/lambda/" + s.fnName(r.Region, i)
			g := map[string]any{"logGroupName": name, "arn": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:*", r.Region, s.Account, name), "creationTime": 1700000000000}
			if i%3 != 0 {
				g["retentionInDays"] = 400
			}
			groups = append(groups, g)
		}
		out := map[string]any{"logGroups": groups}
		if end < s.perRegion {
			out["nextToken"] = strconv.Itoa(end)
		}
		writeAWSJSON(w, out)
	case "monitoring:DescribeAlarms":
		var token string
		if v, err := cbor.Decode(r.Body); err == nil {
			if m, ok := v.(cbor.Map); ok {
				if t, ok := m["NextToken"].(cbor.String); ok {
					token = string(t)
				}
			}
		}
		start, _ := strconv.Atoi(token)
		end := min(start+500, s.perRegion) // 100 alarms per page, one per 5 functions
		list := cbor.List{}
		for i := start; i < end; i++ {
			if i%5 != 0 {
				continue
			}
			name := s.fnName(r.Region, i)
			list = append(list, cbor.Map{"AlarmName": cbor.String(name + "-errors"),
				"AlarmArn":  cbor.String(fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s-errors", r.Region, s.Account, name)),
				"Namespace": cbor.String("AWS/Lambda"), "MetricName": cbor.String("Errors"),
				"Dimensions": cbor.List{cbor.Map{"Name": cbor.String("FunctionName"), "Value": cbor.String(name)}}})
		}
		out := cbor.Map{"MetricAlarms": list, "CompositeAlarms": cbor.List{}}
		if end < s.perRegion {
			out["NextToken"] = cbor.String(strconv.Itoa(end))
		}
		writeCBOR(w, 200, out)
	case "ec2:DescribeSubnets":
		writeXML(w, 200, ec2Subnets{Xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/", RequestID: requestID(), Subnets: []ec2Subnet{
			{ID: "subnet-" + r.Region + "-a", AZ: r.Region + "a"}, {ID: "subnet-" + r.Region + "-b", AZ: r.Region + "b"}}})
	case "ec2:DescribeSecurityGroups":
		writeXML(w, 200, ec2Groups{Xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/", RequestID: requestID(), Groups: []ec2Group{{ID: "sg-" + r.Region,
			Egress: []ec2Perm{{Protocol: "tcp", From: 443, To: 443, Ranges: []ec2Range{{CIDR: "10.0.0.0/8"}}}}}}})
	case "cloudtrail:DescribeTrails":
		writeAWSJSON(w, map[string]any{"trailList": []map[string]any{{"Name": "org", "TrailARN": "arn:aws:cloudtrail:" + s.Regions[0] + ":" + s.Account + ":trail/org",
			"HomeRegion": s.Regions[0], "IsMultiRegionTrail": true, "S3BucketName": "trail"}}})
	case "cloudtrail:GetTrailStatus":
		writeAWSJSON(w, map[string]any{"IsLogging": true})
	case "cloudtrail:GetEventSelectors":
		writeAWSJSON(w, map[string]any{"TrailARN": "arn:aws:cloudtrail:" + s.Regions[0] + ":" + s.Account + ":trail/org",
			"EventSelectors": []map[string]any{{"IncludeManagementEvents": true, "ReadWriteType": "All", "DataResources": []any{}}}})
	case "cloudtrail:LookupEvents":
		s.lookupEvents(w, r)
	case "config:DescribeConfigurationRecorders":
		writeAWSJSON(w, map[string]any{"ConfigurationRecorders": []any{}})
	case "access-analyzer:ListAnalyzers":
		writeJSON(w, 200, map[string]any{"analyzers": []any{}})
	case "inspector2:BatchGetAccountStatus":
		st := map[string]string{"status": "ENABLED"}
		writeJSON(w, 200, map[string]any{"accounts": []map[string]any{{"accountId": s.Account, "state": st,
			"resourceState": map[string]any{"ec2": st, "ecr": st, "lambda": st, "lambdaCode": st}}}, "failedAccounts": []any{}})
	case "guardduty:ListDetectors":
		writeJSON(w, 200, map[string]any{"detectorIds": []string{"d1"}})
	case "guardduty:GetDetector":
		writeJSON(w, 200, map[string]any{"status": "ENABLED", "serviceRole": "r", "createdAt": s.created,
			"features": []map[string]string{{"name": "LAMBDA_NETWORK_LOGS", "status": "ENABLED"}}})
	default:
		writeRESTError(w, 400, "InvalidAction", "the synthetic backend does not answer "+r.Service+":"+r.Operation)
	}
}

func (s *Synthetic) lookupEvents(w http.ResponseWriter, r *Request) {
	var in struct {
		LookupAttributes []struct{ AttributeValue string }
		NextToken        string
	}
	_ = json.Unmarshal(r.Body, &in)
	if len(in.LookupAttributes) == 0 || in.LookupAttributes[0].AttributeValue != "UpdateFunctionCode20150331v2" {
		writeAWSJSON(w, map[string]any{"Events": []any{}})
		return
	}
	start, _ := strconv.Atoi(in.NextToken)
	end := min(start+50, s.perRegion)
	var events []map[string]any
	for i := start; i < end; i++ {
		ev := trailEvent{id: fmt.Sprintf("ev-%d", i), name: "UpdateFunctionCode20150331v2", function: s.fnName(r.Region, i),
			at: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), key: "ASIABENCH", account: s.Account, region: r.Region,
			who: identity{account: s.Account, arn: "arn:aws:sts::" + s.Account + ":assumed-role/deployer/ci", roleARN: "arn:aws:iam::" + s.Account + ":role/deployer"}}
		events = append(events, map[string]any{"EventId": ev.id, "EventName": ev.name, "EventTime": ev.at.Unix(), "EventSource": "lambda.amazonaws.com",
			"CloudTrailEvent": ev.cloudTrailEvent()})
	}
	out := map[string]any{"Events": nonNilMaps(events)}
	if end < s.perRegion {
		out["NextToken"] = strconv.Itoa(end)
	}
	writeAWSJSON(w, out)
}

// authDetails serves GetAccountAuthorizationDetails, size roles a page
// (MaxItems: 100 by default, at most 1000).
func (s *Synthetic) authDetails(w http.ResponseWriter, marker string, size int) {
	if size <= 0 || size > 1000 {
		size = 100
	}
	start, _ := strconv.Atoi(marker)
	total := s.perRegion * len(s.Regions)
	end := min(start+size, total)
	trust := url.PathEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	out := gaad{Xmlns: iamNS, RequestID: requestID(), Truncated: end < total}
	if end < total {
		out.Marker = strconv.Itoa(end)
	}
	for k := start; k < end; k++ {
		region, i := s.Regions[k/s.perRegion], k%s.perRegion
		arn := s.roleARN(region, i)
		name := arn[strings.LastIndexByte(arn, '/')+1:]
		table := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, s.Account, s.fnName(region, i))
		doc := url.PathEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":"` + table + `"}]}`)
		out.Roles = append(out.Roles, gaadRole{Path: "/", Name: name, ID: fmt.Sprintf("AROA%012d", k), Arn: arn, Created: s.created, Trust: trust,
			Inline:   []gaadInline{{Name: "table", Doc: doc}},
			Attached: []gaadAttached{{Name: "AWSLambdaBasicExecutionRole", Arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}}})
	}
	writeXML(w, 200, out)
}

func writeAWSJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(200)
	_, _ = w.Write(b)
}

type stsIdentity struct {
	XMLName   xml.Name `xml:"GetCallerIdentityResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Arn       string   `xml:"GetCallerIdentityResult>Arn"`
	UserID    string   `xml:"GetCallerIdentityResult>UserId"`
	Account   string   `xml:"GetCallerIdentityResult>Account"`
	RequestID string   `xml:"ResponseMetadata>RequestId"`
}

type gaad struct {
	XMLName   xml.Name   `xml:"GetAccountAuthorizationDetailsResponse"`
	Xmlns     string     `xml:"xmlns,attr"`
	Roles     []gaadRole `xml:"GetAccountAuthorizationDetailsResult>RoleDetailList>member"`
	Truncated bool       `xml:"GetAccountAuthorizationDetailsResult>IsTruncated"`
	Marker    string     `xml:"GetAccountAuthorizationDetailsResult>Marker,omitempty"`
	RequestID string     `xml:"ResponseMetadata>RequestId"`
}

type gaadRole struct {
	Path     string         `xml:"Path"`
	Name     string         `xml:"RoleName"`
	ID       string         `xml:"RoleId"`
	Arn      string         `xml:"Arn"`
	Created  string         `xml:"CreateDate"`
	Trust    string         `xml:"AssumeRolePolicyDocument"`
	Inline   []gaadInline   `xml:"RolePolicyList>member"`
	Attached []gaadAttached `xml:"AttachedManagedPolicies>member"`
}

type gaadInline struct {
	Name string `xml:"PolicyName"`
	Doc  string `xml:"PolicyDocument"`
}

type gaadAttached struct {
	Name string `xml:"PolicyName"`
	Arn  string `xml:"PolicyArn"`
}

type ec2Subnets struct {
	XMLName   xml.Name    `xml:"DescribeSubnetsResponse"`
	Xmlns     string      `xml:"xmlns,attr"`
	RequestID string      `xml:"requestId"`
	Subnets   []ec2Subnet `xml:"subnetSet>item"`
}

type ec2Subnet struct {
	ID string `xml:"subnetId"`
	AZ string `xml:"availabilityZone"`
}

type ec2Groups struct {
	XMLName   xml.Name   `xml:"DescribeSecurityGroupsResponse"`
	Xmlns     string     `xml:"xmlns,attr"`
	RequestID string     `xml:"requestId"`
	Groups    []ec2Group `xml:"securityGroupInfo>item"`
}

type ec2Group struct {
	ID     string    `xml:"groupId"`
	Egress []ec2Perm `xml:"ipPermissionsEgress>item"`
}

type ec2Perm struct {
	Protocol string     `xml:"ipProtocol"`
	From     int        `xml:"fromPort"`
	To       int        `xml:"toPort"`
	Ranges   []ec2Range `xml:"ipRanges>item"`
}

type ec2Range struct {
	CIDR string `xml:"cidrIp"`
}
