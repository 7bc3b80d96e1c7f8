package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
		want    []string // lines of the generated table
	}{
		{
			name: "ok",
			json: `{"status_as_of":"2026-11-21","sources":[{"id":"s","what":"w","from":"f","licence":"l"}],"runtimes":[
				{"identifier":"zz1","name":"ZZ 1","language":"ZZ","deprecation_date":null,"block_function_create_date":null,"block_function_update_date":null,"container_image_only":false,"status":"unlisted"},
				{"identifier":"aa1","name":"AA 1","language":"AA","deprecation_date":"2024-01-02","block_function_create_date":"2024-02-03","block_function_update_date":null,"container_image_only":true,"status":"supported"}]}`,
			want: []string{"aa1\tAA\tAA 1\t2024-01-02\t2024-02-03\t-\t1", "zz1\tZZ\tZZ 1\t-\t-\t-\t0"},
		},
		{name: "bad date", json: `{"runtimes":[{"identifier":"a","deprecation_date":"2024-13-01"}]}`, wantErr: "date"},
		{name: "duplicate", json: `{"runtimes":[{"identifier":"a"},{"identifier":"a"}]}`, wantErr: "twice"},
		{name: "empty", json: `{"runtimes":[]}`, wantErr: "no runtimes"},
		{name: "not json", json: `{`, wantErr: "decode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "in.json")
			if err := os.WriteFile(in, []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			out, note := filepath.Join(dir, "out.tsv"), filepath.Join(dir, "NOTE.md")
			err := run(in, out, note)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("run() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var rows []string
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if !strings.HasPrefix(l, "#") {
					rows = append(rows, l)
				}
			}
			if strings.Join(rows, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("table rows\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(tc.want, "\n"))
			}
			n, err := os.ReadFile(note)
			if err != nil || !strings.Contains(string(n), "sha256") || !strings.Contains(string(n), "2 runtimes") {
				t.Errorf("provenance note %q, %v", n, err)
			}
		})
	}
}
