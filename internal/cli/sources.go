package cli

import (
	"github.com/lambdawarden/lambdawarden/internal/scan"
	"github.com/lambdawarden/lambdawarden/internal/terraform"
)

// Sources returns every input `scan` recognises, in the order their
// inventories are merged. Registering a source is one line here.
func Sources() []scan.Source {
	return []scan.Source{
		terraform.New(),
		// cloudformation.New(),
		// serverless.New(),
		// tfplan.New(),
		// pkgscan.New(pkgscan.DefaultConfig()),
	}
}
