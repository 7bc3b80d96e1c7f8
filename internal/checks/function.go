package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// FunctionResource is the result resource for a function.
func FunctionResource(f *inventory.Function) result.Resource {
	return result.Resource{
		Kind:    result.KindFunction,
		ID:      f.ID,
		Name:    f.DisplayName(),
		ARN:     f.ARN,
		Account: f.Account,
		Region:  f.Region,
	}
}

// FunctionEval is a function-level check's logic: the finding for f, or
// ok=false when the check yields no result for f. A finding's zero Resource
// is filled with f, and its zero Location with f's.
type FunctionEval func(env *Env, f *inventory.Function) (fd Finding, ok bool)

// perFunction runs eval on every function whose source is in families.
func perFunction(families []inventory.Family, eval FunctionEval) func(*Env) []Finding {
	return func(env *Env) []Finding {
		var out []Finding
		for _, f := range env.Inventory().Functions {
			if !hasFamily(families, f.Source.Family()) {
				continue
			}
			fd, ok := eval(env, f)
			if !ok {
				continue
			}
			if fd.Resource == (result.Resource{}) {
				fd.Resource = FunctionResource(f)
			}
			if fd.Location.IsZero() {
				fd.Location = f.Loc
			}
			out = append(out, fd)
		}
		return out
	}
}

// perFunctionPrepared is perFunction for checks that index the inventory
// once per run: prepare builds the per-function logic (over what it
// indexed) before any function is judged. The index lives in the closure of
// one Run, so runs share nothing.
func perFunctionPrepared(families []inventory.Family, prepare func(env *Env) FunctionEval) func(*Env) []Finding {
	return func(env *Env) []Finding {
		return perFunction(families, prepare(env))(env)
	}
}

func hasFamily(fams []inventory.Family, f inventory.Family) bool {
	for _, x := range fams {
		if x == f {
			return true
		}
	}
	return false
}

// Column sets of the catalog, as functions so no caller can change them.

// iacAndLive is TF, CFN, SLS and LIVE.
func iacAndLive() []inventory.Family {
	return []inventory.Family{inventory.FamilyTF, inventory.FamilyCFN, inventory.FamilySLS, inventory.FamilyLIVE}
}

// liveOnly is LIVE.
func liveOnly() []inventory.Family { return []inventory.Family{inventory.FamilyLIVE} }

// packageFamilies is TF, CFN, SLS (a local package they point at) and PKG.
func packageFamilies() []inventory.Family {
	return []inventory.Family{inventory.FamilyTF, inventory.FamilyCFN, inventory.FamilySLS, inventory.FamilyPKG}
}
