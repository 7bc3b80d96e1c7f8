provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

provider "aws" {
  alias               = "west"
  region              = "us-west-2"
  allowed_account_ids = ["222222222222"]
}

provider "aws" {
  alias               = "many"
  region              = var.region
  allowed_account_ids = ["111111111111", "222222222222"]
}

variable "region" {}

resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "home" {
  function_name = "home"
  role          = aws_iam_role.r.arn
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

resource "aws_lambda_function" "west" {
  provider      = aws.west
  function_name = "west"
  role          = aws_iam_role.r.arn
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

resource "aws_lambda_function" "many" {
  provider      = aws.many
  function_name = "many"
  role          = aws_iam_role.r.arn
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

resource "aws_lambda_permission" "other" {
  function_name = aws_lambda_function.home.function_name
  action        = "lambda:InvokeFunction"
  principal     = "333333333333"
}
