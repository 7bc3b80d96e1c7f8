package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// TestAppendResultJSON holds the hand-written result encoder to what
// encoding/json writes for the same value, on the shared fixture and on
// strings that need escaping.
func TestAppendResultJSON(t *testing.T) {
	rs := append([]result.Result{}, reporttest.Scan().Results...)
	odd := []string{"", "plain", `quote " and \ back`, "tab\tnew\nline\r", "ctl \x00\x01\x1f\x7f", "<html> & 'x'",
		"caf\u00e9 \u4e2d", "line\u2028sep\u2029", "bad \xff utf8", "->", "arn:aws:logs:<region>:<account>:log-group:*"}
	for i, s := range odd {
		r := result.Result{CheckID: s, Title: s, Severity: result.Severity(i % 5), Status: result.Status(s), Message: s, Remediation: s,
			Resource: result.Resource{Kind: s, ID: s, Name: s, ARN: s, Account: s, Region: s}, Controls: []string{s, s}}
		switch i % 3 {
		case 0:
			r.Location = &srcloc.Location{File: s, Line: i}
			r.Waiver = &result.Waiver{Reason: s, Source: s}
		case 1:
			r.Location = &srcloc.Location{File: s, Line: i, Column: 7}
			r.Waiver = &result.Waiver{Reason: s, Expires: s, Source: s, Expired: true}
		}
		rs = append(rs, r)
	}
	for i, r := range rs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("    ", "  ")
		enc.SetEscapeHTML(false)
		if r.Controls == nil {
			r.Controls = []string{}
		}
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		got := appendResultJSON(nil, &rs[i])
		if w := bytes.TrimSuffix(want.Bytes(), []byte("\n")); !bytes.Equal(got, w) {
			t.Errorf("result %d:\n got %s\nwant %s", i, got, w)
		}
	}
}

// TestResultJSONFields fails when a field is added to the result types, so
// that appendResultJSON is taught it.
func TestResultJSONFields(t *testing.T) {
	tags := func(v any) string {
		var out []string
		ty := reflect.TypeOf(v)
		for i := 0; i < ty.NumField(); i++ {
			out = append(out, ty.Field(i).Tag.Get("json"))
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		v    any
		want string
	}{
		{result.Result{}, "check_id title severity status resource location,omitempty message controls remediation waiver"},
		{result.Resource{}, "kind id name arn account region"},
		{srcloc.Location{}, "file line column,omitempty"},
		{result.Waiver{}, "reason expires,omitempty source expired,omitempty"},
	}
	for _, tc := range tests {
		if got := tags(tc.v); got != tc.want {
			t.Errorf("%T fields = %q, want %q: update appendResultJSON and this test", tc.v, got, tc.want)
		}
	}
}
