package cli

// The live AWS inputs of `scan` (--aws, --snapshot) and the `inventory`
// command that saves a live inventory for later, offline checks.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/lambdawarden/lambdawarden/internal/awslive"
	"github.com/lambdawarden/lambdawarden/internal/config"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// awsFlags select the accounts and regions to read, as AWS CLI users expect.
type awsFlags struct {
	aws         bool
	profile     string
	regions     []string
	roleARNs    []string
	orgRole     string
	externalID  string
	endpoint    string
	concurrency int
	regionConc  int
	accounts    int
}

func addAWSFlags(cmd *cobra.Command, f *awsFlags) {
	fl := cmd.Flags()
	fl.BoolVar(&f.aws, "aws", false, "read the live AWS account(s) with your usual AWS credentials")
	fl.StringVar(&f.profile, "profile", "", "AWS shared config `PROFILE` (SSO and assume-role profiles work; default: the AWS default chain)")
	fl.StringSliceVar(&f.regions, "regions", nil, "`all` or a comma-separated list of regions (default: the account's enabled regions)")
	fl.StringArrayVar(&f.roleARNs, "role-arn", nil, "assume this role `ARN` and read its account (repeatable)")
	fl.StringVar(&f.orgRole, "org-role", "", "assume role `NAME` in every active account of the organization and read them all")
	fl.StringVar(&f.externalID, "external-id", "", "external `ID` for --role-arn and --org-role")
	fl.StringVar(&f.endpoint, "endpoint-url", "", "send every AWS call to `URL` (an emulator such as LocalStack or moto; default: AWS, or AWS_ENDPOINT_URL)")
	d := awslive.DefaultConfig()
	fl.IntVar(&f.concurrency, "aws-concurrency", d.Concurrency, "API calls in flight per account")
	fl.IntVar(&f.regionConc, "aws-region-concurrency", d.RegionConcurrency, "API calls in flight per account and region")
	fl.IntVar(&f.accounts, "aws-accounts", d.Accounts, "accounts read at once")
}

// collectorConfig turns the flags into the collector's configuration.
func (f *awsFlags) collectorConfig() awslive.Config {
	return awslive.Config{
		Profile: f.profile, Regions: f.regions, RoleARNs: f.roleARNs, OrgRole: f.orgRole, ExternalID: f.externalID,
		Endpoint: f.endpoint, Concurrency: f.concurrency, RegionConcurrency: f.regionConc, Accounts: f.accounts,
	}
}

func (f *awsFlags) usedWithoutAWS(cmd *cobra.Command) string {
	for _, n := range []string{"profile", "regions", "role-arn", "org-role", "external-id", "endpoint-url"} {
		if cmd.Flags().Changed(n) {
			return "--" + n
		}
	}
	return ""
}

// newLiveScanCommand is `scan` with --aws and --snapshot: the live (or
// saved) inventory goes through the same pipeline as IaC inputs, so both
// give identical results for the same inventory.
func newLiveScanCommand(a *App) *cobra.Command {
	cmd := newScanCommand(a)
	var f awsFlags
	var snapshot string
	addAWSFlags(cmd, &f)
	cmd.Flags().StringVar(&snapshot, "snapshot", "", "re-check a saved inventory `FILE` (from 'lambdawarden inventory'), fully offline")
	cmd.Use = "scan [PATH...] | scan --aws [flags] | scan --snapshot FILE"
	cmd.Example += `
  lambdawarden scan --aws --profile audit --regions us-east-1,eu-west-1
  lambdawarden scan --aws --org-role OrganizationAccountAccessRole --format json -o results.json
  lambdawarden scan --snapshot snap.json`
	iacRun := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		switch {
		case !f.aws && snapshot == "":
			if flag := f.usedWithoutAWS(cmd); flag != "" {
				return usageError("%s needs --aws", flag)
			}
			return iacRun(cmd, args)
		case f.aws && snapshot != "":
			return usageError("--aws and --snapshot cannot be combined")
		case len(args) > 0:
			return usageError("--aws and --snapshot take no PATH (got %s)", strings.Join(args, " "))
		}
		cfgPath, _ := cmd.Flags().GetString("config")
		if cfgPath == "" {
			// The config file of the working directory, as for `scan .`.
			if cfgPath = config.Locate(nil); cfgPath != "" {
				if err := cmd.Flags().Set("config", cfgPath); err != nil {
					return err
				}
			}
		}
		var inv *inventory.Inventory
		var err error
		if snapshot != "" {
			inv, err = readSnapshot(snapshot)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
		} else {
			cc := f.collectorConfig()
			if cfgPath != "" {
				cfg, err := config.Load(cfgPath)
				if err != nil {
					return &exitError{code: ExitError, err: err}
				}
				cc.Tags = len(cfg.Settings.RequiredTags) > 0
			}
			if inv, err = a.collectLive(cmd, cc); err != nil {
				return err
			}
		}
		return a.scanInventory(cmd, inv, iacRun)
	}
	return cmd
}

// scanInventory runs scan's pipeline over an inventory already read: the
// inventory is the single input of an empty PATH.
func (a *App) scanInventory(cmd *cobra.Command, inv *inventory.Inventory, run func(*cobra.Command, []string) error) error {
	dir, err := os.MkdirTemp("", "lambdawarden-live-")
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	defer os.RemoveAll(dir)
	saved := a.Sources
	a.Sources = func() []scan.Source { return []scan.Source{&inventorySource{inv: inv}} }
	defer func() { a.Sources = saved }()
	return run(cmd, []string{dir})
}

// inventorySource is an inventory already read (live or from a snapshot),
// offered to the scan pipeline as its one input.
type inventorySource struct{ inv *inventory.Inventory }

func (*inventorySource) Kind() inventory.SourceKind { return inventory.LiveAWS }

func (*inventorySource) Find(context.Context, *scan.Tree) ([]string, error) {
	return []string{"aws"}, nil
}

func (s *inventorySource) Load(context.Context, *scan.Tree, string, scan.LoadOptions) *inventory.Inventory {
	return s.inv
}

// collectLive reads the live accounts with a progress bar on a terminal.
func (a *App) collectLive(cmd *cobra.Command, cc awslive.Config) (*inventory.Inventory, error) {
	quiet, _ := cmd.Flags().GetBool("quiet")
	noProgress, _ := cmd.Flags().GetBool("no-progress")
	cc.Logger = a.logger(cmd, quiet)
	cc.Now = a.Now
	var bar *liveProgress
	if !quiet && !noProgress && a.IsTerminal(a.Stderr) {
		bar = newLiveProgress(a.Stderr)
		cc.Progress = bar
	}
	inv, err := awslive.New(cc).Collect(cmd.Context())
	bar.finish()
	if err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("read AWS: %w", err)}
	}
	return inv, nil
}

func readSnapshot(path string) (*inventory.Inventory, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--snapshot: %w", err)
	}
	defer fh.Close()
	inv, err := awslive.ReadSnapshot(fh)
	if err != nil {
		return nil, fmt.Errorf("--snapshot %s: %w", path, err)
	}
	return inv, nil
}

// newInventoryCommand is `inventory --aws -o FILE`.
func newInventoryCommand(a *App) *cobra.Command {
	var f awsFlags
	var out string
	var quiet, noProgress bool
	cmd := &cobra.Command{
		Use:   "inventory --aws -o FILE",
		Short: "Save the normalized live inventory (JSON) for later, offline checks",
		Long: `Inventory reads the live AWS account(s) as 'scan --aws' does and saves the normalized
inventory as JSON, sorted so that the same account gives the same file. Secrets in
environment values are redacted when they are read: the file keeps only what the checks
need. 'lambdawarden scan --snapshot FILE' re-checks it offline with identical results.

Exit codes: 0 saved; 2 usage error, or some AWS call failed (the file is still written,
with the failed calls under errors and the values they would have told unknown).`,
		Example: `  lambdawarden inventory --aws --profile audit -o snap.json
  lambdawarden scan --snapshot snap.json --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !f.aws {
				return usageError("inventory needs --aws (the live accounts are the only inventory source)")
			}
			cc := f.collectorConfig()
			cc.Tags = true
			inv, err := a.collectLive(cmd, cc)
			if err != nil {
				return err
			}
			if err := writeSnapshotFile(a.Stdout, out, inv); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if n := len(inv.Errors); n > 0 {
				if !quiet {
					fmt.Fprintf(a.Stderr, "lambdawarden: %d AWS %s failed; the inventory lists them under errors\n", n, plural(n, "call", "calls"))
				}
				return exitCode(ExitError)
			}
			return nil
		},
	}
	addAWSFlags(cmd, &f)
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the inventory to `FILE` (default stdout)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing on stderr but fatal errors")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "do not show progress on stderr")
	return cmd
}

// writeSnapshotFile writes the snapshot to stdout ("" or "-") or next to
// file and renames it into place.
func writeSnapshotFile(stdout io.Writer, file string, inv *inventory.Inventory) error {
	if file == "" || file == "-" {
		return awslive.WriteSnapshot(stdout, inv)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return fmt.Errorf("write inventory: %w", err)
	}
	err = awslive.WriteSnapshot(tmp, inv)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write inventory to %s: %w", file, err)
	}
	return nil
}

// liveProgress shows accounts, regions and functions done on stderr.
type liveProgress struct {
	mu                                 sync.Mutex
	bar                                *progressbar.ProgressBar
	accounts, regions, fns             int
	accountsDone, regionsDone, fnsDone int
}

func newLiveProgress(w io.Writer) *liveProgress {
	return &liveProgress{bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetWidth(30),
		progressbar.OptionSetDescription("reading AWS"))}
}

// Found implements awslive.Progress.
func (p *liveProgress) Found(accounts, regions, functions int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.accounts += accounts
	p.regions += regions
	p.fns += functions
	if functions > 0 {
		p.bar.ChangeMax(p.fns)
	}
	p.describe()
}

// Done implements awslive.Progress.
func (p *liveProgress) Done(accounts, regions, functions int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.accountsDone += accounts
	p.regionsDone += regions
	p.fnsDone += functions
	if functions > 0 {
		_ = p.bar.Add(functions)
	}
	p.describe()
}

func (p *liveProgress) describe() {
	p.bar.Describe(fmt.Sprintf("accounts %d/%d, regions %d/%d, functions", p.accountsDone, p.accounts, p.regionsDone, p.regions))
}

func (p *liveProgress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Clear()
}
