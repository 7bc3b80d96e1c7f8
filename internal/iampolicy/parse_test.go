package iampolicy

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
	"gopkg.in/yaml.v3"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withoutLoc returns a copy of p with statement locations cleared, for
// comparing shapes.
func withoutLoc(p *Policy) *Policy {
	if p == nil {
		return nil
	}
	q := p.Clone()
	for i := range q.Statements {
		q.Statements[i].Loc = srcloc.Location{}
	}
	return q
}

func TestParseShapes(t *testing.T) {
	tests := []struct {
		name string
		file string
		want *Policy
	}{
		{
			name: "statement as an object, strings for Action and Resource",
			file: "policies/statement-object.json",
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Sid: "ReadOrders", Effect: Allow,
				Actions:   []string{"dynamodb:GetItem"},
				Resources: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/orders"},
			}}},
		},
		{
			name: "statement list with lists",
			file: "policies/statement-list.json",
			want: &Policy{Version: Version2012, Statements: []Statement{
				{
					Effect:    Allow,
					Actions:   []string{"s3:GetObject", "s3:PutObject"},
					Resources: []string{"arn:aws:s3:::uploads/*", "arn:aws:s3:::reports/*"},
				},
				{Effect: Deny, Actions: []string{"s3:DeleteObject"}, Resources: []string{"*"}},
			}},
		},
		{
			name: "NotAction and NotResource",
			file: "policies/not-action.json",
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Sid: "EverythingButIAM", Effect: Allow,
				NotActions: []string{"iam:*", "organizations:*"}, NotActionSet: true,
				NotResources: []string{"arn:aws:s3:::audit-logs/*"}, NotResourceSet: true,
			}}},
		},
		{
			name: "Principal star",
			file: "policies/principal-star.json",
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Effect: Allow, Principal: &Principal{Wildcard: true},
				Actions:   []string{"lambda:InvokeFunction"},
				Resources: []string{"arn:aws:lambda:us-east-1:123456789012:function:api"},
			}}},
		},
		{
			name: "Principal AWS star is not the Wildcard flag",
			file: "policies/principal-aws-star.json",
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Effect: Allow, Principal: &Principal{AWS: []string{"*"}},
				Actions:   []string{"lambda:InvokeFunction"},
				Resources: []string{"arn:aws:lambda:us-east-1:123456789012:function:api"},
			}}},
		},
		{
			name: "Principal map of every type, sorted and deduplicated, no Resource",
			file: "policies/principal-mixed.json",
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Effect: Allow,
				Principal: &Principal{
					AWS:           []string{"111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/deployer"},
					Service:       []string{"lambda.amazonaws.com"},
					Federated:     []string{"cognito-identity.amazonaws.com"},
					CanonicalUser: []string{"example-canonical-user"},
				},
				Actions: []string{"sts:AssumeRole"},
			}}},
		},
		{
			name: "NotPrincipal",
			file: "policies/not-principal.json",
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Effect:       Deny,
				NotPrincipal: &Principal{AWS: []string{"arn:aws-us-gov:iam::123456789012:root", "arn:aws:iam::123456789012:role/admin"}},
				Actions:      []string{"s3:*"},
				Resources:    []string{"arn:aws:s3:::vault", "arn:aws:s3:::vault/*"},
			}}},
		},
		{
			name: "conditions sorted by operator and key, scalars stringified, values in order",
			file: "policies/conditions.json",
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Effect:    Allow,
				Principal: &Principal{Service: []string{"s3.amazonaws.com"}},
				Actions:   []string{"lambda:InvokeFunction"},
				Resources: []string{"arn:aws:lambda:us-east-1:123456789012:function:thumbnail"},
				Conditions: []Condition{
					{Operator: "ArnLike", Key: "AWS:SourceArn", Values: []string{"arn:aws:s3:::photos"}},
					{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}},
					{Operator: "Null", Key: "aws:TokenIssueTime", Values: []string{"false"}},
					{Operator: "NumericLessThan", Key: "aws:MultiFactorAuthAge", Values: []string{"3600"}},
					{Operator: "NumericLessThan", Key: "s3:max-keys", Values: []string{"10", "2.5"}},
					{Operator: "StringEquals", Key: "aws:PrincipalOrgID", Values: []string{"o-abc123", "o-def456"}},
					{Operator: "StringEquals", Key: "aws:SourceAccount", Values: []string{"123456789012"}},
				},
			}}},
		},
		{
			name: "Version 2008 and Id, one line",
			file: "policies/version-2008-id.json",
			want: &Policy{Version: Version2008, ID: "default", Statements: []Statement{{
				Sid: "lambda-allow-apigw", Effect: Allow,
				Principal: &Principal{Service: []string{"apigateway.amazonaws.com"}},
				Actions:   []string{"lambda:InvokeFunction"},
				Resources: []string{"arn:aws:lambda:eu-west-1:123456789012:function:orders"},
				Conditions: []Condition{{Operator: "ArnLike", Key: "AWS:SourceArn",
					Values: []string{"arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/GET/orders"}}},
			}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(readFixture(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if g := withoutLoc(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", g, tt.want)
			}
		})
	}
}

func TestParseInline(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want *Policy
	}{
		{
			name: "empty statement list",
			doc:  `{"Version":"2012-10-17","Statement":[]}`,
			want: &Policy{Version: Version2012, Statements: []Statement{}},
		},
		{
			name: "no Version",
			doc:  `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			want: &Policy{Statements: []Statement{{Effect: Allow, Actions: []string{"*"}, Resources: []string{"*"}}}},
		},
		{
			name: "empty Action list stays an empty list",
			doc:  `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`,
			want: &Policy{Statements: []Statement{{Effect: Allow, Actions: []string{}, Resources: []string{"*"}}}},
		},
		{
			name: "empty principal map",
			doc:  `{"Statement":{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}}`,
			want: &Policy{Statements: []Statement{{Effect: Allow, Principal: &Principal{}, Actions: []string{"sts:AssumeRole"}}}},
		},
		{
			name: "byte order mark",
			doc:  "\xEF\xBB\xBF" + `{"Statement":{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}}`,
			want: &Policy{Statements: []Statement{{Effect: Deny, NotActions: []string{"s3:GetObject"}, NotActionSet: true, Resources: []string{"*"}}}},
		},
		{
			name: "condition with empty list and big number literal kept verbatim",
			doc:  `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"k":1e3,"n":12345678901234567890},"StringEquals":{"e":[]}}}}`,
			want: &Policy{Statements: []Statement{{Effect: Allow, Actions: []string{"s3:*"}, Resources: []string{"*"},
				Conditions: []Condition{
					{Operator: "NumericEquals", Key: "k", Values: []string{"1e3"}},
					{Operator: "NumericEquals", Key: "n", Values: []string{"12345678901234567890"}},
					{Operator: "StringEquals", Key: "e", Values: []string{}},
				}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if g := withoutLoc(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", g, tt.want)
			}
		})
	}
}

func TestParseStatementLoc(t *testing.T) {
	p, err := Parse(readFixture(t, "policies/statement-list.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []srcloc.Location{{Line: 4, Column: 5}, {Line: 9, Column: 5}}
	for i, s := range p.Statements {
		if s.Loc != want[i] {
			t.Errorf("statement %d Loc = %+v, want %+v", i, s.Loc, want[i])
		}
	}
}

func TestParseAt(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		at       srcloc.Location
		wantLoc  srcloc.Location
		wantLine int // of the error, for bad documents
		wantCol  int
	}{
		{
			name:    "heredoc starting mid-line: first line shifts the column",
			doc:     `{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`,
			at:      srcloc.Location{File: "main.tf", Line: 10, Column: 12},
			wantLoc: srcloc.Location{File: "main.tf", Line: 10, Column: 26},
		},
		{
			name:    "later lines keep their column",
			doc:     "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\"}\n  ]\n}",
			at:      srcloc.Location{File: "main.tf", Line: 20, Column: 7},
			wantLoc: srcloc.Location{File: "main.tf", Line: 22, Column: 5},
		},
		{
			name:     "error line relative to the file",
			doc:      "{\n  \"Statement\": [\n    {\"Effect\": \"allow\", \"Action\": \"*\"}\n  ]\n}",
			at:       srcloc.Location{File: "main.tf", Line: 20, Column: 7},
			wantLine: 22,
			wantCol:  16,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseAt([]byte(tt.doc), tt.at)
			if tt.wantLine > 0 {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("err = %v, want a *ParseError", err)
				}
				if pe.Line != tt.wantLine || pe.Column != tt.wantCol {
					t.Errorf("error at %d:%d, want %d:%d (%v)", pe.Line, pe.Column, tt.wantLine, tt.wantCol, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Statements[0].Loc; got != tt.wantLoc {
				t.Errorf("Loc = %+v, want %+v", got, tt.wantLoc)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		wantLine int
		wantPath string
		wantMsg  string
	}{
		{"trailing comma", "malformed/syntax-trailing-comma.json", 8, "", "invalid JSON"},
		{"truncated document", "malformed/truncated.json", 7, "", "unexpected end of document"},
		{"invalid Effect names the statement", "malformed/effect-invalid.json", 6, "Statement[1].Effect", `must be "Allow" or "Deny", got "Alow"`},
		{"Action and NotAction together", "malformed/both-action-notaction.json", 4, "Statement[0]", "both Action and NotAction"},
		{"unknown element", "malformed/unknown-element.json", 6, "Statement[0]", `unknown statement element "Actions"`},
		{"lower-case element gets a hint", "malformed/lowercase-key.json", 5, "Statement[0]", `did you mean "Effect"`},
		{"Principal as a plain ARN", "malformed/principal-string.json", 6, "Statement[0].Principal", `must be "*" or an object`},
		{"principal type misspelt", "malformed/principal-unknown-type.json", 6, "Statement[0].Principal", `unknown principal type "Aws"`},
		{"nested condition value", "malformed/condition-nested.json", 10, "Statement[0].Condition.StringEquals.aws:SourceVpc", "not an object"},
		{"duplicate key", "malformed/duplicate-key.json", 7, "", `duplicate key "Effect"`},
		{"no Statement", "malformed/no-statement.json", 1, "", "no Statement"},
		{"statement that is a string", "malformed/statement-not-object.json", 4, "Statement[0]", "must be an object, not a string"},
		{"number in Action list", "malformed/action-number.json", 6, "Statement[0].Action[1]", "must be a string, not a number"},
		{"second document after the first", "malformed/trailing-data.json", 2, "", "unexpected data after the policy document"},
		{"empty document", "malformed/empty.json", 1, "", "empty policy document"},
		{"unsupported Version", "malformed/version-bad.json", 2, "Version", `got "2012-10-18"`},
		{"top level list", "malformed/not-object.json", 1, "", "must be an object, not a list"},
		{"no Effect", "malformed/no-effect.json", 4, "Statement[0]", "has no Effect"},
		{"no Action", "malformed/no-action.json", 4, "Statement[0]", "neither Action nor NotAction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(readFixture(t, tt.file))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", p)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T %v, want *ParseError", err, err)
			}
			if pe.Line != tt.wantLine {
				t.Errorf("line = %d, want %d (%v)", pe.Line, tt.wantLine, err)
			}
			if pe.Path != tt.wantPath {
				t.Errorf("path = %q, want %q (%v)", pe.Path, tt.wantPath, err)
			}
			if !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Errorf("message %q does not contain %q", pe.Msg, tt.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Errorf("Error() = %q, want it to start with the line", err)
			}
		})
	}
}

func TestParseDepthLimit(t *testing.T) {
	doc := `{"Statement":{"Effect":"Allow","Action":"*","Condition":{"X":{"k":` +
		strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}}}}`
	_, err := Parse([]byte(doc))
	if err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Fatalf("err = %v, want nesting error", err)
	}
}

// TestFromValueMatchesParse decodes every well-formed fixture with
// encoding/json (with and without UseNumber) and yaml.v3 and checks that
// FromValue gives what Parse gives.
func TestFromValueMatchesParse(t *testing.T) {
	files, err := filepath.Glob("testdata/policies/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Parse(doc)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		decoders := map[string]func([]byte) (any, error){
			"encoding/json": func(b []byte) (any, error) {
				var v any
				err := json.Unmarshal(b, &v)
				return v, err
			},
			"yaml.v3": func(b []byte) (any, error) {
				var v any
				err := yaml.Unmarshal(b, &v)
				return v, err
			},
		}
		for name, decode := range decoders {
			t.Run(filepath.Base(f)+"/"+name, func(t *testing.T) {
				v, err := decode(doc)
				if err != nil {
					t.Fatal(err)
				}
				got, err := FromValue(v)
				if err != nil {
					t.Fatalf("FromValue: %v", err)
				}
				if !reflect.DeepEqual(got, withoutLoc(want)) {
					t.Errorf("FromValue =\n%#v\nParse =\n%#v", got, withoutLoc(want))
				}
			})
		}
	}
}

func TestFromValueYAML(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want *Policy
	}{
		{
			name: "serverless-style YAML with unquoted values",
			yaml: `
Version: 2012-10-17
Statement:
  - Effect: Allow
    Action:
      - sqs:ReceiveMessage
      - sqs:DeleteMessage
    Resource: arn:aws:sqs:us-east-1:123456789012:jobs
    Condition:
      Bool:
        aws:SecureTransport: true
      NumericLessThanEquals:
        aws:MultiFactorAuthAge: 3600
  - Effect: Allow
    Principal:
      AWS: 012345678901
    Action: sts:AssumeRole
`,
			want: &Policy{Version: Version2012, Statements: []Statement{
				{
					Effect: Allow, Actions: []string{"sqs:ReceiveMessage", "sqs:DeleteMessage"},
					Resources: []string{"arn:aws:sqs:us-east-1:123456789012:jobs"},
					Conditions: []Condition{
						{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}},
						{Operator: "NumericLessThanEquals", Key: "aws:MultiFactorAuthAge", Values: []string{"3600"}},
					},
				},
				{Effect: Allow, Principal: &Principal{AWS: []string{"012345678901"}}, Actions: []string{"sts:AssumeRole"}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := yaml.Unmarshal([]byte(tt.yaml), &v); err != nil {
				t.Fatal(err)
			}
			got, err := FromValue(v)
			if err != nil {
				t.Fatalf("FromValue: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FromValue =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestFromValueGoValues(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want *Policy
	}{
		{
			name: "yaml.v2 style map[any]any and typed slices",
			v: map[any]any{
				"Version": time.Date(2012, 10, 17, 0, 0, 0, 0, time.UTC),
				"Statement": []map[string]any{{
					"Effect":    "Allow",
					"Action":    []string{"logs:PutLogEvents"},
					"Resource":  "*",
					"Condition": map[any]any{"NumericEquals": map[any]any{"n": int32(7), "f": float32(0.5), "u": uint8(3)}},
				}},
			},
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Effect: Allow, Actions: []string{"logs:PutLogEvents"}, Resources: []string{"*"},
				Conditions: []Condition{
					{Operator: "NumericEquals", Key: "f", Values: []string{"0.5"}},
					{Operator: "NumericEquals", Key: "n", Values: []string{"7"}},
					{Operator: "NumericEquals", Key: "u", Values: []string{"3"}},
				},
			}}},
		},
		{
			name: "float64 integers lose no digits and get no exponent",
			v: map[string]any{"Statement": map[string]any{
				"Effect": "Allow", "Action": "s3:*", "Resource": "*",
				"Condition": map[string]any{"NumericLessThan": map[string]any{"big": float64(1e20), "neg": -2.0}},
			}},
			want: &Policy{Statements: []Statement{{Effect: Allow, Actions: []string{"s3:*"}, Resources: []string{"*"},
				Conditions: []Condition{
					{Operator: "NumericLessThan", Key: "big", Values: []string{"100000000000000000000"}},
					{Operator: "NumericLessThan", Key: "neg", Values: []string{"-2"}},
				}}}},
		},
		{
			name: "null elements are absent, as Terraform writes unset attributes",
			v: map[string]any{"Version": "2012-10-17", "Id": nil, "Statement": []any{map[string]any{
				"Sid": nil, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "NotResource": nil,
				"Principal": map[string]any{"AWS": nil, "Service": "lambda.amazonaws.com"}, "NotPrincipal": nil,
				"Condition": map[string]any{"Bool": nil, "StringEquals": map[string]any{"a": nil, "b": "x"}},
			}}},
			want: &Policy{Version: Version2012, Statements: []Statement{{
				Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"*"},
				Principal:  &Principal{Service: []string{"lambda.amazonaws.com"}},
				Conditions: []Condition{{Operator: "StringEquals", Key: "b", Values: []string{"x"}}},
			}}},
		},
		{
			name: "unresolved values become Unknown",
			v: map[string]any{"Statement": []any{
				map[string]any{
					"Effect":    "Allow",
					"Action":    []any{"dynamodb:GetItem", Unresolved{Reason: "var.extra_action"}},
					"Resource":  &Unresolved{Reason: "known after apply"},
					"Principal": map[string]any{"AWS": []any{"111122223333", Unresolved{}}},
					"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceArn": Unresolved{}}},
				},
				map[string]any{"Effect": Unresolved{}, "NotAction": Unresolved{}, "Resource": "*"},
				Unresolved{Reason: "dynamic block"},
			}},
			want: &Policy{Statements: []Statement{
				{
					Effect:     Allow,
					Actions:    []string{"dynamodb:GetItem"},
					Resources:  []string{},
					Principal:  &Principal{AWS: []string{"111122223333"}},
					Conditions: []Condition{{Operator: "StringEquals", Key: "aws:SourceArn", Values: []string{}}},
					Unknown:    []string{"Action", "Condition", "Principal", "Resource"},
				},
				{NotActions: []string{}, NotActionSet: true, Resources: []string{"*"}, Unknown: []string{"Action", "Effect"}},
				{Unknown: []string{"Action", "Condition", "Effect", "Principal", "Resource"}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromValue(tt.v)
			if err != nil {
				t.Fatalf("FromValue: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FromValue =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestFromValueErrors(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["Statement"] = cyclic
	tests := []struct {
		name    string
		v       any
		wantErr string
	}{
		{"nil", nil, "must be an object, not null"},
		{"null Effect is a missing Effect", map[string]any{"Statement": map[string]any{"Effect": nil, "Action": "*"}}, "Statement: has no Effect"},
		{"null Statement is a missing Statement", map[string]any{"Statement": nil}, "no Statement"},
		{"string", "policy", "must be an object, not a string"},
		{"bad Effect", map[string]any{"Statement": map[string]any{"Effect": "allow", "Action": "*"}}, `Statement.Effect: must be "Allow" or "Deny", got "allow"`},
		{"null in Action list", map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": []any{nil}}}, "Statement.Action[0]: must be a string, not null"},
		{"unsupported Go type", map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": struct{}{}}}, "unsupported value of type struct {}"},
		{"non-string map key", map[any]any{1.5: "x", [2]int{1, 2}: 1, struct{}{}: 2}, "object key of type [2]int is not a string"},
		{"self-referencing map", cyclic, "nested too deeply"},
		{"number principal that is not an account", map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": "*", "Principal": map[string]any{"Service": 5}}}, "Statement.Principal.Service: must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			_, err := FromValue(tt.v)
			if err == nil {
				t.Fatal("FromValue succeeded")
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 0 {
				t.Errorf("err = %#v, want a *ParseError without line", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{`)
	for i := range 40 {
		fmt.Fprintf(&b, `"k%d":"v",`, i)
	}
	b.WriteString(`"k7":"again"}}}}`)
	_, err := Parse([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), `duplicate key "k7"`) {
		t.Fatalf("err = %v, want a duplicate key error", err)
	}
}
