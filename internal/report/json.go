package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// SchemaVersion is the version of the JSON report's shape.
const SchemaVersion = 1

// jsonHead is the JSON document of the output spec up to the results, fields
// in its order; results and errors follow it.
type jsonHead struct {
	SchemaVersion int                `json:"schema_version"`
	Tool          result.Tool        `json:"tool"`
	Timestamp     string             `json:"timestamp,omitempty"`
	Sources       []inventory.Source `json:"sources"`
	Summary       jsonSummary        `json:"summary"`
}

type jsonSummary struct {
	Functions  int            `json:"functions"`
	Results    int            `json:"results"`
	Pass       int            `json:"pass"`
	Fail       int            `json:"fail"`
	Unknown    int            `json:"unknown"`
	Waived     int            `json:"waived"`
	BySeverity jsonBySeverity `json:"by_severity"`
}

// jsonBySeverity writes the FAIL counts from critical down to info, as the
// output spec shows them (a Go map would be written alphabetically).
type jsonBySeverity map[string]int

func (b jsonBySeverity) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	sevs := result.Severities()
	for i := len(sevs) - 1; i >= 0; i-- {
		name, _ := json.Marshal(sevs[i].String())
		count, _ := json.Marshal(b[sevs[i].String()])
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(count)
		if i > 0 {
			buf.WriteByte(',')
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// jsonWriter streams one JSON document with two-space indentation, encoding
// each value on its own, so that a report of many thousands of results is
// never held in memory whole. Symbolic ARNs (arn:aws:logs:<region>:...) and
// "->" chains are written as they are, not HTML-escaped.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v indented as if nested prefix-deep, without the encoder's
// trailing newline; trimEnd drops that many more bytes from the end (the
// head's closing brace).
func (j *jsonWriter) value(v any, prefix string, trimEnd int) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	enc := json.NewEncoder(&j.buf)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	if j.err = enc.Encode(v); j.err != nil {
		return
	}
	b := bytes.TrimSuffix(j.buf.Bytes(), []byte("\n"))
	_, j.err = j.w.Write(b[:len(b)-trimEnd])
}

// writeJSON writes the scan as the output spec's JSON document: all results
// of every status, lists always arrays (never null), two-space indent, and
// the scan time only with Timestamps.
func writeJSON(w io.Writer, s *result.Scan, opts Options) error {
	sum := result.Summarize(s)
	head := jsonHead{
		SchemaVersion: SchemaVersion,
		Tool:          s.Tool,
		Sources:       jsonNonNil(s.Sources),
		Summary: jsonSummary{
			Functions: sum.Functions, Results: sum.Results, Pass: sum.Pass, Fail: sum.Fail,
			Unknown: sum.Unknown, Waived: sum.Waived, BySeverity: jsonBySeverity(sum.BySeverity),
		},
	}
	if opts.Timestamps {
		head.Timestamp = s.Timestamp
	}
	j := &jsonWriter{w: bufio.NewWriterSize(w, 256<<10)}
	j.value(head, "", len("\n}"))
	j.raw(",\n  \"results\": [")
	var b []byte
	for i := range s.Results {
		if i > 0 {
			j.raw(",")
		}
		j.raw("\n    ")
		b = appendResultJSON(b[:0], &s.Results[i])
		if j.err == nil {
			_, j.err = j.w.Write(b)
		}
	}
	if len(s.Results) > 0 {
		j.raw("\n  ")
	}
	j.raw("],\n  \"errors\": ")
	j.value(jsonNonNil(s.Errors), "  ", 0)
	j.raw("\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// jsonNonNil returns s, or an empty slice for nil, so JSON shows [] not null.
func jsonNonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// appendResultJSON appends r as encoding/json would write it inside the
// results array (indented four spaces, two per level, HTML not escaped),
// without reflection: a large scan has tens of thousands of results. A test
// holds it to encoding/json's output and to Result's fields.
func appendResultJSON(b []byte, r *result.Result) []byte {
	const p = "\n    "
	b = append(b, '{')
	b = appendJSONField(b, p+`  "check_id": `, r.CheckID, true)
	b = appendJSONField(b, p+`  "title": `, r.Title, true)
	b = appendJSONField(b, p+`  "severity": `, r.Severity.String(), true)
	b = appendJSONField(b, p+`  "status": `, string(r.Status), true)
	b = append(b, p+`  "resource": {`...)
	b = appendJSONField(b, p+`    "kind": `, r.Resource.Kind, true)
	b = appendJSONField(b, p+`    "id": `, r.Resource.ID, true)
	b = appendJSONField(b, p+`    "name": `, r.Resource.Name, true)
	b = appendJSONField(b, p+`    "arn": `, r.Resource.ARN, true)
	b = appendJSONField(b, p+`    "account": `, r.Resource.Account, true)
	b = appendJSONField(b, p+`    "region": `, r.Resource.Region, false)
	b = append(b, p+`  },`...)
	if l := r.Location; l != nil {
		b = append(b, p+`  "location": {`...)
		b = appendJSONField(b, p+`    "file": `, l.File, true)
		b = append(b, p+`    "line": `...)
		b = strconv.AppendInt(b, int64(l.Line), 10)
		if l.Column != 0 {
			b = append(b, ","+p+`    "column": `...)
			b = strconv.AppendInt(b, int64(l.Column), 10)
		}
		b = append(b, p+`  },`...)
	}
	b = appendJSONField(b, p+`  "message": `, r.Message, true)
	if len(r.Controls) == 0 {
		b = append(b, p+`  "controls": [],`...)
	} else {
		b = append(b, p+`  "controls": [`...)
		for i, c := range r.Controls {
			b = appendJSONField(b, p+"    ", c, i < len(r.Controls)-1)
		}
		b = append(b, p+`  ],`...)
	}
	b = appendJSONField(b, p+`  "remediation": `, r.Remediation, true)
	if w := r.Waiver; w == nil {
		b = append(b, p+`  "waiver": null`...)
	} else {
		b = append(b, p+`  "waiver": {`...)
		b = appendJSONField(b, p+`    "reason": `, w.Reason, true)
		if w.Expires != "" {
			b = appendJSONField(b, p+`    "expires": `, w.Expires, true)
		}
		b = appendJSONField(b, p+`    "source": `, w.Source, w.Expired)
		if w.Expired {
			b = append(b, p+`    "expired": true`...)
		}
		b = append(b, p+`  }`...)
	}
	return append(b, p+"}"...)
}

// appendJSONField appends key (with its newline and indent), the JSON
// string s and, if comma, a comma.
func appendJSONField(b []byte, key, s string, comma bool) []byte {
	b = append(b, key...)
	b = appendJSONString(b, s)
	if comma {
		b = append(b, ',')
	}
	return b
}

// appendJSONString appends s as a JSON string. Plain printable ASCII is
// copied; anything else goes through encoding/json, so escaping is always
// exactly the standard library's (with HTML left as is).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s) // a string always encodes
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
