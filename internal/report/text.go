package report

import (
	"errors"
	"io"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

func writeText(w io.Writer, s *result.Scan, opts Options) error {
	return errors.New("text output is not built yet")
}
