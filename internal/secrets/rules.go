package secrets

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
)

// Rule IDs of the detector's own rules. Gitleaks rules keep their own IDs,
// prefixed "gitleaks:".
const (
	RulePrivateKey    = "private-key"
	RuleJWT           = "jwt"
	RuleConnectionURL = "connection-url-password"
	RuleSecretName    = "high-entropy-secret-name"
)

var (
	// privateKeyRE is the header of a PEM or OpenSSH private key block,
	// whatever follows (env values often hold keys with escaped newlines
	// or cut short).
	privateKeyRE = regexp.MustCompile(`-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----`)
	// jwtRE is three base64url parts whose first two decode to JSON objects.
	jwtRE = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// urlCredRE is scheme://user:password@host.
	urlCredRE = regexp.MustCompile(`\b([A-Za-z][A-Za-z0-9+.\-]{1,30})://([^\s:/@'"]*):([^\s@/'"]+)@([^\s/?#'"]+)`)
)

// ownMatch is a match of one of the detector's own rules.
type ownMatch struct {
	rule   string
	secret string
	start  int // byte offset in the scanned text
}

// ownRules runs the detector's own rules over s.
func ownRules(s string) []ownMatch {
	var out []ownMatch
	if loc := privateKeyRE.FindStringIndex(s); loc != nil {
		out = append(out, ownMatch{rule: RulePrivateKey, secret: s[loc[0]:], start: loc[0]})
	}
	for _, loc := range jwtRE.FindAllStringIndex(s, -1) {
		tok := s[loc[0]:loc[1]]
		if isJWT(tok) {
			out = append(out, ownMatch{rule: RuleJWT, secret: tok, start: loc[0]})
		}
	}
	for _, m := range urlCredRE.FindAllStringSubmatchIndex(s, -1) {
		pass := s[m[6]:m[7]]
		if isPlaceholderPassword(pass) {
			continue
		}
		out = append(out, ownMatch{rule: RuleConnectionURL, secret: s[m[0]:m[1]], start: m[0]})
	}
	return out
}

// isJWT reports whether tok's header and payload are base64url JSON objects
// and the header names an algorithm or type.
func isJWT(tok string) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	var header map[string]any
	if !decodeJSONPart(parts[0], &header) {
		return false
	}
	if _, ok := header["alg"]; !ok {
		if _, ok := header["typ"]; !ok {
			return false
		}
	}
	var payload map[string]any
	return decodeJSONPart(parts[1], &payload)
}

func decodeJSONPart(p string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "="))
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

// ruleLabel names one of the detector's own rules in messages.
func ruleLabel(rule string) string {
	switch rule {
	case RulePrivateKey:
		return "a private key"
	case RuleJWT:
		return "a JSON Web Token"
	case RuleConnectionURL:
		return "a connection URL with a password"
	case RuleSecretName:
		return "a random-looking value under a secret-like name"
	}
	return "a credential"
}

// vendorCase spells a word of a gitleaks rule ID as the vendor does.
func vendorCase(w string) (string, bool) {
	switch w {
	case "generic":
		return "generic", true
	case "aws":
		return "AWS", true
	case "api":
		return "API", true
	case "github":
		return "GitHub", true
	case "gitlab":
		return "GitLab", true
	case "gcp":
		return "GCP", true
	case "pat":
		return "PAT", true
	case "jwt":
		return "JWT", true
	case "npm":
		return "npm", true
	case "pypi":
		return "PyPI", true
	case "url":
		return "URL", true
	case "id":
		return "ID", true
	case "oauth":
		return "OAuth", true
	case "ci":
		return "CI", true
	case "cicd":
		return "CI/CD", true
	case "openai":
		return "OpenAI", true
	case "digitalocean":
		return "DigitalOcean", true
	case "sendgrid":
		return "SendGrid", true
	case "hubspot":
		return "HubSpot", true
	case "new":
		return "New", true
	case "relic":
		return "Relic", true
	case "tf":
		return "Terraform", true
	case "ca":
		return "CA", true
	case "yaml":
		return "YAML", true
	case "pkcs12":
		return "PKCS#12", true
	case "ad":
		return "AD", true
	case "launchdarkly":
		return "LaunchDarkly", true
	case "planetscale":
		return "PlanetScale", true
	case "rubygems":
		return "RubyGems", true
	case "huggingface":
		return "Hugging Face", true
	case "mailchimp":
		return "Mailchimp", true
	case "travisci":
		return "Travis CI", true
	case "droneci":
		return "Drone CI", true
	case "1password":
		return "1Password", true
	case "sumologic":
		return "Sumo Logic", true
	case "circleci":
		return "CircleCI", true
	case "ptt":
		return "pipeline trigger token", true
	case "rrt":
		return "runner registration token", true
	case "scim":
		return "SCIM", true
	case "bedrock":
		return "Bedrock", true
	case "amazon":
		return "Amazon", true
	case "kubernetes":
		return "Kubernetes", true
	case "hashicorp":
		return "HashiCorp", true
	case "jfrog":
		return "JFrog", true
	case "slack":
		return "Slack", true
	case "stripe":
		return "Stripe", true
	case "twilio":
		return "Twilio", true
	case "shopify":
		return "Shopify", true
	case "azure":
		return "Azure", true
	case "facebook":
		return "Facebook", true
	case "twitter":
		return "Twitter", true
	case "google":
		return "Google", true
	}
	return "", false
}

// gitleaksLabel turns a gitleaks rule ID into "a Stripe access token".
func gitleaksLabel(id string) string {
	words := strings.Split(id, "-")
	for i, w := range words {
		if c, ok := vendorCase(w); ok {
			words[i] = c
		} else if i == 0 && w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	s := strings.Join(words, " ")
	if s == "" {
		return "a credential"
	}
	switch strings.ToLower(s[:1]) {
	case "a", "e", "i", "o", "u":
		return "an " + s
	}
	return "a " + s
}
