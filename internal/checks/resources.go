package checks

// Helpers shared by the INV, SEC, LOG, RUN, NET, CHG, ACC, EXP and TAG
// checks: collecting the evidence of one check on one resource, naming
// resources that live outside the inventory's functions, resolving
// references between items.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// verdict collects what one check found about one resource: any failure
// makes it FAIL (at the first failure's location), else any unresolved
// input makes it UNKNOWN, else it passes.
type verdict struct {
	fails    []verdictNote
	unknowns []verdictNote
}

type verdictNote struct {
	loc srcloc.Location
	msg string
}

func (v *verdict) fail(loc srcloc.Location, format string, args ...any) {
	v.fails = append(v.fails, verdictNote{loc, fmt.Sprintf(format, args...)})
}

func (v *verdict) unknown(loc srcloc.Location, format string, args ...any) {
	v.unknowns = append(v.unknowns, verdictNote{loc, fmt.Sprintf(format, args...)})
}

func (v *verdict) failed() bool { return len(v.fails) > 0 }

// finding turns the verdict into a finding; passMsg says why it passes.
// The location is left zero when nothing points elsewhere, so the runner
// fills in the resource's own.
func (v *verdict) finding(passMsg string) Finding {
	switch {
	case len(v.fails) > 0:
		return Finding{Status: result.Fail, Location: v.fails[0].loc, Message: joinNotes(v.fails)}
	case len(v.unknowns) > 0:
		return Finding{Status: result.Unknown, Location: v.unknowns[0].loc, Message: joinNotes(v.unknowns)}
	}
	return Finding{Status: result.Pass, Message: passMsg}
}

func joinNotes(ns []verdictNote) string {
	msgs := make([]string, len(ns))
	for i, n := range ns {
		msgs[i] = n.msg
	}
	return strings.Join(msgs, "; ")
}

func passFinding(msg string) Finding { return Finding{Status: result.Pass, Message: msg} }

func failFinding(loc srcloc.Location, format string, args ...any) Finding {
	return Finding{Status: result.Fail, Location: loc, Message: fmt.Sprintf(format, args...)}
}

func unknownFinding(loc srcloc.Location, format string, args ...any) Finding {
	return Finding{Status: result.Unknown, Location: loc, Message: fmt.Sprintf(format, args...)}
}

// firstLoc returns the first non-zero location.
func firstLoc(locs ...srcloc.Location) srcloc.Location {
	for _, l := range locs {
		if !l.IsZero() {
			return l
		}
	}
	return srcloc.Location{}
}

// whyUnknown is the reason an unknown value gives, or a generic one.
func whyUnknown[T any](v inventory.Value[T]) string {
	if v.Why != "" {
		return v.Why
	}
	return "it cannot be resolved"
}

// refFunctionName is the function a reference names: the name in a name or
// ARN, else the inventory ID; empty when unknown.
func refFunctionName(ref inventory.Value[inventory.Ref]) string {
	r, ok := ref.Get()
	if !ok {
		return ""
	}
	if r.Name != "" {
		return inventory.FunctionNameFromARN(r.Name)
	}
	return r.ID
}

// permissionResource is the result resource of a permission whose function
// is not in the inventory.
func permissionResource(p *inventory.Permission) result.Resource {
	return result.Resource{Kind: result.KindPermission, ID: p.ID, Name: refFunctionName(p.Function),
		Account: p.Account, Region: p.Region}
}

// urlResource is the result resource of a function URL whose function is
// not in the inventory.
func urlResource(u *inventory.FunctionURL) result.Resource {
	return result.Resource{Kind: result.KindFunctionURL, ID: u.ID, Name: refFunctionName(u.Function),
		Account: u.Account, Region: u.Region}
}

// permissionLoc is where a permission's statement is written.
func permissionLoc(p *inventory.Permission) srcloc.Location {
	return firstLoc(p.Statement.Loc, p.Loc)
}

// permissionLabel names a permission in messages: its ID, and its Sid when
// that says something more.
func permissionLabel(p *inventory.Permission) string {
	sid := p.Statement.Sid
	if sid == "" || sid == p.ID || strings.HasSuffix(p.ID, "/"+sid) {
		return "permission " + p.ID
	}
	return fmt.Sprintf("permission %s (statement %s)", p.ID, sid)
}

// permissionEval judges one resource-policy statement into v; own is the
// account of the function it is on ("" when not known).
type permissionEval func(env *Env, p *inventory.Permission, own string, v *verdict)

// evalPermissionsOf judges every permission on f.
func evalPermissionsOf(env *Env, f *inventory.Function, eval permissionEval, passMsg string) Finding {
	var v verdict
	for _, p := range env.Index.Permissions(f) {
		eval(env, p, f.Account, &v)
	}
	return v.finding(passMsg)
}

// orphanPermissionFindings judges each permission whose function is not in
// the inventory on its own (resource kind permission).
func orphanPermissionFindings(env *Env, families []inventory.Family, eval permissionEval, passMsg string) []Finding {
	var out []Finding
	for _, p := range env.Index.OrphanPermissions() {
		if !hasFamily(families, p.Source.Family()) {
			continue
		}
		var v verdict
		eval(env, p, p.Account, &v)
		fd := v.finding(passMsg)
		fd.Resource = permissionResource(p)
		fd.Location = firstLoc(fd.Location, permissionLoc(p))
		out = append(out, fd)
	}
	return out
}

// permissionCheck runs eval on every function's permissions and on the
// orphan permissions.
func permissionCheck(families []inventory.Family, fnEval FunctionEval, eval permissionEval, passMsg string) func(*Env) []Finding {
	perFn := perFunction(families, fnEval)
	return func(env *Env) []Finding {
		return append(perFn(env), orphanPermissionFindings(env, families, eval, passMsg)...)
	}
}

// urlLabel names a function URL in messages.
func urlLabel(u *inventory.FunctionURL) string {
	if q, ok := u.Qualifier.Get(); ok && q != "" {
		return fmt.Sprintf("function URL %s (qualifier %s)", u.ID, q)
	}
	return "function URL " + u.ID
}

// intSetting is a setting, or its default when not set (zero).
func intSetting(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// isAccountID reports whether s is a 12-digit account ID.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isSymbolic reports whether s is a symbolic placeholder such as
// inventory.CurrentAccount ("<account>").
func isSymbolic(s string) bool { return strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") }

// functionAccount is the function's own account when it is a real account
// ID; "" when it is unknown or symbolic.
func functionAccount(f *inventory.Function) string {
	if isAccountID(f.Account) {
		return f.Account
	}
	if p := strings.Split(f.ARN, ":"); len(p) > 4 && isAccountID(p[4]) {
		return p[4]
	}
	return ""
}

// arnField returns the n-th ':'-separated field of an ARN (0 is "arn"), or
// "" and false when s is not an ARN with that many fields.
func arnField(s string, n int) (string, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return "", false
	}
	parts := strings.SplitN(s, ":", 6)
	if n >= len(parts) {
		return "", false
	}
	return parts[n], true
}

// plural is "1 thing" / "2 things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func itoa(n int) string { return strconv.Itoa(n) }
