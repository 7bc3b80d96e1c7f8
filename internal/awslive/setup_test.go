package awslive_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cfgtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lambdawarden/lambdawarden/internal/awstest"
)

// The world the integration tests build through the AWS API: two accounts
// (the caller's and one reached by assuming a role), two regions.
const (
	acctA    = awstest.DefaultAccount
	acctB    = "210987654321"
	roleB    = "arn:aws:iam::" + acctB + ":role/Auditor"
	regionUS = "us-east-1"
	regionEU = "eu-west-1"
)

// world holds the SDK configuration of each account, pointed at the proxy.
type world struct {
	t     *testing.T
	proxy *awstest.Proxy
	cfgA  aws.Config
	cfgB  aws.Config
}

func baseConfig(endpoint, region string, creds aws.CredentialsProvider) aws.Config {
	return aws.Config{
		Region: region, Credentials: creds, BaseEndpoint: aws.String(endpoint),
		RetryMaxAttempts: 2, HTTPClient: http.DefaultClient,
	}
}

func newWorld(t *testing.T, proxy *awstest.Proxy) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, proxy: proxy}
	w.cfgA = baseConfig(proxy.URL, regionUS, credentials.NewStaticCredentialsProvider("testing", "testing", ""))
	out, err := sts.NewFromConfig(w.cfgA).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleB), RoleSessionName: aws.String("setup")})
	if err != nil {
		t.Fatalf("assume %s: %v", roleB, err)
	}
	c := out.Credentials
	w.cfgB = baseConfig(proxy.URL, regionUS, credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
	return w
}

func (w *world) in(cfg aws.Config, region string) aws.Config {
	c := cfg.Copy()
	c.Region = region
	return c
}

func (w *world) must(err error, what string) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
}

const lambdaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func (w *world) role(cfg aws.Config, name, trust string, inline map[string]string, managed ...string) string {
	ctx := context.Background()
	cl := iam.NewFromConfig(cfg)
	out, err := cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	w.must(err, "create role "+name)
	for pn, doc := range inline {
		_, err := cl.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pn), PolicyDocument: aws.String(doc)})
		w.must(err, "put role policy "+pn)
	}
	for _, arn := range managed {
		_, err := cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)})
		w.must(err, "attach "+arn)
	}
	return aws.ToString(out.Role.Arn)
}

// zipCode is a deployment package with one handler file.
func zipCode() []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, _ := zw.Create("index.py")
	_, _ = f.Write([]byte("def handler(event, context):\n    return event\n"))
	_ = zw.Close()
	return buf.Bytes()
}

func (w *world) function(cfg aws.Config, in *lambda.CreateFunctionInput) string {
	w.t.Helper()
	if in.Code == nil {
		in.Code = &ltypes.FunctionCode{ZipFile: zipCode()}
	}
	if in.Handler == nil {
		in.Handler = aws.String("index.handler")
	}
	out, err := lambda.NewFromConfig(cfg).CreateFunction(context.Background(), in)
	w.must(err, "create function "+aws.ToString(in.FunctionName))
	return aws.ToString(out.FunctionArn)
}

// bucket creates an S3 bucket with a raw S3 REST call (the project pins no
// S3 client); moto reads the account and region from the credential scope.
func (w *world) bucket(name, accessKey string) {
	req, _ := http.NewRequest(http.MethodPut, w.proxy.URL+"/"+name, nil)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+accessKey+"/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	w.must(err, "create bucket")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		w.t.Fatalf("create bucket %s: HTTP %d", name, resp.StatusCode)
	}
}

// guardRails turns every account guard rail on in cfg's region.
func (w *world) guardRails(cfg aws.Config, account, accessKey string) {
	ctx := context.Background()
	bucket := "trail-" + account
	w.bucket(bucket, accessKey)
	ct := cloudtrail.NewFromConfig(cfg)
	_, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("org-trail"), S3BucketName: aws.String(bucket), IsMultiRegionTrail: aws.Bool(true)})
	w.must(err, "create trail")
	_, err = ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String("org-trail"), EventSelectors: []cttypes.EventSelector{{
		IncludeManagementEvents: aws.Bool(true), ReadWriteType: cttypes.ReadWriteTypeAll,
		DataResources: []cttypes.DataResource{{Type: aws.String("AWS::Lambda::Function"), Values: []string{"arn:aws:lambda"}}},
	}}})
	w.must(err, "put event selectors")
	_, err = ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("org-trail")})
	w.must(err, "start logging")

	cs := configservice.NewFromConfig(cfg)
	_, err = cs.PutConfigurationRecorder(ctx, &configservice.PutConfigurationRecorderInput{ConfigurationRecorder: &cfgtypes.ConfigurationRecorder{
		Name: aws.String("default"), RoleARN: aws.String("arn:aws:iam::" + account + ":role/config"),
		RecordingGroup: &cfgtypes.RecordingGroup{AllSupported: true, IncludeGlobalResourceTypes: true},
	}})
	w.must(err, "put recorder")
	_, err = cs.PutDeliveryChannel(ctx, &configservice.PutDeliveryChannelInput{DeliveryChannel: &cfgtypes.DeliveryChannel{Name: aws.String("default"), S3BucketName: aws.String(bucket)}})
	w.must(err, "put delivery channel")
	_, err = cs.StartConfigurationRecorder(ctx, &configservice.StartConfigurationRecorderInput{ConfigurationRecorderName: aws.String("default")})
	w.must(err, "start recorder")

	_, err = accessanalyzer.NewFromConfig(cfg).CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("account"), Type: aatypes.TypeAccount})
	w.must(err, "create analyzer")
	_, err = inspector2.NewFromConfig(cfg).Enable(ctx, &inspector2.EnableInput{AccountIds: []string{account},
		ResourceTypes: []insptypes.ResourceScanType{insptypes.ResourceScanTypeLambda, insptypes.ResourceScanTypeLambdaCode}})
	w.must(err, "enable inspector")
	_, err = guardduty.NewFromConfig(cfg).CreateDetector(ctx, &guardduty.CreateDetectorInput{Enable: aws.Bool(true),
		Features: []gdtypes.DetectorFeatureConfiguration{{Name: gdtypes.DetectorFeatureLambdaNetworkLogs, Status: gdtypes.FeatureStatusEnabled}}})
	w.must(err, "create detector")
}

// foreignLayer publishes a layer version in another account (AWS's, a
// vendor's) and returns its ARN.
func (w *world) foreignLayer(account, name string) string {
	ctx := context.Background()
	out, err := sts.NewFromConfig(w.cfgA).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + account + ":role/publisher"), RoleSessionName: aws.String("publisher")})
	w.must(err, "assume publisher")
	c := out.Credentials
	cfg := baseConfig(w.proxy.URL, regionUS, credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
	l, err := lambda.NewFromConfig(cfg).PublishLayerVersion(ctx, &lambda.PublishLayerVersionInput{LayerName: aws.String(name), Content: &ltypes.LayerVersionContentInput{ZipFile: zipCode()}})
	w.must(err, "publish layer "+name)
	return aws.ToString(l.LayerVersionArn)
}

func (w *world) logGroup(cfg aws.Config, name string, days int32) {
	ctx := context.Background()
	cl := cloudwatchlogs.NewFromConfig(cfg)
	_, err := cl.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name)})
	w.must(err, "create log group")
	if days > 0 {
		_, err = cl.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(name), RetentionInDays: aws.Int32(days)})
		w.must(err, "put retention")
	}
}

func (w *world) alarm(cfg aws.Config, name, metric, function string) {
	_, err := cloudwatch.NewFromConfig(cfg).PutMetricAlarm(context.Background(), &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(name), Namespace: aws.String("AWS/Lambda"), MetricName: aws.String(metric),
		Dimensions: []cwtypes.Dimension{{Name: aws.String("FunctionName"), Value: aws.String(function)}},
		Statistic:  cwtypes.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
	})
	w.must(err, "put alarm "+name)
}

func policyDoc(statements ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(b)
}

// build creates the resources every integration test scans. It returns the
// time the deployments were made.
func (w *world) build() {
	ctx := context.Background()
	w.t.Helper()
	usA, euA, euB := w.in(w.cfgA, regionUS), w.in(w.cfgA, regionEU), w.in(w.cfgB, regionEU)

	// Account A guard rails in us-east-1 only (the trail is multi-region).
	w.guardRails(usA, acctA, "testing")

	// Roles.
	goodRole := w.role(usA, "orders-role", lambdaTrust, map[string]string{
		"logs": policyDoc(map[string]any{"Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": "arn:aws:logs:us-east-1:" + acctA + ":log-group:/aws/lambda/orders:*"}),
		"table": policyDoc(map[string]any{"Effect": "Allow", "Action": []string{"dynamodb:GetItem", "dynamodb:PutItem"},
			"Resource": "arn:aws:dynamodb:us-east-1:" + acctA + ":table/orders"}),
	})
	wideRole := w.role(usA, "shared-role", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com","AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}`,
		map[string]string{"wide": policyDoc(
			map[string]any{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": []string{"iam:PassRole", "secretsmanager:GetSecretValue"}, "Resource": "*"},
		)},
		"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess")
	w.proxy.SetLastAccessed(goodRole, []awstest.ServiceRow{{Namespace: "dynamodb", LastAuthenticated: time.Now().Add(-48 * time.Hour)},
		{Namespace: "logs", LastAuthenticated: time.Now().Add(-time.Hour)}})
	w.proxy.SetLastAccessed(wideRole, []awstest.ServiceRow{{Namespace: "s3"}, {Namespace: "iam"},
		{Namespace: "secretsmanager", LastAuthenticated: time.Now().Add(-200 * 24 * time.Hour)}})

	// The compliant function.
	lc := lambda.NewFromConfig(usA)
	csc, err := lc.CreateCodeSigningConfig(ctx, &lambda.CreateCodeSigningConfigInput{
		AllowedPublishers:   &ltypes.AllowedPublishers{SigningProfileVersionArns: []string{"arn:aws:signer:us-east-1:" + acctA + ":/signing-profiles/ci/abc"}},
		CodeSigningPolicies: &ltypes.CodeSigningPolicies{UntrustedArtifactOnDeployment: ltypes.CodeSigningPolicyEnforce},
	})
	w.must(err, "create code signing config")
	w.function(usA, &lambda.CreateFunctionInput{
		FunctionName: aws.String("orders"), Runtime: ltypes.RuntimePython312, Role: aws.String(goodRole), Publish: true,
		Environment:          &ltypes.Environment{Variables: map[string]string{"LOG_LEVEL": "info", "TABLE_NAME": "orders"}},
		KMSKeyArn:            aws.String("arn:aws:kms:us-east-1:" + acctA + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"),
		TracingConfig:        &ltypes.TracingConfig{Mode: ltypes.TracingModeActive},
		LoggingConfig:        &ltypes.LoggingConfig{LogFormat: ltypes.LogFormatJson},
		DeadLetterConfig:     &ltypes.DeadLetterConfig{TargetArn: aws.String("arn:aws:sqs:us-east-1:" + acctA + ":orders-dlq")},
		CodeSigningConfigArn: csc.CodeSigningConfig.CodeSigningConfigArn,
		Layers:               []string{w.foreignLayer("580247275435", "LambdaInsightsExtension")},
		Timeout:              aws.Int32(30), MemorySize: aws.Int32(256),
	})
	_, err = lc.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("orders"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	w.must(err, "create alias")
	_, err = lc.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("orders"), ReservedConcurrentExecutions: aws.Int32(10)})
	w.must(err, "put concurrency")
	_, err = lc.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("orders"), StatementId: aws.String("api"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
		SourceArn: aws.String("arn:aws:execute-api:us-east-1:" + acctA + ":a1b2c3d4e5/*/POST/orders")})
	w.must(err, "add permission")
	w.logGroup(usA, "/aws/lambda/orders", 400)
	w.alarm(usA, "orders-errors", "Errors", "orders")
	w.alarm(usA, "orders-throttles", "Throttles", "orders")

	// A VPC in one AZ with the default security group (all egress open).
	ec := ec2.NewFromConfig(usA)
	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	w.must(err, "create vpc")
	subnet, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	w.must(err, "create subnet")
	sg, err := ec.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("fn"), Description: aws.String("fn"), VpcId: vpc.Vpc.VpcId})
	w.must(err, "create security group")

	// A public layer of the account.
	layer, err := lc.PublishLayerVersion(ctx, &lambda.PublishLayerVersionInput{LayerName: aws.String("shared-lib"), Content: &ltypes.LayerVersionContentInput{ZipFile: zipCode()}})
	w.must(err, "publish layer")
	_, err = lc.AddLayerVersionPermission(ctx, &lambda.AddLayerVersionPermissionInput{LayerName: aws.String("shared-lib"), VersionNumber: aws.Int64(layer.Version),
		StatementId: aws.String("public"), Action: aws.String("lambda:GetLayerVersion"), Principal: aws.String("*")})
	w.must(err, "add layer permission")

	// The non-compliant functions, sharing a role.
	stripe := "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
	w.function(usA, &lambda.CreateFunctionInput{
		FunctionName: aws.String("legacy"), Runtime: ltypes.RuntimePython38, Role: aws.String(wideRole),
		Environment: &ltypes.Environment{Variables: map[string]string{"STRIPE_KEY": stripe, "DB_PASSWORD": "hunter2", "DB_HOST": "10.0.0.5"}},
		VpcConfig:   &ltypes.VpcConfig{SubnetIds: []string{aws.ToString(subnet.Subnet.SubnetId)}, SecurityGroupIds: []string{aws.ToString(sg.GroupId)}},
		Layers:      []string{aws.ToString(layer.LayerVersionArn), w.foreignLayer("111122223333", "thirdparty")},
		Timeout:     aws.Int32(900), MemorySize: aws.Int32(10240),
	})
	_, err = lc.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("legacy"), StatementId: aws.String("public"),
		Action: aws.String("lambda:*"), Principal: aws.String("*")})
	w.must(err, "add public permission")
	_, err = lc.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("legacy"), StatementId: aws.String("bucket"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	w.must(err, "add s3 permission")
	_, err = lc.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("legacy"), StatementId: aws.String("partner"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("444455556666")})
	w.must(err, "add cross-account permission")
	_, err = lc.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("legacy"), StatementId: aws.String("anyapi"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com"),
		SourceArn: aws.String("arn:aws:execute-api:us-east-1:*:*/*")})
	w.must(err, "add api permission")
	_, err = lc.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("legacy"), AuthType: ltypes.FunctionUrlAuthTypeNone,
		Cors: &ltypes.Cors{AllowOrigins: []string{"*"}}})
	w.must(err, "create function url")
	_, err = lc.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("legacy"), Name: aws.String("live"), FunctionVersion: aws.String("$LATEST")})
	w.must(err, "create alias")
	w.logGroup(usA, "/aws/lambda/legacy", 0)

	// worker: in two AZs behind a security group that only reaches the VPC.
	subnetB, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String("us-east-1b")})
	w.must(err, "create subnet")
	tight, err := ec.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("tight"), Description: aws.String("tight"), VpcId: vpc.Vpc.VpcId})
	w.must(err, "create security group")
	_, err = ec.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: tight.GroupId,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
	w.must(err, "revoke egress")
	_, err = ec.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: tight.GroupId,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}}}})
	w.must(err, "authorize egress")
	w.function(usA, &lambda.CreateFunctionInput{
		FunctionName: aws.String("worker"), Runtime: ltypes.RuntimeNodejs20x, Role: aws.String(wideRole),
		Environment: &ltypes.Environment{Variables: map[string]string{"QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/" + acctA + "/jobs"}},
		VpcConfig: &ltypes.VpcConfig{SubnetIds: []string{aws.ToString(subnet.Subnet.SubnetId), aws.ToString(subnetB.Subnet.SubnetId)},
			SecurityGroupIds: []string{aws.ToString(tight.GroupId)}},
	})
	_, err = lc.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("worker"),
		DestinationConfig: &ltypes.DestinationConfig{OnFailure: &ltypes.OnFailure{Destination: aws.String("arn:aws:sqs:us-east-1:" + acctA + ":failed")}}})
	w.must(err, "put event invoke config")
	w.logGroup(usA, "/aws/lambda/worker", 30)
	w.alarm(usA, "worker-invocations", "Invocations", "worker")

	// Account A, eu-west-1: a function that cannot write its logs.
	euRole := w.role(euA, "eu-orders-role", lambdaTrust, nil)
	w.function(euA, &lambda.CreateFunctionInput{FunctionName: aws.String("orders-eu"), Runtime: ltypes.RuntimePython312, Role: aws.String(euRole)})

	// An administrator task, tagged, its role under a permissions boundary.
	ic := iam.NewFromConfig(euA)
	admin, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin-role"), AssumeRolePolicyDocument: aws.String(lambdaTrust),
		PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/PowerUserAccess")})
	w.must(err, "create admin role")
	_, err = ic.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("admin-role"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	w.must(err, "attach admin")
	w.function(euA, &lambda.CreateFunctionInput{FunctionName: aws.String("admin-task"), Runtime: ltypes.RuntimePython312, Role: admin.Role.Arn,
		Tags: map[string]string{"team": "platform"}})

	// Account B (reached by assuming a role), eu-west-1; deployed by that role.
	// It mounts EFS outside a VPC.
	bRole := w.role(euB, "b-fn-role", lambdaTrust, map[string]string{"efs": policyDoc(map[string]any{"Effect": "Allow",
		"Action":   []string{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"},
		"Resource": "arn:aws:elasticfilesystem:eu-west-1:" + acctB + ":file-system/fs-0123456789abcdef0"})},
		"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
	w.function(euB, &lambda.CreateFunctionInput{FunctionName: aws.String("billing"), Runtime: ltypes.RuntimeJava21, Role: aws.String(bRole),
		Handler: aws.String("example.Handler::handleRequest")})
	w.logGroup(euB, "/aws/lambda/billing", 365)
}
