package iampolicy

import (
	"slices"
	"strconv"
)

// String names the decision ("Allowed").
func (d Decision) String() string {
	switch d {
	case NotAllowed:
		return "NotAllowed"
	case Allowed:
		return "Allowed"
	case ConditionallyAllowed:
		return "ConditionallyAllowed"
	case Denied:
		return "Denied"
	}
	return "Decision(" + strconv.Itoa(int(d)) + ")"
}

// tri is a three-valued answer: does a statement apply to a request?
type tri uint8

const (
	no tri = iota
	maybe
	yes
)

// applies reports whether the statement's action and resource parts cover
// the request, taking unresolved values into account: a known match is yes
// (for Action/Resource lists) and a known exclusion is no (for the Not
// forms); otherwise an unresolved part makes it maybe.
func (s *Statement) applies(action, resource string) tri {
	a := s.AllowsAction(action)
	r := s.CoversResource(resource)
	unknownAction := slices.Contains(s.Unknown, "Action")
	unknownResource := slices.Contains(s.Unknown, "Resource")
	// With a list, a known match stands; with a Not list, a known exclusion
	// stands. Otherwise an unknown value could change the answer.
	var at, rt tri
	switch {
	case a && (!unknownAction || !s.NotActionSet):
		at = yes
	case !a && (!unknownAction || s.NotActionSet):
		at = no
	default:
		at = maybe
	}
	switch {
	case r && (!unknownResource || !s.NotResourceSet):
		rt = yes
	case !r && (!unknownResource || s.NotResourceSet):
		rt = no
	default:
		rt = maybe
	}
	return min(at, rt)
}

// verdict accumulates what the applicable statements say.
type verdict struct {
	denyUncond, denyCond, allowUncond, allowCond bool
}

func (v *verdict) add(e Effect, conditional bool) {
	switch {
	case e == Deny && !conditional:
		v.denyUncond = true
	case e == Deny:
		v.denyCond = true
	case e == Allow && !conditional:
		v.allowUncond = true
	case e == Allow:
		v.allowCond = true
	}
}

func (v verdict) decision() Decision {
	switch {
	case v.denyUncond:
		return Denied
	case v.allowUncond && !v.denyCond:
		return Allowed
	case v.allowUncond || v.allowCond:
		return ConditionallyAllowed
	}
	return NotAllowed
}

// Evaluate decides whether the policies (identity policies of one principal)
// allow action on resource, with IAM's rule that an explicit Deny wins.
// Statements with unknown parts that could change the answer make unknown true.
//
// Principal and NotPrincipal are ignored (identity policies have none); a
// statement without Resource or NotResource covers every resource; a
// statement with any condition, or an unresolved Condition, counts as
// conditional. Policy variables in resources match one path segment (see
// MatchResource), whatever the policy Version.
func Evaluate(policies []*Policy, action, resource string) (d Decision, unknown bool) {
	var known, mostAllow, mostDeny verdict
	for _, p := range policies {
		if p == nil {
			continue
		}
		for i := range p.Statements {
			s := &p.Statements[i]
			ap := s.applies(action, resource)
			if ap == no {
				continue
			}
			conditional := len(s.Conditions) > 0 || slices.Contains(s.Unknown, "Condition")
			effectKnown := !slices.Contains(s.Unknown, "Effect") && (s.Effect == Allow || s.Effect == Deny)
			if ap == yes && effectKnown {
				known.add(s.Effect, conditional)
				mostAllow.add(s.Effect, conditional)
				mostDeny.add(s.Effect, conditional)
				continue
			}
			// An uncertain statement: assume, in turn, that it applies in
			// the way that most allows and the way that most denies.
			if !effectKnown || s.Effect == Allow {
				mostAllow.add(Allow, conditional)
			}
			if !effectKnown || s.Effect == Deny {
				mostDeny.add(Deny, conditional)
			}
		}
	}
	d = known.decision()
	if d == Denied {
		return d, false
	}
	return d, mostAllow.decision() != d || mostDeny.decision() != d
}
