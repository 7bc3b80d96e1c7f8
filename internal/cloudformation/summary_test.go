package cloudformation

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// summarize reduces an inventory to sorted lines of its security-relevant
// content (what the checks read), without locations, so two inventories of
// the same workload read from different files can be compared.
func summarize(inv *inventory.Inventory) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, f := range inv.Functions {
		p := "function " + f.ID + ": "
		add(p+"name=%s runtime=%s handler=%s package_type=%s", sv(f.Name), sv(f.Runtime), sv(f.Handler), sv(f.PackageType))
		add(p+"role=%s", rv(f.Role))
		add(p+"tracing=%s kms=%s log_format=%s log_group=%s", sv(f.TracingMode), sv(f.KMSKeyARN), sv(f.LogFormat), sv(f.LogGroup))
		add(p+"reserved=%s timeout=%s memory=%s", iv(f.ReservedConcurrency), iv(f.TimeoutSeconds), iv(f.MemoryMB))
		add(p+"dlq=%s code_signing=%s publish=%s", sv(f.DeadLetterTarget), rv(f.CodeSigningConfig), bv(f.PublishVersions))
		add(p+"layers=%s", rlv(f.Layers))
		if vpc, ok := f.VPC.Get(); ok {
			add(p+"vpc subnets=%s groups=%s", rlv(vpc.Subnets), rlv(vpc.SecurityGroups))
		} else {
			add(p+"vpc=%s", f.VPC.State)
		}
		if env, ok := f.Environment.Get(); ok {
			for _, e := range env {
				add(p+"env %s=%s reference=%v", e.Name, sv(e.Value), e.Reference)
			}
		} else {
			add(p+"env=%s", f.Environment.State)
		}
		if tags, ok := f.Tags.Get(); ok {
			add(p+"tags=%s", mapStr(tags))
		} else {
			add(p+"tags=%s", f.Tags.State)
		}
	}
	for _, r := range inv.Roles {
		p := "role " + r.ID + ": "
		add(p+"name=%s boundary=%s complete=%s", sv(r.Name), sv(r.Boundary), bv(r.PoliciesComplete))
		for _, s := range policyLines(r.TrustPolicy) {
			add(p+"trust %s", s)
		}
		for _, a := range r.Attached {
			add(p+"attached %s", rv(a.Policy))
		}
		for _, ip := range r.Inline {
			for _, s := range policyLines(ip.Document) {
				add(p+"inline %s %s", ip.Name, s)
			}
		}
	}
	for _, m := range inv.ManagedPolicies {
		for _, s := range policyLines(m.Document) {
			add("managed_policy %s name=%s %s", m.ID, sv(m.Name), s)
		}
	}
	for _, x := range inv.Permissions {
		add("permission %s: function=%s qualifier=%s %s", x.ID, rv(x.Function), sv(x.Qualifier), stmtLine(x.Statement))
	}
	for _, u := range inv.FunctionURLs {
		add("url %s: function=%s qualifier=%s auth=%s cors=%s", u.ID, rv(u.Function), sv(u.Qualifier), sv(u.AuthType), slv(u.CORSAllowOrigins))
	}
	for _, a := range inv.Aliases {
		add("alias %s: function=%s name=%s version=%s", a.ID, rv(a.Function), sv(a.Name), sv(a.FunctionVersion))
	}
	for _, c := range inv.EventInvokeConfigs {
		add("event_invoke_config %s: function=%s on_failure=%s on_success=%s", c.ID, rv(c.Function), sv(c.OnFailure), sv(c.OnSuccess))
	}
	for _, c := range inv.CodeSigningConfigs {
		add("code_signing %s: untrusted=%s", c.ID, sv(c.UntrustedArtifactOnDeployment))
	}
	for _, g := range inv.LogGroups {
		add("log_group %s: name=%s retention=%s kms=%s", g.ID, sv(g.Name), iv(g.RetentionDays), sv(g.KMSKeyID))
	}
	for _, a := range inv.Alarms {
		for _, m := range a.Metrics {
			var dims []string
			for k, v := range m.Dimensions {
				dims = append(dims, k+"="+sv(v))
			}
			sort.Strings(dims)
			if !m.Expression.IsAbsent() {
				add("alarm %s: name=%s expression=%s", a.ID, sv(a.Name), sv(m.Expression))
				continue
			}
			add("alarm %s: name=%s metric=%s/%s dims=%v", a.ID, sv(a.Name), sv(m.Namespace), sv(m.MetricName), dims)
		}
	}
	for _, l := range inv.Layers {
		add("layer %s: name=%s", l.ID, sv(l.Name))
	}
	for _, l := range inv.LayerPermissions {
		add("layer_permission %s: layer=%s %s", l.ID, rv(l.Layer), stmtLine(l.Statement))
	}
	for _, s := range inv.Subnets {
		add("subnet %s: az=%s", s.ID, sv(s.AvailabilityZone))
	}
	for _, g := range inv.SecurityGroups {
		if rules, ok := g.Egress.Get(); ok {
			for _, r := range rules {
				add("security_group %s: egress %s %s-%s %s", g.ID, sv(r.Protocol), iv(r.FromPort), iv(r.ToPort), slv(r.CIDRs))
			}
		} else {
			add("security_group %s: egress=%s", g.ID, g.Egress.State)
		}
	}
	for _, r := range inv.APIRoutes {
		add("route %s: function=%s auth=%s", r.ID, rv(r.Function), sv(r.Authorization))
	}
	for _, w := range inv.Waivers {
		add("waiver %s %s lines %d-%d expires=%s reason=%q", w.ResourceID, w.Check, w.StartLine, w.EndLine, w.Expires, w.Reason)
	}
	sort.Strings(out)
	return out
}

func sv(v inventory.Value[string]) string {
	switch v.State {
	case inventory.Known:
		return fmt.Sprintf("%q", v.V)
	case inventory.Unknown:
		return "unknown"
	}
	return "absent"
}

func iv(v inventory.Value[int]) string {
	if n, ok := v.Get(); ok {
		return fmt.Sprint(n)
	}
	return v.State.String()
}

func bv(v inventory.Value[bool]) string {
	if b, ok := v.Get(); ok {
		return fmt.Sprint(b)
	}
	return v.State.String()
}

func rv(v inventory.Value[inventory.Ref]) string {
	if r, ok := v.Get(); ok {
		if r.ID != "" {
			return "#" + r.ID
		}
		return r.Name
	}
	return v.State.String()
}

func rlv(v inventory.Value[[]inventory.Value[inventory.Ref]]) string {
	refs, ok := v.Get()
	if !ok {
		return v.State.String()
	}
	var s []string
	for _, r := range refs {
		s = append(s, rv(r))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func slv(v inventory.Value[[]string]) string {
	if s, ok := v.Get(); ok {
		return fmt.Sprint(s)
	}
	return v.State.String()
}

func mapStr(m map[string]string) string {
	var s []string
	for k, v := range m {
		s = append(s, k+"="+v)
	}
	sort.Strings(s)
	return "{" + strings.Join(s, " ") + "}"
}

func policyLines(v inventory.Value[*iampolicy.Policy]) []string {
	p, ok := v.Get()
	if !ok {
		return []string{"document=" + v.State.String()}
	}
	var out []string
	for _, s := range p.Statements {
		out = append(out, stmtLine(s))
	}
	sort.Strings(out)
	return out
}

func stmtLine(s iampolicy.Statement) string {
	sorted := func(x []string) []string {
		y := append([]string(nil), x...)
		sort.Strings(y)
		return y
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s", s.Effect)
	if s.NotActionSet || len(s.NotActions) > 0 {
		fmt.Fprintf(&b, " not_actions=%v", sorted(s.NotActions))
	} else {
		fmt.Fprintf(&b, " actions=%v", sorted(s.Actions))
	}
	if s.NotResourceSet || len(s.NotResources) > 0 {
		fmt.Fprintf(&b, " not_resources=%v", sorted(s.NotResources))
	} else if len(s.Resources) > 0 {
		fmt.Fprintf(&b, " resources=%v", sorted(s.Resources))
	}
	if p := s.Principal; p != nil {
		fmt.Fprintf(&b, " principal(wild=%v aws=%v service=%v)", p.Wildcard, sorted(p.AWS), sorted(p.Service))
	}
	var conds []string
	for _, c := range s.Conditions {
		conds = append(conds, c.Operator+":"+strings.ToLower(c.Key)+"="+fmt.Sprint(sorted(c.Values)))
	}
	sort.Strings(conds)
	if len(conds) > 0 {
		fmt.Fprintf(&b, " conditions=%v", conds)
	}
	if len(s.Unknown) > 0 {
		fmt.Fprintf(&b, " unknown=%v", sorted(s.Unknown))
	}
	return b.String()
}
