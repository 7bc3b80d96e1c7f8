package cli

import (
	"context"
	"log/slog"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/pkgscan"
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/serverless"
	"github.com/lambdawarden/lambdawarden/internal/terraform"
	"github.com/lambdawarden/lambdawarden/internal/tfplan"
)

// Sources returns every input `scan` recognises, in the order their
// inventories are merged. Registering a source is one line here. The
// sources' diagnostics go to the logger of the context they run in (see
// withLogger), so one set of sources serves every command.
func Sources() []scan.Source {
	log := slog.New(ctxHandler{})
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
		pkgscan.New(pkgscan.DefaultConfig()),
	}
}

// AfterLoad returns the steps that run once on every scan's merged
// inventory, before the checks: reading the deployment packages that the
// functions and layers point at (Terraform filename and archive_file, SAM
// CodeUri, CDK assets, Serverless .serverless/*.zip) for the package checks.
func AfterLoad() []func(ctx context.Context, trees []*scan.Tree, inv *inventory.Inventory) {
	return []func(context.Context, []*scan.Tree, *inventory.Inventory){
		pkgscan.Linker(pkgscan.DefaultConfig()),
	}
}
