package inventory

import (
	"fmt"

	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// State says how much a source told us about a value.
type State uint8

const (
	// Absent: the source does not set the value, so the AWS default applies
	// (for example no reserved concurrency, no KMS key).
	Absent State = iota
	// Known: the value was resolved.
	Known
	// Unknown: the source sets the value but it cannot be resolved statically
	// (known only after apply, an unresolvable reference or variable, an API
	// call that failed). A check must never treat it as compliant.
	Unknown
)

func (s State) String() string {
	switch s {
	case Known:
		return "known"
	case Unknown:
		return "unknown"
	}
	return "absent"
}

// MarshalText implements encoding.TextMarshaler.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *State) UnmarshalText(b []byte) error {
	switch string(b) {
	case "absent", "":
		*s = Absent
	case "known":
		*s = Known
	case "unknown":
		*s = Unknown
	default:
		return fmt.Errorf("invalid value state %q", b)
	}
	return nil
}

// Value is a setting that may be absent, known or unknown, with the place it
// was set. Checks read it through Get, IsUnknown and IsAbsent, so the unknown
// case is always visible.
type Value[T any] struct {
	State State           `json:"state"`
	V     T               `json:"value,omitzero"`
	Loc   srcloc.Location `json:"loc,omitzero"`
	// Why explains an unknown value ("known after apply", "variable var.x has no value").
	Why string `json:"why,omitempty"`
}

// Of returns a known value set at loc.
func Of[T any](v T, loc srcloc.Location) Value[T] { return Value[T]{State: Known, V: v, Loc: loc} }

// UnknownValue returns an unknown value set at loc, with the reason.
func UnknownValue[T any](why string, loc srcloc.Location) Value[T] {
	return Value[T]{State: Unknown, Loc: loc, Why: why}
}

// Get returns the value and whether it is known.
func (v Value[T]) Get() (T, bool) { return v.V, v.State == Known }

// IsKnown reports whether the value was resolved.
func (v Value[T]) IsKnown() bool { return v.State == Known }

// IsUnknown reports whether the value is set but could not be resolved.
func (v Value[T]) IsUnknown() bool { return v.State == Unknown }

// IsAbsent reports whether the source does not set the value.
func (v Value[T]) IsAbsent() bool { return v.State == Absent }

// Or returns the value when known and def otherwise.
func (v Value[T]) Or(def T) T {
	if v.State == Known {
		return v.V
	}
	return def
}

// String formats the value for messages.
func (v Value[T]) String() string {
	switch v.State {
	case Known:
		return fmt.Sprint(v.V)
	case Unknown:
		if v.Why != "" {
			return "unknown (" + v.Why + ")"
		}
		return "unknown"
	}
	return "not set"
}
