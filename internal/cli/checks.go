package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/report"
)

// catalogFormats are the formats of `checks --format`: text here, the
// others written by report.WriteCatalog.
func catalogFormats() []string { return append([]string{"text"}, report.CatalogFormats()...) }

func newChecksCommand(a *App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "checks",
		Short: "List the check catalog: ID, severity, title, SOC 2 criteria, sources",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cs := a.Catalog()
			switch f := strings.ToLower(format); {
			case f == "text":
				return writeCatalogText(a.Stdout, cs)
			case slices.Contains(report.CatalogFormats(), f):
				return report.WriteCatalog(a.Stdout, cs, f)
			}
			return usageError("--format %q: want one of %s", format, strings.Join(catalogFormats(), ", "))
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", strings.Join(catalogFormats(), "|"))
	return cmd
}

func families(c *checks.Check) []string {
	out := make([]string, len(c.Families))
	for i, f := range c.Families {
		out[i] = string(f)
	}
	return out
}

// writeCatalogText writes an aligned table.
func writeCatalogText(w io.Writer, cs []*checks.Check) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE\tSOC 2\tSOURCES")
	for _, c := range cs {
		title := c.Title
		if c.DefaultOff {
			title += " (off by default)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Severity, title, strings.Join(c.Controls, " "), strings.Join(families(c), " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d checks. Sources: TF Terraform (HCL and plan JSON), CFN CloudFormation/SAM, SLS Serverless Framework, PKG deployment packages, LIVE an AWS account.\n", len(cs))
	return err
}
