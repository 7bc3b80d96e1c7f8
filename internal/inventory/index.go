package inventory

import "strings"

// Index answers "what belongs to this function" over an inventory. It links
// by ID within the same origin, else by function name or ARN (qualified or
// partial), which is how a permission written with a literal name or a live
// policy finds its function.
type Index struct {
	inv *Inventory

	byID   map[originID]*Function
	byName map[string][]*Function

	roles    map[originID]*Role
	roleName map[string][]*Role
	policies map[originID]*ManagedPolicy
	polName  map[string][]*ManagedPolicy

	permissions map[*Function][]*Permission
	urls        map[*Function][]*FunctionURL
	aliases     map[*Function][]*Alias
	invokeCfgs  map[*Function][]*EventInvokeConfig
	routes      map[*Function][]*APIRoute
	roleUsers   map[*Role][]*Function

	orphanPermissions []*Permission
	orphanURLs        []*FunctionURL
}

type originID struct{ origin, id string }

// NewIndex links the items of inv. It does not modify inv.
func NewIndex(inv *Inventory) *Index {
	x := &Index{
		inv:         inv,
		byID:        map[originID]*Function{},
		byName:      map[string][]*Function{},
		roles:       map[originID]*Role{},
		roleName:    map[string][]*Role{},
		policies:    map[originID]*ManagedPolicy{},
		polName:     map[string][]*ManagedPolicy{},
		permissions: map[*Function][]*Permission{},
		urls:        map[*Function][]*FunctionURL{},
		aliases:     map[*Function][]*Alias{},
		invokeCfgs:  map[*Function][]*EventInvokeConfig{},
		routes:      map[*Function][]*APIRoute{},
		roleUsers:   map[*Role][]*Function{},
	}
	for _, f := range inv.Functions {
		x.byID[originID{f.Origin, f.ID}] = f
		if n, ok := f.Name.Get(); ok && n != "" {
			x.byName[n] = append(x.byName[n], f)
		}
		if f.ARN != "" {
			x.byName[f.ARN] = append(x.byName[f.ARN], f)
		}
	}
	for _, r := range inv.Roles {
		x.roles[originID{r.Origin, r.ID}] = r
		if n, ok := r.Name.Get(); ok && n != "" {
			x.roleName[n] = append(x.roleName[n], r)
		}
		if r.ARN != "" {
			x.roleName[r.ARN] = append(x.roleName[r.ARN], r)
		}
	}
	for _, p := range inv.ManagedPolicies {
		x.policies[originID{p.Origin, p.ID}] = p
		if n, ok := p.Name.Get(); ok && n != "" {
			x.polName[n] = append(x.polName[n], p)
		}
		if p.ARN != "" {
			x.polName[p.ARN] = append(x.polName[p.ARN], p)
		}
	}
	for _, p := range inv.Permissions {
		if f := x.function(p.Origin, p.Function); f != nil {
			x.permissions[f] = append(x.permissions[f], p)
		} else {
			x.orphanPermissions = append(x.orphanPermissions, p)
		}
	}
	for _, u := range inv.FunctionURLs {
		if f := x.function(u.Origin, u.Function); f != nil {
			x.urls[f] = append(x.urls[f], u)
		} else {
			x.orphanURLs = append(x.orphanURLs, u)
		}
	}
	for _, a := range inv.Aliases {
		if f := x.function(a.Origin, a.Function); f != nil {
			x.aliases[f] = append(x.aliases[f], a)
		}
	}
	for _, c := range inv.EventInvokeConfigs {
		if f := x.function(c.Origin, c.Function); f != nil {
			x.invokeCfgs[f] = append(x.invokeCfgs[f], c)
		}
	}
	for _, r := range inv.APIRoutes {
		if f := x.function(r.Origin, r.Function); f != nil {
			x.routes[f] = append(x.routes[f], r)
		}
	}
	for _, f := range inv.Functions {
		if r := x.RoleOf(f); r != nil {
			x.roleUsers[r] = append(x.roleUsers[r], f)
		}
	}
	return x
}

// Inventory returns the indexed inventory.
func (x *Index) Inventory() *Inventory { return x.inv }

// function resolves a reference to a function, or nil.
func (x *Index) function(origin string, ref Value[Ref]) *Function {
	r, ok := ref.Get()
	if !ok {
		return nil
	}
	if r.ID != "" {
		if f := x.byID[originID{origin, r.ID}]; f != nil {
			return f
		}
	}
	if r.Name == "" {
		return nil
	}
	return unique(x.byName[FunctionNameFromARN(r.Name)], x.byName[r.Name], origin)
}

// Function resolves a reference written in origin to a function, or nil.
func (x *Index) Function(origin string, ref Value[Ref]) *Function { return x.function(origin, ref) }

// unique picks the one function a name refers to, preferring the referring
// origin when the same name occurs in several.
func unique[T interface{ origin() string }](a, b []T, origin string) T {
	var zero T
	all := append(append([]T(nil), a...), b...)
	if len(all) == 0 {
		return zero
	}
	for _, f := range all {
		if f.origin() == origin {
			return f
		}
	}
	return all[0]
}

func (f *Function) origin() string      { return f.Origin }
func (r *Role) origin() string          { return r.Origin }
func (p *ManagedPolicy) origin() string { return p.Origin }

// FunctionNameFromARN returns the function name in a full or partial function
// ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER],
// ACCOUNT:function:NAME), or s itself when it is not one.
func FunctionNameFromARN(s string) string {
	i := strings.Index(s, "function:")
	if i < 0 {
		return s
	}
	name := s[i+len("function:"):]
	if j := strings.IndexByte(name, ':'); j >= 0 {
		name = name[:j]
	}
	return name
}

// RoleOf returns the function's execution role when it is in the inventory.
func (x *Index) RoleOf(f *Function) *Role {
	r, ok := f.Role.Get()
	if !ok {
		return nil
	}
	return x.Role(f.Origin, r)
}

// Role resolves a role reference written in origin.
func (x *Index) Role(origin string, r Ref) *Role {
	if r.ID != "" {
		if role := x.roles[originID{origin, r.ID}]; role != nil {
			return role
		}
	}
	if r.Name == "" {
		return nil
	}
	name := r.Name
	if i := strings.LastIndex(name, ":role/"); i >= 0 {
		if role := unique(x.roleName[name], nil, origin); role != nil {
			return role
		}
		name = name[i+len(":role/"):]
		if j := strings.LastIndexByte(name, '/'); j >= 0 {
			name = name[j+1:]
		}
	}
	return unique(x.roleName[name], nil, origin)
}

// ManagedPolicy resolves a reference to a customer-managed policy in the
// inventory (by ID, name or ARN), or nil.
func (x *Index) ManagedPolicy(origin string, r Ref) *ManagedPolicy {
	if r.ID != "" {
		if p := x.policies[originID{origin, r.ID}]; p != nil {
			return p
		}
	}
	if r.Name == "" {
		return nil
	}
	if p := unique(x.polName[r.Name], nil, origin); p != nil {
		return p
	}
	name := r.Name
	if i := strings.LastIndex(name, ":policy/"); i >= 0 {
		name = name[i+len(":policy/"):]
		if j := strings.LastIndexByte(name, '/'); j >= 0 {
			name = name[j+1:]
		}
	}
	return unique(x.polName[name], nil, origin)
}

// FunctionsWithRole returns the functions whose execution role is r.
func (x *Index) FunctionsWithRole(r *Role) []*Function { return x.roleUsers[r] }

// Permissions returns the resource-policy statements on f.
func (x *Index) Permissions(f *Function) []*Permission { return x.permissions[f] }

// URLs returns f's function URLs.
func (x *Index) URLs(f *Function) []*FunctionURL { return x.urls[f] }

// Aliases returns f's aliases.
func (x *Index) Aliases(f *Function) []*Alias { return x.aliases[f] }

// EventInvokeConfigs returns f's asynchronous invocation configs.
func (x *Index) EventInvokeConfigs(f *Function) []*EventInvokeConfig { return x.invokeCfgs[f] }

// APIRoutes returns the API routes integrated with f.
func (x *Index) APIRoutes(f *Function) []*APIRoute { return x.routes[f] }

// OrphanPermissions are permissions whose function is not in the inventory.
func (x *Index) OrphanPermissions() []*Permission { return x.orphanPermissions }

// OrphanURLs are function URLs whose function is not in the inventory.
func (x *Index) OrphanURLs() []*FunctionURL { return x.orphanURLs }

// LogGroupName returns the name of the function's log group: its
// LoggingConfig group, else /aws/lambda/NAME.
func LogGroupName(f *Function) Value[string] {
	if !f.LogGroup.IsAbsent() {
		return f.LogGroup
	}
	if n, ok := f.Name.Get(); ok {
		return Of("/aws/lambda/"+n, f.Name.Loc)
	}
	return Value[string]{State: Unknown, Loc: f.Name.Loc, Why: "function name " + f.Name.String()}
}

// LogGroupOf returns the log group the function writes to, if the inventory
// holds it.
func (x *Index) LogGroupOf(f *Function) *LogGroup {
	name, ok := LogGroupName(f).Get()
	if !ok {
		return nil
	}
	var found *LogGroup
	for _, g := range x.inv.LogGroups {
		if n, ok := g.Name.Get(); ok && n == name && (f.Account == "" || g.Account == "" || f.Account == g.Account) && (f.Region == "" || g.Region == "" || f.Region == g.Region) {
			if found == nil || g.Origin == f.Origin {
				found = g
			}
		}
	}
	return found
}

// AlarmsFor returns the alarms with a metric whose FunctionName dimension
// names f.
func (x *Index) AlarmsFor(f *Function) []*Alarm {
	name, ok := f.Name.Get()
	if !ok {
		return nil
	}
	var out []*Alarm
	for _, a := range x.inv.Alarms {
		for _, m := range a.Metrics {
			if d, ok := m.Dimensions["FunctionName"]; ok {
				if v, ok := d.Get(); ok && FunctionNameFromARN(v) == name {
					out = append(out, a)
					break
				}
			}
		}
	}
	return out
}
