package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/cloudtrail"
	"github.com/lambdawarden/lambdawarden/internal/cloudtrail/mapping"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// policyGenerateFlags are the flags of `policy generate`.
type policyGenerateFlags struct {
	cloudtrail  []string
	role        string
	function    string
	since       string
	until       string
	format      string
	tracing     bool
	logGroups   []string
	region      string
	account     string
	threshold   int
	keepUnknown bool
	compare     []string
	aws         awsFlags
	snapshot    string
	report      string
	workers     int
	quiet       bool
}

func newPolicyCommand(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Least-privilege IAM policies from real activity (CloudTrail)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPolicyGenerateCommand(a))
	return cmd
}

func newPolicyGenerateCommand(a *App) *cobra.Command {
	var f policyGenerateFlags
	cmd := &cobra.Command{
		Use:   "generate --cloudtrail PATH... (--role ARN | --function NAME)",
		Short: "Generate a least-privilege IAM policy from CloudTrail logs",
		Long: `Generate reads CloudTrail log files (the S3 delivery layout
AWSLogs/ACCOUNT/CloudTrail/REGION/Y/M/D/*.json.gz, plain .json, CloudTrail Lake
JSON-lines exports, LookupEvents output; files or folders, recursively), keeps the
calls of the role's sessions (--role) or of one function (--function: Lambda names
the role session after the function), maps each call to the IAM actions it needed,
and prints a policy that grants those actions on the resources they were used on.

Resources are specific ARNs, except that more than --wildcard-threshold objects or
sub-prefixes under one S3 prefix become prefix/*; actions without resource-level
permissions get "*". The function's log group is always granted (PutLogEvents is
not in CloudTrail), and X-Ray with --tracing. Denied calls are never granted: they
are listed on stderr (and in --report, and as comments in Terraform output).

--compare PATH scans the infrastructure code under PATH for the role's current
policies (--aws reads them from the live account instead, --snapshot from a saved
live inventory) and reports the grants never used (the evidence for LW-IAM-11) and
the actions used but not granted.

The policy goes to stdout; everything else to stderr. Exit codes: 0 done; 2 usage
error, or some log file could not be read (the policy from the rest is still printed).`,
		Example: `  lambdawarden policy generate --cloudtrail ./AWSLogs --role arn:aws:iam::123456789012:role/orders-exec
  lambdawarden policy generate --cloudtrail trail/ --function orders-api --since 2026-06-01 --format terraform
  lambdawarden policy generate --cloudtrail trail/ --function orders-api --compare ./infra --report usage.json
  lambdawarden policy generate --cloudtrail trail/ --function orders-api --aws --profile audit --regions eu-west-1`,
		RunE: func(cmd *cobra.Command, args []string) error { return a.runPolicyGenerate(cmd, args, &f) },
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringArrayVar(&f.cloudtrail, "cloudtrail", nil, "CloudTrail log file or folder `PATH` (repeatable; further PATHs may follow as arguments)")
	fl.StringVar(&f.role, "role", "", "keep the sessions of this execution role (`ARN`)")
	fl.StringVar(&f.function, "function", "", "keep the sessions of this function (`NAME` or ARN)")
	fl.StringVar(&f.since, "since", "", "ignore events before `TIME` (RFC 3339, YYYY-MM-DD, or a duration before now such as 90d or 72h)")
	fl.StringVar(&f.until, "until", "", "ignore events after `TIME` (as --since; a date includes that day)")
	fl.StringVar(&f.format, "format", "json", "output `FORMAT`: json (IAM policy JSON) or terraform (aws_iam_policy_document)")
	fl.BoolVar(&f.tracing, "tracing", false, "grant the X-Ray write actions (active tracing; automatic when --compare, --aws or --snapshot show the function traces)")
	fl.StringArrayVar(&f.logGroups, "log-group", nil, "grant this log group `NAME` instead of /aws/lambda/FUNCTION (repeatable)")
	fl.StringVar(&f.region, "region", "", "`REGION` of the function's log group (default: where most calls were made)")
	fl.StringVar(&f.account, "account", "", "`ACCOUNT` of the function's log group (default: where most calls were made)")
	fl.IntVar(&f.threshold, "wildcard-threshold", cloudtrail.DefaultWildcardThreshold, "grant prefix/* when more than `N` objects or sub-prefixes under one S3 prefix were used")
	fl.BoolVar(&f.keepUnknown, "keep-unknown", false, "also grant actions the IAM catalog does not know (newer than its snapshot)")
	fl.StringArrayVar(&f.compare, "compare", nil, "compare with the role's current policies in the infrastructure code under `PATH` (repeatable)")
	addAWSFlags(cmd, &f.aws)
	fl.Lookup("aws").Usage = "compare with the role's current policies in the live AWS account (see --profile, --regions)"
	fl.StringVar(&f.snapshot, "snapshot", "", "compare with the role's policies in a saved live inventory `FILE` ('lambdawarden inventory')")
	fl.StringVar(&f.report, "report", "", "write a JSON report (actions used, denied calls, comparison, unreadable files) to `FILE`")
	fl.IntVar(&f.workers, "workers", 0, "decode at most `N` files at once (default: the number of CPUs)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stderr but errors")
	return cmd
}

// policyReport is the --report JSON.
type policyReport struct {
	SchemaVersion int                        `json:"schema_version"`
	Tool          any                        `json:"tool"`
	Selection     map[string]string          `json:"selection"`
	Input         policyReportInput          `json:"input"`
	Used          []cloudtrail.UsedAction    `json:"used"`
	Denied        []cloudtrail.DeniedCall    `json:"denied"`
	Unknown       []cloudtrail.UnknownAction `json:"unknown_actions"`
	Skipped       []policyReportSkip         `json:"skipped"`
	Notes         []string                   `json:"notes"`
	Comparison    *policyComparison          `json:"comparison"`
	Errors        []inventory.Error          `json:"errors"`
	Mapping       map[string]string          `json:"mapping"`
}

type policyReportInput struct {
	Files      int    `json:"files"`
	Bytes      int64  `json:"bytes"`
	Records    int64  `json:"records"`
	OutOfRange int64  `json:"out_of_range,omitempty"`
	Calls      int64  `json:"selected_calls"`
	DataEvents int64  `json:"data_events"`
	First      string `json:"first_event,omitempty"`
	Last       string `json:"last_event,omitempty"`
}

type policyReportSkip struct {
	Reason string `json:"reason"`
	Calls  int64  `json:"calls"`
}

type policyComparison struct {
	Role   string `json:"role"`
	Source string `json:"source"`
	cloudtrail.Comparison
}

func (a *App) runPolicyGenerate(cmd *cobra.Command, args []string, f *policyGenerateFlags) error {
	paths := append(slices.Clone(f.cloudtrail), args...)
	if len(paths) == 0 {
		return usageError("give the CloudTrail logs with --cloudtrail PATH")
	}
	sel, err := cloudtrail.NewSelector(f.role, f.function)
	if err != nil {
		return usageError("%v: use --role ARN and/or --function NAME", err)
	}
	format := strings.ToLower(f.format)
	if format != "json" && format != "terraform" {
		return usageError("--format %q: want json or terraform", f.format)
	}
	if f.threshold < 1 {
		return usageError("--wildcard-threshold %d: want 1 or more", f.threshold)
	}
	if f.workers < 0 {
		return usageError("--workers %d: want 0 (the number of CPUs) or more", f.workers)
	}
	now := a.Now()
	ro := cloudtrail.ReadOptions{Workers: f.workers}
	if ro.Since, err = parseCloudTrailTime(f.since, now, false); err != nil {
		return usageError("--since: %v", err)
	}
	if ro.Until, err = parseCloudTrailTime(f.until, now, true); err != nil {
		return usageError("--until: %v", err)
	}
	if !ro.Since.IsZero() && !ro.Until.IsZero() && ro.Until.Before(ro.Since) {
		return usageError("--until is before --since")
	}
	ctx := cmd.Context()
	stderr := a.Stderr
	if f.quiet {
		stderr = io.Discard
	}

	popts := cloudtrail.PolicyOptions{
		LogGroups: f.logGroups, Region: f.region, Account: f.account,
		Tracing: f.tracing, KeepUnknown: f.keepUnknown,
	}
	if sel.Function != "" {
		popts.Functions = []string{sel.Function}
	}

	// The role's current policies, when comparing (read first: the
	// function's tracing and log group complete the policy).
	n := 0
	for _, set := range []bool{len(f.compare) > 0, f.aws.aws, f.snapshot != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return usageError("--compare PATH, --aws and --snapshot are alternatives: give one")
	}
	if flag := f.aws.usedWithoutAWS(cmd); flag != "" && !f.aws.aws {
		return usageError("%s needs --aws", flag)
	}
	var cur *currentRole
	if n > 0 {
		cur, err = a.currentRole(cmd, f, sel)
		if err != nil {
			return err
		}
		if cur.fn != nil {
			if !cmd.Flags().Changed("tracing") && cur.fn.TracingMode.Or("") == "Active" {
				popts.Tracing = true
			}
			if lg, ok := cur.fn.LogGroup.Get(); ok && lg != "" && len(f.logGroups) == 0 {
				popts.LogGroups = []string{lg}
			}
		}
	}

	files, ferrs := cloudtrail.Files(paths)
	rules := cloudtrail.DefaultRules()
	rules.WildcardThreshold = f.threshold
	act, stats, rerrs := cloudtrail.Collect(ctx, files, sel, rules, ro)
	if err := ctx.Err(); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	errs := cloudTrailReadErrors(append(ferrs, rerrs...))
	gen := act.Policy(popts)

	var out []byte
	if format == "terraform" {
		name := sel.Function
		if name == "" {
			name = f.role
		}
		out, err = cloudtrail.FormatTerraform(gen.Policy, name, gen.Denied)
	} else {
		out, err = cloudtrail.FormatJSON(gen.Policy)
	}
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write policy: %w", err)}
	}
	if _, err := a.Stdout.Write(out); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write policy: %w", err)}
	}

	var cmp *policyComparison
	if cur != nil {
		region, account := f.region, f.account
		hr, ha := act.Home(sel.Function)
		if region == "" {
			region = hr
		}
		if account == "" {
			account = ha
		}
		c := cloudtrail.Compare(rules.Catalog, cur.docs, cur.gaps, gen.Used, account, region)
		cmp = &policyComparison{Role: cur.label, Source: cur.source, Comparison: c}
	}

	writePolicySummary(stderr, stats, act, gen, cmp)
	for _, e := range errs {
		fmt.Fprintf(a.Stderr, "lambdawarden: %s\n", cloudTrailErrorText(e))
	}
	if f.report != "" {
		rep := buildPolicyReport(f, sel, stats, act, gen, cmp, errs)
		if err := writePolicyReport(f.report, rep); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write report: %w", err)}
		}
	}
	if len(errs) > 0 {
		return exitCode(ExitError)
	}
	return nil
}

// parseCloudTrailTime reads --since / --until: RFC 3339, a date (the start of the
// day, or with end its last instant), or a duration before now ("90d",
// "36h").
func parseCloudTrailTime(s string, now time.Time, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			return t.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
		}
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.UTC().AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.UTC().Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q: want RFC 3339 (2026-08-20T10:00:00Z), a date (2026-08-20) or a duration (90d, 36h)", s)
}

// cloudTrailReadErrors turns read errors into inventory errors (file, line), sorted.
func cloudTrailReadErrors(errs []error) []inventory.Error {
	out := []inventory.Error{}
	for _, err := range errs {
		var fe *cloudtrail.FileError
		if errors.As(err, &fe) {
			msg := fe.Err.Error()
			var se *cloudtrail.SyntaxError
			if errors.As(fe.Err, &se) {
				msg = fmt.Sprintf("byte %d: %s", se.Offset, se.Msg)
			}
			var pe *os.PathError
			if errors.As(fe.Err, &pe) {
				msg = "cannot read: " + pe.Err.Error()
			}
			out = append(out, inventory.Error{Source: fe.Path, Line: fe.Line, Message: "cloudtrail: " + msg})
			continue
		}
		out = append(out, inventory.Error{Source: "cloudtrail", Message: err.Error()})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		return out[i].Line < out[j].Line
	})
	return out
}

func cloudTrailErrorText(e inventory.Error) string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Message)
	}
	return e.Source + ": " + e.Message
}

// writePolicySummary tells on stderr what was read, what was denied and
// what the comparison found.
func writePolicySummary(w io.Writer, st cloudtrail.Stats, act *cloudtrail.Activity, gen *cloudtrail.Generated, cmp *policyComparison) {
	fmt.Fprintf(w, "lambdawarden: read %d %s (%s, %d records); %d %s matched the selection",
		st.Files, plural(st.Files, "file", "files"), policyBytes(st.Bytes), st.Records, act.Calls, plural(int(act.Calls), "call", "calls"))
	if !act.First.IsZero() {
		fmt.Fprintf(w, ", %s to %s", act.First.UTC().Format(time.RFC3339), act.Last.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(w)
	if len(gen.Denied) > 0 {
		fmt.Fprintln(w, "denied calls (not granted):")
		for _, d := range gen.Denied {
			fmt.Fprintf(w, "  %s on %s (%s, %d %s", d.Action, strings.Join(d.Resources, ", "), d.ErrorCode, d.Calls, plural(int(d.Calls), "call", "calls"))
			if d.LastAttempt != "" {
				fmt.Fprintf(w, ", last %s", d.LastAttempt)
			}
			fmt.Fprintln(w, ")")
		}
	}
	for _, n := range gen.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if cmp == nil {
		return
	}
	fmt.Fprintf(w, "compared with %s (%s):\n", cmp.Role, cmp.Source)
	var grants []string
	for _, g := range cmp.UnusedGrants {
		grants = append(grants, g.Pattern)
	}
	fmt.Fprintf(w, "  granted, never used: %s\n", policyList(grants))
	for _, g := range cmp.Wildcards {
		fmt.Fprintf(w, "  %s grants %d actions, %d used: %s\n", g.Pattern, g.Actions, len(g.Used), strings.Join(g.Used, ", "))
	}
	fmt.Fprintf(w, "  services granted, never used: %s\n", policyList(cmp.UnusedServices))
	var missing []string
	for _, n := range cmp.NotGranted {
		missing = append(missing, fmt.Sprintf("%s on %s (%s)", n.Action, n.Resource, n.Decision))
	}
	fmt.Fprintf(w, "  used or needed, not granted: %s\n", policyList(missing))
	for _, g := range cmp.Gaps {
		fmt.Fprintf(w, "  incomplete: %s\n", g)
	}
}

func policyList(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func policyBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func buildPolicyReport(f *policyGenerateFlags, sel *cloudtrail.Selector, st cloudtrail.Stats, act *cloudtrail.Activity,
	gen *cloudtrail.Generated, cmp *policyComparison, errs []inventory.Error) *policyReport {
	prov := mapping.Provenance()
	rep := &policyReport{
		SchemaVersion: 1,
		Tool:          Tool(),
		Selection:     map[string]string{},
		Input: policyReportInput{Files: st.Files, Bytes: st.Bytes, Records: st.Records, OutOfRange: st.OutOfRange,
			Calls: act.Calls, DataEvents: act.DataEvents},
		Used:       policyNonNil(gen.Used),
		Denied:     policyNonNil(gen.Denied),
		Unknown:    policyNonNil(gen.Unknown),
		Skipped:    []policyReportSkip{},
		Notes:      policyNonNil(gen.Notes),
		Comparison: cmp,
		Errors:     errs,
		Mapping:    map[string]string{"file": prov.File, "sha256": prov.SHA256},
	}
	if sel.RoleARN != "" {
		rep.Selection["role"] = sel.RoleARN
	}
	if sel.Function != "" {
		rep.Selection["function"] = sel.Function
	}
	if f.since != "" {
		rep.Selection["since"] = f.since
	}
	if f.until != "" {
		rep.Selection["until"] = f.until
	}
	if !act.First.IsZero() {
		rep.Input.First = act.First.UTC().Format(time.RFC3339)
		rep.Input.Last = act.Last.UTC().Format(time.RFC3339)
	}
	for reason, n := range act.Skipped() {
		rep.Skipped = append(rep.Skipped, policyReportSkip{Reason: reason, Calls: n})
	}
	sort.Slice(rep.Skipped, func(i, j int) bool { return rep.Skipped[i].Reason < rep.Skipped[j].Reason })
	return rep
}

func policyNonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writePolicyReport writes v as indented JSON to path.
func writePolicyReport(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// currentRole is the role whose current policies --compare reads.
type currentRole struct {
	label  string // the role's ID and name
	source string // where it was found
	fn     *inventory.Function
	docs   []*iampolicy.Policy
	gaps   []string
}

// currentRole reads the role's current policies: the infrastructure code
// under the --compare paths (with the normal sources), the live account
// (--aws) or a saved live inventory (--snapshot). It finds the selected
// function's execution role, or the role named by --role.
func (a *App) currentRole(cmd *cobra.Command, f *policyGenerateFlags, sel *cloudtrail.Selector) (*currentRole, error) {
	var inv *inventory.Inventory
	where := strings.Join(f.compare, ", ")
	switch {
	case f.aws.aws:
		var err error
		if inv, err = a.collectLive(cmd, f.aws.collectorConfig()); err != nil {
			return nil, err
		}
		where = "the live account"
	case f.snapshot != "":
		var err error
		if inv, err = readSnapshot(f.snapshot); err != nil {
			return nil, &exitError{code: ExitError, err: err}
		}
		where = f.snapshot
	default:
		out, err := scan.Run(cmd.Context(), scan.Options{
			Paths:   f.compare,
			Sources: a.Sources(),
			Catalog: []*checks.Check{}, // load only
			Now:     a.Now(),
			Tool:    Tool(),
		})
		if err != nil {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("compare: %w", err)}
		}
		inv = out.Inventory
		where = "the infrastructure code under " + where
	}
	x := inventory.NewIndex(inv)
	var fn *inventory.Function
	var role *inventory.Role
	if sel.Function != "" {
		var found []*inventory.Function
		for _, f := range inv.Functions {
			if n, ok := f.Name.Get(); ok && n == sel.Function {
				found = append(found, f)
			}
		}
		if len(found) > 1 {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("compare: %d functions named %q in %s", len(found), sel.Function, where)}
		}
		if len(found) == 1 {
			fn = found[0]
			role = x.RoleOf(fn)
			if role == nil {
				return nil, &exitError{code: ExitError, err: fmt.Errorf("compare: the execution role of function %q (%s) is not in %s", sel.Function, fn.ID, where)}
			}
		}
	}
	if role == nil && sel.RoleARN != "" {
		role = x.Role("", inventory.Ref{Name: sel.RoleARN})
		if role == nil {
			name := sel.RoleARN[strings.LastIndexByte(sel.RoleARN, '/')+1:]
			for _, r := range inv.Roles {
				if n, ok := r.Name.Get(); ok && n == name {
					role = r
					break
				}
			}
		}
	}
	if role == nil {
		what := "function " + strconv.Quote(sel.Function)
		if sel.Function == "" {
			what = "role " + sel.RoleARN
		}
		return nil, &exitError{code: ExitError, err: fmt.Errorf("compare: no %s in %s", what, where)}
	}
	docs, gaps := cloudtrail.RolePolicies(x, role)
	label := role.ID
	if n, ok := role.Name.Get(); ok && n != "" && n != role.ID {
		label += " (" + n + ")"
	}
	src := role.Loc.File
	if src == "" {
		src = role.Origin
	}
	if src == "" {
		src = where
	}
	for _, e := range inv.Errors {
		gaps = append(gaps, "could not read "+cloudTrailErrorText(e))
	}
	return &currentRole{label: label, source: src, fn: fn, docs: docs, gaps: gaps}, nil
}
