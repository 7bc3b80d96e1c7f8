// Package tfplan reads Terraform plans in JSON (`terraform show -json
// PLANFILE`) into the inventory. Plans are recognised by content, whatever
// their file name. Each resource instance's planned values
// (resource_changes[].change.after, with after_unknown) become a
// terraform.Instance and are mapped by the Terraform loader's own
// BuildInventory, so plan JSON and HCL feed the checks with the same
// semantics. Values known only after apply are UNKNOWN, except references to
// another resource's attributes, which the plan's configuration section
// names: those become the specific (symbolic) value the HCL loader gives
// them, such as arn:aws:iam::<account>:role/NAME.
package tfplan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
	"github.com/lambdawarden/lambdawarden/internal/terraform"
)

// Config configures the source.
type Config struct {
	// MaxBytes is the largest JSON file read (plans of big estates reach
	// tens of megabytes).
	MaxBytes int64
}

// DefaultConfig returns the default limits.
func DefaultConfig() Config { return Config{MaxBytes: 256 << 20} }

// Source reads Terraform plan JSON files.
type Source struct{ cfg Config }

// New returns the source with DefaultConfig.
func New() scan.Source { return NewWithConfig(DefaultConfig()) }

// NewWithConfig returns the source with cfg.
func NewWithConfig(cfg Config) *Source { return &Source{cfg: cfg} }

// Kind is inventory.TerraformPlan.
func (s *Source) Kind() inventory.SourceKind { return inventory.TerraformPlan }

// Find returns the JSON files under t that are plans: a top-level object
// with format_version and planned_values or resource_changes.
func (s *Source) Find(ctx context.Context, t *scan.Tree) ([]string, error) {
	var out []string
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lower := strings.ToLower(f)
		if !strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".tf.json") {
			continue
		}
		if s.isPlan(diskPath(t, f)) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out, nil
}

// isPlan reads a file only as far as needed to recognise a plan.
func (s *Source) isPlan(p string) bool {
	info, err := os.Stat(p)
	if err != nil || !info.Mode().IsRegular() || info.Size() > s.cfg.MaxBytes {
		return false
	}
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	defer fh.Close()
	head := make([]byte, 4096)
	n, _ := fh.Read(head)
	head = bytes.TrimLeft(head[:n], " \t\r\n\xef\xbb\xbf")
	if len(head) == 0 || head[0] != '{' || !bytes.Contains(head, []byte(`"format_version"`)) {
		return false
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	return bytes.Contains(data, []byte(`"planned_values"`)) || bytes.Contains(data, []byte(`"resource_changes"`))
}

func diskPath(t *scan.Tree, f string) string {
	if t.IsFile {
		return t.Root
	}
	return filepath.Join(t.Root, filepath.FromSlash(f))
}

func displayPath(t *scan.Tree, f string) string {
	if t.IsFile {
		return t.Display
	}
	return path.Join(t.Display, f)
}

// Load reads one plan file.
func (s *Source) Load(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
	file := displayPath(t, input)
	fail := func(line int, format string, args ...any) *inventory.Inventory {
		return &inventory.Inventory{
			Sources: []inventory.Source{{Kind: inventory.TerraformPlan, Path: file}},
			Errors:  []inventory.Error{{Source: file, Line: line, Message: fmt.Sprintf(format, args...)}},
		}
	}
	disk := diskPath(t, input)
	info, err := os.Stat(disk)
	if err != nil {
		return fail(0, "read plan: %v", err)
	}
	if info.Size() > s.cfg.MaxBytes {
		return fail(0, "plan is %d bytes, larger than the limit of %d", info.Size(), s.cfg.MaxBytes)
	}
	data, err := os.ReadFile(disk)
	if err != nil {
		return fail(0, "read plan: %v", err)
	}
	lines, err := scanLines(data)
	if err != nil {
		return fail(lines.errLine, "malformed plan JSON: %v", err)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(data, &plan); err != nil {
		return fail(0, "not a Terraform plan terraform-json accepts: %v", err)
	}
	insts, errs := instances(ctx, &plan, lines, file)
	rootDir := filepath.Dir(disk)
	inv := terraform.BuildInventory(insts, terraform.BuildOptions{
		Kind:        inventory.TerraformPlan,
		Origin:      file,
		RootDir:     rootDir,
		RootDisplay: path.Dir(file),
	})
	inv.Errors = append(inv.Errors, errs...)
	return inv
}

// instanceLoc is where an instance's object is written in the plan: its
// resource_changes entry, else its planned_values or prior_state entry.
func instanceLoc(file string, lines lineIndex, address string) srcloc.Location {
	for _, sec := range []string{"resource_changes", "planned_values", "prior_state"} {
		if l, ok := lines.addr[sec][address]; ok {
			return srcloc.Location{File: file, Line: l}
		}
	}
	return srcloc.Location{File: file, Line: 1}
}
