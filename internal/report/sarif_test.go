package report_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// sarifSchema compiles the official SARIF 2.1.0 schema (a draft-04 schema)
// from testdata, asserting formats such as uri and date-time.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, b []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	return sch.Validate(inst)
}

// The subset of SARIF the GitHub checks read.
type ghLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					DefaultConfig    struct{ Level string } `json:"defaultConfiguration"`
					Properties       struct {
						Tags             []string `json:"tags"`
						SecuritySeverity string   `json:"security-severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct{ ID string } `json:"automationDetails"`
		Invocations       []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          struct {
				Status string `json:"lambdawarden/status"`
			} `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

// checkGitHub asserts what GitHub code scanning requires beyond the schema
// and returns the decoded log.
func checkGitHub(t *testing.T, b []byte) ghLog {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(b)
	zw.Close()
	if gz.Len() > 10<<20 {
		t.Errorf("gzip-compressed SARIF is %d bytes; GitHub accepts at most 10 MB", gz.Len())
	}
	var log ghLog
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with 1", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "lambdawarden" || run.Tool.Driver.InformationURI == "" {
		t.Errorf("driver = %+v", run.Tool.Driver)
	}
	if len(run.Results) > 25000 {
		t.Errorf("%d results; GitHub rejects more than 25000 per run", len(run.Results))
	}
	rules := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		if _, dup := rules[r.ID]; dup {
			t.Errorf("rule %s twice", r.ID)
		}
		rules[r.ID] = i
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %s lacks a description or help", r.ID)
		}
		if len(r.Properties.Tags) > 20 {
			t.Errorf("rule %s has %d tags; GitHub rejects more than 20", r.ID, len(r.Properties.Tags))
		}
		sev, err := strconv.ParseFloat(r.Properties.SecuritySeverity, 64)
		if err != nil || sev <= 0 || sev > 10 {
			t.Errorf("rule %s security-severity %q is not a number in (0, 10]", r.ID, r.Properties.SecuritySeverity)
		}
	}
	fps := map[string]bool{}
	for i, r := range run.Results {
		idx, ok := rules[r.RuleID]
		if !ok {
			t.Errorf("result %d: ruleId %q is not among the rules", i, r.RuleID)
		} else if idx != r.RuleIndex {
			t.Errorf("result %d: ruleIndex %d, but rule %s is at %d", i, r.RuleIndex, r.RuleID, idx)
		}
		if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation == nil {
			t.Errorf("result %d (%s) has no physical location", i, r.RuleID)
			continue
		}
		pl := r.Locations[0].PhysicalLocation
		u, err := url.Parse(pl.ArtifactLocation.URI)
		if err != nil || u.IsAbs() || u.Scheme != "" || strings.HasPrefix(pl.ArtifactLocation.URI, "/") || pl.ArtifactLocation.URI == "" {
			t.Errorf("result %d: uri %q is not a relative URI reference (%v)", i, pl.ArtifactLocation.URI, err)
		}
		if pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: uriBaseId %q", i, pl.ArtifactLocation.URIBaseID)
		}
		if pl.Region == nil || pl.Region.StartLine < 1 {
			t.Errorf("result %d: region %+v lacks startLine >= 1", i, pl.Region)
		}
		fp := r.PartialFingerprints["lambdawarden/v1"]
		if fp == "" || fps[r.RuleID+"/"+fp] {
			t.Errorf("result %d: fingerprint %q empty or repeated", i, fp)
		}
		fps[r.RuleID+"/"+fp] = true
	}
	return log
}

func TestSARIFSchemaAndGitHub(t *testing.T) {
	sch := sarifSchema(t)
	cases := []struct {
		name    string
		scan    *result.Scan
		opts    report.Options
		success bool
	}{
		{"fixture", reporttest.Scan(), report.Options{}, false},
		{"fixture with timestamps", reporttest.Scan(), report.Options{Timestamps: true}, false},
		{"clean", reporttest.CleanScan(), report.Options{}, true},
		{"empty", &result.Scan{Tool: result.Tool{Name: "lambdawarden", Version: "devel"}}, report.Options{Checks: reporttest.Checks()[:0]}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := renderFormat(t, "sarif", tc.scan, tc.opts)
			if err := validateSARIF(t, sch, b); err != nil {
				t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v", err)
			}
			log := checkGitHub(t, b)
			if got := log.Runs[0].Invocations[0].ExecutionSuccessful; got != tc.success {
				t.Errorf("executionSuccessful = %v, want %v", got, tc.success)
			}
			if n := len(log.Runs[0].Invocations[0].ToolExecutionNotifications); n != len(tc.scan.Errors) {
				t.Errorf("%d notifications for %d errors", n, len(tc.scan.Errors))
			}
		})
	}
}

// The validator must reject what GitHub would: a test that cannot fail is a defect.
func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	sch := sarifSchema(t)
	b := renderFormat(t, "sarif", reporttest.Scan(), report.Options{})
	mutations := map[string]func(map[string]any){
		"startLine 0": func(m map[string]any) {
			loc := firstResult(m)["locations"].([]any)[0].(map[string]any)
			loc["physicalLocation"].(map[string]any)["region"].(map[string]any)["startLine"] = 0
		},
		"null suppression location (go-sarif v2.3.3 output)": func(m map[string]any) {
			firstResult(m)["suppressions"] = []any{map[string]any{"kind": "external", "location": nil, "status": nil}}
		},
		"unknown level": func(m map[string]any) { firstResult(m)["level"] = "critical" },
		"no message":    func(m map[string]any) { delete(firstResult(m), "message") },
	}
	for name, mutate := range mutations {
		t.Run(name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			mutate(m)
			bad, _ := json.Marshal(m)
			if validateSARIF(t, sch, bad) == nil {
				t.Error("schema accepted an invalid log")
			}
		})
	}
}

func firstResult(m map[string]any) map[string]any {
	return m["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
}

func TestSARIFContent(t *testing.T) {
	s := reporttest.Scan()
	b := renderFormat(t, "sarif", s, report.Options{})
	log := checkGitHub(t, b)
	run := log.Runs[0]

	// One rule per check that ran, sorted, with SOC 2 tags and GitHub's bands.
	if len(run.Tool.Driver.Rules) != len(reporttest.Checks()) {
		t.Errorf("%d rules, want %d", len(run.Tool.Driver.Rules), len(reporttest.Checks()))
	}
	wantSev := map[string]string{"LW-SEC-01": "9.5", "LW-RUN-01": "8.0", "LW-LOG-01": "5.5", "LW-INV-07": "3.0", "LW-LOG-07": "1.0"}
	for _, r := range run.Tool.Driver.Rules {
		if w, ok := wantSev[r.ID]; ok && r.Properties.SecuritySeverity != w {
			t.Errorf("%s security-severity %s, want %s", r.ID, r.Properties.SecuritySeverity, w)
		}
		if r.ID == "LW-SEC-01" {
			tags := strings.Join(r.Properties.Tags, ",")
			for _, want := range []string{"security", "soc2/CC6.1", "soc2/C1.1"} {
				if !strings.Contains(tags, want) {
					t.Errorf("LW-SEC-01 tags %v lack %s", r.Properties.Tags, want)
				}
			}
			if r.Name != "NoPlaintextSecretsInEnvironmentVariables" || r.DefaultConfig.Level != "error" {
				t.Errorf("LW-SEC-01 name %q level %q", r.Name, r.DefaultConfig.Level)
			}
			if !strings.Contains(r.Help.Markdown, "Secrets Manager") || !strings.Contains(r.Help.Text, "Remediation:") {
				t.Errorf("LW-SEC-01 help lacks the remediation: %+v", r.Help)
			}
		}
	}

	// FAIL and UNKNOWN only.
	var fail, unknown int
	for _, r := range s.Results {
		switch r.Status {
		case result.Fail:
			fail++
		case result.Unknown:
			unknown++
		}
	}
	if len(run.Results) != fail+unknown {
		t.Fatalf("%d results, want %d FAIL + %d UNKNOWN", len(run.Results), fail, unknown)
	}
	var sawLive, sawUnknown, sawFileOnly bool
	for _, r := range run.Results {
		switch r.Properties.Status {
		case "FAIL":
		case "UNKNOWN":
			sawUnknown = true
			if r.Level != "warning" || !strings.HasPrefix(r.Message.Text, "Could not be evaluated") {
				t.Errorf("UNKNOWN result: level %q message %q", r.Level, r.Message.Text)
			}
		default:
			t.Errorf("result with status %q in SARIF", r.Properties.Status)
		}
		pl := r.Locations[0].PhysicalLocation
		switch {
		case strings.HasPrefix(pl.ArtifactLocation.URI, "aws/"):
			sawLive = true
			if len(r.Locations[0].LogicalLocations) == 0 || !strings.HasPrefix(r.Locations[0].LogicalLocations[0].FullyQualifiedName, "arn:aws:") && r.RuleID != "LW-ACC-01" {
				t.Errorf("live result %s lacks its ARN as logical location: %+v", r.RuleID, r.Locations[0].LogicalLocations)
			}
		case pl.ArtifactLocation.URI == "build/api.zip":
			sawFileOnly = true
			if pl.Region.StartLine != 1 || pl.Region.StartColumn != 0 {
				t.Errorf("file-only location region %+v, want line 1 without column", pl.Region)
			}
		case pl.ArtifactLocation.URI == "src/api%20dir/handler.js":
			if pl.Region.StartLine != 7 || pl.Region.StartColumn != 14 {
				t.Errorf("region %+v, want 7:14", pl.Region)
			}
		}
	}
	if !sawLive || !sawUnknown || !sawFileOnly {
		t.Errorf("fixture coverage: live %v unknown %v file-only %v", sawLive, sawUnknown, sawFileOnly)
	}
	if run.AutomationDetails.ID != "lambdawarden/" {
		t.Errorf("automationDetails.id %q", run.AutomationDetails.ID)
	}
}

func TestSARIFDeterministicAndStableFingerprints(t *testing.T) {
	a := renderFormat(t, "sarif", reporttest.Scan(), report.Options{})
	b := renderFormat(t, "sarif", reporttest.Scan(), report.Options{})
	if !bytes.Equal(a, b) {
		t.Fatal("two runs on the same scan differ")
	}
	// Moving every resource down 5 lines keeps the fingerprints.
	moved := reporttest.Scan()
	for i := range moved.Results {
		if l := moved.Results[i].Location; l != nil {
			moved.Results[i].Location = &srcloc.Location{File: l.File, Line: l.Line + 5, Column: l.Column}
		}
	}
	fa, fb := fingerprints(t, a), fingerprints(t, renderFormat(t, "sarif", moved, report.Options{}))
	if strings.Join(fa, ",") != strings.Join(fb, ",") {
		t.Errorf("fingerprints changed when lines moved:\n%v\n%v", fa, fb)
	}
}

func fingerprints(t *testing.T, b []byte) []string {
	var log ghLog
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range log.Runs[0].Results {
		out = append(out, r.RuleID+"="+r.PartialFingerprints["lambdawarden/v1"])
	}
	return out
}

func TestSARIFResultLimit(t *testing.T) {
	base := reporttest.Scan().Results[0]
	s := &result.Scan{Tool: result.Tool{Name: "lambdawarden", Version: "0.1.0"}}
	for i := range 25010 {
		r := base
		r.Resource.ID = fmt.Sprintf("aws_lambda_function.f%05d", i)
		r.Location = &srcloc.Location{File: "infra/main.tf", Line: i + 1}
		r.Severity = result.Low
		if i == 25009 {
			r.Severity = result.Critical
		}
		s.Results = append(s.Results, r)
	}
	b := renderFormat(t, "sarif", s, report.Options{})
	log := checkGitHub(t, b)
	run := log.Runs[0]
	if len(run.Results) != 25000 {
		t.Fatalf("%d results, want 25000", len(run.Results))
	}
	if last := run.Results[len(run.Results)-1]; !strings.Contains(last.Message.Text, "f25009") {
		t.Errorf("the critical result was dropped: last is %q", last.Message.Text)
	}
	n := run.Invocations[0].ToolExecutionNotifications
	if len(n) != 1 || !strings.Contains(n[0].Message.Text, "10 less severe results") {
		t.Errorf("notifications %+v", n)
	}
}

func TestSARIFGolden(t *testing.T) {
	assertGolden(t, "fixture.sarif", renderFormat(t, "sarif", reporttest.Scan(), report.Options{}))
}

// TestSARIFExternalFile validates a SARIF file made elsewhere (for example by
// `lambdawarden scan examples --format sarif`) with the same schema and GitHub
// checks: LW_SARIF_FILE=path go test ./internal/report -run SARIFExternal
func TestSARIFExternalFile(t *testing.T) {
	path := os.Getenv("LW_SARIF_FILE")
	if path == "" {
		t.Skip("set LW_SARIF_FILE to validate a SARIF file")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateSARIF(t, sarifSchema(t), b); err != nil {
		t.Fatalf("%s does not validate: %v", path, err)
	}
	log := checkGitHub(t, b)
	t.Logf("%s: %d rules, %d results", path, len(log.Runs[0].Tool.Driver.Rules), len(log.Runs[0].Results))
}
