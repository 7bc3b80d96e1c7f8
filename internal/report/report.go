// Package report writes scan results in the formats of the output spec:
// text, JSON, SARIF, JUnit, CSV and HTML.
package report

import (
	"fmt"
	"io"
	"sort"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// Options change how a report is written.
type Options struct {
	// Color turns on ANSI colour (text only; the CLI sets it only for terminals).
	Color bool
	// ShowPass lists PASS results in text output (--all).
	ShowPass bool
	// Timestamps adds the scan time where a format has a place for it.
	Timestamps bool
	// Checks are the checks that ran (rules in SARIF, catalog data in HTML).
	Checks []*checks.Check
}

// Writer writes one format.
type Writer func(w io.Writer, s *result.Scan, opts Options) error

// Formats are the format names, sorted.
func Formats() []string {
	names := []string{"text", "json", "sarif", "junit", "csv", "html"}
	sort.Strings(names)
	return names
}

// Lookup returns the writer of a format.
func Lookup(format string) (Writer, error) {
	switch format {
	case "text":
		return writeText, nil
	case "json":
		return writeJSON, nil
	case "sarif":
		return writeSARIF, nil
	case "junit":
		return writeJUnit, nil
	case "csv":
		return writeCSV, nil
	case "html":
		return writeHTML, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
}
