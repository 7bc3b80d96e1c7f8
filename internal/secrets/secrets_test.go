package secrets

import (
	"strings"
	"sync"
	"testing"
)

// Credential-shaped fixtures are assembled at run time so that no literal
// credential sits in the source (scanners, including this one, would flag it).
var (
	awsKeyID     = "AK" + "IA" + "QX7Z4K2N5R6T3W4Y"
	stripeLive   = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
	githubPAT    = "gh" + "p_" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5"
	slackBot     = "xo" + "xb-" + "2640012345" + "-" + "2651234567890" + "-" + "kQ7rT9vX2zB4dF6hJ8lN0pR"
	awsSecretKey = "wJalrXUtnFEMI" + "/K7MDENG/bPxRfiCY" + "Q3x8KzLm1Pq"
	jwtToken     = "ey" + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "ey" + "JzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ" + "." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	pemKey       = "-----BEGIN " + "RSA PRIVATE" + " KEY-----\nMIIEowIBAAKCAQEA7bq3\n-----END RSA PRIVATE KEY-----"
	dbURL        = "postgres://" + "orders" + ":" + "Tr0ub4dor" + "-x9" + "@db.example.com:5432/orders"
	randomSecret = "Zx8" + "qP2mL9vR4tK7wN1bC6"
)

func detector(t testing.TB) *Detector {
	t.Helper()
	d, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return d
}

func TestEnvVar(t *testing.T) {
	d := detector(t)
	tests := []struct {
		name     string
		varName  string
		value    string
		wantRule string // "" means no finding
	}{
		{name: "aws access key id", varName: "AWS_KEY", value: awsKeyID, wantRule: "gitleaks:aws-access-token"},
		{name: "stripe live key", varName: "STRIPE_KEY", value: stripeLive, wantRule: "gitleaks:stripe-access-token"},
		{name: "github pat", varName: "GH", value: githubPAT, wantRule: "gitleaks:github-pat"},
		{name: "slack bot token", varName: "SLACK", value: slackBot, wantRule: "gitleaks:slack-bot-token"},
		{name: "private key block", varName: "CERT", value: pemKey, wantRule: RulePrivateKey},
		{name: "private key with escaped newlines", varName: "KEY_MATERIAL", value: strings.ReplaceAll(pemKey, "\n", `\n`), wantRule: RulePrivateKey},
		{name: "jwt", varName: "BOOTSTRAP", value: jwtToken, wantRule: RuleJWT},
		{name: "database url with password", varName: "DATABASE_URL", value: dbURL, wantRule: RuleConnectionURL},
		{name: "redis url with empty user", varName: "CACHE", value: "redis://" + ":" + "s3cr" + "etPw9@cache.internal:6379", wantRule: RuleConnectionURL},
		{name: "aws secret key under secret name", varName: "AWS_SECRET_ACCESS_KEY", value: awsSecretKey, wantRule: RuleSecretName},
		{name: "random value under camelCase name", varName: "webhookSecret", value: randomSecret, wantRule: RuleSecretName},

		{name: "password inside a json value", varName: "DB_CONFIG", value: `{"user":"app","password":"` + randomSecret + `"}`, wantRule: "gitleaks:generic-api-key"},
		{name: "random value under plain name", varName: "REQUEST_ID_SALT_SEED", value: randomSecret},
		{name: "word under secret name is not random", varName: "DB_PASSWORD", value: "orders-service-password"},
		{name: "url without password", varName: "DATABASE_URL", value: "postgres://orders@db.example.com/orders"},
		{name: "url with placeholder password", varName: "DATABASE_URL", value: "postgres://orders:${DB_PASSWORD}@db/orders"},
		{name: "url with password word", varName: "DATABASE_URL", value: "mysql://user:password@localhost/db"},
		{name: "secrets manager arn", varName: "DB_PASSWORD", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123"},
		{name: "ssm arn", varName: "API_TOKEN", value: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/token"},
		{name: "symbolic arn", varName: "API_TOKEN", value: "arn:aws:ssm:<region>:<account>:parameter/prod/token"},
		{name: "dynamic reference", varName: "API_TOKEN", value: "{{resolve:secretsmanager:prod/token:SecretString:token}}"},
		{name: "serverless ssm variable", varName: "API_TOKEN", value: "${ssm:/prod/token}"},
		{name: "serverless cf variable", varName: "API_TOKEN", value: "${cf:auth-stack.TokenSecretArn}"},
		{name: "ssm path", varName: "DB_PASSWORD_PARAM", value: "/prod/db/password"},
		{name: "placeholder", varName: "API_TOKEN", value: "<your-token-here>"},
		{name: "placeholder word", varName: "SECRET_KEY_BASE", value: "changeme"},
		{name: "placeholder fill", varName: "API_TOKEN", value: "xxxxxxxxxxxxxxxxxxxx"},
		{name: "empty", varName: "API_TOKEN", value: ""},
		{name: "ttl", varName: "TOKEN_TTL", value: "3600"},
		{name: "uuid-like request id", varName: "DEFAULT_TENANT", value: "b4e5c1d2-8f7a-4c3b-9e2d-1a0f6b7c8d9e"},
		{name: "node options", varName: "NODE_OPTIONS", value: "--enable-source-maps --max-old-space-size=1536"},
		{name: "java options", varName: "JAVA_TOOL_OPTIONS", value: "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"},
		{name: "time zone", varName: "TZ", value: "Europe/Berlin"},
		{name: "powertools service", varName: "POWERTOOLS_SERVICE_NAME", value: "orders-api"},
		{name: "sentry dsn without password", varName: "SENTRY_DSN", value: "https://3f1c2b9a8d7e4f60@o123456.ingest.sentry.io/789"},
		{name: "otel exec wrapper", varName: "AWS_LAMBDA_EXEC_WRAPPER", value: "/opt/otel-instrument"},
		{name: "table arn", varName: "TABLE_ARN", value: "arn:aws:dynamodb:us-east-1:123456789012:table/orders"},
		{name: "plain sentence", varName: "GREETING", value: "Hello from the orders service, version 12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := d.EnvVar(tc.varName, tc.value)
			if tc.wantRule == "" {
				if len(got) != 0 {
					t.Fatalf("EnvVar(%s) = %+v, want no finding", tc.varName, got)
				}
				return
			}
			found := false
			for _, f := range got {
				if f.Rule == tc.wantRule {
					found = true
				}
				if f.Kind == "" {
					t.Errorf("finding %+v has no kind", f)
				}
				assertRedacted(t, f.Redacted, tc.value)
			}
			if !found {
				t.Fatalf("EnvVar(%s) = %+v, want rule %s", tc.varName, got, tc.wantRule)
			}
		})
	}
}

// assertRedacted fails if the redaction shows more than the first four
// characters of the secret.
func assertRedacted(t *testing.T, red, secret string) {
	t.Helper()
	if !strings.Contains(red, "****") || !strings.Contains(red, "chars") {
		t.Errorf("redaction %q is not in the redacted form", red)
	}
	if len(secret) >= 8 {
		// Any 5-character window of the secret must not appear in the redaction.
		for i := 0; i+5 <= len(secret); i++ {
			if strings.Contains(red, secret[i:i+5]) {
				t.Fatalf("redaction %q leaks %q of the secret", red, secret[i:i+5])
			}
		}
	}
}

func TestText(t *testing.T) {
	d := detector(t)
	file := "const region = 'eu-west-1';\n" +
		"const stripe = '" + stripeLive + "';\n" +
		"// nothing here\n" +
		"const url = '" + dbURL + "';\n" +
		pemKey + "\n"
	got := d.Text(file)
	want := map[int]string{2: "gitleaks:stripe-access-token", 4: RuleConnectionURL, 5: RulePrivateKey}
	for line, rule := range want {
		ok := false
		for _, f := range got {
			if f.Line == line && f.Rule == rule {
				ok = true
			}
		}
		if !ok {
			t.Errorf("Text: no %s finding on line %d in %+v", rule, line, got)
		}
	}
	for _, f := range got {
		for _, s := range []string{stripeLive, dbURL, pemKey} {
			if strings.Contains(f.Redacted, s[4:12]) {
				t.Errorf("finding %+v leaks a secret", f)
			}
		}
	}
	// Line numbers stay right past the chunks gitleaks scans at a time.
	long := strings.Repeat("x = 1\n", 2*textChunkLines+99) + "const k = '" + stripeLive + "';\n"
	if fs := d.Text(long); len(fs) != 1 || fs[0].Line != 2*textChunkLines+100 {
		t.Errorf("Text(long file) = %+v, want one finding on line %d", fs, 2*textChunkLines+100)
	}
	if fs := d.Text("package main\n\nfunc main() { println(\"hello\") }\n"); len(fs) != 0 {
		t.Errorf("Text(clean file) = %+v, want nothing", fs)
	}
}

func TestWithoutGitleaks(t *testing.T) {
	d, err := New(Config{MinSecretLength: 16, MinEntropy: 3.0})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.EnvVar("STRIPE_KEY", stripeLive); len(got) != 0 {
		t.Errorf("own rules alone flagged a Stripe key under a non-secret name: %+v", got)
	}
	if got := d.EnvVar("CERT", pemKey); len(got) != 1 || got[0].Rule != RulePrivateKey {
		t.Errorf("own rules missed a private key: %+v", got)
	}
}

func TestIsSecretName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"DB_PASSWORD", true}, {"PASSWORD", true}, {"db_pass", true}, {"GITHUB_TOKEN", true},
		{"AWS_SESSION_TOKEN", true}, {"AWS_SECRET_ACCESS_KEY", true}, {"STRIPE_API_KEY", true},
		{"apiKey", true}, {"APIKey", true}, {"dbPassword", true}, {"PRIVATE_KEY", true},
		{"GOOGLE_CREDENTIALS", true}, {"CLIENT_SECRET", true}, {"JWT_SIGNING_KEY", true}, {"SECRET_VALUE", true},
		{"TOKEN_TTL", false}, {"PASSWORD_MIN_LENGTH", false}, {"SECRET_ARN", false}, {"DB_SECRET_NAME", false},
		{"AWS_ACCESS_KEY_ID", false}, {"TOKEN_URL", false}, {"SECRETS_EXTENSION_HTTP_PORT", false},
		{"PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", false}, {"PWD", false}, {"OLDPWD", false},
		{"CACHE_KEY", false}, {"S3_KEY", false}, {"PARTITION_KEY", false}, {"STRIPE_PUBLISHABLE_KEY", false},
		{"NEXT_PUBLIC_API_KEY", false}, {"TABLE_NAME", false}, {"", false}, {"KMS_KEY_ARN", false},
		// Counts, limits, sizes, lengths and lifetimes about tokens and
		// secrets are settings, wherever the qualifier stands.
		{"MAX_TOKENS", false}, {"TOKEN_LIMIT", false}, {"TOKENS_PER_MINUTE", false}, {"SECRET_ROTATION_DAYS", false},
		{"OPENAI_MAX_OUTPUT_TOKENS", false}, {"maxTokens", false}, {"MIN_PASSWORD_LENGTH", false}, {"TOKEN_COUNT", false},
		{"NUM_TOKENS", false}, {"API_KEY_RATE_LIMIT", false}, {"SESSION_TOKEN_TIMEOUT", false},
		// ... while the secrets themselves stay flagged.
		{"ACCESS_TOKEN", true}, {"AUTH_TOKEN", true}, {"API_KEY", true}, {"SECRET_KEY", true}, {"AGE_SECRET_KEY", true},
		{"MS_CLIENT_SECRET", true}, {"SECRET_KEY_BASE", true}, {"SLACK_BOT_TOKEN", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsSecretName(tc.name); got != tc.want {
				t.Errorf("IsSecretName(%q) = %v, want %v (tokens %v)", tc.name, got, tc.want, nameTokens(tc.name))
			}
		})
	}
}

func TestIsReference(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbC", true},
		{"arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x", true},
		{"arn:aws:kms:<region>:<account>:key/1234", true},
		{"{{resolve:ssm-secure:/prod/pw:1}}", true},
		{"${ssm:/prod/pw}", true}, {"${aws:accountId}", true}, {"${self:custom.token}", true},
		{"${Token}", true}, {"$DB_PASSWORD", true}, {"<token>", true}, {"/prod/db/password", true},
		{"<aws_secretsmanager_secret_version.db.secret_string>", true},
		{"${a}-${b}", false}, {"hunter2", false}, {"", false}, {"/", false},
		{stripeLive, false}, {"arn-like-but-not", false}, {"prefix ${ssm:/x}", false},
		// Placeholders are literals, not references.
		{"changeme", false}, {"CHANGEME", false}, {"dummy", false}, {"example", false}, {"none", false},
		{"todo", false}, {"xxxxxxxx", false}, {"********", false},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			if got := IsReference(tc.value); got != tc.want {
				t.Errorf("IsReference(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

func TestIsPlaceholder(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{"changeme", true}, {"ChangeMe", true}, {" change_me ", true}, {"dummy", true}, {"example", true},
		{"none", true}, {"todo", true}, {"placeholder", true}, {"xxxxxxxx", true}, {"********", true},
		{"hunter2", false}, {"", false}, {"changeme-in-prod-9Xk2", false}, {"${ssm:/x}", false},
		{"arn:aws:ssm:us-east-1:123456789012:parameter/x", false}, {stripeLive, false},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			if got := IsPlaceholder(tc.value); got != tc.want {
				t.Errorf("IsPlaceholder(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

// TestReferencedEnvVar: a value built from references is scanned for
// credential formats written around the references, but a reference's
// symbolic rendering never matches and the random-value rule does not run.
func TestReferencedEnvVar(t *testing.T) {
	d := detector(t)
	pw := "S3cr3t" + "Passw0rd9"
	tests := []struct {
		name     string
		varName  string
		value    string
		wantRule string // "" means no finding
	}{
		{name: "literal password around a host reference", varName: "DATABASE_URL",
			value: "postgres://app:" + pw + "@<aws_db_instance.db.address>:5432/app", wantRule: RuleConnectionURL},
		{name: "literal password around an interpolation", varName: "DATABASE_URL",
			value: "postgres://app:" + pw + "@${aws_db_instance.db.address}:5432/app", wantRule: RuleConnectionURL},
		{name: "github token from a local", varName: "GITHUB_TOKEN", value: githubPAT, wantRule: "gitleaks:github-pat"},
		{name: "stripe key from a variable default", varName: "STRIPE_KEY", value: stripeLive, wantRule: "gitleaks:stripe-access-token"},
		{name: "password is a reference", varName: "DATABASE_URL", value: "postgres://app:<random_password.db.result>@<aws_db_instance.db.address>:5432/app"},
		{name: "password built from a reference", varName: "DATABASE_URL", value: "postgres://app:pre<random_password.db.result>@db:5432/app"},
		{name: "whole reference", varName: "DB_PASSWORD", value: "<aws_secretsmanager_secret_version.db.secret_string>"},
		{name: "symbolic arn", varName: "API_TOKEN", value: "arn:aws:ssm:<region>:<account>:parameter/prod/token"},
		{name: "reference after a password word", varName: "DB_DSN", value: "host=<aws_db_instance.db.address> user=app password=<aws_secretsmanager_secret_version.db_master_password.secret_string>"},
		{name: "random-looking value from a reference is not judged by its name", varName: "WEBHOOK_SECRET", value: randomSecret},
		{name: "url with a reference host only", varName: "API_URL", value: "https://<aws_api_gateway_rest_api.api.id>.execute-api.<region>.amazonaws.com/prod"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := d.ReferencedEnvVar(tc.varName, tc.value)
			if tc.wantRule == "" {
				if len(got) != 0 {
					t.Fatalf("ReferencedEnvVar(%s) = %+v, want no finding", tc.varName, got)
				}
				return
			}
			found := false
			for _, f := range got {
				found = found || f.Rule == tc.wantRule
				if f.Redacted != Redact(tc.value) {
					t.Errorf("redaction %q is not Redact(value)", f.Redacted)
				}
				assertRedacted(t, f.Redacted, tc.value)
			}
			if !found {
				t.Fatalf("ReferencedEnvVar(%s) = %+v, want rule %s", tc.varName, got, tc.wantRule)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{stripeLive[:32], "sk_l****, 32 chars"},
		{"0123456789abcdef", "0123****, 16 chars"},
		{"hunter2pw", "hu****, 9 chars"},
		{"abc", "****, 3 chars"},
		{"x", "****, 1 char"},
		{"", "****, 0 chars"},
		{"\n\tab" + "cdefghijklmnop", "??ab****, 18 chars"},
		{"pässwörd-längerxyz", "päss****, 18 chars"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestEntropy(t *testing.T) {
	if e := Entropy("aaaa"); e != 0 {
		t.Errorf("Entropy(aaaa) = %v, want 0", e)
	}
	if e := Entropy("abcd"); e != 2 {
		t.Errorf("Entropy(abcd) = %v, want 2", e)
	}
	if e := Entropy(""); e != 0 {
		t.Errorf("Entropy(\"\") = %v", e)
	}
}

func TestGitleaksLabel(t *testing.T) {
	tests := map[string]string{
		"stripe-access-token": "a Stripe access token",
		"aws-access-token":    "an AWS access token",
		"github-pat":          "a GitHub PAT",
		"heroku-api-key":      "a Heroku API key",
		"":                    "a credential",
	}
	for id, want := range tests {
		if got := gitleaksLabel(id); got != want {
			t.Errorf("gitleaksLabel(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	d := detector(t)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if got := d.EnvVar("STRIPE_KEY", stripeLive); len(got) == 0 {
					errs <- "missed the Stripe key"
					return
				}
				if got := d.EnvVar("TABLE", "orders"); len(got) != 0 {
					errs <- "flagged a table name"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func FuzzEnvVar(f *testing.F) {
	d, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{stripeLive, dbURL, pemKey, jwtToken, "${ssm:/x}", "", "päss", "\x00\xff"} {
		f.Add("API_TOKEN", s)
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		for _, fd := range d.EnvVar(name, value) {
			if fd.Rule == "" || fd.Kind == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
			if fd.Redacted != Redact(value) {
				t.Fatalf("redaction %q is not Redact(value)", fd.Redacted)
			}
			if len(value) >= 12 && strings.Contains(fd.Redacted, value) {
				t.Fatalf("redaction holds the value")
			}
		}
		for _, fd := range d.ReferencedEnvVar(name, value) {
			if fd.Rule == "" || fd.Kind == "" || fd.Redacted != Redact(value) {
				t.Fatalf("bad finding %+v", fd)
			}
		}
		for _, fd := range d.Text(value) {
			if fd.Line < 1 || fd.Line > strings.Count(value, "\n")+1 {
				t.Fatalf("line %d out of range", fd.Line)
			}
		}
	})
}

// BenchmarkNew measures building a detector with gitleaks' rules: the cost
// that Default pays once per process.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewOwnRulesOnly is the same without gitleaks, for comparison.
func BenchmarkNewOwnRulesOnly(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Gitleaks = false
	for b.Loop() {
		if _, err := New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnvVar measures scanning one variable.
func BenchmarkEnvVar(b *testing.B) {
	d := detector(b)
	for b.Loop() {
		d.EnvVar("STRIPE_KEY", stripeLive)
		d.EnvVar("TABLE_NAME", "orders-prod")
	}
}
