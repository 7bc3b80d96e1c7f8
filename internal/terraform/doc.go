// Package terraform loads Terraform configurations written in HCL (.tf and
// .tf.json) into the inventory.
//
// It works in two layers:
//
//  1. Evaluation (Source.Load): the root module's files are parsed and
//     evaluated with hcl/v2 and go-cty (variables with tfvars/--var-file/--var
//     precedence, lazy locals, count/for_each, local modules, the common
//     functions, aws_iam_policy_document and the AWS identity data sources).
//     Every mapped resource becomes an Instance: its address as Terraform
//     writes it, and its attribute values as a cty object that may hold
//     unknowns. References to other resources resolve to their configured
//     values, or to specific symbolic values (see SymbolicAttr), never to
//     "*". Values carry marks: RefMark (read from another object) and
//     WhyMark (why a value is unknown).
//  2. Mapping (BuildInventory): Instances to inventory items. It reads only
//     Instance fields, so the plan JSON loader can build Instances from
//     planned_values (blocks as lists of objects, after_unknown as unknowns,
//     configuration references as RefMark, a nil Locator) and reuse the
//     mapping unchanged.
//
// Evaluation is lazy: only resource types that BuildInventory maps are
// evaluated in full; everything else only as far as references need it.
package terraform
