// Command gentrail writes a synthetic CloudTrail log set in the S3 delivery
// layout (AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/*.json.gz), for the
// throughput benchmark of `lambdawarden policy generate` (see
// BENCHMARKS.md ("CloudTrail") and package trailgen for what
// the records hold). Output is deterministic for a seed.
//
// Usage:
//
//	go run ./internal/cloudtrail/cmd/gentrail -size 1GB -out /tmp/trail
package main

import (
	"flag"
	"fmt"
	"log"
	"strconv"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/cloudtrail/internal/trailgen"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gentrail: ")
	size := flag.String("size", "1GB", "total uncompressed size (KB, MB, GB)")
	fileSize := flag.String("file-size", "4MB", "uncompressed size of one log file")
	out := flag.String("out", "", "folder to write AWSLogs/... into (required)")
	seed := flag.Uint64("seed", 1, "random seed")
	workers := flag.Int("workers", 2, "files written at once")
	level := flag.Int("level", 6, "gzip level (CloudTrail's files are ordinary gzip)")
	flag.Parse()
	total, err := parseSize(*size)
	if err != nil {
		log.Fatalf("-size: %v", err)
	}
	per, err := parseSize(*fileSize)
	if err != nil {
		log.Fatalf("-file-size: %v", err)
	}
	if *out == "" {
		log.Fatal("-out is required")
	}
	res, err := trailgen.Generate(*out, trailgen.Options{Total: total, FileSize: per, Seed: *seed, Workers: *workers, Level: *level})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d files: %d bytes uncompressed, %d compressed (%.1fx); role %s",
		res.Files, res.Uncompressed, res.Compressed, float64(res.Uncompressed)/float64(res.Compressed), trailgen.RoleARN)
}

func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = v, u.m
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 {
		return 0, fmt.Errorf("%q: want a size such as 1GB", s)
	}
	return int64(f * float64(mult)), nil
}
