package report

// CSV for spreadsheets: a header row, then one row per result, columns in the
// JSON field order of result.Result, flattened with dots (see CSVHeader).
// List values (controls) are joined with ";". Booleans are "true"/"false",
// absent values empty.
//
// Formula injection: a spreadsheet runs a cell that starts with =, +, -, @,
// a tab or a carriage return as a formula. Any such cell is written with a
// leading apostrophe ('), which spreadsheets show as text; the apostrophe is
// the only change. Numeric columns (location.line, location.column) are
// never negative, so they are never prefixed.

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

// CSVHeader returns the CSV columns: result.Result's JSON fields in order,
// nested objects flattened with dots.
func CSVHeader() []string {
	return []string{
		"check_id", "title", "severity", "status",
		"resource.kind", "resource.id", "resource.name", "resource.arn", "resource.account", "resource.region",
		"location.file", "location.line", "location.column",
		"message", "controls", "remediation",
		"waiver.reason", "waiver.expires", "waiver.source", "waiver.expired",
	}
}

// CSVRecord returns the CSV cells of one result, in CSVHeader order, with
// formula-injection protection applied.
func CSVRecord(r result.Result) []string {
	var file, line, col string
	if r.Location != nil {
		file = r.Location.File
		if r.Location.Line > 0 {
			line = strconv.Itoa(r.Location.Line)
		}
		if r.Location.Column > 0 {
			col = strconv.Itoa(r.Location.Column)
		}
	}
	var wr, we, ws, wx string
	if w := r.Waiver; w != nil {
		wr, we, ws, wx = w.Reason, w.Expires, w.Source, strconv.FormatBool(w.Expired)
	}
	rec := []string{
		r.CheckID, r.Title, r.Severity.String(), string(r.Status),
		r.Resource.Kind, r.Resource.ID, r.Resource.Name, r.Resource.ARN, r.Resource.Account, r.Resource.Region,
		file, line, col,
		r.Message, strings.Join(r.Controls, ";"), r.Remediation,
		wr, we, ws, wx,
	}
	for i := range rec {
		rec[i] = CSVSafe(rec[i])
	}
	return rec
}

// CSVSafe protects a cell against formula injection: a value starting with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe.
func CSVSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func writeCSV(w io.Writer, s *result.Scan, opts Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader()); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, r := range s.Results {
		if err := cw.Write(CSVRecord(r)); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
