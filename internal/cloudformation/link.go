package cloudformation

import (
	"github.com/lambdawarden/lambdawarden/internal/cloudformation/intrinsics"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// link applies what one resource says about another, once every stack is
// loaded: published versions, policies attached to roles, egress rules
// added to security groups.
func (l *loader) link() {
	for _, r := range l.versions {
		fn, _ := r.st.functionRef(r.prop("FunctionName"))
		if ref, ok := fn.Get(); ok {
			if f := l.functions[ref.ID]; f != nil {
				f.PublishVersions = inventory.Of(true, r.loc())
			}
		}
	}
	for _, r := range l.policies {
		doc := r.st.policyDoc(r.prop("PolicyDocument"))
		name, _ := r.prop("PolicyName").Scalar()
		var roles []*intrinsics.Value
		if r.r.Type == "AWS::IAM::RolePolicy" {
			roles = []*intrinsics.Value{r.prop("RoleName")}
		} else {
			roles = r.prop("Roles").List()
		}
		for _, rv := range roles {
			if role := l.roleOf(rv); role != nil {
				role.Inline = append(role.Inline, inventory.InlinePolicy{Name: name, Document: doc, Loc: r.loc()})
			}
		}
	}
	for _, r := range l.attachments {
		ref := inventory.Ref{ID: r.id(), Name: l.managedNames[r.id()]}
		for _, rv := range r.prop("Roles").List() {
			if role := l.roleOf(rv); role != nil {
				role.Attached = append(role.Attached, inventory.PolicyAttachment{Policy: inventory.Of(ref, r.loc()), Loc: r.loc()})
			}
		}
	}
	for _, r := range l.egress {
		g := r.prop("GroupId")
		if g == nil || g.Target == "" {
			continue
		}
		sg := l.groups[g.Target]
		if sg == nil {
			continue
		}
		if sg.Egress.IsUnknown() {
			continue
		}
		rules, _ := sg.Egress.Get()
		if sg.Egress.IsAbsent() {
			// A separate egress resource does not remove the allow-all
			// rule AWS adds to a group declared without egress rules.
			rules = append(rules, inventory.EgressRule{
				Protocol: inventory.Of("-1", sg.Loc),
				CIDRs:    inventory.Of([]string{"0.0.0.0/0"}, sg.Loc),
				Loc:      sg.Loc,
			})
		}
		rules = append(rules, egressRule(r.properties(), r.loc()))
		loc := sg.Egress.Loc
		if loc.IsZero() {
			loc = sg.Loc
		}
		sg.Egress = inventory.Of(rules, loc)
	}
}

// roleOf finds the role a Roles entry names (a Ref, or a literal name).
func (l *loader) roleOf(v *intrinsics.Value) *inventory.Role {
	if v == nil {
		return nil
	}
	if v.Target != "" {
		if r := l.roles[v.Target]; r != nil {
			return r
		}
	}
	if s, ok := v.Scalar(); ok {
		return l.rolesByName[s]
	}
	return nil
}
