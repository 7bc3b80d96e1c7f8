package cloudformation

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the loaded inventory (go test -update rewrites it):\n%s", file, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := map[string]int{}, map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		w[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		g[l]++
	}
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if g[l] == 0 {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if w[l] == 0 {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

// TestGolden loads each fixture and the examples and compares the
// security-relevant summary and the errors with golden files.
func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		root   string
		params []string
	}{
		{"cfn-intrinsics", "testdata/cfn-intrinsics", nil},
		{"cfn-intrinsics-prod", "testdata/cfn-intrinsics", []string{"Stage=prod", "AlertEmail=ops@example.com"}},
		{"cfn-resources", "testdata/cfn-resources", nil},
		{"nested", "testdata/nested", nil},
		{"sam-globals", "testdata/sam-globals", nil},
		{"sam-policy-templates", "testdata/sam-policy-templates", nil},
		{"sam-policy-templates-prod", "testdata/sam-policy-templates", []string{"Stage=prod"}},
		{"sam-events", "testdata/sam-events", nil},
		{"sam-unknown", "testdata/sam-unknown", nil},
		{"sam-errors", "testdata/sam-errors", nil},
		{"sam-nested", "testdata/sam-nested", nil},
		{"waivers", "testdata/waivers", nil},
		{"broken", "testdata/broken", nil},
		{"examples-sam", "../../examples/sam", nil},
		{"examples-cdk", "../../examples/cdk", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := loadTree(t, tc.root, tc.params...)
			var b strings.Builder
			for _, l := range summarize(inv) {
				b.WriteString(l + "\n")
			}
			for _, e := range inv.Errors {
				fmt.Fprintf(&b, "error %s:%d %s\n", e.Source, e.Line, e.Message)
			}
			golden(t, filepath.Join("testdata", "golden", tc.name+".txt"), []byte(b.String()))
		})
	}
}

// TestGoldenInventoryJSON pins the full inventory of the examples,
// locations included.
func TestGoldenInventoryJSON(t *testing.T) {
	for _, name := range []string{"sam", "cdk"} {
		t.Run(name, func(t *testing.T) {
			inv := loadTree(t, "../../examples/"+name)
			b, err := json.MarshalIndent(inv, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", "examples-"+name+".inventory.json"), append(b, '\n'))
		})
	}
}
