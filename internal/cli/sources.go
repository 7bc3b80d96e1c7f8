package cli

import (
	"log/slog"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/serverless"
	"github.com/lambdawarden/lambdawarden/internal/terraform"
	"github.com/lambdawarden/lambdawarden/internal/tfplan"
)

// Sources returns every input `scan` recognises, in the order their
// inventories are merged, with their diagnostics discarded. Registering a
// source is one line in SourcesFor.
func Sources() []scan.Source { return SourcesFor(nil) }

// SourcesFor is Sources with the sources' diagnostics sent to log (nil:
// discarded).
func SourcesFor(log *slog.Logger) []scan.Source {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// A packaged Serverless service (.serverless/cloudformation-template-
	// update-stack.json beside serverless.yml) is read through the
	// CloudFormation loader; the CloudFormation source itself skips
	// .serverless, so no template is read twice.
	cfn := cloudformation.NewWithConfig(cloudformation.DefaultConfig())
	sls := serverless.DefaultConfig()
	sls.LoadTemplate = cfn.Load
	sls.Logger = log
	return []scan.Source{
		terraform.New(),
		cfn,
		serverless.NewWithConfig(sls),
		tfplan.New(),
	}
}
