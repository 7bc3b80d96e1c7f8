package cloudformation

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// waivers reads the resource's inline waivers:
//
//	Metadata:
//	  lambdawarden:
//	    ignore:
//	      - {id: LW-INV-07, reason: "...", expires: 2027-06-30}
//
// A waiver without a reason is rejected with an error.
func (st *stack) waivers(r *resource) {
	// The span is the resource as written (for SAM, the SAM resource).
	node := st.written[r.r.LogicalID]
	if node == nil {
		return
	}
	ign := template.Get(template.Get(template.Get(node, "Metadata"), "lambdawarden"), "ignore")
	if ign == nil {
		return
	}
	items := []*yaml.Node{ign}
	if ign.Kind == yaml.SequenceNode {
		items = ign.Content
	}
	start, end := r.key.Line, template.EndLine(node)
	for _, it := range items {
		it = template.Deref(it)
		if it == nil || it.Kind != yaml.MappingNode {
			st.l.errorf(st.file, lineOf(it, r.key), "inline waiver on %s is not a mapping with id and reason", r.id())
			continue
		}
		check := scalarText(template.Get(it, "id"))
		if check == "" {
			check = scalarText(template.Get(it, "check"))
		}
		reason := strings.TrimSpace(scalarText(template.Get(it, "reason")))
		expires := scalarText(template.Get(it, "expires"))
		switch {
		case check == "":
			st.l.errorf(st.file, it.Line, "inline waiver on %s has no id (the check ID or glob)", r.id())
			continue
		case reason == "":
			st.l.errorf(st.file, it.Line, "inline waiver of %s on %s has no reason; a waiver needs one", check, r.id())
			continue
		}
		if expires != "" {
			if _, err := time.Parse("2006-01-02", expires); err != nil {
				st.l.errorf(st.file, it.Line, "inline waiver of %s on %s: expires %q is not a YYYY-MM-DD date", check, r.id(), expires)
				continue
			}
		}
		st.l.inv.Waivers = append(st.l.inv.Waivers, inventory.InlineWaiver{
			ResourceID: r.id(), File: st.file, StartLine: start, EndLine: end,
			Check: check, Reason: reason, Expires: expires, Loc: st.env.Loc(it),
		})
	}
}

func scalarText(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func lineOf(n, fallback *yaml.Node) int {
	if n != nil {
		return n.Line
	}
	if fallback != nil {
		return fallback.Line
	}
	return 0
}
