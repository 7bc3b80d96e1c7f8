package scan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func writeFiles(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewTree(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root,
		"main.tf", "modules/svc/main.tf", "b.yaml",
		".git/config", "node_modules/x/package.json", "modules/svc/.terraform/providers.json",
		"cdk.out/asset.123/index.js", "cdk.out/manifest.json",
		".serverless/cloudformation-template-update-stack.json",
	)
	if err := os.Symlink(filepath.Join(root, "main.tf"), filepath.Join(root, "link.tf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name        string
		root        string
		wantDisplay string
		wantFiles   []string
		wantIsFile  bool
		wantPath    string // DisplayPath("main.tf")
	}{
		{
			name:        "directory",
			root:        root,
			wantDisplay: filepath.Base(root),
			wantFiles: []string{
				".serverless/cloudformation-template-update-stack.json", "b.yaml",
				"cdk.out/manifest.json", "link.tf", "main.tf", "modules/svc/main.tf",
			},
			wantPath: filepath.Base(root) + "/main.tf",
		},
		{
			name:        "single file",
			root:        filepath.Join(root, "modules", "svc", "main.tf"),
			wantDisplay: "main.tf",
			wantFiles:   []string{"main.tf"},
			wantIsFile:  true,
			wantPath:    "main.tf",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := NewTree(context.Background(), tc.root)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Display != tc.wantDisplay || tr.IsFile != tc.wantIsFile {
				t.Errorf("Display, IsFile = %q, %v; want %q, %v", tr.Display, tr.IsFile, tc.wantDisplay, tc.wantIsFile)
			}
			if !slices.Equal(tr.Files, tc.wantFiles) {
				t.Errorf("Files = %q\nwant %q", tr.Files, tc.wantFiles)
			}
			if got := tr.DisplayPath("main.tf"); got != tc.wantPath {
				t.Errorf("DisplayPath = %q, want %q", got, tc.wantPath)
			}
		})
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct{ in, want string }{
		{".", "."},
		{"./examples", "examples"},
		{"examples/", "examples"},
		{"../infra/./main.tf", "../infra/main.tf"},
		{"/abs/path/infra", "infra"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := displayName(tc.in); got != tc.want {
				t.Errorf("displayName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNewTreeMissing(t *testing.T) {
	if _, err := NewTree(context.Background(), filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("NewTree on a missing path: want an error")
	}
}
