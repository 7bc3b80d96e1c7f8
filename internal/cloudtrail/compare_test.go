package cloudtrail

import (
	"slices"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

func TestCompare(t *testing.T) {
	o := readOracle(t)
	g := generate(t, []string{constructedSample}, o.RoleARN, "", PolicyOptions{})
	current := mustPolicy(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"Table","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:<region>:<account>:table/Orders"},
		{"Sid":"Files","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-order-attachments/*"},
		{"Sid":"Notify","Effect":"Allow","Action":"sns:Publish","Resource":"*"},
		{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"},
		{"Sid":"NoSecrets","Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}]}`)
	cmp := Compare(iampolicy.DefaultCatalog(), []*iampolicy.Policy{current}, []string{"managed policy X is not in the scanned code"},
		g.Used, "123456789012", "us-east-1")

	var unused []string
	for _, u := range cmp.UnusedGrants {
		unused = append(unused, u.Pattern)
	}
	if want := []string{"s3:PutObject", "sns:Publish"}; !slices.Equal(unused, want) {
		t.Errorf("unused grants = %q, want %q", unused, want)
	}
	if len(cmp.Wildcards) != 1 || cmp.Wildcards[0].Pattern != "dynamodb:*" || cmp.Wildcards[0].Actions < 50 ||
		!slices.Equal(cmp.Wildcards[0].Used, []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}) {
		t.Errorf("wildcards = %+v", cmp.Wildcards)
	}
	if want := []string{"sns"}; !slices.Equal(cmp.UnusedServices, want) {
		t.Errorf("unused services = %q, want %q", cmp.UnusedServices, want)
	}
	got := map[string]string{}
	for _, n := range cmp.NotGranted {
		got[n.Action+" "+n.Resource] = n.Decision
	}
	want := map[string]string{
		"dynamodb:Query arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/byCustomer":                     "NotAllowed",
		"kms:Decrypt arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab":                  "NotAllowed",
		"lambda:GetFunction arn:aws:lambda:us-east-1:123456789012:function:inventory-sync":                         "NotAllowed",
		"secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/orders/db-AbCdEf": "Denied",
		"sqs:SendMessage arn:aws:sqs:us-east-1:123456789012:order-events":                                          "NotAllowed",
	}
	if len(got) != len(want) {
		t.Errorf("not granted = %v", got)
	}
	for k, d := range want {
		if got[k] != d {
			t.Errorf("%s: decision %q, want %q", k, got[k], d)
		}
	}
	if len(cmp.Gaps) != 1 {
		t.Errorf("gaps = %q", cmp.Gaps)
	}
}
