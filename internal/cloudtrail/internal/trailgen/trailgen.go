// Package trailgen writes synthetic CloudTrail log sets in the S3 delivery
// layout (AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/*.json.gz) for
// throughput benchmarks. The records follow the CloudTrail record schema
// (eventVersion 1.09/1.10 fields: session context, TLS details, additional
// event data, resources); the mix is one Lambda execution role
// (order-service-exec-role, session order-service-handler) among several
// others, CI deployments, an IAM user in the console and AWS service
// events, mostly data events. Output is deterministic for a seed.
package trailgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// RoleARN is the execution role whose sessions the generated logs hold.
const RoleARN = "arn:aws:iam::" + account + ":role/order-service-exec-role"

// Options say what to generate.
type Options struct {
	// Total and FileSize are uncompressed sizes in bytes.
	Total, FileSize int64
	Seed            uint64
	Workers         int
	// Level is the gzip level (default 6, gzip's).
	Level int
}

// Result counts what was written.
type Result struct {
	Files                    int
	Uncompressed, Compressed int64
}

// Generate writes the log set under dir.
func Generate(dir string, opts Options) (Result, error) {
	if opts.FileSize <= 0 {
		opts.FileSize = 4 << 20
	}
	if opts.Level == 0 {
		opts.Level = 6
	}
	n := int((opts.Total + opts.FileSize - 1) / opts.FileSize)
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	next := make(chan int)
	var mu sync.Mutex
	res := Result{Files: n}
	var firstErr error
	for w := 0; w < max(opts.Workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := range next {
				g := newGen(opts.Seed, i)
				t := start.Add(time.Duration(i) * 5 * time.Minute)
				region := regions[i%len(regions)]
				buf.Reset()
				g.file(&buf, t, region, opts.FileSize)
				path := filepath.Join(dir, "AWSLogs", account, "CloudTrail", region, t.Format("2006/01/02"),
					fmt.Sprintf("%s_CloudTrail_%s_%s_%016X.json.gz", account, region, t.Format("20060102T1504Z"), g.r.Uint64()))
				c, err := writeGzip(path, buf.Bytes(), opts.Level)
				mu.Lock()
				res.Uncompressed += int64(buf.Len())
				res.Compressed += c
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return res, firstErr
}

// File returns one uncompressed log file of about size bytes.
func File(seed uint64, index int, size int64) []byte {
	var b bytes.Buffer
	newGen(seed, index).file(&b, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), regions[index%len(regions)], size)
	return b.Bytes()
}

func writeGzip(path string, data []byte, level int) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	zw, err := gzip.NewWriterLevel(f, level)
	if err == nil {
		_, err = zw.Write(data)
	}
	if err == nil {
		err = zw.Close()
	}
	var size int64
	if err == nil {
		var fi os.FileInfo
		if fi, err = f.Stat(); err == nil {
			size = fi.Size()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return size, err
}

const account = "123456789012"

var regions = []string{"us-east-1", "us-east-1", "us-east-1", "eu-west-1"}

// gen writes records with its own random source.
type gen struct{ r *rand.Rand }

func newGen(seed uint64, file int) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, uint64(file)))}
}

// identity is a principal that makes calls.
type identity struct {
	kind     string // AssumedRole, IAMUser, AWSService
	role     string
	session  string
	user     string
	ua       string
	console  bool
	services []call
}

// call is an API call an identity makes, with its parameters and resources.
type call struct {
	source, name string
	data         bool
	write        func(g *gen, b *buf, region string) // requestParameters and resources
}

type buf = bytes.Buffer

func (g *gen) pick(n int) int { return g.r.IntN(n) }

func (g *gen) uuid() string {
	a, b := g.r.Uint64(), g.r.Uint64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(a>>32), uint16(a>>16), uint16(a)&0x0fff|0x4000, uint16(b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

func str(b *buf, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

func kv(b *buf, k, v string) {
	str(b, k)
	b.WriteByte(':')
	str(b, v)
}

func resources(b *buf, arns ...string) {
	b.WriteString(`,"resources":[`)
	for i, a := range arns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"accountId":"` + account + `","type":"AWS::Resource","ARN":`)
		str(b, a)
		b.WriteByte('}')
	}
	b.WriteByte(']')
}

const sdkUA = "aws-sdk-js/3.600.0 ua/2.1 os/linux#5.10.219-229.866.amzn2.x86_64 lang/js md/nodejs#20.15.1 api/%s#3.600.0 exec-env/AWS_Lambda_nodejs20.x"

var orderCalls = []call{
	{"dynamodb.amazonaws.com", "GetItem", true, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"tableName":"Orders","key":{"pk":{"S":"ORDER#%d"}},"consistentRead":false,"projectionExpression":"pk, #s, total"}`, g.pick(1e6))
		resources(b, "arn:aws:dynamodb:"+r+":"+account+":table/Orders")
	}},
	{"dynamodb.amazonaws.com", "Query", true, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"tableName":"Orders","indexName":"byCustomer","keyConditionExpression":"customerId = :c","limit":%d}`, 10+g.pick(90))
		resources(b, "arn:aws:dynamodb:"+r+":"+account+":table/Orders")
	}},
	{"dynamodb.amazonaws.com", "PutItem", true, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"tableName":"Orders","key":{"pk":{"S":"ORDER#%d"}}}`, g.pick(1e6))
		resources(b, "arn:aws:dynamodb:"+r+":"+account+":table/Orders")
	}},
	{"s3.amazonaws.com", "GetObject", true, func(g *gen, b *buf, r string) {
		key := fmt.Sprintf("invoices/2026/%02d/%d.pdf", 1+g.pick(12), g.pick(1e6))
		fmt.Fprintf(b, `{"bucketName":"example-order-attachments","Host":"example-order-attachments.s3.%s.amazonaws.com","key":"%s"}`, r, key)
		resources(b, "arn:aws:s3:::example-order-attachments/"+key, "arn:aws:s3:::example-order-attachments")
	}},
	{"s3.amazonaws.com", "PutObject", true, func(g *gen, b *buf, r string) {
		key := fmt.Sprintf("receipts/%d.json", g.pick(1e6))
		fmt.Fprintf(b, `{"bucketName":"example-order-attachments","Host":"example-order-attachments.s3.%s.amazonaws.com","key":"%s","x-amz-server-side-encryption":"aws:kms"}`, r, key)
		resources(b, "arn:aws:s3:::example-order-attachments/"+key, "arn:aws:s3:::example-order-attachments")
	}},
	{"sqs.amazonaws.com", "SendMessageBatch", true, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"queueUrl":"https://sqs.%s.amazonaws.com/%s/order-events","entries":[{"id":"1"},{"id":"2"}]}`, r, account)
		resources(b, "arn:aws:sqs:"+r+":"+account+":order-events")
	}},
	{"kms.amazonaws.com", "Decrypt", false, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","keyId":"arn:aws:kms:%s:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab"}`, r, account)
		resources(b, "arn:aws:kms:"+r+":"+account+":key/1234abcd-12ab-34cd-56ef-1234567890ab")
	}},
	{"secretsmanager.amazonaws.com", "GetSecretValue", false, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"secretId":"arn:aws:secretsmanager:%s:%s:secret:prod/orders/db-AbCdEf"}`, r, account)
	}},
}

var otherCalls = []call{
	{"dynamodb.amazonaws.com", "Scan", true, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"tableName":"Inventory","limit":100,"exclusiveStartKey":{"sku":{"S":"SKU-%d"}}}`, g.pick(1e5))
		resources(b, "arn:aws:dynamodb:"+r+":"+account+":table/Inventory")
	}},
	{"s3.amazonaws.com", "HeadObject", true, func(g *gen, b *buf, r string) {
		key := fmt.Sprintf("images/%d/%d.jpg", g.pick(1000), g.pick(1e6))
		fmt.Fprintf(b, `{"bucketName":"example-media","Host":"example-media.s3.%s.amazonaws.com","key":"%s"}`, r, key)
		resources(b, "arn:aws:s3:::example-media/"+key, "arn:aws:s3:::example-media")
	}},
	{"sns.amazonaws.com", "Publish", true, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"topicArn":"arn:aws:sns:%s:%s:alerts","messageStructure":"json"}`, r, account)
		resources(b, "arn:aws:sns:"+r+":"+account+":alerts")
	}},
	{"lambda.amazonaws.com", "Invoke", true, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"functionName":"arn:aws:lambda:%s:%s:function:thumbnailer","invocationType":"Event"}`, r, account)
		resources(b, "arn:aws:lambda:"+r+":"+account+":function:thumbnailer")
	}},
	{"logs.amazonaws.com", "CreateLogStream", false, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"logGroupName":"/aws/lambda/thumbnailer","logStreamName":"2026/08/20/[$LATEST]%016x"}`, g.r.Uint64())
	}},
	{"ssm.amazonaws.com", "GetParameter", false, func(g *gen, b *buf, r string) {
		b.WriteString(`{"name":"/prod/media/config","withDecryption":true}`)
	}},
}

var deployCalls = []call{
	{"lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, func(g *gen, b *buf, r string) {
		fmt.Fprintf(b, `{"functionName":"%s","publish":true,"s3Bucket":"example-artifacts","s3Key":"builds/%d.zip"}`, []string{"order-service-handler", "thumbnailer", "report-gen"}[g.pick(3)], g.pick(1e6))
	}},
	{"lambda.amazonaws.com", "GetFunction20150331v2", false, func(g *gen, b *buf, r string) {
		b.WriteString(`{"functionName":"order-service-handler"}`)
	}},
	{"cloudformation.amazonaws.com", "DescribeStacks", false, func(g *gen, b *buf, r string) {
		b.WriteString(`{"stackName":"orders"}`)
	}},
}

var identities = []struct {
	weight int
	id     identity
}{
	{20, identity{kind: "AssumedRole", role: "order-service-exec-role", session: "order-service-handler", services: orderCalls}},
	{35, identity{kind: "AssumedRole", role: "media-exec-role", session: "thumbnailer", services: otherCalls}},
	{25, identity{kind: "AssumedRole", role: "shared-exec-role", session: "report-gen", services: append(append([]call{}, otherCalls...), orderCalls[:3]...)}},
	{8, identity{kind: "AssumedRole", role: "ci-deploy", session: "gh-actions-run", ua: "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9", services: deployCalls}},
	{4, identity{kind: "IAMUser", user: "alice", ua: "console.amazonaws.com", console: true, services: deployCalls}},
	{8, identity{kind: "AWSService", ua: "lambda.amazonaws.com"}},
}

func (g *gen) identity() identity {
	n := g.pick(100)
	for _, w := range identities {
		if n < w.weight {
			return w.id
		}
		n -= w.weight
	}
	return identities[0].id
}

// file writes one log file's {"Records":[...]} of about size bytes.
func (g *gen) file(b *buf, t time.Time, region string, size int64) {
	b.WriteString(`{"Records":[`)
	for i := 0; int64(b.Len()) < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		t = t.Add(time.Duration(g.pick(300)) * time.Millisecond)
		g.record(b, t, region)
	}
	b.WriteString("]}")
}

func (g *gen) record(b *buf, t time.Time, region string) {
	id := g.identity()
	ts := t.UTC().Format("2006-01-02T15:04:05Z")
	b.WriteString(`{"eventVersion":"1.10","userIdentity":{`)
	var c call
	ua := id.ua
	switch id.kind {
	case "AWSService":
		b.WriteString(`"type":"AWSService","invokedBy":"lambda.amazonaws.com"},`)
		c = call{"sts.amazonaws.com", "AssumeRole", false, func(g *gen, b *buf, r string) {
			fmt.Fprintf(b, `{"roleArn":"arn:aws:iam::%s:role/order-service-exec-role","roleSessionName":"order-service-handler"}`, account)
		}}
	case "IAMUser":
		fmt.Fprintf(b, `"type":"IAMUser","principalId":"AIDAEXAMPLE%08d","arn":"arn:aws:iam::%s:user/%s","accountId":"%s","userName":"%s"},`, g.pick(1e8), account, id.user, account, id.user)
		c = id.services[g.pick(len(id.services))]
	default:
		c = id.services[g.pick(len(id.services))]
		fmt.Fprintf(b, `"type":"AssumedRole","principalId":"AROAEXAMPLE%08d:%s","arn":"arn:aws:sts::%s:assumed-role/%s/%s","accountId":"%s",`+
			`"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE%08d","arn":"arn:aws:iam::%s:role/%s","accountId":"%s","userName":"%s"},`+
			`"attributes":{"creationDate":"%s","mfaAuthenticated":"false"}}},`,
			g.pick(1e8), id.session, account, id.role, id.session, account, g.pick(1e8), account, id.role, account, id.role, ts)
		if ua == "" {
			ua = fmt.Sprintf(sdkUA, strings.TrimSuffix(c.source, ".amazonaws.com"))
		}
	}
	fmt.Fprintf(b, `"eventTime":"%s","eventSource":"%s","eventName":"%s","awsRegion":"%s","sourceIPAddress":"3.%d.%d.%d",`,
		ts, c.source, c.name, region, g.pick(256), g.pick(256), g.pick(256))
	kv(b, "userAgent", ua)
	b.WriteString(`,"requestParameters":`)
	var rb buf
	c.write(g, &rb, region)
	params, res, _ := strings.Cut(rb.String(), `,"resources":`)
	b.WriteString(params)
	b.WriteString(`,"responseElements":null`)
	if c.name == "GetParameter" && g.pick(3) == 0 {
		b.WriteString(`,"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform: ssm:GetParameter"`)
	}
	fmt.Fprintf(b, `,"requestID":"%s","eventID":"%s","readOnly":%t`, g.uuid(), g.uuid(), g.pick(2) == 0)
	if res != "" {
		b.WriteString(`,"resources":`)
		b.WriteString(res)
	}
	category, mgmt := "Management", true
	if c.data {
		category, mgmt = "Data", false
	}
	fmt.Fprintf(b, `,"eventType":"AwsApiCall","managementEvent":%t,"recipientAccountId":"%s","eventCategory":"%s"`, mgmt, account, category)
	if id.console {
		b.WriteString(`,"sessionCredentialFromConsole":"true"`)
	}
	fmt.Fprintf(b, `,"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"%s.%s.amazonaws.com"}`,
		strings.TrimSuffix(c.source, ".amazonaws.com"), region)
	if c.data && c.source == "s3.amazonaws.com" {
		fmt.Fprintf(b, `,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"%016x%016x","bytesTransferredOut":%d}`,
			g.r.Uint64(), g.r.Uint64(), g.pick(1<<20))
	}
	b.WriteByte('}')
}
