package report

import (
	"errors"
	"io"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

func writeCSV(w io.Writer, s *result.Scan, opts Options) error {
	return errors.New("csv output is not built yet")
}
