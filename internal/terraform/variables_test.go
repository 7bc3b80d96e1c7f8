package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestAppendVariables checks appendVariables against Expression.Variables
// on every attribute of the fixtures and on expressions of every kind.
func TestAppendVariables(t *testing.T) {
	var exprs []hcl.Expression
	var walk func(b *hclsyntax.Body)
	walk = func(b *hclsyntax.Body) {
		for _, a := range b.Attributes {
			exprs = append(exprs, a.Expr)
		}
		for _, blk := range b.Blocks {
			walk(blk.Body)
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.tf"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, _ := hclsyntax.ParseConfig(src, f, hcl.Pos{Line: 1, Column: 1})
		walk(file.Body.(*hclsyntax.Body))
	}
	for _, src := range []string{
		`{ a = b, (c) = d, "e" = f, g.h = i, null = j, "${k}" = l }`,
		`[for x in var.list : x.y if x.z == local.w]`,
		`{ for k, v in var.m : k => v.a... }`,
		`var.list[*].name`,
		`var.a ? local.b : data.c.d.e`,
		`-var.n + local.m * 2`,
		`"a ${var.b} %{ for x in local.c }${x}${var.d}%{ endfor } %{ if var.e }y%{ else }${z}%{ endif }"`,
		`jsonencode({ Statement = [{ Resource = aws_s3_bucket.b.arn }] })`,
		`try(aws_lambda_function.f[0].arn, "")`,
		`(var.x)`,
		`module.m.out["k"]`,
		`aws_iam_role.r.*.arn`,
		`"plain"`,
		"<<EOT\nhello ${var.who}\nEOT\n",
	} {
		e, diags := hclsyntax.ParseExpression([]byte(src), "x.tf", hcl.Pos{Line: 1, Column: 1})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", src, diags)
		}
		exprs = append(exprs, e)
	}
	if len(exprs) < 100 {
		t.Fatalf("only %d expressions", len(exprs))
	}
	for _, e := range exprs {
		if got, want := appendVariables(nil, e), e.Variables(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", e.Range(), got, want)
		}
	}
}
