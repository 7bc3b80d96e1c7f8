package checks

import (
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func oRuntime(v inventory.Value[string]) func(*inventory.Function) {
	return func(f *inventory.Function) { f.Runtime = v }
}

func TestRUN01(t *testing.T) {
	image := func(f *inventory.Function) { f.PackageType = oK("Image", 3) }
	oRun(t, checkRUN01(), []oCase{
		{name: "supported", inv: oInv(oFn(oRuntime(oK("python3.12", 4)))), want: result.Pass, line: 4, msg: "supported until 2028-10-31"},
		{name: "deprecated", inv: oInv(oFn(oRuntime(oK("python3.8", 4)))), want: result.Fail, line: 4, msg: "deprecated on 2024-10-14"},
		{name: "deprecated with blocks", inv: oInv(oFn(oRuntime(oK("nodejs12.x", 4)))), want: result.Fail, msg: "function updates blocked since 2023-04-30"},
		{name: "status from the scan date, not the table", inv: oInv(oFn(oRuntime(oK("python3.10", 4)))),
			now: time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC), want: result.Pass},
		{name: "deprecated on the scan date", inv: oInv(oFn(oRuntime(oK("python3.10", 4)))),
			now: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), want: result.Fail},
		{name: "listed without dates", inv: oInv(oFn(oRuntime(oK("nodejs26.x", 4)))), want: result.Unknown, msg: "no known lifecycle dates"},
		{name: "not listed", inv: oInv(oFn(oRuntime(oK("cobol85", 4)))), want: result.Unknown},
		{name: "unresolved", inv: oInv(oFn(oRuntime(oU[string](4)))), want: result.Unknown, line: 4},
		{name: "image has no runtime", inv: oInv(oFn(image, oRuntime(oK("python2.7", 4)))), want: ""},
		{name: "no runtime set", inv: oInv(oFn()), want: ""},
	})
}

func TestRUN02(t *testing.T) {
	short := DefaultSettings()
	short.RuntimeWarnDays = 30
	oRun(t, checkRUN02(), []oCase{
		{name: "far away", inv: oInv(oFn(oRuntime(oK("python3.13", 4)))), want: result.Pass},
		{name: "within the window", inv: oInv(oFn(oRuntime(oK("nodejs22.x", 4)))), want: result.Fail, line: 4, msg: "deprecated on 2027-04-30, in 160 days"},
		{name: "outside a shorter window", inv: oInv(oFn(oRuntime(oK("nodejs22.x", 4)))), settings: &short, want: result.Pass},
		{name: "already deprecated", inv: oInv(oFn(oRuntime(oK("python2.7", 4)))), want: result.Fail, msg: "already deprecated"},
		{name: "listed without dates", inv: oInv(oFn(oRuntime(oK("python3.15", 4)))), want: result.Unknown},
		{name: "unresolved", inv: oInv(oFn(oRuntime(oU[string](4)))), want: result.Unknown},
		{name: "image", inv: oInv(oFn(func(f *inventory.Function) { f.PackageType = oK("Image", 3) })), want: ""},
	})
}

func TestRUN05(t *testing.T) {
	csc := func(policy inventory.Value[string]) *inventory.CodeSigningConfig {
		return &inventory.CodeSigningConfig{Item: oItem("aws_lambda_code_signing_config.main", 70),
			ARN: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-1", UntrustedArtifactOnDeployment: policy}
	}
	byID := func(f *inventory.Function) {
		f.CodeSigningConfig = oK(inventory.Ref{ID: "aws_lambda_code_signing_config.main"}, 6)
	}
	byARN := func(f *inventory.Function) {
		f.CodeSigningConfig = oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-1"}, 6)
	}
	elsewhere := func(f *inventory.Function) {
		f.CodeSigningConfig = oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-9"}, 6)
	}
	oRun(t, checkRUN05(), []oCase{
		{name: "enforce", inv: oInv(oFn(byID), csc(oK("Enforce", 71))), want: result.Pass, line: 71},
		{name: "enforce by arn", inv: oInv(oFn(byARN), csc(oK("Enforce", 71))), want: result.Pass},
		{name: "warn", inv: oInv(oFn(byID), csc(oK("Warn", 71))), want: result.Fail, line: 71, msg: "policy Warn"},
		{name: "policy absent defaults to warn", inv: oInv(oFn(byID), csc(inventory.Value[string]{})), want: result.Fail, line: 70},
		{name: "no config", inv: oInv(oFn()), want: result.Fail, line: 1},
		{name: "config not in inventory", inv: oInv(oFn(elsewhere)), want: result.Unknown, line: 6},
		{name: "unresolved policy", inv: oInv(oFn(byID), csc(oU[string](71))), want: result.Unknown},
		{name: "unresolved reference", inv: oInv(oFn(func(f *inventory.Function) { f.CodeSigningConfig = oU[inventory.Ref](6) })), want: result.Unknown},
	})
}

func TestRUN06(t *testing.T) {
	eic := func(onFailure inventory.Value[string]) *inventory.EventInvokeConfig {
		return &inventory.EventInvokeConfig{Item: oItem("aws_lambda_function_event_invoke_config.api", 80), Function: oFnRef(), OnFailure: onFailure}
	}
	oRun(t, checkRUN06(), []oCase{
		{name: "dead letter queue", inv: oInv(oFn(func(f *inventory.Function) { f.DeadLetterTarget = oK("arn:aws:sqs:us-east-1:111122223333:dlq", 12) })), want: result.Pass, line: 12},
		{name: "inline on-failure destination", inv: oInv(oFn(func(f *inventory.Function) { f.OnFailureDestination = oK("arn:aws:sns:us-east-1:111122223333:t", 12) })), want: result.Pass},
		{name: "event invoke config", inv: oInv(oFn(), eic(oK("arn:aws:sqs:us-east-1:111122223333:failed", 81))), want: result.Pass, line: 81},
		{name: "neither", inv: oInv(oFn()), want: result.Fail, line: 1},
		{name: "invoke config without on-failure", inv: oInv(oFn(), eic(inventory.Value[string]{})), want: result.Fail},
		{name: "unresolved destination", inv: oInv(oFn(), eic(oU[string](81))), want: result.Unknown, line: 81},
	})
}

func TestRUN07(t *testing.T) {
	limits := func(timeout, memory inventory.Value[int]) func(*inventory.Function) {
		return func(f *inventory.Function) { f.TimeoutSeconds, f.MemoryMB = timeout, memory }
	}
	tight := DefaultSettings()
	tight.TimeoutMaxSeconds, tight.MemoryMaxMB = 60, 1024
	oRun(t, checkRUN07(), []oCase{
		{name: "defaults", inv: oInv(oFn()), settings: &tight, want: result.Pass},
		{name: "within", inv: oInv(oFn(limits(oK(30, 5), oK(512, 6)))), settings: &tight, want: result.Pass},
		{name: "timeout above", inv: oInv(oFn(limits(oK(300, 5), oK(512, 6)))), settings: &tight, want: result.Fail, line: 5, msg: "timeout 300 s is above the policy's 60 s"},
		{name: "memory above", inv: oInv(oFn(limits(oK(30, 5), oK(4096, 6)))), settings: &tight, want: result.Fail, line: 6},
		{name: "catalog defaults allow the maximum", inv: oInv(oFn(limits(oK(900, 5), oK(10240, 6)))), want: result.Pass},
		{name: "unresolved timeout", inv: oInv(oFn(limits(oU[int](5), oK(512, 6)))), settings: &tight, want: result.Unknown},
		{name: "failure beats unknown", inv: oInv(oFn(limits(oU[int](5), oK(4096, 6)))), settings: &tight, want: result.Fail},
	})
}

func TestRUN08(t *testing.T) {
	layers := func(refs ...inventory.Value[inventory.Ref]) func(*inventory.Function) {
		return func(f *inventory.Function) { f.Layers = oK(refs, 7) }
	}
	arn := func(acct string) inventory.Value[inventory.Ref] {
		return oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:" + acct + ":layer:tools:3"}, 7)
	}
	trusted := DefaultSettings()
	trusted.TrustedLayerAccounts = []string{"464622532012"}
	local := &inventory.LayerVersion{Item: oItem("aws_lambda_layer_version.deps", 40)}
	oRun(t, checkRUN08(), []oCase{
		{name: "no layers", inv: oInv(oFn()), want: result.Pass},
		{name: "own account", inv: oInv(oLive(layers(arn("111122223333")))), want: result.Pass},
		{name: "symbolic own account", inv: oInv(oFn(layers(arn("<account>")))), want: result.Pass},
		{name: "layer defined in the scan", inv: oInv(oFn(layers(oK(inventory.Ref{ID: "aws_lambda_layer_version.deps"}, 7))), local), want: result.Pass},
		{name: "aws lambda insights", inv: oInv(oLive(layers(arn("580247275435")))), want: result.Pass},
		{name: "aws parameters and secrets extension", inv: oInv(oLive(layers(arn("177933569100")))), want: result.Pass},
		{name: "powertools python", inv: oInv(oFn(layers(oK(inventory.Ref{Name: "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7"}, 7)))), want: result.Pass},
		{name: "powertools typescript", inv: oInv(oLive(layers(oK(inventory.Ref{Name: "arn:aws:lambda:us-east-1:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:44"}, 7)))), want: result.Pass},
		{name: "powertools govcloud", inv: oInv(oFn(layers(oK(inventory.Ref{Name: "arn:aws-us-gov:lambda:us-gov-west-1:165093116878:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27"}, 7)))), want: result.Pass},
		{name: "powertools china", inv: oInv(oFn(layers(oK(inventory.Ref{Name: "arn:aws-cn:lambda:cn-north-1:498634801083:layer:AWSLambdaPowertoolsPythonV3-python313-x86_64:27"}, 7)))), want: result.Pass},
		{name: "parameters and secrets extension in eu-central-2", inv: oInv(oFn(layers(oK(inventory.Ref{Name: "arn:aws:lambda:eu-central-2:772501565639:layer:AWS-Parameters-and-Secrets-Lambda-Extension:1"}, 7)))), want: result.Pass},
		{name: "adot in ca-west-1", inv: oInv(oFn(layers(oK(inventory.Ref{Name: "arn:aws:lambda:ca-west-1:595944127152:layer:AWSOpenTelemetryDistroPython:10"}, 7)))), want: result.Pass},
		{name: "powertools beside a third party fails on the third party", inv: oInv(oFn(layers(
			oK(inventory.Ref{Name: "arn:aws:lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7"}, 7),
			oK(inventory.Ref{Name: "arn:aws:lambda:eu-west-1:999999999999:layer:random:1"}, 7)))), want: result.Fail, msg: "999999999999", notMsg: "017000801446"},
		{name: "third party", inv: oInv(oLive(layers(arn("464622532012")))), want: result.Fail, msg: "account 464622532012"},
		{name: "third party trusted", inv: oInv(oLive(layers(arn("464622532012")))), settings: &trusted, want: result.Pass},
		{name: "third party in iac", inv: oInv(oFn(layers(arn("464622532012")))), want: result.Fail, line: 7, msg: "function's own account is not known"},
		{name: "unresolved layer", inv: oInv(oFn(layers(oU[inventory.Ref](7)))), want: result.Unknown},
		{name: "not an arn", inv: oInv(oFn(layers(oK(inventory.Ref{Name: "tools"}, 7)))), want: result.Unknown},
	})
}
