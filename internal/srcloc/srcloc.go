// Package srcloc describes where something is written in a scanned file.
package srcloc

import "fmt"

// Location is a position in a source file. File is relative to the parent of
// the scanned path as the user gave it; Line and Column are 1-based. The zero
// Location means "no location" (for example a live AWS resource).
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
}

// IsZero reports whether l carries no location.
func (l Location) IsZero() bool { return l.File == "" && l.Line == 0 }

// String formats l as file:line:column, omitting what is absent.
func (l Location) String() string {
	switch {
	case l.File == "":
		return ""
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
}

// Less orders locations by file, line and column.
func (l Location) Less(o Location) bool {
	if l.File != o.File {
		return l.File < o.File
	}
	if l.Line != o.Line {
		return l.Line < o.Line
	}
	return l.Column < o.Column
}
