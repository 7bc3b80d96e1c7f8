package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// ANSI styles used by the text report when Options.Color is set.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
	ansiBoldRed = "\x1b[1;31m"
)

// textStyle paints text only when colour is on.
type textStyle bool

func (c textStyle) paint(style, s string) string {
	if !c || style == "" {
		return s
	}
	return style + s + ansiReset
}

func textStatusStyle(s result.Status) string {
	switch s {
	case result.Fail:
		return ansiBoldRed
	case result.Unknown:
		return ansiMagenta
	case result.Waived:
		return ansiBlue
	case result.Pass:
		return ansiGreen
	}
	return ""
}

func textSeverityStyle(s result.Severity) string {
	switch s {
	case result.Critical:
		return ansiBoldRed
	case result.High:
		return ansiRed
	case result.Medium:
		return ansiYellow
	case result.Low:
		return ansiCyan
	}
	return ansiDim
}

// textGroup is the results about one resource: a function, or a resource
// checked on its own (a permission whose function is elsewhere, a package,
// an account).
type textGroup struct {
	res     result.Resource
	results []result.Result
}

// textStatusRank orders results inside a group: what needs action first.
func textStatusRank(s result.Status) int {
	switch s {
	case result.Fail:
		return 0
	case result.Unknown:
		return 1
	case result.Waived:
		return 2
	}
	return 3
}

// textClean makes text from scanned input safe to print on a terminal: control
// characters (which could move the cursor or recolour the screen) are
// shown as \xNN escapes.
func textClean(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeText writes a report for people: results grouped by function, then
// the other resources; FAIL, UNKNOWN and WAIVED results (PASS too with
// ShowPass), each with its severity, check, location, message and fix;
// then the errors and a summary line.
func writeText(w io.Writer, s *result.Scan, opts Options) error {
	bw := bufio.NewWriter(w)
	c := textStyle(opts.Color)

	fmt.Fprintln(bw, c.paint(ansiBold, textClean(textHeader(s, opts))))

	groups := textGroups(s.Results, opts.ShowPass)
	idWidth := 0
	for _, g := range groups {
		for _, r := range g.results {
			idWidth = max(idWidth, len(r.CheckID))
		}
	}
	indent := strings.Repeat(" ", 2+8+9+idWidth+2)
	for _, g := range groups {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, c.paint(ansiBold, textClean(textGroupTitle(g.res))))
		for _, r := range g.results {
			fmt.Fprintf(bw, "  %s %s %s  %s\n",
				c.paint(textStatusStyle(r.Status), fmt.Sprintf("%-7s", r.Status)),
				c.paint(textSeverityStyle(r.Severity), fmt.Sprintf("%-8s", r.Severity)),
				fmt.Sprintf("%-*s", idWidth, textClean(r.CheckID)),
				textClean(r.Title))
			if r.Location != nil {
				fmt.Fprintf(bw, "%s%s\n", indent, c.paint(ansiDim, textClean(r.Location.String())))
			}
			if r.Message != "" {
				fmt.Fprintf(bw, "%s%s\n", indent, textClean(r.Message))
			}
			if r.Waiver != nil {
				fmt.Fprintf(bw, "%s%s\n", indent, c.paint(ansiBlue, textClean(textWaiverLine(r.Waiver))))
			}
			if r.Remediation != "" && (r.Status == result.Fail || r.Status == result.Unknown) {
				fmt.Fprintf(bw, "%s%s %s\n", indent, c.paint(ansiGreen, "fix:"), textClean(r.Remediation))
			}
		}
	}
	if len(groups) == 0 {
		fmt.Fprintln(bw)
		if len(s.Results) == 0 {
			fmt.Fprintln(bw, "No results: no check applied to what was scanned.")
		} else {
			fmt.Fprintln(bw, c.paint(ansiGreen, "No failures, unknowns or waivers. Use --all to list the passing checks."))
		}
	}

	if len(s.Errors) > 0 {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, c.paint(ansiBoldRed, fmt.Sprintf("Errors (%d): these inputs could not be read or evaluated", len(s.Errors))))
		for _, e := range s.Errors {
			fmt.Fprintf(bw, "  %s: %s\n", textClean(textErrorWhere(e)), textClean(e.Message))
		}
	}

	fmt.Fprintln(bw)
	fmt.Fprintln(bw, textSummary(s, c))
	return bw.Flush()
}

// textHeader names the tool and what was scanned.
func textHeader(s *result.Scan, opts Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", s.Tool.Name, s.Tool.Version)
	if opts.Timestamps && s.Timestamp != "" {
		fmt.Fprintf(&b, " at %s", s.Timestamp)
	}
	counts := map[inventory.SourceKind]int{}
	var kinds []inventory.SourceKind
	for _, src := range s.Sources {
		if counts[src.Kind] == 0 {
			kinds = append(kinds, src.Kind)
		}
		counts[src.Kind]++
	}
	if len(s.Sources) == 0 {
		b.WriteString(": no supported inputs found")
		return b.String()
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
	if len(s.Sources) <= 3 {
		parts := make([]string, len(s.Sources))
		for i, src := range s.Sources {
			parts[i] = fmt.Sprintf("%s (%s)", src.Path, src.Kind)
		}
		fmt.Fprintf(&b, ": scanned %s", strings.Join(parts, ", "))
		return b.String()
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	fmt.Fprintf(&b, ": scanned %d inputs (%s)", len(s.Sources), strings.Join(parts, ", "))
	return b.String()
}

// textGroups groups the shown results by resource: functions first (by
// name, then ID), then the other resources (by kind, then ID).
func textGroups(rs []result.Result, showPass bool) []textGroup {
	index := map[result.Resource]int{}
	var groups []textGroup
	for _, r := range rs {
		if r.Status == result.Pass && !showPass {
			continue
		}
		i, ok := index[r.Resource]
		if !ok {
			i = len(groups)
			index[r.Resource] = i
			groups = append(groups, textGroup{res: r.Resource})
		}
		groups[i].results = append(groups[i].results, r)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i].res, groups[j].res
		af, bf := a.Kind == result.KindFunction, b.Kind == result.KindFunction
		if af != bf {
			return af
		}
		if !af && a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if af && a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Name < b.Name
	})
	for _, g := range groups {
		sort.SliceStable(g.results, func(i, j int) bool {
			a, b := g.results[i], g.results[j]
			if textStatusRank(a.Status) != textStatusRank(b.Status) {
				return textStatusRank(a.Status) < textStatusRank(b.Status)
			}
			if a.Severity != b.Severity {
				return a.Severity > b.Severity
			}
			if a.CheckID != b.CheckID {
				return a.CheckID < b.CheckID
			}
			return result.Less(a, b)
		})
	}
	return groups
}

// textGroupTitle names a group's resource.
func textGroupTitle(r result.Resource) string {
	var b strings.Builder
	switch r.Kind {
	case result.KindFunction:
		b.WriteString("function " + r.Name)
		if r.ID != "" && r.ID != r.Name {
			b.WriteString(" (" + r.ID + ")")
		}
	case result.KindAccount:
		b.WriteString("account " + r.ID)
	default:
		b.WriteString(strings.ReplaceAll(r.Kind, "_", " ") + " " + r.ID)
		if r.Name != "" && r.Name != r.ID {
			b.WriteString(" (function " + r.Name + ")")
		}
	}
	if r.Account != "" && r.Kind != result.KindAccount {
		b.WriteString(" in " + r.Account)
	}
	if r.Region != "" {
		b.WriteString(" " + r.Region)
	}
	return b.String()
}

func textWaiverLine(w *result.Waiver) string {
	var b strings.Builder
	if w.Expired {
		b.WriteString("waiver expired: ")
	} else {
		b.WriteString("waived: ")
	}
	b.WriteString(w.Reason)
	var extra []string
	if w.Expires != "" {
		if w.Expired {
			extra = append(extra, "expired "+w.Expires)
		} else {
			extra = append(extra, "until "+w.Expires)
		}
	}
	if w.Source != "" {
		extra = append(extra, w.Source)
	}
	if len(extra) > 0 {
		b.WriteString(" (" + strings.Join(extra, "; ") + ")")
	}
	return b.String()
}

func textErrorWhere(e inventory.Error) string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.Source, e.Line)
	}
	return e.Source
}

// textSummary counts functions, results by status and FAILs by severity.
func textSummary(s *result.Scan, c textStyle) string {
	sum := result.Summarize(s)
	var sevs []string
	all := result.Severities()
	for i := len(all) - 1; i >= 0; i-- {
		if n := sum.BySeverity[all[i].String()]; n > 0 {
			sevs = append(sevs, fmt.Sprintf("%d %s", n, all[i]))
		}
	}
	fail := fmt.Sprintf("%d failed", sum.Fail)
	if len(sevs) > 0 {
		fail += " (" + strings.Join(sevs, ", ") + ")"
	}
	if sum.Fail > 0 {
		fail = c.paint(ansiBoldRed, fail)
	}
	line := fmt.Sprintf("Summary: %d %s, %d results: %s, %d unknown, %d waived, %d passed",
		sum.Functions, textPlural(sum.Functions, "function", "functions"), sum.Results, fail, sum.Unknown, sum.Waived, sum.Pass)
	if n := len(s.Errors); n > 0 {
		line += "; " + c.paint(ansiBoldRed, fmt.Sprintf("%d %s", n, textPlural(n, "error", "errors")))
	}
	return line
}

func textPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
