package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM07(t *testing.T) {
	logs := func(res ...string) *inventory.Inventory {
		return iamSingle(iamWithInline(iamBareRole(), "logs", 30, iamAllow("Logs", 31, iamActs("logs:CreateLogStream", "logs:PutLogEvents"), res...)))
	}
	own := "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:*"
	runIAMCases(t, checkIAM07(), []iamCase{
		{name: "own log group with placeholders passes", inv: logs(own), want: result.Pass, msg: []string{"writes logs only to its own log group (" + own + ")"}},
		{name: "own log group with literal account and region passes", inv: logs("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:*"), want: result.Pass},
		{name: "own log group's streams pass", inv: logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:log-stream:*"), want: result.Pass},
		{name: "AWSLambdaBasicExecutionRole fails", inv: iamSingle(iamBasicRole()), want: result.Fail, line: 30,
			msg: []string{"AWS-managed policy AWSLambdaBasicExecutionRole grants logs:CreateLogStream, logs:PutLogEvents on *", "own log group (" + own + ")"}},
		{name: "every lambda log group fails", inv: logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/*"), want: result.Fail, line: 31,
			msg: []string{`inline policy "logs" statement "Logs" grants`}},
		{name: "name prefix fails", inv: logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders*"), want: result.Fail},
		{name: "wildcard account and region fail", inv: logs("arn:aws:logs:*:*:log-group:/aws/lambda/orders:*"), want: result.Fail},
		// Another specific log group is someone else's, not wider than
		// this function's own.
		{name: "another function's log group passes", inv: logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/billing:*"), want: result.Pass,
			msg: []string{"writes logs only to specific log groups: arn:aws:logs:<region>:<account>:log-group:/aws/lambda/billing:*"}},
		{name: "another log group in every account and region passes", inv: logs("arn:aws:logs:*:*:log-group:/aws/lambda-insights:*"), want: result.Pass},
		{name: "CloudWatchLambdaInsightsExecutionRolePolicy passes", want: result.Pass, msg: []string{"/aws/lambda-insights"},
			inv: iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy"), 40))},
		{name: "insights policy beside basic execution role fails", want: result.Fail, msg: []string{"AWSLambdaBasicExecutionRole"},
			inv: iamSingle(iamWithAttached(iamBasicRole(), iamARNRef("arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy"), 40))},
		{name: "own and another function's groups pass", inv: logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:*", "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/billing:*"),
			want: result.Pass},
		{name: "no log write grant says so", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, iamAllow("", 31, iamActs("dynamodb:GetItem"), "*"))),
			want: result.Pass, msg: []string{`role "orders-role" grants no log write actions`, "LW-LOG-08"}, notMsg: []string{"writes logs only to"}},
		{name: "own group without streams says so", inv: logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders"),
			want: result.Pass, msg: []string{"not on its log streams", own}},
		{name: "custom LoggingConfig log group passes", inv: logs("arn:aws:logs:<region>:<account>:log-group:/app/orders:*"),
			edit: func(f *inventory.Function) { f.LogGroup = inventory.Of("/app/orders", iamLoc(5)) }, want: result.Pass},
		{name: "deny outside the own log group cancels", inv: iamSingle(iamWithInline(iamBasicRole(), "guard", 30, iampolicy.Statement{
			Effect: iampolicy.Deny, Actions: iamActs("logs:CreateLogStream", "logs:PutLogEvents"), NotResources: []string{own}, NotResourceSet: true, Loc: iamLoc(31)})),
			want: result.Pass, msg: []string{"grants log writes on *, but a Deny keeps them within " + own}},
		{name: "unknown function name with star still fails", inv: iamSingle(iamBasicRole()),
			edit: func(f *inventory.Function) {
				f.Name = inventory.UnknownValue[string]("var.name has no value", iamLoc(2))
			},
			want: result.Fail, msg: []string{"wider than any single log group"}},
		{name: "unknown function name with a specific group is unknown", inv: logs("arn:aws:logs:<region>:<account>:log-group:/aws/lambda/orders:*"),
			edit: func(f *inventory.Function) {
				f.Name = inventory.UnknownValue[string]("var.name has no value", iamLoc(2))
			},
			want: result.Unknown, msg: []string{"var.name has no value"}},
		{name: "customer-managed policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamWithInline(iamBareRole(), "logs", 30, iamAllow("", 31, iamActs("logs:PutLogEvents"), own)))),
			want: result.Unknown, msg: []string{"shared-platform"}},
	})
}
