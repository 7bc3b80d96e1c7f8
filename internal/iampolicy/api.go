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
type Catalog struct{ impl *catalogData }

// DefaultCatalog returns the embedded catalog, decoded once.
func DefaultCatalog() *Catalog { panic("iampolicy: not implemented yet") }

// Lookup finds one action ("s3:GetObject", case-insensitive).
func (c *Catalog) Lookup(action string) (Action, bool) { panic("iampolicy: not implemented yet") }

// Expand returns the catalog actions a pattern ("s3:Get*", "*", "s3:*",
// "s3:GetObject") matches, sorted by service and name. An exact name not in
// the catalog yields nothing.
func (c *Catalog) Expand(pattern string) []Action { panic("iampolicy: not implemented yet") }

// ResourceARNTemplate returns the ARN template of a service's resource type
// (for example "arn:${Partition}:s3:::${BucketName}/${ObjectName}").
func (c *Catalog) ResourceARNTemplate(service, resourceType string) (string, bool) {
	panic("iampolicy: not implemented yet")
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

// AWSManaged looks up an AWS-managed policy by name or ARN (any partition,
// any path). ok is false for a policy not in the snapshot.
func AWSManaged(nameOrARN string) (p *ManagedPolicy, ok bool) { panic("iampolicy: not implemented yet") }

// IsAWSManagedARN reports whether arn names an AWS-managed policy
// (arn:PARTITION:iam::aws:policy/...), whether or not the snapshot has it.
func IsAWSManagedARN(arn string) bool { panic("iampolicy: not implemented yet") }

// Parse parses a JSON policy document in any legal shape: Statement as an
// object or a list; Action, Resource and their Not forms as a string or a
// list; Principal as "*" or a map of string-or-list; Condition values as
// strings, numbers, booleans or lists. Errors give the line of the problem.
func Parse(doc []byte) (*Policy, error) { panic("iampolicy: not implemented yet") }

// FromValue builds a policy from an already-decoded document (the
// map[string]any / []any / string / float64 / bool values of encoding/json
// or yaml.v3).
func FromValue(v any) (*Policy, error) { panic("iampolicy: not implemented yet") }

// MatchAction reports whether an action pattern (IAM wildcards * and ?,
// case-insensitive) matches an action such as "s3:GetObject".
func MatchAction(pattern, action string) bool { panic("iampolicy: not implemented yet") }

// MatchResource reports whether a resource pattern (IAM wildcards * and ?,
// which match across ':' and '/'; policy variables such as ${aws:username}
// match one path segment) matches an ARN. Case-sensitive, as IAM is.
func MatchResource(pattern, arn string) bool { panic("iampolicy: not implemented yet") }

// AllowsAction reports whether the statement's Action (or NotAction) covers
// the action, ignoring Effect, resources and conditions.
func (s *Statement) AllowsAction(action string) bool { panic("iampolicy: not implemented yet") }

// GrantedActions expands the statement's Action, or the complement of its
// NotAction, against the catalog. Patterns that match no catalog action are
// returned in unrecognized (so a check can still reason about them).
func (s *Statement) GrantedActions(c *Catalog) (granted []Action, unrecognized []string) {
	panic("iampolicy: not implemented yet")
}

// IsPublic reports whether the principal is everyone ("*" or {"AWS": "*"}).
func (p *Principal) IsPublic() bool { panic("iampolicy: not implemented yet") }

// Accounts returns the 12-digit account IDs named by the AWS principals
// (plain IDs, arn:aws:iam::ID:root, role and user ARNs), sorted, unique.
func (p *Principal) Accounts() []string { panic("iampolicy: not implemented yet") }

// ConditionValues returns the values tested for a condition key
// (case-insensitive key match) under any operator, and the operators.
func (s *Statement) ConditionValues(key string) (values []string, operators []string) {
	panic("iampolicy: not implemented yet")
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

// Evaluate decides whether the policies (identity policies of one principal)
// allow action on resource, with IAM's rule that an explicit Deny wins.
// Statements with unknown parts that could change the answer make unknown true.
func Evaluate(policies []*Policy, action, resource string) (d Decision, unknown bool) {
	panic("iampolicy: not implemented yet")
}

type catalogData struct{}
