package cloudtrail

import (
	"net/url"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

// Resources of a call come from the record: the ARNs of resources[], and
// ARNs built from requestParameters (tableName, bucketName and key,
// queueUrl, secretId, keyId, functionName, ...) with the record's region
// and account. Each candidate is classified by the IAM resource type whose
// ARN template it matches best, and kept for an action only when the
// action can be scoped to that type.

// arnTemplate is one resource type's ARN template, split into literal
// parts and variables.
type arnTemplate struct {
	name    string
	text    string
	parts   []string // literal, variable, literal, ..., literal (len odd)
	literal int      // total literal length: the more, the more specific
}

// parseTemplate splits "arn:${Partition}:s3:::${BucketName}/${ObjectName}".
func parseTemplate(name, tmpl string) arnTemplate {
	t := arnTemplate{name: name, text: tmpl}
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		t.parts = append(t.parts, tmpl[:i], tmpl[i+2:i+j])
		t.literal += i
		tmpl = tmpl[i+j+1:]
	}
	t.parts = append(t.parts, tmpl)
	t.literal += len(tmpl)
	return t
}

// match reports whether arn fits the template: a variable in the middle
// matches any run without ':' (it may hold '/'), the last variable matches
// the (non-empty) rest.
func (t *arnTemplate) match(arn string) bool { return matchParts(t.parts, arn) }

func matchParts(parts []string, s string) bool {
	lit := parts[0]
	if !strings.HasPrefix(s, lit) {
		return false
	}
	s = s[len(lit):]
	if len(parts) == 1 {
		return s == ""
	}
	if len(parts) == 3 && parts[2] == "" {
		return s != "" // the last variable takes the rest
	}
	// Try every end for this variable (no ':' inside, unless it is last).
	for k := 0; k <= len(s); k++ {
		if matchParts(parts[2:], s[k:]) {
			return true
		}
		if k < len(s) && s[k] == ':' {
			return false
		}
	}
	return false
}

// resourceTypes classifies ARNs by resource type, per service, from the
// catalog's templates. It is per worker (not safe for concurrent use).
type resourceTypes struct {
	catalog  *iampolicy.Catalog
	services map[string][]arnTemplate
}

func newResourceTypes(c *iampolicy.Catalog) *resourceTypes {
	return &resourceTypes{catalog: c, services: map[string][]arnTemplate{}}
}

// templates returns the service's templates, most specific first.
func (rt *resourceTypes) templates(service string) []arnTemplate {
	if ts, ok := rt.services[service]; ok {
		return ts
	}
	seen := map[string]bool{}
	var ts []arnTemplate
	for _, a := range rt.catalog.Expand(service + ":*") {
		for _, typ := range a.ResourceTypes {
			if seen[typ] {
				continue
			}
			seen[typ] = true
			if tmpl, ok := rt.catalog.ResourceARNTemplate(a.Service, typ); ok {
				ts = append(ts, parseTemplate(typ, tmpl))
			}
		}
	}
	slices.SortStableFunc(ts, func(a, b arnTemplate) int {
		if a.literal != b.literal {
			return b.literal - a.literal
		}
		return strings.Compare(a.name, b.name)
	})
	rt.services[service] = ts
	return ts
}

// typeOf returns the resource type of arn within service ("" if none fits).
func (rt *resourceTypes) typeOf(service, arn string) string {
	if t := rt.best(service, arn); t != nil {
		return t.name
	}
	return ""
}

// best returns the most specific template arn matches, or nil.
func (rt *resourceTypes) best(service, arn string) *arnTemplate {
	for i, ts := 0, rt.templates(service); i < len(ts); i++ {
		if ts[i].match(arn) {
			return &ts[i]
		}
	}
	return nil
}

// fits reports whether an action scoped to types can name arn: the ARN's
// most specific type is one of them, or it is a qualified form (":" and a
// version or alias) of one of them, as a Lambda function ARN with its
// alias is for lambda:InvokeFunction. A sub-resource ("/...", such as an
// S3 object under a bucket) does not fit its parent's type.
func (rt *resourceTypes) fits(service, arn string, types []string) bool {
	b := rt.best(service, arn)
	if b == nil {
		return false
	}
	if slices.Contains(types, b.name) {
		return true
	}
	for _, t := range rt.templates(service) {
		if slices.Contains(types, t.name) && strings.HasPrefix(b.text, t.text+":") && t.match(arn) {
			return true
		}
	}
	return false
}

// arnService is the service field of an ARN.
func arnService(arn string) string {
	f := strings.SplitN(arn, ":", 4)
	if len(f) < 4 || f[0] != "arn" {
		return ""
	}
	return f[2]
}

// callContext is what ARNs built from parameters need.
type callContext struct {
	partition, region, account string
}

func (c callContext) arn(service, region, account, resource string) string {
	return "arn:" + c.partition + ":" + service + ":" + region + ":" + account + ":" + resource
}

// paramARNs builds candidate ARNs from requestParameters' top-level values.
func paramARNs(params map[string]string, lists map[string][]string, c callContext) []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	isARN := func(s string) bool { return strings.HasPrefix(s, "arn:") }
	if t := params["tableName"]; t != "" {
		table := t
		if !isARN(t) {
			table = c.arn("dynamodb", c.region, c.account, "table/"+escapeARN(t))
		}
		add(table)
		if idx := params["indexName"]; idx != "" {
			add(table + "/index/" + escapeARN(idx))
		}
	}
	if b := params["bucketName"]; b != "" {
		bucket := "arn:" + c.partition + ":s3:::" + escapeARN(b)
		add(bucket)
		if k := params["key"]; k != "" {
			add(bucket + "/" + escapeARN(k))
		}
	}
	if q := params["queueUrl"]; q != "" {
		add(queueARN(q, c))
	}
	if s := params["secretId"]; s != "" {
		if isARN(s) {
			add(s)
		} else {
			// A name: the ARN ends in a random six-character suffix.
			add(c.arn("secretsmanager", c.region, c.account, "secret:"+escapeARN(s)+"-??????"))
		}
	}
	for _, k := range []string{"keyId", "sourceKeyId", "destinationKeyId"} {
		if s := params[k]; s != "" {
			switch {
			case isARN(s):
				add(s)
			case strings.HasPrefix(s, "alias/"):
				add(c.arn("kms", c.region, c.account, escapeARN(s)))
			default:
				add(c.arn("kms", c.region, c.account, "key/"+escapeARN(s)))
			}
		}
	}
	if fn := params["functionName"]; fn != "" {
		add(functionARN(fn, params["qualifier"], c))
	}
	names := append([]string{params["name"]}, lists["names"]...)
	for _, n := range names {
		if n != "" && !isARN(n) {
			add(c.arn("ssm", c.region, c.account, "parameter/"+escapeARN(strings.TrimPrefix(n, "/"))))
		}
	}
	if s := params["streamName"]; s != "" {
		add(c.arn("kinesis", c.region, c.account, "stream/"+escapeARN(s)))
	}
	if g := params["logGroupName"]; g != "" {
		group := c.arn("logs", c.region, c.account, "log-group:"+escapeARN(g))
		add(group)
		if s := params["logStreamName"]; s != "" {
			add(group + ":log-stream:" + escapeARN(s))
		}
	}
	// Any other ARN-valued parameter (topicArn, stateMachineArn, roleArn, ...).
	for _, v := range params {
		if isARN(v) {
			add(v)
		}
	}
	for _, vs := range lists {
		for _, v := range vs {
			if isARN(v) {
				add(v)
			}
		}
	}
	return out
}

// queueARN turns https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (or the
// legacy queue.amazonaws.com forms) into the queue's ARN.
func queueARN(queueURL string, c callContext) string {
	u, err := url.Parse(queueURL)
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) != 2 || segs[0] == "" || segs[1] == "" {
		return ""
	}
	region := c.region
	host := strings.Split(u.Hostname(), ".")
	switch {
	case len(host) >= 3 && host[0] == "sqs":
		region = host[1]
	case len(host) >= 3 && host[1] == "queue":
		region = host[0]
	}
	return c.arn("sqs", region, segs[0], escapeARN(segs[1]))
}

// functionARN turns a function name, partial ARN (ACCOUNT:function:NAME)
// or full ARN into the function's ARN, with its qualifier.
func functionARN(fn, qualifier string, c callContext) string {
	region, account, name := c.region, c.account, fn
	if rest, ok := strings.CutPrefix(fn, "arn:"); ok {
		f := strings.Split(rest, ":")
		if len(f) < 6 || f[1] != "lambda" || f[4] != "function" {
			return fn
		}
		region, account, name = f[2], f[3], strings.Join(f[5:], ":")
	} else if f := strings.Split(fn, ":"); len(f) >= 3 && f[1] == "function" {
		account, name = f[0], strings.Join(f[2:], ":")
	}
	if qualifier != "" && !strings.Contains(name, ":") {
		name += ":" + qualifier
	}
	return c.arn("lambda", region, account, "function:"+escapeARN(name))
}

// escapeARN writes the characters IAM reads as wildcards or variables in a
// Resource as policy variables, so that a name holding them grants only
// itself.
func escapeARN(s string) string {
	if !strings.ContainsAny(s, "*?$") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*':
			b.WriteString("${*}")
		case '?':
			b.WriteString("${?}")
		case '$':
			b.WriteString("${$}")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeRecordARN escapes an ARN taken verbatim from a record.
func escapeRecordARN(arn string) string { return escapeARN(arn) }
