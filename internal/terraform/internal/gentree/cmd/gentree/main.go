// Command gentree writes a synthetic Terraform root module of many Lambda
// functions (see package gentree), for measuring whole-CLI runs:
//
//	go run ./internal/terraform/internal/gentree/cmd/gentree -n 2000 -url-every 4 DIR
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/lambdawarden/lambdawarden/internal/terraform/internal/gentree"
)

func main() {
	var o gentree.Options
	flag.IntVar(&o.Functions, "n", 2000, "number of functions")
	flag.IntVar(&o.URLEvery, "url-every", 0, "give every Nth function a function URL (0: none)")
	flag.IntVar(&o.PerFile, "per-file", 100, "functions per file")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gentree [-n N] [-url-every N] [-per-file N] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := gentree.Write(dir, o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
