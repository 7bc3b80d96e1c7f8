package report

// HTML: one self-contained page for managers and auditors.
//
// Everything is rendered on the server side with html/template, so the page is
// complete without JavaScript; the inline script only adds the filters
// (severity, status, check, SOC 2 criterion, free text) and print
// preparation. CSS and JavaScript are inline and allowed by their SHA-256
// hashes in a Content-Security-Policy meta tag (default-src 'none'), so the
// page cannot load anything from the network, nor run injected script. The
// favicon is an empty data: URL so that browsers do not ask for one.

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

//go:embed assets/report.html.tmpl
var htmlTemplateText string

//go:embed assets/report.css
var htmlCSS string

//go:embed assets/report.js
var htmlJS string

var htmlTemplate = sync.OnceValues(func() (*template.Template, error) {
	return template.New("report").Funcs(template.FuncMap{"join": strings.Join}).Parse(htmlTemplateText)
})

// HTMLContentSecurityPolicy is the policy of the HTML report: nothing may be
// loaded; only the report's own inline style and script run.
func HTMLContentSecurityPolicy() string {
	return "default-src 'none'; style-src " + cspHash(htmlCSS) + "; script-src " + cspHash(htmlJS) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
}

func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

type htmlVerdict struct{ Class, Headline, Detail string }

type htmlSeverity struct {
	Name string
	Fail int
	Pct  string
}

type htmlSegment struct{ Class, X, W string }

type htmlCriterion struct {
	ID, Name                    string
	Checks                      []string
	Pass, Fail, Unknown, Waived int
	Segments                    []htmlSegment
}

type htmlCheckRow struct {
	ID, Title, Severity         string
	Controls                    []string
	Pass, Fail, Unknown, Waived int
}

type htmlOption struct{ ID, Title string }

type htmlWaiver struct {
	CheckID, Title, Resource, Reason, Expires, Source string
	Expired                                           bool
}

type htmlRow struct {
	Status, Severity, CheckID, Title, Message string
	Location, Resource, Remediation           string
	Controls                                  []string
	CriteriaAttr, SearchText                  string
	Waiver                                    *result.Waiver
	ShowFix                                   bool
	order                                     int
	sev                                       result.Severity
}

type htmlGroup struct {
	Anchor, KindLabel, Title, Where, Worst string
	IDs                                    []string
	Pass, Fail, Unknown, Waived            int
	Rows                                   []htmlRow
	worst                                  int
	key                                    string
}

type htmlData struct {
	PageTitle, CSP         string
	CSS                    template.CSS
	JS                     template.JS
	Tool                   result.Tool
	ScanTime, ScanTimeText string
	Accounts, Regions      []string
	Sources                []inventory.Source
	Summary                result.Summary
	Verdict                htmlVerdict
	Errors                 []inventory.Error
	Severities             []htmlSeverity
	Criteria               []htmlCriterion
	Uncovered              []string
	Waivers                []htmlWaiver
	CheckOptions           []htmlOption
	CheckRows              []htmlCheckRow
	Groups                 []htmlGroup
	Rows                   []htmlRow
}

func writeHTML(w io.Writer, s *result.Scan, opts Options) error {
	tmpl, err := htmlTemplate()
	if err != nil {
		return fmt.Errorf("html template: %w", err)
	}
	if err := tmpl.Execute(w, buildHTML(s, opts)); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

func buildHTML(s *result.Scan, opts Options) htmlData {
	sum := result.Summarize(s)
	d := htmlData{
		CSP: HTMLContentSecurityPolicy(), CSS: template.CSS(htmlCSS), JS: template.JS(htmlJS),
		Tool: s.Tool, Accounts: s.Accounts, Regions: s.Regions, Sources: s.Sources,
		Summary: sum, Errors: s.Errors,
	}
	if d.Tool.Name == "" {
		d.Tool.Name = "lambdawarden"
	}
	if opts.Timestamps && s.Timestamp != "" {
		d.ScanTime, d.ScanTimeText = s.Timestamp, s.Timestamp
		if t, err := time.Parse(time.RFC3339, s.Timestamp); err == nil {
			d.ScanTimeText = t.UTC().Format("2 January 2006, 15:04 UTC")
		}
	}
	d.PageTitle = fmt.Sprintf("Lambda security report: %d fail, %d unknown, %d waived, %d pass", sum.Fail, sum.Unknown, sum.Waived, sum.Pass)
	d.Verdict = verdict(sum, len(s.Errors))

	// Severities, most severe first.
	maxFail := 0
	for _, n := range sum.BySeverity {
		maxFail = max(maxFail, n)
	}
	sevs := result.Severities()
	for i := len(sevs) - 1; i >= 0; i-- {
		n := sum.BySeverity[sevs[i].String()]
		d.Severities = append(d.Severities, htmlSeverity{Name: sevs[i].String(), Fail: n, Pct: pct(n, maxFail)})
	}

	// Checks: those that ran plus any with results.
	meta := map[string]*checks.Check{}
	for _, c := range opts.Checks {
		meta[c.ID] = c
	}
	for _, r := range s.Results {
		if meta[r.CheckID] == nil {
			meta[r.CheckID] = &checks.Check{ID: r.CheckID, Title: r.Title, Severity: r.Severity, Controls: r.Controls}
		}
	}
	ids := make([]string, 0, len(meta))
	for id := range meta {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	perCheck := map[string]*htmlCheckRow{}
	for _, id := range ids {
		c := meta[id]
		ctrl := append([]string{}, c.Controls...)
		sortCriteria(ctrl)
		row := &htmlCheckRow{ID: id, Title: c.Title, Severity: c.Severity.String(), Controls: ctrl}
		perCheck[id] = row
		d.CheckOptions = append(d.CheckOptions, htmlOption{ID: id, Title: c.Title})
	}

	// Criteria: every criterion a check that ran supports.
	crit := map[string]*htmlCriterion{}
	for _, id := range ids {
		for _, k := range perCheck[id].Controls {
			if crit[k] == nil {
				crit[k] = &htmlCriterion{ID: k, Name: CriterionName(k)}
			}
			crit[k].Checks = append(crit[k].Checks, id)
		}
	}
	for _, r := range s.Results {
		pc := perCheck[r.CheckID]
		count(r.Status, &pc.Pass, &pc.Fail, &pc.Unknown, &pc.Waived)
		for _, k := range uniq(r.Controls) {
			c := crit[k]
			if c == nil {
				c = &htmlCriterion{ID: k, Name: CriterionName(k)}
				crit[k] = c
			}
			count(r.Status, &c.Pass, &c.Fail, &c.Unknown, &c.Waived)
		}
	}
	var critIDs []string
	for k := range crit {
		critIDs = append(critIDs, k)
	}
	sortCriteria(critIDs)
	for _, k := range critIDs {
		c := crit[k]
		c.Segments = segments(c.Fail, c.Unknown, c.Waived, c.Pass)
		d.Criteria = append(d.Criteria, *c)
	}
	for _, k := range SOC2Criteria() {
		if crit[k.ID] == nil {
			d.Uncovered = append(d.Uncovered, k.ID+" ("+k.Name+")")
		}
	}
	for _, id := range ids {
		d.CheckRows = append(d.CheckRows, *perCheck[id])
	}

	// Waivers.
	for _, r := range s.Results {
		if r.Waiver == nil {
			continue
		}
		d.Waivers = append(d.Waivers, htmlWaiver{CheckID: r.CheckID, Title: r.Title, Resource: resourceLabel(r.Resource),
			Reason: r.Waiver.Reason, Expires: r.Waiver.Expires, Source: r.Waiver.Source, Expired: r.Waiver.Expired})
	}

	d.Groups = groups(s.Results)
	for _, g := range d.Groups {
		d.Rows = append(d.Rows, g.Rows...)
	}
	return d
}

func verdict(sum result.Summary, errs int) htmlVerdict {
	var v htmlVerdict
	switch {
	case sum.Fail > 0:
		v.Class = "bad"
		worst := ""
		for _, s := range []string{"critical", "high", "medium", "low", "info"} {
			if sum.BySeverity[s] > 0 {
				worst = s
				break
			}
		}
		v.Headline = fmt.Sprintf("%d failing result%s need%s attention", sum.Fail, plural(sum.Fail), singularVerb(sum.Fail))
		v.Detail = fmt.Sprintf("The most severe is %s. ", worst)
	case sum.Unknown > 0:
		v.Class = "warn"
		v.Headline = "No failures, but some checks could not be evaluated"
	case sum.Results == 0:
		v.Class = "warn"
		v.Headline = "No results: no check applied to the scanned inputs"
	default:
		v.Headline = "Every evaluated check passes"
	}
	if sum.Unknown > 0 {
		v.Detail += fmt.Sprintf("%d result%s could not be evaluated (UNKNOWN) and %s not counted as passing. ", sum.Unknown, plural(sum.Unknown), wereWas(sum.Unknown))
	}
	if sum.Waived > 0 {
		v.Detail += fmt.Sprintf("%d failure%s %s waived with a recorded reason. ", sum.Waived, plural(sum.Waived), areIs(sum.Waived))
	}
	if errs > 0 {
		v.Detail += fmt.Sprintf("%d input%s could not be read; see below. ", errs, plural(errs))
		if v.Class == "" {
			v.Class = "warn"
		}
	}
	v.Detail += fmt.Sprintf("%d result%s across %d Lambda function%s.", sum.Results, plural(sum.Results), sum.Functions, plural(sum.Functions))
	return v
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func singularVerb(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func wereWas(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func areIs(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func count(st result.Status, pass, fail, unknown, waived *int) {
	switch st {
	case result.Pass:
		*pass++
	case result.Fail:
		*fail++
	case result.Unknown:
		*unknown++
	case result.Waived:
		*waived++
	}
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// pct formats n/total as a percentage with one decimal, for SVG widths.
func pct(n, total int) string {
	if total == 0 || n == 0 {
		return "0"
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64)
}

func segments(fail, unknown, waived, pass int) []htmlSegment {
	total := fail + unknown + waived + pass
	var out []htmlSegment
	x := 0
	for _, p := range []struct {
		class string
		n     int
	}{{"fail", fail}, {"unknown", unknown}, {"waived", waived}, {"pass", pass}} {
		if p.n == 0 {
			continue
		}
		out = append(out, htmlSegment{Class: p.class, X: pct(x, total), W: pct(p.n, total)})
		x += p.n
	}
	return out
}

var statusRank = map[result.Status]int{result.Fail: 0, result.Unknown: 1, result.Waived: 2, result.Pass: 3}

// groups puts results on cards: one per function (function-level results and
// the package results of that function), one per account and region, and one
// per other resource whose function is not in the scan. Cards are ordered by
// their worst problem, then name.
func groups(rs []result.Result) []htmlGroup {
	byKey := map[string]*htmlGroup{}
	var keys []string
	for i, r := range rs {
		key, label, title := groupKey(r.Resource)
		g := byKey[key]
		if g == nil {
			g = &htmlGroup{KindLabel: label, Title: title, key: key, worst: -1}
			byKey[key] = g
			keys = append(keys, key)
		}
		id := r.Resource.ID
		if r.Resource.Kind == result.KindPackage || (r.Resource.Kind == result.KindAccount && id == r.Resource.Account) {
			id = ""
		}
		if r.Resource.ARN != "" && !contains(g.IDs, r.Resource.ARN) && r.Resource.ARN != id {
			g.IDs = append(g.IDs, r.Resource.ARN)
		}
		if id != "" && !contains(g.IDs, id) {
			g.IDs = append(g.IDs, id)
		}
		if g.Where == "" && r.Location == nil && (r.Resource.Account != "" || r.Resource.Region != "") && r.Resource.Kind != result.KindAccount {
			g.Where = "account " + orDash(r.Resource.Account) + ", " + orDash(r.Resource.Region)
		}
		count(r.Status, &g.Pass, &g.Fail, &g.Unknown, &g.Waived)
		switch r.Status {
		case result.Fail:
			g.worst = max(g.worst, 2+int(r.Severity))
		case result.Unknown:
			g.worst = max(g.worst, 1)
		}
		g.Rows = append(g.Rows, htmlRowFor(r, i, title))
	}
	out := make([]htmlGroup, 0, len(keys))
	for _, k := range keys {
		g := byKey[k]
		sort.SliceStable(g.Rows, func(a, b int) bool {
			ra, rb := g.Rows[a], g.Rows[b]
			if statusRank[result.Status(ra.Status)] != statusRank[result.Status(rb.Status)] {
				return statusRank[result.Status(ra.Status)] < statusRank[result.Status(rb.Status)]
			}
			if ra.sev != rb.sev {
				return ra.sev > rb.sev
			}
			if ra.CheckID != rb.CheckID {
				return ra.CheckID < rb.CheckID
			}
			return ra.order < rb.order
		})
		switch {
		case g.worst >= 2:
			g.Worst = result.Severity(g.worst - 2).String()
		case g.worst == 1:
			g.Worst = "unknown"
		case g.Waived > 0:
			g.Worst = "waived"
		default:
			g.Worst = "none"
		}
		sort.Strings(g.IDs)
		out = append(out, *g)
	}
	sort.SliceStable(out, func(a, b int) bool {
		ga, gb := out[a], out[b]
		if ga.worst != gb.worst {
			return ga.worst > gb.worst
		}
		if ga.Fail != gb.Fail {
			return ga.Fail > gb.Fail
		}
		if ga.Title != gb.Title {
			return ga.Title < gb.Title
		}
		return ga.key < gb.key
	})
	for i := range out {
		out[i].Anchor = "r" + strconv.Itoa(i+1)
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// groupKey says which card a result goes on, with the card's label and title.
func groupKey(res result.Resource) (key, label, title string) {
	name := res.Name
	if name == "" {
		name = res.ID
	}
	where := res.Account + "\x00" + res.Region
	switch res.Kind {
	case result.KindAccount:
		t := "AWS account " + orDash(res.Account)
		if res.Region != "" {
			t += " · " + res.Region
		}
		return "account\x00" + where, "Account guard rails", t
	case result.KindFunction, result.KindPackage:
		return "function\x00" + where + "\x00" + name, "Lambda function", name
	}
	labels := map[string]string{
		result.KindPermission: "Permission (function not in this scan)", result.KindFunctionURL: "Function URL (function not in this scan)",
		result.KindLogGroup: "Log group", result.KindLayer: "Layer", result.KindRole: "IAM role",
	}
	l := labels[res.Kind]
	if l == "" {
		l = res.Kind
	}
	return res.Kind + "\x00" + where + "\x00" + res.ID, l, name
}

func htmlRowFor(r result.Result, order int, groupTitle string) htmlRow {
	row := htmlRow{
		Status: string(r.Status), Severity: r.Severity.String(), CheckID: r.CheckID, Title: r.Title,
		Message: r.Message, Remediation: r.Remediation, Waiver: r.Waiver, order: order, sev: r.Severity,
		ShowFix: r.Status != result.Pass && r.Remediation != "",
	}
	row.Controls = append([]string{}, r.Controls...)
	sortCriteria(row.Controls)
	row.CriteriaAttr = strings.Join(row.Controls, " ")
	if r.Location != nil && r.Location.File != "" {
		row.Location = r.Location.String()
	}
	// Name the resource on the row when the card is not enough to tell it.
	if r.Resource.Kind == result.KindPackage || (r.Resource.Kind != result.KindFunction && r.Resource.Kind != result.KindAccount) {
		row.Resource = r.Resource.Kind + " " + r.Resource.ID
	}
	row.SearchText = strings.Join([]string{groupTitle, r.Resource.ID, r.Resource.ARN, r.Resource.Name}, " ")
	return row
}
