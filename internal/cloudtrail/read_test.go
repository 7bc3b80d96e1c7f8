package cloudtrail

import (
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, path, content string, gz bool) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !gz {
		f.WriteString(content)
		return
	}
	zw := gzip.NewWriter(f)
	zw.Write([]byte(content))
	zw.Close()
}

func rec(name, time string) string {
	return `{"eventTime":"` + time + `","eventSource":"s3.amazonaws.com","eventName":"` + name + `"}`
}

func TestFilesAndRead(t *testing.T) {
	dir := t.TempDir()
	day := filepath.Join(dir, "AWSLogs", "123456789012", "CloudTrail", "us-east-1", "2026", "08", "20")
	writeFile(t, filepath.Join(day, "a.json.gz"), `{"Records":[`+rec("A", "2026-08-20T10:00:00Z")+`,`+rec("B", "2026-08-21T10:00:00Z")+`]}`, true)
	writeFile(t, filepath.Join(day, "b.json"), `{"Records":[`+rec("C", "2026-08-22T10:00:00Z")+`]}`, false)
	writeFile(t, filepath.Join(day, "c.jsonl"), rec("D", "2026-08-23T10:00:00Z")+"\n"+rec("E", "2026-08-24T10:00:00Z")+"\n", false)
	writeFile(t, filepath.Join(day, "broken.json.gz"), "{\"Records\":[\n"+rec("F", "2026-08-25T10:00:00Z")+",\n{oops}]}", true)
	writeFile(t, filepath.Join(day, "truncated.json.gz"), `{"Records":[`+rec("G", "2026-08-26T10:00:00Z"), true)
	writeFile(t, filepath.Join(day, "notes.txt"), "not a log", false)
	writeFile(t, filepath.Join(dir, "AWSLogs", "123456789012", "CloudTrail-Digest", "us-east-1", "d.json.gz"), `{"digest":1}`, true)
	writeFile(t, filepath.Join(dir, ".hidden", "h.json"), `{"Records":[`+rec("H", "2026-08-20T10:00:00Z")+`]}`, false)
	named := filepath.Join(dir, "explicit.log")
	writeFile(t, named, rec("I", "2026-08-20T10:00:00Z"), false)

	files, errs := Files([]string{dir, named, filepath.Join(dir, "missing")})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "missing") {
		t.Errorf("errors = %v", errs)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if want := []string{"a.json.gz", "b.json", "broken.json.gz", "c.jsonl", "truncated.json.gz", "explicit.log"}; !slices.Equal(names, want) {
		t.Fatalf("files = %q, want %q", names, want)
	}

	tests := []struct {
		name         string
		opts         ReadOptions
		want         []string
		outOfRange   int64
		brokenAtLine int
	}{
		{"everything", ReadOptions{Workers: 3}, []string{"A", "B", "C", "D", "E", "F", "G", "I"}, 0, 3},
		{"since and until", ReadOptions{Workers: 1, Since: time.Date(2026, 8, 21, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 8, 23, 10, 0, 0, 0, time.UTC)},
			[]string{"B", "C", "D"}, 5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([][]string, tt.opts.WorkerCount())
			st, errs := Read(context.Background(), files, tt.opts, func(w int, r *Record) {
				got[w] = append(got[w], string(r.EventName))
			})
			all := slices.Concat(got...)
			slices.Sort(all)
			if !slices.Equal(all, tt.want) {
				t.Errorf("records = %q, want %q", all, tt.want)
			}
			if st.Files != len(files) || st.OutOfRange != tt.outOfRange || st.Records != 8 {
				t.Errorf("stats = %+v", st)
			}
			if len(errs) != 2 {
				t.Fatalf("errors = %v, want broken and truncated", errs)
			}
			var fe *FileError
			if !errors.As(errs[0], &fe) || filepath.Base(fe.Path) != "broken.json.gz" || fe.Line != tt.brokenAtLine {
				t.Errorf("first error = %v (line %d)", errs[0], fe.Line)
			}
			if !errors.As(errs[1], &fe) || filepath.Base(fe.Path) != "truncated.json.gz" || !strings.Contains(fe.Error(), "unexpected end of input") {
				t.Errorf("second error = %v", errs[1])
			}
		})
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errs := Read(ctx, []string{constructedSample}, ReadOptions{}, func(int, *Record) {})
	if len(errs) == 0 || !errors.Is(errs[len(errs)-1], context.Canceled) {
		t.Errorf("errors = %v, want context.Canceled", errs)
	}
}

func TestReadCorruptGzip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json.gz")
	writeFile(t, path, "\x1f\x8b\x08\x00garbage", false)
	_, errs := Read(context.Background(), []string{path}, ReadOptions{}, func(int, *Record) {})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "bad.json.gz") {
		t.Errorf("errors = %v", errs)
	}
}
