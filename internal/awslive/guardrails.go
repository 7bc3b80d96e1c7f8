package awslive

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cfgtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/inspector2"
	insptypes "github.com/aws/aws-sdk-go-v2/service/inspector2/types"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// readGuardRails reads the account's guard rails in the region (LW-ACC-01..06).
func (r *regionRun) readGuardRails(ctx context.Context) {
	acct := &inventory.Account{Item: r.a.item(r.a.account+"/"+r.region, r.region), AccountID: r.a.account}
	var wg sync.WaitGroup
	run := func(fn func()) {
		wg.Add(1)
		go func() { defer wg.Done(); fn() }()
	}
	run(func() { acct.MultiRegionTrailLogging, acct.LambdaDataEvents = r.trails(ctx) })
	run(func() { acct.ConfigRecordsLambdaIAM = r.configRecorder(ctx) })
	run(func() { acct.AccessAnalyzer = r.accessAnalyzer(ctx) })
	run(func() { acct.InspectorLambda = r.inspector(ctx) })
	run(func() { acct.GuardDutyLambda = r.guardDuty(ctx) })
	wg.Wait()
	r.account = acct
}

// trails: LW-ACC-01 a logging multi-region trail that records management
// events; LW-ACC-02 a logging trail covering the region with Lambda data
// events. A trail's status and selectors are read once per account, in its
// home region.
func (r *regionRun) trails(ctx context.Context) (multi, data inventory.Value[bool]) {
	out, err := cloudtrail.NewFromConfig(r.cfg).DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		why := r.fail("cloudtrail:DescribeTrails", err)
		return unknown[bool](why), unknown[bool](why)
	}
	multi, data = inventory.Of(false, noLoc), inventory.Of(false, noLoc)
	var multiWhy, dataWhy string
	for _, t := range out.TrailList {
		applies := aws.ToBool(t.IsMultiRegionTrail) || aws.ToString(t.HomeRegion) == r.region
		if !applies {
			continue
		}
		info := r.a.trail(ctx, t)
		if info.why != "" {
			if aws.ToBool(t.IsMultiRegionTrail) {
				multiWhy = info.why
			}
			dataWhy = info.why
			continue
		}
		if !info.logging {
			continue
		}
		if aws.ToBool(t.IsMultiRegionTrail) && info.management {
			multi = inventory.Of(true, noLoc)
		}
		if info.lambdaData {
			data = inventory.Of(true, noLoc)
		}
	}
	if !multi.V && multiWhy != "" {
		multi = unknown[bool](multiWhy)
	}
	if !data.V && dataWhy != "" {
		data = unknown[bool](dataWhy)
	}
	return multi, data
}

// trailInfo is what a trail's status and selectors say.
type trailInfo struct {
	once                            sync.Once
	logging, management, lambdaData bool
	why                             string
}

// trail reads a trail's status and event selectors once per account.
func (a *acctRun) trail(ctx context.Context, t cttypes.Trail) *trailInfo {
	arn := aws.ToString(t.TrailARN)
	a.trailMu.Lock()
	if a.trails == nil {
		a.trails = map[string]*trailInfo{}
	}
	info, ok := a.trails[arn]
	if !ok {
		info = &trailInfo{}
		a.trails[arn] = info
	}
	a.trailMu.Unlock()
	info.once.Do(func() {
		home := aws.ToString(t.HomeRegion)
		cl := cloudtrail.NewFromConfig(a.clientConfig(a.global, home))
		scope := a.scope(home)
		st, err := cl.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(arn)})
		if err != nil {
			info.why = a.errs.add(scope, "cloudtrail:GetTrailStatus", err)
			return
		}
		info.logging = aws.ToBool(st.IsLogging)
		sel, err := cl.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(arn)})
		if err != nil {
			info.why = a.errs.add(scope, "cloudtrail:GetEventSelectors", err)
			return
		}
		for _, s := range sel.EventSelectors {
			if s.IncludeManagementEvents == nil || *s.IncludeManagementEvents {
				info.management = true
			}
			for _, d := range s.DataResources {
				if aws.ToString(d.Type) == "AWS::Lambda::Function" {
					info.lambdaData = true
				}
			}
		}
		for _, s := range sel.AdvancedEventSelectors {
			category, resource := "", ""
			for _, f := range s.FieldSelectors {
				switch aws.ToString(f.Field) {
				case "eventCategory":
					if len(f.Equals) > 0 {
						category = f.Equals[0]
					}
				case "resources.type":
					if len(f.Equals) > 0 {
						resource = f.Equals[0]
					}
				}
			}
			switch {
			case category == "Management":
				info.management = true
			case category == "Data" && resource == "AWS::Lambda::Function":
				info.lambdaData = true
			}
		}
	})
	return info
}

// configRecorder: LW-ACC-03, a recording recorder whose recording group
// covers AWS::Lambda::Function and AWS::IAM::Role.
func (r *regionRun) configRecorder(ctx context.Context) inventory.Value[bool] {
	cl := configservice.NewFromConfig(r.cfg)
	recs, err := cl.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
	if err != nil {
		return unknown[bool](r.fail("config:DescribeConfigurationRecorders", err))
	}
	if len(recs.ConfigurationRecorders) == 0 {
		return inventory.Of(false, noLoc)
	}
	st, err := cl.DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{})
	if err != nil {
		return unknown[bool](r.fail("config:DescribeConfigurationRecorderStatus", err))
	}
	recording := map[string]bool{}
	for _, s := range st.ConfigurationRecordersStatus {
		recording[aws.ToString(s.Name)] = s.Recording
	}
	for _, rec := range recs.ConfigurationRecorders {
		if recording[aws.ToString(rec.Name)] && recordsType(rec.RecordingGroup, "AWS::Lambda::Function", false) &&
			recordsType(rec.RecordingGroup, "AWS::IAM::Role", true) {
			return inventory.Of(true, noLoc)
		}
	}
	return inventory.Of(false, noLoc)
}

// recordsType reports whether a recording group records a resource type;
// global types (IAM) need IncludeGlobalResourceTypes with AllSupported.
func recordsType(g *cfgtypes.RecordingGroup, typ string, global bool) bool {
	if g == nil {
		return true // the default group records all supported types
	}
	if g.RecordingStrategy != nil && g.RecordingStrategy.UseOnly == cfgtypes.RecordingStrategyTypeExclusionByResourceTypes {
		return g.ExclusionByResourceTypes == nil || !slices.Contains(g.ExclusionByResourceTypes.ResourceTypes, cfgtypes.ResourceType(typ))
	}
	if g.AllSupported {
		return !global || g.IncludeGlobalResourceTypes
	}
	return slices.Contains(g.ResourceTypes, cfgtypes.ResourceType(typ))
}

// accessAnalyzer: LW-ACC-04, an active analyzer in the region.
func (r *regionRun) accessAnalyzer(ctx context.Context) inventory.Value[bool] {
	p := accessanalyzer.NewListAnalyzersPaginator(accessanalyzer.NewFromConfig(r.cfg), &accessanalyzer.ListAnalyzersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return unknown[bool](r.fail("access-analyzer:ListAnalyzers", err))
		}
		for _, a := range page.Analyzers {
			if a.Status == aatypes.AnalyzerStatusActive {
				return inventory.Of(true, noLoc)
			}
		}
	}
	return inventory.Of(false, noLoc)
}

// inspector: LW-ACC-05, Inspector v2 Lambda standard and code scanning on.
func (r *regionRun) inspector(ctx context.Context) inventory.Value[bool] {
	out, err := inspector2.NewFromConfig(r.cfg).BatchGetAccountStatus(ctx, &inspector2.BatchGetAccountStatusInput{AccountIds: []string{r.a.account}})
	if err != nil {
		return unknown[bool](r.fail("inspector2:BatchGetAccountStatus", err))
	}
	for _, a := range out.Accounts {
		if aws.ToString(a.AccountId) != r.a.account || a.ResourceState == nil {
			continue
		}
		on := func(s *insptypes.State) bool { return s != nil && s.Status == insptypes.StatusEnabled }
		return inventory.Of(on(a.ResourceState.Lambda) && on(a.ResourceState.LambdaCode), noLoc)
	}
	return inventory.Of(false, noLoc)
}

// guardDuty: LW-ACC-06, an enabled detector with Lambda network logs.
func (r *regionRun) guardDuty(ctx context.Context) inventory.Value[bool] {
	cl := guardduty.NewFromConfig(r.cfg)
	p := guardduty.NewListDetectorsPaginator(cl, &guardduty.ListDetectorsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return unknown[bool](r.fail("guardduty:ListDetectors", err))
		}
		for _, id := range page.DetectorIds {
			d, err := cl.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
			if err != nil {
				return unknown[bool](r.fail("guardduty:GetDetector", err))
			}
			if d.Status != gdtypes.DetectorStatusEnabled {
				continue
			}
			for _, f := range d.Features {
				if strings.EqualFold(string(f.Name), string(gdtypes.DetectorFeatureResultLambdaNetworkLogs)) && f.Status == gdtypes.FeatureStatusEnabled {
					return inventory.Of(true, noLoc)
				}
			}
		}
	}
	return inventory.Of(false, noLoc)
}
