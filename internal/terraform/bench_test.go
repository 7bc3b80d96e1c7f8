package terraform

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/terraform/internal/gentree"
)

// BenchmarkLoad2000 loads a root module of 2,000 functions, each with its
// role, inline policy, log group and permission, in files of 100 functions.
func BenchmarkLoad2000(b *testing.B) { benchmarkLoad(b, gentree.Options{Functions: 2000}) }

// BenchmarkLoad2000URLs is BenchmarkLoad2000 with a function URL for every
// fourth function.
func BenchmarkLoad2000URLs(b *testing.B) {
	benchmarkLoad(b, gentree.Options{Functions: 2000, URLEvery: 4})
}

func benchmarkLoad(b *testing.B, o gentree.Options) {
	dir := b.TempDir()
	if err := gentree.Write(dir, o); err != nil {
		b.Fatal(err)
	}
	tree := treeOf(b, dir, "bench")
	src := New()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		inv := src.Load(ctx, tree, ".", scan.LoadOptions{})
		if len(inv.Functions) != o.Functions || len(inv.Errors) != 0 {
			b.Fatalf("functions %d, errors %v", len(inv.Functions), inv.Errors)
		}
	}
	// CPU time tells the cost apart from waiting on a shared machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
