package report

import (
	"errors"
	"io"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

func writeJSON(w io.Writer, s *result.Scan, opts Options) error {
	return errors.New("json output is not built yet")
}
