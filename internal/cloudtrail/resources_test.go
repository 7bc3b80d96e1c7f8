package cloudtrail

import (
	"slices"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

func TestSelector(t *testing.T) {
	withIssuer := func(issuer, arn string) *Record {
		return &Record{Identity: Identity{Type: []byte("AssumedRole"), IssuerARN: []byte(issuer), ARN: []byte(arn)}}
	}
	lambda := withIssuer("arn:aws:iam::111122223333:role/service-role/app-role", "arn:aws:sts::111122223333:assumed-role/app-role/app-fn")
	legacy := withIssuer("", "arn:aws:sts::111122223333:assumed-role/app-role/app-fn")
	user := &Record{Identity: Identity{Type: []byte("IAMUser"), ARN: []byte("arn:aws:iam::111122223333:user/app-fn")}}
	tests := []struct {
		name           string
		role, function string
		rec            *Record
		want           bool
	}{
		{"role with path", "arn:aws:iam::111122223333:role/service-role/app-role", "", lambda, true},
		{"role without path", "arn:aws:iam::111122223333:role/app-role", "", lambda, true},
		{"other account", "arn:aws:iam::999999999999:role/app-role", "", lambda, false},
		{"other role", "arn:aws:iam::111122223333:role/other", "", lambda, false},
		{"assumed-role ARN only", "arn:aws:iam::111122223333:role/app-role", "", legacy, true},
		{"function", "", "app-fn", lambda, true},
		{"function ARN", "", "arn:aws:lambda:us-east-1:111122223333:function:app-fn", lambda, true},
		{"other function", "", "other-fn", lambda, false},
		{"both", "arn:aws:iam::111122223333:role/app-role", "app-fn", lambda, true},
		{"users are not sessions", "", "app-fn", user, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSelector(tt.role, tt.function)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Match(tt.rec); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"app-role", "arn:aws:iam::1:user/x", "arn:aws:sts::1:assumed-role/x/y", "arn:aws:iam::1:role/"} {
		if _, err := NewSelector(bad, ""); err == nil {
			t.Errorf("NewSelector(%q) accepted", bad)
		}
	}
	if _, err := NewSelector("", ""); err == nil {
		t.Error("NewSelector without selection accepted")
	}
}

func TestParamARNs(t *testing.T) {
	c := callContext{partition: "aws", region: "eu-west-1", account: "111122223333"}
	tests := []struct {
		name   string
		params map[string]string
		lists  map[string][]string
		want   []string
	}{
		{"dynamodb table and index", map[string]string{"tableName": "Orders", "indexName": "byDate"},
			nil, []string{"arn:aws:dynamodb:eu-west-1:111122223333:table/Orders", "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders/index/byDate"}},
		{"s3 object", map[string]string{"bucketName": "b", "key": "a/b*c.txt"},
			nil, []string{"arn:aws:s3:::b", "arn:aws:s3:::b/a/b${*}c.txt"}},
		{"sqs url", map[string]string{"queueUrl": "https://sqs.us-west-2.amazonaws.com/444455556666/jobs"},
			nil, []string{"arn:aws:sqs:us-west-2:444455556666:jobs"}},
		{"legacy sqs url", map[string]string{"queueUrl": "https://queue.amazonaws.com/444455556666/jobs"},
			nil, []string{"arn:aws:sqs:eu-west-1:444455556666:jobs"}},
		{"secret name", map[string]string{"secretId": "prod/db"},
			nil, []string{"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-??????"}},
		{"kms alias and key id", map[string]string{"keyId": "alias/app", "destinationKeyId": "1234abcd"},
			nil, []string{"arn:aws:kms:eu-west-1:111122223333:alias/app", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd"}},
		{"function partial ARN with qualifier", map[string]string{"functionName": "444455556666:function:fn", "qualifier": "live"},
			nil, []string{"arn:aws:lambda:eu-west-1:444455556666:function:fn:live"}},
		{"ssm names", map[string]string{"name": "/a/b"}, map[string][]string{"names": {"c"}},
			[]string{"arn:aws:ssm:eu-west-1:111122223333:parameter/a/b", "arn:aws:ssm:eu-west-1:111122223333:parameter/c"}},
		{"any ARN parameter", map[string]string{"topicArn": "arn:aws:sns:eu-west-1:111122223333:t"},
			nil, []string{"arn:aws:sns:eu-west-1:111122223333:t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paramARNs(tt.params, tt.lists, c)
			slices.Sort(got)
			got = slices.Compact(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ARNs = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResourceTypes(t *testing.T) {
	rt := newResourceTypes(iampolicy.DefaultCatalog())
	tests := []struct{ service, arn, want string }{
		{"s3", "arn:aws:s3:::bucket", "bucket"},
		{"s3", "arn:aws:s3:::bucket/a/b.pdf", "object"},
		{"dynamodb", "arn:aws:dynamodb:us-east-1:1:table/T", "table"},
		{"dynamodb", "arn:aws:dynamodb:us-east-1:1:table/T/index/I", "index"},
		{"dynamodb", "arn:aws:dynamodb:us-east-1:1:table/T/stream/2026", "stream"},
		{"lambda", "arn:aws:lambda:us-east-1:1:function:f", "function"},
		{"lambda", "arn:aws:lambda:us-east-1:1:function:f:live", "function alias"},
		{"logs", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:s", "log-stream"},
		{"secretsmanager", "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbCdEf", "Secret"},
		{"sqs", "arn:aws:sqs:us-east-1:1:q", "queue"},
		{"s3", "arn:aws:dynamodb:us-east-1:1:table/T", ""},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			if got := rt.typeOf(tt.service, tt.arn); got != tt.want {
				t.Errorf("typeOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResourceFits(t *testing.T) {
	rt := newResourceTypes(iampolicy.DefaultCatalog())
	tests := []struct {
		action, arn string
		want        bool
	}{
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:f", true},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:f:live", true},
		{"s3:GetObject", "arn:aws:s3:::b/k", true},
		{"s3:GetObject", "arn:aws:s3:::b", false},
		{"s3:ListBucket", "arn:aws:s3:::b/k", false},
		{"s3:ListBucket", "arn:aws:s3:::b", true},
		{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/T/index/I", false},
		{"dynamodb:Query", "arn:aws:dynamodb:us-east-1:1:table/T/index/I", true},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.arn, func(t *testing.T) {
			act, ok := iampolicy.DefaultCatalog().Lookup(tt.action)
			if !ok {
				t.Fatal("not in the catalog")
			}
			if got := rt.fits(act.Service, tt.arn, act.ResourceTypes); got != tt.want {
				t.Errorf("fits = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFormatHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"order-service-handler":                "order_service_handler",
		"arn:aws:iam::1:role/service-role/x.y": "x_y",
		"9lives":                               "lw_9lives",
	} {
		if got := TerraformName(in); got != want {
			t.Errorf("TerraformName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := hclString(`a"b\c${*}%{x}`); got != `"a\"b\\c$${*}%%{x}"` {
		t.Errorf("hclString = %s", got)
	}
	for in, want := range map[string]string{"s3": "S3", "rds-data": "RdsData", "dynamodb": "Dynamodb"} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
}
