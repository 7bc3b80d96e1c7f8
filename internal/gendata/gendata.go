// Package gendata helps the go:generate programs that turn the reference data
// kept beside the repository (../shared/data) into the compact files the
// packages embed.
package gendata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// RepoRoot returns the directory holding go.mod, walking up from the working
// directory (go generate runs in the package's directory).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; pass -data")
		}
		dir = parent
	}
}
