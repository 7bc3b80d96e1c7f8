package checks

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// oIDs are the checks otherChecks registers.
func oIDs() []string {
	return []string{
		"LW-ACC-01", "LW-ACC-02", "LW-ACC-03", "LW-ACC-04", "LW-ACC-05", "LW-ACC-06",
		"LW-CHG-01", "LW-CHG-02", "LW-EXP-01",
		"LW-INV-01", "LW-INV-02", "LW-INV-03", "LW-INV-04", "LW-INV-05", "LW-INV-06", "LW-INV-07", "LW-INV-08", "LW-INV-09",
		"LW-LOG-01", "LW-LOG-02", "LW-LOG-03", "LW-LOG-04", "LW-LOG-05", "LW-LOG-06", "LW-LOG-07",
		"LW-NET-02", "LW-NET-03",
		"LW-RUN-01", "LW-RUN-02", "LW-RUN-05", "LW-RUN-06", "LW-RUN-07", "LW-RUN-08",
		"LW-SEC-01", "LW-SEC-02", "LW-SEC-03", "LW-SEC-04",
		"LW-TAG-01",
	}
}

func TestOtherCatalogRegistry(t *testing.T) {
	var got []string
	for _, c := range otherChecks() {
		got = append(got, c.ID)
		if c.Title == "" || c.Semantics == "" || c.Run == nil || len(c.Controls) == 0 || len(c.Families) == 0 {
			t.Errorf("%s: incomplete metadata %+v", c.ID, c)
		}
		if !strings.HasSuffix(c.Remediation, ".") || len(c.Remediation) < 40 {
			t.Errorf("%s: remediation %q is not an actionable sentence", c.ID, c.Remediation)
		}
		if c.DefaultOff != (c.ID == "LW-TAG-01") {
			t.Errorf("%s: DefaultOff = %v", c.ID, c.DefaultOff)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, oIDs()) {
		t.Fatalf("otherChecks() IDs = %v, want %v", got, oIDs())
	}
}

// TestOtherCatalogMatchesSpec compares each check's metadata with the
// catalog in ../shared/spec/checks.md (skipped where the spec is absent).
func TestOtherCatalogMatchesSpec(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "spec", "checks.md"))
	if err != nil {
		t.Skipf("spec not present (%v)", err)
	}
	rows := oSpecRows(string(raw))
	for _, c := range otherChecks() {
		row, ok := rows[c.ID]
		if !ok {
			t.Errorf("%s: not in the spec", c.ID)
			continue
		}
		if row["title"] != c.Title {
			t.Errorf("%s: title %q, spec %q", c.ID, c.Title, row["title"])
		}
		if row["sev"] != c.Severity.String() {
			t.Errorf("%s: severity %s, spec %s", c.ID, c.Severity, row["sev"])
		}
		if row["SOC 2"] != strings.Join(c.Controls, " ") {
			t.Errorf("%s: controls %v, spec %q", c.ID, c.Controls, row["SOC 2"])
		}
		if sem := strings.TrimSpace(row["semantics"]); sem != c.Semantics {
			t.Errorf("%s: semantics\n got %q\nspec %q", c.ID, c.Semantics, sem)
		}
		var fams []inventory.Family
		for _, col := range []string{"TF", "CFN", "SLS", "PKG", "LIVE"} {
			if strings.HasPrefix(row[col], "yes") {
				fams = append(fams, inventory.Family(col))
			}
		}
		if strings.HasPrefix(c.ID, "LW-ACC-") {
			fams = []inventory.Family{inventory.FamilyLIVE}
		}
		if !slices.Equal(fams, c.Families) {
			t.Errorf("%s: families %v, spec %v", c.ID, c.Families, fams)
		}
	}
}

// oSpecRows reads the catalog tables: check ID -> column -> cell.
func oSpecRows(md string) map[string]map[string]string {
	out := map[string]map[string]string{}
	var header []string
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			header = nil
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case header == nil:
			header = cells
		case strings.HasPrefix(cells[0], "LW-") && len(cells) >= len(header):
			// The last column (semantics) may hold " | " itself: join the rest.
			row := map[string]string{}
			for i, h := range header {
				if i == len(header)-1 {
					row[h] = strings.Join(cells[i:], " | ")
				} else {
					row[h] = cells[i]
				}
			}
			if _, dup := out[cells[0]]; !dup {
				out[cells[0]] = row
			}
		}
	}
	return out
}

// TestOtherResultsCarryMetadata runs a few checks through Run and checks
// the runner's output: metadata, severity override, location.
func TestOtherResultsCarryMetadata(t *testing.T) {
	inv := oInv(oFn(), oURL("aws_lambda_function_url.api", 20, oFnRef(), oK("NONE", 21)),
		oPerm("aws_lambda_permission.url", 30, oFnRef(), oAllow(oStar())))
	env := &Env{Index: inventory.NewIndex(inv), Settings: DefaultSettings(), Now: oNow}
	rs := Run(env, []*Check{checkINV01(), checkINV04()})
	if len(rs) != 2 {
		t.Fatalf("Run = %d results, want 2", len(rs))
	}
	// Sorted by line: INV-04 (line 21) before INV-01 (line 30).
	if rs[0].CheckID != "LW-INV-04" || rs[0].Severity != result.Critical || rs[0].Location == nil || rs[0].Location.Line != 21 {
		t.Errorf("INV-04 result %+v", rs[0])
	}
	if rs[1].CheckID != "LW-INV-01" || rs[1].Title != "Not invocable by the public" || !slices.Equal(rs[1].Controls, []string{"CC6.1", "CC6.6"}) || rs[1].Remediation == "" {
		t.Errorf("INV-01 result %+v", rs[1])
	}
}
