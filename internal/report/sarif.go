package report

// SARIF 2.1.0 for GitHub code scanning.
//
// The log is built from plain encoding/json structs covering the part of
// SARIF that code scanning reads, rather than github.com/owenrumney/go-sarif:
// that library (v2.3.3) serializes Suppression.status/location/guid/
// justification without omitempty, so a suppression comes out with
// `"location": null`, which the official schema rejects; several of its types
// also declare the `properties` key twice (an embedded PropertyBag plus a
// field), and its builders hide which fields are emitted. Our own structs fix
// the field order, keep the output byte-stable and are checked against the
// official schema in the tests.
//
// Decisions (documented for users in the report of issue 5):
//   - Rules: one per check that ran (Options.Checks), plus one for any check
//     that has a result but is not in Options.Checks, so every ruleId is in
//     the rules. security-severity uses GitHub's bands: critical 9.5, high
//     8.0, medium 5.5, low 3.0, info 1.0.
//   - Results: FAIL and UNKNOWN only. UNKNOWN is level "warning" and its
//     message starts "Could not be evaluated". PASS is not a finding.
//     WAIVED results are left out: GitHub code scanning does not honour SARIF
//     suppressions (suppressed results are ingested as open alerts), so
//     leaving them out is what closes the alert when a waiver is added. The
//     waiver and its reason stay in the JSON, CSV, HTML and evidence outputs;
//     the run's properties count the waived results.
//   - Live results have no file. GitHub requires a physical location, so they
//     point at a stable synthetic path aws/ACCOUNT/REGION/KIND/NAME (line 1)
//     and carry the ARN (or resource ID) as a logical location and in the
//     message.
//   - A location without a line (a whole file, such as a package) gets line 1.
//   - partialFingerprints["lambdawarden/v1"] hashes check ID, resource kind,
//     ID, account, region and file, not the line, so an alert survives
//     edits that move the resource; repeats within a run are numbered.
//   - GitHub rejects runs with more than 25,000 results: beyond that the most
//     severe are kept and a warning notification says how many were left out.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

const (
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	// ToolInformationURI is the tool's home page in reports.
	ToolInformationURI = "https://github.com/lambdawarden/lambdawarden"
	sarifSrcRoot       = "%SRCROOT%"
	sarifFingerprint   = "lambdawarden/v1"
	// sarifMaxResults is GitHub's hard limit of results per run.
	sarifMaxResults = 25000
)

// SecuritySeverity is GitHub's security-severity score for a severity
// (critical 9.5, high 8.0, medium 5.5, low 3.0, info 1.0).
func SecuritySeverity(s result.Severity) string {
	switch s {
	case result.Critical:
		return "9.5"
	case result.High:
		return "8.0"
	case result.Medium:
		return "5.5"
	case result.Low:
		return "3.0"
	}
	return "1.0"
}

// sarifLevel is the SARIF level of a failing result of severity s.
func sarifLevel(s result.Severity) string {
	switch {
	case s >= result.High:
		return "error"
	case s == result.Medium:
		return "warning"
	}
	return "note"
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                     `json:"tool"`
	AutomationDetails  sarifAutomation               `json:"automationDetails"`
	OriginalURIBaseIDs map[string]sarifArtifactLocat `json:"originalUriBaseIds"`
	Invocations        []sarifInvocation             `json:"invocations"`
	Results            []sarifResult                 `json:"results"`
	Properties         sarifRunProps                 `json:"properties"`
}

type sarifRunProps struct {
	Summary result.Summary `json:"lambdawarden/summary"`
	// Omitted counts results left out of the SARIF results, by reason.
	Omitted map[string]int `json:"lambdawarden/omitted"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifMultiText `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
	Severity         string   `json:"lambdawarden/severity"`
	Controls         []string `json:"lambdawarden/soc2"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Status   string          `json:"lambdawarden/status"`
	Severity string          `json:"lambdawarden/severity"`
	Resource result.Resource `json:"lambdawarden/resource"`
	Waiver   *result.Waiver  `json:"lambdawarden/waiver,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical       `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocati `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLocat `json:"artifactLocation"`
	Region           *sarifRegion       `json:"region,omitempty"`
}

type sarifArtifactLocat struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogicalLocati struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

func writeSARIF(w io.Writer, s *result.Scan, opts Options) error {
	log := buildSARIF(s, opts)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

func buildSARIF(s *result.Scan, opts Options) sarifLog {
	rules, index := sarifRules(s, opts.Checks)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:            toolName(s),
			Version:         s.Tool.Version,
			SemanticVersion: semver(s.Tool.Version),
			InformationURI:  ToolInformationURI,
			Rules:           rules,
		}},
		AutomationDetails: sarifAutomation{ID: "lambdawarden/"},
		OriginalURIBaseIDs: map[string]sarifArtifactLocat{sarifSrcRoot: {Description: &sarifText{
			Text: "The directory lambdawarden ran in: result paths are the scanned PATHs as given, relative to it. " +
				"Live AWS results use the synthetic path aws/ACCOUNT/REGION/KIND/NAME."}}},
		Results:    []sarifResult{},
		Properties: sarifRunProps{Summary: result.Summarize(s), Omitted: map[string]int{"pass": 0, "waived": 0, "over_github_limit": 0}},
	}

	var picked []result.Result
	for _, r := range s.Results {
		switch r.Status {
		case result.Fail, result.Unknown:
			picked = append(picked, r)
		case result.Waived:
			run.Properties.Omitted["waived"]++
		default:
			run.Properties.Omitted["pass"]++
		}
	}
	inv := sarifInvocation{ExecutionSuccessful: len(s.Errors) == 0}
	if opts.Timestamps && s.Timestamp != "" {
		inv.StartTimeUTC = s.Timestamp
	}
	if len(picked) > sarifMaxResults {
		dropped := len(picked) - sarifMaxResults
		picked = mostSevere(picked, sarifMaxResults)
		run.Properties.Omitted["over_github_limit"] = dropped
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "warning",
			Message: sarifText{Text: fmt.Sprintf("%d less severe results were left out: GitHub code scanning accepts at most %d results per run. "+
				"The JSON, CSV and HTML reports list every result.", dropped, sarifMaxResults)},
		})
	}
	for _, e := range s.Errors {
		n := sarifNotification{Level: "error", Message: sarifText{Text: errorText(e.Source, e.Line, e.Message)}}
		if e.Line > 0 && looksLikePath(e.Source) {
			n.Locations = []sarifLocation{{PhysicalLocation: &sarifPhysical{
				ArtifactLocation: sarifArtifactLocat{URI: sarifURI(e.Source), URIBaseID: sarifSrcRoot},
				Region:           &sarifRegion{StartLine: e.Line},
			}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []sarifInvocation{inv}

	seen := map[string]int{}
	for _, r := range picked {
		sr := sarifResult{
			RuleID:    r.CheckID,
			RuleIndex: index[r.CheckID],
			Level:     sarifLevel(r.Severity),
			Message:   sarifText{Text: sarifMessage(r)},
			Locations: []sarifLocation{sarifResultLocation(r)},
			Properties: sarifResultProps{
				Status: string(r.Status), Severity: r.Severity.String(), Resource: r.Resource, Waiver: r.Waiver,
			},
		}
		if r.Status == result.Unknown {
			sr.Level = "warning"
		}
		fp := fingerprint(r)
		seen[fp]++
		if n := seen[fp]; n > 1 {
			fp += ":" + strconv.Itoa(n)
		}
		sr.PartialFingerprints = map[string]string{sarifFingerprint: fp}
		run.Results = append(run.Results, sr)
	}
	return sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}}
}

func toolName(s *result.Scan) string {
	if s.Tool.Name != "" {
		return s.Tool.Name
	}
	return "lambdawarden"
}

// semver returns v when it is a plain semantic version (1.2.3, 1.2.3-rc.1),
// else "" (a development build such as "devel" or "(unknown)").
func semver(v string) string {
	v = strings.TrimPrefix(v, "v")
	core := v
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		core = v[:i]
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return ""
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil || p == "" {
			return ""
		}
	}
	return v
}

// mostSevere keeps the n most severe results (FAIL before UNKNOWN, then by
// severity), in their original order.
func mostSevere(rs []result.Result, n int) []result.Result {
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	rank := func(r result.Result) int {
		k := int(r.Severity) * 2
		if r.Status == result.Fail {
			k++
		}
		return k
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank(rs[idx[a]]) > rank(rs[idx[b]]) })
	keep := idx[:n]
	sort.Ints(keep)
	out := make([]result.Result, 0, n)
	for _, i := range keep {
		out = append(out, rs[i])
	}
	return out
}

func errorText(source string, line int, msg string) string {
	switch {
	case source == "":
		return msg
	case line > 0:
		return fmt.Sprintf("%s:%d: %s", source, line, msg)
	}
	return source + ": " + msg
}

// looksLikePath reports whether an error source is a file (not "ACCOUNT/REGION API").
func looksLikePath(s string) bool { return s != "" && !strings.ContainsAny(s, " \t") }

// sarifRules builds one rule per check that ran, plus any check with results
// that is missing from cs, sorted by ID, and returns the index of each ID.
func sarifRules(s *result.Scan, cs []*checks.Check) ([]sarifRule, map[string]int) {
	byID := map[string]*checks.Check{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	for _, r := range s.Results {
		if _, ok := byID[r.CheckID]; !ok {
			byID[r.CheckID] = &checks.Check{ID: r.CheckID, Title: r.Title, Severity: r.Severity,
				Controls: r.Controls, Remediation: r.Remediation}
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rules := make([]sarifRule, 0, len(ids))
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		rules = append(rules, sarifRuleFor(byID[id]))
	}
	return rules, index
}

func sarifRuleFor(c *checks.Check) sarifRule {
	controls := append([]string{}, c.Controls...)
	sortCriteria(controls)
	tags := []string{"security", "lambda", "aws"}
	if len(controls) > 0 {
		tags = append(tags, "soc2")
	}
	for _, k := range controls {
		tags = append(tags, "soc2/"+k)
	}
	full := c.Semantics
	if full == "" {
		full = c.Title + "."
	}
	return sarifRule{
		ID:                   c.ID,
		Name:                 pascal(c.Title),
		ShortDescription:     sarifText{Text: c.Title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifMultiText{Text: helpText(c, controls, full), Markdown: helpMarkdown(c, controls, full)},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(c.Severity)},
		Properties: sarifRuleProps{
			Tags: tags, SecuritySeverity: SecuritySeverity(c.Severity), Severity: c.Severity.String(), Controls: controls,
		},
	}
}

func criteriaText(controls []string) string {
	var parts []string
	for _, k := range controls {
		if n := CriterionName(k); n != "" {
			parts = append(parts, k+" ("+n+")")
		} else {
			parts = append(parts, k)
		}
	}
	return strings.Join(parts, ", ")
}

func helpText(c *checks.Check, controls []string, full string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (severity %s)\n\n%s\n", c.ID, c.Title, c.Severity, full)
	if c.Remediation != "" {
		fmt.Fprintf(&b, "\nRemediation: %s\n", c.Remediation)
	}
	if len(controls) > 0 {
		fmt.Fprintf(&b, "\nSOC 2 criteria: %s\n", criteriaText(controls))
	}
	if fs := familyNames(c); fs != "" {
		fmt.Fprintf(&b, "\nEvaluated on: %s\n", fs)
	}
	return b.String()
}

func helpMarkdown(c *checks.Check, controls []string, full string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s: %s** (severity: %s)\n\n%s\n", c.ID, mdInline(c.Title), c.Severity, full)
	if c.Remediation != "" {
		fmt.Fprintf(&b, "\n**Remediation:** %s\n", c.Remediation)
	}
	if len(controls) > 0 {
		fmt.Fprintf(&b, "\n**SOC 2 criteria:** %s\n", mdInline(criteriaText(controls)))
	}
	if fs := familyNames(c); fs != "" {
		fmt.Fprintf(&b, "\n**Evaluated on:** %s\n", fs)
	}
	return b.String()
}

func familyNames(c *checks.Check) string {
	var out []string
	for _, f := range sortedFamilies(c.Families) {
		out = append(out, familyName(inventory.Family(f)))
	}
	return strings.Join(out, ", ")
}

// mdInline escapes Markdown emphasis characters in plain text.
func mdInline(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "<", "&lt;").Replace(s)
}

// pascal turns a title into a rule name: "No plaintext secrets" -> "NoPlaintextSecrets".
func pascal(title string) string {
	var b strings.Builder
	up := true
	for _, r := range title {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			b.WriteRune(unicode.ToUpper(r))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// resourceLabel names a result's resource for people: "name (id)", or the one
// of them that is set when they are the same.
func resourceLabel(res result.Resource) string {
	switch {
	case res.Name == "" || res.Name == res.ID:
		return res.ID
	case res.ID == "":
		return res.Name
	}
	return res.Name + " (" + res.ID + ")"
}

func sarifMessage(r result.Result) string {
	var b strings.Builder
	if r.Status == result.Unknown {
		b.WriteString("Could not be evaluated (UNKNOWN, not a pass): ")
	}
	b.WriteString(resourceLabel(r.Resource))
	b.WriteString(": ")
	b.WriteString(r.Message)
	if r.Waiver != nil && r.Waiver.Expired {
		fmt.Fprintf(&b, " (waiver expired %s: %s)", r.Waiver.Expires, r.Waiver.Reason)
	}
	return b.String()
}

func sarifResultLocation(r result.Result) sarifLocation {
	logical := []sarifLogicalLocati{{Name: r.Resource.Name, FullyQualifiedName: firstNonEmpty(r.Resource.ARN, r.Resource.ID), Kind: "resource"}}
	if r.Location != nil && r.Location.File != "" {
		reg := &sarifRegion{StartLine: max(r.Location.Line, 1)}
		if r.Location.Line > 0 && r.Location.Column > 0 {
			reg.StartColumn = r.Location.Column
		}
		return sarifLocation{
			PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifactLocat{URI: sarifURI(r.Location.File), URIBaseID: sarifSrcRoot}, Region: reg},
			LogicalLocations: logical,
		}
	}
	return sarifLocation{
		PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifactLocat{URI: livePath(r.Resource), URIBaseID: sarifSrcRoot}, Region: &sarifRegion{StartLine: 1}},
		LogicalLocations: logical,
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// livePath is the synthetic relative path of a live resource:
// aws/ACCOUNT/REGION/KIND/NAME, each part escaped.
func livePath(res result.Resource) string {
	name := res.Name
	if name == "" {
		name = res.ID
	}
	parts := []string{"aws", orDash(res.Account), orDash(res.Region), orDash(res.Kind), orDash(name)}
	for i, p := range parts {
		parts[i] = escapeSegment(p)
	}
	return strings.Join(parts, "/")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// sarifURI turns a location's file into a relative URI reference: forward
// slashes, no leading "./" or "/", each segment percent-encoded (including
// ':' so that no segment reads as a URI scheme).
func sarifURI(file string) string {
	p := strings.ReplaceAll(file, `\`, "/")
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	p = strings.TrimLeft(p, "/")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = escapeSegment(s)
	}
	return strings.Join(segs, "/")
}

// escapeSegment percent-encodes everything in a path segment but RFC 3986
// unreserved characters and a few safe sub-delimiters.
func escapeSegment(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '!', c == '$', c == '&', c == '\'',
			c == '(', c == ')', c == '*', c == '+', c == ',', c == ';', c == '=', c == '@':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// fingerprint identifies a result across runs: check, resource and file, not
// the line (which moves when code above it changes).
func fingerprint(r result.Result) string {
	file := ""
	if r.Location != nil {
		file = r.Location.File
	}
	h := sha256.Sum256([]byte(strings.Join([]string{
		r.CheckID, r.Resource.Kind, r.Resource.ID, r.Resource.Account, r.Resource.Region, file,
	}, "\x00")))
	return hex.EncodeToString(h[:16])
}
