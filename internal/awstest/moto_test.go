package awstest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestMotoThroughProxy: moto answers through the proxy, the proxy records
// the calls, and a reset empties every account.
func TestMotoThroughProxy(t *testing.T) {
	m := StartMoto(t)
	p := NewProxy(t, Options{Backend: Forward(m.URL), Emulate: true})
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: aws.String(p.URL)}
	ctx := context.Background()
	cl := iam.NewFromConfig(cfg)
	if _, err := cl.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[]}`)}); err != nil {
		t.Fatal(err)
	}
	if got := p.Operations(); len(got) != 1 || got[0] != "iam:CreateRole" {
		t.Errorf("recorded %v", got)
	}
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	p.ResetState()
	out, err := cl.ListRoles(ctx, &iam.ListRolesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Roles {
		if aws.ToString(r.RoleName) == "r" {
			t.Error("the role survived the reset")
		}
	}
}
