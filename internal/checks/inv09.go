package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV09 is LW-INV-09: layer versions not shared publicly.
func checkINV09() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-09",
		Title:       "Layer versions not shared publicly",
		Severity:    result.High,
		Controls:    []string{"CC6.1", "C1.1"},
		Families:    fams,
		Semantics:   "FAIL if a layer version used by the function (or defined in the scanned IaC) has a permission for principal `*` without an organization condition.",
		Remediation: "Share the layer version with specific account IDs, or keep principal `*` only together with organization_id (OrganizationId) set to your organization.",
		Run: func(env *Env) []Finding {
			return append(perFunction(fams, evalINV09)(env), inv09Unused(env, fams)...)
		},
	}
}

// layerGraph links functions' layer references, layer versions and layer
// permissions, through the index (no scan of the inventory per reference).
type layerGraph struct {
	x *inventory.Index
}

// layer resolves a layer reference written in origin to a layer version of
// the inventory, or nil.
func (g layerGraph) layer(origin string, r inventory.Ref) *inventory.LayerVersion {
	return g.x.Layer(origin, r)
}

// permissions returns the layer permissions on the layer version that
// reference r (written in origin) names: those on the inventory's layer
// version, else those written with the same name or ARN.
func (g layerGraph) permissions(origin string, r inventory.Ref) []*inventory.LayerPermission {
	if l := g.layer(origin, r); l != nil {
		return g.x.LayerPermissionsOf(l)
	}
	if r.Name == "" {
		return nil
	}
	return g.x.LayerPermissionsNaming(r.Name)
}

func evalINV09(env *Env, f *inventory.Function) (Finding, bool) {
	g := layerGraph{env.Index}
	var v verdict
	layers := f.Layers
	if layers.IsUnknown() {
		v.unknown(layers.Loc, "the function's layers cannot be resolved (%s)", whyUnknown(layers))
	}
	refs, _ := layers.Get()
	for _, lv := range refs {
		r, ok := lv.Get()
		if !ok {
			if lv.IsUnknown() {
				v.unknown(lv.Loc, "a layer reference cannot be resolved (%s)", whyUnknown(lv))
			}
			continue
		}
		for _, p := range g.permissions(f.Origin, r) {
			inv09Statement(p, "layer "+r.String(), &v)
		}
	}
	return v.finding("no layer version the function uses is shared with everyone"), true
}

func inv09Statement(p *inventory.LayerPermission, label string, v *verdict) {
	s := &p.Statement
	grant, unsure := grantEffect(s)
	if !grant && !unsure {
		return
	}
	loc := firstLoc(s.Loc, p.Loc)
	public := everyone(s)
	switch {
	case !public && partUnknown(s, "Principal"):
		v.unknown(loc, "%s: the principal of layer permission %s cannot be resolved", label, p.ID)
	case !public, orgPinned(s):
	case partUnknown(s, "Condition"):
		v.unknown(loc, "%s is shared with principal * by layer permission %s, whose conditions cannot be resolved", label, p.ID)
	default:
		v.fail(loc, "%s is shared with every AWS account (principal *) by layer permission %s without an organization condition", label, p.ID)
	}
}

// inv09Unused checks, as resources of kind layer, the layer versions no
// scanned function uses and the layer permissions on layers neither
// defined nor used in the inventory.
func inv09Unused(env *Env, fams []inventory.Family) []Finding {
	inv := env.Inventory()
	g := layerGraph{env.Index}
	used := map[*inventory.LayerVersion]bool{}
	usedNames := map[string]bool{}
	for _, f := range inv.Functions {
		refs, _ := f.Layers.Get()
		for _, lv := range refs {
			if r, ok := lv.Get(); ok {
				if l := g.layer(f.Origin, r); l != nil {
					used[l] = true
				} else if r.Name != "" {
					usedNames[r.Name] = true
				}
			}
		}
	}
	var out []Finding
	for _, l := range inv.Layers {
		if used[l] || !hasFamily(fams, l.Source.Family()) {
			continue
		}
		var v verdict
		for _, p := range env.Index.LayerPermissionsOf(l) {
			inv09Statement(p, "layer "+l.ID, &v)
		}
		fd := v.finding("the layer version is not shared with everyone")
		fd.Resource = layerResource(l.ID, l.Name.Or(""), l.ARN, l.Item)
		fd.Location = firstLoc(fd.Location, l.Loc)
		out = append(out, fd)
	}
	for _, p := range inv.LayerPermissions {
		pr, ok := p.Layer.Get()
		if !hasFamily(fams, p.Source.Family()) || (ok && (g.layer(p.Origin, pr) != nil || usedNames[pr.Name])) {
			continue
		}
		var v verdict
		label := "layer " + pr.String()
		if !ok {
			label = "a layer that cannot be resolved"
		}
		inv09Statement(p, label, &v)
		fd := v.finding("the layer permission does not share the layer with everyone")
		fd.Resource = layerResource(p.ID, pr.String(), "", p.Item)
		fd.Location = firstLoc(fd.Location, p.Loc)
		out = append(out, fd)
	}
	return out
}

func layerResource(id, name, arn string, it inventory.Item) result.Resource {
	return result.Resource{Kind: result.KindLayer, ID: id, Name: name, ARN: arn, Account: it.Account, Region: it.Region}
}
