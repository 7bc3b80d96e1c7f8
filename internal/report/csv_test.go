package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// jsonColumns flattens the JSON field names of a struct type in order.
func jsonColumns(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, jsonColumns(ft, prefix+name+".")...)
			continue
		}
		out = append(out, prefix+name)
	}
	return out
}

// The header follows the JSON field order, so a field added to
// result.Result without a CSV column fails here.
func TestCSVHeaderIsJSONOrder(t *testing.T) {
	want := jsonColumns(reflect.TypeFor[result.Result](), "")
	if got := report.CSVHeader(); !reflect.DeepEqual(got, want) {
		t.Errorf("CSV header\n got %v\nwant %v", got, want)
	}
}

func TestCSV(t *testing.T) {
	s := reporttest.Scan()
	b := renderFormat(t, "csv", s, report.Options{})
	if !bytes.Equal(b, renderFormat(t, "csv", s, report.Options{})) {
		t.Fatal("not deterministic")
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if !reflect.DeepEqual(rows[0], report.CSVHeader()) {
		t.Fatalf("first row %v is not the header", rows[0])
	}
	if len(rows)-1 != len(s.Results) {
		t.Fatalf("%d rows for %d results", len(rows)-1, len(s.Results))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, r := range s.Results {
		row := rows[i+1]
		if row[col["check_id"]] != r.CheckID || row[col["status"]] != string(r.Status) || row[col["resource.id"]] != r.Resource.ID {
			t.Errorf("row %d = %v does not match result %s %s", i+1, row, r.CheckID, r.Resource.ID)
		}
		if got, want := row[col["controls"]], strings.Join(r.Controls, ";"); got != want {
			t.Errorf("row %d controls %q, want %q", i+1, got, want)
		}
		if r.Location == nil && row[col["location.file"]]+row[col["location.line"]] != "" {
			t.Errorf("row %d: live result has a location %v", i+1, row)
		}
		if r.Waiver != nil && r.Waiver.Expired && row[col["waiver.expired"]] != "true" {
			t.Errorf("row %d: expired waiver not marked", i+1)
		}
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d column %s starts with a formula character: %q", i+1, rows[0][j], cell)
			}
		}
	}
}

func TestCSVSafe(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{"+cmd", "'+cmd"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
	}
	for _, tc := range cases {
		if got := report.CSVSafe(tc.in); got != tc.want {
			t.Errorf("CSVSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCSVGolden(t *testing.T) {
	assertGolden(t, "fixture.csv", renderFormat(t, "csv", reporttest.Scan(), report.Options{}))
}

// The CSV columns follow the JSON report's own field order: flatten the keys
// of a result that has every nested object (location and waiver) set.
func TestCSVHeaderMatchesJSONOutput(t *testing.T) {
	w, err := report.Lookup("json")
	if err != nil {
		t.Fatal(err)
	}
	s := reporttest.Scan()
	var b bytes.Buffer
	if err := w(&b, s, report.Options{Checks: reporttest.Checks()}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for i, r := range s.Results {
		if r.Location == nil || r.Waiver == nil || r.Waiver.Expires == "" || !r.Waiver.Expired {
			continue
		}
		got := flattenKeys(t, json.NewDecoder(bytes.NewReader(doc.Results[i])), "")
		if !reflect.DeepEqual(got, report.CSVHeader()) {
			t.Errorf("JSON result keys\n%v\ndiffer from the CSV header\n%v", got, report.CSVHeader())
		}
		return
	}
	t.Fatal("the fixture has no result with a location and an expired, dated waiver")
}

// flattenKeys reads one JSON object and returns its keys in document order,
// nested objects flattened with dots, arrays as one key.
func flattenKeys(t *testing.T, d *json.Decoder, prefix string) []string {
	t.Helper()
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("want an object, got %v (%v)", tok, err)
	}
	var out []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		key := prefix + tok.(string)
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) > 0 && raw[0] == '{' {
			out = append(out, flattenKeys(t, json.NewDecoder(bytes.NewReader(raw)), key+".")...)
			continue
		}
		out = append(out, key)
	}
	return out
}
