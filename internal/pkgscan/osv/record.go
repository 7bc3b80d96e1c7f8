package osv

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/google/osv-scalibr/semantic"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// record is the part of an OSV record (https://ossf.github.io/osv-schema/)
// that matching needs. A small struct rather than the osv-schema protobuf
// bindings: encoding/json tolerates fields and enum values added by later
// schema versions, where protojson rejects them.
type record struct {
	ID               string          `json:"id"`
	Aliases          []string        `json:"aliases"`
	Summary          string          `json:"summary"`
	Withdrawn        string          `json:"withdrawn"`
	Severity         []severity      `json:"severity"`
	Affected         []affected      `json:"affected"`
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

type severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type affected struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
	} `json:"package"`
	Severity          []severity      `json:"severity"`
	Ranges            []osvRange      `json:"ranges"`
	Versions          []string        `json:"versions"`
	DatabaseSpecific  json.RawMessage `json:"database_specific"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific"`
}

type osvRange struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// advisory is what a result shows of a record.
type advisory struct {
	id      string
	aliases []string
	summary string
	sev     result.Severity
	rated   bool
}

// entry is one affected package of a record.
type entry struct {
	adv      *advisory
	eco      string
	name     string
	ranges   []osvRange
	versions []string
}

// entries returns the record's affected packages that are wanted. A
// withdrawn record has none.
func (r *record) entries(want map[pkgKey]bool) []*entry {
	if r.Withdrawn != "" {
		return nil
	}
	adv := &advisory{id: r.ID, aliases: cveAliases(r.Aliases), summary: r.Summary}
	adv.sev, adv.rated = rate(r.DatabaseSpecific, r.Severity)
	var out []*entry
	for _, a := range r.Affected {
		if !want[keyOf(a.Package.Ecosystem, a.Package.Name)] {
			continue
		}
		e := &entry{adv: adv, eco: a.Package.Ecosystem, name: a.Package.Name, ranges: a.Ranges, versions: a.Versions}
		if sev, ok := rateAffected(a); ok && (!adv.rated || sev > adv.sev) {
			// Severity given on the affected package itself.
			cp := *adv
			cp.sev, cp.rated = sev, true
			e.adv = &cp
		}
		out = append(out, e)
	}
	return out
}

// cveAliases keeps the CVE IDs of the aliases, sorted, for messages.
func cveAliases(as []string) []string {
	var out []string
	for _, a := range as {
		if strings.HasPrefix(a, "CVE-") {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// match returns the advisories of entries that affect version, one per
// advisory ID, sorted by ID.
func match(entries []*entry, eco, version string) []checks.Advisory {
	var out []checks.Advisory
	seen := map[string]int{}
	for _, e := range entries {
		ok, fixed := e.affects(eco, version)
		if !ok {
			continue
		}
		if i, dup := seen[e.adv.id]; dup {
			out[i].Fixed = maxVersion(eco, out[i].Fixed, fixed)
			continue
		}
		seen[e.adv.id] = len(out)
		out = append(out, checks.Advisory{
			ID: e.adv.id, Aliases: e.adv.aliases, Summary: e.adv.summary,
			Severity: e.adv.sev, Rated: e.adv.rated, Fixed: fixed,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// affects reports whether version is affected, and the lowest fixed
// version above it in the range that affects it ("" when none is known).
func (e *entry) affects(eco, version string) (bool, string) {
	version = normalize(eco, version)
	for _, v := range e.versions {
		if sameVersion(eco, version, normalize(eco, v)) {
			// Listed explicitly; a range may still say where it is fixed.
			_, fixed := e.inRanges(eco, version)
			return true, fixed
		}
	}
	return e.inRanges(eco, version)
}

func (e *entry) inRanges(eco, version string) (bool, string) {
	for _, r := range e.ranges {
		var v semantic.Version
		var err error
		switch r.Type {
		case "SEMVER":
			v = semantic.ParseSemverVersion(version)
		case "ECOSYSTEM":
			v, err = semantic.Parse(version, eco)
		default:
			continue // GIT ranges name commits, not versions
		}
		if err != nil {
			continue
		}
		if ok, fixed := inRange(v, eco, r.Events); ok {
			return true, fixed
		}
	}
	return false, ""
}

// inRange evaluates a range's events as the OSV schema says: sorted by
// version ("0" first), each introduced at or below v turns "affected" on,
// each fixed at or below v (or last_affected below v, or limit at or below
// v) turns it off.
func inRange(v semantic.Version, eco string, events []event) (bool, string) {
	type ev struct {
		kind int // 0 introduced, 1 fixed, 2 last_affected, 3 limit
		ver  string
	}
	evs := make([]ev, 0, len(events))
	for _, e := range events {
		switch {
		case e.Introduced != "":
			evs = append(evs, ev{0, normalize(eco, e.Introduced)})
		case e.Fixed != "":
			evs = append(evs, ev{1, normalize(eco, e.Fixed)})
		case e.LastAffected != "":
			evs = append(evs, ev{2, normalize(eco, e.LastAffected)})
		case e.Limit != "":
			evs = append(evs, ev{3, normalize(eco, e.Limit)})
		}
	}
	// cmp(x) is v compared with x: -1, 0, 1; ok false when x does not parse.
	cmp := func(x string) (int, bool) {
		c, err := v.CompareStr(x)
		return c, err == nil
	}
	less := func(a, b ev) bool {
		if a.ver == b.ver {
			return a.kind < b.kind
		}
		if a.kind == 0 && a.ver == "0" {
			return true
		}
		if b.kind == 0 && b.ver == "0" {
			return false
		}
		pa, err1 := semantic.Parse(a.ver, eco)
		if err1 != nil {
			return a.ver < b.ver
		}
		c, err := pa.CompareStr(b.ver)
		if err != nil || c == 0 {
			return a.kind < b.kind
		}
		return c < 0
	}
	sort.SliceStable(evs, func(i, j int) bool { return less(evs[i], evs[j]) })
	affected := false
	for _, e := range evs {
		c, ok := 0, true
		if !(e.kind == 0 && e.ver == "0") {
			c, ok = cmp(e.ver)
			if !ok {
				continue
			}
		}
		switch e.kind {
		case 0:
			if (e.ver == "0") || c >= 0 {
				affected = true
			}
		case 1, 3:
			if c >= 0 {
				affected = false
			}
		case 2:
			if c > 0 {
				affected = false
			}
		}
	}
	if !affected {
		return false, ""
	}
	// The lowest fixed event above v.
	for _, e := range evs {
		if e.kind != 1 {
			continue
		}
		if c, ok := cmp(e.ver); ok && c < 0 {
			return true, e.ver
		}
	}
	return true, ""
}

// normalize drops the "v" of Go module versions (OSV writes Go versions
// without it).
func normalize(eco, v string) string {
	if strings.HasPrefix(eco, "Go") {
		return strings.TrimPrefix(v, "v")
	}
	return v
}

func sameVersion(eco, a, b string) bool {
	if a == b {
		return true
	}
	va, err := semantic.Parse(a, eco)
	if err != nil {
		return false
	}
	c, err := va.CompareStr(b)
	return err == nil && c == 0
}

// maxVersion returns the higher of two fixed versions; "" (no fix) wins.
func maxVersion(eco, a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	va, err := semantic.Parse(a, eco)
	if err != nil {
		return a
	}
	if c, err := va.CompareStr(b); err == nil && c < 0 {
		return b
	}
	return a
}
