package checks

import (
	"slices"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkRUN08 is LW-RUN-08: layers from trusted accounts.
func checkRUN08() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-RUN-08",
		Title:       "Layers from trusted accounts",
		Severity:    result.Medium,
		Controls:    []string{"CC6.8"},
		Families:    fams,
		Semantics:   "FAIL for a layer ARN whose account is neither the function's nor in `settings.trusted_layer_accounts` (AWS-published extension accounts are trusted by default).",
		Remediation: "Copy the layer into your own account (publish it from reviewed source) or, once the publisher is vetted, add its account to settings.trusted_layer_accounts.",
		Run:         perFunction(fams, evalRUN08),
	}
}

// awsLayerAccounts are the accounts from which AWS publishes Lambda
// extension layers, trusted by default. Gathered 2026-11 from AWS's
// published layer ARN tables:
//   - Lambda Insights (LambdaInsightsExtension[-Arm64]): CloudWatch User
//     Guide, "Available versions of the Lambda Insights extension" (as
//     mirrored by awsdocs/amazon-cloudwatch-user-guide and
//     awslabs/serverless-plugin-lambda-insights layerVersions.json).
//   - AWS Parameters and Secrets Lambda Extension: Secrets Manager / Systems
//     Manager user guides, "Parameters and Secrets Lambda Extension ARNs"
//     (per-region accounts).
//   - AWS AppConfig Agent Lambda extension: AppConfig User Guide,
//     "Available versions of the AWS AppConfig Agent Lambda extension"
//     (awsdocs/aws-appconfig-user-guide).
//   - AWS Distro for OpenTelemetry (aws-otel-* and AWSOpenTelemetryDistro*
//     layers): aws-otel.github.io Lambda pages and the
//     aws-observability/aws-otel-* repositories; the per-region accounts of
//     the AWSOpenTelemetryDistro{Python,Js,Java,DotNet} layers from
//     aws-otel/aws-otel.github.io src/config/lambdaLayerArns.js.
//   - Powertools for AWS Lambda (an AWS open-source project whose layers AWS
//     publishes): Python from aws-powertools/powertools-lambda-python
//     docs/getting-started/install.md and docs/includes/_layer_homepage_*.md
//     (commercial regions, China, GovCloud); TypeScript from
//     aws-powertools/powertools-lambda-typescript
//     docs/getting-started/lambda-layers.md (commercial regions, GovCloud
//     and China share Python's accounts). Powertools for Java and .NET ship
//     through Maven Central and NuGet: their documentation lists no
//     AWS-published layer, so none is trusted here.
//   - Re-checked against aws/aws-cdk region-info fact tables
//     (CLOUDWATCH_LAMBDA_INSIGHTS_ARNS, PARAMS_AND_SECRETS_LAMBDA_LAYER_ARNS,
//     APPCONFIG_LAMBDA_LAYER_ARNS), which added the Parameters and Secrets
//     accounts of ap-south-2, eu-central-2, eu-south-2 and AppConfig's
//     me-central-1; the Lambda Insights accounts of regions newer than
//     those tables come from AWS's aws-samples/one-observability-demo
//     (constructs/lambda.ts, getLambdaInsightsLayerArn).
//
// Regions launched after those tables may use accounts missing here: add
// them to settings.trusted_layer_accounts.
func awsLayerAccounts() map[string]string {
	return map[string]string{
		// Lambda Insights.
		"580247275435": "Lambda Insights", // most commercial regions
		"012438385374": "Lambda Insights", // af-south-1
		"519774774795": "Lambda Insights", // ap-east-1
		"891564319516": "Lambda Insights", // ap-south-2
		"439286490199": "Lambda Insights", // ap-southeast-3
		"194566237122": "Lambda Insights", // ap-northeast-3
		"033019950311": "Lambda Insights", // eu-central-2
		"339249233099": "Lambda Insights", // eu-south-1
		"352183217350": "Lambda Insights", // eu-south-2
		"732604637566": "Lambda Insights", // me-central-1
		"285320876703": "Lambda Insights", // me-south-1
		"488211338238": "Lambda Insights", // cn-north-1, cn-northwest-1
		"158895979263": "Lambda Insights", // ap-southeast-4
		"590183865173": "Lambda Insights", // ap-southeast-5
		"761018874580": "Lambda Insights", // ap-southeast-7
		"946466191631": "Lambda Insights", // ca-west-1
		"459530977127": "Lambda Insights", // il-central-1
		"879381266642": "Lambda Insights", // mx-central-1
		"122132214140": "Lambda Insights", // us-gov-east-1
		"751350123760": "Lambda Insights", // us-gov-west-1

		// AWS Parameters and Secrets Lambda Extension.
		"177933569100": "AWS Parameters and Secrets Lambda Extension", // us-east-1
		"590474943231": "AWS Parameters and Secrets Lambda Extension", // us-east-2
		"997803712105": "AWS Parameters and Secrets Lambda Extension", // us-west-1
		"345057560386": "AWS Parameters and Secrets Lambda Extension", // us-west-2
		"317013901791": "AWS Parameters and Secrets Lambda Extension", // af-south-1
		"768336418462": "AWS Parameters and Secrets Lambda Extension", // ap-east-1
		"490737872127": "AWS Parameters and Secrets Lambda Extension", // ap-southeast-3
		"176022468876": "AWS Parameters and Secrets Lambda Extension", // ap-south-1
		"070087711984": "AWS Parameters and Secrets Lambda Extension", // ap-south-2
		"576959938190": "AWS Parameters and Secrets Lambda Extension", // ap-northeast-3
		"738900069198": "AWS Parameters and Secrets Lambda Extension", // ap-northeast-2
		"044395824272": "AWS Parameters and Secrets Lambda Extension", // ap-southeast-1
		"665172237481": "AWS Parameters and Secrets Lambda Extension", // ap-southeast-2
		"133490724326": "AWS Parameters and Secrets Lambda Extension", // ap-northeast-1
		"200266452380": "AWS Parameters and Secrets Lambda Extension", // ca-central-1
		"287114880934": "AWS Parameters and Secrets Lambda Extension", // cn-north-1
		"287310001119": "AWS Parameters and Secrets Lambda Extension", // cn-northwest-1
		"187925254637": "AWS Parameters and Secrets Lambda Extension", // eu-central-1
		"772501565639": "AWS Parameters and Secrets Lambda Extension", // eu-central-2
		"524103009944": "AWS Parameters and Secrets Lambda Extension", // eu-south-2
		"015030872274": "AWS Parameters and Secrets Lambda Extension", // eu-west-1
		"133256977650": "AWS Parameters and Secrets Lambda Extension", // eu-west-2
		"325218067255": "AWS Parameters and Secrets Lambda Extension", // eu-south-1
		"780235371811": "AWS Parameters and Secrets Lambda Extension", // eu-west-3
		"427196147048": "AWS Parameters and Secrets Lambda Extension", // eu-north-1
		"832021897121": "AWS Parameters and Secrets Lambda Extension", // me-south-1
		"858974508948": "AWS Parameters and Secrets Lambda Extension", // me-central-1
		"933737806257": "AWS Parameters and Secrets Lambda Extension", // sa-east-1
		"129776340158": "AWS Parameters and Secrets Lambda Extension", // us-gov-east-1
		"127562683043": "AWS Parameters and Secrets Lambda Extension", // us-gov-west-1

		// AWS AppConfig Agent Lambda extension.
		"027255383542": "AWS AppConfig extension", // us-east-1
		"728743619870": "AWS AppConfig extension", // us-east-2
		"958113053741": "AWS AppConfig extension", // us-west-1
		"359756378197": "AWS AppConfig extension", // us-west-2
		"039592058896": "AWS AppConfig extension", // ca-central-1
		"066940009817": "AWS AppConfig extension", // eu-central-1
		"758369105281": "AWS AppConfig extension", // eu-central-2
		"434848589818": "AWS AppConfig extension", // eu-west-1
		"282860088358": "AWS AppConfig extension", // eu-west-2
		"493207061005": "AWS AppConfig extension", // eu-west-3
		"646970417810": "AWS AppConfig extension", // eu-north-1
		"203683718741": "AWS AppConfig extension", // eu-south-1
		"586093569114": "AWS AppConfig extension", // eu-south-2
		"615057806174": "AWS AppConfig extension", // cn-north-1
		"615084187847": "AWS AppConfig extension", // cn-northwest-1
		"630222743974": "AWS AppConfig extension", // ap-east-1
		"980059726660": "AWS AppConfig extension", // ap-northeast-1
		"826293736237": "AWS AppConfig extension", // ap-northeast-2
		"706869817123": "AWS AppConfig extension", // ap-northeast-3
		"421114256042": "AWS AppConfig extension", // ap-southeast-1
		"080788657173": "AWS AppConfig extension", // ap-southeast-2
		"418787028745": "AWS AppConfig extension", // ap-southeast-3
		"307021474294": "AWS AppConfig extension", // ap-southeast-4
		"554480029851": "AWS AppConfig extension", // ap-south-1
		"489524808438": "AWS AppConfig extension", // ap-south-2
		"000010852771": "AWS AppConfig extension", // sa-east-1
		"574348263942": "AWS AppConfig extension", // af-south-1
		"559955524753": "AWS AppConfig extension", // me-south-1
		"662846165436": "AWS AppConfig extension", // me-central-1
		"946561847325": "AWS AppConfig extension", // us-gov-east-1
		"946746059096": "AWS AppConfig extension", // us-gov-west-1

		// AWS Distro for OpenTelemetry.
		"901920570463": "AWS Distro for OpenTelemetry", // aws-otel-* layers, all regions
		"615299751070": "AWS Distro for OpenTelemetry", // AWSOpenTelemetryDistro* layers, most regions
		"904233096616": "AWS Distro for OpenTelemetry", // af-south-1
		"888577020596": "AWS Distro for OpenTelemetry", // ap-east-1
		"257394471194": "AWS Distro for OpenTelemetry", // eu-south-1
		"796973505492": "AWS Distro for OpenTelemetry", // ap-south-2
		"039612877180": "AWS Distro for OpenTelemetry", // ap-southeast-3
		"713881805771": "AWS Distro for OpenTelemetry", // ap-southeast-4
		"152034782359": "AWS Distro for OpenTelemetry", // ap-southeast-5
		"980416031188": "AWS Distro for OpenTelemetry", // ap-southeast-7
		"595944127152": "AWS Distro for OpenTelemetry", // ca-west-1
		"440179912924": "AWS Distro for OpenTelemetry", // cn-north-1
		"440180067931": "AWS Distro for OpenTelemetry", // cn-northwest-1
		"156041407956": "AWS Distro for OpenTelemetry", // eu-central-2
		"490004653786": "AWS Distro for OpenTelemetry", // eu-south-2
		"746669239226": "AWS Distro for OpenTelemetry", // il-central-1
		"739275441131": "AWS Distro for OpenTelemetry", // me-central-1
		"980921751758": "AWS Distro for OpenTelemetry", // me-south-1
		"610118373846": "AWS Distro for OpenTelemetry", // mx-central-1

		// Powertools for AWS Lambda (Python, TypeScript).
		"017000801446": "Powertools for AWS Lambda", // Python, commercial regions
		"094274105915": "Powertools for AWS Lambda", // TypeScript, commercial regions
		"498634801083": "Powertools for AWS Lambda", // Python and TypeScript, cn-north-1
		"165087284144": "Powertools for AWS Lambda", // Python and TypeScript, us-gov-east-1
		"165093116878": "Powertools for AWS Lambda", // Python and TypeScript, us-gov-west-1
	}
}

func evalRUN08(env *Env, f *inventory.Function) (Finding, bool) {
	layers := f.Layers
	if layers.IsUnknown() {
		return unknownFinding(layers.Loc, "the function's layers cannot be resolved (%s)", whyUnknown(layers)), true
	}
	refs, _ := layers.Get()
	if len(refs) == 0 {
		return passFinding("the function uses no layers"), true
	}
	own := functionAccount(f)
	aws := awsLayerAccounts()
	g := layerGraph{env.Index}
	var v verdict
	for _, lv := range refs {
		r, ok := lv.Get()
		loc := firstLoc(lv.Loc, layers.Loc)
		if !ok {
			if lv.IsUnknown() {
				v.unknown(loc, "a layer reference cannot be resolved (%s)", whyUnknown(lv))
			}
			continue
		}
		if g.layer(f.Origin, r) != nil && r.ID != "" {
			continue // a layer defined in the scanned code, in the function's own account
		}
		arn := r.Name
		if l := g.layer(f.Origin, r); l != nil && l.ARN != "" {
			arn = l.ARN
		}
		acct, isARN := arnField(arn, 4)
		switch {
		case !isARN:
			v.unknown(loc, "layer %s is not an ARN, so its account cannot be told", r.String())
		case isSymbolic(acct):
			// <account>: the current account, the function's own.
		case acct == own, slices.Contains(env.Settings.TrustedLayerAccounts, acct), aws[acct] != "":
		case own == "":
			v.fail(loc, "layer %s comes from account %s, which is not in settings.trusted_layer_accounts (the function's own account is not known here; list it there if it is yours)", arn, acct)
		default:
			v.fail(loc, "layer %s comes from account %s, which is neither the function's account %s nor in settings.trusted_layer_accounts", arn, acct, own)
		}
	}
	return v.finding("every layer comes from the function's account, a trusted account or AWS"), true
}
