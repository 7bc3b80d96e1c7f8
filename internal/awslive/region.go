package awslive

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// regionRun is the collection of one account's region.
type regionRun struct {
	a       *acctRun
	region  string
	lim     *limits
	cfg     aws.Config // limited: the per-function and one-off calls
	listCfg aws.Config // not limited: paginated listings, one page at a time each
	lambda  *lambda.Client
	lambdas []*lambda.Client // per-function calls, each with its own adaptive retry
	next    atomic.Uint64

	mu        sync.Mutex
	fns       []*fnData
	published map[string]int // unqualified function ARN -> published versions listed
	listed    bool           // the function listing is over
	listOK    bool           // ... and complete: published is every version
	deferred  []*fnData      // functions whose version step waits for the listing

	settingsDone chan struct{}
	reserved     bool   // some function of the region has reserved concurrency
	settingsWhy  string // GetAccountSettings failed

	cscByFn   map[string]string // function ARN -> code signing config ARN
	cscs      map[string]ltypes.CodeSigningConfig
	cscWhy    string
	logGroups map[string]logtypes.LogGroup
	logWhy    string
	customWhy map[string]string // custom log group name -> why unreadable
	alarms    []cwtypes.MetricAlarm
	alarmsWhy string
	deploys   map[string]inventory.Deployment // function name -> last deployment
	trailWhy  string
	subnets   map[string]ec2types.Subnet
	subnetWhy string
	groups    map[string]ec2types.SecurityGroup
	groupWhy  string
	layerDocs map[string]string // layer version ARN -> policy ("" when none)
	layerWhy  map[string]string
	account   *inventory.Account
}

// fnData is what was read about one function.
type fnData struct {
	cfg         ltypes.FunctionConfiguration
	policy      string
	policyWhy   string
	urls        []ltypes.FunctionUrlConfig
	urlsWhy     string
	aliases     []ltypes.AliasConfiguration
	aliasWhy    string
	versions    int // published versions seen (only when needed)
	versionsWhy string
	versionsOK  bool
	invoke      []ltypes.FunctionEventInvokeConfig
	invokeWhy   string
	invokeRead  bool
	got         *lambda.GetFunctionOutput
	gotWhy      string
}

func newRegionRun(a *acctRun, region string) *regionRun {
	lim := newLimits(a.sem, a.c.cfg.RegionConcurrency)
	cfg := a.clientConfig(lim, region)
	r := &regionRun{
		a: a, region: region, lim: lim, cfg: cfg, listCfg: a.clientConfig(nil, region), settingsDone: make(chan struct{}), published: map[string]int{},
		cscByFn: map[string]string{}, cscs: map[string]ltypes.CodeSigningConfig{}, logGroups: map[string]logtypes.LogGroup{},
		customWhy: map[string]string{}, deploys: map[string]inventory.Deployment{}, subnets: map[string]ec2types.Subnet{},
		groups: map[string]ec2types.SecurityGroup{}, layerDocs: map[string]string{}, layerWhy: map[string]string{},
	}
	r.lambda = lambda.NewFromConfig(r.listCfg)
	for i := 0; i < clientPool(a.c.cfg.RegionConcurrency); i++ {
		r.lambdas = append(r.lambdas, lambda.NewFromConfig(cfg))
	}
	return r
}

// pooled returns the next lambda client of the pool.
func (r *regionRun) pooled() *lambda.Client { return r.lambdas[r.next.Add(1)%uint64(len(r.lambdas))] }

func (r *regionRun) fail(api string, err error) string {
	return r.a.errs.add(r.a.scope(r.region), api, err)
}

// collect reads the region: region-wide listings alongside the functions,
// each function's own calls on a bounded pool.
func (r *regionRun) collect(ctx context.Context) {
	var wg sync.WaitGroup
	goRun := func(fn func(context.Context)) {
		wg.Add(1)
		go func() { defer wg.Done(); fn(ctx) }()
	}
	goRun(r.readSettings)
	goRun(r.readCodeSigning)
	goRun(r.readLogGroups)
	goRun(r.readAlarms)
	goRun(r.readDeployments)
	goRun(r.readGuardRails)

	// ListFunctions with FunctionVersion=ALL lists every function's $LATEST
	// and every published version in the same pages, so no function needs
	// ListVersionsByFunction, and only functions with a published version
	// need ListAliases (with none, no alias can point to one). A function's
	// versions may come on a later page: its alias step waits for the end
	// of the listing (deferred, so no worker is held meanwhile).
	var fnWG sync.WaitGroup
	workers := make(chan struct{}, r.a.c.cfg.RegionConcurrency)
	spawn := func(fn func()) {
		fnWG.Add(1)
		go func() {
			defer fnWG.Done()
			if acquire(ctx, workers) != nil {
				return
			}
			defer func() { <-workers }()
			fn()
		}()
	}
	done := func() {
		if r.a.c.cfg.Progress != nil {
			r.a.c.cfg.Progress.Done(0, 0, 1)
		}
	}
	listOK := true
	p := lambda.NewListFunctionsPaginator(r.lambda, &lambda.ListFunctionsInput{MaxItems: aws.Int32(50), FunctionVersion: ltypes.FunctionVersionAll})
	for p.HasMorePages() && ctx.Err() == nil {
		page, err := p.NextPage(ctx)
		if err != nil {
			r.fail("lambda:ListFunctions", err)
			listOK = false
			break
		}
		var found []*fnData
		r.mu.Lock()
		for _, f := range page.Functions {
			arn := aws.ToString(f.FunctionArn)
			if v := aws.ToString(f.Version); v != "" && v != "$LATEST" {
				r.published[unqualified(arn)]++
				continue
			}
			f.FunctionArn = aws.String(unqualified(arn)) // $LATEST may come qualified
			fd := &fnData{cfg: f}
			r.fns = append(r.fns, fd)
			found = append(found, fd)
		}
		r.mu.Unlock()
		if r.a.c.cfg.Progress != nil {
			r.a.c.cfg.Progress.Found(0, 0, len(found))
		}
		for _, fd := range found {
			if role := aws.ToString(fd.cfg.Role); role != "" {
				r.a.iam.want(role)
			}
			spawn(func() {
				cl := r.pooled()
				r.readFunction(ctx, fd, cl)
				r.mu.Lock()
				if !r.listed {
					r.deferred = append(r.deferred, fd)
					r.mu.Unlock()
					return
				}
				r.mu.Unlock()
				r.readVersions(ctx, fd, cl)
				done()
			})
		}
	}
	r.mu.Lock()
	r.listed, r.listOK = true, listOK && ctx.Err() == nil
	deferred := r.deferred
	r.deferred = nil
	r.mu.Unlock()
	for _, fd := range deferred {
		spawn(func() {
			r.readVersions(ctx, fd, r.pooled())
			done()
		})
	}
	// What depends on the whole function list.
	goRun(r.readNetwork)
	goRun(r.readLayerPolicies)
	goRun(r.readCustomLogGroups)
	fnWG.Wait()
	wg.Wait()
}

// unqualified strips a version or alias from a function ARN.
func unqualified(arn string) string {
	if p := strings.Split(arn, ":"); len(p) == 8 {
		return strings.Join(p[:7], ":")
	}
	return arn
}

// readFunction makes the per-function calls that do not depend on the
// function's versions: the resource policy, function URLs, asynchronous
// invocation configs (not needed when a dead-letter queue is set), and
// GetFunction only for tags or when the region has reserved concurrency.
func (r *regionRun) readFunction(ctx context.Context, fd *fnData, cl *lambda.Client) {
	name := fd.cfg.FunctionArn
	pol, err := cl.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: name})
	switch {
	case err == nil:
		fd.policy = aws.ToString(pol.Policy)
	case isCode(err, "ResourceNotFoundException"):
	default:
		fd.policyWhy = r.fail("lambda:GetPolicy", err)
	}

	up := lambda.NewListFunctionUrlConfigsPaginator(cl, &lambda.ListFunctionUrlConfigsInput{FunctionName: name})
	for up.HasMorePages() {
		page, err := up.NextPage(ctx)
		if err != nil {
			fd.urlsWhy = r.fail("lambda:ListFunctionUrlConfigs", err)
			break
		}
		fd.urls = append(fd.urls, page.FunctionUrlConfigs...)
	}

	if fd.cfg.DeadLetterConfig == nil || aws.ToString(fd.cfg.DeadLetterConfig.TargetArn) == "" {
		fd.invokeRead = true
		ip := lambda.NewListFunctionEventInvokeConfigsPaginator(cl, &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: name})
		for ip.HasMorePages() {
			page, err := ip.NextPage(ctx)
			if err != nil {
				fd.invokeWhy = r.fail("lambda:ListFunctionEventInvokeConfigs", err)
				break
			}
			fd.invoke = append(fd.invoke, page.FunctionEventInvokeConfigs...)
		}
	}

	select {
	case <-r.settingsDone:
	case <-ctx.Done():
		return
	}
	if r.a.c.cfg.Tags || r.reserved || r.settingsWhy != "" {
		got, err := cl.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: name})
		if err != nil {
			fd.gotWhy = r.fail("lambda:GetFunction", err)
		} else {
			fd.got = got
		}
	}
}

// readVersions reads what LW-CHG-01 needs once the listing is over: from a
// complete listing, the published versions are known, and aliases are read
// only for functions that have one; after a failed listing, aliases and
// (when no alias names a published version) ListVersionsByFunction.
func (r *regionRun) readVersions(ctx context.Context, fd *fnData, cl *lambda.Client) {
	name := fd.cfg.FunctionArn
	if r.listOK {
		fd.versionsOK = true
		fd.versions = r.published[aws.ToString(name)]
		if fd.versions == 0 {
			return
		}
	}
	ap := lambda.NewListAliasesPaginator(cl, &lambda.ListAliasesInput{FunctionName: name})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		if err != nil {
			fd.aliasWhy = r.fail("lambda:ListAliases", err)
			break
		}
		fd.aliases = append(fd.aliases, page.Aliases...)
	}
	if r.listOK || fd.aliasWhy != "" || aliasPublished(fd.aliases) {
		return
	}
	out, err := cl.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: name, MaxItems: aws.Int32(50)})
	if err != nil {
		fd.versionsWhy = r.fail("lambda:ListVersionsByFunction", err)
		return
	}
	fd.versionsOK = true
	for _, v := range out.Versions {
		if aws.ToString(v.Version) != "$LATEST" {
			fd.versions++
		}
	}
}

// aliasPublished reports whether an alias points to a published version.
func aliasPublished(as []ltypes.AliasConfiguration) bool {
	for _, a := range as {
		if v := aws.ToString(a.FunctionVersion); v != "" && v != "$LATEST" {
			return true
		}
	}
	return false
}

// readSettings tells from the account settings whether any function of the
// region has reserved concurrency; without any, no per-function call is
// needed to know that none has.
func (r *regionRun) readSettings(ctx context.Context) {
	defer close(r.settingsDone)
	out, err := r.lambda.GetAccountSettings(ctx, &lambda.GetAccountSettingsInput{})
	if err != nil {
		r.settingsWhy = r.fail("lambda:GetAccountSettings", err)
		return
	}
	if l := out.AccountLimit; l != nil {
		r.reserved = l.UnreservedConcurrentExecutions == nil || *l.UnreservedConcurrentExecutions != l.ConcurrentExecutions
	}
}

// readCodeSigning maps functions to code signing configs with one listing
// per region and one call per config.
func (r *regionRun) readCodeSigning(ctx context.Context) {
	p := lambda.NewListCodeSigningConfigsPaginator(r.lambda, &lambda.ListCodeSigningConfigsInput{})
	var cfgs []ltypes.CodeSigningConfig
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			r.cscWhy = r.fail("lambda:ListCodeSigningConfigs", err)
			return
		}
		cfgs = append(cfgs, page.CodeSigningConfigs...)
	}
	for _, c := range cfgs {
		arn := aws.ToString(c.CodeSigningConfigArn)
		r.cscs[arn] = c
		fp := lambda.NewListFunctionsByCodeSigningConfigPaginator(r.lambda, &lambda.ListFunctionsByCodeSigningConfigInput{CodeSigningConfigArn: aws.String(arn)})
		for fp.HasMorePages() {
			page, err := fp.NextPage(ctx)
			if err != nil {
				r.cscWhy = r.fail("lambda:ListFunctionsByCodeSigningConfig", err)
				return
			}
			for _, fn := range page.FunctionArns {
				r.cscByFn[fn] = arn
			}
		}
	}
}

func (r *regionRun) logsClient() *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(r.listCfg)
}

// readLogGroups lists the Lambda log groups (/aws/lambda/ prefix).
func (r *regionRun) readLogGroups(ctx context.Context) {
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(r.logsClient(), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/lambda/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			r.logWhy = r.fail("logs:DescribeLogGroups", err)
			return
		}
		r.mu.Lock()
		for _, g := range page.LogGroups {
			r.logGroups[aws.ToString(g.LogGroupName)] = g
		}
		r.mu.Unlock()
	}
}

// readCustomLogGroups reads the LoggingConfig log groups outside /aws/lambda/.
func (r *regionRun) readCustomLogGroups(ctx context.Context) {
	names := map[string]bool{}
	r.mu.Lock()
	for _, fd := range r.fns {
		if lc := fd.cfg.LoggingConfig; lc != nil {
			if n := aws.ToString(lc.LogGroup); n != "" && !strings.HasPrefix(n, "/aws/lambda/") {
				names[n] = true
			}
		}
	}
	r.mu.Unlock()
	for _, n := range sortedKeys(names) {
		out, err := r.logsClient().DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(n)})
		r.mu.Lock()
		if err != nil {
			r.customWhy[n] = r.fail("logs:DescribeLogGroups", err)
		} else {
			for _, g := range out.LogGroups {
				if aws.ToString(g.LogGroupName) == n {
					r.logGroups[n] = g
				}
			}
		}
		r.mu.Unlock()
	}
}

// readAlarms lists the region's metric alarms once.
func (r *regionRun) readAlarms(ctx context.Context) {
	p := cloudwatch.NewDescribeAlarmsPaginator(cloudwatch.NewFromConfig(r.listCfg), &cloudwatch.DescribeAlarmsInput{
		AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm}, MaxRecords: aws.Int32(100),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			r.alarmsWhy = r.fail("cloudwatch:DescribeAlarms", err)
			return
		}
		r.alarms = append(r.alarms, page.MetricAlarms...)
	}
}

// deployEvents are the CloudTrail event names of code deployments.
var deployEvents = []string{"CreateFunction20150331", "UpdateFunctionCode20150331v2"}

// readDeployments finds each function's last code deployment in CloudTrail
// (one paginated LookupEvents per event name for the whole region).
func (r *regionRun) readDeployments(ctx context.Context) {
	cl := cloudtrail.NewFromConfig(r.listCfg)
	now := r.a.c.cfg.Now()
	start := now.AddDate(0, 0, -r.a.c.cfg.LookbackDays)
	type found struct {
		d  inventory.Deployment
		at time.Time
	}
	latest := map[string]found{}
	for _, ev := range deployEvents {
		p := cloudtrail.NewLookupEventsPaginator(cl, &cloudtrail.LookupEventsInput{
			LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String(ev)}},
			StartTime:        aws.Time(start), EndTime: aws.Time(now), MaxResults: aws.Int32(50),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.trailWhy = r.fail("cloudtrail:LookupEvents", err)
				return
			}
			for _, e := range page.Events {
				fn, d, ok := deployment(e)
				if !ok {
					continue
				}
				at := aws.ToTime(e.EventTime)
				if cur, seen := latest[fn]; !seen || at.After(cur.at) {
					latest[fn] = found{d, at}
				}
			}
		}
	}
	for fn, f := range latest {
		r.deploys[fn] = f.d
	}
}

// deployment reads one CloudTrail event: the function's name and who
// deployed it. Failed calls are not deployments.
func deployment(e cttypes.Event) (string, inventory.Deployment, bool) {
	var ct struct {
		ErrorCode    string `json:"errorCode"`
		UserAgent    string `json:"userAgent"`
		UserIdentity struct {
			Type           string `json:"type"`
			Arn            string `json:"arn"`
			SessionContext struct {
				SessionIssuer struct {
					Type string `json:"type"`
					Arn  string `json:"arn"`
				} `json:"sessionIssuer"`
			} `json:"sessionContext"`
		} `json:"userIdentity"`
		SessionCredentialFromConsole string `json:"sessionCredentialFromConsole"`
		RequestParameters            struct {
			FunctionName string `json:"functionName"`
		} `json:"requestParameters"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(e.CloudTrailEvent)), &ct); err != nil || ct.ErrorCode != "" {
		return "", inventory.Deployment{}, false
	}
	fn := inventory.FunctionNameFromARN(ct.RequestParameters.FunctionName)
	if fn == "" {
		for _, res := range e.Resources {
			if aws.ToString(res.ResourceType) == "AWS::Lambda::Function" {
				fn = inventory.FunctionNameFromARN(aws.ToString(res.ResourceName))
			}
		}
	}
	if fn == "" {
		return "", inventory.Deployment{}, false
	}
	d := inventory.Deployment{
		EventName:     aws.ToString(e.EventName),
		PrincipalType: ct.UserIdentity.Type,
		PrincipalARN:  ct.UserIdentity.Arn,
		Time:          aws.ToTime(e.EventTime).UTC().Format(time.RFC3339),
		Console: ct.SessionCredentialFromConsole == "true" || strings.Contains(ct.UserAgent, "console.amazonaws.com") ||
			strings.Contains(ct.UserAgent, "console.aws.amazon.com"),
	}
	if ct.UserIdentity.SessionContext.SessionIssuer.Type == "Role" {
		d.RoleARN = ct.UserIdentity.SessionContext.SessionIssuer.Arn
	}
	return fn, d, true
}

// readNetwork reads the subnets and security groups of VPC functions.
func (r *regionRun) readNetwork(ctx context.Context) {
	subnets, groups := map[string]bool{}, map[string]bool{}
	r.mu.Lock()
	for _, fd := range r.fns {
		if v := fd.cfg.VpcConfig; v != nil && len(v.SubnetIds) > 0 {
			for _, s := range v.SubnetIds {
				subnets[s] = true
			}
			for _, g := range v.SecurityGroupIds {
				groups[g] = true
			}
		}
	}
	r.mu.Unlock()
	if len(subnets) == 0 && len(groups) == 0 {
		return
	}
	cl := ec2.NewFromConfig(r.cfg)
	for _, chunk := range chunks(sortedKeys(subnets), 100) {
		p := ec2.NewDescribeSubnetsPaginator(cl, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("subnet-id"), Values: chunk}}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.subnetWhy = r.fail("ec2:DescribeSubnets", err)
				break
			}
			for _, s := range page.Subnets {
				r.subnets[aws.ToString(s.SubnetId)] = s
			}
		}
	}
	for _, chunk := range chunks(sortedKeys(groups), 100) {
		p := ec2.NewDescribeSecurityGroupsPaginator(cl, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: chunk}}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				r.groupWhy = r.fail("ec2:DescribeSecurityGroups", err)
				break
			}
			for _, g := range page.SecurityGroups {
				r.groups[aws.ToString(g.GroupId)] = g
			}
		}
	}
}

// readLayerPolicies reads the policy of each layer version of this account
// that a function uses.
func (r *regionRun) readLayerPolicies(ctx context.Context) {
	layers := map[string]bool{}
	r.mu.Lock()
	for _, fd := range r.fns {
		for _, l := range fd.cfg.Layers {
			arn := aws.ToString(l.Arn)
			if acct, ok := arnAccount(arn); ok && acct == r.a.account {
				layers[arn] = true
			}
		}
	}
	r.mu.Unlock()
	for _, arn := range sortedKeys(layers) {
		// arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION
		p := strings.Split(arn, ":")
		if len(p) != 8 {
			continue
		}
		v, err := parseInt64(p[7])
		if err != nil {
			continue
		}
		out, err := r.lambda.GetLayerVersionPolicy(ctx, &lambda.GetLayerVersionPolicyInput{LayerName: aws.String(strings.Join(p[:7], ":")), VersionNumber: aws.Int64(v)})
		switch {
		case err == nil:
			r.layerDocs[arn] = aws.ToString(out.Policy)
		case isCode(err, "ResourceNotFoundException"):
			r.layerDocs[arn] = ""
		default:
			r.layerWhy[arn] = r.fail("lambda:GetLayerVersionPolicy", err)
		}
	}
}

func chunks(s []string, n int) [][]string {
	var out [][]string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
