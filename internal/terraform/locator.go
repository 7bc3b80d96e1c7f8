package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// hclLocator finds attributes, blocks and elements of literal object and
// tuple expressions (also inside jsonencode(...)) in a resource block.
type hclLocator struct {
	l  *loader
	rc *resourceConfig
}

// transparent are functions whose single argument is the structure a path
// points into.
var transparent = map[string]bool{"jsonencode": true, "tolist": true, "toset": true, "tomap": true, "merge": true, "concat": true}

func (h *hclLocator) Loc(p cty.Path) srcloc.Location {
	cur := h.rc.defRange
	var body *hclsyntax.Body = h.rc.syntax
	var expr hclsyntax.Expression
	if body == nil {
		// JSON: top-level attributes only.
		if len(p) > 0 {
			if s, ok := p[0].(cty.GetAttrStep); ok {
				if _, rng, ok := h.rc.attribute(s.Name); ok {
					return h.l.loc(rng)
				}
			}
		}
		return h.l.loc(cur)
	}
	top := true
	for i := 0; i < len(p); i++ {
		if body != nil {
			s, ok := p[i].(cty.GetAttrStep)
			if !ok {
				break
			}
			if a := body.Attributes[s.Name]; a != nil && !(top && resourceMeta[s.Name]) {
				cur, expr, body = a.SrcRange, a.Expr, nil
				continue
			}
			var blocks []*hclsyntax.Block
			var dyn *hclsyntax.Block
			for _, b := range body.Blocks {
				if b.Type == s.Name {
					blocks = append(blocks, b)
				} else if b.Type == "dynamic" && len(b.Labels) > 0 && b.Labels[0] == s.Name && dyn == nil {
					dyn = b
				}
			}
			top = false
			idx := 0
			if i+1 < len(p) {
				if ix, ok := p[i+1].(cty.IndexStep); ok && ix.Key.Type() == cty.Number && ix.Key.IsKnown() && !ix.Key.IsNull() {
					n, _ := ix.Key.AsBigFloat().Int64()
					idx = int(n)
					i++
				}
			}
			switch {
			case idx < len(blocks) && dyn == nil:
				cur, body = blocks[idx].DefRange(), blocks[idx].Body
			case len(blocks) > 0 && dyn == nil:
				return h.l.loc(blocks[0].DefRange())
			case dyn != nil:
				return h.l.loc(dyn.DefRange())
			default:
				return h.l.loc(cur)
			}
			continue
		}
		expr = unwrapExpr(expr)
		switch x := expr.(type) {
		case *hclsyntax.ObjectConsExpr:
			key, ok := stepKey(p[i])
			if !ok {
				return h.l.loc(cur)
			}
			found := false
			for _, it := range x.Items {
				if k, ok := literalKey(it.KeyExpr); ok && k == key {
					cur, expr, found = it.KeyExpr.Range(), it.ValueExpr, true
					break
				}
			}
			if !found {
				return h.l.loc(cur)
			}
		case *hclsyntax.TupleConsExpr:
			ix, ok := p[i].(cty.IndexStep)
			if !ok || ix.Key.Type() != cty.Number || !ix.Key.IsKnown() || ix.Key.IsNull() {
				return h.l.loc(cur)
			}
			n, _ := ix.Key.AsBigFloat().Int64()
			if n < 0 || int(n) >= len(x.Exprs) {
				return h.l.loc(cur)
			}
			expr = x.Exprs[n]
			cur = expr.Range()
		default:
			return h.l.loc(cur)
		}
	}
	return h.l.loc(cur)
}

func unwrapExpr(e hclsyntax.Expression) hclsyntax.Expression {
	for {
		switch x := e.(type) {
		case *hclsyntax.ParenthesesExpr:
			e = x.Expression
		case *hclsyntax.FunctionCallExpr:
			if !transparent[x.Name] || len(x.Args) != 1 {
				return e
			}
			e = x.Args[0]
		default:
			return e
		}
	}
}

func stepKey(s cty.PathStep) (string, bool) {
	switch s := s.(type) {
	case cty.GetAttrStep:
		return s.Name, true
	case cty.IndexStep:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString(), true
		}
	}
	return "", false
}

// literalKey returns an object constructor key written literally.
func literalKey(e hclsyntax.Expression) (string, bool) {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if kw := hcl.ExprAsKeyword(k.Wrapped); kw != "" {
				return kw, true
			}
		}
		e = k.Wrapped
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// heredocStart returns where the text of a heredoc written directly as the
// attribute at p (a top-level attribute or one in nested blocks) starts:
// the line after its opening marker.
func (h *hclLocator) heredocStart(p cty.Path) (srcloc.Location, bool) {
	body := h.rc.syntax
	for i := 0; body != nil && i < len(p); i++ {
		s, ok := p[i].(cty.GetAttrStep)
		if !ok {
			return srcloc.Location{}, false
		}
		if a := body.Attributes[s.Name]; a != nil {
			if i != len(p)-1 {
				return srcloc.Location{}, false
			}
			x, ok := a.Expr.(*hclsyntax.TemplateExpr)
			if !ok || len(x.Parts) == 0 {
				return srcloc.Location{}, false
			}
			rng := x.Range()
			// A heredoc's text starts on the line after <<MARKER; a quoted
			// template starts on its own line.
			if x.Parts[0].Range().Start.Line != rng.Start.Line+1 || rng.Filename == "" {
				return srcloc.Location{}, false
			}
			return srcloc.Location{File: h.l.display(rng.Filename), Line: rng.Start.Line + 1, Column: 1}, true
		}
		var blocks []*hclsyntax.Block
		for _, b := range body.Blocks {
			if b.Type == s.Name {
				blocks = append(blocks, b)
			}
		}
		idx := 0
		if i+1 < len(p) {
			if ix, ok := p[i+1].(cty.IndexStep); ok && ix.Key.Type() == cty.Number && ix.Key.IsKnown() && !ix.Key.IsNull() {
				n, _ := ix.Key.AsBigFloat().Int64()
				idx = int(n)
				i++
			}
		}
		if idx < 0 || idx >= len(blocks) {
			return srcloc.Location{}, false
		}
		body = blocks[idx].Body
	}
	return srcloc.Location{}, false
}
