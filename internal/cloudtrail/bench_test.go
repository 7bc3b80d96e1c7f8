package cloudtrail

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"io"
	"os"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/lambdawarden/lambdawarden/internal/cloudtrail/internal/trailgen"
)

// Throughput benchmarks (MB/s of uncompressed CloudTrail JSON). The end to
// end figure against `gzip -dc` is in BENCHMARKS.md ("CloudTrail").

// BenchmarkDecode is the record decoder alone, on one core.
func BenchmarkDecode(b *testing.B) {
	data := trailgen.File(1, 0, 8<<20)
	b.SetBytes(int64(len(data)))
	var rec Record
	d := NewDecoder(nil)
	for b.Loop() {
		d.Reset(bytes.NewReader(data))
		for {
			err := d.Next(&rec)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchFiles writes a 64 MB gzip log set.
func benchFiles(b *testing.B) ([]string, int64) {
	b.Helper()
	dir := b.TempDir()
	res, err := trailgen.Generate(dir, trailgen.Options{Total: 64 << 20, FileSize: 4 << 20, Seed: 1, Workers: 2})
	if err != nil {
		b.Fatal(err)
	}
	files, errs := Files([]string{dir})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	return files, res.Uncompressed
}

// BenchmarkGunzip is decompression alone (no JSON), one core, for the
// gzip package lambdawarden uses and the standard library's.
func BenchmarkGunzip(b *testing.B) {
	files, size := benchFiles(b)
	for _, tt := range []struct {
		name string
		open func(io.Reader) (io.Reader, error)
	}{
		{"klauspost", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"stdlib", func(r io.Reader) (io.Reader, error) { return stdgzip.NewReader(r) }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(size)
			buf := make([]byte, 256<<10)
			for b.Loop() {
				for _, f := range files {
					raw, err := os.ReadFile(f)
					if err != nil {
						b.Fatal(err)
					}
					zr, err := tt.open(bytes.NewReader(raw))
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.CopyBuffer(io.Discard, zr, buf); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkCollect is `policy generate`'s pipeline: parallel gunzip,
// decode, select the role's sessions, map and aggregate.
func BenchmarkCollect(b *testing.B) {
	files, size := benchFiles(b)
	sel, err := NewSelector(trailgen.RoleARN, "")
	if err != nil {
		b.Fatal(err)
	}
	rules := DefaultRules()
	b.SetBytes(size)
	for b.Loop() {
		act, _, errs := Collect(context.Background(), files, sel, rules, ReadOptions{})
		if len(errs) > 0 || act.Calls == 0 {
			b.Fatalf("errors %v, %d calls", errs, act.Calls)
		}
	}
}

// BenchmarkSummarize is `scan --cloudtrail`'s pass over the same logs.
func BenchmarkSummarize(b *testing.B) {
	files, size := benchFiles(b)
	rules := DefaultRules()
	b.SetBytes(size)
	for b.Loop() {
		if _, _, errs := Summarize(context.Background(), files, rules, ReadOptions{}); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

// TestSelectAllocs: records that are not selected cost no allocation.
func TestSelectAllocs(t *testing.T) {
	data := trailgen.File(1, 0, 1<<20)
	sel, err := NewSelector("arn:aws:iam::123456789012:role/nobody", "")
	if err != nil {
		t.Fatal(err)
	}
	d := NewDecoder(nil)
	var rec Record
	allocs := testing.AllocsPerRun(3, func() {
		d.Reset(bytes.NewReader(data))
		for d.Next(&rec) == nil {
			if sel.Match(&rec) {
				t.Fatal("selected")
			}
		}
	})
	if allocs > 10 {
		t.Errorf("%.0f allocations per 1 MB of records", allocs)
	}
}
