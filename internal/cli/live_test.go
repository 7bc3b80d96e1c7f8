package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdawarden/lambdawarden/internal/awstest"
	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// liveApp runs the command line with the real catalog, credentials for the
// emulator, and no config file or AWS profile of the machine.
func liveApp(t *testing.T) (*App, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errOut bytes.Buffer
	return &App{
		Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		Now:     func() time.Time { return testNow },
		Sources: func() []scan.Source { return nil }, Catalog: checks.Catalog,
		IsTerminal: func(io.Writer) bool { return false },
	}, &out, &errOut
}

func awsTestEnv(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Chdir(t.TempDir())
}

// TestLiveScanSnapshot: `scan --aws` and `scan --snapshot` of the saved
// inventory give byte-identical JSON; a denied call gives exit 2 with the
// call named in errors.
func TestLiveScanSnapshot(t *testing.T) {
	m := awstest.StartMoto(t)
	p := awstest.NewProxy(t, awstest.Options{Backend: awstest.Forward(m.URL), Emulate: true})
	awsTestEnv(t)
	ctx := context.Background()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: aws.String(p.URL)}
	role, err := iam.NewFromConfig(cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("fn-role"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	lc := lambda.NewFromConfig(cfg)
	for _, name := range []string{"api", "jobs"} {
		_, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Role: role.Role.Arn, Runtime: ltypes.RuntimePython312,
			Handler: aws.String("index.handler"), Code: &ltypes.FunctionCode{ZipFile: []byte("PK\x05\x06" + strings.Repeat("\x00", 18))},
			Environment: &ltypes.Environment{Variables: map[string]string{"API_TOKEN": "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lc.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("api"), StatementId: aws.String("public"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("*")}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	live, snap, again := filepath.Join(dir, "live.json"), filepath.Join(dir, "snap.json"), filepath.Join(dir, "again.json")
	common := []string{"--endpoint-url", p.URL, "--regions", "us-east-1"}

	a, _, stderr := liveApp(t)
	if code := a.Run(ctx, append([]string{"scan", "--aws", "--format", "json", "-o", live}, common...)); code != ExitFindings {
		t.Fatalf("scan --aws: exit %d, want %d; stderr: %s", code, ExitFindings, stderr)
	}
	a, _, stderr = liveApp(t)
	if code := a.Run(ctx, append([]string{"inventory", "--aws", "-o", snap}, common...)); code != ExitOK {
		t.Fatalf("inventory --aws: exit %d; stderr: %s", code, stderr)
	}
	a, _, stderr = liveApp(t)
	if code := a.Run(ctx, []string{"scan", "--snapshot", snap, "--format", "json", "-o", again}); code != ExitFindings {
		t.Fatalf("scan --snapshot: exit %d; stderr: %s", code, stderr)
	}
	l, _ := os.ReadFile(live)
	s, _ := os.ReadFile(again)
	if !bytes.Equal(l, s) {
		t.Errorf("scan --snapshot differs from scan --aws:\n--- live\n%s\n--- snapshot\n%s", l, s)
	}
	var report struct {
		Results []struct {
			CheckID  string          `json:"check_id"`
			Status   string          `json:"status"`
			Location json.RawMessage `json:"location"`
			Resource struct{ ID, Account, Region string }
		}
	}
	if err := json.Unmarshal(l, &report); err != nil {
		t.Fatal(err)
	}
	if len(report.Results) == 0 {
		t.Fatal("no results")
	}
	for _, r := range report.Results {
		if r.Location != nil && string(r.Location) != "null" {
			t.Errorf("%s: live results have no location, got %s", r.CheckID, r.Location)
		}
		if !strings.HasPrefix(r.Resource.ID, "arn:aws:") && r.Resource.ID != "123456789012/us-east-1" {
			t.Errorf("%s: live resource.id is the ARN, got %q", r.CheckID, r.Resource.ID)
		}
	}
	// The snapshot never holds the secret.
	if b, _ := os.ReadFile(snap); bytes.Contains(b, []byte("A1b2C3d4E5f6")) {
		t.Error("the snapshot holds a secret value")
	}

	// A denied call: exit 2, the call named in the errors, the rest reported.
	p.AddFault(awstest.Fault{Kind: awstest.Deny, Service: "lambda", Operation: "GetPolicy"})
	a, out, stderr := liveApp(t)
	if code := a.Run(ctx, append([]string{"scan", "--aws", "--format", "json"}, common...)); code != ExitError {
		t.Fatalf("scan --aws with GetPolicy denied: exit %d, want 2; stderr: %s", code, stderr)
	}
	if !strings.Contains(out.String(), `"source": "123456789012/us-east-1 lambda:GetPolicy"`) || !strings.Contains(out.String(), `"UNKNOWN"`) {
		t.Errorf("the JSON report does not name the denied call:\n%s", out)
	}
}

func TestLiveFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"aws and snapshot", []string{"scan", "--aws", "--snapshot", "x.json"}, "cannot be combined"},
		{"aws with a PATH", []string{"scan", "--aws", "infra"}, "take no PATH"},
		{"profile without aws", []string{"scan", "--profile", "p", "."}, "--profile needs --aws"},
		{"inventory without aws", []string{"inventory", "-o", "x.json"}, "needs --aws"},
		{"missing snapshot", []string{"scan", "--snapshot", "nope.json"}, "nope.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			a, _, stderr := liveApp(t)
			if code := a.Run(context.Background(), tt.args); code != ExitError {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
		})
	}
}
