package pkgscan

import (
	"slices"
	"strings"
	"testing"

	scalibrlog "github.com/google/osv-scalibr/log"
)

// The adapter's logger fits scalibr's interface.
var _ scalibrlog.Logger = LibraryLogger{}

func TestAssignedUnderKeyword(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{`api_key = "x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd"`, true},
		{`const stripeToken = 'x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd';`, true},
		{`const stripeToken: string = 'x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd';`, false}, // no rule reads through a type
		{`"client_secret": "x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd",`, true},
		{`DB_PASSWORD=x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd`, true},
		{`password => 'x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd'`, true},
		{`const x = "x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd"`, false},
		{`fetch("https://api.example.com/orders?trace=x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd")`, false},
		{`x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd`, false},
	}
	for _, tc := range cases {
		s := strings.Index(tc.line, "x8Jk")
		if got := assignedUnderKeyword([]byte(tc.line), 0, s); got != tc.want {
			t.Errorf("assignedUnderKeyword(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestTextScanner(t *testing.T) {
	kw, err := gitleaksKeywords()
	if err != nil {
		t.Fatal(err)
	}
	det, err := Config{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + "." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	dbURL := "postgres://" + "app:" + "Xq9vT2mP8kLw" + "@db:5432/x"
	cases := []struct {
		name  string
		text  string
		quiet bool
		want  []string // line:rule
	}{
		{name: "several secrets on one long line", text: strings.Repeat("a", 3000) + " k='" + tAWSKeyID + "' " + strings.Repeat("b c ", 500) + " s='" + tStripeKey + "'",
			want: []string{"1:gitleaks:aws-access-token", "1:gitleaks:stripe-access-token"}},
		{name: "lines after many candidates", text: strings.Repeat("id = 0123456789abcdef0123456789abcdef\n", 50) + "x\n" + tGitHubPAT + "\n",
			want: []string{"52:gitleaks:github-pat"}},
		{name: "own rules in application code", text: "a = '" + jwt + "'\nb = '" + dbURL + "'\n" + tPEMKey,
			want: []string{"1:jwt", "2:connection-url-password", "3:private-key"}},
		// (record then drops the JWT: shape-only rules do not count there.)
		{name: "quiet file: no context, no URL candidates", quiet: true, text: "a = '" + jwt + "'\nb = '" + dbURL + "'\n" + tPEMKey,
			want: []string{"1:jwt", "3:private-key"}},
		{name: "hashes and UUIDs are not candidates", text: "id: 3f1c0e7a-9b2d-4c1e-8f3a-0123456789ab\nsha: 0123456789abcdef0123456789abcdef01234567\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTextScanner(det.Secrets, kw)
			ts.quiet = tc.quiet
			var got []string
			for _, f := range ts.scanBytes([]byte(tc.text)) {
				got = append(got, itoa(f.Line)+":"+f.Rule)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings = %q, want %q", got, tc.want)
			}
		})
	}
}
