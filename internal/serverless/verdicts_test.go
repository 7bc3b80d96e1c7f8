package serverless

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// loadGenerated loads the template osls generated with the CloudFormation
// source, as a user scanning only that file would.
func loadGenerated(t *testing.T, file string) *inventory.Inventory {
	t.Helper()
	ctx := context.Background()
	tr, err := scan.NewTree(ctx, filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	src := cloudformation.New()
	inputs, err := src.Find(ctx, tr)
	if err != nil {
		t.Fatal(err)
	}
	// The folder also holds the create-stack template and
	// serverless-state.json (which embeds the template); only the
	// update-stack template is the one deployed and the one the Serverless
	// source prefers.
	name := filepath.Base(file)
	if !slices.Contains(inputs, name) {
		t.Fatalf("the CloudFormation source does not recognise %s (found %q)", file, inputs)
	}
	inv := src.Load(ctx, tr, name, scan.LoadOptions{})
	if len(inv.Errors) > 0 {
		t.Errorf("generated template: %d load errors: %v", len(inv.Errors), inv.Errors)
	}
	return inv
}

// oracleNow is the fixed scan date of the differential tests, so runtime
// deprecation verdicts do not change with the calendar.
var oracleNow = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
