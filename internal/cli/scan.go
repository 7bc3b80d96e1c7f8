package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	scalibrlog "github.com/google/osv-scalibr/log"
	"github.com/spf13/cobra"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/config"
	"github.com/lambdawarden/lambdawarden/internal/pkgscan"
	"github.com/lambdawarden/lambdawarden/internal/pkgscan/osv"
	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// scanFlags are the flags of `scan` as given on the command line.
type scanFlags struct {
	formats       []string
	output        string
	failOn        string
	failOnUnknown bool
	only          []string
	skip          []string
	minSeverity   string
	configPath    string
	all           bool
	quiet         bool
	noColor       bool
	noProgress    bool
	timestamps    bool
	varFiles      []string
	vars          []string
	cfnParams     []string
	stage         string
	vulnDB        string
}

func newScanCommand(a *App) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan infrastructure as code under each PATH (default \".\")",
		Long: `Scan finds the inputs under each PATH (a folder or a file), reads them into one
inventory of Lambda functions and what surrounds them, runs the check catalog and
reports every result.

Exit codes: 0 no FAIL at or above --fail-on; 1 at least one (with --fail-on-unknown,
or an UNKNOWN); 2 usage error, some input could not be read (whatever could be read is
still checked and reported), or interrupted (Ctrl-C; a second one exits at once).`,
		Example: `  lambdawarden scan ./infra
  lambdawarden scan --format sarif=results.sarif --format text .
  lambdawarden scan --fail-on high --skip-checks 'LW-NET-*' infra/`,
		RunE: func(cmd *cobra.Command, args []string) error { return a.runScan(cmd, args, &f) },
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringArrayVar(&f.formats, "format", nil, "report `FORMAT`: "+strings.Join(report.Formats(), "|")+" (default text); repeatable, FORMAT=FILE writes to FILE")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` instead of stdout")
	fl.StringVar(&f.failOn, "fail-on", "low", "exit 1 if a FAIL is at or above this `SEVERITY` (info|low|medium|high|critical|none)")
	fl.BoolVar(&f.failOnUnknown, "fail-on-unknown", false, "exit 1 also if an UNKNOWN result is at or above --fail-on")
	addSelectionFlags(cmd, &f)
	fl.BoolVar(&f.all, "all", false, "text output lists PASS results too")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stderr but fatal errors (no progress, no warnings)")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the output (also: NO_COLOR=1)")
	fl.BoolVar(&f.noProgress, "no-progress", false, "do not show progress on stderr")
	fl.BoolVar(&f.timestamps, "timestamps", false, "include the scan time in reports")
	addLoadFlags(cmd, &f)
	return cmd
}

// addSelectionFlags registers the flags that choose checks and results,
// shared by scan and evidence.
func addSelectionFlags(cmd *cobra.Command, f *scanFlags) {
	fl := cmd.Flags()
	fl.StringSliceVar(&f.only, "checks", nil, "run only these checks (`IDs` or globs, comma-separated)")
	fl.StringSliceVar(&f.skip, "skip-checks", nil, "do not run these checks (`IDs` or globs, comma-separated)")
	fl.StringVar(&f.minSeverity, "min-severity", "info", "do not report results below this `SEVERITY`")
	fl.StringVar(&f.configPath, "config", "", "config `FILE` (default: "+config.FileName+" in the first PATH or the working directory)")
}

// addLoadFlags registers the flags that change how inputs are read,
// shared by scan and evidence.
func addLoadFlags(cmd *cobra.Command, f *scanFlags) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "Terraform: a .tfvars `FILE` (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "Terraform: set a variable, `NAME=VALUE` (repeatable)")
	fl.StringArrayVar(&f.cfnParams, "cfn-param", nil, "CloudFormation: set a parameter, `KEY=VALUE` (repeatable)")
	fl.StringVar(&f.stage, "stage", "", "Serverless Framework: the `STAGE` to resolve (default dev)")
	fl.StringVar(&f.vulnDB, "vuln-db", "", "local OSV database `DIR` for LW-RUN-04 (OSV JSON records, or osv.dev's per-ecosystem all.zip exports)")
	addScanCloudTrailFlag(cmd)
}

// output is one report to write: a format and its file ("" for stdout).
type output struct {
	format string
	file   string
	write  report.Writer
}

// scanPlan is what `scan` will do once flags and the config file are merged.
type scanPlan struct {
	opts          scan.Options
	outputs       []output
	failOn        result.Severity
	failNever     bool
	failOnUnknown bool
	// vulnProblems returns the --vuln-db records that could not be read.
	vulnProblems func() []string
	showPass     bool
	quiet        bool
	noColor      bool
	noProgress   bool
	timestamps   bool
}

func (a *App) runScan(cmd *cobra.Command, args []string, f *scanFlags) error {
	plan, log, err := a.prepare(cmd, args, f, true)
	if err != nil {
		return err
	}
	out, err := a.execute(cmd, plan, log, args)
	if err != nil {
		return err
	}

	ctx := cmd.Context()
	ropts := report.Options{ShowPass: plan.showPass, Timestamps: plan.timestamps, Checks: out.Checks}
	var writeErrs []string
	stdoutText := false
	for _, o := range plan.outputs {
		if err := a.writeOutput(ctx, o, out.Scan, ropts, plan.noColor); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			writeErrs = append(writeErrs, err.Error())
		}
		stdoutText = stdoutText || (o.file == "" && o.format == "text")
	}
	if len(writeErrs) > 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("%s", strings.Join(writeErrs, "; "))}
	}
	if n := len(out.Scan.Errors); n > 0 {
		if !stdoutText && !plan.quiet {
			fmt.Fprintf(a.Stderr, "lambdawarden: %d %s could not be read or evaluated; the report lists them under errors\n", n, plural(n, "input", "inputs"))
		}
		return exitCode(ExitError)
	}
	return exitCode(plan.exitCode(out.Scan.Results))
}

// exitCode is the exit code of a complete scan without errors: 1 when a
// FAIL (or, with --fail-on-unknown, an UNKNOWN) is at or above --fail-on.
func (p *scanPlan) exitCode(rs []result.Result) int {
	if p.failNever {
		return ExitOK
	}
	for _, r := range rs {
		if r.Severity < p.failOn {
			continue
		}
		if r.Status == result.Fail || (p.failOnUnknown && r.Status == result.Unknown) {
			return ExitFindings
		}
	}
	return ExitOK
}

// prepare reads the config file, merges it with the flags and validates
// everything before any input is read (reports: scan's report flags apply).
// It returns the plan and the diagnostics logger.
func (a *App) prepare(cmd *cobra.Command, args []string, f *scanFlags, reports bool) (*scanPlan, *slog.Logger, error) {
	paths := args
	if len(paths) == 0 {
		paths = []string{"."}
	}
	cfgPath := f.configPath
	if cfgPath == "" {
		cfgPath = config.Locate(paths)
	}
	cfg := config.Default()
	if cfgPath != "" {
		var err error
		if cfg, err = config.Load(cfgPath); err != nil {
			return nil, nil, &exitError{code: ExitError, err: err}
		}
	}
	plan, err := a.plan(cmd, paths, f, cfg, reports)
	if err != nil {
		return nil, nil, err
	}
	log := a.logger(cmd, plan.quiet)
	if cfg.Path != "" {
		log.Info("config", "file", cfg.Path)
	}
	for _, id := range sortedIDs(plan.opts.SeverityOverrides) {
		if checks.ByID(plan.opts.Catalog, id) == nil {
			log.Warn("severity override names no check in the catalog", "check", id)
		}
	}
	plan.opts.Logger = log
	plan.opts.Sources = a.Sources()
	plan.opts.AfterLoad = AfterLoad()
	// osv-scalibr (package dependencies) logs through its own global
	// logger, to stderr by default: route it to the diagnostics, at debug.
	scalibrlog.SetLogger(pkgscan.LibraryLogger{Logger: log})
	return plan, log, nil
}

// execute runs the scan pipeline with progress on a terminal, and reports
// on stderr what the user should know about the run (nothing found, unused
// waivers). A cancelled context (Ctrl-C) ends it promptly with ctx.Err().
func (a *App) execute(cmd *cobra.Command, plan *scanPlan, log *slog.Logger, paths []string) (*scan.Outcome, error) {
	var prog *progress
	if !plan.quiet && !plan.noProgress && a.IsTerminal(a.Stderr) {
		prog = &progress{w: a.Stderr}
		plan.opts.Progress = prog.update
	}
	cmd.SetContext(withLogger(cmd.Context(), log))
	out, err := a.runScanWithCloudTrail(cmd, plan.opts)
	prog.clear()
	if err == nil {
		err = cmd.Context().Err()
	}
	if err != nil {
		if cmd.Context().Err() != nil {
			return nil, cmd.Context().Err()
		}
		return nil, &exitError{code: ExitError, err: fmt.Errorf("scan: %w", err)}
	}
	if len(out.Scan.Sources) == 0 && len(out.Scan.Errors) == 0 {
		if len(paths) == 0 {
			paths = []string{"."}
		}
		log.Warn("no supported inputs found; see README.md, Sources", "paths", strings.Join(paths, " "))
	}
	for _, u := range out.UnusedWaivers {
		log.Warn("waiver matched no failing result; remove it if the finding is fixed", "waiver", u)
	}
	if plan.vulnProblems != nil {
		for _, p := range plan.vulnProblems() {
			log.Warn("--vuln-db: a record could not be read and was skipped", "problem", p)
		}
	}
	return out, nil
}

// plan merges the flags with the config file (a flag given on the command
// line wins) and validates everything before any input is read. Without
// reports, the report flags and keys (format, output, fail_on, ...) are
// left out.
func (a *App) plan(cmd *cobra.Command, paths []string, f *scanFlags, cfg *config.Config, reports bool) (*scanPlan, error) {
	changed := cmd.Flags().Changed
	pick := func(flag string, fv bool, key string, cv bool) bool {
		if changed(flag) || !cfg.IsSet(key) {
			return fv
		}
		return cv
	}
	p := &scanPlan{
		showPass:      pick("all", f.all, "all", cfg.All),
		quiet:         pick("quiet", f.quiet, "quiet", cfg.Quiet),
		noColor:       pick("no-color", f.noColor, "no_color", cfg.NoColor),
		noProgress:    pick("no-progress", f.noProgress, "no_progress", cfg.NoProgress),
		timestamps:    pick("timestamps", f.timestamps, "timestamps", cfg.Timestamps),
		failOnUnknown: pick("fail-on-unknown", f.failOnUnknown, "fail_on_unknown", cfg.FailOnUnknown),
	}

	failOn := f.failOn
	if !changed("fail-on") && cfg.FailOn != "" {
		failOn = cfg.FailOn
	}
	if !reports || strings.EqualFold(failOn, "none") {
		p.failNever = true
	} else {
		sev, err := result.ParseSeverity(failOn)
		if err != nil {
			return nil, usageError("--fail-on: %v (or none)", err)
		}
		p.failOn = sev
	}
	minSev := f.minSeverity
	if !changed("min-severity") && cfg.MinSeverity != "" {
		minSev = cfg.MinSeverity
	}
	sev, err := result.ParseSeverity(minSev)
	if err != nil {
		return nil, usageError("--min-severity: %v", err)
	}

	catalog := a.Catalog()
	if err := cfg.CheckWaivers(checkIDs(catalog)); err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	sel := checks.Selection{Only: cfg.Checks.Only, Skip: cfg.Checks.Skip, Enable: cfg.Checks.Enable}
	if changed("checks") {
		sel.Only = f.only
	}
	if changed("skip-checks") {
		sel.Skip = f.skip
	}
	for _, pat := range sel.Only {
		if !matchesAnyCheck(catalog, pat) {
			return nil, usageError("--checks: %q matches no check (see 'lambdawarden checks')", pat)
		}
	}

	formats := f.formats
	if !changed("format") && len(cfg.Format) > 0 {
		formats = cfg.Format
	}
	outFile := f.output
	if !changed("output") && cfg.Output != "" {
		outFile = cfg.Output
	}
	if reports {
		if p.outputs, err = parseOutputs(formats, outFile); err != nil {
			return nil, err
		}
	}

	load := scan.LoadOptions{VarFiles: cfg.VarFiles, Vars: mapPairs(cfg.Vars), CFNParams: mapPairs(cfg.CFNParams), Stage: cfg.Stage}
	if changed("var-file") {
		load.VarFiles = f.varFiles
	}
	if changed("var") {
		load.Vars = f.vars
	}
	if changed("cfn-param") {
		load.CFNParams = f.cfnParams
	}
	if changed("stage") {
		load.Stage = f.stage
	}
	for _, v := range load.Vars {
		if name, _, ok := strings.Cut(v, "="); !ok || name == "" {
			return nil, usageError("--var %q: want NAME=VALUE", v)
		}
	}
	for _, v := range load.CFNParams {
		if name, _, ok := strings.Cut(v, "="); !ok || name == "" {
			return nil, usageError("--cfn-param %q: want KEY=VALUE", v)
		}
	}

	vulnDir := cfg.VulnDB
	if changed("vuln-db") {
		vulnDir = f.vulnDB
	}
	var vulnDB checks.VulnDB
	if vulnDir != "" {
		db, err := osv.Open(vulnDir)
		if err != nil {
			return nil, usageError("--vuln-db: %v", err)
		}
		vulnDB, p.vulnProblems = db, db.Problems
	}

	p.opts = scan.Options{
		VulnDB:            vulnDB,
		Paths:             paths,
		Load:              load,
		Catalog:           catalog,
		Selection:         sel,
		Settings:          cfg.Settings,
		SeverityOverrides: cfg.ParsedSeverityOverrides(),
		MinSeverity:       sev,
		Waivers:           cfg.WaiverRules(),
		Now:               a.Now(),
		Tool:              Tool(),
	}
	return p, nil
}

// parseOutputs turns --format values (FORMAT or FORMAT=FILE) and --output
// into the reports to write. At most one report goes to stdout.
func parseOutputs(formats []string, outFile string) ([]output, error) {
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	var outs []output
	toDefault := 0
	files := map[string]bool{}
	for _, v := range formats {
		name, file, hasFile := strings.Cut(v, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if hasFile && file == "" {
			return nil, usageError("--format %q: want FORMAT or FORMAT=FILE", v)
		}
		w, err := report.Lookup(name)
		if err != nil {
			return nil, usageError("--format: %v", err)
		}
		if !hasFile {
			toDefault++
			file = outFile
		}
		if file != "" {
			if files[file] {
				return nil, usageError("--format: two reports would be written to %s", file)
			}
			files[file] = true
		}
		outs = append(outs, output{format: name, file: file, write: w})
	}
	if toDefault > 1 {
		return nil, usageError("--format: only one report can go to %s; give the others a file, e.g. --format sarif=results.sarif", orStdout(outFile))
	}
	return outs, nil
}

func orStdout(file string) string {
	if file == "" {
		return "stdout"
	}
	return file
}

// writeOutput writes one report to stdout or its file. A file is written
// next to its final name and renamed into place, so a failing writer never
// leaves half a report behind. Writing stops when ctx is cancelled.
func (a *App) writeOutput(ctx context.Context, o output, s *result.Scan, opts report.Options, noColor bool) error {
	write := o.write
	o.write = func(w io.Writer, s *result.Scan, opts report.Options) error {
		return write(&ctxWriter{ctx: ctx, w: w}, s, opts)
	}
	if o.file == "" {
		opts.Color = o.format == "text" && a.colorFor(a.Stdout, noColor)
		if err := o.write(a.Stdout, s, opts); err != nil {
			return fmt.Errorf("write %s report: %w", o.format, err)
		}
		return nil
	}
	if fi, err := os.Stat(o.file); err == nil && !fi.Mode().IsRegular() {
		// A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place.
		f, err := os.OpenFile(o.file, os.O_WRONLY, 0)
		if err == nil {
			err = o.write(f, s, opts)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("write %s report to %s: %w", o.format, o.file, err)
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.file), "."+filepath.Base(o.file)+".*")
	if err != nil {
		return fmt.Errorf("write %s report: %w", o.format, err)
	}
	err = o.write(tmp, s, opts)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), o.file)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s report to %s: %w", o.format, o.file, err)
	}
	return nil
}

// ctxWriter is a writer that fails once ctx is cancelled, so that a long
// report stops being written on Ctrl-C.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// checkIDs returns the IDs of cs.
func checkIDs(cs []*checks.Check) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// matchesAnyCheck reports whether a --checks pattern selects a check.
func matchesAnyCheck(catalog []*checks.Check, pattern string) bool {
	for _, c := range catalog {
		if checks.MatchAny([]string{pattern}, c.ID) {
			return true
		}
	}
	return false
}

// mapPairs turns a config map into sorted NAME=VALUE pairs.
func mapPairs(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + m[k]
	}
	return out
}

func sortedIDs(m map[string]result.Severity) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// progress shows how many inputs are loaded on one terminal line.
type progress struct {
	w     io.Writer
	shown bool
}

func (p *progress) update(done, total int) {
	p.shown = true
	fmt.Fprintf(p.w, "\rloading inputs: %d/%d", done, total)
}

func (p *progress) clear() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
