// Package waiver applies waivers (suppressions) to scan results: waivers
// from the config file, which name a check and a resource by glob, and
// inline waivers written next to a resource in the scanned code. Only a FAIL
// is ever waived; an expired waiver leaves the FAIL and says so.
package waiver

import (
	"fmt"
	"path"
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
	// Source says where the rule was written ("config" in results); Line is
	// its line in the config file, for messages.
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
// matching, as of now. An inline waiver without a reason, or with an
// expiry date that does not parse, is not applied and comes back as an
// error naming its file and line (the scan then exits 2).
func New(rules []Rule, inv *inventory.Inventory, now time.Time) (*Set, []inventory.Error) {
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

// Unused describes the waivers that matched no FAIL, for diagnostics.
func (s *Set) Unused() []string {
	var out []string
	for _, w := range s.waivers {
		if w.used {
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
