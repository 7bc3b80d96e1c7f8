module "self" {
  source = "./"
}

module "a" {
  source = "./modules/a"
}

resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "f" {
  function_name = "root"
  role          = aws_iam_role.r.arn
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
