resource "aws_lambda_function" "bad" {
  function_name = "bad"

  environment {
    variables = {
      A = "x"
  }
