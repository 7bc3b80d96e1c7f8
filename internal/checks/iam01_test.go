package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// iamTwoFunctions is an inventory of functions f ("orders") and g ("billing")
// with the given role references.
func iamTwoFunctions(src inventory.SourceKind, fRole, gRole inventory.Value[inventory.Ref], roles ...*inventory.Role) *inventory.Inventory {
	f := iamFunction(iamTestFn, "orders", "")
	g := iamFunction("aws_lambda_function.g", "billing", "")
	g.Loc, g.Name.Loc = iamLoc(10), iamLoc(11)
	f.Role, g.Role = fRole, gRole
	f.Source, g.Source = src, src
	return &inventory.Inventory{Functions: []*inventory.Function{f, g}, Roles: roles}
}

func iamIDRef(id string) inventory.Value[inventory.Ref] {
	return inventory.Of(inventory.Ref{ID: id}, iamLoc(3))
}

func TestIAM01(t *testing.T) {
	shared := "arn:aws:iam::123456789012:role/shared-lambda"
	runIAMCases(t, checkIAM01(), []iamCase{
		{name: "own role passes", inv: iamTwoFunctions(inventory.Terraform, iamIDRef("aws_iam_role.a"), iamIDRef("aws_iam_role.b"),
			iamRole("aws_iam_role.a", "orders-role"), iamRole("aws_iam_role.b", "billing-role")),
			want: result.Pass, msg: []string{`"orders-role" is used by this function only`}},
		{name: "role shared by ID fails", inv: iamTwoFunctions(inventory.Terraform, iamIDRef("aws_iam_role.a"), iamIDRef("aws_iam_role.a"),
			iamRole("aws_iam_role.a", "lambda-shared")),
			want: result.Fail, line: 3, msg: []string{`execution role "lambda-shared" is shared with 1 other function: billing`}},
		{name: "other function sharing fails too", fn: "aws_lambda_function.g",
			inv:  iamTwoFunctions(inventory.Terraform, iamIDRef("aws_iam_role.a"), iamIDRef("aws_iam_role.a"), iamRole("aws_iam_role.a", "lambda-shared")),
			want: result.Fail, msg: []string{"with 1 other function: orders"}},
		{name: "serverless default shared role fails",
			inv: iamTwoFunctions(inventory.Serverless, iamIDRef("IamRoleLambdaExecution"), iamIDRef("IamRoleLambdaExecution"),
				iamRole("IamRoleLambdaExecution", "svc-dev-us-east-1-lambdaRole")),
			want: result.Fail, msg: []string{"svc-dev-us-east-1-lambdaRole"}},
		{name: "same literal ARN of a role defined elsewhere fails",
			inv:  iamTwoFunctions(inventory.Terraform, inventory.Of(iamARNRef(shared), iamLoc(3)), inventory.Of(iamARNRef(shared), iamLoc(13))),
			want: result.Fail, msg: []string{shared, "billing"}},
		{name: "name and ARN of the same scanned role fail",
			inv: iamTwoFunctions(inventory.CloudFormation, iamIDRef("aws_iam_role.a"),
				inventory.Of(iamARNRef("arn:aws:iam::123456789012:role/lambda-shared"), iamLoc(13)), iamRole("aws_iam_role.a", "lambda-shared")),
			want: result.Fail},
		{name: "different literal ARNs pass",
			inv: iamTwoFunctions(inventory.Terraform, inventory.Of(iamARNRef(shared), iamLoc(3)),
				inventory.Of(iamARNRef("arn:aws:iam::123456789012:role/other"), iamLoc(13))),
			want: result.Pass},
		{name: "unknown role is unknown",
			inv: iamTwoFunctions(inventory.Terraform, inventory.UnknownValue[inventory.Ref]("var.role has no value", iamLoc(3)),
				iamIDRef("aws_iam_role.a"), iamRole("aws_iam_role.a", "x")),
			want: result.Unknown, msg: []string{"var.role has no value"}},
	})
}
