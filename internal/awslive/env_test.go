package awslive

import (
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// TestEnvRedaction: what is kept of an environment never holds a secret,
// and the SEC checks say exactly what they say of the real values.
func TestEnvRedaction(t *testing.T) {
	det, err := secrets.Default()
	if err != nil {
		t.Fatal(err)
	}
	stripe := "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
	tests := []struct {
		name, env, value string
		redacted, masked bool
	}{
		{"credential format", "PAYMENT", stripe, true, false},
		{"secret name, weak literal", "DB_PASSWORD", "hunter2", false, true},
		{"secret name, short literal", "API_TOKEN", "abc", false, true},
		{"secret name, long literal", "SESSION_SECRET", "correct horse battery staple", false, true},
		{"secret name, switch", "ENABLE_TOKEN", "true", false, false},
		{"secret name, reference", "DB_PASSWORD", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", false, false},
		{"plain setting", "LOG_LEVEL", "debug", false, false},
		{"internal host", "DB_HOST", "10.0.0.5", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := envVars(map[string]string{tt.env: tt.value}, det, nil)[0]
			if got.Redacted != tt.redacted || got.Masked != tt.masked {
				t.Errorf("redacted %v masked %v, want %v %v", got.Redacted, got.Masked, tt.redacted, tt.masked)
			}
			if (tt.redacted || tt.masked) && len(tt.value) > 4 && strings.Contains(got.Value.V, tt.value[4:]) {
				t.Errorf("kept %q, which reveals the secret", got.Value.V)
			}
			raw := fn([]inventory.EnvVar{{Name: tt.env, Value: inventory.Of(tt.value, noLoc)}})
			kept := fn([]inventory.EnvVar{got})
			for _, id := range []string{"LW-SEC-01", "LW-SEC-02"} {
				w, g := secResult(t, id, raw), secResult(t, id, kept)
				if w != g {
					t.Errorf("%s on the kept value says %q, on the real value %q", id, g, w)
				}
			}
		})
	}
}

func fn(env []inventory.EnvVar) *inventory.Inventory {
	return &inventory.Inventory{Functions: []*inventory.Function{{
		Item: inventory.Item{ID: "f", Source: inventory.LiveAWS}, Name: inventory.Of("f", noLoc), Environment: inventory.Of(env, noLoc),
	}}}
}

func secResult(t *testing.T, id string, inv *inventory.Inventory) string {
	t.Helper()
	c := checks.ByID(checks.Catalog(), id)
	env := &checks.Env{Index: inventory.NewIndex(inv), Settings: checks.DefaultSettings()}
	rs := checks.Run(env, []*checks.Check{c})
	if len(rs) != 1 {
		t.Fatalf("%s: %d results", id, len(rs))
	}
	return string(rs[0].Status) + ": " + rs[0].Message
}

func TestMask(t *testing.T) {
	for _, v := range []string{"", "a", "abcd", "hunter2", "0123456789abcdef", "correct horse battery staple", "päss\x01wörd"} {
		if got, want := secrets.Redact(mask(v)), secrets.Redact(v); got != want {
			t.Errorf("Redact(mask(%q)) = %q, want %q", v, got, want)
		}
	}
}
