package iampolicy

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestMarshalCanonical checks the canonical form of every fixture against
// its golden file (testdata/canonical; rewrite with -update).
func TestMarshalCanonical(t *testing.T) {
	files, err := filepath.Glob("testdata/policies/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p, err := Parse(readFixture(t, "policies/"+filepath.Base(f)))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := json.Indent(&got, raw, "", "  "); err != nil {
				t.Fatalf("MarshalJSON wrote invalid JSON: %v\n%s", err, raw)
			}
			got.WriteByte('\n')
			golden := filepath.Join("testdata", "canonical", filepath.Base(f))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("canonical form differs from %s:\n%s", golden, got.Bytes())
			}
		})
	}
}

func TestMarshalStatement(t *testing.T) {
	tests := []struct {
		name string
		s    Statement
		want string
	}{
		{
			name: "zero statement",
			s:    Statement{},
			want: `{}`,
		},
		{
			name: "lists always, principal star, no Loc written",
			s: Statement{Sid: "A", Effect: Allow, Principal: &Principal{Wildcard: true}, Actions: []string{"lambda:InvokeFunction"},
				Resources: []string{"arn:aws:lambda:<region>:<account>:function:f"}, Loc: srcloc.Location{File: "main.tf", Line: 3}},
			want: `{"Sid":"A","Effect":"Allow","Principal":"*","Action":["lambda:InvokeFunction"],"Resource":["arn:aws:lambda:<region>:<account>:function:f"]}`,
		},
		{
			name: "NotAction set with no values is still written",
			s:    Statement{Effect: Deny, NotActionSet: true, NotResourceSet: true},
			want: `{"Effect":"Deny","NotAction":[],"NotResource":[]}`,
		},
		{
			name: "conditions grouped and sorted, duplicates merged in order",
			s: Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Conditions: []Condition{
				{Operator: "StringLike", Key: "s3:prefix", Values: []string{"b/*"}},
				{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}},
				{Operator: "StringLike", Key: "s3:prefix", Values: []string{"a/*"}},
				{Operator: "StringEquals", Key: "k", Values: nil},
			}},
			want: `{"Effect":"Allow","Action":["s3:GetObject"],"Condition":{"Bool":{"aws:SecureTransport":["true"]},"StringEquals":{"k":[]},"StringLike":{"s3:prefix":["b/*","a/*"]}}}`,
		},
		{
			name: "unknown parts are kept under lw_unknown",
			s:    Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Principal: &Principal{}, Unknown: []string{"Principal", "Resource"}},
			want: `{"Effect":"Allow","Principal":{},"Action":["s3:GetObject"],"lw_unknown":["Principal","Resource"]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			// An enclosing encoder escapes HTML by default; compare unescaped.
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(tt.s); err != nil {
				t.Fatal(err)
			}
			if s := strings.TrimSpace(buf.String()); s != tt.want {
				t.Errorf("MarshalJSON =\n%s\nwant\n%s", s, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("invalid JSON %s", got)
			}
		})
	}
}

// TestRoundTrip writes and reads back every fixture and statements with
// unknown parts, as an inventory snapshot does.
func TestRoundTrip(t *testing.T) {
	type snapshot struct {
		Policy    *Policy   `json:"policy"`
		Statement Statement `json:"statement"`
		Missing   *Policy   `json:"missing"`
	}
	var cases []snapshot
	files, _ := filepath.Glob("testdata/policies/*.json")
	for _, f := range files {
		p, err := Parse(readFixture(t, "policies/"+filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, snapshot{Policy: withoutLoc(p), Statement: withoutLoc(p).Statements[0]})
	}
	unknown, err := FromValue(map[string]any{"Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []any{"s3:GetObject", Unresolved{}}, "Resource": Unresolved{}},
		map[string]any{"Effect": Unresolved{}, "NotAction": Unresolved{}, "NotResource": []any{Unresolved{}}},
		Unresolved{},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range unknown.Statements {
		cases = append(cases, snapshot{Policy: unknown, Statement: s})
	}
	cases = append(cases, snapshot{Policy: &Policy{Statements: []Statement{}}, Statement: Statement{}})
	for i, c := range cases {
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		var back snapshot
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("case %d: Unmarshal(%s): %v", i, data, err)
		}
		if !reflect.DeepEqual(back, c) {
			t.Errorf("case %d: round trip changed the value\n got %#v\nwant %#v\njson %s", i, back, c, data)
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"syntax", `{"Statement": [}`, "invalid JSON"},
		{"statement not an object", `"x"`, "a statement must be an object"},
		{"unknown element", `{"Effect":"Allow","Action":"*","Bogus":1}`, `unknown statement element "Bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Statement
			err := s.UnmarshalJSON([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// lw_unknown is for snapshots only: a user's document may not use it.
	if _, err := Parse([]byte(`{"Statement":{"Effect":"Allow","Action":"*","lw_unknown":["Resource"]}}`)); err == nil {
		t.Error("Parse accepted lw_unknown")
	}
}

func TestClone(t *testing.T) {
	p, err := Parse(readFixture(t, "policies/conditions.json"))
	if err != nil {
		t.Fatal(err)
	}
	p.Statements[0].Unknown = []string{"Resource"}
	c := p.Clone()
	if !reflect.DeepEqual(c, p) {
		t.Fatalf("Clone differs:\n%#v\n%#v", c, p)
	}
	c.Statements[0].Actions[0] = "changed"
	c.Statements[0].Resources[0] = "changed"
	c.Statements[0].Principal.Service[0] = "changed"
	c.Statements[0].Conditions[0].Values[0] = "changed"
	c.Statements[0].Unknown[0] = "changed"
	if reflect.DeepEqual(c, p) {
		t.Error("changing the clone changed the original")
	}
	if (*Policy)(nil).Clone() != nil {
		t.Error("nil Clone is not nil")
	}
}
