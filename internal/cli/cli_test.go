package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/scan/scantest"
)

// The -update flag (CONTRIBUTING: `go test ./... -update` rewrites golden
// files), registered once per test binary.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// run runs the command line in process with the fake source and catalog.
type run struct {
	code   int
	stdout string
	stderr string
}

func testApp(env map[string]string, terminal bool) (*App, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &App{
		Stdout:     &out,
		Stderr:     &errOut,
		Getenv:     func(k string) string { return env[k] },
		Now:        func() time.Time { return testNow },
		Sources:    func() []scan.Source { return []scan.Source{&scantest.Source{}} },
		Catalog:    scantest.Catalog,
		IsTerminal: func(io.Writer) bool { return terminal },
	}, &out, &errOut
}

func runCLI(t *testing.T, args ...string) run {
	t.Helper()
	a, out, errOut := testApp(nil, false)
	code := a.Run(context.Background(), args)
	return run{code, out.String(), errOut.String()}
}

const fake = "testdata/fake/"

func TestScanExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // substring
		wantStderr string // substring
	}{
		{"all pass", []string{"scan", fake + "clean"}, ExitOK, "0 failed", ""},
		{"low FAIL at the default --fail-on low", []string{"scan", fake + "lowfail"}, ExitFindings, "1 failed (1 low)", ""},
		{"--fail-on above the FAIL", []string{"scan", "--fail-on", "medium", fake + "lowfail"}, ExitOK, "LW-T-01", ""},
		{"--fail-on none", []string{"scan", "--fail-on", "none", fake + "lowfail"}, ExitOK, "", ""},
		{"--min-severity hides the FAIL", []string{"scan", "--min-severity", "high", fake + "lowfail"}, ExitOK, "0 failed", ""},
		{"--skip-checks", []string{"scan", "--skip-checks", "LW-T-0*", fake + "lowfail"}, ExitOK, "0 results", ""},
		{"--checks", []string{"scan", "--checks", "lw-t-02", fake + "lowfail"}, ExitOK, "1 results", ""},
		{"broken input is listed, the rest scanned", []string{"scan", fake + "broken"}, ExitError, "testdata/fake/broken/broken.fake.json:3: invalid JSON", ""},
		{"missing PATH", []string{"scan", fake + "clean", fake + "nope"}, ExitError, "testdata/fake/nope: cannot read: no such file or directory", ""},
		{"config fail_on from the first PATH", []string{"scan", fake + "config"}, ExitOK, "1 failed", ""},
		{"flag wins over config", []string{"scan", "--fail-on", "low", fake + "config"}, ExitFindings, "", ""},
		{"config waiver, named by file and line", []string{"scan", "--config", fake + "waivers.yaml", fake + "lowfail"}, ExitOK, "waived: bounded by the queue (" + fake + "waivers.yaml:2)", ""},
		{"config waiver with a typo in its check", []string{"scan", "--config", fake + "waivertypo.yaml", fake + "lowfail"}, ExitError, "",
			fake + `waivertypo.yaml:6: waivers[1]: check "LW-T-1" matches no check in the catalog (did you mean LW-T-01?)`},
		{"unused waiver is a warning", []string{"scan", "--config", fake + "unusedwaiver.yaml", fake + "lowfail"}, ExitOK, "1 waived",
			`level=WARN msg="waiver matched no failing result; remove it if the finding is fixed" waiver="` + fake + `unusedwaiver.yaml:5: LW-T-02 on orders-*"`},
		{"UNKNOWN does not fail by default", []string{"scan", fake + "unknown"}, ExitOK, "1 unknown", ""},
		{"--fail-on-unknown", []string{"scan", "--fail-on-unknown", fake + "unknown"}, ExitFindings, "1 unknown", ""},
		{"--fail-on-unknown below --fail-on", []string{"scan", "--fail-on-unknown", "--fail-on", "critical", fake + "unknown"}, ExitOK, "1 unknown", ""},
		{"fail_on_unknown in the config", []string{"scan", "--config", fake + "failunknown.yaml", fake + "unknown"}, ExitFindings, "1 unknown", ""},
		{"--fail-on-unknown=false wins over the config", []string{"scan", "--config", fake + "failunknown.yaml", "--fail-on-unknown=false", fake + "unknown"}, ExitOK, "1 unknown", ""},
		{"--fail-on-unknown with --fail-on none", []string{"scan", "--fail-on-unknown", "--fail-on", "none", fake + "unknown"}, ExitOK, "1 unknown", ""},
		{"json report on stdout, error note on stderr", []string{"scan", "--format", "json", fake + "broken"}, ExitError, `"schema_version": 1`, "1 input could not be read"},
		{"quiet", []string{"scan", "-q", "--format", "json", fake + "broken"}, ExitError, `"errors"`, ""},

		{"unknown format", []string{"scan", "--format", "xml", fake + "clean"}, ExitError, "", `unknown format "xml"`},
		{"bad --fail-on", []string{"scan", "--fail-on", "severe", fake + "clean"}, ExitError, "", "--fail-on: unknown severity"},
		{"bad --min-severity", []string{"scan", "--min-severity", "x", fake + "clean"}, ExitError, "", "--min-severity"},
		{"two reports to stdout", []string{"scan", "--format", "json", "--format", "text", fake + "clean"}, ExitError, "", "only one report can go to stdout"},
		{"empty FILE", []string{"scan", "--format", "json=", fake + "clean"}, ExitError, "", "want FORMAT or FORMAT=FILE"},
		{"bad --var", []string{"scan", "--var", "region", fake + "clean"}, ExitError, "", "want NAME=VALUE"},
		{"bad --cfn-param", []string{"scan", "--cfn-param", "=x", fake + "clean"}, ExitError, "", "want KEY=VALUE"},
		{"unknown flag", []string{"scan", "--nope", fake + "clean"}, ExitError, "", "unknown flag: --nope"},
		{"--checks matching nothing", []string{"scan", "--checks", "LW-NOPE-*", fake + "clean"}, ExitError, "", `"LW-NOPE-*" matches no check`},
		{"config with an unknown key", []string{"scan", "--config", fake + "typo.yaml", fake + "clean"}, ExitError, "", `typo.yaml:2:1: unknown key "setings"`},
		{"config waiver without reason", []string{"scan", "--config", fake + "noreason.yaml", fake + "clean"}, ExitError, "", "reason is required"},
		{"missing --config", []string{"scan", "--config", fake + "none.yaml", fake + "clean"}, ExitError, "", "none.yaml"},
		{"unknown command", []string{"scna"}, ExitError, "", `unknown command "scna"`},
		{"checks with a bad format", []string{"checks", "--format", "yaml"}, ExitError, "", `--format "yaml"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantStdout, r.stdout)
			}
			if !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantStderr, r.stderr)
			}
			if tc.wantCode == ExitError && tc.wantStdout == "" && r.stdout != "" {
				t.Errorf("a usage error wrote a report:\n%s", r.stdout)
			}
		})
	}
}

// TestUnusedWaiverOfSkippedCheck checks that a waiver of a check that did
// not run is not reported as unused.
func TestUnusedWaiverOfSkippedCheck(t *testing.T) {
	r := runCLI(t, "scan", "--config", fake+"unusedwaiver.yaml", "--checks", "LW-T-01", fake+"lowfail")
	if r.code != ExitOK || r.stderr != "" {
		t.Errorf("exit %d, stderr %q; want 0 and nothing on stderr", r.code, r.stderr)
	}
	r = runCLI(t, "scan", "-q", "--config", fake+"unusedwaiver.yaml", fake+"lowfail")
	if r.code != ExitOK || r.stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q; want 0 and nothing on stderr", r.code, r.stderr)
	}
}

func TestScanOutputs(t *testing.T) {
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "r.json")
	textFile := filepath.Join(dir, "r.txt")
	r := runCLI(t, "scan", "--format", "json="+jsonFile, "--format", "text", "--output", textFile, "--timestamps", fake+"lowfail")
	if r.code != ExitFindings || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	var doc struct {
		Timestamp string
		Results   []struct {
			CheckID string `json:"check_id"`
		}
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Timestamp != "2026-11-21T12:00:00Z" || len(doc.Results) != 2 {
		t.Errorf("JSON report: timestamp %q, %d results; want the scan time and 2", doc.Timestamp, len(doc.Results))
	}
	text, err := os.ReadFile(textFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(text, []byte("LW-T-01")) || bytes.Contains(text, []byte("\x1b[")) {
		t.Errorf("text report:\n%s", text)
	}
}

func TestScanColor(t *testing.T) {
	tests := []struct {
		name      string
		terminal  bool
		env       map[string]string
		args      []string
		wantColor bool
	}{
		{"terminal", true, nil, nil, true},
		{"not a terminal", false, nil, nil, false},
		{"NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, nil, false},
		{"--no-color", true, nil, []string{"--no-color"}, false},
		{"json on a terminal", true, nil, []string{"--format", "json"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, out, errOut := testApp(tc.env, tc.terminal)
			args := append(append([]string{"scan"}, tc.args...), fake+"lowfail")
			a.Run(context.Background(), args)
			if got := strings.Contains(out.String(), "\x1b["); got != tc.wantColor {
				t.Errorf("colour = %v, want %v:\n%s", got, tc.wantColor, out.String())
			}
			// On a terminal, progress goes to stderr and is cleared.
			if tc.terminal && !strings.Contains(errOut.String(), "loading inputs: 1/1") {
				t.Errorf("no progress on a terminal stderr: %q", errOut.String())
			}
			if !tc.terminal && errOut.Len() != 0 {
				t.Errorf("stderr = %q, want nothing", errOut.String())
			}
		})
	}
}

func TestChecksCommand(t *testing.T) {
	r := runCLI(t, "checks")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 5 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("checks output:\n%s", r.stdout)
	}
	// Columns are aligned: SEVERITY starts at the same offset on every row.
	col := strings.Index(lines[0], "SEVERITY")
	for _, l := range lines[1:5] {
		if !strings.HasPrefix(l, "LW-T-") || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("misaligned row %q", l)
		}
	}
	if !strings.Contains(r.stdout, "Always passes (off by default)") {
		t.Errorf("default-off check not marked:\n%s", r.stdout)
	}
	for _, format := range []string{"json", "markdown"} {
		r := runCLI(t, "checks", "--format", format)
		if r.code != ExitOK || !strings.Contains(r.stdout, "LW-T-01") {
			t.Errorf("checks --format %s: exit %d\n%s%s", format, r.code, r.stdout, r.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "version")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "lambdawarden "+version+" (go") {
		t.Errorf("version: exit %d, %q", r.code, r.stdout)
	}
}

func TestHelp(t *testing.T) {
	r := runCLI(t, "scan", "--help")
	for _, flag := range []string{"--format", "--output", "--fail-on", "--fail-on-unknown", "--checks", "--skip-checks", "--min-severity",
		"--config", "--all", "--quiet", "--no-color", "--no-progress", "--timestamps", "--var-file", "--var", "--cfn-param", "--stage", "--vuln-db"} {
		if !strings.Contains(r.stdout, flag+" ") {
			t.Errorf("scan --help does not list %s", flag)
		}
	}
	if r.code != ExitOK {
		t.Errorf("exit %d", r.code)
	}
}

func TestScanOutputSpecialFiles(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		wantCode int
	}{
		{"device", os.DevNull, ExitFindings},
		{"missing folder", filepath.Join(t.TempDir(), "no", "such", "dir", "r.json"), ExitError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "scan", "--format", "json", "-o", tc.file, fake+"lowfail")
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tc.wantCode, r.stderr)
			}
			if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode().IsRegular() {
				t.Fatalf("%s was replaced: %v", os.DevNull, err)
			}
		})
	}
}
