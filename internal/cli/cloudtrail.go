package cli

import (
	"context"
	"sort"
	"time"

	"github.com/spf13/cobra"

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

// runScanWithCloudTrail runs the scan; with --cloudtrail it first reads the
// logs and adds a step, after loading and before checking, that fills the
// inventory from them (roles' last use per service for LW-IAM-11, functions'
// last deployment for LW-CHG-02). Log files that cannot be read are listed in
// the scan's errors.
func (a *App) runScanWithCloudTrail(cmd *cobra.Command, opts scan.Options) (*scan.Outcome, error) {
	paths, _ := cmd.Flags().GetStringArray("cloudtrail")
	if len(paths) == 0 {
		return scan.Run(cmd.Context(), opts)
	}
	enrich, errs := a.cloudTrailEnricher(cmd.Context(), paths, opts)
	if enrich != nil {
		opts.AfterLoad = append(opts.AfterLoad, enrich)
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
func (a *App) cloudTrailEnricher(ctx context.Context, paths []string, opts scan.Options) (func(context.Context, []*scan.Tree, *inventory.Inventory), []inventory.Error) {
	files, ferrs := cloudtrail.Files(paths)
	sum, _, rerrs := cloudtrail.Summarize(ctx, files, cloudtrail.DefaultRules(), cloudtrail.ReadOptions{Workers: opts.Workers})
	errs := cloudTrailReadErrors(append(ferrs, rerrs...))
	if ctx.Err() != nil {
		return nil, errs
	}
	log := opts.Logger
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	unused := opts.Settings.UnusedDays
	return func(_ context.Context, _ []*scan.Tree, inv *inventory.Inventory) {
		st := cloudtrail.Enrich(inv, sum, cloudtrail.EnrichOptions{Now: now, UnusedDays: unused})
		if log != nil {
			log.Info("cloudtrail", "files", len(files), "roles", st.Roles, "roles_unknown", st.RolesUnknown,
				"functions", st.Functions, "functions_unknown", st.FunctionsUnknown)
		}
	}, errs
}

func sortInventoryErrors(errs []inventory.Error) {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Source != errs[j].Source {
			return errs[i].Source < errs[j].Source
		}
		return errs[i].Line < errs[j].Line
	})
}
