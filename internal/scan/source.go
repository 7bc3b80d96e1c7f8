package scan

import (
	"context"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Tree is one PATH given to `scan`: a directory or a single file on disk.
type Tree struct {
	// Root is the path on disk (a directory, or a file when the user named one).
	Root string
	// Display is the prefix that locations use for files under Root: the
	// path as the user gave it, cleaned ("examples", "infra/main.tf"); for an
	// absolute path, its base name. Locations never hold absolute paths.
	Display string
	// Files are the regular files under Root, slash-separated and relative to
	// Root, sorted; vendored and generated folders (.git, node_modules,
	// .terraform, cdk.out/asset.*) are left out. For a single-file Tree it is
	// that file's base name.
	Files []string
	// IsFile is true when the user named a single file: Root is that file.
	IsFile bool
}

// LoadOptions are the inputs that change how sources resolve values.
type LoadOptions struct {
	// Terraform: --var-file and --var (NAME=VALUE).
	VarFiles []string
	Vars     []string
	// CloudFormation: --cfn-param KEY=VALUE.
	CFNParams []string
	// Serverless Framework: --stage (default "dev") and --sls-opt KEY=VALUE.
	Stage string
}

// Source finds and loads one kind of input (Terraform roots, CloudFormation
// templates, Serverless services, plan JSON, packages).
type Source interface {
	// Kind is the kind of the items this source produces.
	Kind() inventory.SourceKind
	// Find returns the inputs under t this source reads: files or directories,
	// relative to t.Root and slash-separated, sorted. It reads file contents
	// only as far as needed to recognise them.
	Find(ctx context.Context, t *Tree) ([]string, error)
	// Load reads one input into an inventory. What cannot be read becomes an
	// entry in the inventory's Errors (file and line), never a panic; what
	// was read is kept.
	Load(ctx context.Context, t *Tree, input string, opts LoadOptions) *inventory.Inventory
}
