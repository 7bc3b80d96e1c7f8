package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
)

func TestWriteCatalog(t *testing.T) {
	cs := reporttest.Checks()
	// Reverse, to show the output is sorted whatever the input order.
	for i, j := 0, len(cs)-1; i < j; i, j = i+1, j-1 {
		cs[i], cs[j] = cs[j], cs[i]
	}
	cs = append(cs, &checks.Check{ID: "LW-IAM-12", Title: "Permissions boundary attached | piped", Controls: []string{"CC6.3"}, DefaultOff: true})

	var js bytes.Buffer
	if err := report.WriteCatalog(&js, cs, "json"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Checks        []struct {
			ID         string   `json:"id"`
			Severity   string   `json:"severity"`
			Controls   []string `json:"controls"`
			Sources    []string `json:"sources"`
			DefaultOff bool     `json:"default_off"`
		} `json:"checks"`
		Criteria []struct {
			ID     string   `json:"id"`
			Name   string   `json:"name"`
			Checks []string `json:"checks"`
		} `json:"criteria"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || len(doc.Checks) != len(cs) {
		t.Fatalf("schema %d, %d checks", doc.SchemaVersion, len(doc.Checks))
	}
	for i := 1; i < len(doc.Checks); i++ {
		if doc.Checks[i-1].ID >= doc.Checks[i].ID {
			t.Errorf("checks not sorted: %s before %s", doc.Checks[i-1].ID, doc.Checks[i].ID)
		}
	}
	for _, c := range doc.Checks {
		if c.ID == "LW-SEC-05" && strings.Join(c.Sources, ",") != "TF,CFN,SLS,PKG" {
			t.Errorf("LW-SEC-05 sources %v", c.Sources)
		}
		if c.ID == "LW-SEC-05" && strings.Join(c.Controls, ",") != "CC6.1,C1.1" {
			t.Errorf("LW-SEC-05 controls %v, want spec order CC6.1,C1.1", c.Controls)
		}
	}
	if len(doc.Criteria) != len(report.SOC2Criteria()) {
		t.Errorf("%d criteria, want every one of the spec's %d", len(doc.Criteria), len(report.SOC2Criteria()))
	}
	for _, k := range doc.Criteria {
		if k.ID == "CC6.3" && strings.Join(k.Checks, ",") != "LW-IAM-02,LW-IAM-12" {
			t.Errorf("CC6.3 checks %v", k.Checks)
		}
		if k.ID == "CC6.7" && (k.Checks == nil || len(k.Checks) != 0) {
			t.Errorf("CC6.7 checks %v, want []", k.Checks)
		}
	}

	var md bytes.Buffer
	if err := report.WriteCatalog(&md, cs, "markdown"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| LW-SEC-01 | No plaintext secrets in environment variables | critical | CC6.1, C1.1 | TF, CFN, SLS, LIVE |",
		`Permissions boundary attached \| piped (off by default)`, "| CC6.7 | Protection of data in transit and at rest | (none) |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	// Every table row has the header's number of cells.
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "| LW-") {
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 8 {
				t.Errorf("row has %d separators, want 8: %s", n, line)
			}
		}
	}
	if err := report.WriteCatalog(&md, cs, "yaml"); err == nil {
		t.Error("unknown format accepted")
	}
	assertGolden(t, "catalog.json", js.Bytes())
	assertGolden(t, "catalog.md", md.Bytes())
}
