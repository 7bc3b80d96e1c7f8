package cloudformation

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// FuzzLoad runs the whole loader (parsing, SAM transform, intrinsics,
// resource conversion, waivers) on arbitrary template bytes: it must never
// panic, and whatever it cannot read becomes an inventory error. A load
// takes milliseconds, so run it with a short minimisation:
//
//	go test ./internal/cloudformation -run '^$' -fuzz FuzzLoad -fuzztime 60s -fuzzminimizetime 3s
func FuzzLoad(f *testing.F) {
	for _, glob := range []string{"testdata/*/*.yaml", "testdata/*/*.json", "testdata/*/*/*.yaml", "../../examples/sam/template.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 8<<10 {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("Resources: &r {A: *r, B: [*r, *r]}"))
	f.Add([]byte("x: &a [1, 2]\ny: &b [*a, *a, *a]\nResources: {R: {Type: AWS::SNS::Topic, Properties: {<<: {TopicName: *b}}}}"))
	dir := f.TempDir()
	file := filepath.Join(dir, "template.yaml")
	cfg := DefaultConfig()
	cfg.MaxSteps = 200_000
	cfg.Template.MaxExpandedNodes = 100_000
	src := NewWithConfig(cfg)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		tree := &scan.Tree{Root: dir, Display: "fuzz", Files: []string{"template.yaml"}}
		inv := src.Load(context.Background(), tree, "template.yaml", scan.LoadOptions{CFNParams: []string{"Stage=prod"}})
		if inv == nil {
			t.Fatal("Load returned nil")
		}
		for _, e := range inv.Errors {
			if e.Source == "" {
				t.Errorf("error without a source: %+v", e)
			}
		}
	})
}
