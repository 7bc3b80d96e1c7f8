package report

// JUnit XML for CI test reports (Jenkins, GitLab, Azure DevOps, GitHub
// test-report actions).
//
// One <testsuite> per check that ran (Options.Checks, plus any check with
// results), sorted by ID; an empty suite means the check applied to nothing.
// One <testcase> per result: name is the resource ID, classname the check
// ID; file and line attributes carry the location. FAIL is a <failure>,
// UNKNOWN an <error> (type "UNKNOWN"), WAIVED <skipped message="waived:
// REASON">, PASS a plain testcase. When one check has several results for the
// same resource (package files), the location is added to the name so every
// testcase is distinct. Input errors get a last suite, "lambdawarden: input
// errors", with one <error> testcase each, so a broken file fails the CI
// report too. No time attributes: the output is deterministic. Text is
// escaped by encoding/xml, which also replaces characters XML 1.0 cannot
// hold with U+FFFD.

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func writeJUnit(w io.Writer, s *result.Scan, opts Options) error {
	doc := buildJUnit(s, opts.Checks)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

func buildJUnit(s *result.Scan, cs []*checks.Check) junitSuites {
	meta := map[string]*checks.Check{}
	for _, c := range cs {
		meta[c.ID] = c
	}
	byCheck := map[string][]result.Result{}
	for _, r := range s.Results {
		byCheck[r.CheckID] = append(byCheck[r.CheckID], r)
		if meta[r.CheckID] == nil {
			meta[r.CheckID] = &checks.Check{ID: r.CheckID, Title: r.Title, Severity: r.Severity, Controls: r.Controls}
		}
	}
	ids := make([]string, 0, len(meta))
	for id := range meta {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	doc := junitSuites{Name: toolName(s)}
	for _, id := range ids {
		c := meta[id]
		controls := append([]string{}, c.Controls...)
		sortCriteria(controls)
		suite := junitSuite{Name: id, Properties: []junitProperty{
			{Name: "title", Value: c.Title},
			{Name: "severity", Value: c.Severity.String()},
			{Name: "soc2", Value: strings.Join(controls, " ")},
		}, Cases: []junitCase{}}
		rs := byCheck[id]
		count := map[string]int{}
		for _, r := range rs {
			count[r.Resource.ID]++
		}
		for _, r := range rs {
			tc := junitCase{Name: r.Resource.ID, Classname: id}
			if count[r.Resource.ID] > 1 {
				tc.Name += " [" + locText(r) + "]"
			}
			if r.Location != nil {
				tc.File, tc.Line = r.Location.File, r.Location.Line
			}
			switch r.Status {
			case result.Fail:
				tc.Failure = &junitProblem{Message: r.Message, Type: r.Severity.String(), Text: junitDetail(r)}
				suite.Failures++
			case result.Unknown:
				tc.Error = &junitProblem{Message: "could not be evaluated: " + r.Message, Type: "UNKNOWN", Text: junitDetail(r)}
				suite.Errors++
			case result.Waived:
				reason := ""
				if r.Waiver != nil {
					reason = r.Waiver.Reason
				}
				tc.Skipped = &junitSkipped{Message: "waived: " + reason}
				tc.SystemOut = junitDetail(r)
				suite.Skipped++
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, tc)
		}
		doc.Suites = append(doc.Suites, suite)
	}
	if len(s.Errors) > 0 {
		suite := junitSuite{Name: "lambdawarden: input errors"}
		for _, e := range s.Errors {
			name := e.Source
			if e.Line > 0 {
				name += ":" + strconv.Itoa(e.Line)
			}
			suite.Cases = append(suite.Cases, junitCase{Name: name, Classname: "lambdawarden.input",
				Error: &junitProblem{Message: e.Message, Type: "input error", Text: errorText(e.Source, e.Line, e.Message)}})
			suite.Tests++
			suite.Errors++
		}
		doc.Suites = append(doc.Suites, suite)
	}
	for _, su := range doc.Suites {
		doc.Tests += su.Tests
		doc.Failures += su.Failures
		doc.Errors += su.Errors
		doc.Skipped += su.Skipped
	}
	return doc
}

func locText(r result.Result) string {
	if r.Location != nil && r.Location.File != "" {
		return r.Location.String()
	}
	return firstNonEmpty(r.Resource.Account+"/"+r.Resource.Region, r.Message)
}

// junitDetail is the body of a failure, error or skip: everything a reader of
// the CI report needs without opening another report.
func junitDetail(r result.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s\n", r.CheckID, r.Severity, r.Title)
	fmt.Fprintf(&b, "Status: %s\n", r.Status)
	fmt.Fprintf(&b, "Resource: %s %s\n", r.Resource.Kind, resourceLabel(r.Resource))
	if r.Resource.ARN != "" {
		fmt.Fprintf(&b, "ARN: %s\n", r.Resource.ARN)
	}
	if r.Location != nil && r.Location.File != "" {
		fmt.Fprintf(&b, "Location: %s\n", r.Location)
	} else if r.Resource.Account != "" || r.Resource.Region != "" {
		fmt.Fprintf(&b, "Account: %s, region: %s\n", r.Resource.Account, r.Resource.Region)
	}
	fmt.Fprintf(&b, "Message: %s\n", r.Message)
	if r.Remediation != "" {
		fmt.Fprintf(&b, "Remediation: %s\n", r.Remediation)
	}
	if len(r.Controls) > 0 {
		fmt.Fprintf(&b, "SOC 2: %s\n", strings.Join(r.Controls, ", "))
	}
	if wv := r.Waiver; wv != nil {
		exp := wv.Expires
		if exp == "" {
			exp = "none"
		}
		state := "valid"
		if wv.Expired {
			state = "EXPIRED"
		}
		fmt.Fprintf(&b, "Waiver (%s): %s; expires %s; from %s\n", state, wv.Reason, exp, wv.Source)
	}
	return b.String()
}
