// Command lambdawarden audits AWS Lambda workloads for security and SOC 2
// readiness. See `lambdawarden --help` and README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"syscall"

	"github.com/lambdawarden/lambdawarden/internal/cli"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx)
	stop()
	os.Exit(code)
}

// The collector's settings unless the user sets GOGC or GOMEMLIMIT (see
// tuneGC): the GC percent, and the soft memory limit it starts at.
const (
	gcPercent = 400
	gcFloor   = 200 << 20
)

// tuneGC trades memory for CPU in a run that allocates much more than it
// keeps (parsing and evaluating configurations), unless the user has set
// GOGC or GOMEMLIMIT. The heap may grow to 1+gcPercent/100 times the live
// heap between collections, but total memory is held near a soft limit of
// gcFloor. After every collection the limit is raised to twice the live
// heap if that is more, so on inputs too large for the floor the collector
// runs about as often as with the default GOGC=100: it never thrashes
// against the limit, and memory grows as it would by default.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(gcFloor)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var rearm func(*gcCycle)
	rearm = func(c *gcCycle) {
		metrics.Read(live)
		if live[0].Value.Kind() == metrics.KindUint64 {
			debug.SetMemoryLimit(max(gcFloor, 2*int64(live[0].Value.Uint64())))
		}
		runtime.SetFinalizer(c, rearm) // again after the next collection
	}
	runtime.SetFinalizer(&gcCycle{}, rearm)
}

// gcCycle is unreachable from the start; its finalizer runs after each
// collection and re-arms itself.
type gcCycle struct{ _ *byte }
