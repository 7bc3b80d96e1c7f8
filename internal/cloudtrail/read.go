package cloudtrail

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// ReadOptions say which records to read and how.
type ReadOptions struct {
	// Since and Until bound eventTime, both inclusive; zero means unbounded.
	// A record without a readable eventTime is dropped when either is set.
	Since, Until time.Time
	// Workers bounds how many files are decoded at once (default GOMAXPROCS).
	Workers int
}

// WorkerCount is the number of workers Read uses: visit's w is below it.
func (o ReadOptions) WorkerCount() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Stats count what Read read.
type Stats struct {
	Files   int
	Bytes   int64 // decompressed
	Records int64 // decoded
	// OutOfRange are records dropped by Since/Until.
	OutOfRange int64
}

func (s *Stats) add(o Stats) {
	s.Files += o.Files
	s.Bytes += o.Bytes
	s.Records += o.Records
	s.OutOfRange += o.OutOfRange
}

// FileError is a file that could not be read to its end. The records
// before the problem were read.
type FileError struct {
	Path string
	// Line and Offset locate a syntax error (0 otherwise).
	Line   int
	Offset int64
	Err    error
}

func (e *FileError) Error() string { return fmt.Sprintf("read %s: %v", e.Path, e.Err) }

func (e *FileError) Unwrap() error { return e.Err }

// Files returns the CloudTrail log files under paths, sorted. A file named
// in paths is always taken. A directory is walked recursively for
// *.json, *.jsonl and *.ndjson files, gzip-compressed (.gz) or not;
// CloudTrail-Digest folders (signed digests, no records) and hidden
// folders are left out. A path that cannot be read is an error; the
// others are still listed.
func Files(paths []string) ([]string, []error) {
	var files []string
	var errs []error
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil {
			errs = append(errs, &FileError{Path: root, Err: err})
			continue
		}
		if !fi.IsDir() {
			files = append(files, root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &FileError{Path: path, Err: err})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != root && (strings.HasPrefix(name, ".") || name == "CloudTrail-Digest") {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && isLogName(name) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, &FileError{Path: root, Err: err})
		}
	}
	sort.Strings(files)
	files = compactStrings(files)
	return files, errs
}

func isLogName(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".GZ"))
	return strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".ndjson")
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Read decodes every record of files with a bounded pool of workers and
// calls visit for each record within Since/Until. w is the worker's index
// (below opts.WorkerCount()): calls with the same w never overlap, so a
// caller keeps per-worker aggregates without locking. rec is only valid
// during the call.
//
// A file that cannot be read to its end gives a *FileError (its records
// before the problem are still visited); the other files are read. Errors
// are sorted by path. Read stops early, returning ctx.Err() among the
// errors, when ctx is cancelled.
func Read(ctx context.Context, files []string, opts ReadOptions, visit func(w int, rec *Record)) (Stats, []error) {
	workers := min(opts.WorkerCount(), max(len(files), 1))
	next := make(chan int)
	stats := make([]Stats, workers)
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := newFileReader(opts)
			for i := range next {
				st, err := rd.read(ctx, files[i], func(rec *Record) { visit(w, rec) })
				stats[w].add(st)
				errs[i] = err
			}
		}()
	}
	var ctxErr error
feed:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			ctxErr = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	var total Stats
	for _, s := range stats {
		total.add(s)
	}
	var out []error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			out = append(out, err)
		}
	}
	if ctxErr == nil {
		ctxErr = ctx.Err()
	}
	if ctxErr != nil {
		out = append(out, ctxErr)
	}
	return total, out
}

// fileReader is one worker's reusable state: a read buffer, a gzip reader
// and a decoder with its window.
type fileReader struct {
	opts ReadOptions
	br   *bufio.Reader
	gz   *gzip.Reader
	dec  *Decoder
	rec  Record
}

func newFileReader(opts ReadOptions) *fileReader {
	return &fileReader{opts: opts, br: bufio.NewReaderSize(nil, 256<<10), dec: NewDecoder(nil)}
}

// read decodes one file.
func (fr *fileReader) read(ctx context.Context, path string, visit func(*Record)) (st Stats, err error) {
	st.Files = 1
	f, err := os.Open(path)
	if err != nil {
		return st, &FileError{Path: path, Err: err}
	}
	defer f.Close()
	fr.br.Reset(f)
	var src io.Reader = fr.br
	if magic, _ := fr.br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		if fr.gz == nil {
			fr.gz, err = gzip.NewReader(fr.br)
		} else {
			err = fr.gz.Reset(fr.br)
		}
		if err != nil {
			return st, &FileError{Path: path, Err: fmt.Errorf("gzip: %w", err)}
		}
		src = fr.gz
	}
	fr.dec.Reset(src)
	bounded := !fr.opts.Since.IsZero() || !fr.opts.Until.IsZero()
	for n := 0; ; n++ {
		if n&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		err := fr.dec.Next(&fr.rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			st.Bytes = fr.dec.InputOffset()
			fe := &FileError{Path: path, Err: err}
			var se *SyntaxError
			if errors.As(err, &se) {
				fe.Line, fe.Offset = se.Line, se.Offset
			}
			return st, fe
		}
		st.Records++
		if bounded {
			t, ok := fr.rec.Time()
			if !ok || (!fr.opts.Since.IsZero() && t.Before(fr.opts.Since)) || (!fr.opts.Until.IsZero() && t.After(fr.opts.Until)) {
				st.OutOfRange++
				continue
			}
		}
		visit(&fr.rec)
	}
	st.Bytes = fr.dec.InputOffset()
	return st, nil
}
