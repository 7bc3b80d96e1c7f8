package inventory

import "strings"

// Index answers "what belongs to this function" over an inventory. It links
// by ID within the same origin, else by function name or ARN (qualified or
// partial), which is how a permission written with a literal name or a live
// policy finds its function.
type Index struct {
	inv *Inventory

	byID   map[originID]*Function
	byName nameIndex[*Function]

	roles    map[originID]*Role
	roleName nameIndex[*Role]
	policies map[originID]*ManagedPolicy
	polName  nameIndex[*ManagedPolicy]

	permissions map[*Function][]*Permission
	urls        map[*Function][]*FunctionURL
	aliases     map[*Function][]*Alias
	invokeCfgs  map[*Function][]*EventInvokeConfig
	routes      map[*Function][]*APIRoute
	roleUsers   map[*Role][]*Function

	orphanPermissions []*Permission
	orphanURLs        []*FunctionURL
	// orphanPermsByName holds the orphan permissions by the function they
	// refer to: FunctionNameFromARN of the name written, else the ID.
	orphanPermsByName map[string][]*Permission

	// logGroupsByName holds the log groups whose name is known; unnamed the
	// ones whose name is unknown, by origin.
	logGroupsByName map[string][]*LogGroup
	unnamedGroups   map[string][]*LogGroup
	// alarmsByFunction holds the alarms with a metric whose FunctionName
	// dimension is known, by the function name it names.
	alarmsByFunction map[string][]*Alarm
	// fnNameInOrigin records which function names each origin defines.
	fnNameInOrigin map[originID]bool

	subnets      refTable[*Subnet]
	secGroups    refTable[*SecurityGroup]
	signingCfgs  refTable[*CodeSigningConfig]
	layers       refTable[*LayerVersion]
	layerPerms   map[*LayerVersion][]*LayerPermission
	layerPermsBy map[string][]*LayerPermission // by the layer name or ARN written, for layers not in the inventory
}

// refTable finds items by inventory ID within an origin, and by the
// identifiers they are known by elsewhere (subnet ID, ARN, ...).
type refTable[T any] struct {
	byID   map[originID]T
	byName map[string][]T
}

func newRefTable[T any]() refTable[T] {
	return refTable[T]{byID: map[originID]T{}, byName: map[string][]T{}}
}

func (t refTable[T]) add(origin, id string, v T, names ...string) {
	if _, dup := t.byID[originID{origin, id}]; !dup {
		t.byID[originID{origin, id}] = v
	}
	for _, n := range names {
		if n != "" {
			t.byName[n] = append(t.byName[n], v)
		}
	}
}

// find returns the item with the ID in origin, else the first item known
// by name (in inventory order).
func (t refTable[T]) find(origin string, r Ref) (T, bool) {
	if r.ID != "" {
		if v, ok := t.byID[originID{origin, r.ID}]; ok {
			return v, true
		}
	}
	if r.Name != "" {
		if vs := t.byName[r.Name]; len(vs) > 0 {
			return vs[0], true
		}
	}
	var zero T
	return zero, false
}

type originID struct{ origin, id string }

// NewIndex links the items of inv. It does not modify inv.
func NewIndex(inv *Inventory) *Index {
	x := &Index{
		inv:         inv,
		byID:        map[originID]*Function{},
		byName:      newNameIndex[*Function](),
		roles:       map[originID]*Role{},
		roleName:    newNameIndex[*Role](),
		policies:    map[originID]*ManagedPolicy{},
		polName:     newNameIndex[*ManagedPolicy](),
		permissions: map[*Function][]*Permission{},
		urls:        map[*Function][]*FunctionURL{},
		aliases:     map[*Function][]*Alias{},
		invokeCfgs:  map[*Function][]*EventInvokeConfig{},
		routes:      map[*Function][]*APIRoute{},
		roleUsers:   map[*Role][]*Function{},

		orphanPermsByName: map[string][]*Permission{},
		logGroupsByName:   map[string][]*LogGroup{},
		unnamedGroups:     map[string][]*LogGroup{},
		alarmsByFunction:  map[string][]*Alarm{},
		fnNameInOrigin:    map[originID]bool{},
		subnets:           newRefTable[*Subnet](),
		secGroups:         newRefTable[*SecurityGroup](),
		signingCfgs:       newRefTable[*CodeSigningConfig](),
		layers:            newRefTable[*LayerVersion](),
		layerPerms:        map[*LayerVersion][]*LayerPermission{},
		layerPermsBy:      map[string][]*LayerPermission{},
	}
	for _, f := range inv.Functions {
		if n, ok := f.Name.Get(); ok {
			x.fnNameInOrigin[originID{f.Origin, n}] = true
		}
		x.byID[originID{f.Origin, f.ID}] = f
		if n, ok := f.Name.Get(); ok && n != "" {
			x.byName.add(f.Origin, n, f)
		}
		if f.ARN != "" {
			x.byName.add(f.Origin, f.ARN, f)
		}
	}
	for _, r := range inv.Roles {
		x.roles[originID{r.Origin, r.ID}] = r
		if n, ok := r.Name.Get(); ok && n != "" {
			x.roleName.add(r.Origin, n, r)
		}
		if r.ARN != "" {
			x.roleName.add(r.Origin, r.ARN, r)
		}
	}
	for _, p := range inv.ManagedPolicies {
		x.policies[originID{p.Origin, p.ID}] = p
		if n, ok := p.Name.Get(); ok && n != "" {
			x.polName.add(p.Origin, n, p)
		}
		if p.ARN != "" {
			x.polName.add(p.Origin, p.ARN, p)
		}
	}
	for _, p := range inv.Permissions {
		if f := x.function(p.Origin, p.Function); f != nil {
			x.permissions[f] = append(x.permissions[f], p)
		} else {
			x.orphanPermissions = append(x.orphanPermissions, p)
			if r, ok := p.Function.Get(); ok && !r.IsZero() {
				n := r.ID
				if r.Name != "" {
					n = FunctionNameFromARN(r.Name)
				}
				x.orphanPermsByName[n] = append(x.orphanPermsByName[n], p)
			}
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
	for _, g := range inv.LogGroups {
		switch n, ok := g.Name.Get(); {
		case ok:
			x.logGroupsByName[n] = append(x.logGroupsByName[n], g)
		case g.Name.IsUnknown():
			x.unnamedGroups[g.Origin] = append(x.unnamedGroups[g.Origin], g)
		}
	}
	for _, a := range inv.Alarms {
		seen := map[string]bool{}
		for _, m := range a.Metrics {
			if v, ok := m.Dimensions["FunctionName"].Get(); ok {
				n := FunctionNameFromARN(v)
				if !seen[n] {
					seen[n] = true
					x.alarmsByFunction[n] = append(x.alarmsByFunction[n], a)
				}
			}
		}
	}
	// Subnets and security groups are also named by their AWS ID or, where
	// a source writes one, by their inventory ID (as the name).
	for _, s := range inv.Subnets {
		x.subnets.add(s.Origin, s.ID, s, s.SubnetID, s.ID)
	}
	for _, g := range inv.SecurityGroups {
		x.secGroups.add(g.Origin, g.ID, g, g.GroupID, g.ID)
	}
	for _, c := range inv.CodeSigningConfigs {
		names := []string{c.ARN}
		if strings.HasPrefix(c.ID, "arn:") {
			names = append(names, c.ID)
		}
		x.signingCfgs.add(c.Origin, c.ID, c, names...)
	}
	for _, l := range inv.Layers {
		x.layers.add(l.Origin, l.ID, l, l.ARN)
	}
	for _, p := range inv.LayerPermissions {
		r, ok := p.Layer.Get()
		if !ok {
			continue
		}
		if l := x.Layer(p.Origin, r); l != nil {
			x.layerPerms[l] = append(x.layerPerms[l], p)
		} else if r.Name != "" {
			x.layerPermsBy[r.Name] = append(x.layerPermsBy[r.Name], p)
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
	return x.byName.pick(origin, FunctionNameFromARN(r.Name), r.Name)
}

// Function resolves a reference written in origin to a function, or nil.
func (x *Index) Function(origin string, ref Value[Ref]) *Function { return x.function(origin, ref) }

// nameIndex finds items by a name (or ARN) they are known by, preferring
// the item in the referring origin when several share the name, without
// scanning them all.
type nameIndex[T comparable] struct {
	all      map[string][]T
	inOrigin map[originID]T
}

func newNameIndex[T comparable]() nameIndex[T] {
	return nameIndex[T]{all: map[string][]T{}, inOrigin: map[originID]T{}}
}

func (n nameIndex[T]) add(origin, name string, v T) {
	n.all[name] = append(n.all[name], v)
	if _, ok := n.inOrigin[originID{origin, name}]; !ok {
		n.inOrigin[originID{origin, name}] = v
	}
}

// pick returns the first item known by one of names (tried in order) in
// origin, else the first item known by any of them; the zero value when
// none is.
func (n nameIndex[T]) pick(origin string, names ...string) T {
	for _, name := range names {
		if v, ok := n.inOrigin[originID{origin, name}]; ok {
			return v
		}
	}
	for _, name := range names {
		if vs := n.all[name]; len(vs) > 0 {
			return vs[0]
		}
	}
	var zero T
	return zero
}

// FunctionNameFromARN returns the function name in any form Lambda accepts
// for a function: a plain name (NAME), a name with a version or alias
// qualifier (NAME:QUALIFIER), a partial ARN (ACCOUNT:function:NAME[:QUALIFIER])
// or a full ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]).
// Anything else (another service's ARN, a symbolic reference) is returned
// unchanged.
func FunctionNameFromARN(s string) string {
	parts := strings.Split(s, ":")
	switch {
	case len(parts) == 1:
		return s
	case parts[0] == "arn":
		// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
		if (len(parts) == 7 || len(parts) == 8) && parts[2] == "lambda" && parts[5] == "function" && parts[6] != "" {
			return parts[6]
		}
		return s
	case (len(parts) == 3 || len(parts) == 4) && parts[1] == "function" && parts[2] != "":
		// ACCOUNT:function:NAME[:QUALIFIER]
		return parts[2]
	case len(parts) == 2 && parts[0] != "" && parts[1] != "" && isFunctionName(parts[0]):
		// NAME:QUALIFIER
		return parts[0]
	}
	return s
}

// isFunctionName reports whether s can be a Lambda function name: letters,
// digits, hyphens and underscores.
func isFunctionName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return s != ""
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
		if role := x.roleName.pick(origin, name); role != nil {
			return role
		}
		name = name[i+len(":role/"):]
		if j := strings.LastIndexByte(name, '/'); j >= 0 {
			name = name[j+1:]
		}
	}
	return x.roleName.pick(origin, name)
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
	if p := x.polName.pick(origin, r.Name); p != nil {
		return p
	}
	name := r.Name
	if i := strings.LastIndex(name, ":policy/"); i >= 0 {
		name = name[i+len(":policy/"):]
		if j := strings.LastIndexByte(name, '/'); j >= 0 {
			name = name[j+1:]
		}
	}
	return x.polName.pick(origin, name)
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

// OrphanPermissionsNaming returns the orphan permissions whose function
// reference names the function name (in any form FunctionNameFromARN reads),
// or, for a reference without a name, whose ID is name.
func (x *Index) OrphanPermissionsNaming(name string) []*Permission {
	return x.orphanPermsByName[name]
}

// Subnet resolves a subnet reference written in origin: by inventory ID in
// that origin, else by subnet ID (or an ID written as a name); nil when the
// inventory does not hold it.
func (x *Index) Subnet(origin string, r Ref) *Subnet {
	s, _ := x.subnets.find(origin, r)
	return s
}

// SecurityGroup resolves a security group reference like Subnet.
func (x *Index) SecurityGroup(origin string, r Ref) *SecurityGroup {
	g, _ := x.secGroups.find(origin, r)
	return g
}

// CodeSigningConfig resolves a code signing config reference: by inventory
// ID in origin, else by ARN.
func (x *Index) CodeSigningConfig(origin string, r Ref) *CodeSigningConfig {
	c, _ := x.signingCfgs.find(origin, r)
	return c
}

// Layer resolves a layer version reference: by inventory ID in origin,
// else by layer version ARN.
func (x *Index) Layer(origin string, r Ref) *LayerVersion {
	l, _ := x.layers.find(origin, r)
	return l
}

// LayerPermissionsOf returns the permissions on a layer version of the
// inventory.
func (x *Index) LayerPermissionsOf(l *LayerVersion) []*LayerPermission { return x.layerPerms[l] }

// LayerPermissionsNaming returns the permissions on a layer that is not in
// the inventory, by the layer name or ARN they were written with.
func (x *Index) LayerPermissionsNaming(name string) []*LayerPermission { return x.layerPermsBy[name] }

// LogGroupsNamed returns the log groups with the given (known) name.
func (x *Index) LogGroupsNamed(name string) []*LogGroup { return x.logGroupsByName[name] }

// UnnamedLogGroups returns the log groups of origin whose name is unknown
// (a variable without a value, a name generated by AWS).
func (x *Index) UnnamedLogGroups(origin string) []*LogGroup { return x.unnamedGroups[origin] }

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
// holds it: one with the function's log group name in the function's account
// and region (an empty account or region matches any), preferring the
// function's own origin (the last there).
func (x *Index) LogGroupOf(f *Function) *LogGroup {
	name, ok := LogGroupName(f).Get()
	if !ok {
		return nil
	}
	var found *LogGroup
	for _, g := range x.logGroupsByName[name] {
		if (f.Account == "" || g.Account == "" || f.Account == g.Account) && (f.Region == "" || g.Region == "" || f.Region == g.Region) {
			if found == nil || g.Origin == f.Origin {
				found = g
			}
		}
	}
	return found
}

// AlarmsFor returns the alarms with a metric whose FunctionName dimension
// names f, in inventory order.
func (x *Index) AlarmsFor(f *Function) []*Alarm {
	name, ok := f.Name.Get()
	if !ok {
		return nil
	}
	all := x.alarmsByFunction[name]
	// An alarm watches metrics of its own account and region: a same-named
	// function elsewhere is another function. Where either side does not
	// know its account or region (IaC), the name decides.
	var out []*Alarm
	for _, a := range all {
		// An alarm defined beside a function of this name watches that one,
		// not a same-named function of another stack or repository.
		if a.Origin != f.Origin && x.fnNameInOrigin[originID{a.Origin, name}] {
			continue
		}
		if sameScope(f.Account, a.Account) && sameScope(f.Region, a.Region) {
			out = append(out, a)
		}
	}
	return out
}

// sameScope reports whether two accounts (or regions) may be the same: equal,
// or one of them not known.
func sameScope(a, b string) bool { return a == "" || b == "" || a == b }
