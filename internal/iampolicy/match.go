package iampolicy

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MatchAction reports whether an action pattern (IAM wildcards * and ?,
// case-insensitive) matches an action such as "s3:GetObject".
func MatchAction(pattern, action string) bool { return matchGlob(pattern, action, true) }

// MatchResource reports whether a resource pattern (IAM wildcards * and ?,
// which match across ':' and '/'; policy variables such as ${aws:username}
// match one path segment) matches an ARN. Case-sensitive, as IAM is.
//
// A policy variable matches one or more characters other than '/' and ':'.
// The escapes ${*}, ${?} and ${$} stand for the literal characters; a "${"
// without a closing brace is literal text.
func MatchResource(pattern, arn string) bool {
	if !strings.Contains(pattern, "${") {
		return matchGlob(pattern, arn, false)
	}
	return matchTokens(tokenizeResource(pattern), arn)
}

// matchGlob matches s against a pattern of literal characters, '*' (any run
// of characters, possibly empty) and '?' (exactly one character), optionally
// folding ASCII case. It backtracks only to the last star, so it runs in
// O(len(pattern)*len(s)) at worst.
func matchGlob[S ~string | ~[]byte](pattern string, s S, fold bool) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; {
			case c == '*':
				starP, starI = p, i
				p++
				continue
			case c == '?':
				i += runeLen(s, i)
				p++
				continue
			case c >= utf8.RuneSelf:
				// Compare whole characters, so a match never splits one.
				pn, sn := runeLen(pattern, p), runeLen(s, i)
				if pn == sn && pattern[p:p+pn] == string(s[i:i+sn]) {
					p += pn
					i += sn
					continue
				}
			case c == s[i] || (fold && lowerASCII(c) == lowerASCII(s[i])):
				p++
				i++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last star take one more character and retry after it.
		starI += runeLen(s, starI)
		p, i = starP+1, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// runeLen is the length of the UTF-8 sequence at s[i] (1 for an invalid byte).
func runeLen[S ~string | ~[]byte](s S, i int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
	return n
}

// A resource pattern with policy variables is matched by a small NFA: one
// state per token, simulated rune by rune, so matching is O(len*tokens).
type tokKind uint8

const (
	tokLit     tokKind = iota // one literal rune
	tokAny                    // '?': one rune
	tokStar                   // '*': loops on any rune
	tokSegOne                 // first rune of a policy variable (not '/' or ':')
	tokSegLoop                // further runes of a policy variable
)

type token struct {
	kind tokKind
	r    rune
}

func tokenizeResource(pattern string) []token {
	toks := make([]token, 0, len(pattern))
	for i := 0; i < len(pattern); {
		if strings.HasPrefix(pattern[i:], "${") {
			if end := strings.IndexByte(pattern[i+2:], '}'); end >= 0 {
				switch inner := pattern[i+2 : i+2+end]; inner {
				case "*", "?", "$":
					toks = append(toks, token{kind: tokLit, r: rune(inner[0])})
				default:
					toks = append(toks, token{kind: tokSegOne}, token{kind: tokSegLoop})
				}
				i += 2 + end + 1
				continue
			}
		}
		r, size := decodeRune(pattern[i:])
		switch r {
		case '*':
			toks = append(toks, token{kind: tokStar})
		case '?':
			toks = append(toks, token{kind: tokAny})
		default:
			toks = append(toks, token{kind: tokLit, r: r})
		}
		i += size
	}
	return toks
}

// decodeRune is utf8.DecodeRuneInString, except that an invalid byte b
// decodes to the negative rune -1-b, so that distinct invalid bytes stay
// distinct (as they are for matchGlob).
func decodeRune(s string) (rune, int) {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size == 1 {
		return -1 - rune(s[0]), 1
	}
	return r, size
}

func matchTokens(toks []token, s string) bool {
	n := len(toks)
	cur := make([]bool, n+1)
	next := make([]bool, n+1)
	cur[0] = true
	closure := func(set []bool) {
		for k := 0; k < n; k++ {
			if set[k] && (toks[k].kind == tokStar || toks[k].kind == tokSegLoop) {
				set[k+1] = true
			}
		}
	}
	closure(cur)
	for len(s) > 0 {
		r, size := decodeRune(s)
		s = s[size:]
		clear(next)
		alive := false
		for k := 0; k < n; k++ {
			if !cur[k] {
				continue
			}
			t := toks[k]
			sep := r == '/' || r == ':'
			switch {
			case t.kind == tokLit && t.r == r, t.kind == tokAny, t.kind == tokSegOne && !sep:
				next[k+1] = true
				alive = true
			case t.kind == tokStar, t.kind == tokSegLoop && !sep:
				next[k] = true
				alive = true
			}
		}
		if !alive {
			return false
		}
		closure(next)
		cur, next = next, cur
	}
	return cur[n]
}

// AllowsAction reports whether the statement's Action (or NotAction) covers
// the action, ignoring Effect, resources and conditions.
func (s *Statement) AllowsAction(action string) bool {
	if s.NotActionSet {
		return !matchAny(s.NotActions, action, MatchAction)
	}
	return matchAny(s.Actions, action, MatchAction)
}

// CoversResource reports whether the statement's Resource (or NotResource)
// covers the ARN, ignoring everything else. A statement with neither (as in
// a resource-based policy, where the resource is implied) covers every ARN,
// unless its Resource is unresolved (s.Unknown names "Resource").
func (s *Statement) CoversResource(arn string) bool {
	switch {
	case s.NotResourceSet:
		return !matchAny(s.NotResources, arn, MatchResource)
	case s.Resources == nil && !slices.Contains(s.Unknown, "Resource"):
		return true
	}
	return matchAny(s.Resources, arn, MatchResource)
}

func matchAny(patterns []string, subject string, match func(string, string) bool) bool {
	for _, p := range patterns {
		if match(p, subject) {
			return true
		}
	}
	return false
}

// GrantedActions expands the statement's Action, or the complement of its
// NotAction, against the catalog. Patterns that match no catalog action are
// returned in unrecognized (so a check can still reason about them).
//
// granted is in catalog order (service, then name) without duplicates.
// Unresolved actions cannot be expanded: when s.Unknown names "Action" the
// result covers only the known patterns.
func (s *Statement) GrantedActions(c *Catalog) (granted []Action, unrecognized []string) {
	d := c.impl
	if !s.NotActionSet {
		// The common case: as many actions as the patterns name, in catalog
		// order, without touching the rest of the catalog.
		var idx []int
		for _, p := range s.Actions {
			m := d.expand(p)
			if len(m) == 0 {
				unrecognized = append(unrecognized, p)
			}
			idx = append(idx, m...)
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		if len(idx) > 0 {
			granted = make([]Action, len(idx))
			for i, j := range idx {
				granted[i] = d.actions[j]
			}
		}
		return granted, unrecognized
	}
	// NotAction grants the complement of what its patterns name.
	picked := make([]bool, len(d.actions))
	for _, p := range s.NotActions {
		m := d.expand(p)
		if len(m) == 0 {
			unrecognized = append(unrecognized, p)
		}
		for _, i := range m {
			picked[i] = true
		}
	}
	for i, ok := range picked {
		if !ok {
			granted = append(granted, d.actions[i])
		}
	}
	return granted, unrecognized
}

// IsPublic reports whether the principal is everyone ("*" or {"AWS": "*"}).
func (p *Principal) IsPublic() bool {
	return p != nil && (p.Wildcard || slices.Contains(p.AWS, "*"))
}

// Accounts returns the 12-digit account IDs named by the AWS principals
// (plain IDs, arn:aws:iam::ID:root, role and user ARNs), sorted, unique.
// Symbolic accounts (such as inventory.CurrentAccount) are not included.
func (p *Principal) Accounts() []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, v := range p.AWS {
		if id, ok := AccountOf(v); ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AccountOf returns the 12-digit account ID of an AWS principal: a plain
// account ID or an ARN in any partition whose account field is one
// (arn:aws:iam::ID:root, :role/..., :user/..., arn:aws:sts::ID:assumed-role/...).
func AccountOf(principal string) (string, bool) {
	if isAccountID(principal) {
		return principal, true
	}
	if !strings.HasPrefix(principal, "arn:") {
		return "", false
	}
	parts := strings.SplitN(principal, ":", 6)
	if len(parts) == 6 && parts[1] != "" && isAccountID(parts[4]) {
		return parts[4], true
	}
	return "", false
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ConditionValues returns the values tested for a condition key
// (case-insensitive key match) under any operator, and the operators.
// Values come in the statement's condition order; operators are unique.
func (s *Statement) ConditionValues(key string) (values []string, operators []string) {
	for _, c := range s.Conditions {
		if !strings.EqualFold(c.Key, key) {
			continue
		}
		values = append(values, c.Values...)
		if !slices.Contains(operators, c.Operator) {
			operators = append(operators, c.Operator)
		}
	}
	return values, operators
}
