package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestTextGolden(t *testing.T) {
	tests := []struct {
		name string
		scan *result.Scan
		opts report.Options
	}{
		{"text_full.golden.txt", reporttest.Scan(), report.Options{}},
		{"text_all.golden.txt", reporttest.Scan(), report.Options{ShowPass: true, Timestamps: true}},
		{"text_color.golden.txt", reporttest.Scan(), report.Options{Color: true}},
		{"text_clean.golden.txt", reporttest.CleanScan(), report.Options{}},
		{"text_empty.golden.txt", &result.Scan{Tool: result.Tool{Name: "lambdawarden", Version: "0.1.0"}}, report.Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertGolden(t, tc.name, renderFormat(t, "text", tc.scan, tc.opts))
		})
	}
}

func TestTextContent(t *testing.T) {
	s := reporttest.Scan()
	plain := renderFormat(t, "text", s, report.Options{})
	all := renderFormat(t, "text", s, report.Options{ShowPass: true})
	color := renderFormat(t, "text", s, report.Options{Color: true})

	if bytes.Contains(plain, []byte("\x1b[")) {
		t.Error("text without Color holds ANSI escapes")
	}
	if !bytes.Contains(color, []byte("\x1b[")) {
		t.Error("text with Color holds no ANSI escapes")
	}
	for _, secret := range reporttest.Secrets() {
		if bytes.Contains(all, []byte(secret)) {
			t.Error("text holds a secret value")
		}
	}
	passes := 0
	for _, r := range s.Results {
		if r.Status == result.Pass {
			passes++
			if bytes.Contains(plain, []byte(r.Message)) {
				t.Errorf("PASS result %s %q shown without ShowPass", r.CheckID, r.Message)
			}
			if !bytes.Contains(all, []byte(r.Message)) {
				t.Errorf("PASS result %s %q missing with ShowPass", r.CheckID, r.Message)
			}
			continue
		}
		if !bytes.Contains(plain, []byte(r.Message)) {
			t.Errorf("%s result %s %q missing", r.Status, r.CheckID, r.Message)
		}
		if r.Location != nil && r.Location.Line > 0 && !bytes.Contains(plain, []byte(r.Location.String())) {
			t.Errorf("location %s missing", r.Location)
		}
	}
	if passes == 0 {
		t.Fatal("fixture has no PASS result")
	}
	for _, e := range s.Errors {
		if !bytes.Contains(plain, []byte(e.Message)) {
			t.Errorf("error %q missing", e.Message)
		}
	}
	// Functions come before other resources, and each function's results
	// are listed under its heading.
	text := string(plain)
	fn := strings.Index(text, "function orders-api (aws_lambda_function.api)")
	acc := strings.Index(text, "account 123456789012")
	if fn < 0 || acc < 0 || fn > acc {
		t.Errorf("want function groups before the account group:\n%s", text)
	}
	last := strings.TrimSpace(text[strings.LastIndex(strings.TrimSpace(text), "\n"):])
	if !strings.HasPrefix(last, "Summary: 5 functions, 14 results: ") || !strings.Contains(last, "2 errors") {
		t.Errorf("summary line = %q", last)
	}
}
