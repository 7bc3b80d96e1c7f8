package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM08(t *testing.T) {
	grant := func(actions []string, res ...string) *inventory.Inventory {
		return iamSingle(iamWithInline(iamBasicRole(), "secrets", 30, iamAllow("Secrets", 31, actions, res...)))
	}
	runIAMCases(t, checkIAM08(), []iamCase{
		{name: "specific secret passes", inv: grant(iamActs("secretsmanager:GetSecretValue"), "arn:aws:secretsmanager:<region>:<account>:secret:orders-db-AbCdEf"), want: result.Pass},
		{name: "parameter path passes", inv: grant(iamActs("ssm:GetParametersByPath", "ssm:GetParameter"), "arn:aws:ssm:<region>:<account>:parameter/orders/*"), want: result.Pass},
		{name: "specific key passes", inv: grant(iamActs("kms:Decrypt"), "arn:aws:kms:<region>:<account>:key/1234abcd-12ab-34cd-56ef-1234567890ab"), want: result.Pass},
		{name: "GetSecretValue on star fails", inv: grant(iamActs("secretsmanager:GetSecretValue"), "*"), want: result.Fail, line: 31,
			msg: []string{`inline policy "secrets" statement "Secrets" grants secretsmanager:GetSecretValue on *`}},
		{name: "every parameter fails", inv: grant(iamActs("ssm:GetParameters"), "arn:aws:ssm:*:*:parameter/*"), want: result.Fail, msg: []string{"ssm:GetParameters on arn:aws:ssm:*:*:parameter/*"}},
		{name: "every key of the account fails", inv: grant(iamActs("kms:Decrypt"), "arn:aws:kms:<region>:<account>:key/*"), want: result.Fail},
		{name: "every secret fails", inv: grant(iamActs("secretsmanager:Get*"), "arn:aws:secretsmanager:us-east-1:123456789012:secret:*"), want: result.Fail,
			msg: []string{"secretsmanager:GetSecretValue"}},
		{name: "service wildcard on star fails", inv: grant(iamActs("ssm:*"), "*"), want: result.Fail,
			msg: []string{"ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath on *"}},
		{name: "other actions on star pass", inv: grant(iamActs("kms:Encrypt", "ssm:PutParameter"), "*"), want: result.Pass},
		{name: "unresolved action on star is unknown", inv: iamSingle(iamWithInline(iamBasicRole(), "secrets", 30, func() iampolicy.Statement {
			s := iamAllow("", 31, nil, "*")
			s.Unknown = []string{"Action"}
			return s
		}())), want: result.Unknown, msg: []string{"unresolved Action"}},
		{name: "customer-managed policy defined elsewhere is unknown", inv: iamSingle(iamElsewhere(iamBasicRole())), want: result.Unknown},
	})
}
