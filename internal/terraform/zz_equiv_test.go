package terraform

// Temporary equivalence harness (not committed): dumps inventories of many
// inputs as JSON so two versions of the loader can be compared.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/scan"
)

var equivExtra = []string{
	"resource \"aws_lambda_function\" \"h\" {\n  function_name = \"x\"\n  description = <<EOT\n}\nresource \"aws_iam_role\" \"bad\" {\n  name = \"y\"\n}\nEOT\n}\nresource \"aws_iam_role\" \"ok\" { name = \"z\" }\n",
	"resource \"aws_lambda_function\" \"h\" {\n  function_name = \"x\"\n  description = <<-EOT\n    }\n    resource \"a\" \"b\" {\n  EOT\n}\n/* comment }\nresource \"aws_iam_role\" \"c\" {\n*/\nresource \"aws_iam_role\" \"ok\" { name = \"${jsonencode({a = \"}\"})}\" }\n",
	"/* unterminated\nresource \"aws_iam_role\" \"r\" {}\n",
	"resource \"aws_iam_role\" \"r\" {\n  name = \"a\"\n}\n# c }\n// d {\nresource \"aws_iam_role\" \"s\" {\n  name = \"${\n  \"b\"\n  }\"\n}\n",
	"a = 1\nresource \"aws_iam_role\" \"r\" {}\nb = 2\n",
	"resource \"aws_iam_role\" \"r\" {}\nresource \"aws_iam_role\" \"r\" {}\n",
	"resource \"aws_iam_role\" \"r\" {\n}\n}\nresource \"aws_iam_role\" \"s\" {}\n",
	"\xef\xbb\xbfresource \"aws_iam_role\" \"r\" {}\r\nresource \"aws_iam_role\" \"s\" {\r\n  name = \"é\"\r\n}\r\n",
	"resource \"aws_iam_role\" \"r\" { name = \"a\" }\n\n\n",
	"resource \"aws_iam_role\" \"r\" { name = \"a\" }",
	"",
	"\n\n# only a comment\n",
	"resource \"aws_iam_role\" \"r\" {\n  name = <<EOT\nresource \"x\" \"y\" {\nEOT\n}\nresource \"aws_iam_role\" \"t\" {\n  name = \"q\"\n}\n",
	"locals {\n  a = {\n    b = \"}\"\n  }\n}\nresource \"aws_lambda_function\" \"f\" {\n  function_name = local.a.b\n}\n",
	"resource \"aws_iam_role\" \"r\" { name = \"a\" } resource \"aws_iam_role\" \"s\" {}\n",
	"resource \"aws_iam_role\" \"r\" {\n  name = \"a\"\n}\n  resource \"aws_iam_role\" \"s\" {\n  }\n",
	"resource \"aws_iam_role\" \"r\" {\n  name = \"a\\\"}\"\n}\nresource \"aws_iam_role\" \"s\" { name = \"%{ if true }x%{ endif }\" }\n",
}

func TestZZEquiv(t *testing.T) {
	out := os.Getenv("LW_EQUIV_OUT")
	if out == "" {
		t.Skip()
	}
	_ = os.MkdirAll(out, 0o755)
	dump := func(name string, v any) {
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, c := range []string{"basic", "expand", "literal", "malformed", "misc", "modules", "policydoc", "varprec", "waivers"} {
		tree := treeOf(t, filepath.Join("testdata", c), c)
		roots, _ := New().Find(ctx, tree)
		for i, r := range roots {
			dump(fmt.Sprintf("case-%s-%d", c, i), New().Load(ctx, tree, r, scan.LoadOptions{}))
			dump(fmt.Sprintf("case-%s-%d-opts", c, i), New().Load(ctx, tree, r, scan.LoadOptions{VarFiles: []string{filepath.Join("testdata", "varfiles", "prod.tfvars")}, Vars: []string{"g=cli", "n=7", "stage=dev"}}))
		}
	}
	for _, tr := range []string{"/tmp/lwperf/tree", "/tmp/lwperf/tree-url"} {
		tree := treeOf(t, tr, "gen")
		dump("gen-"+filepath.Base(tr), New().Load(ctx, tree, ".", scan.LoadOptions{}))
	}
	var seeds []string
	for _, c := range []string{"basic", "expand", "policydoc", "literal", "misc", "waivers", "malformed", "modules"} {
		files, _ := filepath.Glob(filepath.Join("testdata", c, "*.tf"))
		for _, p := range files {
			b, _ := os.ReadFile(p)
			seeds = append(seeds, string(b))
		}
	}
	seeds = append(seeds, equivExtra...)
	gen, _ := os.ReadFile("/tmp/lwperf/tree-url/f0099.tf")
	seeds = append(seeds, string(gen[:20000]))
	dir := "/tmp/lwperf/equivdir"
	one := func(name, src string) {
		root := filepath.Join(dir, "m")
		_ = os.RemoveAll(root)
		_ = os.MkdirAll(root, 0o755)
		_ = os.WriteFile(filepath.Join(root, "main.tf"), []byte(src), 0o644)
		tree := &scan.Tree{Root: root, Display: "m", Files: []string{"main.tf"}}
		dump(name, New().Load(ctx, tree, ".", scan.LoadOptions{}))
	}
	for i, s := range seeds {
		one(fmt.Sprintf("seed-%03d", i), s)
	}
	r := rand.New(rand.NewSource(1))
	n := 3000
	for i := 0; i < n; i++ {
		s := []byte(seeds[r.Intn(len(seeds))])
		if len(s) == 0 {
			continue
		}
		for k := 0; k < 1+r.Intn(4); k++ {
			switch r.Intn(4) {
			case 0:
				j := r.Intn(len(s))
				s[j] = "{}\"\n#/*$<>[]()=.a1 \\"[r.Intn(20)]
			case 1:
				j := r.Intn(len(s))
				s = append(s[:j], s[min(len(s), j+r.Intn(20)):]...)
			case 2:
				j := r.Intn(len(s))
				o := seeds[r.Intn(len(seeds))]
				if len(o) == 0 {
					continue
				}
				a := r.Intn(len(o))
				b := min(len(o), a+r.Intn(200))
				s = append(s[:j:j], append([]byte(o[a:b]), s[j:]...)...)
			case 3:
				o := seeds[r.Intn(len(seeds))]
				s = append(s, o...)
			}
			if len(s) == 0 {
				break
			}
		}
		one(fmt.Sprintf("mut-%04d", i), string(s))
	}
}
