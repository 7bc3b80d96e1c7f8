package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestLOG08(t *testing.T) {
	logs := func(res ...string) *inventory.Role {
		return iamWithInline(iamBareRole(), "logs", 30, iamAllow("Logs", 31, iamActs("logs:CreateLogStream", "logs:PutLogEvents"), res...))
	}
	live := func(res string) *inventory.Inventory {
		inv := liveWithAccess(inventory.Value[[]inventory.ServiceAccess]{})
		inv.Roles[0].Inline = []inventory.InlinePolicy{{Name: "logs", Document: inventory.Of(iamPolicy(iamAllow("", 0, iamActs("logs:PutLogEvents"), res)), iamLoc(0))}}
		return inv
	}
	liveFn := "arn:aws:lambda:us-east-1:123456789012:function:orders"
	runIAMCases(t, checkLOG08(), []iamCase{
		{name: "AWSLambdaBasicExecutionRole passes", inv: iamSingle(iamBasicRole()), want: result.Pass, msg: []string{"/aws/lambda/orders"}},
		{name: "own log group with placeholders passes", inv: iamSingle(logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:*")), want: result.Pass},
		{name: "placeholders pass when the source knows the function's region", inv: iamSingle(logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:*")),
			edit: func(f *inventory.Function) { f.Region = "eu-west-1" }, want: result.Pass},
		{name: "own log group with literal account passes in IaC", inv: iamSingle(logs("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders:*")), want: result.Pass},
		{name: "literal account passes when the function's account is a placeholder", inv: iamSingle(logs("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders:*")),
			edit: func(f *inventory.Function) { f.Account, f.Region = inventory.CurrentAccount, inventory.CurrentRegion }, want: result.Pass},
		{name: "no logs permission fails", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, iamAllow("", 31, iamActs("dynamodb:GetItem"), "*"))),
			want: result.Fail, line: 20, msg: []string{`role "orders-role" grants no logs:PutLogEvents on log group /aws/lambda/orders`}},
		{name: "another log group only fails", inv: iamSingle(logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/billing:*")), want: result.Fail,
			notMsg: []string{"log-stream ARNs"}},
		{name: "group without streams explains the missing :*", inv: iamSingle(logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders")),
			want: result.Fail, msg: []string{"it grants it on arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders, the log group itself",
				"needs arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:* (log-stream ARNs)"}},
		{name: "group without streams with literal account explains too", inv: iamSingle(logs("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders")),
			want: result.Fail, msg: []string{"the log group itself"}},
		{name: "custom LoggingConfig group not covered fails", inv: iamSingle(logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:*")),
			edit: func(f *inventory.Function) { f.LogGroup = inventory.Of("/app/orders", iamLoc(5)) }, want: result.Fail, msg: []string{"/app/orders"}},
		{name: "deny fails", inv: iamSingle(iamWithInline(iamBasicRole(), "quiet", 31, iamDeny("", 32, iamActs("logs:PutLogEvents"), "*"))),
			want: result.Fail, msg: []string{"denies logs:PutLogEvents"}},
		{name: "policy defined elsewhere is unknown without a grant", inv: iamSingle(iamElsewhere(iamBareRole())),
			want: result.Unknown, line: 40, msg: []string{"shared-platform"}},
		{name: "policy defined elsewhere does not matter with a grant", inv: iamSingle(iamElsewhere(iamBasicRole())), want: result.Pass},
		{name: "incomplete policies are unknown", inv: iamSingle(func() *inventory.Role {
			r := iamBareRole()
			r.PoliciesComplete = inventory.Of(false, iamLoc(20))
			return r
		}()), want: result.Unknown, msg: []string{"attached outside the scanned code"}},
		{name: "unknown function name is unknown", inv: iamSingle(iamBasicRole()),
			edit: func(f *inventory.Function) {
				f.Name = inventory.UnknownValue[string]("var.name has no value", iamLoc(2))
			},
			want: result.Unknown, msg: []string{"var.name has no value"}},
		{name: "live other account fails", fn: liveFn, inv: live("arn:aws:logs:us-east-1:999999999999:log-group:/aws/lambda/orders:*"), want: result.Fail},
		{name: "live own account passes", fn: liveFn, inv: live("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:*"), want: result.Pass},
	})
}
