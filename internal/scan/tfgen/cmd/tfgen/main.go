// Command tfgen writes a synthetic Terraform tree of Lambda functions, the
// input of BenchmarkScan2000, so the CLI can be measured on it too:
//
//	go run ./internal/scan/tfgen/cmd/tfgen -o /tmp/lw-bench -n 2000
//	/usr/bin/time -v lambdawarden scan --format json -o /dev/null /tmp/lw-bench
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/lambdawarden/lambdawarden/internal/scan/tfgen"
)

func main() {
	cfg := tfgen.DefaultConfig()
	out := flag.String("o", "", "folder to write the tree to (required)")
	flag.IntVar(&cfg.Functions, "n", cfg.Functions, "number of functions")
	flag.IntVar(&cfg.PerRoot, "per-root", cfg.PerRoot, "functions per root module")
	flag.IntVar(&cfg.PerFile, "per-file", cfg.PerFile, "functions per .tf file")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "tfgen: -o FOLDER is required")
		os.Exit(2)
	}
	n, err := tfgen.Generate(*out, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tfgen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d functions in %d files under %s\n", cfg.Functions, n, *out)
}
