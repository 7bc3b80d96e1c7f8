package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/scan/scantest"
)

// blockingSource is the fake source whose Load signals started and then
// blocks, ignoring its context, until release is closed.
type blockingSource struct {
	scantest.Source
	started, release chan struct{}
}

func (s *blockingSource) Load(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
	close(s.started)
	<-s.release
	return s.Source.Load(ctx, t, input, opts)
}

// TestInterrupt sends a signal while an input is loading (the load never
// returns on its own): the scan must stop promptly with exit 2 and
// "interrupted", writing no report.
func TestInterrupt(t *testing.T) {
	a, out, errOut := testApp(nil, false)
	src := &blockingSource{started: make(chan struct{}), release: make(chan struct{})}
	defer close(src.release)
	a.Sources = func() []scan.Source { return []scan.Source{src} }
	sigs := make(chan os.Signal, 2)
	done := make(chan int, 1)
	report := filepath.Join(t.TempDir(), "r.json")
	go func() {
		done <- a.runWithSignals(context.Background(), sigs, func(code int) { t.Errorf("one signal called exit(%d)", code) },
			func(ctx context.Context) int {
				return a.Run(ctx, []string{"scan", "--format", "json=" + report, fake + "lowfail"})
			})
	}()
	select {
	case <-src.started:
	case <-time.After(30 * time.Second):
		t.Fatal("the scan never started loading")
	}
	sigs <- os.Interrupt
	select {
	case code := <-done:
		if code != ExitError || errOut.String() != "lambdawarden: interrupted\n" {
			t.Errorf("exit %d, stderr %q; want %d and interrupted", code, errOut.String(), ExitError)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the scan did not stop after the signal")
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", out.String())
	}
	if _, err := os.Stat(report); err == nil {
		t.Error("an interrupted scan wrote a report")
	}
}

// TestSecondSignal checks that a second signal exits at once while the
// command is still running (here, one that ignores its context).
func TestSecondSignal(t *testing.T) {
	a, _, errOut := testApp(nil, false)
	sigs := make(chan os.Signal, 2)
	exited := make(chan int, 1)
	cancelled := make(chan struct{})
	release := make(chan struct{})
	done := make(chan int, 1)
	go func() {
		done <- a.runWithSignals(context.Background(), sigs, func(code int) { exited <- code },
			func(ctx context.Context) int {
				<-ctx.Done()
				close(cancelled)
				<-release // a command that does not stop
				return ExitOK
			})
	}()
	sigs <- syscall.SIGTERM
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	select {
	case code := <-exited:
		t.Fatalf("the first signal called exit(%d)", code)
	default:
	}
	sigs <- os.Interrupt
	select {
	case code := <-exited:
		if code != ExitError {
			t.Errorf("exit(%d), want exit(%d)", code, ExitError)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a second signal did not exit")
	}
	close(release)
	<-done
	if !strings.Contains(errOut.String(), "interrupted again, exiting now") {
		t.Errorf("stderr = %q", errOut.String())
	}
}

// TestCancelledWriter checks that a report stops being written once the
// context is cancelled.
func TestCancelledWriter(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var sb strings.Builder
	w := &ctxWriter{ctx: ctx, w: &sb}
	if _, err := w.Write([]byte("a")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if n, err := w.Write([]byte("b")); err == nil || n != 0 || sb.String() != "a" {
		t.Errorf("Write after cancel = %d, %v (written %q); want 0 and an error", n, err, sb.String())
	}
}
