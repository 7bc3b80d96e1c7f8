package awslive

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// acctRun is the collection of one account.
type acctRun struct {
	c       *Collector
	cfg     aws.Config // the account's credentials
	account string
	errs    *errorLog
	sem     chan struct{} // calls in flight in the account
	global  *limits       // for global services (IAM, STS, EC2 DescribeRegions)
	iam     *iamRun

	trailMu sync.Mutex
	trails  map[string]*trailInfo // trail ARN -> status and selectors
}

// collectAccount reads one account: its regions in parallel, IAM alongside.
func (c *Collector) collectAccount(ctx context.Context, base aws.Config, t target) *inventory.Inventory {
	a := &acctRun{c: c, cfg: c.accountConfig(base, t), errs: newErrorLog(), sem: make(chan struct{}, c.cfg.Concurrency)}
	a.global = newLimits(a.sem, c.cfg.Concurrency)
	inv := &inventory.Inventory{}
	scope := t.account
	if scope == "" {
		scope = "default credentials"
	}
	id, err := sts.NewFromConfig(a.clientConfig(a.global, a.cfg.Region)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		api := "sts:GetCallerIdentity"
		if t.roleARN != "" {
			api = "sts:AssumeRole " + t.roleARN
		}
		a.errs.add(scope, api, err)
		inv.Errors = a.errs.list()
		return inv
	}
	a.account = aws.ToString(id.Account)

	regions := c.explicitRegions()
	if len(regions) == 0 {
		regions, err = c.enabledRegions(ctx, a.clientConfig(a.global, a.cfg.Region))
		if err != nil {
			a.errs.add(a.account, "ec2:DescribeRegions", err)
			inv.Errors = a.errs.list()
			return inv
		}
	}
	if c.cfg.Progress != nil {
		c.cfg.Progress.Found(0, len(regions), 0)
	}

	a.iam = newIAMRun(a)
	a.iam.start(ctx)

	runs := make([]*regionRun, len(regions))
	var wg sync.WaitGroup
	for i, r := range regions {
		runs[i] = newRegionRun(a, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i].collect(ctx)
			if c.cfg.Progress != nil {
				c.cfg.Progress.Done(0, 1, 0)
			}
		}()
	}
	wg.Wait()
	a.iam.finish(ctx)

	for _, r := range regions {
		inv.Sources = append(inv.Sources, inventory.Source{Kind: inventory.LiveAWS, Path: a.account + "/" + r})
	}
	for _, run := range runs {
		run.build(inv)
	}
	a.iam.build(inv)
	inv.Errors = a.errs.list()
	return inv
}

// clientConfig is the account's configuration for one region, limited by lim.
func (a *acctRun) clientConfig(lim *limits, region string) aws.Config {
	return a.c.clientConfig(a.cfg, lim, region)
}

// item is the identity of an inventory item read in this account.
func (a *acctRun) item(id, region string) inventory.Item {
	origin := a.account
	if region != "" {
		origin += "/" + region
	}
	return inventory.Item{ID: id, Source: inventory.LiveAWS, Origin: origin, Account: a.account, Region: region}
}

// scope is "ACCOUNT/REGION" (or "ACCOUNT" for global services) for errors.
func (a *acctRun) scope(region string) string {
	if region == "" {
		return a.account
	}
	return a.account + "/" + region
}
