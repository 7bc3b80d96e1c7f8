provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      team = "payments"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name = "${var.prefix}-api"
}

resource "aws_iam_role" "api" {
  name = "${local.name}-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# lambdawarden:ignore LW-INV-07 reason="bounded by SQS" expires=2027-06-30
resource "aws_lambda_function" "api" {
  function_name = local.name
  role          = aws_iam_role.api.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/build/api.zip"
  timeout       = 30
  memory_size   = 256
  environment {
    variables = {
      TABLE  = aws_dynamodb_table.orders.name
      REGION = data.aws_region.current.name
      STAGE  = var.stage
      TOKEN  = var.token
    }
  }
  tracing_config {
    mode = "Active"
  }
  tags = {
    app = "api"
  }
}

resource "aws_dynamodb_table" "orders" {
  name = "orders"
}

resource "aws_iam_role_policy" "api" {
  role = aws_iam_role.api.id
  name = "api"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem"]
        Resource = aws_dynamodb_table.orders.arn
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.api.arn}:*"
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${aws_lambda_function.api.function_name}"
  retention_in_days = 0
}

resource "aws_lambda_permission" "apigw" {
  statement_id  = "AllowAPIGW"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "arn:aws:execute-api:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:abc123/*"
}
