package cloudformation

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// loadTree finds and loads every template under root (a folder or file).
func loadTree(t testing.TB, root string, params ...string) *inventory.Inventory {
	t.Helper()
	ctx := context.Background()
	tree, err := scan.NewTree(ctx, root)
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

func TestDebugDump(t *testing.T) {
	p := os.Getenv("LW_CFN_DUMP")
	if p == "" {
		t.Skip("set LW_CFN_DUMP=PATH to dump the inventory of PATH")
	}
	abs, _ := filepath.Abs(p)
	inv := loadTree(t, abs)
	b, _ := json.MarshalIndent(inv, "", " ")
	os.Stdout.Write(b)
}

func TestDebugSummary(t *testing.T) {
	p := os.Getenv("LW_CFN_SUMMARY")
	if p == "" {
		t.Skip("set LW_CFN_SUMMARY=PATH to print the summary of PATH")
	}
	abs, _ := filepath.Abs(p)
	var params []string
	if s := os.Getenv("LW_CFN_PARAMS"); s != "" {
		params = strings.Fields(s)
	}
	inv := loadTree(t, abs, params...)
	for _, l := range summarize(inv) {
		fmt.Println(l)
	}
	for _, e := range inv.Errors {
		fmt.Printf("ERROR %s:%d %s\n", e.Source, e.Line, e.Message)
	}
}

func TestDebugFind(t *testing.T) {
	p := os.Getenv("LW_CFN_FIND")
	if p == "" {
		t.Skip("set LW_CFN_FIND=PATH to list the templates found under PATH")
	}
	abs, _ := filepath.Abs(p)
	tree, err := scan.NewTree(context.Background(), abs)
	if err != nil {
		t.Fatal(err)
	}
	found, err := New().Find(context.Background(), tree)
	fmt.Println(found, err)
}
