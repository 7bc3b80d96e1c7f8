variable "function_name" {}

resource "aws_iam_role" "this" {
  name = var.function_name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "this" {
  function_name = var.function_name
  role          = aws_iam_role.this.arn
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

module "inner" {
  source  = "example/inner/aws"
  version = "1.0.0"
  name    = "${var.function_name}-inner"
}
