package mapping

import (
	"slices"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

func TestMap(t *testing.T) {
	m := New(iampolicy.DefaultCatalog())
	tests := []struct {
		name      string
		ev        Event
		outcome   Outcome
		actions   []string
		unknown   []string
		resources []string
		rule      Rule
	}{
		// Renamed prefixes.
		{name: "monitoring is cloudwatch", ev: Event{Source: "monitoring.amazonaws.com", Name: "PutMetricData"},
			actions: []string{"cloudwatch:PutMetricData"}, rule: RulePrefixException},
		{name: "dynamodb streams", ev: Event{Source: "streams.dynamodb.amazonaws.com", Name: "GetRecords"},
			actions: []string{"dynamodb:GetRecords"}, rule: RulePrefixException},
		{name: "tagging is tag", ev: Event{Source: "tagging.amazonaws.com", Name: "GetResources"},
			actions: []string{"tag:GetResources"}, rule: RulePrefixException},
		{name: "pinpoint is mobiletargeting", ev: Event{Source: "pinpoint.amazonaws.com", Name: "GetApp"},
			actions: []string{"mobiletargeting:GetApp"}, rule: RulePrefixException},
		// API-version suffixes.
		{name: "lambda GetFunction suffix", ev: Event{Source: "lambda.amazonaws.com", Name: "GetFunction20150331v2"},
			actions: []string{"lambda:GetFunction"}, rule: RuleAPIVersionSuffix},
		{name: "lambda UpdateFunctionCode suffix", ev: Event{Source: "lambda.amazonaws.com", Name: "UpdateFunctionCode20150331v2"},
			actions: []string{"lambda:UpdateFunctionCode"}, rule: RuleAPIVersionSuffix},
		{name: "lambda ListFunctions suffix", ev: Event{Source: "lambda.amazonaws.com", Name: "ListFunctions20150331"},
			actions: []string{"lambda:ListFunctions"}, rule: RuleAPIVersionSuffix},
		{name: "cloudfront suffix with underscores", ev: Event{Source: "cloudfront.amazonaws.com", Name: "CreateDistribution2020_05_31"},
			actions: []string{"cloudfront:CreateDistribution"}, rule: RuleAPIVersionSuffix},
		{name: "stripped name unknown falls back to raw", ev: Event{Source: "connect.amazonaws.com", Name: "GetMetricDataV2"},
			actions: []string{"connect:GetMetricDataV2"}, rule: RuleDefault},
		{name: "digits that are part of the name", ev: Event{Source: "datasync.amazonaws.com", Name: "CreateLocationS3"},
			actions: []string{"datasync:CreateLocationS3"}, rule: RuleDefault},
		// Data events.
		{name: "lambda Invoke data event", ev: Event{Source: "lambda.amazonaws.com", Name: "Invoke"},
			actions: []string{"lambda:InvokeFunction"}, rule: RuleNameException},
		{name: "s3 GetObject data event", ev: Event{Source: "s3.amazonaws.com", Name: "GetObject"},
			actions: []string{"s3:GetObject"}, rule: RuleDefault},
		{name: "dynamodb GetItem data event", ev: Event{Source: "dynamodb.amazonaws.com", Name: "GetItem"},
			actions: []string{"dynamodb:GetItem"}, rule: RuleDefault},
		{name: "sqs SendMessageBatch", ev: Event{Source: "sqs.amazonaws.com", Name: "SendMessageBatch"},
			actions: []string{"sqs:SendMessage"}, rule: RuleNameException},
		{name: "sns PublishBatch", ev: Event{Source: "sns.amazonaws.com", Name: "PublishBatch"},
			actions: []string{"sns:Publish"}, rule: RuleNameException},
		// S3 table.
		{name: "s3 HeadObject", ev: Event{Source: "s3.amazonaws.com", Name: "HeadObject"},
			actions: []string{"s3:GetObject"}, rule: RuleNameException},
		{name: "s3 ListObjectsV2", ev: Event{Source: "s3.amazonaws.com", Name: "ListObjectsV2"},
			actions: []string{"s3:ListBucket"}, rule: RuleNameException},
		{name: "s3 ListBuckets", ev: Event{Source: "s3.amazonaws.com", Name: "ListBuckets"},
			actions: []string{"s3:ListAllMyBuckets"}, rule: RuleNameException},
		{name: "s3 CopyObject", ev: Event{Source: "s3.amazonaws.com", Name: "CopyObject"},
			actions: []string{"s3:GetObject", "s3:PutObject"}, rule: RuleNameException},
		{name: "s3 PutBucketCors", ev: Event{Source: "s3.amazonaws.com", Name: "PutBucketCors"},
			actions: []string{"s3:PutBucketCORS"}, rule: RuleNameException},
		{name: "s3 multipart", ev: Event{Source: "s3.amazonaws.com", Name: "UploadPart"},
			actions: []string{"s3:PutObject"}, rule: RuleNameException},
		// KMS.
		{name: "kms ReEncrypt", ev: Event{Source: "kms.amazonaws.com", Name: "ReEncrypt"},
			actions: []string{"kms:ReEncryptFrom", "kms:ReEncryptTo"}, rule: RuleNameException},
		{name: "kms Decrypt", ev: Event{Source: "kms.amazonaws.com", Name: "Decrypt"},
			actions: []string{"kms:Decrypt"}, rule: RuleDefault},
		// DynamoDB requests that pick actions by their parameters.
		{name: "partiql select", ev: Event{Source: "dynamodb.amazonaws.com", Name: "ExecuteStatement",
			RequestParameters: []byte(`{"statement":"SELECT * FROM \"Orders\" WHERE pk = ?"}`)},
			actions: []string{"dynamodb:PartiQLSelect"}, rule: RuleNameException},
		{name: "partiql batch", ev: Event{Source: "dynamodb.amazonaws.com", Name: "BatchExecuteStatement",
			RequestParameters: []byte(`{"statements":[{"statement":"insert into Orders value {}"},{"statement":"DELETE FROM Orders WHERE pk=?"}]}`)},
			actions: []string{"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert"}, rule: RuleNameException},
		{name: "partiql without parameters keeps all", ev: Event{Source: "dynamodb.amazonaws.com", Name: "ExecuteStatement"},
			actions: []string{"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"}, rule: RuleNameException},
		{name: "transact write items", ev: Event{Source: "dynamodb.amazonaws.com", Name: "TransactWriteItems",
			RequestParameters: []byte(`{"transactItems":[{"put":{"tableName":"Orders"}},{"delete":{"tableName":"Orders"}}]}`)},
			actions: []string{"dynamodb:DeleteItem", "dynamodb:PutItem"}, rule: RuleNameException},
		// API Gateway.
		{name: "apigateway get rest api", ev: Event{Source: "apigateway.amazonaws.com", Name: "GetRestApi", Region: "us-east-1",
			RequestParameters: []byte(`{"restApiId":"a1b2c3"}`)},
			actions: []string{"apigateway:GET"}, resources: []string{"arn:aws:apigateway:us-east-1::/restapis/a1b2c3"}, rule: RuleAPIGateway},
		{name: "apigateway list rest apis", ev: Event{Source: "apigateway.amazonaws.com", Name: "GetRestApis", Region: "us-east-1"},
			actions: []string{"apigateway:GET"}, resources: []string{"arn:aws:apigateway:us-east-1::/restapis"}, rule: RuleAPIGateway},
		{name: "apigateway create deployment", ev: Event{Source: "apigateway.amazonaws.com", Name: "CreateDeployment", Region: "eu-west-1",
			RequestParameters: []byte(`{"restApiId":"a1b2c3","stageName":"prod"}`)},
			actions: []string{"apigateway:POST"}, resources: []string{"arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/deployments"}, rule: RuleAPIGateway},
		{name: "apigateway update stage", ev: Event{Source: "apigateway.amazonaws.com", Name: "UpdateStage", Region: "eu-west-1",
			RequestParameters: []byte(`{"restApiId":"a1b2c3","stageName":"prod","patchOperations":[]}`)},
			actions: []string{"apigateway:PATCH"}, resources: []string{"arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/stages/prod"}, rule: RuleAPIGateway},
		{name: "apigateway v2 delete route", ev: Event{Source: "apigateway.amazonaws.com", Name: "DeleteRoute", Region: "eu-west-1",
			RequestParameters: []byte(`{"apiId":"x9","routeId":"r1"}`)},
			actions: []string{"apigateway:DELETE"}, resources: []string{"arn:aws:apigateway:eu-west-1::/apis/x9/routes/r1"}, rule: RuleAPIGateway},
		// Skips.
		{name: "GetCallerIdentity needs nothing", ev: Event{Source: "sts.amazonaws.com", Name: "GetCallerIdentity"},
			outcome: Skip, rule: RuleSkip},
		{name: "service event", ev: Event{Source: "kms.amazonaws.com", Name: "RotateKey", Type: "AwsServiceEvent"},
			outcome: Skip, rule: RuleSkip},
		{name: "console sign-in", ev: Event{Source: "signin.amazonaws.com", Name: "ConsoleLogin", Type: "AwsConsoleSignIn"},
			outcome: Skip, rule: RuleSkip},
		{name: "service principal assumes the role", ev: Event{Source: "sts.amazonaws.com", Name: "AssumeRole", IdentityType: "AWSService"},
			outcome: Skip, rule: RuleSkip},
		// Denied calls.
		{name: "access denied", ev: Event{Source: "ssm.amazonaws.com", Name: "GetParameter", ErrorCode: "AccessDenied"},
			outcome: Denied, actions: []string{"ssm:GetParameter"}, rule: RuleDefault},
		{name: "ec2 unauthorized", ev: Event{Source: "ec2.amazonaws.com", Name: "DescribeInstances", ErrorCode: "Client.UnauthorizedOperation"},
			outcome: Denied, actions: []string{"ec2:DescribeInstances"}, rule: RuleDefault},
		{name: "other errors were authorised", ev: Event{Source: "dynamodb.amazonaws.com", Name: "GetItem", ErrorCode: "ResourceNotFoundException"},
			actions: []string{"dynamodb:GetItem"}, rule: RuleDefault},
		// Catalog validation.
		{name: "catalog spelling", ev: Event{Source: "dynamodb.amazonaws.com", Name: "getitem"},
			actions: []string{"dynamodb:GetItem"}, rule: RuleDefault},
		{name: "unknown action", ev: Event{Source: "madeup.amazonaws.com", Name: "DoThing"},
			unknown: []string{"madeup:DoThing"}, rule: RuleDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Map(tt.ev)
			if got.Outcome != tt.outcome {
				t.Errorf("outcome = %v, want %v (%s)", got.Outcome, tt.outcome, got.Reason)
			}
			if !slices.Equal(got.Actions, tt.actions) {
				t.Errorf("actions = %q, want %q", got.Actions, tt.actions)
			}
			if !slices.Equal(got.Unknown, tt.unknown) {
				t.Errorf("unknown = %q, want %q", got.Unknown, tt.unknown)
			}
			if !slices.Equal(got.Resources, tt.resources) {
				t.Errorf("resources = %q, want %q", got.Resources, tt.resources)
			}
			if got.Rule != tt.rule {
				t.Errorf("rule = %q, want %q", got.Rule, tt.rule)
			}
		})
	}
}

func TestCorsFix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GetBucketCors", "GetBucketCORS"},
		{"PutCorsPolicy", "PutCorsPolicy"},
		{"Cors", "CORS"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := corsFix(tt.in); got != tt.want {
				t.Errorf("corsFix(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestRulesValid checks the compiled-in tables against the catalog: every
// exception's actions exist, and the prefix exceptions name catalog services.
func TestRulesValid(t *testing.T) {
	c := iampolicy.DefaultCatalog()
	for _, e := range nameExceptions {
		for _, a := range e.Actions {
			if _, ok := c.Lookup(a); !ok {
				t.Errorf("%s %s: action %s is not in the catalog", e.Source, e.Name, a)
			}
		}
	}
	for _, p := range prefixExceptions {
		if len(c.Expand(p.prefix+":*")) == 0 {
			t.Errorf("%s: prefix %s has no catalog actions", p.source, p.prefix)
		}
	}
	if len(deniedErrorCodes) == 0 || len(skipEvents) == 0 || len(skipEventTypes) == 0 {
		t.Error("skip tables are empty")
	}
}

func TestProvenance(t *testing.T) {
	p := Provenance()
	if p.File != "cloudtrail-to-iam.json" || len(p.SHA256) != 64 || len(p.Sources) == 0 {
		t.Fatalf("provenance = %+v", p)
	}
	if !strings.Contains(p.Description, "(1) skip rules") {
		t.Errorf("description does not state the order: %q", p.Description)
	}
	p.Sources[0].ID = "changed"
	if Provenance().Sources[0].ID == "changed" {
		t.Error("Provenance returns shared slices")
	}
}
