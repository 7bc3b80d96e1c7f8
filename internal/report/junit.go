package report

import (
	"errors"
	"io"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

func writeJUnit(w io.Writer, s *result.Scan, opts Options) error {
	return errors.New("junit output is not built yet")
}
