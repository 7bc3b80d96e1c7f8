package cloudtrail

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

const samplesDir = "testdata/samples/"

const constructedSample = samplesDir + "CONSTRUCTED_lambda-exec-role_123456789012_CloudTrail_us-east-1_20260820T1005Z.json"

// decoded is what the tests compare of a record.
type decoded struct {
	source, name, identityType, issuer, session, errorCode string
	resources                                              int
	params                                                 string
}

func decodeAll(t *testing.T, r io.Reader, window int) ([]decoded, error) {
	t.Helper()
	d := NewDecoder(r)
	if window > 0 {
		d.buf = make([]byte, window)
	}
	var out []decoded
	var rec Record
	for {
		err := d.Next(&rec)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, decoded{
			source: string(rec.EventSource), name: string(rec.EventName), identityType: string(rec.Identity.Type),
			issuer: string(rec.Identity.IssuerARN), session: string(rec.SessionName()), errorCode: string(rec.ErrorCode),
			resources: len(rec.Resources), params: string(rec.RequestParameters),
		})
	}
}

func TestDecodeSamples(t *testing.T) {
	raw, err := os.ReadFile(constructedSample)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		r      func() io.Reader
		window int
	}{
		{"whole window", func() io.Reader { return bytes.NewReader(raw) }, 0},
		{"tiny window grows", func() io.Reader { return bytes.NewReader(raw) }, 16},
		{"one byte reads", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(raw)) }, 64},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAll(t, tt.r(), tt.window)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 12 {
				t.Fatalf("decoded %d records, want 12", len(got))
			}
			first, sm := got[0], got[1]
			if first.identityType != "AWSService" || first.name != "AssumeRole" || first.resources != 1 {
				t.Errorf("record 0 = %+v", first)
			}
			if sm.source != "secretsmanager.amazonaws.com" || sm.issuer != "arn:aws:iam::123456789012:role/order-service-exec-role" ||
				sm.session != "order-service-handler" || !strings.Contains(sm.params, `"secretId"`) {
				t.Errorf("record 1 = %+v", sm)
			}
			if last := got[11]; last.errorCode != "AccessDenied" || last.name != "GetParameter" {
				t.Errorf("record 11 = %+v", last)
			}
		})
	}
}

func TestDecodeShapes(t *testing.T) {
	rec := func(name string) string {
		return `{"eventSource":"s3.amazonaws.com","eventName":"` + name + `","userIdentity":{"type":"AssumedRole"}}`
	}
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"s3 delivery", `{"Records":[` + rec("A") + `,` + rec("B") + `]}`, []string{"A", "B"}},
		{"empty records", `{"Records":[]}`, nil},
		{"empty file", ``, nil},
		{"white space only", " \n\t", nil},
		{"byte order mark", "\xEF\xBB\xBF" + `{"Records":[` + rec("A") + `]}`, []string{"A"}},
		{"other keys after records", `{"Records":[` + rec("A") + `],"next":{"x":[1,2]},"Records":[` + rec("B") + `]}`, []string{"A", "B"}},
		{"json lines", rec("A") + "\n" + rec("B") + "\n\n" + rec("C") + "\n", []string{"A", "B", "C"}},
		{"array of records", `[` + rec("A") + `, null, ` + rec("B") + `]`, []string{"A", "B"}},
		{"lookup events", `{"Events":[{"EventId":"1","CloudTrailEvent":"{\"eventSource\":\"lambda.amazonaws.com\",\"eventName\":\"UpdateFunctionCode20150331v2\"}"}]}`,
			[]string{"UpdateFunctionCode20150331v2"}},
		{"escaped strings", `{"Records":[{"eventName":"Get\u004fbject","eventSource":"s3.amazonaws.com","userAgent":"a \"quoted\" \ud83d\ude00"}]}`,
			[]string{"GetObject"}},
		{"concatenated files", `{"Records":[` + rec("A") + `]}{"Records":[` + rec("B") + `]}`, []string{"A", "B"}},
		{"non-string field ignored", `{"eventName":5,"eventSource":{"a":[true,false,null,-1.5e3]}}`, []string{""}},
	}
	for _, tt := range tests {
		for _, window := range []int{0, 8} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := decodeAll(t, strings.NewReader(tt.input), window)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, g := range got {
					names = append(names, g.name)
				}
				if strings.Join(names, ",") != strings.Join(tt.want, ",") {
					t.Errorf("names = %q, want %q", names, tt.want)
				}
			})
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		records int
		line    int
		msg     string
	}{
		{"truncated", "{\"Records\":[\n{\"eventName\":\"A\"},\n{\"eventName\":\"B\"", 1, 3, "unexpected end of input"},
		{"unterminated array", `{"Records":[{"eventName":"A"}`, 1, 1, "unexpected end of input"},
		{"bad character", "{\"Records\":[\n{\"eventName\":\"A\"},\n{\"eventName\" \"B\"}]}", 1, 3, "want ':'"},
		{"garbage at top", "hello", 0, 1, "want a JSON object"},
		{"garbage between records", `{"Records":[{"eventName":"A"} x]}`, 1, 1, "want , or ]"},
		{"bad literal", `{"Records":[{"eventName":"A","readOnly":tru}]}`, 0, 1, "invalid literal"},
		{"bad escape", `{"Records":[{"eventName":"A\q"}]}`, 0, 1, "invalid escape"},
		{"number element", `{"Records":[1]}`, 0, 1, "want a record object"},
		{"nested CloudTrailEvent broken", `{"CloudTrailEvent":"{\"eventName\":"}`, 0, 1, "CloudTrailEvent"},
		{"too deep", `{"Records":[{"x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}]}`, 0, 1, "nesting too deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAll(t, strings.NewReader(tt.input), 0)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a SyntaxError", err)
			}
			if len(got) != tt.records {
				t.Errorf("decoded %d records before the error, want %d", len(got), tt.records)
			}
			if se.Line != tt.line || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("error = %v, want line %d and %q", se, tt.line, tt.msg)
			}
		})
	}
}

func TestRecordHelpers(t *testing.T) {
	r := Record{Identity: Identity{Type: []byte("AssumedRole"), ARN: []byte("arn:aws-cn:sts::111122223333:assumed-role/my-role/my-fn")}}
	if got := string(r.SessionName()); got != "my-fn" {
		t.Errorf("SessionName = %q", got)
	}
	if got := string(r.RoleARN()); got != "arn:aws-cn:iam::111122223333:role/my-role" {
		t.Errorf("RoleARN = %q", got)
	}
	if got := r.Partition(); got != "aws-cn" {
		t.Errorf("Partition = %q", got)
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"2026-08-20T10:00:01Z", true},
		{"2026-08-20T10:00:01.123+02:00", true},
		{"2026-13-20T10:00:01Z", false},
		{"yesterday", false},
	} {
		if _, ok := parseTime([]byte(tt.in)); ok != tt.ok {
			t.Errorf("parseTime(%q) ok = %v", tt.in, ok)
		}
	}
}
