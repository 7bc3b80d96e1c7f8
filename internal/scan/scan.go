package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/waiver"
)

// Options say what to scan and how.
type Options struct {
	// Paths are the PATHs to scan, as the user gave them (default ".").
	Paths []string
	// Sources are the inputs the scan recognises, in order. The scan imports
	// no source package: the caller passes them in.
	Sources []Source
	// Load is passed to every Source's Load.
	Load LoadOptions

	// Catalog is the checks to choose from (default checks.Catalog()).
	Catalog []*checks.Check
	// Selection chooses the checks that run.
	Selection checks.Selection
	// Settings are the checks' thresholds (start from checks.DefaultSettings()).
	Settings checks.Settings
	// VulnDB is the vulnerability database LW-RUN-04 matches dependencies
	// against (--vuln-db); nil when none is given.
	VulnDB checks.VulnDB
	// SeverityOverrides replace the severity of every result of a check.
	SeverityOverrides map[string]result.Severity
	// MinSeverity drops results below it.
	MinSeverity result.Severity
	// Waivers are the config file's waivers; inline waivers come from the
	// sources. An inline waiver whose check ID or glob names no check of
	// Catalog is an error naming its file and line, and is not applied.
	Waivers []waiver.Rule

	// AfterLoad are steps run in order, once, on the merged inventory
	// before any check runs (linking deployment packages to their
	// functions, filling activity from CloudTrail). trees are the scanned
	// PATHs, in order. A step should return promptly once ctx is done.
	AfterLoad []func(ctx context.Context, trees []*Tree, inv *inventory.Inventory)

	// Now is the scan date for runtime deprecation and waiver expiry
	// (default time.Now()).
	Now time.Time
	// Tool names the scanner in the results.
	Tool result.Tool
	// Workers bounds how many inputs load at once (default GOMAXPROCS).
	Workers int
	// Progress, when set, is called after each input is loaded with the
	// number loaded so far and the total. Calls never overlap.
	Progress func(done, total int)
	// Logger receives diagnostics (default: discarded).
	Logger *slog.Logger
}

// Outcome is what a scan produced.
type Outcome struct {
	// Scan holds the reported results, sorted, with the sources and errors.
	Scan *result.Scan
	// Inventory is everything the sources found, merged in a fixed order.
	Inventory *inventory.Inventory
	// Checks are the checks that ran, with severity overrides applied.
	Checks []*checks.Check
	// UnusedWaivers describe waivers that matched no FAIL, leaving out
	// waivers of checks that did not run.
	UnusedWaivers []string
}

// Run scans every PATH: it walks each into a Tree, lets every Source find
// and load its inputs (concurrently, merged in PATH, source and input
// order), runs the selected checks, applies severity overrides, waivers and
// the minimum severity, and sorts the results. Input that cannot be read
// becomes an entry in Scan.Errors; the error return is for a cancelled
// context only. Cancellation is prompt: work in flight (an input being
// loaded, a check being evaluated) is abandoned, and Run returns ctx.Err()
// without waiting for it.
func Run(ctx context.Context, opts Options) (*Outcome, error) {
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	if opts.Catalog == nil {
		opts.Catalog = checks.Catalog()
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	start := time.Now()
	inv, trees, err := load(ctx, opts, workers)
	if err != nil {
		return nil, err
	}
	opts.Logger.Debug("loaded", "sources", len(inv.Sources), "functions", len(inv.Functions), "errors", len(inv.Errors), "elapsed", time.Since(start).Round(time.Millisecond))
	for _, step := range opts.AfterLoad {
		if err := runAbandonable(ctx, func() {
			if err := protect(opts.Logger, func() error { step(ctx, trees, inv); return nil }); err != nil {
				inv.Errors = append(inv.Errors, inventory.Error{Source: "after load", Message: err.Error()})
			}
		}); err != nil {
			return nil, err
		}
	}
	start = time.Now()

	selected := overrideSeverities(checks.Select(opts.Catalog, opts.Selection, opts.Settings), opts.SeverityOverrides)
	env := &checks.Env{Index: inventory.NewIndex(inv), Settings: opts.Settings, Now: opts.Now, VulnDB: opts.VulnDB}
	results, checkErrs, err := runChecks(ctx, opts.Logger, env, selected, workers)
	if err != nil {
		return nil, err
	}
	for i := range results {
		if sev, ok := opts.SeverityOverrides[results[i].CheckID]; ok {
			results[i].Severity = sev
		}
	}

	opts.Logger.Debug("checked", "checks", len(selected), "results", len(results), "elapsed", time.Since(start).Round(time.Millisecond))

	waivers, waiverErrs := waiver.New(opts.Waivers, inv, opts.Now, checkIDs(opts.Catalog))
	waivers.Apply(results)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	kept := results[:0]
	for _, r := range results {
		if r.Severity >= opts.MinSeverity {
			kept = append(kept, r)
		}
	}
	results = kept
	for i := range results {
		if results[i].Controls == nil {
			results[i].Controls = []string{}
		}
	}
	results = sortResults(results)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	errs := append(append(append([]inventory.Error{}, inv.Errors...), waiverErrs...), checkErrs...)
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Source != errs[j].Source {
			return errs[i].Source < errs[j].Source
		}
		return errs[i].Line < errs[j].Line
	})
	s := &result.Scan{
		Tool:      opts.Tool,
		Sources:   dedupeSources(inv.Sources),
		Functions: len(inv.Functions),
		Results:   results,
		Errors:    errs,
		Accounts:  accounts(inv),
		Regions:   regions(inv),
		Timestamp: opts.Now.UTC().Format(time.RFC3339),
	}
	if s.Results == nil {
		s.Results = []result.Result{}
	}
	return &Outcome{Scan: s, Inventory: inv, Checks: selected, UnusedWaivers: waivers.Unused(checkIDs(selected))}, nil
}

// checkIDs returns the IDs of cs.
func checkIDs(cs []*checks.Check) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// job is one unit of loading work; its output lands in its own slot so that
// the merge order does not depend on scheduling.
type job struct {
	tree   *Tree
	source Source
	input  string
}

// load walks the PATHs, finds every source's inputs and loads them with a
// bounded pool, then merges the inventories in a fixed order. It returns
// the merged inventory and the trees of the PATHs that could be read.
func load(ctx context.Context, opts Options, workers int) (*inventory.Inventory, []*Tree, error) {
	merged := &inventory.Inventory{}
	var trees []*Tree
	for _, p := range opts.Paths {
		t, err := NewTree(ctx, p)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			// The message names the PATH only by its display name: reports
			// never hold absolute paths.
			msg := err.Error()
			if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
				msg = "cannot read: " + pe.Err.Error()
			}
			merged.Errors = append(merged.Errors, inventory.Error{Source: displayName(p), Message: msg})
			continue
		}
		trees = append(trees, t)
	}

	// Find, one (tree, source) pair per slot.
	type finding struct {
		inputs []string
		err    error
	}
	finds := make([]finding, len(trees)*len(opts.Sources))
	err := parallel(ctx, workers, len(finds), func(i int) {
		t, src := trees[i/len(opts.Sources)], opts.Sources[i%len(opts.Sources)]
		err := protect(opts.Logger, func() error {
			in, err := src.Find(ctx, t)
			finds[i].inputs = in
			return err
		})
		finds[i].err = err
	})
	if err != nil {
		return nil, nil, err
	}
	var jobs []job
	for i, f := range finds {
		t, src := trees[i/len(opts.Sources)], opts.Sources[i%len(opts.Sources)]
		if f.err != nil {
			merged.Errors = append(merged.Errors, inventory.Error{Source: t.Display, Message: fmt.Sprintf("%s: find inputs: %v", src.Kind(), f.err)})
		}
		for _, in := range f.inputs {
			jobs = append(jobs, job{tree: t, source: src, input: in})
		}
	}

	// Load, one input per slot.
	invs := make([]*inventory.Inventory, len(jobs))
	var mu sync.Mutex
	done := 0
	stopped := false // set once load returns: abandoned loads report no progress
	defer func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
	}()
	err = parallel(ctx, workers, len(jobs), func(i int) {
		j := jobs[i]
		var inv *inventory.Inventory
		if err := protect(opts.Logger, func() error {
			inv = j.source.Load(ctx, j.tree, j.input, opts.Load)
			return nil
		}); err != nil {
			inv = &inventory.Inventory{Errors: []inventory.Error{{Source: j.tree.DisplayPath(j.input), Message: fmt.Sprintf("%s: %v", j.source.Kind(), err)}}}
		}
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		invs[i] = inv
		if opts.Progress != nil && ctx.Err() == nil {
			done++
			opts.Progress(done, len(jobs))
		}
	})
	if err != nil {
		return nil, nil, err
	}
	mu.Lock()
	stopped = true
	mu.Unlock()
	for _, inv := range invs {
		Merge(merged, inv)
	}
	return merged, trees, nil
}

// parallel calls fn(0..n-1) on at most workers goroutines and waits for
// them. When ctx is cancelled it stops handing out work and returns
// ctx.Err() at once, without waiting for the calls in flight: they finish
// in the background, and their caller must ignore what they produce (fn
// must not touch anything the caller uses after parallel returns an error).
func parallel(ctx context.Context, workers, n int, fn func(i int)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	workers = min(workers, n)
	if workers <= 0 {
		return nil
	}
	next := make(chan int)
	finished := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() == nil {
					fn(i)
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(finished)
	}()
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	select {
	case <-finished:
	case <-ctx.Done():
	}
	return ctx.Err()
}

// runAbandonable runs fn and waits for it, or returns ctx.Err() as soon as
// ctx is done, leaving fn to finish in the background.
func runAbandonable(ctx context.Context, fn func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		fn()
	}()
	select {
	case <-finished:
	case <-ctx.Done():
	}
	return ctx.Err()
}

// protect runs fn and turns a panic in it into an error, so that one bad
// input or check cannot take the whole scan down.
func protect(log *slog.Logger, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("recovered panic", "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("internal error (please report it): %v", p)
		}
	}()
	return fn()
}

// Merge appends every list of src to dst (items, sources, waivers, errors).
// It covers every slice field of Inventory, including ones added later.
func Merge(dst, src *inventory.Inventory) {
	if src == nil {
		return
	}
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := 0; i < d.NumField(); i++ {
		if d.Field(i).Kind() == reflect.Slice {
			d.Field(i).Set(reflect.AppendSlice(d.Field(i), s.Field(i)))
		}
	}
}

// overrideSeverities returns the checks with the configured severities,
// copying a check only when its severity changes.
func overrideSeverities(cs []*checks.Check, over map[string]result.Severity) []*checks.Check {
	out := make([]*checks.Check, len(cs))
	for i, c := range cs {
		out[i] = c
		if sev, ok := over[c.ID]; ok && sev != c.Severity {
			cp := *c
			cp.Severity = sev
			out[i] = &cp
		}
	}
	return out
}

// runChecks runs every check on the pool. A check that panics yields an
// error naming it instead of results. When ctx is cancelled it returns
// ctx.Err() at once; checks still running are abandoned.
func runChecks(ctx context.Context, log *slog.Logger, env *checks.Env, cs []*checks.Check, workers int) ([]result.Result, []inventory.Error, error) {
	per := make([][]result.Result, len(cs))
	errs := make([]error, len(cs))
	var mu sync.Mutex
	stopped := false // set once runChecks returns: abandoned checks write nothing
	defer func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
	}()
	err := parallel(ctx, workers, len(cs), func(i int) {
		var rs []result.Result
		err := protect(log, func() error {
			rs = checks.Run(env, cs[i:i+1])
			return nil
		})
		mu.Lock()
		defer mu.Unlock()
		if !stopped {
			per[i], errs[i] = rs, err
		}
	})
	if err != nil {
		return nil, nil, err
	}
	mu.Lock()
	stopped = true
	mu.Unlock()
	n := 0
	for i := range per {
		n += len(per[i])
	}
	out := make([]result.Result, 0, n)
	var ierrs []inventory.Error
	for i := range cs {
		out = append(out, per[i]...)
		if errs[i] != nil {
			ierrs = append(ierrs, inventory.Error{Source: "check " + cs[i].ID, Message: errs[i].Error()})
		}
	}
	return out, ierrs, nil
}

// sortResults returns the results in output order (result.Less). It sorts
// indices rather than moving the large Result values around, which matters
// with tens of thousands of results.
func sortResults(rs []result.Result) []result.Result {
	idx := make([]int32, len(rs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		switch {
		case result.Less(rs[a], rs[b]):
			return -1
		case result.Less(rs[b], rs[a]):
			return 1
		}
		return 0
	})
	out := make([]result.Result, len(rs))
	for i, j := range idx {
		out[i] = rs[j]
	}
	return out
}

// dedupeSources drops repeated sources, keeping the first of each.
func dedupeSources(in []inventory.Source) []inventory.Source {
	out := []inventory.Source{}
	seen := map[inventory.Source]bool{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func accounts(inv *inventory.Inventory) []string {
	set := map[string]bool{}
	for _, f := range inv.Functions {
		if f.Account != "" && f.Account != inventory.CurrentAccount {
			set[f.Account] = true
		}
	}
	for _, a := range inv.Accounts {
		if a.AccountID != "" {
			set[a.AccountID] = true
		}
	}
	return sortedKeys(set)
}

func regions(inv *inventory.Inventory) []string {
	set := map[string]bool{}
	for _, f := range inv.Functions {
		if f.Region != "" && f.Region != inventory.CurrentRegion {
			set[f.Region] = true
		}
	}
	for _, a := range inv.Accounts {
		if a.Region != "" {
			set[a.Region] = true
		}
	}
	return sortedKeys(set)
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
