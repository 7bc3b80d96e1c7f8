// Package iampolicy parses IAM policy documents in every legal shape and
// answers the questions the checks ask of them: which actions a statement
// allows on which resources, who a resource policy lets in, and what the
// IAM action catalog and the AWS-managed policies say.
package iampolicy

import "github.com/lambdawarden/lambdawarden/internal/srcloc"

// Effect is a statement's effect.
type Effect string

const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is a parsed identity, trust or resource policy document.
type Policy struct {
	Version    string      `json:"Version,omitempty"`
	ID         string      `json:"Id,omitempty"`
	Statements []Statement `json:"Statement"`
}

// Statement is one policy statement. Exactly one of Action/NotAction is
// meaningful (NotActionSet tells which), likewise Resource/NotResource and
// Principal/NotPrincipal. Strings that the source could not resolve are left
// out of the lists and the field is named in Unknown, so that a check can say
// UNKNOWN rather than PASS.
type Statement struct {
	Sid    string `json:"Sid,omitempty"`
	Effect Effect `json:"Effect"`

	Actions      []string `json:"Action,omitempty"`
	NotActions   []string `json:"NotAction,omitempty"`
	NotActionSet bool     `json:"-"`

	Resources      []string `json:"Resource,omitempty"`
	NotResources   []string `json:"NotResource,omitempty"`
	NotResourceSet bool     `json:"-"`

	Principal    *Principal `json:"Principal,omitempty"`
	NotPrincipal *Principal `json:"NotPrincipal,omitempty"`

	Conditions []Condition `json:"Condition,omitempty"`

	// Unknown names the fields ("Action", "Resource", "Principal",
	// "Condition", "Effect") that hold at least one unresolvable value.
	Unknown []string `json:"-"`

	// Loc is where the statement is written, when the source knows.
	Loc srcloc.Location `json:"-"`
}

// Principal is a statement's principal. Wildcard is true for "Principal": "*".
// The maps' values are sorted and deduplicated.
type Principal struct {
	Wildcard      bool     `json:"-"`
	AWS           []string `json:"AWS,omitempty"`
	Service       []string `json:"Service,omitempty"`
	Federated     []string `json:"Federated,omitempty"`
	CanonicalUser []string `json:"CanonicalUser,omitempty"`
}

// Condition is one operator-key test of a Condition block, for example
// {Operator: "ArnLike", Key: "aws:SourceArn", Values: [...]}. Conditions are
// kept in document order, then sorted by operator and key, so output is stable.
type Condition struct {
	Operator string   `json:"Operator"`
	Key      string   `json:"Key"`
	Values   []string `json:"Values"`
}
