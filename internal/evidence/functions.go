package evidence

import (
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Setting is one configuration value as the evidence shows it.
type Setting struct {
	// State is "known", "absent" (not set: the AWS default applies) or
	// "unknown" (set, but not resolvable; see Why).
	State string `json:"state"`
	Value any    `json:"value"`
	Why   string `json:"why,omitempty"`
	// SetAt is where the value is written (file:line), when known.
	SetAt string `json:"set_at,omitempty"`
}

func setting[T any](v inventory.Value[T], conv func(T) any) Setting {
	s := Setting{State: v.State.String(), Why: v.Why, SetAt: v.Loc.String()}
	if v.IsKnown() {
		if conv != nil {
			s.Value = conv(v.V)
		} else {
			s.Value = v.V
		}
	}
	return s
}

func plain[T any](v inventory.Value[T]) Setting { return setting(v, nil) }

func refString(r inventory.Ref) any { return r.String() }

func refList(rs []inventory.Value[inventory.Ref]) any {
	out := []Setting{}
	for _, r := range rs {
		out = append(out, setting(r, refString))
	}
	return out
}

func itemHeader(it inventory.Item) map[string]any {
	return map[string]any{
		"id": it.ID, "source": it.Source, "origin": it.Origin, "location": it.Loc.String(),
		"account": it.Account, "region": it.Region,
	}
}

type envVar struct {
	Name string `json:"name"`
	// Value is always REDACTED: the evidence never carries environment values.
	Value     string `json:"value"`
	State     string `json:"state"`
	Reference bool   `json:"reference"`
	SetAt     string `json:"set_at,omitempty"`
}

func environment(v inventory.Value[[]inventory.EnvVar]) Setting {
	return setting(v, func(vars []inventory.EnvVar) any {
		out := []envVar{}
		for _, e := range vars {
			out = append(out, envVar{Name: e.Name, Value: Redacted, State: e.Value.State.String(),
				Reference: e.Reference, SetAt: e.Value.Loc.String()})
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out
	})
}

// configuration is configuration.json.
func configuration(x *inventory.Index, f *inventory.Function) map[string]any {
	doc := itemHeader(f.Item)
	doc["name"] = plain(f.Name)
	doc["arn"] = f.ARN
	doc["runtime"] = plain(f.Runtime)
	doc["handler"] = plain(f.Handler)
	doc["package_type"] = plain(f.PackageType)
	doc["role"] = setting(f.Role, refString)
	doc["environment"] = environment(f.Environment)
	doc["environment_note"] = "Every environment variable value is replaced by " + Redacted + "; names are kept."
	doc["kms_key_arn"] = plain(f.KMSKeyARN)
	doc["tracing_mode"] = plain(f.TracingMode)
	doc["log_format"] = plain(f.LogFormat)
	doc["log_group"] = plain(inventory.LogGroupName(f))
	doc["reserved_concurrency"] = plain(f.ReservedConcurrency)
	doc["timeout_seconds"] = plain(f.TimeoutSeconds)
	doc["memory_mb"] = plain(f.MemoryMB)
	doc["vpc"] = setting(f.VPC, func(v inventory.VPCConfig) any {
		return map[string]any{
			"subnets":         setting(v.Subnets, refList),
			"security_groups": setting(v.SecurityGroups, refList),
		}
	})
	doc["layers"] = setting(f.Layers, refList)
	doc["code_signing_config"] = setting(f.CodeSigningConfig, refString)
	doc["dead_letter_target"] = plain(f.DeadLetterTarget)
	doc["on_failure_destination"] = plain(f.OnFailureDestination)
	doc["tags"] = plain(f.Tags)
	doc["package"] = plain(f.Package)
	doc["publish_versions"] = plain(f.PublishVersions)
	doc["last_deployment"] = plain(f.LastDeployment)

	aliases := []map[string]any{}
	for _, a := range x.Aliases(f) {
		m := itemHeader(a.Item)
		m["name"] = plain(a.Name)
		m["function_version"] = plain(a.FunctionVersion)
		aliases = append(aliases, m)
	}
	doc["aliases"] = aliases
	cfgs := []map[string]any{}
	for _, c := range x.EventInvokeConfigs(f) {
		m := itemHeader(c.Item)
		m["on_failure"] = plain(c.OnFailure)
		m["on_success"] = plain(c.OnSuccess)
		cfgs = append(cfgs, m)
	}
	doc["event_invoke_configs"] = cfgs
	routes := []map[string]any{}
	for _, r := range x.APIRoutes(f) {
		m := itemHeader(r.Item)
		m["authorization"] = plain(r.Authorization)
		routes = append(routes, m)
	}
	doc["api_routes"] = routes
	return doc
}

// IAM policy documents in their AWS JSON shape.

type iamPolicy struct {
	Version   string         `json:"Version,omitempty"`
	ID        string         `json:"Id,omitempty"`
	Statement []iamStatement `json:"Statement"`
}

type iamPrincipal struct {
	AWS           []string `json:"AWS,omitempty"`
	Service       []string `json:"Service,omitempty"`
	Federated     []string `json:"Federated,omitempty"`
	CanonicalUser []string `json:"CanonicalUser,omitempty"`
}

type iamStatement struct {
	Sid          string                         `json:"Sid,omitempty"`
	Effect       string                         `json:"Effect"`
	Principal    any                            `json:"Principal,omitempty"`
	NotPrincipal any                            `json:"NotPrincipal,omitempty"`
	Action       *[]string                      `json:"Action,omitempty"`
	NotAction    *[]string                      `json:"NotAction,omitempty"`
	Resource     *[]string                      `json:"Resource,omitempty"`
	NotResource  *[]string                      `json:"NotResource,omitempty"`
	Condition    map[string]map[string][]string `json:"Condition,omitempty"`
}

func principal(p *iampolicy.Principal) any {
	if p == nil {
		return nil
	}
	if p.Wildcard {
		return "*"
	}
	return iamPrincipal{AWS: p.AWS, Service: p.Service, Federated: p.Federated, CanonicalUser: p.CanonicalUser}
}

func list(s []string) *[]string {
	out := append([]string{}, s...)
	return &out
}

func statement(s iampolicy.Statement) iamStatement {
	st := iamStatement{Sid: s.Sid, Effect: string(s.Effect), Principal: principal(s.Principal), NotPrincipal: principal(s.NotPrincipal)}
	if s.NotActionSet {
		st.NotAction = list(s.NotActions)
	} else {
		st.Action = list(s.Actions)
	}
	if s.NotResourceSet {
		st.NotResource = list(s.NotResources)
	} else if len(s.Resources) > 0 || st.Principal == nil && st.NotPrincipal == nil {
		st.Resource = list(s.Resources)
	}
	if len(s.Conditions) > 0 {
		st.Condition = map[string]map[string][]string{}
		for _, c := range s.Conditions {
			if st.Condition[c.Operator] == nil {
				st.Condition[c.Operator] = map[string][]string{}
			}
			st.Condition[c.Operator][c.Key] = append(st.Condition[c.Operator][c.Key], c.Values...)
		}
	}
	return st
}

// unresolved names, per statement index, the fields the source could not resolve.
type unresolved struct {
	Statement int      `json:"statement"`
	Fields    []string `json:"fields"`
}

// policyDoc is a policy document with the parts that could not be resolved.
type policyDoc struct {
	Document   *iamPolicy   `json:"document"`
	Unresolved []unresolved `json:"unresolved,omitempty"`
}

func document(p *iampolicy.Policy) policyDoc {
	if p == nil {
		return policyDoc{}
	}
	d := &iamPolicy{Version: p.Version, ID: p.ID, Statement: []iamStatement{}}
	var un []unresolved
	for i, s := range p.Statements {
		d.Statement = append(d.Statement, statement(s))
		if len(s.Unknown) > 0 {
			un = append(un, unresolved{Statement: i, Fields: append([]string{}, s.Unknown...)})
		}
	}
	return policyDoc{Document: d, Unresolved: un}
}

type policyEntry struct {
	State      string       `json:"state"`
	Why        string       `json:"why,omitempty"`
	SetAt      string       `json:"set_at,omitempty"`
	Document   *iamPolicy   `json:"document"`
	Unresolved []unresolved `json:"unresolved,omitempty"`
}

func policyValue(v inventory.Value[*iampolicy.Policy]) policyEntry {
	e := policyEntry{State: v.State.String(), Why: v.Why, SetAt: v.Loc.String()}
	if p, ok := v.Get(); ok {
		d := document(p)
		e.Document, e.Unresolved = d.Document, d.Unresolved
	}
	return e
}

// isAWSManagedARN reports whether arn names an AWS-managed policy.
func isAWSManagedARN(arn string) bool {
	return strings.HasPrefix(arn, "arn:") && strings.Contains(arn, ":iam::aws:policy/")
}

type attachedPolicy struct {
	Reference Setting `json:"reference"`
	// Type is "aws-managed", "customer-managed" or "unknown".
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
	ARN  string `json:"arn,omitempty"`
	// Status says where the document comes from, or why there is none.
	Status     string       `json:"status"`
	Version    string       `json:"version,omitempty"`
	Updated    string       `json:"updated,omitempty"`
	Location   string       `json:"location,omitempty"`
	Document   *iamPolicy   `json:"document"`
	Unresolved []unresolved `json:"unresolved,omitempty"`
}

func attached(x *inventory.Index, origin string, a inventory.PolicyAttachment, awsManaged func(string) (*iampolicy.ManagedPolicy, bool)) attachedPolicy {
	ap := attachedPolicy{Reference: setting(a.Policy, refString), Type: "unknown"}
	if ap.Reference.SetAt == "" {
		ap.Reference.SetAt = a.Loc.String()
	}
	ref, ok := a.Policy.Get()
	if !ok {
		ap.Status = "the attached policy could not be resolved: " + a.Policy.String()
		return ap
	}
	if isAWSManagedARN(ref.Name) {
		ap.Type, ap.ARN = "aws-managed", ref.Name
		ap.Name = ref.Name[strings.LastIndexByte(ref.Name, '/')+1:]
		if mp, ok := awsManaged(ref.Name); ok && mp != nil {
			d := document(mp.Document)
			ap.Name, ap.ARN, ap.Version, ap.Updated = mp.Name, mp.ARN, mp.Version, mp.Updated
			ap.Document, ap.Unresolved = d.Document, d.Unresolved
			ap.Status = "document of the AWS-managed policy from lambdawarden's bundled snapshot"
		} else {
			ap.Status = "unknown AWS-managed policy: not in lambdawarden's bundled snapshot, so its document is not included"
		}
		return ap
	}
	if mp := x.ManagedPolicy(origin, ref); mp != nil {
		ap.Type, ap.ARN, ap.Location = "customer-managed", mp.ARN, mp.Loc.String()
		ap.Name = mp.Name.Or(mp.ID)
		pv := policyValue(mp.Document)
		ap.Document, ap.Unresolved = pv.Document, pv.Unresolved
		ap.Status = "customer-managed policy " + mp.ID + " from the scanned inventory"
		if !mp.Document.IsKnown() {
			ap.Status += "; its document is " + mp.Document.String()
		}
		return ap
	}
	ap.Type, ap.ARN = "customer-managed", ref.Name
	if ref.Name == "" {
		ap.ARN = ref.ID
	}
	ap.Status = "not in the scanned inventory (defined elsewhere), so its document is not included"
	return ap
}

// roleDoc is execution-role.json.
type roleDoc struct {
	Function      string  `json:"function"`
	RoleReference Setting `json:"role_reference"`
	// Found is false when the role is not in the scanned inventory.
	Found               bool             `json:"found"`
	Note                string           `json:"note,omitempty"`
	Role                map[string]any   `json:"role,omitempty"`
	TrustPolicy         *policyEntry     `json:"trust_policy,omitempty"`
	PermissionsBoundary *Setting         `json:"permissions_boundary,omitempty"`
	PoliciesComplete    *Setting         `json:"policies_complete,omitempty"`
	InlinePolicies      []inlinePolicy   `json:"inline_policies"`
	AttachedPolicies    []attachedPolicy `json:"attached_policies"`
	SharedWith          []string         `json:"shared_with_functions"`
}

type inlinePolicy struct {
	Name     string      `json:"name"`
	Location string      `json:"location,omitempty"`
	Policy   policyEntry `json:"policy"`
}

// executionRole is execution-role.json.
func executionRole(x *inventory.Index, f *inventory.Function, awsManaged func(string) (*iampolicy.ManagedPolicy, bool)) roleDoc {
	doc := roleDoc{Function: f.ID, RoleReference: setting(f.Role, refString),
		InlinePolicies: []inlinePolicy{}, AttachedPolicies: []attachedPolicy{}, SharedWith: []string{}}
	r := x.RoleOf(f)
	if r == nil {
		if f.Role.IsKnown() {
			doc.Note = "The execution role is not in the scanned inventory (defined elsewhere): its trust policy and policies are not part of this evidence."
		} else {
			doc.Note = "The execution role could not be resolved: " + f.Role.String()
		}
		return doc
	}
	doc.Found = true
	doc.Role = itemHeader(r.Item)
	doc.Role["name"] = plain(r.Name)
	doc.Role["arn"] = r.ARN
	tp := policyValue(r.TrustPolicy)
	doc.TrustPolicy = &tp
	pb, pc := plain(r.Boundary), plain(r.PoliciesComplete)
	doc.PermissionsBoundary, doc.PoliciesComplete = &pb, &pc
	for _, p := range r.Inline {
		pv := policyValue(p.Document)
		if pv.SetAt == "" {
			pv.SetAt = p.Loc.String()
		}
		doc.InlinePolicies = append(doc.InlinePolicies, inlinePolicy{Name: p.Name, Location: p.Loc.String(), Policy: pv})
	}
	for _, a := range r.Attached {
		doc.AttachedPolicies = append(doc.AttachedPolicies, attached(x, r.Origin, a, awsManaged))
	}
	for _, g := range x.FunctionsWithRole(r) {
		if g != f {
			doc.SharedWith = append(doc.SharedWith, g.ID)
		}
	}
	sort.Strings(doc.SharedWith)
	return doc
}

// resourcePolicyDoc is resource-policy.json.
type resourcePolicyDoc struct {
	Function string `json:"function"`
	// Policy gathers the statements of the function's permissions; nil when none.
	Policy       *iamPolicy       `json:"policy"`
	Note         string           `json:"note,omitempty"`
	Unresolved   []unresolved     `json:"unresolved,omitempty"`
	Permissions  []map[string]any `json:"permissions"`
	FunctionURLs []map[string]any `json:"function_urls"`
}

// resourcePolicy is resource-policy.json.
func resourcePolicy(x *inventory.Index, f *inventory.Function) resourcePolicyDoc {
	doc := resourcePolicyDoc{Function: f.ID, Permissions: []map[string]any{}, FunctionURLs: []map[string]any{}}
	perms := x.Permissions(f)
	pol := &iamPolicy{Version: "2012-10-17", Statement: []iamStatement{}}
	for i, p := range perms {
		pol.Statement = append(pol.Statement, statement(p.Statement))
		if len(p.Statement.Unknown) > 0 {
			doc.Unresolved = append(doc.Unresolved, unresolved{Statement: i, Fields: append([]string{}, p.Statement.Unknown...)})
		}
		m := itemHeader(p.Item)
		m["qualifier"] = plain(p.Qualifier)
		m["statement"] = i
		doc.Permissions = append(doc.Permissions, m)
	}
	if len(perms) > 0 {
		doc.Policy = pol
	} else {
		doc.Note = "No resource-based policy statement for this function is in the scanned inventory."
	}
	for _, u := range x.URLs(f) {
		m := itemHeader(u.Item)
		m["qualifier"] = plain(u.Qualifier)
		m["auth_type"] = plain(u.AuthType)
		m["cors_allow_origins"] = plain(u.CORSAllowOrigins)
		doc.FunctionURLs = append(doc.FunctionURLs, m)
	}
	return doc
}

// logGroupDoc is log-group.json.
type logGroupDoc struct {
	Function     string  `json:"function"`
	LogGroupName Setting `json:"log_group_name"`
	// Retention says in words how long logs are kept.
	Retention string         `json:"retention"`
	Found     bool           `json:"found"`
	LogGroup  map[string]any `json:"log_group"`
}

// logGroup is log-group.json.
func logGroup(x *inventory.Index, f *inventory.Function) logGroupDoc {
	name := inventory.LogGroupName(f)
	doc := logGroupDoc{Function: f.ID, LogGroupName: plain(name)}
	g := x.LogGroupOf(f)
	if g == nil {
		switch {
		case !name.IsKnown():
			doc.Retention = "unknown: the log group name could not be resolved"
		case f.Source == inventory.LiveAWS:
			doc.Retention = "unknown: the log group was not found in the account"
		default:
			doc.Retention = "never expire: the log group is not declared in the scanned code, so Lambda creates it on first invocation without retention"
		}
		return doc
	}
	doc.Found = true
	doc.LogGroup = itemHeader(g.Item)
	doc.LogGroup["name"] = plain(g.Name)
	doc.LogGroup["retention_days"] = plain(g.RetentionDays)
	doc.LogGroup["kms_key_id"] = plain(g.KMSKeyID)
	switch {
	case g.RetentionDays.IsKnown():
		doc.Retention = g.RetentionDays.String() + " days"
	case g.RetentionDays.IsAbsent():
		doc.Retention = "never expire: no retention is set"
	default:
		doc.Retention = "unknown: " + g.RetentionDays.String()
	}
	return doc
}
