package iampolicy

// This file fixes the package's API so that its users can be written in
// parallel with its implementation. Bodies that panic are replaced by the
// engine's implementation (the signatures stay).

// AccessLevel is an action's access level in the Service Authorization Reference.
type AccessLevel string

const (
	List                  AccessLevel = "List"
	Read                  AccessLevel = "Read"
	Write                 AccessLevel = "Write"
	PermissionsManagement AccessLevel = "Permissions management"
	Tagging               AccessLevel = "Tagging"
)

// Action is one IAM action of the catalog.
type Action struct {
	// Service is the prefix ("s3"), Name the action ("GetObject"), both as the
	// catalog spells them.
	Service string
	Name    string
	Access  AccessLevel
	// ResourceTypes are the resource types the action can be scoped to; empty
	// means it supports no resource-level permissions (only Resource "*").
	ResourceTypes []string
}

// String is "service:Name".
func (a Action) String() string { return a.Service + ":" + a.Name }

// ResourceLevel reports whether the action supports resource-level permissions.
func (a Action) ResourceLevel() bool { return len(a.ResourceTypes) > 0 }

// Catalog is the IAM action catalog embedded from the Service Authorization
// Reference. It is immutable and safe for concurrent use.
//
// The actions it returns share their ResourceTypes slices with the catalog:
// callers must not modify their elements.
type Catalog struct{ impl *catalogData }

// DefaultCatalog returns the embedded catalog, decoded once.
func DefaultCatalog() *Catalog { return defaultCatalog() }

// Lookup finds one action ("s3:GetObject", case-insensitive).
func (c *Catalog) Lookup(action string) (Action, bool) {
	i, ok := c.impl.lookup(action)
	if !ok {
		return Action{}, false
	}
	return c.impl.actions[i], true
}

// Expand returns the catalog actions a pattern ("s3:Get*", "*", "s3:*",
// "s3:GetObject") matches, sorted by service and name. An exact name not in
// the catalog yields nothing.
func (c *Catalog) Expand(pattern string) []Action {
	idx := c.impl.expand(pattern)
	if len(idx) == 0 {
		return nil
	}
	out := make([]Action, len(idx))
	for k, i := range idx {
		out[k] = c.impl.actions[i]
	}
	return out
}

// ResourceARNTemplate returns the ARN template of a service's resource type
// (for example "arn:${Partition}:s3:::${BucketName}/${ObjectName}").
func (c *Catalog) ResourceARNTemplate(service, resourceType string) (string, bool) {
	s, ok := c.impl.service(service)
	if !ok {
		return "", false
	}
	for _, t := range s.types {
		if compareFold(t.name, resourceType) == 0 && t.arn != "" {
			return t.arn, true
		}
	}
	return "", false
}

// ManagedPolicy is an AWS-managed policy from the embedded snapshot.
type ManagedPolicy struct {
	Name     string
	ARN      string // arn:aws:iam::aws:policy + Path + Name
	Path     string
	Version  string
	Updated  string
	Document *Policy
}

// Decision is the outcome of evaluating identity policies for one request.
type Decision int

const (
	// NotAllowed: no statement allows the request (implicit deny).
	NotAllowed Decision = iota
	// Allowed: an unconditional Allow covers the request and no Deny does.
	Allowed
	// ConditionallyAllowed: only Allows with conditions cover it.
	ConditionallyAllowed
	// Denied: an explicit Deny without conditions covers it.
	Denied
)
