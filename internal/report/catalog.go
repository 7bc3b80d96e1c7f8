package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Criterion is a SOC 2 Trust Services Criterion that checks map to.
type Criterion struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SOC2Criteria returns the criteria the check catalog uses, in the order of
// the check spec.
func SOC2Criteria() []Criterion {
	return []Criterion{
		{"CC6.1", "Logical access"},
		{"CC6.3", "Least privilege and role-based access"},
		{"CC6.6", "Boundary protection"},
		{"CC6.7", "Protection of data in transit and at rest"},
		{"CC6.8", "Unauthorized or malicious software"},
		{"CC7.1", "Vulnerability and configuration monitoring"},
		{"CC7.2", "Anomaly monitoring and logging"},
		{"CC7.3", "Incident evaluation"},
		{"CC8.1", "Change management"},
		{"A1.2", "Availability and capacity"},
		{"C1.1", "Confidential information"},
	}
}

// CriterionName returns the short name of a SOC 2 criterion, or "" when the
// catalog does not use it.
func CriterionName(id string) string {
	for _, c := range SOC2Criteria() {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

// criterionRank orders criteria as the spec lists them; unknown ones after,
// alphabetically (the caller breaks ties by ID).
func criterionRank(id string) int {
	for i, c := range SOC2Criteria() {
		if c.ID == id {
			return i
		}
	}
	return len(SOC2Criteria())
}

// sortCriteria sorts criterion IDs in spec order.
func sortCriteria(ids []string) {
	sort.SliceStable(ids, func(i, j int) bool {
		ri, rj := criterionRank(ids[i]), criterionRank(ids[j])
		if ri != rj {
			return ri < rj
		}
		return ids[i] < ids[j]
	})
}

// familyOrder is the column order of the check spec.
var familyOrder = [...]inventory.Family{inventory.FamilyTF, inventory.FamilyCFN, inventory.FamilySLS, inventory.FamilyPKG, inventory.FamilyLIVE}

// familyNames are the readable names of the catalog columns.
func familyName(f inventory.Family) string {
	switch f {
	case inventory.FamilyTF:
		return "Terraform (HCL and plan JSON)"
	case inventory.FamilyCFN:
		return "CloudFormation/SAM"
	case inventory.FamilySLS:
		return "Serverless Framework"
	case inventory.FamilyPKG:
		return "deployment packages"
	case inventory.FamilyLIVE:
		return "live AWS"
	}
	return string(f)
}

// sortedFamilies returns a check's families in spec column order.
func sortedFamilies(fs []inventory.Family) []string {
	out := []string{}
	for _, f := range familyOrder {
		for _, g := range fs {
			if g == f {
				out = append(out, string(f))
				break
			}
		}
	}
	return out
}

// CatalogFormats are the formats WriteCatalog accepts.
func CatalogFormats() []string { return []string{"json", "markdown"} }

type catalogCheck struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    string   `json:"severity"`
	Controls    []string `json:"controls"`
	Sources     []string `json:"sources"`
	Semantics   string   `json:"semantics"`
	Remediation string   `json:"remediation"`
	DefaultOff  bool     `json:"default_off"`
}

type catalogCriterion struct {
	Criterion
	Checks []string `json:"checks"`
}

type catalogDoc struct {
	SchemaVersion int                `json:"schema_version"`
	Checks        []catalogCheck     `json:"checks"`
	Criteria      []catalogCriterion `json:"criteria"`
}

func buildCatalog(cs []*checks.Check) catalogDoc {
	sorted := append([]*checks.Check(nil), cs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	doc := catalogDoc{SchemaVersion: 1, Checks: []catalogCheck{}, Criteria: []catalogCriterion{}}
	byCrit := map[string][]string{}
	for _, c := range sorted {
		ctrl := append([]string{}, c.Controls...)
		sortCriteria(ctrl)
		doc.Checks = append(doc.Checks, catalogCheck{
			ID: c.ID, Title: c.Title, Severity: c.Severity.String(), Controls: ctrl,
			Sources: sortedFamilies(c.Families), Semantics: c.Semantics, Remediation: c.Remediation,
			DefaultOff: c.DefaultOff,
		})
		for _, k := range ctrl {
			byCrit[k] = append(byCrit[k], c.ID)
		}
	}
	var ids []string
	for _, k := range SOC2Criteria() {
		ids = append(ids, k.ID)
	}
	for k := range byCrit {
		if CriterionName(k) == "" {
			ids = append(ids, k)
		}
	}
	sortCriteria(ids)
	for _, id := range ids {
		doc.Criteria = append(doc.Criteria, catalogCriterion{
			Criterion: Criterion{ID: id, Name: CriterionName(id)},
			Checks:    append([]string{}, byCrit[id]...),
		})
	}
	return doc
}

// WriteCatalog writes the check catalog for `lambdawarden checks --format
// json|markdown`: every check with its ID, title, severity, SOC 2 criteria,
// sources (catalog columns TF, CFN, SLS, PKG, LIVE), when it fails and how to
// fix it, then the criteria with the checks that support each, so that a
// compliance team can paste it into a control matrix. Checks are sorted by ID.
func WriteCatalog(w io.Writer, cs []*checks.Check, format string) error {
	doc := buildCatalog(cs)
	switch strings.ToLower(format) {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("write catalog: %w", err)
		}
		return nil
	case "markdown", "md":
		return writeCatalogMarkdown(w, doc)
	}
	return fmt.Errorf("unknown catalog format %q (want one of %v)", format, CatalogFormats())
}

func writeCatalogMarkdown(w io.Writer, doc catalogDoc) error {
	var b bytes.Buffer
	b.WriteString("# lambdawarden check catalog\n\n")
	b.WriteString("Sources: TF = Terraform HCL and plan JSON, CFN = CloudFormation and SAM, SLS = Serverless Framework, " +
		"PKG = deployment package or layer, LIVE = live AWS account.\n\n")
	b.WriteString("| ID | Title | Severity | SOC 2 | Sources | Semantics | Remediation |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, c := range doc.Checks {
		title := c.Title
		if c.DefaultOff {
			title += " (off by default)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			mdCell(c.ID), mdCell(title), c.Severity, mdCell(strings.Join(c.Controls, ", ")),
			mdCell(strings.Join(c.Sources, ", ")), mdCell(c.Semantics), mdCell(c.Remediation))
	}
	b.WriteString("\n## SOC 2 criteria\n\n")
	b.WriteString("| Criterion | Name | Checks |\n| --- | --- | --- |\n")
	for _, k := range doc.Criteria {
		checks := strings.Join(k.Checks, ", ")
		if checks == "" {
			checks = "(none)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(k.ID), mdCell(k.Name), mdCell(checks))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}

// mdCell makes s safe inside a Markdown table cell: one line, pipes and
// HTML-significant characters escaped.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
