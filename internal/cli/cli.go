// Package cli is lambdawarden's command line: a cobra root command with one
// file per subcommand. Each subcommand file has a constructor
// (func(*App) *cobra.Command) listed once in commands; the inputs `scan`
// understands are listed once in sources.go.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// Exit codes of the output spec.
const (
	ExitOK       = 0 // scan complete, no FAIL at or above --fail-on
	ExitFindings = 1 // scan complete, a FAIL at or above --fail-on
	ExitError    = 2 // usage error, or some input could not be read or evaluated
)

// App is the command line with its surroundings, so tests can run it in
// process with their own streams, environment, clock and sources.
type App struct {
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (NO_COLOR, LW_LOG_LEVEL).
	Getenv func(string) string
	// Now is the scan time (runtime deprecation, waiver expiry, --timestamps).
	Now func() time.Time
	// Sources returns the inputs `scan` recognises (see sources.go).
	Sources func() []scan.Source
	// Catalog returns the checks (checks.Catalog).
	Catalog func() []*checks.Check
	// IsTerminal reports whether w is a terminal (colour and progress).
	IsTerminal func(w io.Writer) bool
}

// commands are the subcommands in the order `--help` lists them. A new
// command is one file with its constructor, plus its line here.
func commands() []func(*App) *cobra.Command {
	return []func(*App) *cobra.Command{
		newLiveScanCommand, newInventoryCommand,
		newPolicyCommand,
		newEvidenceCommand,
		newChecksCommand,
		newVersionCommand,
	}
}

// New returns the App wired to the process: os.Stdout, os.Stderr, the real
// environment and clock, and the registered sources.
func New() *App {
	return &App{
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Getenv:     os.Getenv,
		Now:        time.Now,
		Sources:    Sources,
		Catalog:    checks.Catalog,
		IsTerminal: isTerminal,
	}
}

// Main runs the command line on os.Args and returns the exit code. The
// first SIGINT (Ctrl-C) or SIGTERM cancels the run: work in flight is
// abandoned and the command exits 2 with "interrupted"; a second one ends
// the process at once.
func Main(ctx context.Context) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	a := New()
	args := os.Args[1:]
	return a.runWithSignals(ctx, sigs, os.Exit, func(ctx context.Context) int { return a.Run(ctx, args) })
}

// runWithSignals calls run with a context that the first value on sigs
// cancels; the second value calls exit(ExitError) without waiting for run.
// Stderr is serialised meanwhile, since both may write to it.
func (a *App) runWithSignals(ctx context.Context, sigs <-chan os.Signal, exit func(int), run func(context.Context) int) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stderr := &lockedWriter{w: a.Stderr}
	saved := a.Stderr
	a.Stderr = stderr
	defer func() { a.Stderr = saved }()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "lambdawarden: interrupted again, exiting now")
			exit(ExitError)
		case <-done:
		}
	}()
	return run(ctx)
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// exitError carries an exit code out of a command. A nil err means the
// command already reported everything (exit 1 after a scan with findings).
type exitError struct {
	code  int
	err   error
	usage bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is a command-line mistake: exit 2 with a pointer to --help.
func usageError(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...), usage: true}
}

// exitCode ends a command with code and no further message.
func exitCode(code int) error {
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code}
}

// Run executes the command line args (without the program name) and
// returns the exit code. A command that fails after ctx is cancelled was
// interrupted: it exits 2 with "interrupted".
func (a *App) Run(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil {
		fmt.Fprintln(a.Stderr, "lambdawarden: interrupted")
		return ExitError
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Cobra's own errors (unknown command or flag, wrong arguments) are
		// usage errors.
		ee = &exitError{code: ExitError, err: err, usage: true}
	}
	if ee.err != nil {
		fmt.Fprintf(a.Stderr, "lambdawarden: %v\n", ee.err)
		if ee.usage && cmd != nil {
			fmt.Fprintf(a.Stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	return ee.code
}

// rootCommand builds the command tree.
func (a *App) rootCommand() *cobra.Command {
	var verbose bool
	root := &cobra.Command{
		Use:   "lambdawarden",
		Short: "Audit AWS Lambda workloads for security and SOC 2 readiness",
		Long: `lambdawarden audits AWS Lambda workloads (Terraform, plan JSON, CloudFormation, SAM,
CDK, Serverless Framework, deployment packages, live accounts) for security and SOC 2
readiness: execution roles, who can invoke each function, secrets, logging, runtimes,
network placement and change management.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// A bare `lambdawarden` shows the help; anything else that is not a
		// command is a usage error.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "print diagnostics on stderr (or set LW_LOG_LEVEL=debug|info|warn|error)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: ExitError, err: err, usage: true}
	})
	for _, newCmd := range commands() {
		root.AddCommand(newCmd(a))
	}
	return root
}

// logger returns the diagnostics logger: text on stderr, warnings and up
// unless --verbose or LW_LOG_LEVEL say otherwise; errors only with quiet.
func (a *App) logger(cmd *cobra.Command, quiet bool) *slog.Logger {
	level := slog.LevelWarn
	if v := a.Getenv("LW_LOG_LEVEL"); v != "" {
		var l slog.Level
		if err := l.UnmarshalText([]byte(strings.ToUpper(v))); err == nil {
			level = l
		}
	}
	if verbose, _ := cmd.Flags().GetBool("verbose"); verbose {
		level = slog.LevelDebug
	}
	if quiet {
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{
		Level: level,
		// Diagnostics of a short-lived command need no timestamps.
		ReplaceAttr: func(groups []string, at slog.Attr) slog.Attr {
			if len(groups) == 0 && at.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return at
		},
	}))
}

// colorFor reports whether output to w may be coloured: w is a terminal,
// colour was not turned off, and NO_COLOR is not set (https://no-color.org).
func (a *App) colorFor(w io.Writer, noColor bool) bool {
	return !noColor && a.Getenv("NO_COLOR") == "" && a.IsTerminal(w)
}

// isTerminal reports whether w is a file attached to a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
