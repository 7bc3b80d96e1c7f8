package awslive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// SnapshotVersion is the version of the snapshot format.
const SnapshotVersion = 1

// snapshot is the file `lambdawarden inventory` writes.
type snapshot struct {
	Version   int                  `json:"lambdawarden_snapshot"`
	Inventory *inventory.Inventory `json:"inventory"`
}

// WriteSnapshot writes inv, normalized, as indented JSON: the same inventory
// always gives the same bytes.
func WriteSnapshot(w io.Writer, inv *inventory.Inventory) error {
	Normalize(inv)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(snapshot{Version: SnapshotVersion, Inventory: inv}); err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ReadSnapshot reads a snapshot written by WriteSnapshot.
func ReadSnapshot(r io.Reader) (*inventory.Inventory, error) {
	var s snapshot
	dec := json.NewDecoder(r)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	if s.Version != SnapshotVersion || s.Inventory == nil {
		return nil, fmt.Errorf("read snapshot: not a lambdawarden inventory snapshot (version %d, want %d)", s.Version, SnapshotVersion)
	}
	Normalize(s.Inventory)
	return s.Inventory, nil
}

// Normalize sorts every list of inv into a fixed order (by account, region
// and ID), so that output never depends on the order calls returned.
func Normalize(inv *inventory.Inventory) {
	sort.SliceStable(inv.Sources, func(i, j int) bool {
		if inv.Sources[i].Kind != inv.Sources[j].Kind {
			return inv.Sources[i].Kind < inv.Sources[j].Kind
		}
		return inv.Sources[i].Path < inv.Sources[j].Path
	})
	sortItems(inv.Functions, func(f *inventory.Function) inventory.Item { return f.Item })
	sortItems(inv.Roles, func(f *inventory.Role) inventory.Item { return f.Item })
	sortItems(inv.ManagedPolicies, func(f *inventory.ManagedPolicy) inventory.Item { return f.Item })
	sortItems(inv.Permissions, func(f *inventory.Permission) inventory.Item { return f.Item })
	sortItems(inv.FunctionURLs, func(f *inventory.FunctionURL) inventory.Item { return f.Item })
	sortItems(inv.Aliases, func(f *inventory.Alias) inventory.Item { return f.Item })
	sortItems(inv.EventInvokeConfigs, func(f *inventory.EventInvokeConfig) inventory.Item { return f.Item })
	sortItems(inv.CodeSigningConfigs, func(f *inventory.CodeSigningConfig) inventory.Item { return f.Item })
	sortItems(inv.LogGroups, func(f *inventory.LogGroup) inventory.Item { return f.Item })
	sortItems(inv.Alarms, func(f *inventory.Alarm) inventory.Item { return f.Item })
	sortItems(inv.Layers, func(f *inventory.LayerVersion) inventory.Item { return f.Item })
	sortItems(inv.LayerPermissions, func(f *inventory.LayerPermission) inventory.Item { return f.Item })
	sortItems(inv.Subnets, func(f *inventory.Subnet) inventory.Item { return f.Item })
	sortItems(inv.SecurityGroups, func(f *inventory.SecurityGroup) inventory.Item { return f.Item })
	sortItems(inv.APIRoutes, func(f *inventory.APIRoute) inventory.Item { return f.Item })
	sortItems(inv.Packages, func(f *inventory.Package) inventory.Item { return f.Item })
	sortItems(inv.Accounts, func(f *inventory.Account) inventory.Item { return f.Item })
	sort.SliceStable(inv.Errors, func(i, j int) bool {
		a, b := inv.Errors[i], inv.Errors[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Message < b.Message
	})
}

func sortItems[T any](s []T, item func(T) inventory.Item) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := item(s[i]), item(s[j])
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Origin < b.Origin
	})
}

// merge appends src's lists to dst.
func merge(dst, src *inventory.Inventory) {
	if src == nil {
		return
	}
	dst.Sources = append(dst.Sources, src.Sources...)
	dst.Functions = append(dst.Functions, src.Functions...)
	dst.Roles = append(dst.Roles, src.Roles...)
	dst.ManagedPolicies = append(dst.ManagedPolicies, src.ManagedPolicies...)
	dst.Permissions = append(dst.Permissions, src.Permissions...)
	dst.FunctionURLs = append(dst.FunctionURLs, src.FunctionURLs...)
	dst.Aliases = append(dst.Aliases, src.Aliases...)
	dst.EventInvokeConfigs = append(dst.EventInvokeConfigs, src.EventInvokeConfigs...)
	dst.CodeSigningConfigs = append(dst.CodeSigningConfigs, src.CodeSigningConfigs...)
	dst.LogGroups = append(dst.LogGroups, src.LogGroups...)
	dst.Alarms = append(dst.Alarms, src.Alarms...)
	dst.Layers = append(dst.Layers, src.Layers...)
	dst.LayerPermissions = append(dst.LayerPermissions, src.LayerPermissions...)
	dst.Subnets = append(dst.Subnets, src.Subnets...)
	dst.SecurityGroups = append(dst.SecurityGroups, src.SecurityGroups...)
	dst.APIRoutes = append(dst.APIRoutes, src.APIRoutes...)
	dst.Packages = append(dst.Packages, src.Packages...)
	dst.Accounts = append(dst.Accounts, src.Accounts...)
	dst.Waivers = append(dst.Waivers, src.Waivers...)
	dst.Errors = append(dst.Errors, src.Errors...)
}
