package main

import (
	"bytes"
	"strings"
	"testing"
)

const minimal = `{
 "description": "order",
 "default_rule": {"iam_prefix": "x", "iam_action": "y", "example": "z"},
 "api_version_suffix": {"regex": "^([a-zA-Z]+)[0-9v_]+$", "replace_with": "$1", "source": "s",
   "examples": {"GetFunction20150331v2": "GetFunction"}, "note": "n"},
 "eventsource_prefix_exceptions": {"monitoring.amazonaws.com": {"iam_prefix": "cloudwatch", "source": "s"}},
 "event_name_exceptions": [{"eventSource": "s3.amazonaws.com", "eventName": "HeadObject", "actions": ["s3:GetObject"], "source": "s"}],
 "apigateway": {"rule": "r", "source": "s"},
 "skip": [
   {"eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity", "reason": "r"},
   {"eventType": "AwsServiceEvent", "reason": "r"},
   {"condition": "errorCode in (AccessDenied, Client.UnauthorizedOperation)", "reason": "denied"}
 ],
 "not_in_cloudtrail": [{"actions": ["logs:PutLogEvents"], "note": "n", "confidence": "c"}],
 "identify_lambda_caller": {"rule": "r", "note": "n"},
 "sources": [{"id": "a", "from": "b", "licence": "MIT"}]
}`

func TestGenerate(t *testing.T) {
	out, err := generate([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"monitoring.amazonaws.com", "cloudwatch", "s"}`,
		`{Source: "s3.amazonaws.com", Name: "HeadObject", Actions: []string{"s3:GetObject"}, Ref: "s"}`,
		`"AccessDenied",`, `"Client.UnauthorizedOperation",`,
		`const deniedReason = "denied"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	again, _ := generate([]byte(minimal))
	if !bytes.Equal(out, again) {
		t.Error("output is not deterministic")
	}
}

func TestGenerateRejects(t *testing.T) {
	tests := []struct {
		name, from, to, msg string
	}{
		{"unknown key", `"sources":`, `"extra": 1, "sources":`, `unknown top-level key "extra"`},
		{"unknown field", `"note": "n"}`, `"note": "n", "new": 1}`, "unknown field"},
		{"bad action", `"s3:GetObject"`, `"s3 GetObject"`, "bad action"},
		{"example disagrees", `"GetFunction"}`, `"GetFunctionX"}`, "example"},
		{"odd skip rule", `{"eventType": "AwsServiceEvent", "reason": "r"}`, `{"eventType": "AwsServiceEvent", "eventName": "X", "reason": "r"}`, "unknown rule shape"},
		{"no denied rule", `{"condition": "errorCode in (AccessDenied, Client.UnauthorizedOperation)", "reason": "denied"}`, `{"eventType": "AwsConsoleSignIn", "reason": "r"}`, "no errorCode rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(minimal, tt.from, tt.to, 1)
			if in == minimal {
				t.Fatal("the replacement did not apply")
			}
			_, err := generate([]byte(in))
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %q", err, tt.msg)
			}
		})
	}
}
