package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkIAM01 is LW-IAM-01: one execution role per function.
func checkIAM01() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-IAM-01",
		Title:       "One execution role per function",
		Severity:    result.High,
		Controls:    []string{"CC6.1", "CC6.3"},
		Families:    fams,
		Semantics:   "FAIL on every function whose role is also the role of another function in the same inventory. The Serverless Framework's default shared role counts.",
		Remediation: "Give each function its own execution role holding only the permissions that function needs (in the Serverless Framework, set a per-function role, for example with the serverless-iam-roles-per-function plugin).",
		Run:         perFunctionPrepared(fams, prepareIAM01),
	}
}

// roleKey identifies an execution role across functions: the role item when
// it is in the inventory, else the ARN or name written.
type roleKey struct {
	role *inventory.Role
	ext  string
}

// roleKeyOf returns the function's role identity, or ok=false with the
// reason when the role is not known.
func roleKeyOf(env *Env, f *inventory.Function) (k roleKey, name string, ok bool, why string) {
	ref, known := f.Role.Get()
	switch {
	case f.Role.IsUnknown():
		return roleKey{}, "", false, "the execution role is " + f.Role.String()
	case !known || ref.IsZero():
		return roleKey{}, "", false, "the function has no execution role set"
	}
	if r := env.Index.Role(f.Origin, ref); r != nil {
		return roleKey{role: r}, roleDisplayName(r), true, ""
	}
	if ref.Name != "" {
		if strings.Contains(ref.Name, ":role/") {
			return roleKey{ext: ref.Name}, ref.Name, true, ""
		}
		return roleKey{ext: "name:" + ref.Name}, ref.Name, true, ""
	}
	return roleKey{ext: "id:" + f.Origin + "\x00" + ref.ID}, ref.ID, true, ""
}

// prepareIAM01 groups the inventory's functions by execution role once per
// run, so that each function's verdict is a lookup rather than a comparison
// with every other function.
func prepareIAM01(env *Env) FunctionEval {
	users := map[roleKey][]*inventory.Function{}
	for _, g := range env.Inventory().Functions {
		if k, _, ok, _ := roleKeyOf(env, g); ok {
			users[k] = append(users[k], g)
		}
	}
	return func(env *Env, f *inventory.Function) (Finding, bool) { return evalIAM01(env, f, users) }
}

// evalIAM01 fails a function whose role another function of the inventory
// also uses; users are the inventory's functions by role.
func evalIAM01(env *Env, f *inventory.Function, users map[roleKey][]*inventory.Function) (Finding, bool) {
	key, name, ok, why := roleKeyOf(env, f)
	if !ok {
		return Finding{Status: result.Unknown, Location: iamFirstLoc(f.Role.Loc), Message: "cannot tell whether the role is shared: " + why}, true
	}
	var others []string
	for _, g := range users[key] {
		if g != f {
			others = append(others, g.DisplayName())
		}
	}
	if len(others) == 0 {
		return Finding{Status: result.Pass, Message: fmt.Sprintf("execution role %q is used by this function only", name)}, true
	}
	slices.Sort(others)
	return Finding{
		Status:   result.Fail,
		Location: iamFirstLoc(f.Role.Loc),
		Message: fmt.Sprintf("execution role %q is shared with %d other %s: %s", name, len(others),
			iamPlural(len(others), "function", "functions"), iamList(others, 3)),
	}, true
}
