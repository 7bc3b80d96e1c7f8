package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// FuzzLoad loads arbitrary HCL as a root module: it must never panic, and
// no expression may need the evaluator's panic guard.
func FuzzLoad(f *testing.F) {
	for _, c := range []string{"basic", "expand", "policydoc", "literal", "misc", "waivers", "malformed"} {
		files, _ := filepath.Glob(filepath.Join("testdata", c, "*.tf"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Add(`locals { a = local.b
 b = local.a }
resource "aws_lambda_function" "f" { function_name = local.a
 count = length(local.b) }`)
	f.Add(`resource "aws_lambda_function" "f" { for_each = aws_lambda_function.f
 function_name = each.key }`)
	f.Add(`module "m" { source = "./" }`)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src string) {
		root := filepath.Join(dir, "m")
		_ = os.RemoveAll(root)
		if err := os.MkdirAll(root, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		tree := &scan.Tree{Root: root, Display: "m", Files: []string{"main.tf"}}
		// A small input that takes this long is a hang, not slowness.
		timer := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("Load hangs on %q", src)) })
		inv := New().Load(context.Background(), tree, ".", scan.LoadOptions{})
		timer.Stop()
		for _, e := range inv.Errors {
			if strings.HasPrefix(e.Message, "internal error") {
				t.Fatalf("%s:%d: %s", e.Source, e.Line, e.Message)
			}
		}
	})
}
