package terraform

import (
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

const (
	acct   = inventory.CurrentAccount
	region = inventory.CurrentRegion
)

// placeholder is how a computed attribute without a known form is shown:
// `<ADDRESS.ATTR>`, specific to the one resource.
func placeholder(address, attr string) string { return "<" + address + "." + attr + ">" }

// arnPattern says how a resource type's ARN is built from its name.
type arnPattern struct {
	nameAttr string
	arn      func(name string) string
	// id is the attribute the resource's id equals ("" for a placeholder,
	// "name" for the name, "arn" for the ARN).
	id string
}

func regional(service, middle string) func(string) string {
	return func(n string) string { return "arn:aws:" + service + ":" + region + ":" + acct + ":" + middle + n }
}

var arnPatterns = map[string]arnPattern{
	"aws_lambda_function":                  {"function_name", regional("lambda", "function:"), "name"},
	"aws_cloudwatch_log_group":             {"name", regional("logs", "log-group:"), "name"},
	"aws_dynamodb_table":                   {"name", regional("dynamodb", "table/"), "name"},
	"aws_s3_bucket":                        {"bucket", func(n string) string { return "arn:aws:s3:::" + n }, "name"},
	"aws_sqs_queue":                        {"name", regional("sqs", ""), "url"},
	"aws_sns_topic":                        {"name", regional("sns", ""), "arn"},
	"aws_secretsmanager_secret":            {"name", func(n string) string { return regional("secretsmanager", "secret:")(n) + "-<suffix>" }, "arn"},
	"aws_ssm_parameter":                    {"name", func(n string) string { return regional("ssm", "parameter/")(strings.TrimPrefix(n, "/")) }, "name"},
	"aws_kms_alias":                        {"name", regional("kms", ""), "name"},
	"aws_lambda_layer_version":             {"layer_name", regional("lambda", "layer:"), "arn"},
	"aws_cloudwatch_event_rule":            {"name", regional("events", "rule/"), "name"},
	"aws_cloudwatch_event_bus":             {"name", regional("events", "event-bus/"), "name"},
	"aws_kinesis_stream":                   {"name", regional("kinesis", "stream/"), "arn"},
	"aws_sfn_state_machine":                {"name", regional("states", "stateMachine:"), "arn"},
	"aws_ecr_repository":                   {"name", regional("ecr", "repository/"), "name"},
	"aws_cloudwatch_metric_alarm":          {"alarm_name", regional("cloudwatch", "alarm:"), "name"},
	"aws_elasticache_cluster":              {"cluster_id", regional("elasticache", "cluster:"), "name"},
	"aws_db_instance":                      {"identifier", regional("rds", "db:"), ""},
	"aws_rds_cluster":                      {"cluster_identifier", regional("rds", "cluster:"), ""},
	"aws_kinesis_firehose_delivery_stream": {"name", regional("firehose", "deliverystream/"), "arn"},
	"aws_ses_email_identity":               {"email", regional("ses", "identity/"), "name"},
}

// SymbolicAttr renders a computed attribute of a resource or data instance
// as the specific value it will have, with the current account, region and
// partition as placeholders: ARNs (`arn:aws:lambda:<region>:<account>:
// function:NAME`), ids and URLs where they follow from the configuration,
// and `<ADDRESS.ATTR>` for anything else. get returns a configured
// attribute, or cty.NilVal when it is not set; it is only asked for the
// attributes the rendering needs. The result is always a known string,
// except for the data sources that a scanner cannot read (their unknown
// values say why).
func SymbolicAttr(mode Mode, typ, address, attr string, get func(string) cty.Value) cty.Value {
	str := func(a string) (string, bool) {
		v := get(a)
		if v == cty.NilVal {
			return "", false
		}
		v, _ = v.UnmarkDeep()
		if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
			return "", false
		}
		return v.AsString(), true
	}
	named := func(a string) string {
		if s, ok := str(a); ok && s != "" {
			return s
		}
		return placeholder(address, a)
	}
	ph := cty.StringVal(placeholder(address, attr))

	if mode == Data {
		switch typ {
		case "aws_caller_identity":
			if attr == "account_id" || attr == "id" {
				return cty.StringVal(acct)
			}
		case "aws_region":
			if attr == "name" || attr == "id" || attr == "region" {
				return cty.StringVal(region)
			}
		case "aws_partition":
			switch attr {
			case "partition", "id":
				return cty.StringVal(inventory.CurrentPartition)
			case "dns_suffix":
				return cty.StringVal("amazonaws.com")
			case "reverse_dns_prefix":
				return cty.StringVal("com.amazonaws")
			}
		case "aws_iam_policy":
			if attr == "arn" {
				if s, ok := str("arn"); ok {
					if mp, ok := iampolicy.AWSManaged(s); ok {
						return cty.StringVal(mp.ARN)
					}
					return cty.StringVal(s)
				}
				if s, ok := str("name"); ok {
					if mp, ok := iampolicy.AWSManaged(s); ok {
						return cty.StringVal(mp.ARN)
					}
				}
				return cty.StringVal("arn:aws:iam::" + acct + ":policy/" + named("name"))
			}
		}
	}

	switch typ {
	case "aws_iam_role", "aws_iam_policy", "aws_iam_user", "aws_iam_instance_profile":
		kind := strings.TrimPrefix(typ, "aws_iam_")
		kind = strings.ReplaceAll(kind, "_", "-")
		p := "/"
		if s, ok := str("path"); ok && s != "" {
			p = s
		}
		name := named("name")
		arn := "arn:aws:iam::" + acct + ":" + kind + p + name
		switch attr {
		case "arn":
			return cty.StringVal(arn)
		case "id":
			if typ == "aws_iam_policy" {
				return cty.StringVal(arn)
			}
			return cty.StringVal(name)
		case "name":
			return cty.StringVal(name)
		}
		return ph
	case "aws_kms_key":
		id := placeholder(address, "id")
		switch attr {
		case "arn":
			return cty.StringVal("arn:aws:kms:" + region + ":" + acct + ":key/" + id)
		case "id", "key_id":
			return cty.StringVal(id)
		}
		return ph
	case "aws_lambda_alias":
		fn := named("function_name")
		fnARN := fn
		if !strings.HasPrefix(fn, "arn:") {
			fnARN = regional("lambda", "function:")(fn)
		}
		switch attr {
		case "arn", "id":
			return cty.StringVal(fnARN + ":" + named("name"))
		case "invoke_arn":
			return cty.StringVal(invokeARN(fnARN + ":" + named("name")))
		}
		return ph
	case "aws_lambda_code_signing_config":
		if attr == "arn" {
			return cty.StringVal(regional("lambda", "code-signing-config:")(placeholder(address, "id")))
		}
		return ph
	case "aws_api_gateway_rest_api", "aws_apigatewayv2_api":
		id := placeholder(address, "id")
		switch attr {
		case "execution_arn":
			return cty.StringVal("arn:aws:execute-api:" + region + ":" + acct + ":" + id)
		case "arn":
			if typ == "aws_api_gateway_rest_api" {
				return cty.StringVal("arn:aws:apigateway:" + region + "::/restapis/" + id)
			}
			return cty.StringVal("arn:aws:apigateway:" + region + "::/apis/" + id)
		}
		return ph
	case "aws_cognito_user_pool":
		if attr == "arn" {
			return cty.StringVal(regional("cognito-idp", "userpool/")(placeholder(address, "id")))
		}
		return ph
	}

	p, ok := arnPatterns[typ]
	if !ok {
		return ph
	}
	name := named(p.nameAttr)
	arn := p.arn(name)
	switch {
	case typ == "aws_lambda_layer_version":
		switch attr {
		case "layer_arn":
			return cty.StringVal(arn)
		case "arn", "id":
			return cty.StringVal(arn + ":" + placeholder(address, "version"))
		}
		return ph
	case typ == "aws_lambda_function":
		switch attr {
		case "arn":
			return cty.StringVal(arn)
		case "invoke_arn":
			return cty.StringVal(invokeARN(arn))
		case "qualified_arn":
			return cty.StringVal(arn + ":" + placeholder(address, "version"))
		case "qualified_invoke_arn":
			return cty.StringVal(invokeARN(arn + ":" + placeholder(address, "version")))
		}
	case typ == "aws_dynamodb_table" && attr == "stream_arn":
		return cty.StringVal(arn + "/stream/" + placeholder(address, "stream_label"))
	case typ == "aws_sqs_queue" && attr == "url":
		return cty.StringVal("https://sqs." + region + ".amazonaws.com/" + acct + "/" + name)
	case typ == "aws_ecr_repository" && attr == "repository_url":
		return cty.StringVal(acct + ".dkr.ecr." + region + ".amazonaws.com/" + name)
	}
	switch attr {
	case "arn":
		return cty.StringVal(arn)
	case p.nameAttr:
		return cty.StringVal(name)
	case "id":
		switch p.id {
		case "name":
			return cty.StringVal(name)
		case "arn":
			return cty.StringVal(arn)
		case "url":
			return cty.StringVal("https://sqs." + region + ".amazonaws.com/" + acct + "/" + name)
		}
	}
	return ph
}

func invokeARN(fnARN string) string {
	return "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + fnARN + "/invocations"
}
