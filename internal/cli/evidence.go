package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdawarden/lambdawarden/internal/evidence"
)

// `evidence PATH... -o DIR|FILE.zip` writes the auditor evidence pack of a
// scan (checks spec, "Evidence"); `evidence verify DIR|ZIP` re-checks every
// hash in one.

func newEvidenceCommand(a *App) *cobra.Command {
	var f scanFlags
	var out, timestamp string
	cmd := &cobra.Command{
		Use:   "evidence [PATH...] -o DIR|FILE.zip",
		Short: "Write an auditor evidence pack (a folder or a zip) for the inputs under each PATH",
		Long: `Evidence scans each PATH as 'scan' does (same inputs, config file and flags) and writes
an evidence pack an auditor can take as is: manifest.json (tool, scan time, sources,
SHA-256 of every file), summary.html, results.json, results.csv, controls.csv (per SOC 2
criterion), waivers.csv, and per function its configuration (environment values
redacted), execution role policies, resource policy and log group. -o names a folder
(new or empty) or, ending in .zip, a zip file. With the same inputs and --timestamp
the zip is byte-for-byte the same.

It prints the pack's path, its number of files and the SHA-256 of manifest.json: record
that digest elsewhere, and 'lambdawarden evidence verify' proves later that nothing in
the pack changed.

Exit codes: 0 pack written; 2 usage error, the pack could not be written, or some input
could not be read (the pack is still written, with the errors in its manifest and
reports).`,
		Example: `  lambdawarden evidence ./infra -o evidence-2026-q4.zip
  lambdawarden evidence . -o evidence/ --timestamp 2026-12-31T00:00:00Z
  lambdawarden evidence verify evidence-2026-q4.zip`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runEvidence(cmd, args, &f, out, timestamp)
		},
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringVarP(&out, "output", "o", "", "write the pack to `DIR` (new or empty) or to a zip FILE ending in .zip (required)")
	fl.StringVar(&timestamp, "timestamp", "", "the scan `TIME` (RFC 3339) recorded in the pack and used as every file's time, and as the date for runtime and waiver expiry (default: now)")
	addSelectionFlags(cmd, &f)
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stderr but fatal errors (no progress, no warnings)")
	fl.BoolVar(&f.noProgress, "no-progress", false, "do not show progress on stderr")
	addLoadFlags(cmd, &f)
	cmd.AddCommand(newEvidenceVerifyCommand(a))
	return cmd
}

func (a *App) runEvidence(cmd *cobra.Command, args []string, f *scanFlags, out, timestamp string) error {
	if out == "" {
		return usageError("evidence needs -o DIR or -o FILE.zip")
	}
	now := a.Now()
	if timestamp != "" {
		t, err := time.Parse(time.RFC3339, timestamp)
		if err != nil {
			return usageError("--timestamp %q: want an RFC 3339 time such as 2026-12-31T00:00:00Z", timestamp)
		}
		now = t
	}
	plan, log, err := a.prepare(cmd, args, f, false)
	if err != nil {
		return err
	}
	plan.opts.Now = now
	res, err := a.execute(cmd, plan, log, args)
	if err != nil {
		return err
	}
	w, err := evidence.Write(cmd.Context(), out, res.Scan, res.Inventory, evidence.Options{Time: now, Checks: res.Checks})
	if err != nil {
		if cmd.Context().Err() != nil {
			return cmd.Context().Err()
		}
		return &exitError{code: ExitError, err: fmt.Errorf("evidence: %w", err)}
	}
	kind := "folder"
	if w.Zip {
		kind = "zip"
	}
	fmt.Fprintf(a.Stdout, "evidence pack: %s (%s, %d files, manifest.json included)\nmanifest.json SHA-256: %s\n", w.Path, kind, w.Files, w.ManifestSHA256)
	if n := len(res.Scan.Errors); n > 0 {
		if !plan.quiet {
			fmt.Fprintf(a.Stderr, "lambdawarden: %d %s could not be read or evaluated; the pack lists them under errors\n", n, plural(n, "input", "inputs"))
		}
		return exitCode(ExitError)
	}
	return nil
}

func newEvidenceVerifyCommand(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "verify DIR|ZIP",
		Short: "Re-check every file of an evidence pack against its manifest",
		Long: `Verify re-reads an evidence pack (a folder or a zip) and checks that every file its
manifest lists is present with the recorded SHA-256 and size, and that no other file was
added. It prints the manifest's SHA-256 (compare it with the one recorded when the pack
was made) and each problem found.

Exit codes: 0 intact; 1 a file was modified, removed or added; 2 the pack or its
manifest cannot be read.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := evidence.Verify(cmd.Context(), args[0])
			if err != nil {
				if cmd.Context().Err() != nil {
					return cmd.Context().Err()
				}
				return &exitError{code: ExitError, err: fmt.Errorf("evidence verify: %w", err)}
			}
			for _, p := range rep.Problems {
				fmt.Fprintf(a.Stdout, "%s\n", p)
			}
			if !rep.OK() {
				fmt.Fprintf(a.Stdout, "%s: NOT intact: %d %s among the %d files manifest.json lists (manifest.json SHA-256 %s)\n",
					rep.Path, len(rep.Problems), plural(len(rep.Problems), "problem", "problems"), rep.Checked, rep.ManifestSHA256)
				return exitCode(ExitFindings)
			}
			fmt.Fprintf(a.Stdout, "%s: intact: the %d files manifest.json lists all match (manifest.json SHA-256 %s)\n", rep.Path, rep.Checked, rep.ManifestSHA256)
			return nil
		},
	}
}
