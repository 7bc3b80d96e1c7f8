package cli

import (
	"context"
	"sort"
	"sync"

	"github.com/spf13/cobra"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/cloudtrail"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// `scan --cloudtrail PATH`: CloudTrail log files whose activity fills the
// inventory fields LW-IAM-11 (per-service last use of each role) and
// LW-CHG-02 (each function's last deployment) read, for IaC and live
// items alike (see cloudtrail.Enrich).

// addScanCloudTrailFlag registers scan's --cloudtrail flag.
func addScanCloudTrailFlag(cmd *cobra.Command) {
	cmd.Flags().StringArray("cloudtrail", nil, "CloudTrail log file or folder `PATH` for LW-IAM-11 and LW-CHG-02 (repeatable; see 'policy generate')")
}

// runScanWithCloudTrail is scan.Run that first reads the --cloudtrail
// logs, then fills the loaded inventory from them before any check runs.
// The logs' unreadable files are added to the scan's errors.
//
// scan.Run has no step between loading and checking, so the filling runs
// once, in the first selected check to start, before that check and while
// every other check waits for it (a sync.Once in each check's Run). With
// a post-load hook in scan.Options it would be a plain call.
func (a *App) runScanWithCloudTrail(cmd *cobra.Command, opts scan.Options) (*scan.Outcome, error) {
	paths, _ := cmd.Flags().GetStringArray("cloudtrail")
	if len(paths) == 0 {
		return scan.Run(cmd.Context(), opts)
	}
	enrich, errs := a.cloudTrailEnricher(cmd.Context(), paths, opts)
	if opts.Catalog == nil {
		opts.Catalog = checks.Catalog()
	}
	if enrich != nil {
		opts.Catalog = withPreCheck(opts.Catalog, enrich)
	}
	out, err := scan.Run(cmd.Context(), opts)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		out.Scan.Errors = append(out.Scan.Errors, errs...)
		sortInventoryErrors(out.Scan.Errors)
	}
	return out, nil
}

// cloudTrailEnricher reads the logs into a summary and returns the step
// that fills an inventory from it, with the files that could not be read.
func (a *App) cloudTrailEnricher(ctx context.Context, paths []string, opts scan.Options) (func(*checks.Env), []inventory.Error) {
	files, ferrs := cloudtrail.Files(paths)
	sum, _, rerrs := cloudtrail.Summarize(ctx, files, cloudtrail.DefaultRules(), cloudtrail.ReadOptions{Workers: opts.Workers})
	errs := cloudTrailReadErrors(append(ferrs, rerrs...))
	if ctx.Err() != nil {
		return nil, errs
	}
	log := opts.Logger
	return func(env *checks.Env) {
		st := cloudtrail.Enrich(env.Inventory(), sum, cloudtrail.EnrichOptions{Now: env.Now, UnusedDays: env.Settings.UnusedDays})
		if log != nil {
			log.Info("cloudtrail", "files", len(files), "roles", st.Roles, "roles_unknown", st.RolesUnknown,
				"functions", st.Functions, "functions_unknown", st.FunctionsUnknown)
		}
	}, errs
}

// withPreCheck returns copies of the checks whose Run first calls pre,
// once for the whole scan, before any of them evaluates.
func withPreCheck(catalog []*checks.Check, pre func(*checks.Env)) []*checks.Check {
	var once sync.Once
	out := make([]*checks.Check, len(catalog))
	for i, c := range catalog {
		cp := *c
		run := c.Run
		cp.Run = func(env *checks.Env) []checks.Finding {
			once.Do(func() { pre(env) })
			return run(env)
		}
		out[i] = &cp
	}
	return out
}

func sortInventoryErrors(errs []inventory.Error) {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Source != errs[j].Source {
			return errs[i].Source < errs[j].Source
		}
		return errs[i].Line < errs[j].Line
	})
}
