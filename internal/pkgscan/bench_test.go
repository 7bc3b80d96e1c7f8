package pkgscan

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Benchmarks build their packages in b.TempDir() (nothing is checked in).
// See BENCHMARKS.md ("Deployment packages") for figures and how to reproduce them:
//
//	go test -run '^$' -bench 'Scan250MB|NodeModules20k' -benchtime 3x ./internal/pkgscan/
//
// and, for the peak resident memory of a whole process:
//
//	go test -c -o /tmp/pkgscan.test ./internal/pkgscan/
//	/usr/bin/time -v /tmp/pkgscan.test -test.run '^$' -test.bench Scan250MB -test.benchtime 1x

// sourceFile is a generated source file of about size bytes: JavaScript or
// Python that reads like application code, with the identifiers, UUIDs,
// hashes and URLs real code has (so the secret prefilter has candidates to
// look at), and a credential in one file of a thousand.
func sourceFile(i, size int) string {
	var b strings.Builder
	b.Grow(size + 512)
	py := i%3 == 2
	for n := 0; b.Len() < size; n++ {
		id := i*1000 + n
		switch {
		case py && n%4 == 0:
			fmt.Fprintf(&b, "def handle_%d(event, context):\n    table = os.environ['TABLE_%d']\n    item = dynamodb.get_item(TableName=table, Key={'id': {'S': event['id']}})\n    return {'statusCode': 200, 'body': json.dumps(item.get('Item', {}))}\n\n", id, id%97)
		case py:
			fmt.Fprintf(&b, "# request %08x-4b1f-9c2d-%012x handled by worker %d\nlogger.info('processed %%s in %%d ms', event.get('requestId'), %d)\n", id*2654435761%0xffffffff, id*40503, n, id%1000)
		case n%5 == 0:
			fmt.Fprintf(&b, "export async function handler%d(event, context) {\n  const token = event.headers['x-request-%d'];\n  if (!token) return { statusCode: 401, body: JSON.stringify({ message: 'missing api key' }) };\n", id, id)
		case n%5 == 1:
			fmt.Fprintf(&b, "  const res = await fetch(`https://api.example.com/v2/orders/${event.id}?trace=%x`, { headers: { 'content-type': 'application/json' } });\n", uint64(id)*0x9e3779b97f4a7c15)
		case n%5 == 2:
			fmt.Fprintf(&b, "  // integrity sha512-%x%x\n", uint64(id)*0xff51afd7ed558ccd, uint64(id)*0xc4ceb9fe1a85ec53)
		case n%5 == 3:
			fmt.Fprintf(&b, "  const result = await client.send(new GetItemCommand({ TableName: process.env.TABLE_%d, Key: { id: { S: event.id } } }));\n", id%97)
		default:
			b.WriteString("  return { statusCode: 200, body: JSON.stringify(result.Item) };\n}\n\n")
		}
	}
	if i%1000 == 999 {
		b.WriteString("const fallbackKey = '" + tAWSKeyID + "';\n")
	}
	return b.String()
}

// writeBenchZip writes a zip of n files made by body, deflated at the
// default level (as zip tools do), and returns its path and the total
// uncompressed size.
func writeBenchZip(b testing.TB, dir string, n int, name func(i int) string, body func(i int) string) (string, int64) {
	b.Helper()
	p := filepath.Join(dir, "bench.zip")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := zip.NewWriter(bw)
	var total int64
	for i := range n {
		w, err := zw.Create(name(i))
		if err != nil {
			b.Fatal(err)
		}
		s := body(i)
		total += int64(len(s))
		if _, err := w.Write([]byte(s)); err != nil {
			b.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p, total
}

// peakSampler records the highest memory the Go runtime holds from the OS
// (heap, stacks and runtime structures, less what it has released) while
// it runs.
type peakSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startPeakSampler() *peakSampler {
	s := &peakSampler{stop: make(chan struct{})}
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	s.wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			if v := samples[0].Value.Uint64() - samples[1].Value.Uint64(); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	})
	return s
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (s *peakSampler) done() uint64 {
	close(s.stop)
	s.wg.Wait()
	return s.peak.Load()
}

func benchScan(b *testing.B, path string, total int64, check func(b *testing.B, n int, errs int)) {
	cfg := Config{}
	// Build the detector and extractors before timing.
	if _, errs := ScanPackage(context.Background(), path, "bench.zip", cfg); len(errs) > 0 {
		b.Fatal(errorsText(errs))
	}
	runtime.GC()
	b.SetBytes(total)
	b.ResetTimer()
	sampler := startPeakSampler()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		pkg, errs := ScanPackage(context.Background(), path, "bench.zip", cfg)
		check(b, len(pkg.Secrets)+len(pkg.Dependencies), len(errs))
		n++
	}
	// CPU seconds per scan tell what an unloaded machine does when the
	// benchmark machine is shared: wall time there is about this divided
	// by the cores.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(n), "cpu-s/op")
	b.ReportMetric(float64(sampler.done())/(1<<20), "peak-MiB")
}

// BenchmarkScan250MB scans a 250 MB package of 25,000 source files of
// 10 KB (the target: under 3 s, under 200 MB of memory).
func BenchmarkScan250MB(b *testing.B) {
	const files = 25_000
	path, total := writeBenchZip(b, b.TempDir(), files,
		func(i int) string {
			return fmt.Sprintf("src/module%03d/file%05d.%s", i%250, i, map[bool]string{true: "py", false: "js"}[i%3 == 2])
		},
		func(i int) string { return sourceFile(i, 10_000) })
	b.Logf("package: %d files, %.0f MB uncompressed", files, float64(total)/1e6)
	benchScan(b, path, total, func(b *testing.B, found, errs int) {
		if errs > 0 || found != files/1000 {
			b.Fatalf("found %d secrets and dependencies, %d errors; want %d secrets", found, errs, files/1000)
		}
	})
}

// nodeModulesName lays out 20,000 files as 1,000 npm packages of 20
// files, plus the application and npm's hidden lock file.
func nodeModulesName(i int) string {
	switch {
	case i == 0:
		return "node_modules/.package-lock.json"
	case i == 1:
		return "index.js"
	}
	pkg, f := i/20, i%20
	switch f {
	case 0:
		return fmt.Sprintf("node_modules/pkg-%04d/package.json", pkg)
	case 1:
		return fmt.Sprintf("node_modules/pkg-%04d/README.md", pkg)
	case 2:
		return fmt.Sprintf("node_modules/pkg-%04d/test/index.test.js", pkg)
	}
	return fmt.Sprintf("node_modules/pkg-%04d/lib/file%02d.js", pkg, f)
}

func nodeModulesBody(i int, size int) string {
	switch i {
	case 0:
		var b strings.Builder
		b.WriteString(`{"name":"fn","lockfileVersion":3,"packages":{"":{"name":"fn"}`)
		for p := range 1000 {
			fmt.Fprintf(&b, `,"node_modules/pkg-%04d":{"version":"1.%d.0","resolved":"https://registry.npmjs.org/pkg-%04d/-/pkg-%04d-1.%d.0.tgz","integrity":"sha512-%x"}`, p, p%10, p, p, p%10, uint64(p)*0x9e3779b97f4a7c15)
		}
		b.WriteString("}}")
		return b.String()
	case 1:
		return "exports.handler = async () => ({ statusCode: 200 });\n"
	}
	if i%20 == 0 {
		return fmt.Sprintf(`{"name":"pkg-%04d","version":"1.%d.0","main":"lib/file03.js"}`, i/20, (i/20)%10)
	}
	return sourceFile(i, size)
}

// BenchmarkNodeModules20k scans a package of 20,000 entries laid out like
// node_modules (about 60 MB).
func BenchmarkNodeModules20k(b *testing.B) {
	path, total := writeBenchZip(b, b.TempDir(), 20_000, nodeModulesName, func(i int) string { return nodeModulesBody(i, 3_000) })
	b.Logf("package: 20000 files, %.0f MB uncompressed", float64(total)/1e6)
	benchScan(b, path, total, func(b *testing.B, found, errs int) {
		if errs > 0 || found < 1000 {
			b.Fatalf("found %d, %d errors", found, errs)
		}
	})
}

// TestNodeModules20k checks that a legitimate 20,000-entry node_modules
// package fits the default limits and is read in full: every dependency
// and the junk and secret planted in its last files are found.
func TestNodeModules20k(t *testing.T) {
	path, _ := writeBenchZip(t, t.TempDir(), 20_002, func(i int) string {
		switch i {
		case 20_000:
			return "node_modules/pkg-0999/.env"
		case 20_001:
			return "src/zz-last.js"
		}
		return nodeModulesName(i)
	}, func(i int) string {
		if i == 20_001 {
			return "k = '" + tStripeKey + "'\n"
		}
		return nodeModulesBody(i, 200)
	})
	pkg, errs := ScanPackage(context.Background(), path, "fn.zip", Config{})
	if len(errs) > 0 {
		t.Fatal(errorsText(errs))
	}
	if len(pkg.Dependencies) != 1000 {
		t.Errorf("%d dependencies, want 1000", len(pkg.Dependencies))
	}
	if j := junkOf(pkg); len(j) != 1 || j["node_modules/pkg-0999/.env"] != RuleEnvFile {
		t.Errorf("junk = %v, want only the planted .env (tests in node_modules are not junk)", j)
	}
	var stripe bool
	for _, s := range pkg.Secrets {
		stripe = stripe || s.File == "src/zz-last.js"
	}
	if !stripe {
		t.Errorf("the secret in the last file was not found: %v", secretRules(pkg))
	}
}
