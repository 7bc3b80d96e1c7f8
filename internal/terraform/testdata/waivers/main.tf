# A note that is not a waiver.
# lambdawarden:ignore LW-INV-07,LW-LOG-04 reason="batch jobs are bounded by SQS" expires=2027-06-30
resource "aws_lambda_function" "batch" {
  count         = 2
  function_name = "batch-${count.index}"
  role          = "arn:aws:iam::123456789012:role/r"
}

resource "aws_lambda_function" "inside" {
  // lambdawarden:ignore LW-RUN-05 reason=internal-only
  function_name = "inside"
  role          = "arn:aws:iam::123456789012:role/r"
}

# lambdawarden:ignore LW-SEC-03
resource "aws_lambda_function" "noreason" {
  function_name = "noreason"
  role          = "arn:aws:iam::123456789012:role/r"
}
