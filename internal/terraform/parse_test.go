package terraform

import (
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/lambdawarden/lambdawarden/internal/terraform/internal/gentree"
)

// trickyPieces have lines holding only "}" that do not end a top-level
// block, and other oddities at piece boundaries.
var trickyPieces = []string{
	"resource \"a\" \"b\" {\n  x = <<EOT\n}\nresource \"c\" \"d\" {\nEOT\n}\nresource \"e\" \"f\" {}\n",
	"resource \"a\" \"b\" {\n  x = <<-EOT\n  }\n  EOT\n}\n",
	"resource \"a\" \"b\" {}\n/* a comment\n}\nresource \"c\" \"d\" {\n*/\nresource \"e\" \"f\" {\n}\n",
	"resource \"a\" \"b\" {\n  x = \"${\n  1\n}\"\n}\nresource \"c\" \"d\" {\n}\n",
	"resource \"a\" \"b\" {\n  x = {\n}\n}\nresource \"c\" \"d\" {\n}\n",
	"resource \"a\" \"b\" {\n  x = [\n}\n]\n}\n",
	"a = 1\nresource \"a\" \"b\" {\n}\na = 2\n",
	"resource \"a\" \"b\" {\r\n  x = \"é\"\r\n}\r\nresource \"c\" \"d\" {\r\n}  \r\n",
	"\xef\xbb\xbfresource \"a\" \"b\" {\n}\nresource \"c\" \"d\" {\n}\n",
	"resource \"a\" \"b\" {\n}\n}\nresource \"c\" \"d\" {\n}\n",
	"resource \"a\" \"b\" {\n}\n# }\nresource \"c\" \"d\" {\n}\n",
	"resource \"a\" \"b\" {\n}\n\xef\xbb\xbfresource \"c\" \"d\" {\n}\n",
}

// TestParsePieces checks that parsing in pieces gives exactly the body that
// parsing whole gives, or declines: on the fixtures, a generated module,
// inputs where a line holding only "}" is not the end of a top-level block,
// and random mutations of all of these.
func TestParsePieces(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.tf"))
	mods, _ := filepath.Glob(filepath.Join("testdata", "*", "modules", "*", "*.tf"))
	files = append(files, mods...)
	var inputs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(b))
	}
	dir := t.TempDir()
	if err := gentree.Write(dir, gentree.Options{Functions: 12, URLEvery: 3, PerFile: 12}); err != nil {
		t.Fatal(err)
	}
	gen, err := os.ReadFile(filepath.Join(dir, "f0011.tf"))
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, string(gen))
	inputs = append(inputs, trickyPieces...)
	r := rand.New(rand.NewSource(1))
	const alphabet = "{}\"\n#/*$<>[]()=.a1 \\E"
	n := len(inputs)
	for i := 0; i < 400; i++ {
		s := []byte(inputs[r.Intn(n)])
		for k := 0; k < 1+r.Intn(3) && len(s) > 0; k++ {
			j := r.Intn(len(s))
			switch r.Intn(3) {
			case 0:
				s[j] = alphabet[r.Intn(len(alphabet))]
			case 1:
				s = append(s[:j], s[min(len(s), j+1+r.Intn(8)):]...)
			case 2:
				s = append(s[:j:j], append([]byte("\n}\n"), s[j:]...)...)
			}
		}
		inputs = append(inputs, string(s))
	}
	split := 0
	for i, src := range inputs {
		want, wantDiags := hclsyntax.ParseConfig([]byte(src), "main.tf", hcl.Pos{Line: 1, Column: 1})
		for _, size := range []int{1, 40, 200} {
			got := parsePieces([]byte(src), "main.tf", size)
			if got == nil {
				continue
			}
			if strings.Count(src, "\n}") > 1 {
				split++
			}
			if len(wantDiags) > 0 {
				t.Fatalf("input %d, size %d: pieces parse cleanly, the whole file has %v\n%s", i, size, wantDiags, src)
			}
			if !reflect.DeepEqual(got, want.Body) {
				t.Fatalf("input %d, size %d: pieces differ from the whole file\n%s", i, size, src)
			}
		}
		if body, diags := parseNative([]byte(src), "main.tf"); !reflect.DeepEqual(body, want.Body) || !reflect.DeepEqual(diags, wantDiags) {
			t.Fatalf("input %d: parseNative differs from hclsyntax.ParseConfig\n%s", i, src)
		}
	}
	if split < 100 {
		t.Errorf("only %d inputs were parsed in pieces", split)
	}
}

// FuzzParsePieces checks that parsing in pieces gives what parsing whole
// gives, or declines.
func FuzzParsePieces(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.tf"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range trickyPieces {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		want, wantDiags := hclsyntax.ParseConfig([]byte(src), "main.tf", hcl.Pos{Line: 1, Column: 1})
		got := parsePieces([]byte(src), "main.tf", 1)
		if got == nil {
			return
		}
		if len(wantDiags) > 0 {
			t.Fatalf("pieces parse cleanly, the whole file has %v", wantDiags)
		}
		if !reflect.DeepEqual(got, want.Body) {
			t.Fatal("pieces differ from the whole file")
		}
	})
}
