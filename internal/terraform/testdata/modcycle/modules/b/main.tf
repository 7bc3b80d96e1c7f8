module "a" {
  source = "../a"
}

resource "aws_lambda_function" "f" {
  function_name = "b"
  role          = "arn:aws:iam::111111111111:role/r"
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
