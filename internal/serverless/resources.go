package serverless

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// resources reads the CloudFormation a service adds in resources.Resources
// that the checks need: IAM roles and policies (for functions with a custom
// role), alarms, permissions, and overrides of the log groups the framework
// generates (the framework merges a resource with the same logical ID into
// its own).
func (b *builder) resources() {
	res := b.cfn.resources
	if res == nil || res.k() != kMap {
		return
	}
	roles := map[string]*inventory.Role{}
	for _, r := range b.inv.Roles {
		roles[r.ID] = r
	}
	if b.sharedRole != nil {
		roles[sharedRoleID] = b.sharedRole
	}
	groups := map[string]*inventory.LogGroup{}
	for _, g := range b.inv.LogGroups {
		groups[g.ID] = g
	}
	// Roles first, so that policies can attach to them.
	for _, e := range res.ents {
		if typ, _ := e.v.get("Type").str(); typ == "AWS::IAM::Role" && roles[e.key] == nil {
			r := b.resourceRole(e)
			roles[e.key] = r
			b.inv.Roles = append(b.inv.Roles, r)
		}
	}
	for _, e := range res.ents {
		typ, _ := e.v.get("Type").str()
		props := e.v.get("Properties")
		switch typ {
		case "AWS::IAM::Policy":
			doc := b.policyDocument(props.get("PolicyDocument"))
			name, _, _ := b.cfn.str(props.get("PolicyName"), 0)
			for _, rr := range props.get("Roles").list() {
				if r := roles[refID(rr)]; r != nil {
					r.Inline = append(r.Inline, inventory.InlinePolicy{Name: name, Document: doc, Loc: b.loc(e.at)})
				}
			}
		case "AWS::IAM::ManagedPolicy":
			mp := &inventory.ManagedPolicy{Item: b.item(e.key, e.at), Document: b.policyDocument(props.get("PolicyDocument"))}
			_, name, _ := b.cfn.resource(e.key)
			mp.Name = inventory.Of(name, b.loc(e.at))
			b.inv.ManagedPolicies = append(b.inv.ManagedPolicies, mp)
			for _, rr := range props.get("Roles").list() {
				if r := roles[refID(rr)]; r != nil {
					r.Attached = append(r.Attached, inventory.PolicyAttachment{Policy: inventory.Of(inventory.Ref{ID: e.key}, b.loc(e.at)), Loc: b.loc(e.at)})
				}
			}
		case "AWS::Logs::LogGroup":
			g := groups[e.key]
			if g == nil {
				g = &inventory.LogGroup{Item: b.item(e.key, e.at), Name: b.str(props.get("LogGroupName"))}
				b.inv.LogGroups = append(b.inv.LogGroups, g)
			}
			if r := props.get("RetentionInDays"); !r.isNull() {
				g.RetentionDays = b.integer(r)
			}
			if k := props.get("KmsKeyId"); !k.isNull() {
				g.KMSKeyID = b.str(k)
			}
		case "AWS::CloudWatch::Alarm":
			b.alarm(e)
		case "AWS::Lambda::Permission":
			b.resourcePermission(e)
		}
	}
}

// refID is the logical ID in {Ref: X} or {Fn::GetAtt: [X, ...]}.
func refID(v *val) string {
	name, arg, ok := v.intrinsic()
	if !ok {
		return ""
	}
	switch name {
	case "Ref":
		s, _ := arg.str()
		return s
	case "Fn::GetAtt":
		if s, ok := arg.str(); ok {
			id, _, _ := strings.Cut(s, ".")
			return id
		}
		if l := arg.list(); len(l) > 0 {
			s, _ := l[0].str()
			return s
		}
	}
	return ""
}

func (b *builder) resourceRole(e entry) *inventory.Role {
	props := e.v.get("Properties")
	loc := b.loc(e.at)
	r := &inventory.Role{Item: b.item(e.key, e.at), PoliciesComplete: inventory.Of(true, loc)}
	_, name, _ := b.cfn.resource(e.key)
	r.Name = inventory.Of(name, loc)
	if t := props.get("AssumeRolePolicyDocument"); !t.isNull() {
		r.TrustPolicy = b.policyDocument(t)
	}
	for _, p := range props.get("Policies").list() {
		name, _, _ := b.cfn.str(p.get("PolicyName"), 0)
		r.Inline = append(r.Inline, inventory.InlinePolicy{Name: name, Document: b.policyDocument(p.get("PolicyDocument")), Loc: b.loc(p.at)})
	}
	r.Attached = b.attachments(props.get("ManagedPolicyArns"))
	r.Boundary = b.str(props.get("PermissionsBoundary"))
	return r
}

// policyDocument converts a policy document written in resources (identity
// or trust policy).
func (b *builder) policyDocument(d *val) inventory.Value[*iampolicy.Policy] {
	if d.isNull() {
		return inventory.Value[*iampolicy.Policy]{}
	}
	if d.k() != kMap {
		return inventory.UnknownValue[*iampolicy.Policy]("policy document cannot be resolved", b.loc(d.at))
	}
	p := &iampolicy.Policy{}
	p.Version, _ = d.get("Version").str()
	for _, s := range d.get("Statement").list() {
		if s == nil || s.k() != kMap {
			continue
		}
		st := b.statement(s)
		if pr := s.get("Principal"); !pr.isNull() {
			st.Principal = b.principal(pr, &st)
		}
		p.Statements = append(p.Statements, st)
	}
	return inventory.Of(p, b.loc(d.at))
}

func (b *builder) principal(v *val, st *iampolicy.Statement) *iampolicy.Principal {
	p := &iampolicy.Principal{}
	if s, ok := v.str(); ok && s == "*" {
		p.Wildcard = true
		return p
	}
	if v.k() != kMap {
		st.Unknown = appendOnce(st.Unknown, "Principal")
		return p
	}
	for _, e := range v.ents {
		l, unk := b.cfn.strList(e.v)
		if unk {
			st.Unknown = appendOnce(st.Unknown, "Principal")
		}
		switch e.key {
		case "AWS":
			p.AWS = append(p.AWS, l...)
		case "Service":
			p.Service = append(p.Service, l...)
		case "Federated":
			p.Federated = append(p.Federated, l...)
		case "CanonicalUser":
			p.CanonicalUser = append(p.CanonicalUser, l...)
		}
	}
	for _, l := range []*[]string{&p.AWS, &p.Service, &p.Federated, &p.CanonicalUser} {
		sortStrings(*l)
		*l = uniq(*l)
	}
	return p
}

func (b *builder) alarm(e entry) {
	props := e.v.get("Properties")
	a := &inventory.Alarm{Item: b.item(e.key, e.at), Name: b.str(props.get("AlarmName"))}
	if a.Name.IsAbsent() {
		a.Name = inventory.Of("<"+e.key+">", b.loc(e.at))
	}
	metric := func(ns, name, dims *val) inventory.AlarmMetric {
		m := inventory.AlarmMetric{Namespace: b.str(ns), MetricName: b.str(name)}
		for _, d := range dims.list() {
			dn, _ := d.get("Name").str()
			if dn == "" {
				continue
			}
			if m.Dimensions == nil {
				m.Dimensions = map[string]inventory.Value[string]{}
			}
			m.Dimensions[dn] = b.str(d.get("Value"))
		}
		return m
	}
	if !props.get("MetricName").isNull() {
		a.Metrics = append(a.Metrics, metric(props.get("Namespace"), props.get("MetricName"), props.get("Dimensions")))
	}
	for _, q := range props.get("Metrics").list() {
		if m := q.path("MetricStat", "Metric"); m != nil {
			a.Metrics = append(a.Metrics, metric(m.get("Namespace"), m.get("MetricName"), m.get("Dimensions")))
		}
	}
	b.inv.Alarms = append(b.inv.Alarms, a)
}

// resourcePermission reads an AWS::Lambda::Permission written in resources.
func (b *builder) resourcePermission(e entry) {
	props := e.v.get("Properties")
	loc := b.loc(e.at)
	fnV := props.get("FunctionName")
	fref := b.ref(fnV)
	if id := refID(fnV); id != "" {
		for _, f := range b.fns {
			if lambdaLogicalID(f.key) == id {
				fref = inventory.Of(inventory.Ref{ID: f.key, Name: f.name}, loc)
			}
		}
	}
	st := iampolicy.Statement{Effect: iampolicy.Allow, Loc: loc}
	action, _, ok := b.cfn.str(props.get("Action"), 0)
	if !ok {
		st.Unknown = append(st.Unknown, "Action")
	} else {
		st.Actions = []string{action}
	}
	principal, _, ok := b.cfn.str(props.get("Principal"), 0)
	switch {
	case !ok:
		st.Unknown = append(st.Unknown, "Principal")
		st.Principal = &iampolicy.Principal{}
	case principal == "*":
		st.Principal = &iampolicy.Principal{Wildcard: true}
	case strings.HasSuffix(principal, ".amazonaws.com") || strings.HasSuffix(principal, ".amazonaws.com.cn"):
		st.Principal = &iampolicy.Principal{Service: []string{principal}}
	default:
		st.Principal = &iampolicy.Principal{AWS: []string{principal}}
	}
	if fa, ok := fref.Get(); ok {
		st.Resources = []string{fa.Name}
	}
	cond := func(field, op, key string) {
		v := props.get(field)
		if v.isNull() {
			return
		}
		s, _, ok := b.cfn.str(v, 0)
		if !ok {
			st.Unknown = appendOnce(st.Unknown, "Condition")
			return
		}
		st.Conditions = append(st.Conditions, iampolicy.Condition{Operator: op, Key: key, Values: []string{s}})
	}
	cond("SourceArn", "ArnLike", "AWS:SourceArn")
	cond("SourceAccount", "StringEquals", "AWS:SourceAccount")
	cond("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID")
	cond("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType")
	b.inv.Permissions = append(b.inv.Permissions, &inventory.Permission{Item: b.item(e.key, e.at), Function: fref, Statement: st})
}
