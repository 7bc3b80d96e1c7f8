// Package secrets finds credentials in environment values and files, and
// tells references to secrets kept elsewhere (ARNs, dynamic references,
// template variables) from values written in place. It combines gitleaks'
// rules for known credential formats with its own rules for private keys,
// JSON Web Tokens, connection URLs with passwords and random-looking values
// under secret-like names. It never logs, and a Finding never holds, a
// secret's value: only its redaction (see Redact).
package secrets

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
)

// Config sets what a Detector looks for.
type Config struct {
	// Gitleaks turns on gitleaks' default rules for known credential
	// formats (AWS, Stripe, GitHub, Slack, ... 222 rules in v8.30.1).
	// Building them takes a while (see BenchmarkNew), so a Detector is
	// built once and shared.
	Gitleaks bool
	// MinSecretLength and MinEntropy decide when a value under a
	// secret-like name looks random: at least MinSecretLength characters,
	// mixed character classes, and a Shannon entropy of at least MinEntropy
	// bits per character.
	MinSecretLength int
	MinEntropy      float64
	// MaxInputBytes is the most of one value or file that is scanned
	// (0: no limit); longer input is scanned up to it.
	MaxInputBytes int
}

// DefaultConfig is the configuration the checks use.
func DefaultConfig() Config {
	return Config{Gitleaks: true, MinSecretLength: 16, MinEntropy: 3.0, MaxInputBytes: 4 << 20}
}

// Detector finds secrets. It is immutable once built and safe for
// concurrent use.
type Detector struct {
	cfg Config
	gl  *detect.Detector
}

// Finding is one secret found. It never holds the secret itself.
type Finding struct {
	// Rule is the rule that matched: one of the Rule* constants, or
	// "gitleaks:" and the gitleaks rule ID.
	Rule string
	// Kind says what the value looks like, for messages: "a Stripe access
	// token", "a private key".
	Kind string
	// Line is the 1-based line of the match (Text only; 0 for EnvVar).
	Line int
	// Redacted is the redaction of the value (EnvVar: the whole value;
	// Text: the matched secret).
	Redacted string
}

// New builds a detector.
func New(cfg Config) (*Detector, error) {
	d := &Detector{cfg: cfg}
	if cfg.Gitleaks {
		gl, err := newGitleaks()
		if err != nil {
			return nil, fmt.Errorf("load gitleaks rules: %w", err)
		}
		d.gl = gl
	}
	return d, nil
}

// newGitleaks builds gitleaks' default detector through a private viper
// instance (gitleaks' own constructor uses the process-wide one, which is
// not safe for concurrent use).
func newGitleaks() (*detect.Detector, error) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		return nil, err
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return nil, err
	}
	cfg, err := vc.Translate()
	if err != nil {
		return nil, err
	}
	gl := detect.NewDetector(cfg)
	// No recursive decoding: values are scanned as written.
	gl.MaxDecodeDepth = 0
	return gl, nil
}

// textChunkLines is how many lines of a file gitleaks scans at once. Its
// multi-line private-key rule can miss a key cut by a chunk boundary; the
// detector's own private-key rule needs only the header line.
const textChunkLines = 500

// shared is the default detector, built on first use.
var shared = sync.OnceValues(func() (*Detector, error) { return New(DefaultConfig()) })

// Default returns the detector with DefaultConfig, built once per process
// on first use and shared (it is immutable).
func Default() (*Detector, error) { return shared() }

// EnvVar looks for a secret in one environment variable. A reference
// (IsReference) or a placeholder (IsPlaceholder) yields nothing. Otherwise
// the value is checked against the known credential formats and, when name
// is secret-like (IsSecretName), for a random-looking value. Findings are
// sorted by rule, one per rule.
func (d *Detector) EnvVar(name, value string) []Finding {
	return d.envVar(name, value, value, true)
}

// ReferencedEnvVar looks for a credential written in place inside a value
// that a source built from references (a Terraform interpolation such as
// "postgres://app:PASSWORD@${aws_db_instance.db.address}/app", a local or
// variable default): only the credential-format rules run, not the
// random-value rule under a secret-like name, since the value as a whole is
// not a literal. The symbolic renderings of the references themselves
// (<aws_db_instance.db.address>, <account>) never match: they are replaced by
// a neutral placeholder before scanning. Findings redact the whole value.
func (d *Detector) ReferencedEnvVar(name, value string) []Finding {
	return d.envVar(name, value, symbolicRE.ReplaceAllLiteralString(value, neutralRef), false)
}

// neutralRef stands for a symbolic reference when scanning: a variable
// expression, which no credential rule takes for a secret and the
// connection-URL rule takes for a placeholder password.
const neutralRef = "${ref}"

// envVar scans scanned (value, or value with its references neutralized);
// findings redact value. nameRule turns on the random-value rule.
func (d *Detector) envVar(name, value, scanned string, nameRule bool) []Finding {
	if IsReference(scanned) || IsPlaceholder(scanned) || strings.TrimSpace(scanned) == "" {
		return nil
	}
	v := d.limit(scanned)
	red := Redact(value)
	seen := map[string]bool{}
	var out []Finding
	add := func(rule, kind string) {
		if !seen[rule] {
			seen[rule] = true
			out = append(out, Finding{Rule: rule, Kind: kind, Redacted: red})
		}
	}
	for _, m := range ownRules(v) {
		add(m.rule, ruleLabel(m.rule))
	}
	if d.gl != nil {
		// The name gives gitleaks' keyword rules their context ("heroku ... = value").
		line := name + "=" + v
		for _, f := range d.gl.DetectString(line) {
			if f.Secret == "" || !strings.Contains(v, f.Secret) || strings.Contains(f.Secret, neutralRef) {
				continue // matched the name (or a neutralized reference), not the value
			}
			rule, kind, ok := d.gitleaksRule(f.RuleID)
			if !ok || (f.RuleID == "generic-api-key" && !strings.Contains(v, f.Match)) {
				// The generic rule keyed on the variable's name is replaced by
				// the name-aware rule below; keyed on a word inside the value
				// ({"password": "..."}) it stands.
				continue
			}
			add(rule, kind)
		}
	}
	if nameRule && len(out) == 0 && IsSecretName(name) && looksRandom(strings.TrimSpace(v), d.cfg.MinSecretLength, d.cfg.MinEntropy) {
		add(RuleSecretName, ruleLabel(RuleSecretName))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// Text looks for secrets in the content of a file (for deployment
// packages). Findings are sorted by line and rule, one per line and rule.
func (d *Detector) Text(text string) []Finding {
	t := d.limit(text)
	type key struct {
		line int
		rule string
	}
	seen := map[key]bool{}
	var out []Finding
	add := func(line int, rule, kind, secret string) {
		k := key{line, rule}
		if !seen[k] {
			seen[k] = true
			out = append(out, Finding{Rule: rule, Kind: kind, Line: line, Redacted: Redact(secret)})
		}
	}
	for _, m := range ownRules(t) {
		add(1+strings.Count(t[:m.start], "\n"), m.rule, ruleLabel(m.rule), firstLine(m.secret))
	}
	if d.gl != nil {
		// gitleaks locates each match by walking every line before it, which
		// is quadratic on files with many matches: scan in chunks of lines.
		lines := strings.SplitAfter(t, "\n")
		for first := 0; first < len(lines); first += textChunkLines {
			last := min(first+textChunkLines, len(lines))
			for _, f := range d.gl.DetectString(strings.Join(lines[first:last], "")) {
				if f.Secret == "" {
					continue
				}
				rule, kind, ok := d.gitleaksRule(f.RuleID)
				if !ok {
					continue
				}
				add(first+f.StartLine+1, rule, kind, f.Secret)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// gitleaksRule maps a gitleaks rule ID to the finding's rule and kind;
// gitleaks' private-key and jwt rules fold into the detector's own.
func (d *Detector) gitleaksRule(id string) (rule, kind string, ok bool) {
	switch id {
	case "":
		return "", "", false
	case "private-key":
		return RulePrivateKey, ruleLabel(RulePrivateKey), true
	case "jwt":
		return RuleJWT, ruleLabel(RuleJWT), true
	}
	return "gitleaks:" + id, gitleaksLabel(id), true
}

func (d *Detector) limit(s string) string {
	if d.cfg.MaxInputBytes > 0 && len(s) > d.cfg.MaxInputBytes {
		return s[:d.cfg.MaxInputBytes]
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
