package cli

import (
	"context"
	"io"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/scan/tfgen"
)

// BenchmarkScan2000 runs the whole `scan --format json` pipeline (walk,
// Terraform load, every check, waivers, JSON report) over a generated tree
// of 2,000 functions in 20 root modules. See BENCHMARKS.md.
func BenchmarkScan2000(b *testing.B) {
	dir := b.TempDir()
	if _, err := tfgen.Generate(dir, tfgen.DefaultConfig()); err != nil {
		b.Fatal(err)
	}
	a, _, errOut := realApp()
	a.Stdout = io.Discard
	args := []string{"scan", "--format", "json", dir}
	if code := a.Run(context.Background(), args); code != ExitFindings {
		b.Fatalf("exit code %d, want %d: %s", code, ExitFindings, errOut)
	}
	b.ResetTimer()
	for b.Loop() {
		if code := a.Run(context.Background(), args); code != ExitFindings {
			b.Fatalf("exit code %d", code)
		}
	}
}
