package secrets

import (
	"strings"
	"unicode"
)

// isSecretWord reports whether a name token on its own makes a variable
// secret-like.
func isSecretWord(s string) bool {
	switch s {
	case "PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "TOKENS",
		"CREDENTIAL", "CREDENTIALS", "CREDS", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY", "AUTHKEY",
		"CLIENTSECRET", "SIGNINGKEY", "MASTERKEY":
		return true
	}
	return false
}

// isKeyQualifier reports whether a word makes a following KEY secret-like
// (API_KEY, PRIVATE_KEY, SIGNING_KEY); a bare KEY (CACHE_KEY, S3_KEY,
// PARTITION_KEY) is not.
func isKeyQualifier(s string) bool {
	switch s {
	case "API", "ACCESS", "PRIVATE", "SECRET", "SIGNING", "ENCRYPTION", "MASTER", "AUTH", "CLIENT", "APP",
		"LICENSE", "SESSION", "HMAC", "JWT", "SSH", "DEPLOY", "WEBHOOK", "WRITE", "ADMIN", "ROLE":
		return true
	}
	return false
}

// isSettingSuffix reports whether a last word marks a name that describes a
// secret without holding it: its ARN, name or path, its lifetime or length
// rules, where it is served.
func isSettingSuffix(s string) bool {
	switch s {
	case "ARN", "ARNS", "ID", "IDS", "NAME", "NAMES", "PATH", "PARAM", "PARAMETER", "PARAMETERS", "REF",
		"REFERENCE", "TTL", "TIMEOUT", "EXPIRY", "EXPIRES", "EXPIRATION", "LIFETIME", "DURATION", "SECONDS",
		"SECS", "MINUTES", "MINS", "HOURS", "DAYS", "AGE", "LENGTH", "LEN", "MIN", "MAX", "COUNT", "SIZE", "LIMIT",
		"URL", "URI", "ENDPOINT", "HOST", "PORT", "HEADER", "FILE", "DIR", "REGION", "VERSION", "TYPE", "ENABLED",
		"DISABLED", "ENABLE", "DISABLE", "REQUIRED", "POLICY", "ROTATION", "LOCATION", "FIELD", "PREFIX", "SUFFIX",
		"FORMAT", "ALGORITHM", "ALG", "ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "BUCKET", "TABLE", "QUEUE", "TOPIC",
		"STORE", "PROVIDER", "MODE", "LEVEL", "STRATEGY", "KMS", "SOURCE":
		return true
	}
	return false
}

// isQuantityWord reports whether a word, anywhere in a name, marks a
// number about a secret rather than the secret: a count, limit, size,
// length, lifetime, rate or bound (MAX_TOKENS and TOKENS_PER_MINUTE are an
// LLM's token limits, TOKEN_TTL a lifetime, PASSWORD_MIN_LENGTH a rule,
// SECRET_ROTATION_DAYS a schedule). Words that are also common name
// prefixes (AGE of age keys, MS of Microsoft, SECOND) count only as a last
// word (isSettingSuffix).
func isQuantityWord(s string) bool {
	switch s {
	case "MAX", "MAXIMUM", "MIN", "MINIMUM", "LIMIT", "LIMITS", "COUNT", "NUM", "NUMBER", "SIZE", "LENGTH", "LEN",
		"TTL", "EXPIRY", "EXPIRES", "EXPIRATION", "EXPIRE", "LIFETIME", "DURATION", "TIMEOUT", "PER", "RATE", "QUOTA",
		"BUDGET", "ROTATION", "SECONDS", "SECS", "MINUTES", "MINUTE", "MINS", "HOURS", "HOUR", "DAYS", "DAY":
		return true
	}
	return false
}

// isPublicWord reports whether a word marks a value meant to be public
// (publishable Stripe keys, NEXT_PUBLIC_* build variables).
func isPublicWord(s string) bool {
	switch s {
	case "PUBLIC", "PUBLISHABLE", "PUB":
		return true
	}
	return false
}

// IsSecretName reports whether an environment variable name says it holds a
// secret (DB_PASSWORD, GITHUB_TOKEN, stripeApiKey, AWS_SECRET_ACCESS_KEY),
// leaving out names of settings about secrets: a last word naming a setting
// (SECRET_ARN, DB_SECRET_NAME, ACCESS_KEY_ID, TOKEN_URL), a count, limit,
// size, length or lifetime word anywhere (MAX_TOKENS, TOKEN_LIMIT,
// TOKENS_PER_MINUTE, PASSWORD_MIN_LENGTH, TOKEN_TTL, SECRET_ROTATION_DAYS),
// and the shell's PWD.
func IsSecretName(name string) bool {
	toks := nameTokens(name)
	if len(toks) == 0 {
		return false
	}
	if len(toks) == 1 && toks[0] == "PWD" {
		return false
	}
	if isSettingSuffix(toks[len(toks)-1]) {
		return false
	}
	found := false
	for i, t := range toks {
		if isPublicWord(t) || isQuantityWord(t) {
			return false
		}
		if isSecretWord(t) || ((t == "KEY" || t == "KEYS") && i > 0 && isKeyQualifier(toks[i-1])) {
			found = true
		}
	}
	return found
}

// nameTokens splits a variable name into upper-case words at separators and
// camelCase boundaries: "dbPassword" -> DB PASSWORD, "APIKey" -> API KEY.
func nameTokens(name string) []string {
	var toks []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			toks = append(toks, strings.ToUpper(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if i > 0 && len(cur) > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return toks
}
