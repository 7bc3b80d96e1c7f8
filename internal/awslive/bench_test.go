package awslive_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lambdawarden/lambdawarden/internal/awslive"
	"github.com/lambdawarden/lambdawarden/internal/awstest"
	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// benchCase is one benchmark run: 10,000 functions over 4 regions served
// by the synthetic backend (moto_server cannot hold that many: it takes
// seconds per hundred functions), 20 ms added to every call by the proxy.
type benchCase struct {
	name     string
	throttle float64
}

// The run uses the collector's defaults: 32 calls in flight per account
// (16 per region); the floor divides by 32.
const benchLatency = 20 * time.Millisecond

var benchConcurrency = awslive.DefaultConfig().Concurrency

// benchFunctions is 10,000, or LW_BENCH_FUNCTIONS for a quicker look.
var benchFunctions = func() int {
	if n, err := strconv.Atoi(os.Getenv("LW_BENCH_FUNCTIONS")); err == nil && n > 0 {
		return n
	}
	return 10000
}()

var benchRegions = []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}

// BenchmarkCollect10k reports wall time, calls per function and the floor
// (calls x latency / concurrency) for a clean run and one with 10% of the
// calls throttled; a run that loses a function fails.
func BenchmarkCollect10k(b *testing.B) {
	if _, err := secrets.Default(); err != nil { // built once per process, as in the CLI
		b.Fatal(err)
	}
	for _, bc := range []benchCase{{"clean", 0}, {"throttled-10pct", 0.10}} {
		b.Run(bc.name, func(b *testing.B) {
			syn := awstest.NewSynthetic(awstest.DefaultAccount, benchRegions, benchFunctions)
			p := awstest.NewProxy(b, awstest.Options{Backend: syn, Latency: benchLatency, Seed: 1})
			if bc.throttle > 0 {
				p.AddFault(awstest.Fault{Kind: awstest.Throttle, Rate: bc.throttle})
			}
			var calls, fns int
			var wall, cpu time.Duration
			for i := 0; i < b.N; i++ {
				p.ResetCalls()
				c := awslive.New(awslive.Config{
					Regions: benchRegions, Endpoint: p.URL,
					LoadOptions: []func(*config.LoadOptions) error{
						config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("testing", "testing", "")),
						config.WithRegion("us-east-1"),
					},
				})
				start, cpu0 := time.Now(), cpuTime()
				inv, err := c.Collect(context.Background())
				wall += time.Since(start)
				cpu += cpuTime() - cpu0
				if err != nil {
					b.Fatal(err)
				}
				if len(inv.Functions) != benchFunctions {
					b.Fatalf("collected %d functions, want %d", len(inv.Functions), benchFunctions)
				}
				for _, e := range inv.Errors {
					b.Fatalf("error: %s: %s", e.Source, e.Message)
				}
				for _, f := range inv.Functions {
					if f.LastDeployment.IsUnknown() || !f.PublishVersions.IsKnown() {
						b.Fatalf("%s: incomplete", f.ID)
					}
				}
				calls += len(p.Calls())
				if i == 0 {
					byOp := map[string]int{}
					for _, c := range p.Calls() {
						byOp[c.Service+":"+c.Operation]++
					}
					ops := make([]string, 0, len(byOp))
					for op := range byOp {
						ops = append(ops, op)
					}
					sort.Slice(ops, func(a, b int) bool { return byOp[ops[a]] > byOp[ops[b]] })
					var parts []string
					for _, op := range ops {
						parts = append(parts, fmt.Sprintf("%s %.3f", op, float64(byOp[op])/float64(len(inv.Functions))))
					}
					b.Logf("calls per function by operation: %s", strings.Join(parts, ", "))
				}
				fns += len(inv.Functions)
			}
			perFn := float64(calls) / float64(fns)
			floor := time.Duration(float64(calls/b.N) * float64(benchLatency) / float64(benchConcurrency))
			avg := wall / time.Duration(b.N)
			b.ReportMetric(perFn, "calls/function")
			b.ReportMetric(avg.Seconds(), "wall-s")
			b.ReportMetric(floor.Seconds(), "floor-s")
			b.ReportMetric(float64(avg)/float64(floor), "x-floor")
			b.ReportMetric((cpu / time.Duration(b.N)).Seconds(), "cpu-s")
			b.Logf("%s: %d functions, %d calls (%.2f per function), wall %s, floor %s (%.2fx), CPU %s (collector, SDK and proxy together)",
				bc.name, benchFunctions, calls/b.N, perFn, avg.Round(time.Millisecond), floor.Round(time.Millisecond), float64(avg)/float64(floor),
				(cpu / time.Duration(b.N)).Round(time.Millisecond))
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
