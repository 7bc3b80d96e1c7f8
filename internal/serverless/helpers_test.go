package serverless

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// quietConfig is DefaultConfig with logs discarded.
func quietConfig() Config {
	c := DefaultConfig()
	c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return c
}

// tree lists the files under dir as scan does.
func tree(t testing.TB, dir string) *scan.Tree {
	t.Helper()
	tr := &scan.Tree{Root: dir, Display: filepath.Base(dir)}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			tr.Files = append(tr.Files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(tr.Files)
	return tr
}

// loadDir finds and loads the services under dir with cfg.
func loadDir(t testing.TB, dir string, cfg Config, opts scan.LoadOptions) *inventory.Inventory {
	t.Helper()
	src := NewWithConfig(cfg)
	tr := tree(t, dir)
	inputs, err := src.Find(context.Background(), tr)
	if err != nil {
		t.Fatal(err)
	}
	all := &inventory.Inventory{}
	for _, in := range inputs {
		inv := src.Load(context.Background(), tr, in, opts)
		merge(all, inv)
	}
	return all
}

func merge(dst, src *inventory.Inventory) {
	dst.Sources = append(dst.Sources, src.Sources...)
	dst.Functions = append(dst.Functions, src.Functions...)
	dst.Roles = append(dst.Roles, src.Roles...)
	dst.ManagedPolicies = append(dst.ManagedPolicies, src.ManagedPolicies...)
	dst.Permissions = append(dst.Permissions, src.Permissions...)
	dst.FunctionURLs = append(dst.FunctionURLs, src.FunctionURLs...)
	dst.Aliases = append(dst.Aliases, src.Aliases...)
	dst.EventInvokeConfigs = append(dst.EventInvokeConfigs, src.EventInvokeConfigs...)
	dst.LogGroups = append(dst.LogGroups, src.LogGroups...)
	dst.Alarms = append(dst.Alarms, src.Alarms...)
	dst.APIRoutes = append(dst.APIRoutes, src.APIRoutes...)
	dst.Waivers = append(dst.Waivers, src.Waivers...)
	dst.Errors = append(dst.Errors, src.Errors...)
}

func function(inv *inventory.Inventory, id string) *inventory.Function {
	for _, f := range inv.Functions {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func dumpJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func errorsText(inv *inventory.Inventory) string {
	var s []string
	for _, e := range inv.Errors {
		s = append(s, e.Source+":"+itoa(e.Line)+": "+e.Message)
	}
	return strings.Join(s, "\n")
}

var srclocZero = srcloc.Location{}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t testing.TB, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
