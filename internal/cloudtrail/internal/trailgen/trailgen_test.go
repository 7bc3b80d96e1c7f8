package trailgen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	res, err := Generate(dir, Options{Total: 300 << 10, FileSize: 100 << 10, Seed: 7, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 3 || res.Uncompressed < 300<<10 || res.Compressed == 0 || res.Compressed >= res.Uncompressed {
		t.Errorf("result = %+v", res)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 3 || !strings.Contains(files[0], filepath.Join("AWSLogs", account, "CloudTrail")) || !strings.HasSuffix(files[0], ".json.gz") {
		t.Errorf("files = %q", files)
	}
	// Every file is a valid S3 delivery document, and a seed always gives
	// the same records.
	for i := range 3 {
		raw := File(7, i, 100<<10)
		var doc struct{ Records []map[string]any }
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("file %d: %v", i, err)
		}
		if len(doc.Records) < 10 {
			t.Errorf("file %d has %d records", i, len(doc.Records))
		}
		if !bytes.Equal(raw, File(7, i, 100<<10)) {
			t.Errorf("file %d is not deterministic", i)
		}
	}
}
