package cloudtrail

import (
	"slices"
	"sort"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

// Comparison sets the generated policy (what was used) against the role's
// current policies (what is granted).
type Comparison struct {
	// UnusedGrants are the Allow patterns of the current policies that
	// cover no action used in the logs: the evidence for LW-IAM-11.
	UnusedGrants []UnusedGrant `json:"unused_grants"`
	// Wildcards are the Allow patterns with wildcards (or NotAction) that
	// cover at least one used action: how much they grant against what was
	// used.
	Wildcards []WildcardGrant `json:"wildcards"`
	// UnusedServices are services granted and never used.
	UnusedServices []string `json:"unused_services"`
	// NotGranted are actions used (on a resource) that the current
	// policies do not allow: the role lost them, or another grant (a
	// resource policy, a session policy) allowed the call.
	NotGranted []NotGranted `json:"not_granted"`
	// Gaps are parts of the current policies that could not be read: the
	// comparison is incomplete.
	Gaps []string `json:"gaps,omitempty"`
}

// UnusedGrant is one Allow pattern that covers no used action.
type UnusedGrant struct {
	Pattern string `json:"pattern"`
	Sid     string `json:"sid,omitempty"`
	// Actions counts the catalog actions the pattern grants.
	Actions int `json:"actions"`
}

// WildcardGrant is a wildcard pattern and the used actions it covers.
type WildcardGrant struct {
	Pattern string   `json:"pattern"`
	Sid     string   `json:"sid,omitempty"`
	Actions int      `json:"actions"`
	Used    []string `json:"used"`
}

// NotGranted is a used action the current policies do not allow.
type NotGranted struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	// Decision is iampolicy's: NotAllowed, Denied, ConditionallyAllowed
	// (only with conditions the logs cannot check), or Allowed when
	// unresolved parts of the policies make the answer uncertain.
	Decision string `json:"decision"`
	// Uncertain is true when unresolved parts of the policies could change
	// the answer.
	Uncertain bool `json:"uncertain,omitempty"`
}

// Compare compares used actions with the current policy documents. The
// documents' symbolic account and region (<account>, <region>) are read
// as account and region.
func Compare(c *iampolicy.Catalog, docs []*iampolicy.Policy, gaps []string, used []UsedAction, account, region string) Comparison {
	cmp := Comparison{UnusedGrants: []UnusedGrant{}, Wildcards: []WildcardGrant{}, UnusedServices: []string{}, NotGranted: []NotGranted{}, Gaps: slices.Clone(gaps)}
	filled := make([]*iampolicy.Policy, len(docs))
	for i, d := range docs {
		filled[i] = fillPlaceholders(d, account, region)
	}
	usedSet := map[string]bool{}
	usedServices := map[string]bool{}
	for _, u := range used {
		usedSet[u.Action] = true
		if act, ok := c.Lookup(u.Action); ok {
			usedServices[act.Service] = true
		}
	}

	// Granted and never used.
	seenPattern := map[string]bool{}
	for _, d := range filled {
		for i := range d.Statements {
			st := &d.Statements[i]
			if st.Effect != iampolicy.Allow {
				continue
			}
			patterns := st.Actions
			if st.NotActionSet {
				patterns = []string{"NotAction:" + joinPatterns(st.NotActions)}
			}
			for _, pat := range patterns {
				if seenPattern[pat] {
					continue
				}
				seenPattern[pat] = true
				var granted []iampolicy.Action
				if st.NotActionSet {
					granted, _ = st.GrantedActions(c)
				} else {
					granted = c.Expand(pat)
				}
				var hits []string
				for u := range usedSet {
					if (st.NotActionSet && !matchesAny(st.NotActions, u)) || (!st.NotActionSet && iampolicy.MatchAction(pat, u)) {
						hits = append(hits, u)
					}
				}
				switch {
				case len(hits) == 0:
					cmp.UnusedGrants = append(cmp.UnusedGrants, UnusedGrant{Pattern: pat, Sid: st.Sid, Actions: len(granted)})
				case st.NotActionSet || strings.ContainsAny(pat, "*?"):
					sort.Strings(hits)
					cmp.Wildcards = append(cmp.Wildcards, WildcardGrant{Pattern: pat, Sid: st.Sid, Actions: len(granted), Used: hits})
				}
			}
		}
	}
	for _, svc := range grantedServices(c, filled) {
		if !usedServices[svc] {
			cmp.UnusedServices = append(cmp.UnusedServices, svc)
		}
	}

	// Used and not granted.
	for _, u := range used {
		for _, r := range u.Resources {
			d, uncertain := iampolicy.Evaluate(filled, u.Action, r)
			if d == iampolicy.Allowed && !uncertain {
				continue
			}
			cmp.NotGranted = append(cmp.NotGranted, NotGranted{Action: u.Action, Resource: r, Decision: d.String(), Uncertain: uncertain})
		}
	}
	sort.Slice(cmp.UnusedGrants, func(i, j int) bool { return cmp.UnusedGrants[i].Pattern < cmp.UnusedGrants[j].Pattern })
	sort.Slice(cmp.Wildcards, func(i, j int) bool { return cmp.Wildcards[i].Pattern < cmp.Wildcards[j].Pattern })
	sort.Slice(cmp.NotGranted, func(i, j int) bool {
		if cmp.NotGranted[i].Action != cmp.NotGranted[j].Action {
			return cmp.NotGranted[i].Action < cmp.NotGranted[j].Action
		}
		return cmp.NotGranted[i].Resource < cmp.NotGranted[j].Resource
	})
	return cmp
}

func matchesAny(patterns []string, action string) bool {
	for _, p := range patterns {
		if iampolicy.MatchAction(p, action) {
			return true
		}
	}
	return false
}

func joinPatterns(p []string) string {
	s := slices.Clone(p)
	sort.Strings(s)
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
