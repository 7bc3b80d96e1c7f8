package scan_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/scan/scantest"
)

// stuckSource is the fake source whose Load of the input stuckOn signals
// started and then never returns on its own (it ignores ctx, as a
// slow parser would), until release is closed.
type stuckSource struct {
	scantest.Source
	stuckOn string
	started chan struct{}
	release chan struct{}
	loads   atomic.Int32
}

func (s *stuckSource) Load(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
	s.loads.Add(1)
	if input == s.stuckOn {
		close(s.started)
		<-s.release
	}
	return s.Source.Load(ctx, t, input, opts)
}

// stuckCheck returns a check that signals started and then blocks until
// release is closed, ignoring the scan's context.
func stuckCheck(started, release chan struct{}) *checks.Check {
	return &checks.Check{
		ID: "LW-T-50", Title: "Takes forever", Severity: result.Low, Families: []inventory.Family{inventory.FamilyTF},
		Run: func(*checks.Env) []checks.Finding {
			close(started)
			<-release
			return nil
		},
	}
}

// TestRunCancelled cancels the context while an input is loading, while a
// check runs and while an after-load step runs, each stuck and ignoring the
// context, and checks that Run returns context.Canceled promptly instead
// of waiting for the stuck work.
func TestRunCancelled(t *testing.T) {
	tests := []struct {
		name  string
		setup func(opts *scan.Options, started, release chan struct{})
	}{
		{"while loading", func(opts *scan.Options, started, release chan struct{}) {
			opts.Sources = []scan.Source{&stuckSource{stuckOn: "b/main" + scantest.Suffix, started: started, release: release}}
		}},
		{"while checking", func(opts *scan.Options, started, release chan struct{}) {
			opts.Catalog = append(scantest.Catalog(), stuckCheck(started, release))
		}},
		{"in an after-load step", func(opts *scan.Options, started, release chan struct{}) {
			opts.AfterLoad = append(opts.AfterLoad, func(context.Context, []*scan.Tree, *inventory.Inventory) {
				close(started)
				<-release
			})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t)
			opts := baseOptions(dir)
			opts.Workers = 2
			started, release := make(chan struct{}), make(chan struct{})
			defer close(release)
			tc.setup(&opts, started, release)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type ret struct {
				out *scan.Outcome
				err error
			}
			done := make(chan ret, 1)
			go func() {
				out, err := scan.Run(ctx, opts)
				done <- ret{out, err}
			}()
			select {
			case <-started:
			case r := <-done:
				t.Fatalf("Run returned before the stuck work started: %v", r.err)
			case <-time.After(30 * time.Second):
				t.Fatal("the stuck work never started")
			}
			cancel()
			select {
			case r := <-done:
				if !errors.Is(r.err, context.Canceled) || r.out != nil {
					t.Errorf("Run = %v, %v; want nil, context.Canceled", r.out, r.err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after the context was cancelled")
			}
		})
	}
}

// TestRunCancelledStopsHandingOutWork checks that once the context is
// cancelled no further input starts loading.
func TestRunCancelledStopsHandingOutWork(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		writeInventory(t, filepath.Join(dir, name, "main"+scantest.Suffix), &inventory.Inventory{})
	}
	src := &stuckSource{stuckOn: "a/main" + scantest.Suffix, started: make(chan struct{}), release: make(chan struct{})}
	opts := scan.Options{Paths: []string{dir}, Sources: []scan.Source{src}, Catalog: scantest.Catalog(), Settings: checks.DefaultSettings(), Workers: 1}
	ctx, cancel := context.WithCancel(context.Background())
	defer close(src.release)
	go func() {
		<-src.started
		cancel()
	}()
	if _, err := scan.Run(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
	}
	if n := src.loads.Load(); n != 1 {
		t.Errorf("%d inputs started loading, want 1 (none after the cancellation)", n)
	}
}

// TestRunAlreadyCancelled checks that a cancelled context reads nothing.
func TestRunAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := &stuckSource{started: make(chan struct{}), release: make(chan struct{})}
	opts := baseOptions(fixture(t))
	opts.Sources = []scan.Source{src}
	if _, err := scan.Run(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
	}
	if n := src.loads.Load(); n != 0 {
		t.Errorf("%d inputs loaded after cancellation, want 0", n)
	}
}
