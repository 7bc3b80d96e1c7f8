package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestParse(t *testing.T) {
	full := `# the spec's example
fail_on: high
fail_on_unknown: true
checks: {skip: [LW-NET-01]}
severity_overrides: {LW-INV-07: medium}
settings:
  log_retention_min_days: 400
  runtime_warn_days: 180
  timeout_max_seconds: 900
  memory_max_mb: 10240
  trusted_layer_accounts: ["123456789012"]
  require_vpc: false
waivers:
  - check: LW-INV-07               # ID or glob
    resource: "aws_lambda_function.batch_*"
    reason: "bounded by the SQS batch size"
    expires: 2027-06-30
format: [text, sarif=out/results.sarif]
var_files: prod.tfvars
vars: {region: eu-west-1}
`
	c, err := Parse("cfg.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	want := checks.DefaultSettings()
	want.LogRetentionMinDays = 400
	want.TrustedLayerAccounts = []string{"123456789012"}
	if !reflect.DeepEqual(c.Settings, want) {
		t.Errorf("Settings = %+v\nwant %+v", c.Settings, want)
	}
	if c.FailOn != "high" || !c.FailOnUnknown || !c.IsSet("fail_on") || c.IsSet("min_severity") {
		t.Errorf("FailOn = %q, IsSet(fail_on) = %v, IsSet(min_severity) = %v", c.FailOn, c.IsSet("fail_on"), c.IsSet("min_severity"))
	}
	if !reflect.DeepEqual([]string(c.Checks.Skip), []string{"LW-NET-01"}) {
		t.Errorf("Checks.Skip = %q", c.Checks.Skip)
	}
	if got := c.ParsedSeverityOverrides(); got["LW-INV-07"] != result.Medium {
		t.Errorf("overrides = %v", got)
	}
	wantW := []Waiver{{Check: "LW-INV-07", Resource: "aws_lambda_function.batch_*", Reason: "bounded by the SQS batch size", Expires: "2027-06-30", Line: 14}}
	if !reflect.DeepEqual(c.Waivers, wantW) {
		t.Errorf("Waivers = %+v\nwant %+v", c.Waivers, wantW)
	}
	if rules := c.WaiverRules(); len(rules) != 1 || rules[0].Source != "cfg.yaml:14" || rules[0].Line != 14 {
		t.Errorf("WaiverRules = %+v", rules)
	}
	if !reflect.DeepEqual([]string(c.Format), []string{"text", "sarif=out/results.sarif"}) || !reflect.DeepEqual([]string(c.VarFiles), []string{"prod.tfvars"}) {
		t.Errorf("Format = %q, VarFiles = %q", c.Format, c.VarFiles)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, doc := range []string{"", "# nothing\n", "---\n", "~\n"} {
		c, err := Parse("cfg.yaml", []byte(doc))
		if err != nil {
			t.Errorf("Parse(%q): %v", doc, err)
			continue
		}
		if !reflect.DeepEqual(c.Settings, checks.DefaultSettings()) {
			t.Errorf("Parse(%q): settings %+v, want defaults", doc, c.Settings)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string // substring of the error
	}{
		{"unknown top-level key", "fail_on: high\nfail-on: low\n", `cfg.yaml:2:1: unknown key "fail-on"`},
		{"unknown setting", "settings:\n  log_retention_days: 30\n", `cfg.yaml:2:3: unknown key "log_retention_days" in settings`},
		{"unknown waiver key", "waivers:\n  - check: X\n    resource: y\n    reason: z\n    until: 2027-01-01\n", `cfg.yaml:5:5: unknown key "until" in waivers[0]`},
		{"unknown checks key", "checks:\n  disable: [A]\n", `unknown key "disable" in checks`},
		{"waiver without reason", "waivers:\n  - check: LW-INV-07\n    resource: x\n", "cfg.yaml:2: waivers[0]: reason is required"},
		{"waiver without resource", "waivers:\n  - check: LW-INV-07\n    reason: x\n", "resource is required"},
		{"waiver without check", "waivers:\n  - resource: a\n    reason: x\n", "check is required"},
		{"waiver bad date", "waivers:\n  - {check: A, resource: b, reason: c, expires: 30/06/2027}\n", "not an ISO date"},
		{"bad fail_on", "fail_on: severe\n", "cfg.yaml:1: fail_on: unknown severity"},
		{"bad min_severity", "\nmin_severity: urgent\n", "cfg.yaml:2: min_severity"},
		{"bad override", "severity_overrides:\n  LW-INV-07: big\n", "cfg.yaml:2: severity_overrides.LW-INV-07"},
		{"wrong type", "settings:\n  log_retention_min_days: a year\n", "cannot unmarshal"},
		{"not a mapping", "- a\n- b\n", "must be a mapping"},
		{"bad yaml", "a: [\n", "cfg.yaml:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("cfg.yaml", []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCheckWaivers(t *testing.T) {
	catalog := []string{"LW-INV-01", "LW-INV-07", "LW-IAM-04"}
	tests := []struct {
		name string
		doc  string
		want string // substring of the error; "" for none
	}{
		{"IDs and globs that match", "waivers:\n  - {check: LW-INV-07, resource: a, reason: r}\n  - {check: 'lw-iam-*', resource: a, reason: r}\n", ""},
		{"a typo, with a suggestion", "waivers:\n  - {check: LW-INV-07, resource: a, reason: r}\n  - check: LW-INV-7\n    resource: a\n    reason: r\n",
			`dir/cfg.yaml:3: waivers[1]: check "LW-INV-7" matches no check in the catalog (did you mean LW-INV-07?)`},
		{"a glob matching nothing", "waivers:\n  - {check: 'LW-NET-*', resource: a, reason: r}\n", `dir/cfg.yaml:2: waivers[0]: check "LW-NET-*" matches no check`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("dir/cfg.yaml", []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			err = c.CheckWaivers(catalog)
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDisplayPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"", ""},
		{"./examples/.lambdawarden.yaml", "examples/.lambdawarden.yaml"},
		{filepath.Join(wd, "sub", FileName), "sub/" + FileName},
		{filepath.Join(filepath.Dir(wd), "elsewhere", FileName), FileName},
	}
	for _, tc := range tests {
		if got := DisplayPath(tc.in); got != tc.want {
			t.Errorf("DisplayPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoadAndLocate(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, FileName)
	if err := os.WriteFile(cfgPath, []byte("output: out/report.txt\nvar_files: [a.tfvars, /abs/b.tfvars]\nformat: [json=r.json, text]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Locate([]string{dir}); got != cfgPath {
		t.Errorf("Locate(dir) = %q, want %q", got, cfgPath)
	}
	if got := Locate([]string{filepath.Join(dir, "missing")}); got != "" && filepath.Dir(got) != "." {
		t.Errorf("Locate(missing) = %q, want the working directory's or none", got)
	}
	c, err := Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if c.Output != filepath.Join(dir, "out/report.txt") {
		t.Errorf("Output = %q", c.Output)
	}
	if want := []string{filepath.Join(dir, "a.tfvars"), "/abs/b.tfvars"}; !reflect.DeepEqual([]string(c.VarFiles), want) {
		t.Errorf("VarFiles = %q, want %q", c.VarFiles, want)
	}
	if want := []string{"json=" + filepath.Join(dir, "r.json"), "text"}; !reflect.DeepEqual([]string(c.Format), want) {
		t.Errorf("Format = %q, want %q", c.Format, want)
	}
	if _, err := Load(filepath.Join(dir, "nope.yaml")); err == nil {
		t.Error("Load of a missing file: want an error")
	}
}
