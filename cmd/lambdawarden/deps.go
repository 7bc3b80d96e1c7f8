package main

import (
	_ "github.com/hashicorp/hcl/v2"
	_ "github.com/hashicorp/hcl/v2/hclsyntax"
	_ "github.com/hashicorp/hcl/v2/json"
	_ "github.com/zclconf/go-cty/cty"
	_ "github.com/zclconf/go-cty/cty/function/stdlib"
	_ "github.com/hashicorp/terraform-json"
	_ "gopkg.in/yaml.v3"
	_ "github.com/spf13/cobra"
	_ "github.com/owenrumney/go-sarif/v2/sarif"
)

func main() {}
