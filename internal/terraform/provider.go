package terraform

import (
	"path/filepath"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// providerPlace is the account and region a provider configuration pins:
// the one account of allowed_account_ids and a known region; "" when not
// pinned.
type providerPlace struct {
	account, region string
}

// providerPlace returns where the provider configuration a resource uses
// deploys it (cached per configuration).
func (m *modInst) providerPlace(rc *resourceConfig) providerPlace {
	key := rc.provider
	if key == "" {
		key = "aws"
	}
	if !strings.HasPrefix(rc.typ, "aws_") && rc.provider == "" {
		return providerPlace{}
	}
	p := m.providers[key]
	if p == nil {
		return providerPlace{}
	}
	if p.place != nil {
		return *p.place
	}
	place := &providerPlace{}
	p.place = place // a configuration that refers to itself is not pinned
	if p.cfg.region != nil {
		place.region = concreteString(m.l.evalExpr(p.cfg.region, p.mod.sc))
	}
	if p.cfg.accounts != nil {
		v, _ := m.l.evalExpr(p.cfg.accounts, p.mod.sc).UnmarkDeep()
		if v.IsWhollyKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == 1 {
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				place.account = concreteString(e)
			}
		}
	}
	return *place
}

// concreteString returns a known string that is not a symbolic placeholder
// (like <region>), or "".
func concreteString(v cty.Value) string {
	v, _ = v.UnmarkDeep()
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	s, ok := scalarString(v)
	if !ok || v.Type() == cty.Bool || s == "" || strings.ContainsAny(s, "<>${}") {
		return ""
	}
	return s
}

// onModuleStack reports whether dir is the directory of m or of a module
// that (directly or not) calls m: a call of dir from m is a module cycle.
func onModuleStack(m *modInst, dir string) bool {
	dir = filepath.Clean(dir)
	for p := m; p != nil; {
		if filepath.Clean(p.def.dir) == dir {
			return true
		}
		if p.callScope == nil {
			break
		}
		p = p.callScope.m
	}
	return false
}
