variable "name" {}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::111111111111:role/inner"
  handler       = "i.h"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
