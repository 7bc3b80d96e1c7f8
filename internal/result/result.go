// Package result holds what a scan produces: one Result per check and
// resource, with the statuses, severities and JSON shape that users' CI
// relies on (see the output spec).
package result

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// Status is a result's outcome.
type Status string

const (
	Pass    Status = "PASS"
	Fail    Status = "FAIL"
	Unknown Status = "UNKNOWN"
	Waived  Status = "WAIVED"
)

// Severity is how much a failing check matters.
type Severity int

const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)", s, strings.Join(severityNames[:], ", "))
}

// Severities lists every severity from info to critical.
func Severities() []Severity { return []Severity{Info, Low, Medium, High, Critical} }

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Resource kinds.
const (
	KindFunction    = "function"
	KindRole        = "role"
	KindPermission  = "permission"
	KindFunctionURL = "function_url"
	KindLogGroup    = "log_group"
	KindLayer       = "layer"
	KindPackage     = "package"
	KindAccount     = "account"
)

// Resource is what a result is about.
type Resource struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	ARN     string `json:"arn"`
	Account string `json:"account"`
	Region  string `json:"region"`
}

// Waiver is the waiver that covers (or, expired, no longer covers) a result.
type Waiver struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	// Source is "config" or the file and line of an inline waiver.
	Source  string `json:"source"`
	Expired bool   `json:"expired,omitempty"`
}

// Result is the outcome of one check on one resource.
type Result struct {
	CheckID     string           `json:"check_id"`
	Title       string           `json:"title"`
	Severity    Severity         `json:"severity"`
	Status      Status           `json:"status"`
	Resource    Resource         `json:"resource"`
	Location    *srcloc.Location `json:"location,omitempty"`
	Message     string           `json:"message"`
	Controls    []string         `json:"controls"`
	Remediation string           `json:"remediation"`
	Waiver      *Waiver          `json:"waiver"`
}

// Tool identifies the scanner in reports.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Scan is everything a scan produced, ready for reporting.
type Scan struct {
	Tool      Tool               `json:"tool"`
	Sources   []inventory.Source `json:"sources"`
	Functions int                `json:"functions"`
	Results   []Result           `json:"results"`
	Errors    []inventory.Error  `json:"errors"`
	// Accounts and Regions seen (live scans), sorted.
	Accounts []string `json:"-"`
	Regions  []string `json:"-"`
	// Timestamp is the scan time (RFC 3339), reported only on request.
	Timestamp string `json:"-"`
}

// Sort orders results as the output spec says: by file, line, check ID and
// resource ID; results without a location (live) by account, region,
// resource ID and check ID, after those with one.
func Sort(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool { return Less(rs[i], rs[j]) })
}

// Less is the output order of results.
func Less(a, b Result) bool {
	al, bl := a.Location != nil, b.Location != nil
	if al != bl {
		return al
	}
	if al {
		if a.Location.File != b.Location.File {
			return a.Location.File < b.Location.File
		}
		if a.Location.Line != b.Location.Line {
			return a.Location.Line < b.Location.Line
		}
		if a.CheckID != b.CheckID {
			return a.CheckID < b.CheckID
		}
		if a.Resource.ID != b.Resource.ID {
			return a.Resource.ID < b.Resource.ID
		}
		return a.Message < b.Message
	}
	if a.Resource.Account != b.Resource.Account {
		return a.Resource.Account < b.Resource.Account
	}
	if a.Resource.Region != b.Resource.Region {
		return a.Resource.Region < b.Resource.Region
	}
	if a.Resource.ID != b.Resource.ID {
		return a.Resource.ID < b.Resource.ID
	}
	if a.CheckID != b.CheckID {
		return a.CheckID < b.CheckID
	}
	return a.Message < b.Message
}

// Summary counts a scan's results.
type Summary struct {
	Functions  int            `json:"functions"`
	Results    int            `json:"results"`
	Pass       int            `json:"pass"`
	Fail       int            `json:"fail"`
	Unknown    int            `json:"unknown"`
	Waived     int            `json:"waived"`
	BySeverity map[string]int `json:"by_severity"`
}

// Summarize counts results; BySeverity counts FAIL results only and always
// names every severity.
func Summarize(s *Scan) Summary {
	sum := Summary{Functions: s.Functions, Results: len(s.Results), BySeverity: map[string]int{}}
	for _, sev := range Severities() {
		sum.BySeverity[sev.String()] = 0
	}
	for _, r := range s.Results {
		switch r.Status {
		case Pass:
			sum.Pass++
		case Fail:
			sum.Fail++
			sum.BySeverity[r.Severity.String()]++
		case Unknown:
			sum.Unknown++
		case Waived:
			sum.Waived++
		}
	}
	return sum
}
