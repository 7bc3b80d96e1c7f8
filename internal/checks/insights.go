package checks

// A reader of CloudWatch Metrics Insights queries, as far as LW-LOG-05 and
// LW-LOG-06 need: which AWS/Lambda metric a query alarm watches and for which
// functions.
//
//	SELECT FUNCTION(metricName)
//	FROM namespace | SCHEMA(namespace[, labelKey...])
//	[ WHERE labelKey OPERATOR labelValue [AND|OR ...] ]
//	[ GROUP BY labelKey[, ...] ] [ ORDER BY FUNCTION() [DESC|ASC] ] [ LIMIT number ]
//
// Keywords are case-insensitive; names of metrics, namespaces and
// dimensions are case-sensitive.

import (
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// insightsQuery is what a Metrics Insights query watches.
type insightsQuery struct {
	Namespace string
	Metric    string
	// All is true when the query covers every function's metric: no WHERE
	// filter and no LIMIT, from the namespace or a SCHEMA whose dimensions are
	// none (the account-wide aggregate, which every function's datapoints
	// add to) or FunctionName alone.
	All bool
	// Functions are the functions a plain filter names: FunctionName = 'x'
	// terms and FunctionName IN ('x', ...) joined by OR.
	Functions []string
	// Maybe is true when the query may cover functions it cannot be told
	// about (a filter or dimension set it cannot interpret, a LIMIT that keeps
	// only the top series); MaybeFunctions are the names such a filter
	// mentions, or none when it may cover any function.
	Maybe          bool
	MaybeFunctions []string
}

// insightsToken is a token of a query: a word, a "quoted name", a 'string',
// or a symbol.
type insightsToken struct {
	kind byte // 'w' word or number, 'n' quoted name, 's' string literal, 'p' punctuation
	text string
}

func (t insightsToken) is(kind byte, text string) bool {
	if t.kind != kind {
		return false
	}
	if kind == 'w' {
		return strings.EqualFold(t.text, text)
	}
	return t.text == text
}

// name is an identifier written bare or in double quotes.
func (t insightsToken) name() (string, bool) {
	return t.text, t.kind == 'w' || t.kind == 'n'
}

// tokenizeInsights splits a query into tokens; ok is false on a quote
// that does not close.
func tokenizeInsights(q string) (toks []insightsToken, ok bool) {
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(q) {
				if q[j] == '\\' && j+1 < len(q) {
					b.WriteByte(q[j+1])
					j += 2
					continue
				}
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote
						b.WriteByte(c)
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				b.WriteByte(q[j])
				j++
			}
			if !closed {
				return nil, false
			}
			kind := byte('n')
			if c == '\'' {
				kind = 's'
			}
			toks = append(toks, insightsToken{kind, b.String()})
			i = j
		case c == '!' || c == '<' || c == '>':
			if i+1 < len(q) && (q[i+1] == '=' || q[i+1] == '>') {
				toks = append(toks, insightsToken{'p', q[i : i+2]})
				i += 2
			} else {
				toks = append(toks, insightsToken{'p', q[i : i+1]})
				i++
			}
		case strings.IndexByte("(),=*", c) >= 0:
			toks = append(toks, insightsToken{'p', q[i : i+1]})
			i++
		default:
			j := i
			for j < len(q) && strings.IndexByte(" \t\n\r\"'(),=!<>*", q[j]) < 0 {
				j++
			}
			toks = append(toks, insightsToken{'w', q[i:j]})
			i = j
		}
	}
	return toks, true
}

// parseInsightsQuery reads a Metrics Insights query; ok is false when expr
// is not one (metric math such as "100*e/i", a malformed query).
func parseInsightsQuery(expr string) (q insightsQuery, ok bool) {
	toks, ok := tokenizeInsights(expr)
	if !ok || len(toks) < 7 || !toks[0].is('w', "SELECT") {
		return q, false
	}
	// SELECT FUNCTION ( metric )
	if toks[1].kind != 'w' || !toks[2].is('p', "(") || !toks[4].is('p', ")") {
		return q, false
	}
	metric, ok := toks[3].name()
	if !ok {
		return q, false
	}
	q.Metric = metric
	rest := toks[5:]
	if len(rest) < 2 || !rest[0].is('w', "FROM") {
		return q, false
	}
	rest = rest[1:]
	// FROM namespace | SCHEMA(namespace, key...)
	var dims []string
	schema := false
	if rest[0].is('w', "SCHEMA") && len(rest) > 1 && rest[1].is('p', "(") {
		schema = true
		end := slices.IndexFunc(rest, func(t insightsToken) bool { return t.is('p', ")") })
		if end < 3 {
			return q, false
		}
		args := rest[2:end]
		for i, a := range args {
			if i%2 == 1 {
				if !a.is('p', ",") {
					return q, false
				}
				continue
			}
			n, ok := a.name()
			if !ok {
				return q, false
			}
			if i == 0 {
				q.Namespace = n
			} else {
				dims = append(dims, n)
			}
		}
		rest = rest[end+1:]
	} else {
		n, ok := rest[0].name()
		if !ok {
			return q, false
		}
		q.Namespace = n
		rest = rest[1:]
	}
	// Clauses.
	var where []insightsToken
	limit := false
	for len(rest) > 0 {
		switch {
		case rest[0].is('w', "WHERE"):
			end := clauseEnd(rest[1:])
			where = rest[1 : 1+end]
			rest = rest[1+end:]
		case rest[0].is('w', "GROUP"), rest[0].is('w', "ORDER"):
			end := clauseEnd(rest[1:])
			rest = rest[1+end:]
		case rest[0].is('w', "LIMIT"):
			limit = true
			rest = rest[1:]
			if len(rest) > 0 && rest[0].kind == 'w' {
				rest = rest[1:]
			}
		default:
			return q, false
		}
	}
	onlyFunction := !schema || slices.Equal(dims, []string{"FunctionName"})
	switch {
	case len(where) == 0 && !limit && (onlyFunction || len(dims) == 0):
		q.All = true
	case len(where) == 0:
		// A LIMIT keeps only the top series; a dimension set beyond
		// FunctionName (Resource, ExecutedVersion) only some of them.
		q.Maybe = true
	default:
		names, plain := plainFunctionFilter(where)
		switch {
		case plain && schema && !slices.Contains(dims, "FunctionName"):
			// A filter on a dimension the schema's metrics lack keeps nothing.
		case plain && !limit && onlyFunction:
			q.Functions = names
		case slices.ContainsFunc(where, func(t insightsToken) bool { return t.is('p', "!=") || t.is('p', "<>") || t.is('w', "NOT") }):
			// A negated filter keeps what it does not name: any function.
			q.Maybe = true
		default:
			// Only the functions the filter names can be among those it keeps;
			// a filter that names none is on other dimensions.
			for _, n := range names {
				q.MaybeFunctions = append(q.MaybeFunctions, inventory.FunctionNameFromARN(n))
			}
			q.Maybe = len(q.MaybeFunctions) > 0
		}
	}
	return q, true
}

// clauseEnd is the index of the next clause keyword (GROUP, ORDER, LIMIT)
// in toks, or len(toks).
func clauseEnd(toks []insightsToken) int {
	for i, t := range toks {
		if t.is('w', "GROUP") || t.is('w', "ORDER") || t.is('w', "LIMIT") {
			return i
		}
	}
	return len(toks)
}

// plainFunctionFilter reads a WHERE clause. plain is true when it is only
// FunctionName = 'x' and FunctionName IN ('x', ...) terms joined by OR
// (optionally in parentheses); names are then the functions it keeps.
// Otherwise names are the string literals it holds, which a filter on the
// function may name.
func plainFunctionFilter(where []insightsToken) (names []string, plain bool) {
	for _, t := range where {
		if t.kind == 's' {
			names = append(names, t.text)
		}
	}
	toks := where
	for len(toks) >= 2 && toks[0].is('p', "(") && toks[len(toks)-1].is('p', ")") {
		toks = toks[1 : len(toks)-1]
	}
	var kept []string
	for len(toks) > 0 {
		if len(toks) < 3 || !toks[0].is('w', "FunctionName") && !toks[0].is('n', "FunctionName") {
			return names, false
		}
		switch {
		case toks[1].is('p', "=") && toks[2].kind == 's':
			kept = append(kept, toks[2].text)
			toks = toks[3:]
		case toks[1].is('w', "IN") && toks[2].is('p', "("):
			end := slices.IndexFunc(toks, func(t insightsToken) bool { return t.is('p', ")") })
			if end < 0 {
				return names, false
			}
			for i, t := range toks[3:end] {
				switch {
				case i%2 == 0 && t.kind == 's':
					kept = append(kept, t.text)
				case i%2 == 1 && t.is('p', ","):
				default:
					return names, false
				}
			}
			toks = toks[end+1:]
		default:
			return names, false
		}
		if len(toks) > 0 {
			if !toks[0].is('w', "OR") {
				return names, false
			}
			toks = toks[1:]
		}
	}
	slices.Sort(kept)
	return slices.Compact(kept), len(kept) > 0
}
