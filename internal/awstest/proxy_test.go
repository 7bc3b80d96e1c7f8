package awstest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func TestIdentify(t *testing.T) {
	auth := func(service string) string {
		return "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/" + service + "/aws4_request, SignedHeaders=host, Signature=0"
	}
	tests := []struct {
		name, method, path, target, body, service string
		wantOp                                    string
		wantParams                                map[string]string
	}{
		{"rest with an escaped ARN", "GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3Af/policy", "", "", "lambda",
			"GetPolicy", map[string]string{"FunctionName": "arn:aws:lambda:eu-west-1:1:function:f"}},
		{"rest list", "GET", "/2015-03-31/functions/", "", "", "lambda", "ListFunctions", map[string]string{}},
		{"rest two params", "GET", "/2018-10-31/layers/lib/versions/3/policy", "", "", "lambda", "GetLayerVersionPolicy",
			map[string]string{"LayerName": "lib", "VersionNumber": "3"}},
		{"event invoke list before get", "GET", "/2019-09-25/functions/f/event-invoke-config/list", "", "", "lambda", "ListFunctionEventInvokeConfigs", map[string]string{"FunctionName": "f"}},
		{"json target", "POST", "/", "Logs_20140328.DescribeLogGroups", "{}", "logs", "DescribeLogGroups", nil},
		{"query form", "POST", "/", "", "Action=GetAccountAuthorizationDetails&Version=2010-05-08", "iam", "GetAccountAuthorizationDetails", nil},
		{"ec2 query", "POST", "/", "", "Action=DescribeSubnets&Version=2016-11-15", "ec2", "DescribeSubnets", nil},
		{"rpcv2 cbor", "POST", "/service/GraniteServiceVersion20100801/operation/DescribeAlarms", "", "", "monitoring", "DescribeAlarms", nil},
		{"guardduty rest", "GET", "/detector/abc", "", "", "guardduty", "GetDetector", map[string]string{"DetectorId": "abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			r.Header.Set("Authorization", auth(tt.service))
			if tt.target != "" {
				r.Header.Set("X-Amz-Target", tt.target)
			}
			got := identify(r, []byte(tt.body))
			if got.Service != tt.service || got.Operation != tt.wantOp || got.Region != "eu-west-1" || got.AccessKey != "AKID" {
				t.Errorf("got %s:%s in %s by %s, want %s:%s", got.Service, got.Operation, got.Region, got.AccessKey, tt.service, tt.wantOp)
			}
			for k, v := range tt.wantParams {
				if got.Params[k] != v {
					t.Errorf("param %s = %q, want %q", k, got.Params[k], v)
				}
			}
		})
	}
}

// TestFaultsOnTheWire: the real SDK clients read the injected errors as the
// services' own: access denied under the service's code, throttling as a
// throttling error the SDK retries.
func TestFaultsOnTheWire(t *testing.T) {
	syn := NewSynthetic(DefaultAccount, []string{"us-east-1"}, 10)
	p := NewProxy(t, Options{Backend: syn})
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(p.URL), RetryMaxAttempts: 1, HTTPClient: http.DefaultClient}
	ctx := context.Background()
	calls := []struct {
		service, op, denyCode string
		call                  func() error
	}{
		{"lambda", "GetPolicy", "AccessDeniedException", func() error {
			_, err := lambda.NewFromConfig(cfg).GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("fn-us-east-1-00000")})
			return err
		}},
		{"iam", "GetAccountAuthorizationDetails", "AccessDenied", func() error {
			_, err := iam.NewFromConfig(cfg).GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
			return err
		}},
		{"sts", "GetCallerIdentity", "AccessDenied", func() error {
			_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		}},
		{"ec2", "DescribeSubnets", "UnauthorizedOperation", func() error {
			_, err := ec2.NewFromConfig(cfg).DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
			return err
		}},
		{"logs", "DescribeLogGroups", "AccessDeniedException", func() error {
			_, err := cloudwatchlogs.NewFromConfig(cfg).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
			return err
		}},
		{"cloudtrail", "LookupEvents", "AccessDeniedException", func() error {
			_, err := cloudtrail.NewFromConfig(cfg).LookupEvents(ctx, &cloudtrail.LookupEventsInput{})
			return err
		}},
		{"organizations", "ListAccounts", "AccessDeniedException", func() error {
			_, err := organizations.NewFromConfig(cfg).ListAccounts(ctx, &organizations.ListAccountsInput{})
			return err
		}},
		{"monitoring", "DescribeAlarms", "AccessDenied", func() error {
			_, err := cloudwatch.NewFromConfig(cfg).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
			return err
		}},
		{"access-analyzer", "ListAnalyzers", "AccessDeniedException", func() error {
			_, err := accessanalyzer.NewFromConfig(cfg).ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{})
			return err
		}},
	}
	throttle := retry.ThrottleErrorCode{Codes: retry.DefaultThrottleErrorCodes}
	for _, c := range calls {
		t.Run(c.service+":"+c.op, func(t *testing.T) {
			if err := c.call(); err != nil && c.service != "organizations" {
				t.Fatalf("without a fault: %v", err)
			}
			p.AddFault(Fault{Kind: Deny, Service: c.service, Operation: c.op})
			err := c.call()
			p.ClearFaults()
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != c.denyCode {
				t.Errorf("denied: got %v, want code %s", err, c.denyCode)
			}
			p.AddFault(Fault{Kind: Throttle, Service: c.service, Operation: c.op})
			err = c.call()
			p.ClearFaults()
			if throttle.IsErrorThrottle(err) != aws.TrueTernary {
				t.Errorf("throttled: the SDK does not see a throttling error: %v", err)
			}
		})
	}
	if n := len(p.Calls()); n == 0 {
		t.Error("no call recorded")
	}
}
