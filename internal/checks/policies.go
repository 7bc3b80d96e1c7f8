package checks

// This file gathers an execution role's policy documents (inline,
// customer-managed and AWS-managed) and holds what the checks that read them
// share: scanning Allow statements for offending grants, removing grants an
// unconditional Deny cancels, and wording the findings.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// rolePolicyKind says where a policy document of a role comes from.
type rolePolicyKind int

const (
	inlineRolePolicy rolePolicyKind = iota
	customerManagedRolePolicy
	awsManagedRolePolicy
)

// rolePolicyDoc is one readable policy document of an execution role.
type rolePolicyDoc struct {
	Kind   rolePolicyKind
	Name   string // the inline policy's or managed policy's name
	ARN    string // managed policies only
	Policy *iampolicy.Policy
	// Loc is the inline policy, or the attachment of a managed policy.
	Loc srcloc.Location
}

// Label names the document in messages.
func (d *rolePolicyDoc) Label() string {
	switch d.Kind {
	case customerManagedRolePolicy:
		return fmt.Sprintf("customer-managed policy %q", d.Name)
	case awsManagedRolePolicy:
		return "AWS-managed policy " + d.Name
	}
	return fmt.Sprintf("inline policy %q", d.Name)
}

// rolePolicyGapKind classifies what could not be read, so that each check can
// tell whether the missing part matters to it.
type rolePolicyGapKind int

const (
	// gapRole: the role itself is unknown or defined outside the scanned code.
	gapRole rolePolicyGapKind = iota
	// gapAttachment: an attachment whose policy ARN is unknown (any kind).
	gapAttachment
	// gapCustomerManaged: a customer-managed policy that is not in the
	// inventory or whose document is unknown.
	gapCustomerManaged
	// gapInline: an inline policy whose document is unknown.
	gapInline
	// gapAWSManaged: an AWS-managed policy missing from the bundled snapshot
	// (its name is known, its document is not).
	gapAWSManaged
)

// rolePolicyGap is a part of a role's policies that could not be read.
type rolePolicyGap struct {
	Kind rolePolicyGapKind
	What string
	Loc  srcloc.Location
}

// rolePolicySet is everything known about a function's execution role's
// identity policies.
type rolePolicySet struct {
	Fn *inventory.Function
	// Role is nil when the role is unknown or not in the inventory.
	Role *inventory.Role
	// RoleName names the role in messages (name, ID or ARN).
	RoleName string
	Docs     []*rolePolicyDoc
	// Attachments are the managed policies attached, readable or not, with
	// their names as far as known (for the name-based checks).
	Attachments []roleAttachment
	Gaps        []rolePolicyGap
}

// roleAttachment is one managed-policy attachment as far as it is known.
type roleAttachment struct {
	ARN        string // empty when unknown
	Name       string // the policy name (last ARN segment)
	AWSManaged bool
	Loc        srcloc.Location
}

// gatherRolePolicies reads the function's execution role and its policy
// documents. It never fails: what cannot be read is listed in Gaps.
func gatherRolePolicies(env *Env, f *inventory.Function) *rolePolicySet {
	ps := &rolePolicySet{Fn: f}
	role, name, gap, gapLoc := functionRole(env, f)
	ps.RoleName = name
	if role == nil {
		ps.Gaps = append(ps.Gaps, rolePolicyGap{gapRole, gap, gapLoc})
		return ps
	}
	ps.Role = role

	for i, in := range role.Inline {
		name := in.Name
		if name == "" {
			name = "#" + strconv.Itoa(i+1)
		}
		loc := iamFirstLoc(in.Loc, in.Document.Loc, role.Loc)
		doc, ok := in.Document.Get()
		if !ok || doc == nil {
			ps.Gaps = append(ps.Gaps, rolePolicyGap{gapInline, fmt.Sprintf("inline policy %q has %s", name, unknownDocWhy(in.Document)), loc})
			continue
		}
		ps.Docs = append(ps.Docs, &rolePolicyDoc{Kind: inlineRolePolicy, Name: name, Policy: doc, Loc: loc})
	}

	for _, at := range role.Attached {
		loc := iamFirstLoc(at.Loc, at.Policy.Loc, role.Loc)
		r, ok := at.Policy.Get()
		if !ok || r.IsZero() {
			why := "unknown"
			if at.Policy.IsUnknown() && at.Policy.Why != "" {
				why += " (" + at.Policy.Why + ")"
			}
			ps.Attachments = append(ps.Attachments, roleAttachment{Loc: loc})
			ps.Gaps = append(ps.Gaps, rolePolicyGap{gapAttachment, "an attached policy's ARN is " + why, loc})
			continue
		}
		if r.Name != "" && iampolicy.IsAWSManagedARN(r.Name) {
			name := policyNameFromARN(r.Name)
			ps.Attachments = append(ps.Attachments, roleAttachment{ARN: r.Name, Name: name, AWSManaged: true, Loc: loc})
			mp, ok := iampolicy.AWSManaged(r.Name)
			if ok && mp.Document != nil {
				if mp.Name != "" {
					name = mp.Name
				}
				ps.Docs = append(ps.Docs, &rolePolicyDoc{Kind: awsManagedRolePolicy, Name: name, ARN: r.Name, Policy: mp.Document, Loc: loc})
				continue
			}
			// Newer than the snapshot: a live source may have read it.
			if item := env.Index.ManagedPolicy(role.Origin, r); item != nil {
				if doc, ok := item.Document.Get(); ok && doc != nil {
					ps.Docs = append(ps.Docs, &rolePolicyDoc{Kind: awsManagedRolePolicy, Name: name, ARN: r.Name, Policy: doc, Loc: loc})
					continue
				}
			}
			ps.Gaps = append(ps.Gaps, rolePolicyGap{gapAWSManaged,
				fmt.Sprintf("AWS-managed policy %s is not in the bundled snapshot", r.Name), loc})
			continue
		}
		mp := env.Index.ManagedPolicy(role.Origin, r)
		if mp == nil {
			ps.Attachments = append(ps.Attachments, roleAttachment{ARN: r.Name, Name: policyNameFromARN(r.String()), Loc: loc})
			ps.Gaps = append(ps.Gaps, rolePolicyGap{gapCustomerManaged,
				fmt.Sprintf("customer-managed policy %s is defined outside the scanned code", r.String()), loc})
			continue
		}
		name := mp.Name.Or("")
		if name == "" {
			name = mp.ID
		}
		ps.Attachments = append(ps.Attachments, roleAttachment{ARN: mp.ARN, Name: name, Loc: loc})
		doc, ok := mp.Document.Get()
		if !ok || doc == nil {
			ps.Gaps = append(ps.Gaps, rolePolicyGap{gapCustomerManaged,
				fmt.Sprintf("customer-managed policy %q has %s", name, unknownDocWhy(mp.Document)), iamFirstLoc(mp.Document.Loc, loc)})
			continue
		}
		ps.Docs = append(ps.Docs, &rolePolicyDoc{Kind: customerManagedRolePolicy, Name: name, ARN: mp.ARN, Policy: doc, Loc: loc})
	}
	return ps
}

// functionRole resolves the function's execution role. When it is not in
// the inventory, role is nil and gap says why, to be reported at gapLoc.
func functionRole(env *Env, f *inventory.Function) (role *inventory.Role, name, gap string, gapLoc srcloc.Location) {
	ref, ok := f.Role.Get()
	switch {
	case f.Role.IsUnknown():
		return nil, "unknown", "the execution role is " + f.Role.String(), iamFirstLoc(f.Role.Loc)
	case !ok || ref.IsZero():
		return nil, "none", "the function has no execution role set", iamFirstLoc(f.Loc)
	}
	if r := env.Index.Role(f.Origin, ref); r != nil {
		return r, roleDisplayName(r), "", srcloc.Location{}
	}
	return nil, ref.String(), fmt.Sprintf("execution role %s is defined outside the scanned code", ref.String()), iamFirstLoc(f.Role.Loc)
}

// roleUnknown is the UNKNOWN finding for a function whose role is not in
// the inventory.
func roleUnknown(gap string, loc srcloc.Location) Finding {
	return Finding{Status: result.Unknown, Location: loc, Message: "cannot evaluate: " + gap}
}

// unknownDocWhy says why a policy document could not be read.
func unknownDocWhy(v inventory.Value[*iampolicy.Policy]) string {
	if v.IsAbsent() {
		return "no document"
	}
	if v.Why != "" {
		return "an unknown document (" + v.Why + ")"
	}
	return "an unknown document"
}

// roleDisplayName is the role's name when known, else its ARN or ID.
func roleDisplayName(r *inventory.Role) string {
	if n, ok := r.Name.Get(); ok && n != "" {
		return n
	}
	if r.ARN != "" {
		return r.ARN
	}
	return r.ID
}

// policyNameFromARN returns the last segment of a policy ARN
// (arn:aws:iam::aws:policy/service-role/X gives X), or s itself.
func policyNameFromARN(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 && strings.Contains(s, ":policy/") {
		return s[i+1:]
	}
	return s
}

// iamFirstLoc returns the first location in a scanned file. A position
// without a file (a line of a live API document or of the bundled
// AWS-managed policies) is skipped: results point into the user's code only.
func iamFirstLoc(locs ...srcloc.Location) srcloc.Location {
	for _, l := range locs {
		if l.File != "" {
			return l
		}
	}
	return srcloc.Location{}
}

// policies returns the readable documents for iampolicy.Evaluate.
func (ps *rolePolicySet) policies() []*iampolicy.Policy {
	out := make([]*iampolicy.Policy, len(ps.Docs))
	for i, d := range ps.Docs {
		out[i] = d.Policy
	}
	return out
}

// statements returns every statement of the documents that keep selects
// (nil keeps all), in document order.
func (ps *rolePolicySet) statements(keep func(*rolePolicyDoc) bool) []roleStatement {
	var out []roleStatement
	for _, d := range ps.Docs {
		if keep != nil && !keep(d) {
			continue
		}
		for i := range d.Policy.Statements {
			out = append(out, roleStatement{Doc: d, Index: i, St: &d.Policy.Statements[i], role: ps.Role})
		}
	}
	return out
}

// mayDeny reports whether any statement is, or might be, a Deny. Without
// one, no grant can be cancelled and Evaluate need not be asked.
func (ps *rolePolicySet) mayDeny() bool {
	for _, d := range ps.Docs {
		for i := range d.Policy.Statements {
			if _, deny, unsure := stmtEffect(&d.Policy.Statements[i]); deny || unsure {
				return true
			}
		}
	}
	return false
}

// unreadableDeny reports whether a Deny (or a statement of unknown effect)
// has unresolved parts, so that it might cancel a grant nobody can prove it
// cancels.
func (ps *rolePolicySet) unreadableDeny() bool {
	for _, d := range ps.Docs {
		for i := range d.Policy.Statements {
			st := &d.Policy.Statements[i]
			if _, deny, unsure := stmtEffect(st); unsure || (deny && len(st.Unknown) > 0) {
				return true
			}
		}
	}
	return false
}

// gapTexts returns the descriptions of the gaps relevant selects (nil: all).
func (ps *rolePolicySet) gapTexts(relevant func(rolePolicyGapKind) bool) ([]string, srcloc.Location) {
	var out []string
	var loc srcloc.Location
	for _, g := range ps.Gaps {
		if relevant != nil && !relevant(g.Kind) {
			continue
		}
		if len(out) == 0 {
			loc = g.Loc
		}
		out = append(out, g.What)
	}
	return out, loc
}

// roleStatement is one statement of a role's policy document.
type roleStatement struct {
	Doc   *rolePolicyDoc
	Index int // 0-based position in the document
	St    *iampolicy.Statement
	role  *inventory.Role
}

// Label names the statement in messages: `inline policy "orders" statement
// "Write"`. The statement is named by its Sid, else by its position when the
// document has several.
func (s roleStatement) Label() string {
	switch {
	case s.St.Sid != "":
		return fmt.Sprintf("%s statement %q", s.Doc.Label(), s.St.Sid)
	case len(s.Doc.Policy.Statements) > 1:
		return fmt.Sprintf("%s statement %d", s.Doc.Label(), s.Index+1)
	}
	return s.Doc.Label()
}

// Loc is where to point a finding about the statement: the statement, else
// its inline policy or attachment, else the role.
func (s roleStatement) Loc() srcloc.Location {
	var roleLoc srcloc.Location
	if s.role != nil {
		roleLoc = s.role.Loc
	}
	return iamFirstLoc(s.St.Loc, s.Doc.Loc, roleLoc)
}

// stmtEffect classifies a statement's effect; unsure is true when the effect
// could not be resolved.
func stmtEffect(st *iampolicy.Statement) (allow, deny, unsure bool) {
	if slices.Contains(st.Unknown, "Effect") {
		return false, false, true
	}
	switch {
	case strings.EqualFold(string(st.Effect), string(iampolicy.Allow)):
		return true, false, false
	case strings.EqualFold(string(st.Effect), string(iampolicy.Deny)):
		return false, true, false
	}
	return false, false, true
}

// stmtUnknown reports whether the statement has unresolved values in field.
func stmtUnknown(st *iampolicy.Statement, field string) bool {
	return slices.Contains(st.Unknown, field)
}

// stmtCovers reports whether the statement's Action (or the complement of its
// NotAction) covers action.
func stmtCovers(st *iampolicy.Statement, action string) bool {
	if st.NotActionSet {
		for _, p := range st.NotActions {
			if iampolicy.MatchAction(p, action) {
				return false
			}
		}
		return true
	}
	for _, p := range st.Actions {
		if iampolicy.MatchAction(p, action) {
			return true
		}
	}
	return false
}

// Resource patterns.

// iamWildcardOnly reports whether s consists of IAM wildcards only.
func iamWildcardOnly(s string) bool {
	return s != "" && strings.Trim(s, "*?") == ""
}

// iamAllResources reports whether a resource pattern is equivalent to
// "*": wildcards only, or an ARN whose every part after the partition is a
// wildcard ("arn:aws:*", "arn:*:*:*:*:*").
func iamAllResources(p string) bool {
	if iamWildcardOnly(p) {
		return true
	}
	parts := strings.SplitN(p, ":", 6)
	if len(parts) < 3 || parts[0] != "arn" {
		return false
	}
	for _, f := range parts[2:] {
		if !iamWildcardOnly(f) {
			return false
		}
	}
	return true
}

// iamSpecificARN reports whether a resource pattern names specific resources:
// it has no wildcard. Placeholders for the current account and region
// (<account>, <region>) and policy variables (${aws:username}) do not make
// it wider.
func iamSpecificARN(p string) bool {
	p = iamStripVariables(p)
	return !strings.ContainsAny(p, "*?")
}

// iamStripVariables removes ${...} policy variables, whose values IAM
// substitutes per request.
func iamStripVariables(p string) string {
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			return p
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return p
		}
		p = p[:i] + "x" + p[i+j+1:]
	}
}

// iamARNFields splits an ARN pattern into partition, service, region, account
// and resource; ok is false when p is not an ARN.
func iamARNFields(p string) (partition, service, region, account, resource string, ok bool) {
	parts := strings.SplitN(p, ":", 6)
	if len(parts) < 2 || parts[0] != "arn" {
		return "", "", "", "", "", false
	}
	for len(parts) < 6 {
		parts = append(parts, "")
	}
	return parts[1], parts[2], parts[3], parts[4], parts[5], true
}

// Probe names stand for "some other resource" when testing what a pattern
// or a Deny covers. They are unlikely to be real resource names.
const (
	iamProbeName      = "lambdawarden-probe-a1"
	iamProbeOtherName = "zz-lambdawarden-other-b2"
)

// iamFillTemplate fills an ARN template of the catalog
// ("arn:${Partition}:s3:::${BucketName}") with partition, region and
// account, and name for every other variable.
func iamFillTemplate(tmpl, partition, region, account, name string) string {
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		switch tmpl[i+2 : i+j] {
		case "Partition":
			b.WriteString(partition)
		case "Region":
			b.WriteString(region)
		case "Account":
			b.WriteString(account)
		default:
			b.WriteString(name)
		}
		tmpl = tmpl[i+j+1:]
	}
}

// iamServiceWide reports whether a resource pattern covers every resource of
// one of the action's resource types in an account (or more): its
// resource-name part is only wildcards, as in "arn:aws:s3:::*" or
// "arn:aws:dynamodb:*:*:table/*". It is decided from the catalog's ARN
// templates: the pattern, with its own partition, region and account, must
// match two instances of a template that differ only in resource names.
func iamServiceWide(c *iampolicy.Catalog, a iampolicy.Action, p string) bool {
	if iamAllResources(p) {
		return true
	}
	// A policy variable names one resource per request.
	p = iamStripVariables(p)
	partition, _, region, account, _, ok := iamARNFields(p)
	if !ok {
		return false
	}
	for _, rt := range a.ResourceTypes {
		tmpl, ok := c.ResourceARNTemplate(a.Service, rt)
		if !ok {
			continue
		}
		one := iamFillTemplate(tmpl, partition, region, account, iamProbeName)
		other := iamFillTemplate(tmpl, partition, region, account, iamProbeOtherName)
		if iampolicy.MatchResource(p, one) && iampolicy.MatchResource(p, other) {
			return true
		}
	}
	return false
}

// iamFnRegion is the function's region, or the placeholder the sources use
// for the current one.
func iamFnRegion(f *inventory.Function) string {
	if f.Region != "" {
		return f.Region
	}
	return inventory.CurrentRegion
}

// iamFnAccount is the function's account, or the placeholder for the
// current one.
func iamFnAccount(f *inventory.Function) string {
	if f.Account != "" {
		return f.Account
	}
	return inventory.CurrentAccount
}

// probeFor returns a concrete resource that the pattern (or, with
// notResource, the complement of notResources) covers and that stands for an
// arbitrary resource of the action: a catalog template filled with probe
// names when the pattern covers it, else the pattern with its wildcards
// filled in.
func (ps *rolePolicySet) probeFor(c *iampolicy.Catalog, a iampolicy.Action, pattern string, notResource bool, notResources []string) string {
	covered := func(arn string) bool {
		if notResource {
			for _, n := range notResources {
				if iampolicy.MatchResource(n, arn) {
					return false
				}
			}
			return true
		}
		return iampolicy.MatchResource(pattern, arn)
	}
	for _, rt := range a.ResourceTypes {
		tmpl, ok := c.ResourceARNTemplate(a.Service, rt)
		if !ok {
			continue
		}
		arn := iamFillTemplate(tmpl, inventory.CurrentPartition, iamFnRegion(ps.Fn), iamFnAccount(ps.Fn), iamProbeName)
		if covered(arn) {
			return arn
		}
	}
	if notResource {
		return iamProbeName
	}
	r := strings.NewReplacer("*", iamProbeName, "?", "x")
	return r.Replace(pattern)
}

// denied reports whether an unconditional Deny removes the grant of action on
// probe, and whether an unreadable Deny might.
func (ps *rolePolicySet) denied(action, probe string) (denied, maybe bool) {
	d, unknown := iampolicy.Evaluate(ps.policies(), action, probe)
	if d == iampolicy.Denied {
		return true, false
	}
	return false, unknown && ps.unreadableDeny()
}

// roleGrant is an offending grant: a statement that allows actions on a
// resource pattern (or on everything but its NotResource).
type roleGrant struct {
	At           roleStatement
	Actions      []string // sorted
	Resource     string
	NotResource  bool
	NotResources []string
}

// ResourceText is the resource part of a message: "*", the pattern, or
// "every resource except ...".
func (g roleGrant) ResourceText() string {
	if g.NotResource {
		return "every resource except " + iamList(g.NotResources, 2)
	}
	return g.Resource
}

// grantScan describes which grants a check looks for.
type grantScan struct {
	// Docs selects the documents to scan (nil: all).
	Docs func(*rolePolicyDoc) bool
	// Granted returns the actions of interest a statement's Action covers.
	Granted func(st *iampolicy.Statement) []iampolicy.Action
	// Candidates are the actions of interest when the check has a fixed list;
	// nil when it looks at the whole catalog.
	Candidates []iampolicy.Action
	// Wide reports whether granting a on the resource pattern offends.
	Wide func(a iampolicy.Action, pattern string) bool
	// Limited, when set, reports whether the statement's conditions limit
	// its grant of a to targets that do not offend (LW-IAM-09's
	// iam:PassedToService); such a grant is not reported.
	Limited func(st *iampolicy.Statement, a iampolicy.Action) bool
}

// scan returns the offending grants of the role's Allow statements that no
// unconditional Deny cancels, and the statements whose unresolved parts
// could hide (or cancel) one.
func (ps *rolePolicySet) scan(c *iampolicy.Catalog, q grantScan) (grants []roleGrant, uncertain []string) {
	mayDeny := ps.mayDeny()
	for _, s := range ps.statements(q.Docs) {
		st := s.St
		allow, _, unsure := stmtEffect(st)
		if !allow && !unsure {
			continue
		}
		acts := q.Granted(st)
		type target struct {
			pattern string
			not     bool
		}
		var targets []target
		switch {
		case st.NotResourceSet:
			targets = append(targets, target{not: true})
		case len(st.Resources) == 0 && !stmtUnknown(st, "Resource"):
			// No Resource at all: iampolicy.Evaluate takes it as every
			// resource, and so do the checks.
			targets = append(targets, target{pattern: "*"})
		default:
			for _, p := range st.Resources {
				targets = append(targets, target{pattern: p})
			}
		}
		offends := func(a iampolicy.Action, t target) bool { return t.not || q.Wide(a, t.pattern) }

		maybe, denyMaybe := false, false
		for _, t := range targets {
			var hit []iampolicy.Action
			for _, a := range acts {
				if offends(a, t) && (q.Limited == nil || !q.Limited(st, a)) {
					hit = append(hit, a)
				}
			}
			if len(hit) == 0 {
				continue
			}
			if unsure {
				maybe = true
				continue
			}
			var kept []string
			for _, a := range hit {
				if mayDeny {
					probe := ps.probeFor(c, a, t.pattern, t.not, st.NotResources)
					den, unk := ps.denied(a.String(), probe)
					if den {
						continue
					}
					if unk {
						denyMaybe = true
						continue
					}
				}
				kept = append(kept, a.String())
			}
			if len(kept) == 0 {
				continue
			}
			slices.Sort(kept)
			kept = slices.Compact(kept)
			grants = append(grants, roleGrant{At: s, Actions: kept, Resource: t.pattern, NotResource: t.not, NotResources: st.NotResources})
		}
		// Unresolved actions might be ones of interest.
		if stmtUnknown(st, "Action") {
			for _, t := range targets {
				if q.Candidates != nil {
					for _, a := range q.Candidates {
						if offends(a, t) && (q.Limited == nil || !q.Limited(st, a)) {
							maybe = true
						}
					}
				} else if t.not || !iamSpecificARN(t.pattern) {
					maybe = true
				}
			}
		}
		// Unresolved resources might be "*".
		if stmtUnknown(st, "Resource") && slices.ContainsFunc(acts, func(a iampolicy.Action) bool { return q.Limited == nil || !q.Limited(st, a) }) {
			maybe = true
		}
		switch {
		case maybe:
			uncertain = append(uncertain, s.Label()+" has unresolved "+stmtUnknownFields(st))
		case denyMaybe:
			uncertain = append(uncertain, s.Label()+" may be cancelled by a Deny with unresolved parts")
		}
	}
	return grants, uncertain
}

// stmtUnknownFields names a statement's unresolved fields for messages.
func stmtUnknownFields(st *iampolicy.Statement) string {
	if len(st.Unknown) == 0 {
		return "parts"
	}
	f := slices.Clone(st.Unknown)
	slices.Sort(f)
	return strings.Join(slices.Compact(f), " and ")
}

// iamCatalogGranted returns a Granted function over the whole catalog: the
// statement's expanded actions that pick keeps.
func iamCatalogGranted(c *iampolicy.Catalog, pick func(iampolicy.Action) bool) func(*iampolicy.Statement) []iampolicy.Action {
	return func(st *iampolicy.Statement) []iampolicy.Action {
		granted, _ := st.GrantedActions(c)
		var out []iampolicy.Action
		for _, a := range granted {
			if pick(a) {
				out = append(out, a)
			}
		}
		return out
	}
}

// iamCatalogActions looks up actions (or expands patterns such as
// "iam:Attach*Policy") in the catalog. A name the catalog lacks is kept
// with no resource types, so the check still sees it.
func iamCatalogActions(c *iampolicy.Catalog, names ...string) []iampolicy.Action {
	var out []iampolicy.Action
	for _, n := range names {
		if strings.ContainsAny(n, "*?") {
			out = append(out, c.Expand(n)...)
			continue
		}
		if a, ok := c.Lookup(n); ok {
			out = append(out, a)
			continue
		}
		svc, name, _ := strings.Cut(n, ":")
		out = append(out, iampolicy.Action{Service: svc, Name: name})
	}
	return out
}

// iamListGranted returns a Granted function for a fixed list of actions.
func iamListGranted(actions []iampolicy.Action) func(*iampolicy.Statement) []iampolicy.Action {
	return func(st *iampolicy.Statement) []iampolicy.Action {
		var out []iampolicy.Action
		for _, a := range actions {
			if stmtCovers(st, a.String()) {
				out = append(out, a)
			}
		}
		return out
	}
}

// Wording.

// iamList joins items with ", ", showing at most max of them and
// "and N more" for the rest.
func iamList(items []string, max int) string { return iamJoin(items, max, ", ") }

// iamJoin is iamList with another separator.
func iamJoin(items []string, max int, sep string) string {
	if len(items) <= max {
		return strings.Join(items, sep)
	}
	return strings.Join(items[:max], sep) + fmt.Sprintf("%sand %d more", sep, len(items)-max)
}

// describeGrants words offending grants: the first few in full, then a
// count. verb is "grants" or "allows".
func describeGrants(grants []roleGrant, verb string) string {
	const maxGrants = 2
	var parts []string
	for i, g := range grants {
		if i == maxGrants {
			n := len(grants) - maxGrants
			parts[len(parts)-1] += fmt.Sprintf("; and %d more %s", n, iamPlural(n, "grant", "grants"))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s %s on %s", g.At.Label(), verb, g.ActionText(), g.ResourceText()))
	}
	return strings.Join(parts, "; ")
}

// ActionText words the granted actions: up to three by name; more by the
// statement's patterns that grant them and a count, such as
// "dynamodb:* (43 actions such as dynamodb:BatchWriteItem, dynamodb:CreateBackup)".
func (g roleGrant) ActionText() string {
	const max = 3
	if len(g.Actions) <= max {
		return iamList(g.Actions, max)
	}
	st := g.At.St
	var via []string
	examples := g.Actions
	if st.NotActionSet {
		via = append(via, "every action except "+iamList(st.NotActions, 2))
	} else {
		// The wildcard patterns that grant them, with examples of the first.
		for _, p := range st.Actions {
			if !strings.ContainsAny(p, "*?") {
				continue
			}
			var matched []string
			for _, a := range g.Actions {
				if iampolicy.MatchAction(p, a) {
					matched = append(matched, a)
				}
			}
			if len(matched) == 0 {
				continue
			}
			if len(via) == 0 {
				examples = matched
			}
			via = append(via, p)
		}
	}
	if len(via) == 0 {
		return iamList(g.Actions, max)
	}
	return fmt.Sprintf("%s (%d actions, such as %s)", iamList(via, max), len(g.Actions), strings.Join(examples[:min(2, len(examples))], ", "))
}

// iamPlural picks the singular or plural word for n.
func iamPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// roleUnknownFinding is the UNKNOWN finding for a role whose relevant policies
// could not all be read.
func roleUnknownFinding(ps *rolePolicySet, what []string, loc srcloc.Location) Finding {
	msg := "cannot evaluate: " + iamList(what, 2)
	if ps.Role != nil {
		msg = fmt.Sprintf("cannot evaluate role %q: %s", ps.RoleName, iamList(what, 2))
	}
	return Finding{Status: result.Unknown, Location: loc, Message: msg}
}

// roleVerdict turns a content check's grants into a finding: FAIL when a
// readable statement proves it, else UNKNOWN when a relevant part could not
// be read, else PASS with passMsg.
func roleVerdict(ps *rolePolicySet, grants []roleGrant, uncertain []string, relevant func(rolePolicyGapKind) bool, failMsg func([]roleGrant) string, passMsg string) Finding {
	if len(grants) > 0 {
		return Finding{Status: result.Fail, Location: grants[0].At.Loc(), Message: failMsg(grants)}
	}
	gaps, loc := ps.gapTexts(relevant)
	if len(uncertain) > 0 && len(gaps) == 0 {
		loc = ps.roleLoc()
	}
	if what := append(gaps, uncertain...); len(what) > 0 {
		return roleUnknownFinding(ps, what, loc)
	}
	return Finding{Status: result.Pass, Message: passMsg}
}

// roleLoc is where the role is written, else where the function names it.
func (ps *rolePolicySet) roleLoc() srcloc.Location {
	var l srcloc.Location
	if ps.Role != nil {
		l = ps.Role.Loc
	}
	return iamFirstLoc(l, ps.Fn.Role.Loc)
}

// allGaps makes every gap relevant.
func allGaps(rolePolicyGapKind) bool { return true }
