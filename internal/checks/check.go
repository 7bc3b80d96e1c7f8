// Package checks holds the check catalog: each check is a small unit with
// its metadata (ID, title, severity, SOC 2 criteria, sources, remediation)
// beside a function over the inventory.
package checks

import (
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Check is one catalog entry.
type Check struct {
	ID       string
	Title    string
	Severity result.Severity
	// Controls are the SOC 2 Trust Services Criteria the check supports.
	Controls []string
	// Families are the catalog columns (sources) the check is evaluated on.
	Families []inventory.Family
	// Semantics says in a sentence when the check fails.
	Semantics   string
	Remediation string
	// DefaultOff checks run only when enabled in config (LW-IAM-12) or when
	// their setting is given (LW-TAG-01 with settings.required_tags).
	DefaultOff bool

	// Run evaluates the check over the whole inventory.
	Run func(env *Env) []Finding
}

// Finding is what a check's logic says about one resource; the runner adds
// the check's metadata to make a result.
type Finding struct {
	Status   result.Status
	Resource result.Resource
	Location srcloc.Location
	Message  string
	// Severity overrides the check's severity for this finding when non-nil
	// (LW-INV-04 is critical together with LW-INV-01; LW-RUN-04 by advisory).
	Severity *result.Severity
}

// Settings are the tunable thresholds of the checks (config `settings:`).
type Settings struct {
	LogRetentionMinDays  int      `yaml:"log_retention_min_days"`
	RuntimeWarnDays      int      `yaml:"runtime_warn_days"`
	TimeoutMaxSeconds    int      `yaml:"timeout_max_seconds"`
	MemoryMaxMB          int      `yaml:"memory_max_mb"`
	TrustedLayerAccounts []string `yaml:"trusted_layer_accounts"`
	TrustedAccounts      []string `yaml:"trusted_accounts"`
	RequireVPC           bool     `yaml:"require_vpc"`
	RequiredTags         []string `yaml:"required_tags"`
	UnusedDays           int      `yaml:"unused_days"`
	DeployRoles          []string `yaml:"deploy_roles"`
	// EnablePermissionsBoundary turns on LW-IAM-12.
	EnablePermissionsBoundary bool `yaml:"require_permissions_boundary"`
}

// DefaultSettings returns the catalog's defaults.
func DefaultSettings() Settings {
	return Settings{
		LogRetentionMinDays: 365,
		RuntimeWarnDays:     180,
		TimeoutMaxSeconds:   900,
		MemoryMaxMB:         10240,
		UnusedDays:          90,
	}
}

// Env is what a check reads: the linked inventory, the settings and the
// scan date (for runtime deprecation and waiver expiry).
type Env struct {
	Index    *inventory.Index
	Settings Settings
	Now      time.Time
	// VulnDB is the vulnerability database LW-RUN-04 matches dependencies
	// against (`--vuln-db DIR`); nil when none is given.
	VulnDB VulnDB
}

// Inventory is the inventory being checked.
func (e *Env) Inventory() *inventory.Inventory { return e.Index.Inventory() }

// AppliesTo reports whether c is evaluated on items from source kind k.
func (c *Check) AppliesTo(k inventory.SourceKind) bool {
	return slices.Contains(c.Families, k.Family())
}

// Selection chooses which checks run.
type Selection struct {
	// Only, when non-empty, keeps checks matching one of these IDs or globs.
	Only []string
	// Skip drops checks matching one of these IDs or globs.
	Skip []string
	// Enable turns on DefaultOff checks by ID or glob.
	Enable []string
}

// Select returns the checks of catalog chosen by s, in ID order.
func Select(catalog []*Check, s Selection, settings Settings) []*Check {
	var out []*Check
	for _, c := range catalog {
		if len(s.Only) > 0 && !MatchAny(s.Only, c.ID) {
			continue
		}
		if MatchAny(s.Skip, c.ID) {
			continue
		}
		if c.DefaultOff && !MatchAny(s.Enable, c.ID) && !defaultOffEnabled(c.ID, settings) &&
			!(len(s.Only) > 0 && MatchAny(s.Only, c.ID)) {
			continue
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func defaultOffEnabled(id string, s Settings) bool {
	switch id {
	case "LW-IAM-12":
		return s.EnablePermissionsBoundary
	case "LW-TAG-01":
		return len(s.RequiredTags) > 0
	}
	return false
}

// MatchAny reports whether id matches one of the IDs or globs (LW-IAM-*),
// case-insensitively.
func MatchAny(patterns []string, id string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToUpper(strings.TrimSpace(p)), strings.ToUpper(id)); ok {
			return true
		}
	}
	return false
}

// Run evaluates the checks and returns their results, sorted in output order.
func Run(env *Env, selected []*Check) []result.Result {
	// Results are large: gather the findings first and fill a slice of the
	// right size, rather than growing it (and copying them) as they come.
	per := make([][]Finding, len(selected))
	n := 0
	for i, c := range selected {
		per[i] = c.Run(env)
		n += len(per[i])
	}
	out := make([]result.Result, 0, n)
	for i, c := range selected {
		for _, f := range per[i] {
			out = append(out, c.result(f))
		}
	}
	return sortedResults(out)
}

// sortedResults returns rs in output order (result.Sort's order: stable,
// by result.Less). It sorts indices rather than moving the large results
// around while sorting, which matters with hundreds of thousands of them.
func sortedResults(rs []result.Result) []result.Result {
	idx := make([]int32, len(rs))
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.SliceStable(idx, func(i, j int) bool { return result.Less(rs[idx[i]], rs[idx[j]]) })
	out := make([]result.Result, len(rs))
	for i, j := range idx {
		out[i] = rs[j]
	}
	return out
}

func (c *Check) result(f Finding) result.Result {
	r := result.Result{
		CheckID:     c.ID,
		Title:       c.Title,
		Severity:    c.Severity,
		Status:      f.Status,
		Resource:    f.Resource,
		Message:     f.Message,
		Controls:    append([]string(nil), c.Controls...),
		Remediation: c.Remediation,
	}
	if f.Severity != nil {
		r.Severity = *f.Severity
	}
	if !f.Location.IsZero() {
		loc := f.Location
		r.Location = &loc
	}
	return r
}
