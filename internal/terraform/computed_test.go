package terraform

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestSymbolicAttr(t *testing.T) {
	cases := []struct {
		name       string
		mode       Mode
		typ, attr  string
		configured map[string]cty.Value
		want       string
	}{
		{"function arn", Managed, "aws_lambda_function", "arn", map[string]cty.Value{"function_name": cty.StringVal("api")}, "arn:aws:lambda:<region>:<account>:function:api"},
		{"function name unknown", Managed, "aws_lambda_function", "arn", map[string]cty.Value{"function_name": cty.UnknownVal(cty.String)}, "arn:aws:lambda:<region>:<account>:function:<x.y.function_name>"},
		{"function version", Managed, "aws_lambda_function", "version", nil, "<x.y.version>"},
		{"role arn with path", Managed, "aws_iam_role", "arn", map[string]cty.Value{"name": cty.StringVal("r"), "path": cty.StringVal("/svc/")}, "arn:aws:iam::<account>:role/svc/r"},
		{"log group", Managed, "aws_cloudwatch_log_group", "arn", map[string]cty.Value{"name": cty.StringVal("/aws/lambda/f")}, "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/f"},
		{"bucket", Managed, "aws_s3_bucket", "arn", map[string]cty.Value{"bucket": cty.StringVal("b")}, "arn:aws:s3:::b"},
		{"queue url", Managed, "aws_sqs_queue", "url", map[string]cty.Value{"name": cty.StringVal("q")}, "https://sqs.<region>.amazonaws.com/<account>/q"},
		{"topic", Managed, "aws_sns_topic", "arn", map[string]cty.Value{"name": cty.StringVal("t")}, "arn:aws:sns:<region>:<account>:t"},
		{"secret", Managed, "aws_secretsmanager_secret", "arn", map[string]cty.Value{"name": cty.StringVal("s")}, "arn:aws:secretsmanager:<region>:<account>:secret:s-<suffix>"},
		{"kms key", Managed, "aws_kms_key", "arn", nil, "arn:aws:kms:<region>:<account>:key/<x.y.id>"},
		{"ssm parameter", Managed, "aws_ssm_parameter", "arn", map[string]cty.Value{"name": cty.StringVal("/app/db")}, "arn:aws:ssm:<region>:<account>:parameter/app/db"},
		{"table", Managed, "aws_dynamodb_table", "arn", map[string]cty.Value{"name": cty.StringVal("orders")}, "arn:aws:dynamodb:<region>:<account>:table/orders"},
		{"caller account", Data, "aws_caller_identity", "account_id", nil, "<account>"},
		{"partition", Data, "aws_partition", "partition", nil, "aws"},
		{"other", Managed, "aws_vpc", "id", nil, "<x.y.id>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			get := func(a string) cty.Value {
				if v, ok := tc.configured[a]; ok {
					return v
				}
				return cty.NilVal
			}
			got := SymbolicAttr(tc.mode, tc.typ, "x.y", tc.attr, get)
			if !got.IsKnown() || got.AsString() != tc.want {
				t.Errorf("got %#v, want %q", got, tc.want)
			}
		})
	}
}

func TestParseWaiver(t *testing.T) {
	cases := []struct {
		in                      string
		checks                  []string
		reason, expires, errMsg string
	}{
		{`LW-INV-07 reason="bounded by SQS" expires=2027-06-30`, []string{"LW-INV-07"}, "bounded by SQS", "2027-06-30", ""},
		{`LW-INV-07, LW-IAM-* reason=ok`, []string{"LW-INV-07", "LW-IAM-*"}, "ok", "", ""},
		{`LW-INV-07`, []string{"LW-INV-07"}, "", "", ""},
		{`LW-INV-07 reason="say \"hi\""`, []string{"LW-INV-07"}, `say "hi"`, "", ""},
		{`LW-INV-07 reason="open`, []string{"LW-INV-07"}, "", "", "unterminated quote in reason"},
		{`LW-INV-07 why=x`, []string{"LW-INV-07"}, "", "", "unknown key why"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			checks, reason, expires, bad := parseWaiver(tc.in)
			eq(t, "checks", checks, tc.checks)
			eq(t, "reason", reason, tc.reason)
			eq(t, "expires", expires, tc.expires)
			eq(t, "error", bad, tc.errMsg)
		})
	}
}

func TestAddrType(t *testing.T) {
	cases := map[string]string{
		"aws_iam_role.r": "aws_iam_role",
		`module.a["x.y"].module.b[0].aws_s3_bucket.b`: "aws_s3_bucket",
		"data.aws_region.current":                     "aws_region",
		"module.a":                                    "",
		"var.x":                                       "",
	}
	for addr, want := range cases {
		if got, _ := addrType(addr); got != want {
			t.Errorf("addrType(%q) = %q, want %q", addr, got, want)
		}
	}
}
