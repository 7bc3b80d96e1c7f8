package awslive

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// iamRun reads the account's roles and policies: every role and
// customer-managed policy in one paginated GetAccountAuthorizationDetails,
// falling back to per-role calls for the execution roles when that is
// denied; then, per execution role, IAM last-accessed data.
type iamRun struct {
	a       *acctRun
	client  *iam.Client   // listings (not limited: one page at a time)
	clients []*iam.Client // per-role calls, each with its own adaptive retry
	next    atomic.Uint64

	detailsDone chan struct{}
	detailsWhy  string // why GetAccountAuthorizationDetails failed, "" if it worked
	roles       map[string]iamtypes.RoleDetail
	policies    map[string]iamtypes.ManagedPolicyDetail

	mu      sync.Mutex
	wanted  map[string]*roleData
	order   []*roleData
	fetched map[string]*policyFetch // managed policy ARN -> document
	queue   chan *roleData          // roles waiting for last-accessed data
	wg      sync.WaitGroup
}

// roleData is what was read about one execution role.
type roleData struct {
	arn string
	// detail is nil when the role could not be read; why says why.
	detail *iamtypes.RoleDetail
	why    string
	// inlineWhy / attachedWhy are set when the fallback could not list them.
	inlineWhy, attachedWhy string
	lastAccessed           []inventory.ServiceAccess
	lastWhy                string
}

type policyFetch struct {
	once sync.Once
	doc  string
	name string
	why  string
}

func newIAMRun(a *acctRun) *iamRun {
	r := &iamRun{
		a: a, client: iam.NewFromConfig(a.clientConfig(nil, "us-east-1")),
		detailsDone: make(chan struct{}), roles: map[string]iamtypes.RoleDetail{}, policies: map[string]iamtypes.ManagedPolicyDetail{},
		wanted: map[string]*roleData{}, fetched: map[string]*policyFetch{}, queue: make(chan *roleData, 1<<17),
	}
	for i := 0; i < clientPool(a.c.cfg.Concurrency); i++ {
		r.clients = append(r.clients, iam.NewFromConfig(a.clientConfig(a.global, "us-east-1")))
	}
	return r
}

// clientPool is how many clients of a service share n calls in flight: the
// SDK's adaptive retry limits each client's rate on its own, so a few
// clients keep a throttled scan moving while each still backs off.
func clientPool(n int) int { return max(1, n/2) }

// pooled returns the next client of the pool.
func (r *iamRun) pooled() *iam.Client { return r.clients[r.next.Add(1)%uint64(len(r.clients))] }

// start reads the account's roles and policies and serves the role queue.
func (r *iamRun) start(ctx context.Context) {
	go r.collectDetails(ctx)
	for i := 0; i < r.a.c.cfg.Concurrency; i++ {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for rd := range r.queue {
				if !r.a.c.cfg.NoLastAccessed {
					r.lastAccessed(ctx, rd)
				}
			}
		}()
	}
}

// collectDetails reads every role and customer-managed policy.
func (r *iamRun) collectDetails(ctx context.Context) {
	defer close(r.detailsDone)
	p := iam.NewGetAccountAuthorizationDetailsPaginator(r.client, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []iamtypes.EntityType{iamtypes.EntityTypeRole, iamtypes.EntityTypeLocalManagedPolicy},
		MaxItems: aws.Int32(1000), // the API's largest page (default 100)
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			r.detailsWhy = r.a.errs.add(r.a.scope(""), "iam:GetAccountAuthorizationDetails", err)
			return
		}
		for _, rd := range page.RoleDetailList {
			r.roles[aws.ToString(rd.Arn)] = rd
		}
		for _, pd := range page.Policies {
			r.policies[aws.ToString(pd.Arn)] = pd
		}
	}
}

// want schedules reading an execution role (once per ARN).
func (r *iamRun) want(roleARN string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.wanted[roleARN]; ok {
		return
	}
	rd := &roleData{arn: roleARN}
	r.wanted[roleARN] = rd
	r.order = append(r.order, rd)
	r.queue <- rd
}

// finish waits for the last-accessed data and the account-wide details,
// then resolves every wanted role: from the details, or with per-role calls
// when those were denied; and reads the managed policies not known yet.
func (r *iamRun) finish(ctx context.Context) {
	close(r.queue)
	r.wg.Wait()
	select {
	case <-r.detailsDone:
	case <-ctx.Done():
		return
	}
	parallel(ctx, r.a.c.cfg.Concurrency, len(r.order), func(i int) {
		rd := r.order[i]
		if r.detailsWhy == "" {
			if d, ok := r.roles[rd.arn]; ok {
				rd.detail = &d
			} else {
				rd.why = "iam:GetAccountAuthorizationDetails: role not found"
			}
		} else {
			r.readRole(ctx, rd)
		}
	})
	var missing []string
	seen := map[string]bool{}
	for _, rd := range r.order {
		if rd.detail == nil {
			continue
		}
		for _, at := range rd.detail.AttachedManagedPolicies {
			arn := aws.ToString(at.PolicyArn)
			if seen[arn] {
				continue
			}
			seen[arn] = true
			if iampolicy.IsAWSManagedARN(arn) {
				if _, ok := iampolicy.AWSManaged(arn); ok {
					continue
				}
			} else if _, ok := r.policies[arn]; ok {
				continue
			}
			missing = append(missing, arn)
		}
	}
	parallel(ctx, r.a.c.cfg.Concurrency, len(missing), func(i int) { r.policy(ctx, missing[i]) })
}

// parallel calls fn(0..n-1) on at most workers goroutines.
func parallel(ctx context.Context, workers, n int, fn func(int)) {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// readRole reads one role with per-role calls (when the account-wide call
// is denied).
func (r *iamRun) readRole(ctx context.Context, rd *roleData) {
	scope := r.a.scope("")
	name := rd.arn[strings.LastIndexByte(rd.arn, '/')+1:]
	got, err := r.pooled().GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		rd.why = r.a.errs.add(scope, "iam:GetRole", err)
		return
	}
	d := iamtypes.RoleDetail{
		Arn: got.Role.Arn, RoleName: got.Role.RoleName, Path: got.Role.Path,
		AssumeRolePolicyDocument: got.Role.AssumeRolePolicyDocument, PermissionsBoundary: got.Role.PermissionsBoundary,
	}
	names := iam.NewListRolePoliciesPaginator(r.pooled(), &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	for names.HasMorePages() {
		page, err := names.NextPage(ctx)
		if err != nil {
			rd.inlineWhy = r.a.errs.add(scope, "iam:ListRolePolicies", err)
			break
		}
		for _, pn := range page.PolicyNames {
			doc, err := r.pooled().GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pn)})
			var text *string
			if err != nil {
				why := r.a.errs.add(scope, "iam:GetRolePolicy", err)
				text = aws.String("\x00" + why) // marks an unreadable document
			} else {
				text = doc.PolicyDocument
			}
			d.RolePolicyList = append(d.RolePolicyList, iamtypes.PolicyDetail{PolicyName: aws.String(pn), PolicyDocument: text})
		}
	}
	att := iam.NewListAttachedRolePoliciesPaginator(r.pooled(), &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	for att.HasMorePages() {
		page, err := att.NextPage(ctx)
		if err != nil {
			rd.attachedWhy = r.a.errs.add(scope, "iam:ListAttachedRolePolicies", err)
			break
		}
		d.AttachedManagedPolicies = append(d.AttachedManagedPolicies, page.AttachedPolicies...)
	}
	rd.detail = &d
}

// policy reads a managed policy's default version once per account.
func (r *iamRun) policy(ctx context.Context, arn string) *policyFetch {
	r.mu.Lock()
	f, ok := r.fetched[arn]
	if !ok {
		f = &policyFetch{}
		r.fetched[arn] = f
	}
	r.mu.Unlock()
	f.once.Do(func() {
		scope := r.a.scope("")
		p, err := r.pooled().GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
		if err != nil {
			f.why = r.a.errs.add(scope, "iam:GetPolicy", err)
			return
		}
		f.name = aws.ToString(p.Policy.PolicyName)
		v, err := r.pooled().GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: p.Policy.DefaultVersionId})
		if err != nil {
			f.why = r.a.errs.add(scope, "iam:GetPolicyVersion", err)
			return
		}
		f.doc = aws.ToString(v.PolicyVersion.Document)
	})
	return f
}

// lastAccessed starts IAM's service last-accessed job for a role and hands
// it to a poller, so the role queue goes on starting the other roles' jobs
// while this one runs.
func (r *iamRun) lastAccessed(ctx context.Context, rd *roleData) {
	gen, err := r.pooled().GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(rd.arn)})
	if err != nil {
		rd.lastWhy = r.a.errs.add(r.a.scope(""), "iam:GenerateServiceLastAccessedDetails", err)
		return
	}
	started := time.Now()
	r.wg.Add(1) // the caller holds a count: finish cannot be past Wait
	go func() {
		defer r.wg.Done()
		r.pollLastAccessed(ctx, rd, gen.JobId, started)
	}()
}

// pollLastAccessed reads a last-accessed job's result: first when the job
// is expected to be done (LastAccessedDelay after it started), then with a
// doubling backoff (at most 5 s) until LastAccessedWait has passed.
func (r *iamRun) pollLastAccessed(ctx context.Context, rd *roleData, job *string, started time.Time) {
	scope := r.a.scope("")
	deadline := started.Add(r.a.c.cfg.LastAccessedWait)
	wait := r.a.c.cfg.LastAccessedDelay
	if !sleepUntil(ctx, started.Add(wait)) {
		return
	}
	var rows []inventory.ServiceAccess
	var marker *string
	for {
		out, err := r.pooled().GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: job, Marker: marker})
		if err != nil {
			rd.lastWhy = r.a.errs.add(scope, "iam:GetServiceLastAccessedDetails", err)
			return
		}
		switch out.JobStatus {
		case iamtypes.JobStatusTypeFailed:
			msg := "the job failed"
			if out.Error != nil {
				msg = aws.ToString(out.Error.Message)
			}
			rd.lastWhy = r.a.errs.add(scope, "iam:GetServiceLastAccessedDetails", fmt.Errorf("%s", msg))
			return
		case iamtypes.JobStatusTypeInProgress:
			if time.Now().After(deadline) {
				rd.lastWhy = "iam:GetServiceLastAccessedDetails: job still in progress after " + r.a.c.cfg.LastAccessedWait.String()
				return
			}
			wait = min(2*wait, 5*time.Second)
			if !sleepUntil(ctx, time.Now().Add(min(wait, max(time.Until(deadline), time.Millisecond)))) {
				return
			}
			continue
		}
		for _, s := range out.ServicesLastAccessed {
			row := inventory.ServiceAccess{Namespace: aws.ToString(s.ServiceNamespace)}
			if s.LastAuthenticated != nil {
				row.LastAccessed = s.LastAuthenticated.UTC().Format(time.RFC3339)
			}
			rows = append(rows, row)
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Namespace < rows[j].Namespace })
	if rows == nil {
		rows = []inventory.ServiceAccess{}
	}
	rd.lastAccessed = rows
}

// build adds the execution roles and their customer-managed policies.
func (r *iamRun) build(inv *inventory.Inventory) {
	arns := make([]string, 0, len(r.wanted))
	for arn := range r.wanted {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	policySeen := map[string]bool{}
	for _, arn := range arns {
		rd := r.wanted[arn]
		role := &inventory.Role{Item: r.a.item(arn, ""), ARN: arn}
		name := arn[strings.LastIndexByte(arn, '/')+1:]
		role.Name = inventory.Of(name, noLoc)
		switch {
		case r.a.c.cfg.NoLastAccessed:
			role.LastAccessed = unknown[[]inventory.ServiceAccess]("IAM last-accessed data was not read")
		case rd.lastWhy != "":
			role.LastAccessed = unknown[[]inventory.ServiceAccess](rd.lastWhy)
		case rd.lastAccessed != nil:
			role.LastAccessed = inventory.Of(rd.lastAccessed, noLoc)
		default:
			role.LastAccessed = unknown[[]inventory.ServiceAccess]("the scan was cancelled")
		}
		if rd.detail == nil {
			why := rd.why
			if why == "" {
				why = "the scan was cancelled"
			}
			role.TrustPolicy = unknown[*iampolicy.Policy](why)
			role.Boundary = unknown[string](why)
			role.PoliciesComplete = unknown[bool](why)
			role.Attached = []inventory.PolicyAttachment{{Policy: unknown[inventory.Ref](why)}}
			inv.Roles = append(inv.Roles, role)
			continue
		}
		d := rd.detail
		role.TrustPolicy = parsePolicy(aws.ToString(d.AssumeRolePolicyDocument), "the trust policy")
		if d.PermissionsBoundary != nil && d.PermissionsBoundary.PermissionsBoundaryArn != nil {
			role.Boundary = inventory.Of(aws.ToString(d.PermissionsBoundary.PermissionsBoundaryArn), noLoc)
		}
		for _, ip := range d.RolePolicyList {
			doc := aws.ToString(ip.PolicyDocument)
			in := inventory.InlinePolicy{Name: aws.ToString(ip.PolicyName)}
			if strings.HasPrefix(doc, "\x00") {
				in.Document = unknown[*iampolicy.Policy](doc[1:])
			} else {
				in.Document = parsePolicy(doc, "inline policy "+in.Name)
			}
			role.Inline = append(role.Inline, in)
		}
		sort.Slice(role.Inline, func(i, j int) bool { return role.Inline[i].Name < role.Inline[j].Name })
		complete := true
		if rd.inlineWhy != "" {
			complete = false
			role.Inline = append(role.Inline, inventory.InlinePolicy{Name: "(unlisted)", Document: unknown[*iampolicy.Policy](rd.inlineWhy)})
		}
		var attached []string
		for _, at := range d.AttachedManagedPolicies {
			attached = append(attached, aws.ToString(at.PolicyArn))
		}
		sort.Strings(attached)
		for _, pa := range attached {
			role.Attached = append(role.Attached, inventory.PolicyAttachment{Policy: inventory.Of(inventory.Ref{Name: pa}, noLoc)})
			if policySeen[pa] {
				continue
			}
			if pd, ok := r.policies[pa]; ok {
				policySeen[pa] = true
				inv.ManagedPolicies = append(inv.ManagedPolicies, r.managedFromDetail(pd))
			} else if f, ok := r.fetched[pa]; ok {
				policySeen[pa] = true
				mp := &inventory.ManagedPolicy{Item: r.a.item(pa, ""), ARN: pa, Name: inventory.Of(pa[strings.LastIndexByte(pa, '/')+1:], noLoc)}
				if f.why != "" {
					mp.Document = unknown[*iampolicy.Policy](f.why)
				} else {
					mp.Document = parsePolicy(f.doc, "policy "+pa)
				}
				inv.ManagedPolicies = append(inv.ManagedPolicies, mp)
			}
		}
		if rd.attachedWhy != "" {
			complete = false
			role.Attached = append(role.Attached, inventory.PolicyAttachment{Policy: unknown[inventory.Ref](rd.attachedWhy)})
		}
		if complete {
			role.PoliciesComplete = inventory.Of(true, noLoc)
		} else {
			why := rd.inlineWhy
			if why == "" {
				why = rd.attachedWhy
			}
			role.PoliciesComplete = unknown[bool](why)
		}
		inv.Roles = append(inv.Roles, role)
	}
}

func (r *iamRun) managedFromDetail(pd iamtypes.ManagedPolicyDetail) *inventory.ManagedPolicy {
	arn := aws.ToString(pd.Arn)
	mp := &inventory.ManagedPolicy{Item: r.a.item(arn, ""), ARN: arn, Name: inventory.Of(aws.ToString(pd.PolicyName), noLoc)}
	mp.Document = unknown[*iampolicy.Policy]("iam:GetAccountAuthorizationDetails: no default version")
	for _, v := range pd.PolicyVersionList {
		if v.IsDefaultVersion {
			mp.Document = parsePolicy(aws.ToString(v.Document), "policy "+arn)
		}
	}
	return mp
}

// parsePolicy decodes an IAM policy document as the APIs return it
// (URL-encoded JSON for IAM, plain JSON for Lambda).
func parsePolicy(doc, what string) inventory.Value[*iampolicy.Policy] {
	text := doc
	if strings.HasPrefix(strings.TrimSpace(doc), "%7B") || strings.Contains(doc, "%22") {
		if d, err := url.PathUnescape(doc); err == nil {
			text = d
		} else if d, err := url.QueryUnescape(doc); err == nil {
			text = d
		}
	}
	var raw any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return unknown[*iampolicy.Policy](what + " is not valid JSON: " + err.Error())
	}
	p, err := iampolicy.FromValue(raw)
	if err != nil {
		return unknown[*iampolicy.Policy](what + " cannot be read: " + err.Error())
	}
	return inventory.Of(p, noLoc)
}

// sleepUntil waits until t; false when ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}
