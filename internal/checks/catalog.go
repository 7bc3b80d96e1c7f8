package checks

import "sort"

// Catalog returns every check, sorted by ID. Each call builds fresh values,
// so callers may not share state through it.
func Catalog() []*Check {
	var all []*Check
	all = append(all, iamChecks()...)
	all = append(all, otherChecks()...)
	all = append(all, packageChecks()...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// ByID returns the catalog entry with the given ID, or nil.
func ByID(catalog []*Check, id string) *Check {
	for _, c := range catalog {
		if c.ID == id {
			return c
		}
	}
	return nil
}
