package checks

import (
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// Credential-shaped values are assembled at run time, never written whole.
var (
	oStripeKey = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
	oAWSKeyID  = "AK" + "IA" + "QX7Z4K2N5R6T3W4Y"
	oDBURL     = "postgres://" + "app:" + "Xq9" + "vT2mP8k" + "@orders.cluster-abc.eu-west-1.rds.amazonaws.com:5432/orders"
	oRefDBURL  = "postgres://" + "app:" + "S3cr3t" + "Passw0rd9" + "@<aws_db_instance.db.address>:5432/app"
	oGitHubPAT = "gh" + "p_" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5"
)

func TestSEC01(t *testing.T) {
	ref := inventory.EnvVar{Name: "STRIPE_KEY", Value: oK("<aws_secretsmanager_secret.stripe.arn>", 11), Reference: true}
	redacted := inventory.EnvVar{Name: "TOKEN", Value: oK("ghp_****, 40 chars", 12), Redacted: true, SecretKind: "a GitHub PAT"}
	unresolved := inventory.EnvVar{Name: "STRIPE_KEY", Value: oU[string](13)}
	refURL := inventory.EnvVar{Name: "DATABASE_URL", Value: oK(oRefDBURL, 15), Reference: true}
	cases := []oCase{
		{name: "no environment", inv: oInv(oFn()), want: result.Pass},
		{name: "harmless values", inv: oInv(oFn(oEnvVars(oVar("TABLE_NAME", "orders", 11), oVar("LOG_LEVEL", "info", 12)))), want: result.Pass},
		{name: "stripe key", inv: oInv(oFn(oEnvVars(oVar("TABLE_NAME", "orders", 11), oVar("STRIPE_KEY", oStripeKey, 12)))),
			want: result.Fail, line: 12, msg: "environment variable STRIPE_KEY holds what looks like a Stripe access token (sk_l****, 32 chars)"},
		{name: "aws key id", inv: oInv(oFn(oEnvVars(oVar("AWS_KEY", oAWSKeyID, 11)))), want: result.Fail, msg: "AWS"},
		{name: "database url with password", inv: oInv(oFn(oEnvVars(oVar("DATABASE_URL", oDBURL, 11)))), want: result.Fail, msg: "connection URL"},
		{name: "reference passes", inv: oInv(oFn(oEnvVars(ref))), want: result.Pass},
		{name: "secrets manager arn passes", inv: oInv(oFn(oEnvVars(oVar("DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCd", 11)))), want: result.Pass},
		{name: "dynamic reference passes", inv: oInv(oFn(oEnvVars(oVar("DB_PASSWORD", "{{resolve:secretsmanager:db:SecretString:password}}", 11)))), want: result.Pass},
		{name: "snapshot-redacted secret", inv: oInv(oFn(oEnvVars(redacted))), want: result.Fail, msg: "ghp_****, 40 chars"},
		{name: "unresolved value", inv: oInv(oFn(oEnvVars(unresolved))), want: result.Unknown, line: 13},
		{name: "unresolved map", inv: oInv(oFn(func(f *inventory.Function) { f.Environment = oU[[]inventory.EnvVar](10) })), want: result.Unknown, line: 10},
		{name: "failure beats unknown", inv: oInv(oFn(oEnvVars(unresolved, oVar("K", oStripeKey, 14)))), want: result.Fail, line: 14},
		// A value built from references is still matched against the
		// credential formats: the literal password around the reference.
		{name: "literal password around a reference", inv: oInv(oFn(oEnvVars(refURL))), want: result.Fail, line: 15,
			msg: "environment variable DATABASE_URL holds what looks like a connection URL with a password (post****", also: []string{"around a reference"}},
		{name: "credential from a local", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "GITHUB_TOKEN", Value: oK(oGitHubPAT, 16), Reference: true}))),
			want: result.Fail, msg: "GitHub"},
		{name: "password is itself a reference", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DATABASE_URL",
			Value: oK("postgres://app:<random_password.db.result>@<aws_db_instance.db.address>:5432/app", 15), Reference: true}))), want: result.Pass},
		{name: "symbolic arn reference", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "API_TOKEN", Value: oK("arn:aws:ssm:<region>:<account>:parameter/prod/token", 15), Reference: true}))),
			want: result.Pass},
		{name: "random-looking reference value is not judged by its name", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "WEBHOOK_SECRET", Value: oK("Zx8"+"qP2mL9vR4tK7wN1bC6", 15), Reference: true}))),
			want: result.Pass},
		{name: "unknown reference passes", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DB_PASSWORD", Value: oU[string](15), Reference: true}))), want: result.Pass},
		{name: "unknown variable without value is unknown", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DB_PASSWORD",
			Value: inventory.UnknownValue[string]("variable db_password has no value", oLoc(15))}))),
			want: result.Unknown, line: 15, msg: "variable db_password has no value"},
		{name: "unknown plain-named variable is unknown too", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "CONFIG",
			Value: inventory.UnknownValue[string]("variable config has no value", oLoc(15))}))),
			want: result.Unknown, msg: "CONFIG"},
	}
	oRun(t, checkSEC01(), cases)
	// No message may hold a secret value.
	for _, tc := range cases {
		env := &Env{Index: inventory.NewIndex(tc.inv), Settings: DefaultSettings(), Now: oNow}
		for _, fd := range checkSEC01().Run(env) {
			for _, s := range []string{oStripeKey, oAWSKeyID, oDBURL, oRefDBURL, oGitHubPAT} {
				if strings.Contains(fd.Message, s[4:12]) {
					t.Errorf("%s: message %q leaks a secret", tc.name, fd.Message)
				}
			}
		}
	}
}

func TestSEC02(t *testing.T) {
	pw := "hunter2" + "hunter2"
	oRun(t, checkSEC02(), []oCase{
		{name: "no environment", inv: oInv(oFn()), want: result.Pass},
		{name: "literal password", inv: oInv(oFn(oEnvVars(oVar("TABLE", "orders", 11), oVar("DB_PASSWORD", pw, 12)))),
			want: result.Fail, line: 12, msg: "DB_PASSWORD is named like a secret", notMsg: pw},
		{name: "literal token, not random", inv: oInv(oFn(oEnvVars(oVar("apiToken", "letmein", 11)))), want: result.Fail, msg: "(l****, 7 chars)"},
		{name: "arn reference", inv: oInv(oFn(oEnvVars(oVar("DB_PASSWORD", "arn:aws:ssm:us-east-1:111122223333:parameter/db/pw", 11)))), want: result.Pass},
		{name: "serverless variable", inv: oInv(oFn(oEnvVars(oVar("DB_PASSWORD", "${ssm:/prod/db/pw}", 11)))), want: result.Pass},
		{name: "iac reference", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DB_PASSWORD", Value: oK("<random_password.db.result>", 11), Reference: true}))), want: result.Pass},
		{name: "setting about a secret", inv: oInv(oFn(oEnvVars(oVar("TOKEN_TTL", "3600", 11), oVar("PASSWORD_MIN_LENGTH", "12", 12), oVar("DB_SECRET_NAME", "prod/db", 13)))), want: result.Pass},
		{name: "boolean switch", inv: oInv(oFn(oEnvVars(oVar("USE_TOKEN", "true", 11)))), want: result.Pass},
		{name: "empty value", inv: oInv(oFn(oEnvVars(oVar("API_KEY", "", 11)))), want: result.Pass},
		{name: "unresolved value", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "API_KEY", Value: oU[string](11)}))), want: result.Unknown, line: 11},
		{name: "unresolved map", inv: oInv(oFn(func(f *inventory.Function) { f.Environment = oU[[]inventory.EnvVar](10) })), want: result.Unknown},
		// A placeholder is a literal, not a reference.
		{name: "placeholder default", inv: oInv(oFn(oEnvVars(oVar("SECRET_KEY_BASE", "changeme", 11)))), want: result.Fail, line: 11,
			msg: "SECRET_KEY_BASE is named like a secret and holds a literal value (ch****, 8 chars) that looks like a placeholder default", notMsg: "changeme"},
		{name: "placeholder fill", inv: oInv(oFn(oEnvVars(oVar("API_TOKEN", "xxxxxxxx", 11)))), want: result.Fail, msg: "placeholder"},
		{name: "placeholder word none", inv: oInv(oFn(oEnvVars(oVar("DB_PASSWORD", "none", 11)))), want: result.Fail},
		{name: "dynamic reference passes", inv: oInv(oFn(oEnvVars(oVar("DB_PASSWORD", "{{resolve:secretsmanager:db:SecretString:password}}", 11)))), want: result.Pass},
		// Counts and limits about tokens are not secrets.
		{name: "llm token limits", inv: oInv(oFn(oEnvVars(oVar("MAX_TOKENS", "4096", 11), oVar("TOKENS_PER_MINUTE", "90000", 12), oVar("TOKEN_LIMIT", "8k", 13)))), want: result.Pass},
		// An unknown value that is not a reference is unknown under a secret
		// name, with the reason, and not judged under another name.
		{name: "unknown variable without value", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DB_PASSWORD",
			Value: inventory.UnknownValue[string]("variable db_password has no value", oLoc(11))}))), want: result.Unknown, line: 11,
			msg: "DB_PASSWORD is named like a secret and its value cannot be resolved (variable db_password has no value)"},
		{name: "unknown plain-named variable", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "CONFIG",
			Value: inventory.UnknownValue[string]("variable config has no value", oLoc(11))}))), want: result.Pass},
		{name: "reference skipped even if literal-looking", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DB_PASSWORD", Value: oK("hunter2hunter2", 11), Reference: true}))), want: result.Pass},
	})
}

func TestSEC03(t *testing.T) {
	withKey := func(v inventory.Value[string]) func(*inventory.Function) {
		return func(f *inventory.Function) { f.KMSKeyARN = v }
	}
	vars := oEnvVars(oVar("TABLE", "orders", 11))
	oRun(t, checkSEC03(), []oCase{
		{name: "no environment", inv: oInv(oFn()), want: result.Pass},
		{name: "variables without key", inv: oInv(oFn(vars)), want: result.Fail, line: 10, msg: "1 environment variable"},
		{name: "variables with key", inv: oInv(oFn(vars, withKey(oK("arn:aws:kms:us-east-1:111122223333:key/abc", 15)))), want: result.Pass, line: 15},
		{name: "unresolved key", inv: oInv(oFn(vars, withKey(oU[string](15)))), want: result.Unknown, line: 15},
		{name: "unresolved environment without key", inv: oInv(oFn(func(f *inventory.Function) { f.Environment = oU[[]inventory.EnvVar](10) })), want: result.Fail},
	})
}

func TestSEC04(t *testing.T) {
	oRun(t, checkSEC04(), []oCase{
		{name: "no environment", inv: oInv(oFn()), want: result.Pass},
		{name: "public hosts", inv: oInv(oFn(oEnvVars(oVar("API", "https://api.example.com/v1", 11), oVar("DNS", "8.8.8.8", 12)))), want: result.Pass},
		{name: "private ip", inv: oInv(oFn(oEnvVars(oVar("CACHE", "http://10.0.3.17:6379", 11)))), want: result.Fail, line: 11, msg: "private IP", notMsg: "10.0.3.17"},
		{name: "172.16/12", inv: oInv(oFn(oEnvVars(oVar("H", "172.20.1.1", 11)))), want: result.Fail},
		{name: "172.32 is public", inv: oInv(oFn(oEnvVars(oVar("H", "172.32.1.1", 11)))), want: result.Pass},
		{name: "internal dns", inv: oInv(oFn(oEnvVars(oVar("LDAP", "ldap://dc1.corp:389", 11)))), want: result.Fail, msg: ".corp"},
		{name: "ec2 internal name", inv: oInv(oFn(oEnvVars(oVar("H", "ip-10-0-0-1.ec2.internal", 11)))), want: result.Fail, msg: ".internal"},
		{name: "database endpoint", inv: oInv(oFn(oEnvVars(oVar("DB_HOST", "orders.cluster-abc.eu-west-1.rds.amazonaws.com", 11)))), want: result.Fail, msg: "database endpoint"},
		{name: "elasticache endpoint", inv: oInv(oFn(oEnvVars(oVar("REDIS", "main.abc123.ng.0001.euw1.cache.amazonaws.com", 11)))), want: result.Fail},
		{name: "reference skipped", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DB", Value: oK("<aws_db_instance.x.address>", 11), Reference: true}))), want: result.Pass},
		{name: "unresolved value", inv: oInv(oFn(oEnvVars(inventory.EnvVar{Name: "DB", Value: oU[string](11)}))), want: result.Unknown},
		{name: "unresolved map", inv: oInv(oFn(func(f *inventory.Function) { f.Environment = oU[[]inventory.EnvVar](10) })), want: result.Unknown},
	})
}
