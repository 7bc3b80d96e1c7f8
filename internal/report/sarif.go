package report

import (
	"errors"
	"io"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

func writeSARIF(w io.Writer, s *result.Scan, opts Options) error {
	return errors.New("sarif output is not built yet")
}
