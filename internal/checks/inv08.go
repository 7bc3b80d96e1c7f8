package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV08 is LW-INV-08: permissions grant invoke only.
func checkINV08() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-08",
		Title:       "Permissions grant invoke only",
		Severity:    result.High,
		Controls:    []string{"CC6.1"},
		Families:    fams,
		Semantics:   "FAIL if a resource-policy statement for another principal grants `lambda:*` or any action other than lambda:InvokeFunction, lambda:InvokeFunctionUrl, lambda:GetFunction.",
		Remediation: "Grant only lambda:InvokeFunction (or lambda:InvokeFunctionUrl for a URL) in the permission's action; manage the function with IAM identity policies instead.",
		Run:         permissionCheck(fams, evalINV08, inv08Statement, inv08Pass),
	}
}

const inv08Pass = "every permission grants invoke actions only"

// invokeActions are the actions a resource policy may grant to others.
func invokeActions() []string {
	return []string{"lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:GetFunction"}
}

func evalINV08(env *Env, f *inventory.Function) (Finding, bool) {
	return evalPermissionsOf(env, f, inv08Statement, inv08Pass), true
}

func inv08Statement(_ *Env, p *inventory.Permission, _ string, v *verdict) {
	s := &p.Statement
	grant, unsure := grantEffect(s)
	if !grant && !unsure {
		return
	}
	loc := permissionLoc(p)
	var extra []string
	if s.NotActionSet {
		extra = append(extra, "NotAction "+strings.Join(s.NotActions, ", ")+" (every other action)")
	}
	for _, a := range s.Actions {
		if !invokeOnly(a) {
			extra = append(extra, a)
		}
	}
	switch {
	case len(extra) > 0 && unsure:
		v.unknown(loc, "%s grants %s if its Effect (unresolved) is Allow", permissionLabel(p), strings.Join(extra, ", "))
	case len(extra) > 0:
		v.fail(loc, "%s grants %s, more than invoke", permissionLabel(p), strings.Join(extra, ", "))
	case partUnknown(s, "Action"):
		v.unknown(loc, "%s: its actions cannot be resolved", permissionLabel(p))
	}
}

// invokeOnly reports whether an action pattern covers nothing but the
// invoke actions: one of them by name, or a wildcard every catalog action
// of which is one of them.
func invokeOnly(pattern string) bool {
	for _, a := range invokeActions() {
		if strings.EqualFold(pattern, a) {
			return true
		}
	}
	if !strings.ContainsAny(pattern, "*?") {
		return false
	}
	matched := iampolicy.DefaultCatalog().Expand(pattern)
	if len(matched) == 0 {
		return false
	}
	for _, m := range matched {
		ok := false
		for _, a := range invokeActions() {
			if strings.EqualFold(m.String(), a) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
