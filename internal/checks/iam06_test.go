package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM06(t *testing.T) {
	read := func(actions []string, res ...string) iamCase {
		return iamCase{inv: iamSingle(iamWithInline(iamBasicRole(), "read", 30, iamAllow("Read", 31, actions, res...)))}
	}
	c := func(name string, base iamCase, want result.Status, msg ...string) iamCase {
		base.name, base.want, base.msg = name, want, msg
		if want == result.Fail {
			base.line = 31
		}
		return base
	}
	runIAMCases(t, checkIAM06(), []iamCase{
		c("specific table passes", read(iamActs("dynamodb:GetItem", "dynamodb:Query"), "arn:aws:dynamodb:<region>:<account>:table/orders"), result.Pass),
		c("objects of one bucket pass", read(iamActs("s3:GetObject", "s3:ListBucket"), "arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"), result.Pass),
		c("table name prefix passes", read(iamActs("dynamodb:GetItem"), "arn:aws:dynamodb:*:*:table/orders-*"), result.Pass),
		c("list action without resource-level permissions passes", read(iamActs("s3:ListAllMyBuckets", "xray:GetSamplingRules"), "*"), result.Pass),
		c("read on star fails", read(iamActs("dynamodb:Query"), "*"), result.Fail, `inline policy "read" statement "Read" grants dynamodb:Query on *`),
		c("every bucket fails", read(iamActs("s3:GetObject"), "arn:aws:s3:::*"), result.Fail, "s3:GetObject on arn:aws:s3:::*"),
		c("every table fails", read(iamActs("dynamodb:GetItem"), "arn:aws:dynamodb:*:*:table/*"), result.Fail, "on arn:aws:dynamodb:*:*:table/*"),
		c("every table of the account fails", read(iamActs("dynamodb:GetItem"), "arn:aws:dynamodb:<region>:<account>:table/*"), result.Fail),
		c("write actions are IAM-05's", read(iamActs("dynamodb:PutItem"), "*"), result.Pass),
		{name: "customer-managed policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamBasicRole())),
			want: result.Unknown, msg: []string{"shared-platform"}},
	})
}
