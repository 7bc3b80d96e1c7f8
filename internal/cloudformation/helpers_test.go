package cloudformation

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// loadTree finds and loads every template under root (a folder or file).
func loadTree(t testing.TB, root string, params ...string) *inventory.Inventory {
	t.Helper()
	ctx := context.Background()
	// An absolute root displays as its base name, as for a user who scans
	// the folder itself.
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := scan.NewTree(ctx, abs)
	if err != nil {
		t.Fatal(err)
	}
	src := New()
	inputs, err := src.Find(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	all := &inventory.Inventory{}
	for _, in := range inputs {
		inv := src.Load(ctx, tree, in, scan.LoadOptions{CFNParams: params})
		merge(all, inv)
	}
	sortInventory(all)
	return all
}

// merge appends every list of src to dst.
func merge(dst, src *inventory.Inventory) {
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := 0; i < d.NumField(); i++ {
		if d.Field(i).Kind() == reflect.Slice {
			d.Field(i).Set(reflect.AppendSlice(d.Field(i), s.Field(i)))
		}
	}
}
