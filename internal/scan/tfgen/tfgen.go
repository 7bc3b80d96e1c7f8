// Package tfgen writes synthetic Terraform trees of Lambda functions for
// benchmarks: many root modules, each function with its own role, inline
// policy, log group and invoke permission, some with a public function URL,
// a shared role, a deprecated runtime or a secret in the environment, so
// that every kind of check has work to do.
package tfgen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// Config says what to generate.
type Config struct {
	// Functions is the total number of functions.
	Functions int
	// PerRoot is how many functions each root module holds (default 100).
	PerRoot int
	// PerFile is how many functions each .tf file holds (default 25).
	PerFile int
}

// DefaultConfig is 2,000 functions in 20 roots of 4 files each.
func DefaultConfig() Config { return Config{Functions: 2000, PerRoot: 100, PerFile: 25} }

// Generate writes the tree under dir (created if needed) and returns the
// number of files written.
func Generate(dir string, cfg Config) (int, error) {
	if cfg.PerRoot <= 0 {
		cfg.PerRoot = 100
	}
	if cfg.PerFile <= 0 {
		cfg.PerFile = 25
	}
	files := 0
	for root := 0; root*cfg.PerRoot < cfg.Functions; root++ {
		rootDir := filepath.Join(dir, fmt.Sprintf("service-%03d", root))
		if err := writeFile(filepath.Join(rootDir, "providers.tf"), providers); err != nil {
			return files, err
		}
		files++
		last := min((root+1)*cfg.PerRoot, cfg.Functions)
		for start := root * cfg.PerRoot; start < last; start += cfg.PerFile {
			name := filepath.Join(rootDir, fmt.Sprintf("functions-%04d.tf", start))
			if err := writeFunctions(name, start, min(start+cfg.PerFile, last)); err != nil {
				return files, err
			}
			files++
		}
	}
	return files, nil
}

const providers = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

resource "aws_apigatewayv2_api" "api" {
  name          = "bench"
  protocol_type = "HTTP"
}
`

func writeFile(name, content string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(content), 0o644)
}

// writeFunctions writes functions start..end-1 to one file.
func writeFunctions(name string, start, end int) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := start; i < end; i++ {
		writeFunction(w, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var runtimes = []string{"python3.13", "nodejs22.x", "java21", "python3.8", "nodejs16.x", "provided.al2023"}

func writeFunction(w *bufio.Writer, i int) {
	id := fmt.Sprintf("fn_%04d", i)
	role := "aws_iam_role." + id
	if i%10 == 9 {
		// Every tenth function shares the previous function's role (LW-IAM-01).
		role = fmt.Sprintf("aws_iam_role.fn_%04d", i-1)
	}
	fmt.Fprintf(w, `resource "aws_iam_role" %q {
  name = "bench-%04d"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" %q {
  name = "bench-%04d"
  role = aws_iam_role.%s.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.%s.arn}:*"
      },
      {
        Effect   = "Allow"
        Action   = %s
        Resource = %s
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" %q {
  name              = "/aws/lambda/bench-%04d"
  retention_in_days = %d
}

`, id, i, id, i, id, id, policyActions(i), policyResource(i), id, i, []int{365, 30, 400, 90}[i%4])

	fmt.Fprintf(w, `resource "aws_lambda_function" %q {
  function_name = "bench-%04d"
  role          = %s.arn
  runtime       = %q
  handler       = "index.handler"
  filename      = "build/bench-%04d.zip"
  memory_size   = %d
  timeout       = %d
`, id, i, role, runtimes[i%len(runtimes)], i, []int{128, 512, 1024}[i%3], []int{3, 30, 900}[i%3])
	if i%3 == 0 {
		fmt.Fprintf(w, "\n  reserved_concurrent_executions = %d\n", 5+i%20)
	}
	if i%2 == 0 {
		w.WriteString("\n  tracing_config {\n    mode = \"Active\"\n  }\n")
	}
	w.WriteString("\n  environment {\n    variables = {\n")
	if i%7 == 0 {
		// A secret-named literal (LW-SEC-02), clearly fake.
		fmt.Fprintf(w, "      TABLE_NAME  = \"orders-%d\"\n      DB_PASSWORD = \"bench-not-a-real-password-%d\"\n", i, i)
	} else {
		fmt.Fprintf(w, "      TABLE_NAME = \"orders-%d\"\n      LOG_LEVEL  = \"info\"\n", i)
	}
	w.WriteString("    }\n  }\n}\n\n")

	switch {
	case i%4 == 0:
		// A public URL with CORS * (LW-INV-01, -04, -05).
		fmt.Fprintf(w, `resource "aws_lambda_function_url" %q {
  function_name      = aws_lambda_function.%s.function_name
  authorization_type = "NONE"

  cors {
    allow_origins = ["*"]
  }
}

resource "aws_lambda_permission" %q {
  statement_id           = "PublicURL"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.%s.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

`, id, id, id+"_url", id)
	case i%4 == 1:
		// An unpinned service permission (LW-INV-02).
		fmt.Fprintf(w, `resource "aws_lambda_permission" %q {
  statement_id  = "AllowEvents"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.%s.function_name
  principal     = "events.amazonaws.com"
}

`, id, id)
	default:
		fmt.Fprintf(w, `resource "aws_lambda_permission" %q {
  statement_id  = "AllowApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.%s.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/*/bench-%d"
}

`, id, id, i)
	}
}

func policyActions(i int) string {
	switch i % 5 {
	case 0:
		return `"dynamodb:*"`
	case 1:
		return `["iam:PassRole", "lambda:UpdateFunctionCode"]`
	case 2:
		return `["secretsmanager:GetSecretValue"]`
	}
	return `["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]`
}

func policyResource(i int) string {
	switch i % 5 {
	case 0, 1, 2:
		return `"*"`
	}
	return fmt.Sprintf(`"arn:aws:dynamodb:eu-west-1:${data.aws_caller_identity.current.account_id}:table/orders-%d"`, i)
}
