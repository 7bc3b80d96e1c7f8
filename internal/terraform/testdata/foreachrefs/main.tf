resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_security_group" "sg" {
  name   = "sg"
  vpc_id = "vpc-1"
}

locals {
  fns = {
    api = { subnets = [aws_subnet.a.id], groups = [aws_security_group.sg.id] }
  }
}

resource "aws_lambda_function" "f" {
  for_each      = local.fns
  function_name = "fn-${each.key}"
  role          = aws_iam_role.r.arn
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
  vpc_config {
    subnet_ids         = each.value.subnets
    security_group_ids = each.value.groups
  }
}
