package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM05(t *testing.T) {
	write := iamAllow("Write", 31, iamActs("dynamodb:DeleteItem"), "*")
	runIAMCases(t, checkIAM05(), []iamCase{
		{name: "AWSLambdaBasicExecutionRole passes (logs writes are IAM-07's)", inv: iamSingle(iamBasicRole()), want: result.Pass},
		{name: "xray PutTraceSegments on star passes", inv: iamSingle(iamWithInline(iamBareRole(), "tracing", 30,
			iamAllow("", 31, iamActs("xray:PutTraceSegments", "xray:PutTelemetryRecords"), "*"))),
			want: result.Pass},
		{name: "AWSLambdaVPCAccessExecutionRole passes (ENI actions only accept star)",
			inv:  iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"), 41)),
			want: result.Pass},
		{name: "specific symbolic ARN passes", inv: iamSingle(iamWithInline(iamBasicRole(), "orders", 30,
			iamAllow("Write", 31, iamActs("dynamodb:PutItem", "dynamodb:DeleteItem"), "arn:aws:dynamodb:<region>:<account>:table/orders"))),
			want: result.Pass},
		{name: "write on star fails", inv: iamSingle(iamWithInline(iamBasicRole(), "orders", 30, write)),
			want: result.Fail, line: 31, msg: []string{`inline policy "orders" statement "Write" grants dynamodb:DeleteItem on *`}},
		{name: "service wildcard on star lists a few actions", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, iamAllow("", 31, iamActs("dynamodb:*"), "*"))),
			want: result.Fail, msg: []string{`inline policy "orders" grants dynamodb:* (`, "actions, such as dynamodb:", ") on *"}},
		{name: "many grants are capped", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30,
			iamAllow("A", 31, iamActs("sqs:SendMessage"), "*"), iamAllow("B", 32, iamActs("sns:Publish"), "*"), iamAllow("C", 33, iamActs("s3:PutObject"), "*"))),
			want: result.Fail, line: 31, msg: []string{`statement "A" grants sqs:SendMessage on *; inline policy "orders" statement "B" grants sns:Publish on *; and 1 more grant`}},
		{name: "NotResource fails", inv: iamSingle(iamWithInline(iamBareRole(), "q", 30, iampolicy.Statement{Sid: "Send", Effect: iampolicy.Allow,
			Actions: iamActs("sqs:SendMessage"), NotResources: []string{"arn:aws:sqs:<region>:<account>:admin"}, NotResourceSet: true, Loc: iamLoc(35)})),
			want: result.Fail, line: 35, msg: []string{"sqs:SendMessage on every resource except arn:aws:sqs:<region>:<account>:admin"}},
		{name: "permissions management on star fails", inv: iamSingle(iamWithInline(iamBareRole(), "p", 30, iamAllow("", 31, iamActs("s3:PutBucketPolicy"), "*"))),
			want: result.Fail, msg: []string{"s3:PutBucketPolicy on *"}},
		{name: "AWS-managed policies are judged by their documents",
			inv:  iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"), 41)),
			want: result.Fail, line: 41, msg: []string{"AWS-managed policy AWSLambdaSQSQueueExecutionRole grants sqs:DeleteMessage"}},
		{name: "unconditional deny cancels", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, write,
			iamDeny("NoDelete", 32, iamActs("dynamodb:DeleteItem"), "*"))),
			want: result.Pass},
		{name: "deny of every table cancels", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, write,
			iamDeny("NoDelete", 32, iamActs("dynamodb:Delete*"), "arn:aws:dynamodb:*:*:table/*"))),
			want: result.Pass},
		{name: "deny of one table does not cancel", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, write,
			iamDeny("", 32, iamActs("dynamodb:DeleteItem"), "arn:aws:dynamodb:<region>:<account>:table/audit"))),
			want: result.Fail},
		{name: "conditional deny does not cancel", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, write, func() iampolicy.Statement {
			d := iamDeny("", 32, iamActs("dynamodb:DeleteItem"), "*")
			d.Conditions = []iampolicy.Condition{{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"false"}}}
			return d
		}())),
			want: result.Fail},
		{name: "deny with unresolved resource makes it unknown", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, write, func() iampolicy.Statement {
			d := iamDeny("Guard", 32, iamActs("dynamodb:DeleteItem"))
			d.Unknown = []string{"Resource"}
			return d
		}())),
			want: result.Unknown, msg: []string{`inline policy "orders" statement "Write" may be cancelled by a Deny with unresolved parts`}},
		{name: "statement of unresolved effect is unknown", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, func() iampolicy.Statement {
			s := iamAllow("Maybe", 31, iamActs("dynamodb:DeleteItem"), "*")
			s.Effect, s.Unknown = "", []string{"Effect"}
			return s
		}())),
			want: result.Unknown, msg: []string{`statement "Maybe" has unresolved Effect`}},
		{name: "customer-managed policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamBasicRole())),
			want: result.Unknown, line: 40, msg: []string{`cannot evaluate role "orders-role": customer-managed policy arn:aws:iam::123456789012:policy/shared-platform is defined outside the scanned code`}},
		{name: "known failure stays failure despite policy defined elsewhere", inv: iamSingle(iamElsewhere(iamWithInline(iamBareRole(), "orders", 30, write))),
			want: result.Fail, line: 31},
		{name: "unknown inline document is unknown", inv: iamSingle(func() *inventory.Role {
			r := iamBasicRole()
			r.Inline = append(r.Inline, inventory.InlinePolicy{Name: "tpl", Document: inventory.UnknownValue[*iampolicy.Policy]("templatefile() with unknown vars", iamLoc(50)), Loc: iamLoc(50)})
			return r
		}()),
			want: result.Unknown, line: 50, msg: []string{`inline policy "tpl" has an unknown document (templatefile() with unknown vars)`}},
		{name: "AWS-managed policy missing from the snapshot is unknown",
			inv:  iamSingle(iamWithAttached(iamBareRole(), iamARNRef("arn:aws:iam::aws:policy/LambdawardenNoSuchPolicy"), 41)),
			want: result.Unknown, msg: []string{"not in the bundled snapshot"}},
		{name: "unresolved resource of a write action is unknown", inv: iamSingle(iamWithInline(iamBareRole(), "orders", 30, func() iampolicy.Statement {
			s := iamAllow("Write", 31, iamActs("dynamodb:PutItem"))
			s.Unknown = []string{"Resource"}
			return s
		}())),
			want: result.Unknown, msg: []string{`inline policy "orders" statement "Write" has unresolved Resource`}},
		{name: "role defined elsewhere is unknown", inv: iamSingle(iamBasicRole()),
			edit: func(f *inventory.Function) {
				f.Role = inventory.Of(iamARNRef("arn:aws:iam::123456789012:role/legacy"), iamLoc(3))
			},
			want: result.Unknown, msg: []string{"cannot evaluate: execution role arn:aws:iam::123456789012:role/legacy is defined outside the scanned code"}},
	})
}
