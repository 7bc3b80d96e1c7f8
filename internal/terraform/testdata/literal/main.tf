resource "aws_iam_role" "named" {
  name               = "literal-role"
  assume_role_policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
  ]
}
EOT
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]
}

resource "aws_iam_role_policy" "by_name" {
  role   = "literal-role"
  name   = "inline"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = "literal-role"
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "f" {
  function_name = "lit"
  role          = "arn:aws:iam::123456789012:role/literal-role"
}

resource "aws_lambda_permission" "public" {
  action        = "lambda:InvokeFunction"
  function_name = "arn:aws:lambda:us-east-1:123456789012:function:other"
  principal     = "*"
}

resource "aws_lambda_permission" "cross" {
  action           = "lambda:*"
  function_name    = "lit"
  principal        = "111122223333"
  principal_org_id = "o-abc"
  qualifier        = "live"
}
