// Package cloudformation reads CloudFormation templates (YAML or JSON),
// SAM templates and CDK output (cdk.out) into the inventory. Templates are
// found by content, parsed with yaml.v3 nodes so every value keeps its file,
// line and column, and evaluated with their intrinsics, parameters
// (defaults, --cfn-param, samconfig.toml parameter_overrides), conditions,
// mappings and local nested stacks; SAM resources are expanded the way the
// SAM translator expands them (package sam), CDK assets and stack tags are
// read from the cloud assembly.
//
// Resource IDs are logical IDs, prefixed by the nested stack's logical ID
// and a dot ("Api.Handler"); SAM's implicit resources keep SAM's generated
// IDs ("FnRole", "FnUrl", "FnGetPermissionProd", "FnAliaslive").
//
// Register it with the scanner as cloudformation.New().
package cloudformation

import (
	"context"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// Config holds the source's limits.
type Config struct {
	// SniffBytes is how much of a file Find reads to recognise a template.
	SniffBytes int
	// Template bounds parsing: file size, nesting depth, alias expansion.
	Template template.Limits
	// MaxSteps bounds the evaluation work per template.
	MaxSteps int
	// MaxNestedDepth bounds how deep nested stacks are followed.
	MaxNestedDepth int
}

// DefaultConfig returns the limits used by New.
func DefaultConfig() Config {
	return Config{
		SniffBytes:     64 << 10,
		Template:       template.DefaultLimits(),
		MaxSteps:       20_000_000,
		MaxNestedDepth: 8,
	}
}

// Source is the CloudFormation/SAM/CDK source.
type Source struct {
	cfg Config
}

// New returns the CloudFormation source with the default limits.
func New() scan.Source { return NewWithConfig(DefaultConfig()) }

// NewWithConfig returns the CloudFormation source with the given limits.
func NewWithConfig(cfg Config) *Source { return &Source{cfg: cfg} }

// Kind is inventory.CloudFormation; items read from SAM templates carry
// inventory.SAM.
func (s *Source) Kind() inventory.SourceKind { return inventory.CloudFormation }

// Find returns the templates under t: YAML and JSON files that declare
// AWSTemplateFormatVersion, the SAM transform, or a Resources map of AWS::
// types, and cdk.out/*.template.json. It skips .serverless (the Serverless
// source reads it), .aws-sam build copies, node_modules, Serverless
// service files, Terraform plan JSON, and templates that another template
// in the tree nests (they are read with their parent's parameters).
func (s *Source) Find(ctx context.Context, t *scan.Tree) ([]string, error) {
	return s.find(ctx, t)
}

// Load reads one template (with its nested stacks) into an inventory.
func (s *Source) Load(ctx context.Context, t *scan.Tree, input string, opts scan.LoadOptions) *inventory.Inventory {
	return s.load(ctx, t, input, opts)
}
