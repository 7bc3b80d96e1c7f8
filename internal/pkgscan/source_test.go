package pkgscan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

func TestFind(t *testing.T) {
	zip := string(zipBytes(t, []zfile{{name: "index.js", body: "x\n"}}))
	cases := []struct {
		name  string
		files map[string]string
		path  string // PATH relative to the temp dir ("" for the dir itself)
		want  []string
	}{
		{name: "zips under a project", files: map[string]string{"main.tf": "", "build/a.zip": zip, ".serverless/svc.zip": zip, "node_modules/x/y.zip": zip, "README.md": ""},
			want: []string{".serverless/svc.zip", "build/a.zip"}},
		{name: "package folder", files: map[string]string{"index.js": "", "package.json": "{}", "lib/util.js": "", "assets/fonts.zip": zip},
			want: []string{"."}},
		{name: "layer folder", files: map[string]string{"python/requests/__init__.py": ""}, want: []string{"."}},
		{name: "folder with IaC is not a package", files: map[string]string{"handler.py": "", "template.yaml": ""}, want: nil},
		{name: "folder of zips is not a package", files: map[string]string{"a.zip": zip, "b.zip": zip}, want: []string{"a.zip", "b.zip"}},
		{name: "git checkout is not a package", files: map[string]string{"index.js": "", ".git/HEAD": ""}, want: nil},
		{name: "zip named directly", files: map[string]string{"fn.zip": zip}, path: "fn.zip", want: []string{"fn.zip"}},
		{name: "jar named directly", files: map[string]string{"fn.jar": zip}, path: "fn.jar", want: []string{"fn.jar"}},
		{name: "other file named directly", files: map[string]string{"main.tf": ""}, path: "main.tf", want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tc.files)
			tree, err := scan.NewTree(context.Background(), filepath.Join(dir, tc.path))
			if err != nil {
				t.Fatal(err)
			}
			got, err := New(Config{}).Find(context.Background(), tree)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("Find = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	writeZip(t, dir, "build/fn.zip", []zfile{{name: ".env", body: "X=1\n"}})
	tree := &scan.Tree{Root: dir, Display: "proj", Files: []string{"build/fn.zip"}}
	inv := New(Config{}).Load(context.Background(), tree, "build/fn.zip", scan.LoadOptions{})
	if len(inv.Packages) != 1 || inv.Packages[0].Path != "proj/build/fn.zip" || len(inv.Packages[0].Junk) != 1 {
		t.Fatalf("packages = %+v", inv.Packages)
	}
	if !slices.Equal(inv.Sources, []inventory.Source{{Kind: inventory.PackageSource, Path: "proj/build/fn.zip"}}) {
		t.Errorf("sources = %v", inv.Sources)
	}
}

func TestLink(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	writeZip(t, root, "build/api.zip", []zfile{{name: ".env", body: "X=1\n"}})
	writeTree(t, root, map[string]string{"src/worker/handler.py": "k = '" + tAWSKeyID + "'\n", "layers/common/python/x.py": "x\n"})
	fn := func(id, name, path string) *inventory.Function {
		f := &inventory.Function{Item: inventory.Item{ID: id, Source: inventory.Terraform, Origin: "infra", Loc: srcloc.Location{File: "infra/main.tf", Line: 1}}}
		f.Name = inventory.Of(name, srcloc.Location{})
		f.Package = inventory.Of(inventory.PackageRef{Path: path}, srcloc.Location{File: "infra/main.tf", Line: 3})
		return f
	}
	layer := &inventory.LayerVersion{Item: inventory.Item{ID: "aws_lambda_layer_version.common", Origin: "infra"}}
	layer.Name = inventory.Of("common", srcloc.Location{})
	layer.Package = inventory.Of(inventory.PackageRef{Path: "layers/common"}, srcloc.Location{})
	image := fn("aws_lambda_function.img", "img", "")
	image.Package = inventory.Of(inventory.PackageRef{ImageURI: "x.dkr.ecr/x:1"}, srcloc.Location{})

	tree, err := scan.NewTree(context.Background(), ".")
	if err != nil {
		t.Fatal(err)
	}
	// The Source already read build/api.zip on its own.
	standalone, _ := ScanPackage(context.Background(), filepath.Join(root, "build/api.zip"), "build/api.zip", Config{})
	inv := &inventory.Inventory{
		Functions: []*inventory.Function{
			fn("aws_lambda_function.api", "api", "build/api.zip"),
			fn("aws_lambda_function.api2", "api2", "build/api.zip"),
			fn("aws_lambda_function.worker", "worker", "src/worker"),
			fn("aws_lambda_function.later", "later", "build/not-built.zip"),
			image,
		},
		Layers:   []*inventory.LayerVersion{layer},
		Packages: []*inventory.Package{standalone},
	}
	Link(context.Background(), []*scan.Tree{tree}, inv, Config{})

	got := map[string]*inventory.Package{}
	for _, p := range inv.Packages {
		ref, ok := p.Function.Get()
		if !ok {
			t.Errorf("package %s left unlinked", p.Path)
			continue
		}
		got[ref.Name] = p
	}
	if len(inv.Packages) != 5 {
		t.Errorf("%d packages, want 5 (api, api2, worker, later, common)", len(inv.Packages))
	}
	if p := got["api"]; p == nil || p.Path != "build/api.zip" || len(p.Junk) != 1 || p.Origin != "infra" {
		t.Errorf("api package = %+v", p)
	}
	if p := got["api2"]; p == nil || p.Path != "build/api.zip" {
		t.Errorf("api2 package = %+v", p)
	}
	if p := got["worker"]; p == nil || len(p.Secrets) != 1 || p.Secrets[0].File != "handler.py" {
		t.Errorf("worker package = %+v", p)
	}
	if p := got["later"]; p == nil || len(p.Junk) != 1 || p.Junk[0].Rule != RuleNotRead {
		t.Errorf("later package = %+v", p)
	}
	if p := got["common"]; p == nil || !p.IsLayer || p.Path != "layers/common" {
		t.Errorf("layer package = %+v", p)
	}
	if len(inv.Errors) > 0 {
		t.Errorf("errors: %s", errorsText(inv.Errors))
	}
	if _, err := os.Stat("build/api.zip"); err != nil {
		t.Fatal(err)
	}
}
