package cloudtrail

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// RolePolicies returns the identity-policy documents of a role that can be
// read (inline, customer-managed in the inventory, AWS-managed from the
// bundled snapshot) and, in gaps, what could not be read.
func RolePolicies(x *inventory.Index, role *inventory.Role) (docs []*iampolicy.Policy, gaps []string) {
	for i, in := range role.Inline {
		name := in.Name
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		if doc, ok := in.Document.Get(); ok && doc != nil {
			docs = append(docs, doc)
		} else {
			gaps = append(gaps, fmt.Sprintf("inline policy %q is %s", name, in.Document.String()))
		}
	}
	for _, at := range role.Attached {
		ref, ok := at.Policy.Get()
		if !ok || ref.IsZero() {
			gaps = append(gaps, "an attached policy is "+at.Policy.String())
			continue
		}
		if iampolicy.IsAWSManagedARN(ref.Name) {
			if mp, ok := iampolicy.AWSManaged(ref.Name); ok && mp.Document != nil {
				docs = append(docs, mp.Document)
				continue
			}
		}
		if mp := x.ManagedPolicy(role.Origin, ref); mp != nil {
			if doc, ok := mp.Document.Get(); ok && doc != nil {
				docs = append(docs, doc)
				continue
			}
			gaps = append(gaps, fmt.Sprintf("managed policy %s is %s", ref.String(), mp.Document.String()))
			continue
		}
		gaps = append(gaps, fmt.Sprintf("managed policy %s is not in the scanned code", ref.String()))
	}
	slices.Sort(gaps)
	return docs, gaps
}

// grantedServices returns the IAM services the documents' Allow statements
// grant actions of, sorted.
func grantedServices(c *iampolicy.Catalog, docs []*iampolicy.Policy) []string {
	set := map[string]bool{}
	for _, d := range docs {
		for i := range d.Statements {
			st := &d.Statements[i]
			if st.Effect != iampolicy.Allow {
				continue
			}
			granted, _ := st.GrantedActions(c)
			for _, a := range granted {
				set[a.Service] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// fillPlaceholders replaces the inventory's symbolic account and region in
// a policy's resources with concrete values, so that it can be evaluated
// against ARNs from CloudTrail.
func fillPlaceholders(p *iampolicy.Policy, account, region string) *iampolicy.Policy {
	q := p.Clone()
	r := strings.NewReplacer(inventory.CurrentAccount, account, inventory.CurrentRegion, region)
	for i := range q.Statements {
		st := &q.Statements[i]
		for j, res := range st.Resources {
			st.Resources[j] = r.Replace(res)
		}
		for j, res := range st.NotResources {
			st.NotResources[j] = r.Replace(res)
		}
	}
	return q
}
