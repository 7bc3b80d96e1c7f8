package tfgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

func TestGenerate(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		wantFiles int
		wantRoots int
	}{
		{"even split", Config{Functions: 30, PerRoot: 10, PerFile: 5}, 3 + 6, 3},
		{"ragged", Config{Functions: 7, PerRoot: 4, PerFile: 3}, 2 + 3, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			n, err := Generate(dir, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.wantFiles {
				t.Errorf("Generate wrote %d files, want %d", n, tc.wantFiles)
			}
			roots, _ := filepath.Glob(filepath.Join(dir, "service-*"))
			if len(roots) != tc.wantRoots {
				t.Errorf("%d roots, want %d", len(roots), tc.wantRoots)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "service-*", "*.tf"))
			p := hclparse.NewParser()
			functions := 0
			for _, f := range files {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if _, diags := p.ParseHCL(src, f); diags.HasErrors() {
					t.Errorf("%s does not parse: %v", f, diags)
				}
				functions += strings.Count(string(src), `resource "aws_lambda_function" `)
			}
			if functions != tc.cfg.Functions {
				t.Errorf("%d functions written, want %d", functions, tc.cfg.Functions)
			}
		})
	}
}
