package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/evidence"
	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var scanTime = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// lookup returns the real report writers; a writer another engineer has not
// finished yet (it says "not built yet") is replaced by a stand-in, with a
// log line, so that the pack's own logic stays tested meanwhile.
func lookup(t *testing.T) func(string) (report.Writer, error) {
	return func(format string) (report.Writer, error) {
		w, err := report.Lookup(format)
		if err != nil {
			return nil, err
		}
		if perr := w(io.Discard, &result.Scan{}, report.Options{}); perr != nil && strings.Contains(perr.Error(), "not built yet") {
			t.Logf("%s writer not built yet: using a stand-in", format)
			return func(w io.Writer, s *result.Scan, _ report.Options) error {
				return json.NewEncoder(w).Encode(s)
			}, nil
		}
		return w, nil
	}
}

func options(t *testing.T) evidence.Options {
	return evidence.Options{Time: scanTime, Checks: reporttest.Checks(), AWSManaged: reporttest.ManagedPolicies, Lookup: lookup(t)}
}

func writePack(t *testing.T, out string) *evidence.Written {
	t.Helper()
	w, err := evidence.Write(context.Background(), out, reporttest.Scan(), reporttest.Inventory(), options(t))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

var wantFiles = []string{
	"controls.csv",
	"functions/aws_lambda_function.batch_worker__img__/configuration.json",
	"functions/aws_lambda_function.batch_worker__img__/execution-role.json",
	"functions/aws_lambda_function.batch_worker__img__/log-group.json",
	"functions/aws_lambda_function.batch_worker__img__/resource-policy.json",
	"functions/orders-api-2/configuration.json",
	"functions/orders-api-2/execution-role.json",
	"functions/orders-api-2/log-group.json",
	"functions/orders-api-2/resource-policy.json",
	"functions/orders-api/configuration.json",
	"functions/orders-api/execution-role.json",
	"functions/orders-api/log-group.json",
	"functions/orders-api/resource-policy.json",
	"functions/orders_fn_nested/configuration.json",
	"functions/orders_fn_nested/execution-role.json",
	"functions/orders_fn_nested/log-group.json",
	"functions/orders_fn_nested/resource-policy.json",
	"functions/payments/configuration.json",
	"functions/payments/execution-role.json",
	"functions/payments/log-group.json",
	"functions/payments/resource-policy.json",
	"manifest.json",
	"results.csv",
	"results.json",
	"summary.html",
	"waivers.csv",
}

// readPack returns every file of a folder or zip pack.
func readPack(t *testing.T, path string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(path, p)
			b, err := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestWriteAndVerify(t *testing.T) {
	for _, name := range []string{"pack", "pack.zip", "PACK.ZIP"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), name)
			w := writePack(t, out)
			if w.Zip != strings.HasSuffix(strings.ToLower(name), ".zip") || w.Files != len(wantFiles) {
				t.Errorf("Written %+v", w)
			}
			files := readPack(t, out)
			if got := keys(files); !reflect.DeepEqual(got, wantFiles) {
				t.Fatalf("files\n got %v\nwant %v", got, wantFiles)
			}
			rep, err := evidence.Verify(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK() || rep.Checked != len(wantFiles)-1 || rep.ManifestSHA256 != w.ManifestSHA256 {
				t.Errorf("fresh pack does not verify: %+v (written %+v)", rep, w)
			}
		})
	}
}

func TestManifest(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pack")
	writePack(t, out)
	files := readPack(t, out)
	var m evidence.Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	if m.Tool.Version != "0.1.0" || m.ScanTime != "2026-11-21T10:00:00Z" {
		t.Errorf("tool %+v scan time %q", m.Tool, m.ScanTime)
	}
	if !reflect.DeepEqual(m.Accounts, []string{"123456789012"}) || !reflect.DeepEqual(m.Regions, []string{"eu-west-1"}) {
		t.Errorf("accounts %v regions %v", m.Accounts, m.Regions)
	}
	if len(m.Sources) != 4 || len(m.Functions) != 5 || len(m.Checks) != len(reporttest.Checks()) || len(m.Errors) != 2 {
		t.Errorf("sources %d functions %d checks %d errors %d", len(m.Sources), len(m.Functions), len(m.Checks), len(m.Errors))
	}
	if m.Summary.Fail != 8 || m.Summary.Waived != 2 {
		t.Errorf("summary %+v", m.Summary)
	}
	if len(m.Files) != len(wantFiles)-1 {
		t.Fatalf("%d files in the manifest, want every file but the manifest (%d)", len(m.Files), len(wantFiles)-1)
	}
	for _, f := range m.Files {
		if f.Path == "manifest.json" || len(f.SHA256) != 64 || f.Size != int64(len(files[f.Path])) {
			t.Errorf("manifest entry %+v", f)
		}
	}
	// The reports inside carry the scan time.
	if !bytes.Contains(files["summary.html"], []byte("21 November 2026, 10:00 UTC")) {
		t.Error("summary.html lacks the scan time")
	}
}

func TestZipDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.zip"), filepath.Join(dir, "b.zip")
	writePack(t, a)
	writePack(t, b)
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Fatal("same input and time gave different zips")
	}
	zr, err := zip.OpenReader(a)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(scanTime) || f.Method != zip.Deflate {
			t.Errorf("%s: modified %v method %d", f.Name, f.Modified, f.Method)
		}
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("entries not sorted: %v", names)
	}
	opts := options(t)
	opts.Time = scanTime.Add(time.Hour)
	c := filepath.Join(dir, "c.zip")
	if _, err := evidence.Write(context.Background(), c, reporttest.Scan(), reporttest.Inventory(), opts); err != nil {
		t.Fatal(err)
	}
	if cb, _ := os.ReadFile(c); bytes.Equal(ab, cb) {
		t.Error("a different scan time gave the same zip")
	}
}

func TestVerifyFolderTampering(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pack")
	writePack(t, out)
	mod := filepath.Join(out, "functions", "payments", "execution-role.json")
	b, _ := os.ReadFile(mod)
	if err := os.WriteFile(mod, bytes.Replace(b, []byte(`"*"`), []byte(`"lambda.amazonaws.com"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, "waivers.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "functions", "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := evidence.Verify(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"functions/notes.txt: extra",
		"functions/payments/execution-role.json: modified",
		"waivers.csv: missing",
	}
	if got := kinds(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("problems\n got %v\nwant %v", got, want)
	}
	if rep.OK() {
		t.Error("tampered pack verifies")
	}
}

func kinds(rep evidence.Report) []string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, p.Path+": "+p.Kind)
	}
	return out
}

// rezip copies a zip, letting edit change, drop (nil) or add entries.
func rezip(t *testing.T, src, dst string, edit func(name string, b []byte) []byte, add map[string][]byte) {
	t.Helper()
	files := readPack(t, src)
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range keys(files) {
		b := edit(name, files[name])
		if b == nil {
			continue
		}
		w, _ := zw.Create(name)
		w.Write(b)
	}
	for _, name := range keys(add) {
		w, _ := zw.Create(name)
		w.Write(add[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestVerifyZipTampering(t *testing.T) {
	dir := t.TempDir()
	orig := filepath.Join(dir, "pack.zip")
	writePack(t, orig)
	same := func(_ string, b []byte) []byte { return b }
	cases := []struct {
		name string
		edit func(string, []byte) []byte
		add  map[string][]byte
		want []string
	}{
		{"untouched copy", same, nil, nil},
		{"modified", func(n string, b []byte) []byte {
			if n == "results.csv" {
				return append(b, "x\n"...)
			}
			return b
		}, nil, []string{"results.csv: modified"}},
		{"missing", func(n string, b []byte) []byte {
			if n == "functions/orders-api/log-group.json" {
				return nil
			}
			return b
		}, nil, []string{"functions/orders-api/log-group.json: missing"}},
		{"extra", same, map[string][]byte{"extra.txt": []byte("x")}, []string{"extra.txt: extra"}},
		{"duplicate", same, map[string][]byte{"controls.csv": []byte("x")}, []string{"controls.csv: duplicate"}},
		{"unsafe", same, map[string][]byte{"../escape.txt": []byte("x")}, []string{"../escape.txt: unsafe"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".zip")
			rezip(t, orig, dst, tc.edit, tc.add)
			rep, err := evidence.Verify(context.Background(), dst)
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(rep); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestVerifyUnreadable(t *testing.T) {
	dir := t.TempDir()
	if _, err := evidence.Verify(context.Background(), filepath.Join(dir, "none")); err == nil {
		t.Error("missing pack verified")
	}
	if err := os.WriteFile(filepath.Join(dir, "x.zip"), []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.Verify(context.Background(), filepath.Join(dir, "x.zip")); err == nil {
		t.Error("garbage verified")
	}
	if _, err := evidence.Verify(context.Background(), dir); err == nil {
		t.Error("folder without a manifest verified")
	}
}

func TestWriteRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := evidence.Write(context.Background(), dir, reporttest.Scan(), reporttest.Inventory(), options(t)); err == nil {
		t.Error("wrote into a non-empty folder")
	}
	opts := options(t)
	opts.Time = time.Time{}
	if _, err := evidence.Write(context.Background(), filepath.Join(dir, "p"), reporttest.Scan(), reporttest.Inventory(), opts); err == nil {
		t.Error("wrote without a scan time")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := evidence.Write(ctx, filepath.Join(dir, "c.zip"), reporttest.Scan(), reporttest.Inventory(), options(t)); err == nil {
		t.Error("wrote with a cancelled context")
	}
	if _, err := os.Stat(filepath.Join(dir, "c.zip")); err == nil {
		t.Error("a cancelled zip was left behind")
	}
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// get walks a decoded JSON document: keys for objects, indexes for arrays.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, k)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no index %d", path, k)
			}
			v = a[k]
		}
	}
	return v
}

func TestFunctionFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pack")
	writePack(t, out)
	files := readPack(t, out)

	cfg := decode(t, files["functions/orders-api/configuration.json"])
	vars := get(t, cfg, "environment", "value").([]any)
	if len(vars) != 3 {
		t.Fatalf("environment %v", vars)
	}
	for _, v := range vars {
		if get(t, v, "value") != evidence.Redacted || get(t, v, "name") == "" {
			t.Errorf("environment variable %v not redacted or unnamed", v)
		}
	}
	if get(t, cfg, "runtime", "value") != "python3.12" || get(t, cfg, "kms_key_arn", "state") != "absent" {
		t.Errorf("configuration %v", cfg)
	}
	img := decode(t, files["functions/aws_lambda_function.batch_worker__img__/configuration.json"])
	if get(t, img, "environment", "state") != "unknown" || get(t, img, "environment", "why") != "merge() of unknown map" {
		t.Errorf("unknown environment %v", get(t, img, "environment"))
	}

	role := decode(t, files["functions/orders-api/execution-role.json"])
	if get(t, role, "trust_policy", "document", "Statement", 0, "Principal", "Service", 0) != "lambda.amazonaws.com" {
		t.Errorf("trust policy %v", get(t, role, "trust_policy"))
	}
	if get(t, role, "inline_policies", 0, "policy", "document", "Statement", 1, "NotAction", 0) != "iam:*" ||
		get(t, role, "inline_policies", 0, "policy", "unresolved", 0, "fields", 0) != "Resource" {
		t.Errorf("inline policy %v", get(t, role, "inline_policies"))
	}
	att := get(t, role, "attached_policies").([]any)
	wantStatus := []string{"bundled snapshot", "bundled snapshot", "from the scanned inventory", "not in lambdawarden's bundled snapshot",
		"not in the scanned inventory", "could not be resolved"}
	if len(att) != len(wantStatus) {
		t.Fatalf("%d attached policies", len(att))
	}
	for i, w := range wantStatus {
		if s := get(t, att[i], "status").(string); !strings.Contains(s, w) {
			t.Errorf("attached %d status %q, want it to say %q", i, s, w)
		}
	}
	if get(t, att[0], "document", "Statement", 0, "Action", 0) != "*" || get(t, att[0], "name") != "AdministratorAccess" {
		t.Errorf("AdministratorAccess %v", att[0])
	}
	if get(t, att[2], "document", "Statement", 0, "Resource", 0) != "arn:aws:s3:::orders-bucket/*" {
		t.Errorf("customer-managed %v", att[2])
	}
	if get(t, att[3], "document") != nil || get(t, att[3], "type") != "aws-managed" {
		t.Errorf("unknown AWS-managed %v", att[3])
	}

	pay := decode(t, files["functions/payments/execution-role.json"])
	if get(t, pay, "trust_policy", "document", "Statement", 0, "Principal") != "*" {
		t.Errorf("wildcard trust principal lost: %v", get(t, pay, "trust_policy"))
	}
	if get(t, pay, "permissions_boundary", "value") != "arn:aws:iam::123456789012:policy/boundary" ||
		get(t, pay, "policies_complete", "state") != "unknown" {
		t.Errorf("payments role %v", pay)
	}
	if sh := get(t, pay, "shared_with_functions").([]any); len(sh) != 1 {
		t.Errorf("shared role not reported: %v", sh)
	}
	cfn := decode(t, files["functions/orders_fn_nested/execution-role.json"])
	if get(t, cfn, "found") != false || !strings.Contains(get(t, cfn, "note").(string), "not in the scanned inventory") {
		t.Errorf("external role %v", cfn)
	}

	rp := decode(t, files["functions/payments/resource-policy.json"])
	if get(t, rp, "policy", "Statement", 0, "Principal") != "*" || get(t, rp, "function_urls", 0, "auth_type", "value") != "NONE" {
		t.Errorf("payments resource policy %v", rp)
	}
	api := decode(t, files["functions/orders-api/resource-policy.json"])
	if get(t, api, "policy", "Statement", 0, "Condition", "ArnLike", "AWS:SourceArn", 0) != "arn:aws:execute-api:<region>:<account>:abc123/*/*/orders" {
		t.Errorf("orders-api resource policy %v", api)
	}
	if get(t, decode(t, files["functions/orders_fn_nested/resource-policy.json"]), "policy") != nil {
		t.Error("a function without permissions has a policy")
	}

	for _, tc := range []struct{ folder, want string }{
		{"orders-api", "14 days"},
		{"payments", "never expire: no retention is set"},
		{"orders_fn_nested", "never expire: the log group is not declared"},
		{"aws_lambda_function.batch_worker__img__", "unknown: the log group name could not be resolved"},
		// The live orders-api matches the Terraform-declared group of the same
		// name (inventory.Index.LogGroupOf); the file names its source.
		{"orders-api-2", "14 days"},
	} {
		lg := decode(t, files["functions/"+tc.folder+"/log-group.json"])
		if r := get(t, lg, "retention").(string); !strings.HasPrefix(r, tc.want) {
			t.Errorf("%s retention %q, want %q", tc.folder, r, tc.want)
		}
	}
}

func TestControlsAndWaiversCSV(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pack")
	writePack(t, out)
	files := readPack(t, out)
	rows, err := csv.NewReader(bytes.NewReader(files["controls.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(report.SOC2Criteria()) {
		t.Fatalf("%d control rows", len(rows)-1)
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[0]] = r
	}
	// CC6.1: SEC-01 FAIL, INV-01 PASS, 2 SEC-05 FAIL.
	if got := byID["CC6.1"]; strings.Join(got[2:], "|") != "LW-INV-01;LW-SEC-01;LW-SEC-05|4|1|3|0|0|LW-SEC-01;LW-SEC-05" {
		t.Errorf("CC6.1 row %v", got)
	}
	if got := byID["CC6.7"]; strings.Join(got[2:], "|") != "|0|0|0|0|0|" {
		t.Errorf("CC6.7 row %v", got)
	}
	// Every result is counted under each of its criteria.
	s := reporttest.Scan()
	total := 0
	for _, r := range s.Results {
		total += len(r.Controls)
	}
	sum := 0
	for _, r := range rows[1:] {
		n := 0
		for _, c := range r[3] {
			n = n*10 + int(c-'0')
		}
		sum += n
	}
	if sum != total {
		t.Errorf("controls.csv counts %d results, the scan has %d result-criterion pairs", sum, total)
	}

	w, err := csv.NewReader(bytes.NewReader(files["waivers.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 4 {
		t.Fatalf("%d waiver rows, want 3", len(w)-1)
	}
	for _, r := range w[1:] {
		if r[9] == "" {
			t.Errorf("waiver without reason: %v", r)
		}
		if strings.HasPrefix(r[9], "=") {
			t.Errorf("formula not neutralised: %q", r[9])
		}
	}
}

func TestSafeName(t *testing.T) {
	cases := map[string]string{
		"orders-api":             "orders-api",
		"orders/fn nested":       "orders_fn_nested",
		"../../etc/passwd":       "_.._etc_passwd",
		"..":                     "function",
		"":                       "function",
		"CON":                    "_CON",
		"nul.txt":                "_nul.txt",
		"é中":                     "__",
		strings.Repeat("a", 100): strings.Repeat("a", 80),
		`fn["img"]`:              "fn__img__",
	}
	for in, want := range cases {
		if got := evidence.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFunctionFilesGolden(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pack")
	writePack(t, out)
	files := readPack(t, out)
	for _, name := range []string{"configuration.json", "execution-role.json", "resource-policy.json", "log-group.json"} {
		got := files["functions/orders-api/"+name]
		path := filepath.Join("testdata", "golden", "orders-api", name)
		if updateGolden() {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; run with -update if intended", name, path)
		}
	}
	for _, name := range []string{"controls.csv", "waivers.csv"} {
		path := filepath.Join("testdata", "golden", name)
		if updateGolden() {
			if err := os.WriteFile(path, files[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(files[name], want) {
			t.Errorf("%s differs from %s; run with -update if intended", name, path)
		}
	}
}
