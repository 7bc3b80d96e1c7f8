package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/lambdawarden/lambdawarden/internal/checks/checktest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// samTranslator returns the python3 that can import samtranslator, or why
// none can.
func samTranslator(t *testing.T) (string, string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", "python3 is not installed"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "-c", "import samtranslator; print(samtranslator.__version__)").CombinedOutput()
	if err != nil {
		return "", "python3 cannot import samtranslator (aws-sam-translator): " + strings.TrimSpace(string(out))
	}
	t.Logf("oracle: aws-sam-translator %s", strings.TrimSpace(string(out)))
	return py, ""
}

// hashedID matches the logical IDs SAM suffixes with a content hash
// (FnVersion5a1e9fb9ad, Layer6aa190cd77, ApiDeployment69ca815b41).
var hashedID = regexp.MustCompile(`^(.+?)([0-9a-f]{10})$`)

// TestSAMTranslatorOracle is the differential test: each SAM template is
// translated by the real aws-sam-translator into the CloudFormation AWS
// would deploy, both are loaded, and their security-relevant content must
// match. It skips without python3/samtranslator, except under CI=true.
func TestSAMTranslatorOracle(t *testing.T) {
	py, why := samTranslator(t)
	if why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but the SAM oracle cannot run: %s", why)
		}
		t.Skipf("skipping the differential test against aws-sam-translator: %s", why)
	}
	driver, err := filepath.Abs("testdata/oracle/samtranslate.py")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		template string
		params   []string
		// allowed lists the verdicts that legitimately differ, each with
		// the reason (see compareVerdicts).
		allowed map[string]string
	}{
		{"examples/sam", "../../examples/sam/template.yaml", nil, nil},
		{"examples/sam dev", "../../examples/sam/template.yaml", []string{"Stage=dev"}, nil},
		{"globals", "testdata/sam-globals/template.yaml", nil, nil},
		{"policy templates", "testdata/sam-policy-templates/template.yaml", nil, nil},
		{"policy templates prod", "testdata/sam-policy-templates/template.yaml", []string{"Stage=prod"}, nil},
		{"events", "testdata/sam-events/template.yaml", nil, nil},
		{"unknown values", "testdata/sam-unknown/template.yaml", nil, nil},
		{"every policy template", "testdata/oracle/all-policy-templates.yaml", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "sam", "template.yaml")
			gen := filepath.Join(dir, "generated", "template.json")
			data, err := os.ReadFile(tc.template)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{src, gen} {
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(src, data, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, py, append([]string{driver, src}, tc.params...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("samtranslator failed on %s: %v\n%s", tc.template, err, stderr.String())
			}
			if err := os.WriteFile(gen, out, 0o644); err != nil {
				t.Fatal(err)
			}
			fromSAM := loadTree(t, filepath.Dir(src), tc.params...)
			fromCFN := loadTree(t, filepath.Dir(gen), tc.params...)
			for _, inv := range []struct {
				name string
				errs int
			}{{"SAM", len(fromSAM.Errors)}, {"generated", len(fromCFN.Errors)}} {
				if inv.errs > 0 {
					t.Errorf("%s template: %d load errors", inv.name, inv.errs)
				}
			}
			if len(fromSAM.Functions) == 0 {
				t.Fatalf("no functions loaded from %s", tc.template)
			}
			a := oracleLines(summarize(fromSAM), nil)
			b := oracleLines(summarize(fromCFN), renames(t, out))
			if d := lineDiff(strings.Join(a, "\n"), strings.Join(b, "\n")); d != "" {
				t.Errorf("the SAM template and its translation load differently (- SAM source, + translated CloudFormation):\n%s", d)
			}
			t.Logf("%d security-relevant facts agree", len(a))
			checktest.Compare(t, checktest.Verdicts(fromSAM, oracleNow), checktest.Verdicts(fromCFN, oracleNow), tc.allowed)
		})
	}
}

// renames maps the hashed logical IDs of the translation to the stable
// ones the loader uses (FnVersion5a1e9fb9ad -> FnVersion).
func renames(t *testing.T, generated []byte) *strings.Replacer {
	var doc struct {
		Resources map[string]struct {
			Type string `json:"Type"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(generated, &doc); err != nil {
		t.Fatalf("translation is not JSON: %v", err)
	}
	var ids []string
	for id, r := range doc.Resources {
		m := hashedID.FindStringSubmatch(id)
		if m == nil {
			continue
		}
		switch r.Type {
		case "AWS::Lambda::Version", "AWS::Lambda::LayerVersion", "AWS::ApiGateway::Deployment":
			ids = append(ids, id)
		}
	}
	// Longest first, so no ID is replaced inside a longer one.
	sort.Slice(ids, func(i, j int) bool { return len(ids[i]) > len(ids[j]) })
	var pairs []string
	for _, id := range ids {
		pairs = append(pairs, id, hashedID.FindStringSubmatch(id)[1])
	}
	return strings.NewReplacer(pairs...)
}

// oracleLines drops what legitimately differs between the two files
// (waiver line spans) and applies the renames.
func oracleLines(lines []string, r *strings.Replacer) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "waiver ") {
			l = regexp.MustCompile(` lines \d+-\d+`).ReplaceAllString(l, "")
		}
		if r != nil {
			l = r.Replace(l)
		}
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}
