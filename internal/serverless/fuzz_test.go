package serverless

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// FuzzResolve feeds arbitrary service files through parsing, variable
// resolution and the builder: they must never panic or run away.
func FuzzResolve(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/serverless.yml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("service: s\nprovider: {name: aws}\nfunctions: {a: {handler: h, environment: {X: '${self:functions.a.environment.X}'}}}\n")
	f.Add("service: ${self:service}\ncustom: {a: '${self:custom.${self:custom.b}}', b: a}\nprovider: {name: aws, stage: '${sls:stage}'}\n")
	f.Add("x: ${opt:a, ${opt:b, ${env:C, 'd'}}}\nprovider: {name: aws}\n")
	lim := DefaultConfig().Limits
	lim.MaxSteps = 20000
	lim.MaxExpandedNodes = 20000
	lim.MaxStringBytes = 4096
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data string) {
		tpl, err := template.Parse("f.yml", []byte(data), lim.template())
		if err != nil {
			return
		}
		r := newResolver(context.Background(), "f.yml", dir, dir, tpl.Root, "", lim)
		b := newBuilder(r, "f.yml", dir)
		b.build()
		if r.steps > lim.MaxSteps+1 {
			t.Fatalf("resolution took %d steps", r.steps)
		}
	})
}
