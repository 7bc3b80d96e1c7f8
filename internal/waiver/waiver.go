// Package waiver applies waivers (suppressions) to scan results: waivers
// from the config file, which name a check and a resource by glob, and
// inline waivers written next to a resource in the scanned code. Only a FAIL
// is ever waived; an expired waiver leaves the FAIL and says so.
package waiver

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// DateLayout is the form of an expiry date: an ISO date, YYYY-MM-DD.
const DateLayout = "2006-01-02"

// Rule is a waiver from the config file.
type Rule struct {
	// Check is a check ID or glob (LW-IAM-*), matched case-insensitively.
	Check string
	// Resource is a glob matched against a result's resource.id and
	// resource.name; `*` matches any run of characters (dots, slashes and
	// brackets included), `?` one character.
	Resource string
	Reason   string
	// Expires is an optional YYYY-MM-DD date: the waiver holds through that day.
	Expires string
	// Source says where the rule was written, as results show it: the
	// config file and line ("infra/.lambdawarden.yaml:12"), like an inline
	// waiver's. Line is its line in the config file.
	Source string
	Line   int
}

// ParseDate parses an expiry date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiry date %q is not an ISO date (YYYY-MM-DD)", s)
	}
	return t, nil
}

// waiver is a config rule or an inline waiver, ready to match.
type waiver struct {
	check   string
	reason  string
	expires string
	expired bool
	source  string

	// Config rules: a glob on resource ID or name.
	resource string
	// Inline waivers: the resource's ID, and its block.
	inline     bool
	resourceID string
	file       string
	startLine  int
	endLine    int

	used bool
}

// Set is the waivers of one scan.
type Set struct {
	waivers []*waiver
	// sharedIDs are resource IDs that occur in more than one origin (two
	// Terraform roots that both define aws_lambda_function.api): an inline
	// waiver matches those by ID only within its own folder.
	sharedIDs map[string]bool
}

// New prepares the config rules and the inventory's inline waivers for
// matching, as of now. An inline waiver without a reason, with an expiry
// date that does not parse, or (when catalog, the IDs of every check, is
// not nil) with a check ID or glob that matches no check, is not applied
// and comes back as an error naming its file and line (the scan then exits
// 2). Config rules are validated when the config is read (see CheckPattern).
func New(rules []Rule, inv *inventory.Inventory, now time.Time, catalog []string) (*Set, []inventory.Error) {
	today := now.UTC().Format(DateLayout)
	s := &Set{sharedIDs: sharedIDs(inv)}
	var errs []inventory.Error
	for _, w := range inv.Waivers {
		file, line := w.Loc.File, w.Loc.Line
		if file == "" {
			file, line = w.File, w.StartLine
		}
		where := fmt.Sprintf("%s:%d", file, line)
		if strings.TrimSpace(w.Reason) == "" {
			errs = append(errs, inventory.Error{Source: file, Line: line,
				Message: fmt.Sprintf("waiver for %s has no reason: add reason=\"...\" (auditors need the justification)", w.Check)})
			continue
		}
		if catalog != nil {
			if err := CheckPattern(w.Check, catalog); err != nil {
				errs = append(errs, inventory.Error{Source: file, Line: line, Message: "waiver: " + err.Error()})
				continue
			}
		}
		if w.Expires != "" {
			if _, err := ParseDate(w.Expires); err != nil {
				errs = append(errs, inventory.Error{Source: file, Line: line, Message: "waiver for " + w.Check + ": " + err.Error()})
				continue
			}
		}
		s.waivers = append(s.waivers, &waiver{
			check: w.Check, reason: w.Reason, expires: w.Expires, expired: w.Expires != "" && today > w.Expires,
			source: where, inline: true, resourceID: w.ResourceID, file: w.File, startLine: w.StartLine, endLine: w.EndLine,
		})
	}
	for _, r := range rules {
		src := r.Source
		if src == "" {
			src = "config"
		}
		s.waivers = append(s.waivers, &waiver{
			check: r.Check, reason: r.Reason, expires: r.Expires, expired: r.Expires != "" && today > r.Expires,
			source: src, resource: r.Resource,
		})
	}
	return s, errs
}

// sharedIDs returns the item IDs that occur in more than one origin.
func sharedIDs(inv *inventory.Inventory) map[string]bool {
	origins := map[string]string{}
	shared := map[string]bool{}
	add := func(it inventory.Item) {
		if o, ok := origins[it.ID]; ok && o != it.Origin {
			shared[it.ID] = true
		}
		origins[it.ID] = it.Origin
	}
	for _, f := range inv.Functions {
		add(f.Item)
	}
	for _, r := range inv.Roles {
		add(r.Item)
	}
	for _, p := range inv.Permissions {
		add(p.Item)
	}
	for _, u := range inv.FunctionURLs {
		add(u.Item)
	}
	for _, g := range inv.LogGroups {
		add(g.Item)
	}
	for _, l := range inv.Layers {
		add(l.Item)
	}
	for _, a := range inv.Aliases {
		add(a.Item)
	}
	for _, p := range inv.Packages {
		add(p.Item)
	}
	return shared
}

// Apply attaches waivers to results in place. A FAIL covered by a valid
// waiver becomes WAIVED; one covered only by an expired waiver stays FAIL
// and its message notes the expiry. Other statuses are left alone. Inline
// waivers are tried before config rules, each in order, and a valid waiver
// wins over an expired one.
func (s *Set) Apply(rs []result.Result) {
	for i := range rs {
		r := &rs[i]
		if r.Status != result.Fail {
			continue
		}
		var chosen *waiver
		for _, w := range s.waivers {
			if !s.matches(w, r) {
				continue
			}
			if !w.expired {
				chosen = w
				break
			}
			if chosen == nil {
				chosen = w
			}
		}
		if chosen == nil {
			continue
		}
		chosen.used = true
		r.Waiver = &result.Waiver{Reason: chosen.reason, Expires: chosen.expires, Source: chosen.source, Expired: chosen.expired}
		if chosen.expired {
			r.Message += " (waiver expired " + chosen.expires + ")"
		} else {
			r.Status = result.Waived
		}
	}
}

// Unused describes the waivers that matched no FAIL, for diagnostics, as
// "SOURCE: CHECK on RESOURCE". Waivers whose check matches none of ran (the
// IDs of the checks that ran) are left out: a waiver of a skipped check is
// not unused. A nil ran leaves none out.
func (s *Set) Unused(ran []string) []string {
	var out []string
	for _, w := range s.waivers {
		if w.used {
			continue
		}
		if ran != nil && !matchesAny(w.check, ran) {
			continue
		}
		target := w.resource
		if w.inline {
			target = w.resourceID
		}
		out = append(out, fmt.Sprintf("%s: %s on %s", w.source, w.check, target))
	}
	return out
}

// CheckPattern returns nil when pattern, a check ID or glob (LW-IAM-*),
// matches one of catalog's check IDs (case-insensitively); otherwise an
// error saying so, with the closest ID as a suggestion ("LW-INV-7": did you
// mean LW-INV-07?).
func CheckPattern(pattern string, catalog []string) error {
	p := strings.TrimSpace(pattern)
	if p == "" {
		return fmt.Errorf("no check ID given")
	}
	if matchesAny(p, catalog) {
		return nil
	}
	msg := fmt.Sprintf("check %q matches no check in the catalog", pattern)
	if best := closestID(p, catalog); best != "" {
		msg += " (did you mean " + best + "?)"
	}
	return fmt.Errorf("%s; see 'lambdawarden checks'", msg)
}

func matchesAny(pattern string, ids []string) bool {
	for _, id := range ids {
		if checks.MatchAny([]string{pattern}, id) {
			return true
		}
	}
	return false
}

// closestID returns the catalog ID nearest to pattern: one equal to it
// with its number zero-padded (LW-INV-7 -> LW-INV-07), else the one at the
// smallest edit distance (ties: the first in ID order), if that distance
// is small for the pattern's length; "" when nothing is close.
func closestID(pattern string, catalog []string) string {
	p := strings.ToUpper(pattern)
	if i := strings.LastIndexByte(p, '-'); i >= 0 && len(p)-i-1 == 1 {
		padded := p[:i+1] + "0" + p[i+1:]
		for _, id := range catalog {
			if strings.ToUpper(id) == padded {
				return id
			}
		}
	}
	ids := append([]string(nil), catalog...)
	sort.Strings(ids)
	best, bestD := "", len(p)/3+1
	for _, id := range ids {
		if d := editDistance(p, strings.ToUpper(id)); d < bestD {
			best, bestD = id, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b
// (bytes): insertions, deletions, substitutions and swaps of neighbours.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func (s *Set) matches(w *waiver, r *result.Result) bool {
	if !checks.MatchAny([]string{w.check}, r.CheckID) {
		return false
	}
	if !w.inline {
		return Glob(w.resource, r.Resource.ID) || (r.Resource.Name != "" && Glob(w.resource, r.Resource.Name))
	}
	if r.Location != nil && r.Location.File == w.file && r.Location.Line >= w.startLine && r.Location.Line <= w.endLine {
		return true
	}
	if w.resourceID == "" || r.Resource.ID != w.resourceID {
		return false
	}
	if !s.sharedIDs[w.resourceID] {
		return true
	}
	return r.Location != nil && path.Dir(r.Location.File) == path.Dir(w.file)
}

// Glob reports whether s matches pattern, where `*` matches any run of
// characters and `?` exactly one; every other character matches itself.
// Unlike path.Match, brackets are literal, so Terraform addresses such as
// aws_lambda_function.workers["img"] can be written as they are.
func Glob(pattern, s string) bool {
	p, n := []rune(pattern), []rune(s)
	pi, ni := 0, 0
	star, mark := -1, 0
	for ni < len(n) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == n[ni]):
			pi++
			ni++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ni
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ni = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
