package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

// version is the release; builds may set it with
// -ldflags "-X github.com/lambdawarden/lambdawarden/internal/cli.version=X".
var version = "0.1.0"

// Tool identifies this build in reports.
func Tool() result.Tool { return result.Tool{Name: "lambdawarden", Version: version} }

func newVersionCommand(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(a.Stdout, "lambdawarden %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
