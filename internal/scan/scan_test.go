package scan_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/scan/scantest"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
	"github.com/lambdawarden/lambdawarden/internal/waiver"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// writeInventory writes inv as a fake-source file.
func writeInventory(t *testing.T, path string, inv *inventory.Inventory) {
	t.Helper()
	data, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func fn(id, name string, line int, reserved bool, runtime inventory.Value[string]) *inventory.Function {
	f := scantest.Function(id, name, "x", line)
	f.Runtime = runtime
	if reserved {
		f.ReservedConcurrency = inventory.Of(5, srcloc.Location{File: "x", Line: line + 1})
	}
	return f
}

// fixture lays out two fake inputs, a broken one and an ignored folder.
func fixture(t *testing.T) string {
	dir := t.TempDir()
	py38 := inventory.Of("python3.8", srcloc.Location{})
	py312 := inventory.Of("python3.12", srcloc.Location{})
	writeInventory(t, filepath.Join(dir, "a", "main"+scantest.Suffix), &inventory.Inventory{
		Functions: []*inventory.Function{
			fn("aws_lambda_function.api", "orders-api", 10, false, py38),
			fn("aws_lambda_function.worker", "orders-worker", 40, true, py312),
		},
		Waivers: []inventory.InlineWaiver{{
			ResourceID: "aws_lambda_function.worker", File: "x", StartLine: 40, EndLine: 60,
			Check: "LW-T-02", Reason: "never fails anyway", Loc: srcloc.Location{File: "x", Line: 39},
		}},
	})
	writeInventory(t, filepath.Join(dir, "b", "main"+scantest.Suffix), &inventory.Inventory{
		Functions: []*inventory.Function{
			fn("aws_lambda_function.batch_a", "batch-a", 5, false, inventory.UnknownValue[string]("var.runtime has no value", srcloc.Location{})),
			fn("aws_lambda_function.batch_b", "batch-b", 25, false, py312),
		},
		Waivers: []inventory.InlineWaiver{{
			ResourceID: "aws_lambda_function.batch_b", File: "x", StartLine: 25, EndLine: 30,
			Check: "LW-T-01", Reason: "", Loc: srcloc.Location{File: "x", Line: 24},
		}},
	})
	if err := os.WriteFile(filepath.Join(dir, "broken"+scantest.Suffix), []byte("{\n  \"functions\": [\n    oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeInventory(t, filepath.Join(dir, "node_modules", "dep", "x"+scantest.Suffix), &inventory.Inventory{
		Functions: []*inventory.Function{fn("aws_lambda_function.vendored", "vendored", 1, false, py38)},
	})
	return dir
}

func baseOptions(dir string) scan.Options {
	return scan.Options{
		Paths:    []string{dir},
		Sources:  []scan.Source{&scantest.Source{}},
		Catalog:  scantest.Catalog(),
		Settings: checks.DefaultSettings(),
		Now:      now,
		Tool:     result.Tool{Name: "lambdawarden", Version: "test"},
		Waivers: []waiver.Rule{
			{Check: "LW-T-01", Resource: "aws_lambda_function.batch_*", Reason: "bounded by the SQS batch size", Source: "config"},
			{Check: "LW-T-01", Resource: "orders-api", Reason: "old waiver", Expires: "2025-01-31", Source: "config"},
		},
	}
}

type row struct {
	check, id string
	status    result.Status
	sev       result.Severity
	waived    bool
}

func rows(rs []result.Result) []row {
	var out []row
	for _, r := range rs {
		out = append(out, row{r.CheckID, r.Resource.ID, r.Status, r.Severity, r.Waiver != nil})
	}
	return out
}

func TestRun(t *testing.T) {
	dir := fixture(t)
	base := filepath.Base(dir)
	tests := []struct {
		name       string
		change     func(*scan.Options)
		wantRows   []row
		wantErrors []string // "source:line" prefixes
	}{
		{
			name: "defaults",
			wantRows: []row{
				{"LW-T-01", "aws_lambda_function.api", result.Fail, result.Low, true},
				{"LW-T-02", "aws_lambda_function.api", result.Fail, result.High, false},
				{"LW-T-01", "aws_lambda_function.worker", result.Pass, result.Low, false},
				{"LW-T-02", "aws_lambda_function.worker", result.Pass, result.High, false},
				{"LW-T-01", "aws_lambda_function.batch_a", result.Waived, result.Low, true},
				{"LW-T-02", "aws_lambda_function.batch_a", result.Unknown, result.High, false},
				{"LW-T-01", "aws_lambda_function.batch_b", result.Waived, result.Low, true},
				{"LW-T-02", "aws_lambda_function.batch_b", result.Pass, result.High, false},
			},
			wantErrors: []string{base + "/b/main.fake.json:24", base + "/broken.fake.json:3"},
		},
		{
			name: "severity override and min severity",
			change: func(o *scan.Options) {
				o.SeverityOverrides = map[string]result.Severity{"LW-T-01": result.Medium, "LW-T-02": result.Info}
				o.MinSeverity = result.Medium
			},
			wantRows: []row{
				{"LW-T-01", "aws_lambda_function.api", result.Fail, result.Medium, true},
				{"LW-T-01", "aws_lambda_function.worker", result.Pass, result.Medium, false},
				{"LW-T-01", "aws_lambda_function.batch_a", result.Waived, result.Medium, true},
				{"LW-T-01", "aws_lambda_function.batch_b", result.Waived, result.Medium, true},
			},
			wantErrors: []string{base + "/b/main.fake.json:24", base + "/broken.fake.json:3"},
		},
		{
			name: "selection and a panicking check",
			change: func(o *scan.Options) {
				o.Selection = checks.Selection{Only: []string{"LW-T-99", "LW-T-02"}}
				o.Paths = []string{filepath.Join(dir, "a")}
			},
			wantRows: []row{
				{"LW-T-02", "aws_lambda_function.api", result.Fail, result.High, false},
				{"LW-T-02", "aws_lambda_function.worker", result.Pass, result.High, false},
			},
			wantErrors: []string{"check LW-T-99"},
		},
		{
			name: "a panicking source and a missing path",
			change: func(o *scan.Options) {
				o.Sources = []scan.Source{&scantest.Source{PanicOn: "broken" + scantest.Suffix}}
				o.Paths = []string{filepath.Join(dir, "a"), filepath.Join(dir, "missing"), filepath.Join(dir, "broken"+scantest.Suffix)}
				o.Selection = checks.Selection{Only: []string{"LW-T-02"}}
			},
			wantRows: []row{
				{"LW-T-02", "aws_lambda_function.api", result.Fail, result.High, false},
				{"LW-T-02", "aws_lambda_function.worker", result.Pass, result.High, false},
			},
			wantErrors: []string{"broken.fake.json", "missing"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := baseOptions(dir)
			if tc.change != nil {
				tc.change(&opts)
			}
			out, err := scan.Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := rows(out.Scan.Results); !reflect.DeepEqual(got, tc.wantRows) {
				t.Errorf("results:\n got %v\nwant %v", got, tc.wantRows)
			}
			if len(out.Scan.Errors) != len(tc.wantErrors) {
				t.Fatalf("errors = %+v, want %d", out.Scan.Errors, len(tc.wantErrors))
			}
			for i, e := range out.Scan.Errors {
				where := e.Source
				if e.Line > 0 {
					where += ":" + itoa(e.Line)
				}
				if !strings.HasPrefix(where, tc.wantErrors[i]) {
					t.Errorf("error %d = %q (%s), want %q", i, where, e.Message, tc.wantErrors[i])
				}
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestRunWaiverDetails(t *testing.T) {
	out, err := scan.Run(context.Background(), baseOptions(fixture(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Scan.Results {
		switch {
		case r.CheckID == "LW-T-01" && r.Resource.Name == "orders-api":
			if r.Status != result.Fail || !strings.HasSuffix(r.Message, "(waiver expired 2025-01-31)") || r.Waiver == nil || !r.Waiver.Expired {
				t.Errorf("expired waiver: got %s %q %+v", r.Status, r.Message, r.Waiver)
			}
		case r.CheckID == "LW-T-01" && r.Resource.Name == "batch-b":
			// The inline waiver has no reason: it is not applied, the config one is.
			if r.Waiver == nil || r.Waiver.Source != "config" {
				t.Errorf("batch-b waiver = %+v, want the config rule", r.Waiver)
			}
		}
	}
	if out.Scan.Functions != 4 {
		t.Errorf("Functions = %d, want 4 (node_modules is not scanned)", out.Scan.Functions)
	}
	if len(out.UnusedWaivers) != 1 || !strings.Contains(out.UnusedWaivers[0], "LW-T-02") {
		t.Errorf("UnusedWaivers = %q, want the inline LW-T-02 waiver (the check passes)", out.UnusedWaivers)
	}
}

// TestRunDeterministic scans the same tree with one and with many workers:
// the JSON of the two scans must be identical.
func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 40; i++ {
		name := filepath.Join(dir, "svc"+itoa(i%7), "f"+itoa(i)+scantest.Suffix)
		writeInventory(t, name, &inventory.Inventory{Functions: []*inventory.Function{
			fn("aws_lambda_function.f", "f"+itoa(i), 1+i, i%3 == 0, inventory.Of("python3.8", srcloc.Location{})),
		}})
	}
	var outs [][]byte
	for _, workers := range []int{1, 8} {
		opts := baseOptions(dir)
		opts.Workers = workers
		calls := 0
		opts.Progress = func(done, total int) {
			calls++
			if done != calls || total != 40 {
				t.Errorf("progress(%d, %d) at call %d", done, total, calls)
			}
		}
		out, err := scan.Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(out.Scan)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, data)
	}
	if string(outs[0]) != string(outs[1]) {
		t.Errorf("scans with 1 and 8 workers differ:\n%s\n%s", outs[0], outs[1])
	}
}

// TestMerge fills every slice field of an inventory and checks Merge keeps
// each, so a field added to Inventory later is merged too.
func TestMerge(t *testing.T) {
	src := &inventory.Inventory{}
	v := reflect.ValueOf(src).Elem()
	fields := 0
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() != reflect.Slice {
			continue
		}
		fields++
		f.Set(reflect.Append(f, reflect.New(f.Type().Elem()).Elem()))
	}
	dst := &inventory.Inventory{}
	scan.Merge(dst, src)
	scan.Merge(dst, src)
	scan.Merge(dst, nil)
	d := reflect.ValueOf(dst).Elem()
	for i := 0; i < d.NumField(); i++ {
		if d.Field(i).Kind() == reflect.Slice && d.Field(i).Len() != 2 {
			t.Errorf("field %s has %d items after two merges, want 2", d.Type().Field(i).Name, d.Field(i).Len())
		}
	}
	if fields < 10 {
		t.Errorf("only %d slice fields found", fields)
	}
}
