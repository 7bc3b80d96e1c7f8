package pkgscan

import (
	"runtime"

	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// Config holds the limits and knobs of a package scan. Every limit is a field
// so callers (and tests) can tune it; DefaultConfig fits real Lambda packages
// (AWS allows 250 MB unzipped) with room to spare, and a zero field means its
// default (so Config{} is DefaultConfig).
type Config struct {
	// MaxTotalBytes is the most uncompressed data read from one package,
	// nested archives included. A zip whose entries claim more is refused
	// before anything is read; actual bytes are counted too, never trusting
	// the headers.
	MaxTotalBytes int64
	// MaxEntries is the most files (and folders) one package may hold,
	// nested archives included.
	MaxEntries int
	// MaxRatio is the highest compression ratio (uncompressed:compressed)
	// allowed for one entry and for a whole archive. Entries and archives
	// that expand to less than RatioAllowanceBytes are not held to it
	// (small, very repetitive files are common and harmless).
	MaxRatio            int64
	RatioAllowanceBytes int64
	// MaxDepth is how deep archives inside the package (a .zip or .jar in the
	// zip) are opened: 1 opens archives in the package, 2 also archives in
	// those (0 means the default; a negative value opens none). Deeper
	// archives are reported and not read.
	MaxDepth int
	// MaxNestedArchiveBytes is the largest nested archive read; a nested
	// archive that is compressed in its parent is held in memory while it
	// is read.
	MaxNestedArchiveBytes int64
	// MaxScanFileBytes is the largest file scanned for secrets; larger files
	// are skipped and reported (LW-SEC-05 is UNKNOWN for them). Files are
	// streamed in windows, so this bounds time, not memory.
	MaxScanFileBytes int64
	// MaxManifestBytes is the largest lock file, metadata file or binary read
	// whole for its dependencies.
	MaxManifestBytes int64
	// BinarySniffBytes is how much of a file is looked at to tell binary from
	// text (a NUL byte means binary). Binary files are not scanned for
	// secrets.
	BinarySniffBytes int
	// Workers is how many files of one package are read at once (default
	// GOMAXPROCS).
	Workers int
	// Secrets is the detector used for LW-SEC-05 (default secrets.Default()).
	Secrets *secrets.Detector
}

// DefaultConfig returns the limits used by `lambdawarden scan`.
func DefaultConfig() Config {
	return Config{
		MaxTotalBytes:         512 << 20,
		MaxEntries:            100_000,
		MaxRatio:              100,
		RatioAllowanceBytes:   1 << 20,
		MaxDepth:              2,
		MaxNestedArchiveBytes: 128 << 20,
		MaxScanFileBytes:      32 << 20,
		MaxManifestBytes:      64 << 20,
		BinarySniffBytes:      8 << 10,
	}
}

// withDefaults fills zero fields from DefaultConfig and resolves the
// detector.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	if c.MaxTotalBytes <= 0 {
		c.MaxTotalBytes = d.MaxTotalBytes
	}
	if c.MaxEntries <= 0 {
		c.MaxEntries = d.MaxEntries
	}
	if c.MaxRatio <= 0 {
		c.MaxRatio = d.MaxRatio
	}
	if c.RatioAllowanceBytes <= 0 {
		c.RatioAllowanceBytes = d.RatioAllowanceBytes
	}
	switch {
	case c.MaxDepth == 0:
		c.MaxDepth = d.MaxDepth
	case c.MaxDepth < 0:
		c.MaxDepth = 0
	}
	if c.MaxNestedArchiveBytes <= 0 {
		c.MaxNestedArchiveBytes = d.MaxNestedArchiveBytes
	}
	if c.MaxScanFileBytes <= 0 {
		c.MaxScanFileBytes = d.MaxScanFileBytes
	}
	if c.MaxManifestBytes <= 0 {
		c.MaxManifestBytes = d.MaxManifestBytes
	}
	if c.BinarySniffBytes <= 0 {
		c.BinarySniffBytes = d.BinarySniffBytes
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Secrets == nil {
		det, err := secrets.Default()
		if err != nil {
			return c, err
		}
		c.Secrets = det
	}
	return c, nil
}
