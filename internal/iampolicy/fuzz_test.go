package iampolicy

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// addSeeds adds every fixture document to the corpus.
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/policies/*.json")
	more, _ := filepath.Glob("testdata/malformed/*.json")
	for _, name := range append(files, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
}

// FuzzParse checks that Parse never panics, that its errors carry a line,
// and that a parsed policy's canonical form parses back to the same policy.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := Parse(doc)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("error without a position: %#v", err)
			}
			return
		}
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := Parse(data)
		if err != nil {
			t.Fatalf("canonical form %s does not parse: %v", data, err)
		}
		if !reflect.DeepEqual(withoutLoc(back), withoutLoc(p)) {
			t.Fatalf("canonical round trip changed the policy\n%#v\n%#v", withoutLoc(back), withoutLoc(p))
		}
		for i := range p.Statements {
			s := &p.Statements[i]
			s.AllowsAction("s3:GetObject")
			s.CoversResource("arn:aws:s3:::b/k")
			s.ConditionValues("aws:SourceArn")
			s.Principal.IsPublic()
			s.Principal.Accounts()
			for _, r := range s.Resources {
				MatchResource(r, "arn:aws:s3:::b/k")
			}
		}
		Evaluate([]*Policy{p}, "s3:GetObject", "arn:aws:s3:::b/k")
	})
}

// FuzzFromValue decodes the input with encoding/json and checks that
// FromValue never panics and, whenever Parse accepts the same document,
// gives the same policy.
func FuzzFromValue(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return
		}
		got, err := FromValue(v)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Msg == "" {
				t.Fatalf("error is not a *ParseError: %#v", err)
			}
		}
		want, perr := Parse(doc)
		if perr != nil {
			return // duplicate keys, trailing data: encoding/json is laxer
		}
		if err != nil {
			t.Fatalf("Parse accepted what FromValue rejected: %v", err)
		}
		if !reflect.DeepEqual(got, withoutLoc(want)) {
			t.Fatalf("FromValue and Parse differ\n%#v\n%#v", got, withoutLoc(want))
		}
	})
}

// FuzzMatchResource checks the policy-variable matcher against the plain
// glob matcher on patterns without variables, where they must agree.
func FuzzMatchResource(f *testing.F) {
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/k")
	f.Add("a*b?c", "axxbyc")
	f.Add("*é?", "xéü")
	f.Fuzz(func(t *testing.T, pattern, arn string) {
		if len(pattern) > 200 || len(arn) > 200 {
			return
		}
		if bytes.Contains([]byte(pattern), []byte("${")) {
			MatchResource(pattern, arn)
			return
		}
		if a, b := matchGlob(pattern, arn, false), matchTokens(tokenizeResource(pattern), arn); a != b {
			t.Fatalf("glob %v, tokens %v for %q ~ %q", a, b, pattern, arn)
		}
	})
}
