// Package evidence writes and verifies the auditor evidence pack of
// `lambdawarden evidence` (check spec, "Evidence"): a folder or a zip with
//
//	manifest.json     tool version, scan time, sources, accounts, regions,
//	                  summary, and the SHA-256 and size of every other file
//	summary.html      the HTML report
//	results.json      the JSON report
//	results.csv       the CSV report
//	controls.csv      per SOC 2 criterion: checks, results, pass/fail/unknown/waived
//	waivers.csv       every waived result and every expired waiver, with reasons
//	functions/NAME/   per Lambda function:
//	  configuration.json    the configuration; environment values REDACTED
//	  execution-role.json   trust policy and every inline and attached policy document
//	  resource-policy.json  resource-based policy statements and function URLs
//	  log-group.json        the log group and its retention
//
// Settings are written as {"state": "known"|"absent"|"unknown", "value",
// "why", "set_at"}: absent means the source does not set it (the AWS default
// applies), unknown that it is set but could not be resolved.
//
// The pack never holds a secret value: every environment variable value is
// replaced by REDACTED (names are kept), and the reports only carry redacted
// messages. A zip is deterministic: the same scan, inventory and Options.Time
// give the same bytes (sorted entries, every modification time set to the
// scan time, Deflate at a fixed level).
package evidence

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// ManifestName is the manifest's file name at the root of a pack.
const ManifestName = "manifest.json"

// Redacted replaces every environment variable value in the pack.
const Redacted = "REDACTED"

// Options configure an evidence pack.
type Options struct {
	// Time is the scan time: written to the manifest and the reports, and
	// used as every file's modification time. Required (the CLI passes
	// --timestamp, or the current time).
	Time time.Time
	// Checks are the checks that ran (rules of the reports, rows of controls.csv).
	Checks []*checks.Check
	// AWSManaged looks up AWS-managed policy documents by ARN; nil uses
	// iampolicy.AWSManaged (the embedded snapshot).
	AWSManaged func(nameOrARN string) (*iampolicy.ManagedPolicy, bool)
	// Lookup returns report writers; nil uses report.Lookup.
	Lookup func(format string) (report.Writer, error)
}

// Written describes a pack that Write produced.
type Written struct {
	// Path is the folder or zip written.
	Path string
	// Zip is true for a zip file.
	Zip bool
	// Files is the number of files, the manifest included.
	Files int
	// ManifestSHA256 is the SHA-256 of manifest.json (hex): recorded
	// elsewhere, it lets an auditor trust the manifest itself.
	ManifestSHA256 string
}

// Manifest is manifest.json.
type Manifest struct {
	SchemaVersion int                `json:"schema_version"`
	Tool          result.Tool        `json:"tool"`
	ScanTime      string             `json:"scan_time"`
	Sources       []inventory.Source `json:"sources"`
	Accounts      []string           `json:"accounts"`
	Regions       []string           `json:"regions"`
	Summary       result.Summary     `json:"summary"`
	Checks        []string           `json:"checks"`
	Functions     []FunctionEntry    `json:"functions"`
	Errors        []inventory.Error  `json:"errors"`
	Files         []File             `json:"files"`
}

// FunctionEntry names a function and its folder in the pack.
type FunctionEntry struct {
	Name    string               `json:"name"`
	ID      string               `json:"id"`
	Source  inventory.SourceKind `json:"source"`
	Account string               `json:"account,omitempty"`
	Region  string               `json:"region,omitempty"`
	Folder  string               `json:"folder"`
}

// File is one file of the pack with its hash.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Write builds the evidence pack for scan and inv and writes it to out: a zip
// when out ends in ".zip" (case-insensitive), else a folder, which must not
// exist or be empty. A zip is written to a temporary file beside out and
// renamed, so a failed run leaves no partial pack.
func Write(ctx context.Context, out string, scan *result.Scan, inv *inventory.Inventory, opts Options) (*Written, error) {
	if scan == nil {
		return nil, errors.New("evidence: no scan")
	}
	if opts.Time.IsZero() {
		return nil, errors.New("evidence: the scan time (Options.Time) is required")
	}
	if inv == nil {
		inv = &inventory.Inventory{}
	}
	if opts.AWSManaged == nil {
		opts.AWSManaged = iampolicy.AWSManaged
	}
	if opts.Lookup == nil {
		opts.Lookup = report.Lookup
	}
	files, err := build(ctx, scan, inv, opts)
	if err != nil {
		return nil, err
	}
	w := &Written{Path: out, Files: len(files), ManifestSHA256: sha(files[ManifestName])}
	mtime := opts.Time.UTC().Truncate(time.Second)
	if strings.HasSuffix(strings.ToLower(out), ".zip") {
		w.Zip = true
		err = writeZip(ctx, out, files, mtime)
	} else {
		err = writeDir(ctx, out, files, mtime)
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// build returns every file of the pack by its slash-separated path.
func build(ctx context.Context, scan *result.Scan, inv *inventory.Inventory, opts Options) (map[string][]byte, error) {
	s := *scan
	s.Timestamp = opts.Time.UTC().Format(time.RFC3339)
	ropts := report.Options{Checks: opts.Checks, Timestamps: true}
	files := map[string][]byte{}
	for _, f := range []struct{ name, format string }{
		{"results.json", "json"}, {"results.csv", "csv"}, {"summary.html", "html"},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wr, err := opts.Lookup(f.format)
		if err != nil {
			return nil, fmt.Errorf("evidence: %s: %w", f.name, err)
		}
		var b bytes.Buffer
		if err := wr(&b, &s, ropts); err != nil {
			return nil, fmt.Errorf("evidence: %s: %w", f.name, err)
		}
		files[f.name] = b.Bytes()
	}
	var err error
	if files["controls.csv"], err = controlsCSV(&s, opts.Checks); err != nil {
		return nil, err
	}
	if files["waivers.csv"], err = waiversCSV(&s); err != nil {
		return nil, err
	}

	idx := inventory.NewIndex(inv)
	fns := sortedFunctions(inv.Functions)
	folders := folderNames(fns)
	var entries []FunctionEntry
	for i, f := range fns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dir := "functions/" + folders[i] + "/"
		docs := map[string]any{
			"configuration.json":   configuration(idx, f),
			"execution-role.json":  executionRole(idx, f, opts.AWSManaged),
			"resource-policy.json": resourcePolicy(idx, f),
			"log-group.json":       logGroup(idx, f),
		}
		for name, doc := range docs {
			b, err := marshal(doc)
			if err != nil {
				return nil, fmt.Errorf("evidence: %s%s: %w", dir, name, err)
			}
			files[dir+name] = b
		}
		entries = append(entries, FunctionEntry{Name: f.DisplayName(), ID: f.ID, Source: f.Source,
			Account: f.Account, Region: f.Region, Folder: "functions/" + folders[i]})
	}

	m := Manifest{
		SchemaVersion: 1, Tool: s.Tool, ScanTime: s.Timestamp,
		Sources:  nonNil(s.Sources),
		Accounts: accounts(&s, inv), Regions: regions(&s, inv),
		Summary: result.Summarize(&s), Checks: []string{}, Functions: nonNil(entries), Errors: nonNil(s.Errors),
	}
	for _, c := range opts.Checks {
		m.Checks = append(m.Checks, c.ID)
	}
	sort.Strings(m.Checks)
	for _, p := range sortedPaths(files) {
		m.Files = append(m.Files, File{Path: p, SHA256: sha(files[p]), Size: int64(len(files[p]))})
	}
	mb, err := marshal(m)
	if err != nil {
		return nil, fmt.Errorf("evidence: manifest: %w", err)
	}
	files[ManifestName] = mb
	return files, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func sortedPaths(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for p := range files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// placeholder reports whether s is a symbolic account or region such as <account>.
func placeholder(s string) bool { return s == "" || strings.HasPrefix(s, "<") }

func accounts(s *result.Scan, inv *inventory.Inventory) []string {
	set := map[string]bool{}
	for _, a := range s.Accounts {
		set[a] = true
	}
	for _, f := range inv.Functions {
		if !placeholder(f.Account) {
			set[f.Account] = true
		}
	}
	for _, a := range inv.Accounts {
		if !placeholder(a.AccountID) {
			set[a.AccountID] = true
		}
	}
	return sortedSet(set)
}

func regions(s *result.Scan, inv *inventory.Inventory) []string {
	set := map[string]bool{}
	for _, r := range s.Regions {
		set[r] = true
	}
	for _, f := range inv.Functions {
		if !placeholder(f.Region) {
			set[f.Region] = true
		}
	}
	for _, a := range inv.Accounts {
		if !placeholder(a.Region) {
			set[a.Region] = true
		}
	}
	return sortedSet(set)
}

func sortedSet(set map[string]bool) []string {
	out := []string{}
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// controlsCSV has one row per SOC 2 criterion: the checks that ran for it and
// how their results came out.
func controlsCSV(s *result.Scan, cs []*checks.Check) ([]byte, error) {
	type row struct {
		checks                            map[string]bool
		failing                           map[string]bool
		results, pass, fail, unkn, waived int
	}
	rows := map[string]*row{}
	get := func(k string) *row {
		if rows[k] == nil {
			rows[k] = &row{checks: map[string]bool{}, failing: map[string]bool{}}
		}
		return rows[k]
	}
	for _, k := range report.SOC2Criteria() {
		get(k.ID)
	}
	for _, c := range cs {
		for _, k := range c.Controls {
			get(k).checks[c.ID] = true
		}
	}
	for _, r := range s.Results {
		seen := map[string]bool{}
		for _, k := range r.Controls {
			if seen[k] {
				continue
			}
			seen[k] = true
			x := get(k)
			x.checks[r.CheckID] = true
			x.results++
			switch r.Status {
			case result.Pass:
				x.pass++
			case result.Fail:
				x.fail++
				x.failing[r.CheckID] = true
			case result.Unknown:
				x.unkn++
			case result.Waived:
				x.waived++
			}
		}
	}
	ids := make([]string, 0, len(rows))
	for k := range rows {
		ids = append(ids, k)
	}
	order := map[string]int{}
	for i, k := range report.SOC2Criteria() {
		order[k.ID] = i + 1
	}
	sort.Slice(ids, func(i, j int) bool {
		oi, oj := order[ids[i]], order[ids[j]]
		if oi == 0 {
			oi = 1 << 20
		}
		if oj == 0 {
			oj = 1 << 20
		}
		if oi != oj {
			return oi < oj
		}
		return ids[i] < ids[j]
	})
	recs := [][]string{{"criterion", "name", "checks", "results", "pass", "fail", "unknown", "waived", "failing_checks"}}
	for _, k := range ids {
		x := rows[k]
		recs = append(recs, []string{k, report.CriterionName(k), strings.Join(sortedSet(x.checks), ";"),
			strconv.Itoa(x.results), strconv.Itoa(x.pass), strconv.Itoa(x.fail), strconv.Itoa(x.unkn), strconv.Itoa(x.waived),
			strings.Join(sortedSet(x.failing), ";")})
	}
	return csvBytes(recs)
}

// waiversCSV lists every result with a waiver: WAIVED ones and FAILs whose
// waiver expired.
func waiversCSV(s *result.Scan) ([]byte, error) {
	recs := [][]string{{"check_id", "title", "severity", "status", "resource.kind", "resource.id", "resource.name",
		"location.file", "location.line", "waiver.reason", "waiver.expires", "waiver.expired", "waiver.source", "message"}}
	for _, r := range s.Results {
		w := r.Waiver
		if w == nil {
			continue
		}
		var file, line string
		if r.Location != nil {
			file = r.Location.File
			if r.Location.Line > 0 {
				line = strconv.Itoa(r.Location.Line)
			}
		}
		recs = append(recs, []string{r.CheckID, r.Title, r.Severity.String(), string(r.Status), r.Resource.Kind,
			r.Resource.ID, r.Resource.Name, file, line, w.Reason, w.Expires, strconv.FormatBool(w.Expired), w.Source, r.Message})
	}
	return csvBytes(recs)
}

func csvBytes(recs [][]string) ([]byte, error) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	for i, rec := range recs {
		if i > 0 {
			for j := range rec {
				rec[j] = report.CSVSafe(rec[j])
			}
		}
		if err := cw.Write(rec); err != nil {
			return nil, fmt.Errorf("evidence: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("evidence: csv: %w", err)
	}
	return b.Bytes(), nil
}

func writeZip(ctx context.Context, out string, files map[string][]byte, mtime time.Time) error {
	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("evidence: create %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	zw := zip.NewWriter(tmp)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, p := range sortedPaths(files) {
		if err := ctx.Err(); err != nil {
			tmp.Close()
			return err
		}
		h := &zip.FileHeader{Name: p, Method: zip.Deflate, Modified: mtime}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			tmp.Close()
			return fmt.Errorf("evidence: zip %s: %w", p, err)
		}
		if _, err := fw.Write(files[p]); err != nil {
			tmp.Close()
			return fmt.Errorf("evidence: zip %s: %w", p, err)
		}
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return fmt.Errorf("evidence: zip %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("evidence: write %s: %w", out, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("evidence: write %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("evidence: write %s: %w", out, err)
	}
	return nil
}

func writeDir(ctx context.Context, out string, files map[string][]byte, mtime time.Time) error {
	if ents, err := os.ReadDir(out); err == nil && len(ents) > 0 {
		return fmt.Errorf("evidence: %s exists and is not empty", out)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("evidence: %s: %w", out, err)
	}
	for _, p := range sortedPaths(files) {
		if err := ctx.Err(); err != nil {
			return err
		}
		full := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if err := os.Chtimes(full, mtime, mtime); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
	}
	return nil
}

// sortedFunctions orders functions by name, account, region, source and ID,
// so folder numbering is stable.
func sortedFunctions(fs []*inventory.Function) []*inventory.Function {
	out := append([]*inventory.Function(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		ka := []string{a.DisplayName(), a.Account, a.Region, string(a.Source), a.Origin, a.ID}
		kb := []string{b.DisplayName(), b.Account, b.Region, string(b.Source), b.Origin, b.ID}
		for k := range ka {
			if ka[k] != kb[k] {
				return ka[k] < kb[k]
			}
		}
		return false
	})
	return out
}

// folderNames gives each function a folder name that is safe on every file
// system and unique even where names differ only in case.
func folderNames(fs []*inventory.Function) []string {
	used := map[string]bool{}
	out := make([]string, len(fs))
	for i, f := range fs {
		base := SafeName(f.DisplayName())
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		used[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

// SafeName turns a function name into a folder name: letters, digits, '.',
// '-' and '_' are kept, anything else becomes '_'; leading dots are dropped
// (no hidden or parent folders); Windows device names get a '_' prefix; at
// most 80 bytes; "function" when nothing is left.
func SafeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	s = strings.TrimRight(s, ". ")
	if len(s) > 80 {
		s = s[:80]
	}
	if s == "" {
		return "function"
	}
	stem := strings.ToUpper(s)
	if i := strings.IndexByte(stem, '.'); i >= 0 {
		stem = stem[:i]
	}
	switch stem {
	case "CON", "PRN", "AUX", "NUL",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	return s
}

// safePath reports whether a pack path is relative, slash-separated and stays
// inside the pack.
func safePath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) || strings.Contains(p, ":") {
		return false
	}
	c := path.Clean(p)
	return c == p && c != "." && !strings.HasPrefix(c, "../") && c != ".."
}
