package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestJSONGolden(t *testing.T) {
	tests := []struct {
		name string
		scan *result.Scan
		opts report.Options
	}{
		{"json_full.golden.json", reporttest.Scan(), report.Options{}},
		{"json_timestamps.golden.json", reporttest.CleanScan(), report.Options{Timestamps: true}},
		{"json_empty.golden.json", &result.Scan{Tool: result.Tool{Name: "lambdawarden", Version: "0.1.0"}}, report.Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertGolden(t, tc.name, renderFormat(t, "json", tc.scan, tc.opts))
		})
	}
}

// TestJSONShape checks the contract of the output spec independently of the
// golden file: field order, summary counts, arrays never null, no timestamp
// unless asked, no secret values.
func TestJSONShape(t *testing.T) {
	s := reporttest.Scan()
	out := renderFormat(t, "json", s, report.Options{})
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := strings.Join(keys, ","), "schema_version,tool,sources,summary,results,errors"; got != want {
		t.Errorf("top-level keys = %s, want %s", got, want)
	}
	var sum struct {
		Functions, Results, Pass, Fail, Unknown, Waived int
		BySeverity                                      map[string]int `json:"by_severity"`
	}
	if err := json.Unmarshal(doc["summary"], &sum); err != nil {
		t.Fatal(err)
	}
	fails, bySev := 0, map[string]int{}
	for _, r := range s.Results {
		if r.Status == result.Fail {
			fails++
			bySev[r.Severity.String()]++
		}
	}
	if sum.Results != len(s.Results) || sum.Fail != fails || sum.Functions != s.Functions {
		t.Errorf("summary = %+v; want %d results, %d fail, %d functions", sum, len(s.Results), fails, s.Functions)
	}
	for _, sev := range result.Severities() {
		if sum.BySeverity[sev.String()] != bySev[sev.String()] {
			t.Errorf("by_severity[%s] = %d, want %d (FAIL only)", sev, sum.BySeverity[sev.String()], bySev[sev.String()])
		}
	}
	if bytes.Contains(out, []byte("null,")) || bytes.Contains(out, []byte(": null\n")) {
		// "waiver": null is the only null the spec shows.
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "null") && !strings.Contains(line, `"waiver": null`) {
				t.Errorf("unexpected null: %s", line)
			}
		}
	}
	if bytes.Contains(out, []byte("timestamp")) || bytes.Contains(out, []byte(s.Timestamp)) {
		t.Error("JSON holds the scan time without Timestamps")
	}
	for _, secret := range reporttest.Secrets() {
		if bytes.Contains(out, []byte(secret)) {
			t.Error("JSON holds a secret value")
		}
	}
	if !bytes.Contains(out, []byte("\n  \"schema_version\": 1,\n")) {
		t.Error("JSON is not indented by two spaces")
	}
}

func TestJSONEmptyArrays(t *testing.T) {
	out := string(renderFormat(t, "json", &result.Scan{}, report.Options{}))
	for _, want := range []string{`"sources": []`, `"results": []`, `"errors": []`} {
		if !strings.Contains(out, want) {
			t.Errorf("empty scan JSON lacks %s:\n%s", want, out)
		}
	}
}
