package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// writeTree writes a root module of n functions, each with its role, inline
// policy, log group and permission, in files of 100 functions each.
func writeTree(tb testing.TB, dir string, n int) {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`provider "aws" {
  default_tags {
    tags = { owner = "bench" }
  }
}
data "aws_caller_identity" "current" {}
variable "stage" { default = "prod" }
`)
	flush := func(i int) {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.tf", i)), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		b.Reset()
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `
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
`, i)
		if (i+1)%100 == 0 {
			flush(i)
		}
	}
	if b.Len() > 0 {
		flush(n)
	}
}

func BenchmarkLoad2000(b *testing.B) {
	dir := b.TempDir()
	writeTree(b, dir, 2000)
	tree := treeOf(b, dir, "bench")
	src := New()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		inv := src.Load(ctx, tree, ".", scan.LoadOptions{})
		if len(inv.Functions) != 2000 || len(inv.Errors) != 0 {
			b.Fatalf("functions %d, errors %v", len(inv.Functions), inv.Errors)
		}
	}
	// CPU time tells the cost apart from waiting on a shared machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
