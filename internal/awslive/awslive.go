// Package awslive is the live AWS source: it reads every Lambda function and
// what surrounds it (resource policies, URLs, aliases, roles and policies,
// log groups, alarms, network, account guard rails, IAM last-accessed data,
// CloudTrail deployments) from one or more accounts and regions into the
// shared inventory, with few API calls, bounded concurrency and the SDK's
// adaptive retry. A call that fails (access denied, or any error left after
// the retries) makes the values it would have told unknown, names the API
// call, and is listed in the inventory's errors; the rest is still read.
package awslive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Config says which accounts and regions to read and how hard to push.
type Config struct {
	// Profile is the shared config profile (--profile); empty uses the
	// default chain (environment, AWS_PROFILE, SSO, instance roles, ...).
	Profile string
	// Regions to read; empty or ["all"] means the account's enabled regions
	// (ec2:DescribeRegions).
	Regions []string
	// RoleARNs are roles to assume, one account each (--role-arn). Without
	// them and without OrgRole, the caller's own account is read.
	RoleARNs []string
	// OrgRole is a role name to assume in every ACTIVE account of the
	// organization (--org-role); ExternalID goes with every assumption.
	OrgRole    string
	ExternalID string

	// Accounts is how many accounts are read at once.
	Accounts int
	// Concurrency bounds the API calls in flight per account; the
	// paginated listings (one page at a time each, a handful per region)
	// come on top, so that they are never starved by per-function calls.
	Concurrency int
	// RegionConcurrency bounds the per-function and one-off calls in flight
	// per account and region.
	RegionConcurrency int
	// MaxAttempts is the SDK's attempts per call (adaptive retry mode).
	MaxAttempts int
	// MaxBackoff caps the retry backoff.
	MaxBackoff time.Duration
	// LookbackDays is how far CloudTrail is searched for deployments.
	LookbackDays int
	// Tags reads function tags (one lambda:GetFunction per function);
	// without it tags are unknown. LW-TAG-01 needs them.
	Tags bool
	// NoLastAccessed skips IAM last-accessed data for the execution roles
	// (LW-IAM-11 is then UNKNOWN); reading it costs two IAM calls per role.
	NoLastAccessed bool
	// LastAccessedWait bounds how long an IAM last-accessed job is polled.
	LastAccessedWait time.Duration
	// LastAccessedDelay is when a last-accessed job is expected to be done:
	// its first poll comes that long after it was started, later polls back
	// off (doubling, at most 5 s), so a job usually costs one poll.
	LastAccessedDelay time.Duration

	// Endpoint overrides every service endpoint (tests, benchmarks);
	// AWS_ENDPOINT_URL is honoured without it.
	Endpoint string
	// HTTPClient is the base client (default: the SDK's, honouring
	// AWS_CA_BUNDLE, with more idle connections per host).
	HTTPClient aws.HTTPClient
	// LoadOptions are extra options for config.LoadDefaultConfig.
	LoadOptions []func(*config.LoadOptions) error
	// Now is the clock (CloudTrail window).
	Now func() time.Time
	// Progress, when set, is told what was found and done.
	Progress Progress
	// Logger receives diagnostics (default: discarded).
	Logger *slog.Logger
}

// DefaultConfig returns the defaults: 4 accounts at once, 32 calls in
// flight per account and 16 per region, 10 attempts per call, 90 days of
// CloudTrail, IAM last-accessed data on.
func DefaultConfig() Config {
	return Config{
		Accounts: 4, Concurrency: 32, RegionConcurrency: 16, MaxAttempts: 10, MaxBackoff: 20 * time.Second,
		LookbackDays: 90, LastAccessedWait: 2 * time.Minute, LastAccessedDelay: 2 * time.Second,
	}
}

// Progress is told, as the collection goes, how many accounts, regions and
// functions were found and finished. Calls may come from several goroutines.
type Progress interface {
	Found(accounts, regions, functions int)
	Done(accounts, regions, functions int)
}

// Stats count the API calls a collection made.
type Stats struct {
	Calls    int64 // HTTP attempts, retries included
	Throttle int64 // attempts answered with a throttling error
}

// Collector reads live AWS accounts into an inventory.
type Collector struct {
	cfg   Config
	stats *callStats
}

// New returns a collector; zero fields of cfg take DefaultConfig's values.
func New(cfg Config) *Collector {
	d := DefaultConfig()
	if cfg.Accounts <= 0 {
		cfg.Accounts = d.Accounts
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = d.Concurrency
	}
	if cfg.RegionConcurrency <= 0 {
		cfg.RegionConcurrency = min(d.RegionConcurrency, cfg.Concurrency)
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = d.MaxAttempts
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = d.MaxBackoff
	}
	if cfg.LookbackDays <= 0 {
		cfg.LookbackDays = d.LookbackDays
	}
	if cfg.LastAccessedWait <= 0 {
		cfg.LastAccessedWait = d.LastAccessedWait
	}
	if cfg.LastAccessedDelay <= 0 {
		cfg.LastAccessedDelay = d.LastAccessedDelay
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Collector{cfg: cfg, stats: &callStats{}}
}

// Stats returns the calls made so far.
func (c *Collector) Stats() Stats { return c.stats.snapshot() }

// ErrNoCredentials is returned when no AWS credentials can be found.
var ErrNoCredentials = errors.New("no AWS credentials found (set AWS_PROFILE, run 'aws sso login', or pass --profile)")

// target is one account to read: the credentials of the base config, or a
// role to assume.
type target struct {
	roleARN string
	account string // known up front for roles
}

// Collect reads every target account and region. Failures of single calls
// are in the inventory's Errors; the error return is for what stops the
// whole collection: no usable credentials, an unreadable organization, a
// cancelled context.
func (c *Collector) Collect(ctx context.Context) (*inventory.Inventory, error) {
	base, err := c.baseConfig(ctx)
	if err != nil {
		return nil, err
	}
	targets, err := c.targets(ctx, base)
	if err != nil {
		return nil, err
	}
	if c.cfg.Progress != nil {
		c.cfg.Progress.Found(len(targets), 0, 0)
	}
	invs := make([]*inventory.Inventory, len(targets))
	sem := make(chan struct{}, c.cfg.Accounts)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			invs[i] = c.collectAccount(ctx, base, t)
			if c.cfg.Progress != nil {
				c.cfg.Progress.Done(1, 0, 0)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := &inventory.Inventory{}
	for _, inv := range invs {
		merge(out, inv)
	}
	Normalize(out)
	return out, nil
}

// baseConfig loads the caller's configuration the way the AWS CLI does.
func (c *Collector) baseConfig(ctx context.Context) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(c.retryer),
	}
	if c.cfg.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(c.cfg.HTTPClient))
	}
	if c.cfg.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.cfg.Profile))
	}
	opts = append(opts, c.cfg.LoadOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if c.cfg.Endpoint != "" {
		cfg.BaseEndpoint = aws.String(c.cfg.Endpoint)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Credentials == nil {
		return aws.Config{}, ErrNoCredentials
	}
	if c.cfg.HTTPClient == nil {
		if b, ok := cfg.HTTPClient.(*awshttp.BuildableClient); ok {
			cfg.HTTPClient = b.WithTransportOptions(func(t *http.Transport) {
				t.MaxIdleConns = 1024
				t.MaxIdleConnsPerHost = 256
			})
		}
	}
	return cfg, nil
}

// retryer is the SDK's adaptive retry mode (client-side rate limiting that
// backs off on throttling), with more attempts than the default and without
// the retry quota, so that a long scan under throttling loses nothing.
func (c *Collector) retryer() aws.Retryer {
	return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.MaxAttempts = c.cfg.MaxAttempts
			so.MaxBackoff = c.cfg.MaxBackoff
			so.RateLimiter = ratelimit.None
		})
	})
}

// targets lists the accounts to read.
func (c *Collector) targets(ctx context.Context, base aws.Config) ([]target, error) {
	var out []target
	seen := map[string]bool{}
	for _, arn := range c.cfg.RoleARNs {
		acct, ok := arnAccount(arn)
		if !ok || !strings.Contains(arn, ":role/") {
			return nil, fmt.Errorf("--role-arn %q: not an IAM role ARN", arn)
		}
		if !seen[arn] {
			seen[arn] = true
			out = append(out, target{roleARN: arn, account: acct})
		}
	}
	if c.cfg.OrgRole != "" {
		cl := organizations.NewFromConfig(c.clientConfig(base, nil, "us-east-1"))
		p := organizations.NewListAccountsPaginator(cl, &organizations.ListAccountsInput{})
		var accts []string
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("list the organization's accounts (organizations:ListAccounts): %w", err)
			}
			for _, a := range page.Accounts {
				if a.Status == orgtypes.AccountStatusActive || a.State == orgtypes.AccountStateActive {
					accts = append(accts, aws.ToString(a.Id))
				}
			}
		}
		sort.Strings(accts)
		for _, a := range accts {
			arn := "arn:aws:iam::" + a + ":role/" + strings.TrimPrefix(c.cfg.OrgRole, "/")
			if !seen[arn] {
				seen[arn] = true
				out = append(out, target{roleARN: arn, account: a})
			}
		}
	}
	if len(out) == 0 {
		out = append(out, target{})
	}
	return out, nil
}

// accountConfig returns the configuration for a target: the base
// credentials, or an assumed role's (cached, refreshed before expiry).
func (c *Collector) accountConfig(base aws.Config, t target) aws.Config {
	cfg := base.Copy()
	if t.roleARN == "" {
		return cfg
	}
	stsClient := sts.NewFromConfig(c.clientConfig(base, nil, base.Region))
	provider := stscreds.NewAssumeRoleProvider(stsClient, t.roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "lambdawarden"
		if c.cfg.ExternalID != "" {
			o.ExternalID = aws.String(c.cfg.ExternalID)
		}
	})
	cfg.Credentials = aws.NewCredentialsCache(provider)
	return cfg
}

// clientConfig is cfg for one region with a call-limiting HTTP client.
func (c *Collector) clientConfig(cfg aws.Config, lim *limits, region string) aws.Config {
	out := cfg.Copy()
	out.Region = region
	out.HTTPClient = &limitedClient{base: cfg.HTTPClient, lim: lim, stats: c.stats}
	return out
}

// enabledRegions lists the account's enabled regions.
func (c *Collector) enabledRegions(ctx context.Context, cfg aws.Config) ([]string, error) {
	cl := ec2.NewFromConfig(cfg)
	out, err := cl.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, err
	}
	var regions []string
	for _, r := range out.Regions {
		regions = append(regions, aws.ToString(r.RegionName))
	}
	sort.Strings(regions)
	return regions, nil
}

// explicitRegions returns the configured regions, or nil for "enabled".
func (c *Collector) explicitRegions() []string {
	var out []string
	for _, r := range c.cfg.Regions {
		for _, p := range strings.Split(r, ",") {
			if p = strings.TrimSpace(p); p != "" {
				if strings.EqualFold(p, "all") {
					return nil
				}
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return compactStrings(out)
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// arnAccount returns the account field of an ARN.
func arnAccount(arn string) (string, bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 || p[0] != "arn" || p[4] == "" {
		return "", false
	}
	return p[4], true
}
