# Legacy functions, written before the platform team's module existed. Every
# mistake here is one the lambdawarden catalog reports; each is marked with
# the check that finds it. Do not copy this file.

data "archive_file" "reports_export" {
  type        = "zip"
  source_dir  = "${path.module}/src/reports-export"
  output_path = "${path.module}/.build/reports-export.zip"
}

data "archive_file" "nightly_report" {
  type        = "zip"
  source_dir  = "${path.module}/src/nightly-report"
  output_path = "${path.module}/.build/nightly-report.zip"
}

# MISTAKE (LW-IAM-01): one execution role shared by two functions.
resource "aws_iam_role" "legacy_shared" {
  name = "legacy-lambda-shared-${var.environment}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# MISTAKE (LW-IAM-02): administrator access for a reporting job.
resource "aws_iam_role_policy_attachment" "legacy_admin" {
  role       = aws_iam_role.legacy_shared.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# MISTAKE (LW-IAM-03): a broad AWS-managed FullAccess policy.
resource "aws_iam_role_policy_attachment" "legacy_s3_full" {
  role       = aws_iam_role.legacy_shared.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

# MISTAKE (LW-IAM-07): the basic execution policy lets the role write to
# every log group in the account.
resource "aws_iam_role_policy_attachment" "legacy_basic" {
  role       = aws_iam_role.legacy_shared.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "legacy_inline" {
  name = "legacy-reporting"
  role = aws_iam_role.legacy_shared.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # MISTAKE (LW-IAM-04, LW-IAM-05): every DynamoDB action on every table.
        Sid      = "AllDynamo"
        Effect   = "Allow"
        Action   = "dynamodb:*"
        Resource = "*"
      },
      {
        # MISTAKE (LW-IAM-09): can pass any role, so it can escalate.
        Sid      = "PassAnyRole"
        Effect   = "Allow"
        Action   = ["iam:PassRole", "lambda:CreateFunction", "lambda:UpdateFunctionCode"]
        Resource = "*"
      },
      {
        # MISTAKE (LW-IAM-08): every secret in the account.
        Sid      = "AllSecrets"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "*"
      },
    ]
  })
}

# MISTAKE (LW-LOG-01): no aws_cloudwatch_log_group for either legacy
# function, so Lambda creates one that never expires.
resource "aws_lambda_function" "reports_export" {
  function_name    = "reports-export-${var.environment}"
  role             = aws_iam_role.legacy_shared.arn
  filename         = data.archive_file.reports_export.output_path
  source_code_hash = data.archive_file.reports_export.output_base64sha256
  handler          = "reports.handler"
  # MISTAKE (LW-RUN-01): python3.8 reached end of support on 2024-10-14.
  runtime     = "python3.8"
  memory_size = 1024
  timeout     = 900

  # MISTAKE (LW-RUN-08): a layer from an account outside the organisation.
  layers = ["arn:aws:lambda:eu-west-1:210987654321:layer:pdf-tools:7"]

  # MISTAKE (LW-SEC-03): no kms_key_arn, so the variables below are
  # encrypted with the AWS-managed key only.
  environment {
    variables = {
      # MISTAKE (LW-SEC-01): an AWS access key pair in plain text. These are
      # AWS's documented example credentials, not real ones.
      AWS_EXPORT_KEY_ID     = "AKIAIOSFODNN7EXAMPLE"
      AWS_EXPORT_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
      # MISTAKE (LW-SEC-01, LW-SEC-04): a database URL with a password and
      # an internal database endpoint.
      REPORTS_DB_URL = "postgres://reports:example-only-pw@reports-db.cluster-cexample.eu-west-1.rds.amazonaws.com:5432/reports"
      # MISTAKE (LW-SEC-02): a secret-named variable holding a literal.
      SMTP_PASSWORD = "reports-mailer-pw"
      EXPORT_BUCKET = "orders-reports-export"
    }
  }
  # MISTAKE (LW-LOG-03, LW-LOG-04, LW-RUN-05, LW-RUN-06, LW-CHG-01, LW-INV-07):
  # no JSON logs, no tracing, no code signing, no DLQ, no published version,
  # no reserved concurrency.
}

# MISTAKE (LW-INV-04, LW-INV-05): a function URL anyone can call, from any origin.
resource "aws_lambda_function_url" "reports_export" {
  function_name      = aws_lambda_function.reports_export.function_name
  authorization_type = "NONE"

  cors {
    allow_origins = ["*"]
    allow_methods = ["GET"]
  }
}

# MISTAKE (LW-INV-01): the resource policy that makes the URL public. With
# administrator access on the role, LW-EXP-01 reports the whole chain.
resource "aws_lambda_permission" "reports_export_public_url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.reports_export.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

# lambdawarden:ignore LW-INV-07 reason="runs once a night from one schedule, so at most one concurrent execution" expires=2027-06-30
resource "aws_lambda_function" "nightly_report" {
  function_name    = "nightly-report-${var.environment}"
  role             = aws_iam_role.legacy_shared.arn
  filename         = data.archive_file.nightly_report.output_path
  source_code_hash = data.archive_file.nightly_report.output_base64sha256
  handler          = "index.handler"
  # MISTAKE (LW-RUN-01): nodejs16.x reached end of support on 2024-06-12.
  runtime = "nodejs16.x"
  timeout = 300
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly-report-${var.environment}"
  schedule_expression = "cron(0 2 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.nightly_report.arn
}

# MISTAKE (LW-INV-02): no source_arn, so any EventBridge rule in any account
# can invoke the function.
resource "aws_lambda_permission" "nightly_from_events" {
  statement_id  = "AllowEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.nightly_report.function_name
  principal     = "events.amazonaws.com"
}
