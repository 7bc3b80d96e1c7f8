package template

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// billionLaughs builds the classic alias bomb: levels of 9 aliases each.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [\"lol\"]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("Resources: {}\n")
	return b.String()
}

func deepJSON(depth int) string {
	return `{"Resources": ` + strings.Repeat(`{"a": `, depth) + `1` + strings.Repeat(`}`, depth) + `}`
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		lim      Limits
		wantErr  string
		wantLine int
	}{
		{name: "yaml", src: "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: AWS::SNS::Topic}\n"},
		{name: "json", src: `{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}`},
		{name: "byte order mark", src: "\xef\xbb\xbfResources: {}\n"},
		{name: "malformed yaml", src: "Resources:\n  A: {Type: AWS::SNS::Topic\n  B: x\n", wantErr: "malformed YAML/JSON", wantLine: 2},
		{name: "malformed json", src: "{\n\"Resources\": {\n\"A\": [1, 2\n}\n", wantErr: "malformed JSON", wantLine: 4},
		{name: "json trailing comma", src: "{\"Resources\": {\n\"A\": 1,\n}}", wantErr: "malformed JSON", wantLine: 3},
		{name: "tab indentation", src: "Resources:\n\tA: 1\n", wantErr: "malformed YAML/JSON", wantLine: 2},
		{name: "not a mapping", src: "- a\n- b\n", wantErr: "template is not a mapping", wantLine: 1},
		{name: "empty", src: "", wantErr: "empty document", wantLine: 1},
		{name: "alias bomb", src: billionLaughs(9), wantErr: "alias bomb"},
		{name: "small aliases are fine", src: billionLaughs(2)},
		{name: "alias inside its own anchor", src: "Resources: &a {A: *a, B: *a, C: [*a, *a]}\n", wantErr: "alias refers to a node that contains it", wantLine: 1},
		{name: "deep nesting", src: deepJSON(300), wantErr: "nesting deeper than 256 levels"},
		{name: "very deep nesting", src: deepJSON(20000), wantErr: "nesting deeper than"},
		{name: "very deep yaml nesting", src: "Resources: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000), wantErr: "malformed YAML/JSON"},
		{name: "nesting at the limit", src: deepJSON(200)},
		{name: "too large", src: "Resources: {}\n", lim: Limits{MaxBytes: 5}, wantErr: "larger than the limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lim := tc.lim
			if lim == (Limits{}) {
				lim = DefaultLimits()
			}
			start := time.Now()
			tp, err := Parse("t.yaml", []byte(tc.src), lim)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Parse took %v", d)
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if tp.Resources == nil {
					t.Errorf("no Resources section")
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error = %v, want an *Error containing %q", err, tc.wantErr)
			}
			if !strings.Contains(e.Message, tc.wantErr) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tc.wantErr)
			}
			if e.File != "t.yaml" {
				t.Errorf("file = %q, want t.yaml", e.File)
			}
			if tc.wantLine != 0 && e.Line != tc.wantLine {
				t.Errorf("line = %d, want %d", e.Line, tc.wantLine)
			}
		})
	}
}

func TestIsSAM(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"Transform: AWS::Serverless-2016-10-31\nResources: {}\n", true},
		{"Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources: {}\n", true},
		{"Transform: AWS::LanguageExtensions\nResources: {}\n", false},
		{"Resources: {}\n", false},
	}
	for _, tc := range tests {
		tp, err := Parse("t.yaml", []byte(tc.src), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.IsSAM(); got != tc.want {
			t.Errorf("IsSAM(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}

func TestEndLine(t *testing.T) {
	src := "Resources:\n  A:\n    Type: X\n    Properties:\n      Code: |\n        line1\n        line2\n  B: {}\n"
	tp, err := Parse("t.yaml", []byte(src), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got := EndLine(Get(tp.Resources, "A")); got != 7 {
		t.Errorf("EndLine(A) = %d, want 7", got)
	}
}

// FuzzParse checks that parsing arbitrary bytes never panics and always
// ends within the limits: a template, or an *Error naming the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte("Resources: {A: {Type: AWS::SNS::Topic}}"))
	f.Add([]byte(billionLaughs(3)))
	f.Add([]byte(deepJSON(30)))
	f.Add([]byte("Resources: &a {A: *a, B: *a}"))
	f.Add([]byte(`{"Resources": {"A": [1, 2,]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := DefaultLimits()
		lim.MaxExpandedNodes = 50_000
		tp, err := Parse("f.yaml", data, lim)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" {
				t.Fatalf("error %v is not an *Error naming the file", err)
			}
			return
		}
		if tp.Root == nil {
			t.Fatal("no root")
		}
		_ = EndLine(tp.Root)
	})
}
