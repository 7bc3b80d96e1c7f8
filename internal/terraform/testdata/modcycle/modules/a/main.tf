module "b" {
  source = "../b"
}

resource "aws_lambda_function" "f" {
  function_name = "a"
  role          = "arn:aws:iam::111111111111:role/r"
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
