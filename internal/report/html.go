package report

import (
	"errors"
	"io"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

func writeHTML(w io.Writer, s *result.Scan, opts Options) error {
	return errors.New("html output is not built yet")
}
