package secrets

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redact returns the form in which a secret may be shown: its first four
// characters, "****", and its length, for example "sk_l****, 32 chars".
// Values shorter than 16 characters show a quarter of their length at most
// (none below 4), so a short password is never half revealed. Control
// characters in the shown prefix are replaced by '?'. Redact never returns
// more of the value than that prefix.
func Redact(value string) string {
	n := utf8.RuneCountInString(value)
	show := 4
	if n < 16 {
		show = n / 4
	}
	var b strings.Builder
	i := 0
	for _, r := range value {
		if i == show {
			break
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			r = '?'
		}
		b.WriteRune(r)
		i++
	}
	b.WriteString("****, ")
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" char")
	} else {
		b.WriteString(" chars")
	}
	return b.String()
}

// Entropy is the Shannon entropy of s in bits per character.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	var h float64
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

// looksRandom reports whether v looks like a generated credential rather
// than a word, a number or a sentence: long enough, no spaces, mixed
// character classes and an entropy of at least minEntropy.
func looksRandom(v string, minLen int, minEntropy float64) bool {
	if utf8.RuneCountInString(v) < minLen {
		return false
	}
	var lower, upper, digit bool
	for _, r := range v {
		switch {
		case unicode.IsSpace(r):
			return false
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	// All-lowercase words joined by separators ("orders-table-prod") and pure
	// numbers are names or settings, not generated secrets.
	if !((lower || upper) && digit) && !(lower && upper) {
		return false
	}
	return Entropy(v) >= minEntropy
}
