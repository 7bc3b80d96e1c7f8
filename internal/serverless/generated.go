package serverless

import (
	"context"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// loadGenerated loads the template `serverless package` generated beside the
// service file, with the configured CloudFormation loader, and renames the
// functions' logical IDs (<Key>LambdaFunction) back to the function keys, so
// results name the functions as the service file does.
func (s *Source) loadGenerated(ctx context.Context, t *scan.Tree, input, genInput string, opts scan.LoadOptions) *inventory.Inventory {
	inv := s.cfg.LoadTemplate(ctx, t, genInput, opts)
	if inv == nil {
		inv = &inventory.Inventory{}
	}
	keys := s.functionKeys(t, input)
	rename := map[string]string{}
	for _, k := range keys {
		rename[lambdaLogicalID(k)] = k
	}
	fix := func(it *inventory.Item) {
		if k, ok := rename[it.ID]; ok {
			it.ID = k
		}
		it.Source = inventory.Serverless
	}
	fixRef := func(v *inventory.Value[inventory.Ref]) {
		if k, ok := rename[v.V.ID]; ok {
			v.V.ID = k
		}
	}
	for _, f := range inv.Functions {
		fix(&f.Item)
	}
	for _, x := range inv.Roles {
		fix(&x.Item)
	}
	for _, x := range inv.ManagedPolicies {
		fix(&x.Item)
	}
	for _, x := range inv.Permissions {
		fix(&x.Item)
		fixRef(&x.Function)
	}
	for _, x := range inv.FunctionURLs {
		fix(&x.Item)
		fixRef(&x.Function)
	}
	for _, x := range inv.Aliases {
		fix(&x.Item)
		fixRef(&x.Function)
	}
	for _, x := range inv.EventInvokeConfigs {
		fix(&x.Item)
		fixRef(&x.Function)
	}
	for _, x := range inv.APIRoutes {
		fix(&x.Item)
		fixRef(&x.Function)
	}
	for _, x := range inv.Packages {
		fix(&x.Item)
		fixRef(&x.Function)
	}
	for _, x := range inv.CodeSigningConfigs {
		fix(&x.Item)
	}
	for _, x := range inv.LogGroups {
		fix(&x.Item)
	}
	for _, x := range inv.Alarms {
		fix(&x.Item)
	}
	for _, x := range inv.Layers {
		fix(&x.Item)
	}
	for _, x := range inv.LayerPermissions {
		fix(&x.Item)
	}
	for i := range inv.Waivers {
		if k, ok := rename[inv.Waivers[i].ResourceID]; ok {
			inv.Waivers[i].ResourceID = k
		}
	}
	// The framework does not write the functions' `lambdawarden: {ignore}`
	// keys into the template: the inline waivers come from the service file.
	inv.Waivers = append(inv.Waivers, s.loadService(ctx, t, input, opts).Waivers...)
	inv.Sources = []inventory.Source{{Kind: inventory.Serverless, Path: displayPath(t, genInput)}}
	return inv
}

// functionKeys reads the function keys of a service file without resolving
// variables (keys are literal in practice); on any problem it returns what
// it found.
func (s *Source) functionKeys(t *scan.Tree, input string) []string {
	data, err := readLimited(diskPath(t, input), s.cfg.Limits.MaxBytes)
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil
	}
	var keys []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "functions" {
			continue
		}
		fns := root.Content[i+1]
		if fns.Kind == yaml.MappingNode {
			for j := 0; j < len(fns.Content); j += 2 {
				keys = append(keys, fns.Content[j].Value)
			}
		}
	}
	return keys
}
