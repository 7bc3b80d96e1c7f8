// Package serverless reads Serverless Framework services (serverless.yml,
// .yaml or .json; framework v3 and v4) into the inventory: provider and
// function settings, the execution role the framework creates (shared by
// every function, or one per function with the serverless-iam-roles-per-function
// plugin), function URLs, event permissions, log groups and inline waivers.
//
// Variables are resolved deterministically: ${self:}, ${opt:stage},
// ${sls:stage}, ${file()} of YAML/JSON files inside the scanned tree and
// literal fallbacks; ${env:} is never read from the process environment (it
// is unknown unless a fallback is given); ${ssm:}, ${aws:}, ${cf:}, ${s3:}
// are deploy-time references, unknown and never taken for secrets.
package serverless

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// GeneratedTemplate is where `serverless package` writes the CloudFormation
// it would deploy, relative to the service folder.
const GeneratedTemplate = ".serverless/cloudformation-template-update-stack.json"

// TemplateLoader loads one CloudFormation template file of t (input is
// relative to t.Root, like scan.Source inputs). The CloudFormation source
// provides it; this package does not import it.
type TemplateLoader func(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory

// Limits bound the work one service file may cause.
type Limits struct {
	// MaxBytes is the largest service (or ${file()}) file read.
	MaxBytes int64
	// MaxDepth is the deepest nesting of mappings and lists, through aliases.
	MaxDepth int
	// MaxExpandedNodes caps the values of a file with aliases and variables
	// expanded (alias bombs).
	MaxExpandedNodes int
	// MaxVarDepth is how deeply variables may refer to variables.
	MaxVarDepth int
	// MaxSteps bounds the total variable-resolution work per file.
	MaxSteps int
	// MaxStringBytes is the longest string variables may build.
	MaxStringBytes int
	// MaxFiles is how many files ${file()} may read per service.
	MaxFiles int
}

func (l Limits) template() template.Limits {
	return template.Limits{MaxBytes: l.MaxBytes, MaxDepth: l.MaxDepth, MaxExpandedNodes: l.MaxExpandedNodes}
}

// Config configures the source.
type Config struct {
	Limits Limits
	// LoadTemplate, when set, loads the generated template of a packaged
	// service (.serverless/cloudformation-template-update-stack.json), which
	// is then preferred over the service file. When nil the service file is
	// read and the generated template is only noted.
	LoadTemplate TemplateLoader
	// Logger receives info-level notes (a generated template preferred or
	// ignored). Default slog.Default().
	Logger *slog.Logger
}

// DefaultConfig returns generous limits for real services and no template loader.
func DefaultConfig() Config {
	return Config{Limits: Limits{
		MaxBytes:         8 << 20,
		MaxDepth:         128,
		MaxExpandedNodes: 1_000_000,
		MaxVarDepth:      24,
		MaxSteps:         2_000_000,
		MaxStringBytes:   1 << 20,
		MaxFiles:         64,
	}}
}

// Source reads Serverless Framework services.
type Source struct{ cfg Config }

// New returns the source with DefaultConfig.
func New() scan.Source { return NewWithConfig(DefaultConfig()) }

// NewWithConfig returns the source with cfg.
func NewWithConfig(cfg Config) *Source {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Source{cfg: cfg}
}

// Kind is inventory.Serverless.
func (s *Source) Kind() inventory.SourceKind { return inventory.Serverless }

// serviceNames are the file names the framework reads, in its order of preference.
var serviceNames = []string{"serverless.yml", "serverless.yaml", "serverless.json", "serverless.js", "serverless.ts", "serverless.cjs", "serverless.mjs"}

// Find returns the service files under t: files named like the framework's
// (serverless.yml/.yaml/.json, and .js/.ts, which Load reports as not
// supported), and other YAML files whose content is a service (top-level
// `service` and `provider: {name: aws}`). Files inside .serverless/ are
// left out.
func (s *Source) Find(ctx context.Context, t *scan.Tree) ([]string, error) {
	var out []string
	taken := map[string]bool{} // folders that already have a service file
	for _, f := range t.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if inGenerated(f) {
			continue
		}
		base := path.Base(f)
		for _, n := range serviceNames {
			if base == n {
				if !taken[path.Dir(f)] {
					taken[path.Dir(f)] = true
					out = append(out, f)
				}
				break
			}
		}
	}
	for _, f := range t.Files {
		if inGenerated(f) || taken[path.Dir(f)] {
			continue
		}
		switch strings.ToLower(path.Ext(f)) {
		case ".yml", ".yaml":
		default:
			continue
		}
		if s.looksLikeService(t, f) {
			taken[path.Dir(f)] = true
			out = append(out, f)
		}
	}
	sortStrings(out)
	return out, nil
}

func inGenerated(f string) bool {
	return strings.HasPrefix(f, ".serverless/") || strings.Contains(f, "/.serverless/")
}

// looksLikeService reads the start of a YAML file to see whether it is a
// Serverless service for AWS.
func (s *Source) looksLikeService(t *scan.Tree, f string) bool {
	fh, err := os.Open(diskPath(t, f))
	if err != nil {
		return false
	}
	defer fh.Close()
	buf := make([]byte, 64<<10)
	n, _ := fh.Read(buf)
	buf = buf[:n]
	if !bytes.Contains(buf, []byte("service")) || !bytes.Contains(buf, []byte("provider")) {
		return false
	}
	var doc struct {
		Service  any `yaml:"service"`
		Provider struct {
			Name string `yaml:"name"`
		} `yaml:"provider"`
		Resources any `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(buf, &doc); err != nil {
		return false
	}
	return doc.Service != nil && doc.Provider.Name == "aws" && doc.Resources == nil
}

// diskPath is the path on disk of a file of t.
func diskPath(t *scan.Tree, f string) string {
	if t.IsFile {
		return t.Root
	}
	return filepath.Join(t.Root, filepath.FromSlash(f))
}

// displayPath is a file's path as locations show it.
func displayPath(t *scan.Tree, f string) string {
	if t.IsFile {
		return t.Display
	}
	return path.Join(t.Display, f)
}

// Load reads one service. When the service was packaged (a generated
// template sits beside it) and a template loader is configured, the
// generated template is loaded instead, with function keys as IDs.
func (s *Source) Load(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
	file := displayPath(t, input)
	inv := &inventory.Inventory{Sources: []inventory.Source{{Kind: inventory.Serverless, Path: file}}}
	fail := func(line int, format string, args ...any) *inventory.Inventory {
		inv.Errors = append(inv.Errors, inventory.Error{Source: file, Line: line, Message: fmt.Sprintf(format, args...)})
		return inv
	}
	switch strings.ToLower(path.Ext(input)) {
	case ".ts", ".js", ".cjs", ".mjs":
		return fail(0, "%s configuration is not supported; run `serverless package` and scan .serverless/", strings.TrimPrefix(path.Ext(input), "."))
	}
	disk := diskPath(t, input)
	gen := filepath.Join(filepath.Dir(disk), filepath.FromSlash(GeneratedTemplate))
	if info, err := os.Stat(gen); err == nil && info.Mode().IsRegular() {
		genInput := path.Join(path.Dir(input), GeneratedTemplate)
		if s.cfg.LoadTemplate != nil && !t.IsFile {
			s.cfg.Logger.InfoContext(ctx, "serverless: reading the packaged CloudFormation instead of the service file",
				"service", file, "template", displayPath(t, genInput))
			return s.loadGenerated(ctx, t, input, genInput, opts)
		}
		s.cfg.Logger.InfoContext(ctx, "serverless: a packaged template exists but no CloudFormation loader is configured; reading the service file",
			"service", file, "template", path.Join(path.Dir(file), GeneratedTemplate))
	}
	return s.loadService(ctx, t, input, opts)
}

// loadService reads the service file input itself.
func (s *Source) loadService(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
	file := displayPath(t, input)
	disk := diskPath(t, input)
	inv := &inventory.Inventory{Sources: []inventory.Source{{Kind: inventory.Serverless, Path: file}}}
	fail := func(line int, format string, args ...any) *inventory.Inventory {
		inv.Errors = append(inv.Errors, inventory.Error{Source: file, Line: line, Message: fmt.Sprintf(format, args...)})
		return inv
	}
	data, err := readLimited(disk, s.cfg.Limits.MaxBytes)
	if err != nil {
		return fail(0, "%v", err)
	}
	tpl, err := template.Parse(file, data, s.cfg.Limits.template())
	if err != nil {
		var te *template.Error
		if errors.As(err, &te) {
			return fail(te.Line, "%s", te.Message)
		}
		return fail(0, "%v", err)
	}
	rootDir := t.Root
	if t.IsFile {
		rootDir = filepath.Dir(t.Root)
	}
	r := newResolver(ctx, file, filepath.Dir(disk), rootDir, tpl.Root, opts.Stage, s.cfg.Limits)
	b := newBuilder(r, file, diskDirOf(t, input))
	b.build()
	b.inv.Sources = inv.Sources
	b.inv.Errors = append(b.inv.Errors, r.errs...)
	return b.inv
}

func diskDirOf(t *scan.Tree, input string) string {
	return filepath.Dir(diskPath(t, input))
}

func readLimited(p string, max int64) ([]byte, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(p), err)
	}
	if max > 0 && info.Size() > max {
		return nil, fmt.Errorf("file is %d bytes, larger than the limit of %d", info.Size(), max)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(p), err)
	}
	return data, nil
}
