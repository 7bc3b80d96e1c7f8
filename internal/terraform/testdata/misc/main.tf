provider "aws" {
  alias = "west"
  default_tags {
    tags = { region = "west" }
  }
}

data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/app.zip"
}

resource "aws_lambda_function" "f" {
  provider                       = aws.west
  function_name                  = "misc"
  role                           = aws_iam_role.r.arn
  filename                       = data.archive_file.zip.output_path
  source_code_hash               = data.archive_file.zip.output_base64sha256
  publish                        = true
  reserved_concurrent_executions = -1
  kms_key_arn                    = aws_kms_key.k.arn
  layers                         = [aws_lambda_layer_version.l.arn, "arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38"]
  code_signing_config_arn        = aws_lambda_code_signing_config.c.arn
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, "subnet-123"]
    security_group_ids = [aws_security_group.sg.id]
  }
  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }
  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.custom.name
  }
}

resource "aws_iam_role" "r" {
  name_prefix        = "misc-"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {}
resource "aws_sqs_queue" "dlq" { name = "dlq" }

resource "aws_cloudwatch_log_group" "custom" {
  name = "custom"
}

resource "aws_lambda_layer_version" "l" {
  layer_name = "deps"
  s3_bucket  = "artifacts"
  s3_key     = "deps.zip"
}

resource "aws_lambda_layer_version_permission" "lp" {
  layer_name      = aws_lambda_layer_version.l.layer_arn
  version_number  = 3
  principal       = "*"
  organization_id = "o-xyz"
  action          = "lambda:GetLayerVersion"
  statement_id    = "org"
}

resource "aws_lambda_code_signing_config" "c" {
  allowed_publishers {
    signing_profile_version_arns = ["arn:aws:signer:us-east-1:123456789012:/signing-profiles/p"]
  }
}

resource "aws_lambda_function_url" "u" {
  function_name      = aws_lambda_function.f.function_name
  authorization_type = "NONE"
  cors {
    allow_origins = ["*"]
  }
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.f.function_name
  function_version = aws_lambda_function.f.version
}

resource "aws_lambda_function_event_invoke_config" "e" {
  function_name = aws_lambda_alias.live.function_name
  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name  = "misc-errors"
  namespace   = "AWS/Lambda"
  metric_name = "Errors"
  dimensions = {
    FunctionName = aws_lambda_function.f.function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "math" {
  alarm_name = "misc-math"
  metric_query {
    id          = "e1"
    expression  = "m1/m2"
  }
  metric_query {
    id = "m1"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Throttles"
      dimensions  = { FunctionName = "misc" }
    }
  }
}

resource "aws_subnet" "a" {
  availability_zone = "eu-west-1a"
}

resource "aws_security_group" "sg" {
  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.sg.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_apigatewayv2_integration" "i" {
  api_id           = "api"
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.f.invoke_arn
}

resource "aws_apigatewayv2_route" "r" {
  api_id    = "api"
  route_key = "GET /"
  target    = "integrations/${aws_apigatewayv2_integration.i.id}"
}
