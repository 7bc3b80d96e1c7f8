// Package gentree writes synthetic Terraform root modules of many Lambda
// functions, for the loader's benchmarks and for measuring whole-CLI runs.
package gentree

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Options shape the generated root module.
type Options struct {
	// Functions is the number of functions; each has its role, inline
	// policy, log group and permission.
	Functions int
	// URLEvery gives every URLEvery-th function (the 1st, the
	// URLEvery+1-th, ...) an aws_lambda_function_url; 0 gives none.
	URLEvery int
	// PerFile is the number of functions per file; 0 means 100.
	PerFile int
}

const header = `provider "aws" {
  default_tags {
    tags = { owner = "bench" }
  }
}
data "aws_caller_identity" "current" {}
variable "stage" { default = "prod" }
`

const function = `
resource "aws_iam_role" "r%[1]d" {
  name = "fn%[1]d-${var.stage}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "p%[1]d" {
  role = aws_iam_role.r%[1]d.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.g%[1]d.arn}:*"
    }]
  })
}

resource "aws_cloudwatch_log_group" "g%[1]d" {
  name              = "/aws/lambda/${aws_lambda_function.f%[1]d.function_name}"
  retention_in_days = 365
}

resource "aws_lambda_function" "f%[1]d" {
  function_name = "fn%[1]d-${var.stage}"
  role          = aws_iam_role.r%[1]d.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/fn%[1]d.zip"
  environment {
    variables = {
      STAGE   = var.stage
      ACCOUNT = data.aws_caller_identity.current.account_id
    }
  }
  tags = { fn = "%[1]d" }
}

resource "aws_lambda_permission" "p%[1]d" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.f%[1]d.function_name
  principal     = "events.amazonaws.com"
  source_arn    = "arn:aws:events:us-east-1:${data.aws_caller_identity.current.account_id}:rule/r%[1]d"
}
`

const url = `
resource "aws_lambda_function_url" "u%[1]d" {
  function_name      = aws_lambda_function.f%[1]d.function_name
  authorization_type = "AWS_IAM"
  cors {
    allow_origins = ["https://example.com"]
  }
}
`

// Write writes the root module into dir (which must exist) as files
// f0099.tf, f0199.tf, ... named after the last function they hold.
func Write(dir string, o Options) error {
	per := o.PerFile
	if per <= 0 {
		per = 100
	}
	var b strings.Builder
	b.WriteString(header)
	flush := func(i int) error {
		name := filepath.Join(dir, fmt.Sprintf("f%04d.tf", i))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		b.Reset()
		return nil
	}
	for i := 0; i < o.Functions; i++ {
		fmt.Fprintf(&b, function, i)
		if o.URLEvery > 0 && i%o.URLEvery == 0 {
			fmt.Fprintf(&b, url, i)
		}
		if (i+1)%per == 0 {
			if err := flush(i); err != nil {
				return err
			}
		}
	}
	if b.Len() > 0 {
		return flush(o.Functions)
	}
	return nil
}
