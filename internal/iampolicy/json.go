package iampolicy

import (
	"bytes"
	"encoding/json"
	"slices"
)

// The JSON encoding of Policy and Statement is the canonical AWS form: a
// Version, an Id, and a Statement list in which Action, Resource, their Not
// forms and the principal lists are always lists, and Condition is
// {operator: {key: [values]}} in sorted order. It is deterministic, so it
// serves as auditor evidence.
//
// Statement.Loc is not written. Statement.Unknown is written, only when it is
// not empty, under the extra key "lw_unknown", so that an inventory snapshot
// read back never loses the fact that part of a statement was unresolved (a
// fully resolved policy, such as every live one, is pure AWS JSON). Reading
// accepts every legal policy shape plus "lw_unknown".

type policyJSON struct {
	Version   string          `json:"Version,omitempty"`
	ID        string          `json:"Id,omitempty"`
	Statement []statementJSON `json:"Statement"`
}

type statementJSON struct {
	Sid          string                         `json:"Sid,omitempty"`
	Effect       Effect                         `json:"Effect,omitempty"`
	Principal    any                            `json:"Principal,omitempty"`
	NotPrincipal any                            `json:"NotPrincipal,omitempty"`
	Action       *[]string                      `json:"Action,omitempty"`
	NotAction    *[]string                      `json:"NotAction,omitempty"`
	Resource     *[]string                      `json:"Resource,omitempty"`
	NotResource  *[]string                      `json:"NotResource,omitempty"`
	Condition    map[string]map[string][]string `json:"Condition,omitempty"`
	Unknown      []string                       `json:"lw_unknown,omitempty"`
}

type principalJSON struct {
	AWS           []string `json:"AWS,omitempty"`
	Service       []string `json:"Service,omitempty"`
	Federated     []string `json:"Federated,omitempty"`
	CanonicalUser []string `json:"CanonicalUser,omitempty"`
}

// MarshalJSON writes the canonical AWS form (see the package's JSON notes).
func (p Policy) MarshalJSON() ([]byte, error) {
	out := policyJSON{Version: p.Version, ID: p.ID, Statement: make([]statementJSON, len(p.Statements))}
	for i := range p.Statements {
		out.Statement[i] = p.Statements[i].canonical()
	}
	return encode(out)
}

// MarshalJSON writes one statement in the canonical AWS form.
func (s Statement) MarshalJSON() ([]byte, error) { return encode(s.canonical()) }

// UnmarshalJSON reads a policy in any legal shape, including what
// MarshalJSON writes. Statement locations are not restored.
func (p *Policy) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	b := builder{}
	root, err := readJSON(data)
	if err != nil {
		return b.publicError(err)
	}
	q, err := b.policy(root)
	if err != nil {
		return b.publicError(err)
	}
	*p = *q
	return nil
}

// UnmarshalJSON reads one statement, as MarshalJSON writes it.
func (s *Statement) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	b := builder{}
	root, err := readJSON(data)
	if err != nil {
		return b.publicError(err)
	}
	if root.kind != kindObject {
		return b.publicError(errAt(root, "", "a statement must be an object, not %s", root.kind))
	}
	st, err := b.statement(root, "Statement")
	if err != nil {
		return b.publicError(err)
	}
	*s = st
	return nil
}

func (s *Statement) canonical() statementJSON {
	out := statementJSON{Sid: s.Sid, Effect: s.Effect, Unknown: s.Unknown}
	if s.Principal != nil {
		out.Principal = s.Principal.canonical()
	}
	if s.NotPrincipal != nil {
		out.NotPrincipal = s.NotPrincipal.canonical()
	}
	if s.NotActionSet {
		out.NotAction = nonNil(s.NotActions)
	} else if s.Actions != nil {
		out.Action = &s.Actions
	}
	if s.NotResourceSet {
		out.NotResource = nonNil(s.NotResources)
	} else if s.Resources != nil {
		out.Resource = &s.Resources
	}
	if len(s.Conditions) > 0 {
		out.Condition = map[string]map[string][]string{}
		for _, c := range s.Conditions {
			keys := out.Condition[c.Operator]
			if keys == nil {
				keys = map[string][]string{}
				out.Condition[c.Operator] = keys
			}
			vals := keys[c.Key]
			if vals == nil {
				vals = []string{}
			}
			keys[c.Key] = append(vals, c.Values...)
		}
	}
	return out
}

func (p *Principal) canonical() any {
	if p.Wildcard {
		return "*"
	}
	return principalJSON{AWS: p.AWS, Service: p.Service, Federated: p.Federated, CanonicalUser: p.CanonicalUser}
}

func nonNil(s []string) *[]string {
	if s == nil {
		s = []string{}
	}
	return &s
}

// encode marshals without HTML escaping ("<account>" stays readable); an
// enclosing encoder applies its own escaping.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

// Clone returns a deep copy of the policy.
func (p *Policy) Clone() *Policy {
	if p == nil {
		return nil
	}
	q := *p
	q.Statements = make([]Statement, len(p.Statements))
	for i := range p.Statements {
		q.Statements[i] = p.Statements[i].Clone()
	}
	if p.Statements == nil {
		q.Statements = nil
	}
	return &q
}

// Clone returns a deep copy of the statement.
func (s *Statement) Clone() Statement {
	t := *s
	t.Actions = slices.Clone(s.Actions)
	t.NotActions = slices.Clone(s.NotActions)
	t.Resources = slices.Clone(s.Resources)
	t.NotResources = slices.Clone(s.NotResources)
	t.Principal = s.Principal.Clone()
	t.NotPrincipal = s.NotPrincipal.Clone()
	t.Unknown = slices.Clone(s.Unknown)
	if s.Conditions != nil {
		t.Conditions = make([]Condition, len(s.Conditions))
		for i, c := range s.Conditions {
			c.Values = slices.Clone(c.Values)
			t.Conditions[i] = c
		}
	}
	return t
}

// Clone returns a deep copy of the principal (nil for nil).
func (p *Principal) Clone() *Principal {
	if p == nil {
		return nil
	}
	return &Principal{
		Wildcard:      p.Wildcard,
		AWS:           slices.Clone(p.AWS),
		Service:       slices.Clone(p.Service),
		Federated:     slices.Clone(p.Federated),
		CanonicalUser: slices.Clone(p.CanonicalUser),
	}
}
