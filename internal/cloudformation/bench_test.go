package cloudformation

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// samTemplate writes a SAM template of n functions shaped like a real service:
// Globals, a policy template and a managed policy per function, Api and SQS
// events, environment variables with references, a URL on every tenth.
func samTemplate(n int) string {
	var b strings.Builder
	b.WriteString(`AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    CodeUri: src/
    Timeout: 10
    Tracing: Active
    Environment:
      Variables:
        STAGE: !Ref Stage
        LOG_LEVEL: INFO
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "orders-${Stage}"
  Queue:
    Type: AWS::SQS::Queue
`)
	for i := range n {
		fmt.Fprintf(&b, `  Fn%04d:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "svc-%04d-${Stage}"
      MemorySize: !If [IsProd, 1024, 256]
      ReservedConcurrentExecutions: 5
      Environment:
        Variables:
          TABLE: !Ref Table
          QUEUE_URL: !Ref Queue
          SECRET: "{{resolve:secretsmanager:svc/%04d}}"
      Policies:
        - DynamoDBReadPolicy: {TableName: !Ref Table}
        - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
        - CloudWatchPutMetricPolicy: {}
      Events:
        Get:
          Type: Api
          Properties: {Path: "/svc%04d/{id}", Method: get}
`, i, i, i, i)
		if i%10 == 0 {
			b.WriteString("      FunctionUrlConfig: {AuthType: AWS_IAM}\n      AutoPublishAlias: live\n")
		}
		fmt.Fprintf(&b, "  Fn%04dLogs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub \"/aws/lambda/${Fn%04d}\"\n      RetentionInDays: 365\n", i, i)
	}
	return b.String()
}

// BenchmarkLoadSAM2000 loads a generated 2,000-function SAM template (with
// its 2,000 roles, permissions and log groups).
func BenchmarkLoadSAM2000(b *testing.B) {
	dir := b.TempDir()
	data := samTemplate(2000)
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(data), 0o644); err != nil {
		b.Fatal(err)
	}
	tree := &scan.Tree{Root: dir, Display: "bench", Files: []string{"template.yaml"}}
	src := New()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		inv := src.Load(context.Background(), tree, "template.yaml", scan.LoadOptions{})
		if len(inv.Functions) != 2000 || len(inv.Errors) > 0 {
			b.Fatalf("functions = %d, errors = %v", len(inv.Functions), inv.Errors)
		}
	}
}
