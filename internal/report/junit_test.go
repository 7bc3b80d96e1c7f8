package report_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

type jProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type jCase struct {
	Name      string    `xml:"name,attr"`
	Classname string    `xml:"classname,attr"`
	File      string    `xml:"file,attr"`
	Line      int       `xml:"line,attr"`
	Failure   *jProblem `xml:"failure"`
	Error     *jProblem `xml:"error"`
	Skipped   *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
}

type jSuite struct {
	Name     string  `xml:"name,attr"`
	Tests    int     `xml:"tests,attr"`
	Failures int     `xml:"failures,attr"`
	Errors   int     `xml:"errors,attr"`
	Skipped  int     `xml:"skipped,attr"`
	Cases    []jCase `xml:"testcase"`
}

type jSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []jSuite `xml:"testsuite"`
}

func decodeJUnit(t *testing.T, b []byte) jSuites {
	t.Helper()
	// Well-formed: a strict tokenizer reads to the end.
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("JUnit is not well-formed XML: %v", err)
		}
	}
	var doc jSuites
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("decode JUnit: %v", err)
	}
	return doc
}

func TestJUnit(t *testing.T) {
	cases := []struct {
		name string
		scan *result.Scan
	}{
		{"fixture", reporttest.Scan()},
		{"clean", reporttest.CleanScan()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := renderFormat(t, "junit", tc.scan, report.Options{})
			if !bytes.Equal(b, renderFormat(t, "junit", tc.scan, report.Options{})) {
				t.Fatal("not deterministic")
			}
			doc := decodeJUnit(t, b)
			sum := result.Summarize(tc.scan)
			errs := len(tc.scan.Errors)
			if doc.Tests != len(tc.scan.Results)+errs || doc.Failures != sum.Fail || doc.Errors != sum.Unknown+errs || doc.Skipped != sum.Waived {
				t.Errorf("totals tests=%d failures=%d errors=%d skipped=%d; want %d %d %d %d",
					doc.Tests, doc.Failures, doc.Errors, doc.Skipped, len(tc.scan.Results)+errs, sum.Fail, sum.Unknown+errs, sum.Waived)
			}
			// A suite per check that ran, counts matching the testcases.
			names := map[string]bool{}
			for _, su := range doc.Suites {
				names[su.Name] = true
				var f, e, s int
				seen := map[string]bool{}
				for _, c := range su.Cases {
					if c.Failure != nil {
						f++
					}
					if c.Error != nil {
						e++
					}
					if c.Skipped != nil {
						s++
					}
					if seen[c.Name] {
						t.Errorf("suite %s: testcase %q twice", su.Name, c.Name)
					}
					seen[c.Name] = true
				}
				if su.Tests != len(su.Cases) || su.Failures != f || su.Errors != e || su.Skipped != s {
					t.Errorf("suite %s counts %d/%d/%d/%d, cases say %d/%d/%d/%d", su.Name,
						su.Tests, su.Failures, su.Errors, su.Skipped, len(su.Cases), f, e, s)
				}
			}
			for _, c := range reporttest.Checks() {
				if !names[c.ID] {
					t.Errorf("no testsuite for check %s", c.ID)
				}
			}
		})
	}
}

func TestJUnitCases(t *testing.T) {
	doc := decodeJUnit(t, renderFormat(t, "junit", reporttest.Scan(), report.Options{}))
	find := func(suite, name string) jCase {
		t.Helper()
		for _, su := range doc.Suites {
			if su.Name != suite {
				continue
			}
			for _, c := range su.Cases {
				if strings.HasPrefix(c.Name, name) {
					return c
				}
			}
		}
		t.Fatalf("no testcase %s in %s", name, suite)
		return jCase{}
	}
	sec := find("LW-SEC-01", "aws_lambda_function.api")
	if sec.Classname != "LW-SEC-01" || sec.Failure == nil || sec.File != "infra/main.tf" || sec.Line != 12 ||
		!strings.Contains(sec.Failure.Text, "Remediation: Store the value") || !strings.Contains(sec.Failure.Text, "Location: infra/main.tf:12:3") {
		t.Errorf("FAIL testcase %+v", sec)
	}
	unk := find("LW-LOG-01", `aws_lambda_function.batch_worker["img"]`)
	if unk.Error == nil || unk.Error.Type != "UNKNOWN" || unk.Failure != nil {
		t.Errorf("UNKNOWN testcase %+v", unk)
	}
	wv := find("LW-INV-07", `aws_lambda_function.batch_worker["img"]`)
	if wv.Skipped == nil || wv.Skipped.Message != "waived: bounded by the SQS batch size" {
		t.Errorf("WAIVED testcase %+v", wv)
	}
	// The hostile waiver reason survives escaping (the control character
	// becomes U+FFFD, which XML can hold).
	hostile := find("LW-RUN-01", "Nested.OrdersFn")
	if hostile.Skipped == nil || !strings.Contains(hostile.Skipped.Message, `<script>alert('x')</script> & "q"`) {
		t.Errorf("hostile reason mangled: %+v", hostile.Skipped)
	}
	pass := find("LW-INV-01", "aws_lambda_function.api")
	if pass.Failure != nil || pass.Error != nil || pass.Skipped != nil {
		t.Errorf("PASS testcase %+v", pass)
	}
	expired := find("LW-INV-07", "aws_lambda_function.api")
	if expired.Failure == nil || !strings.Contains(expired.Failure.Text, "Waiver (EXPIRED)") {
		t.Errorf("expired-waiver testcase %+v", expired)
	}
	in := find("lambdawarden: input errors", "infra/broken.tf:4")
	if in.Error == nil {
		t.Errorf("input error testcase %+v", in)
	}
}

func TestJUnitGolden(t *testing.T) {
	assertGolden(t, "fixture.junit.xml", renderFormat(t, "junit", reporttest.Scan(), report.Options{}))
}
