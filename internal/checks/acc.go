package checks

import (
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// The ACC checks judge account guard rails, one result per account and
// region (resource kind account), on live scans only.

// accountRail is one guard rail: its check metadata and the inventory field
// that says whether it is in place.
type accountRail struct {
	id, title   string
	severity    result.Severity
	controls    []string
	semantics   string
	remediation string
	field       func(*inventory.Account) inventory.Value[bool]
	ok, missing string
}

func accountRails() []accountRail {
	return []accountRail{
		{
			id: "LW-ACC-01", title: "CloudTrail records management events in every region", severity: result.High,
			controls: []string{"CC7.2"}, semantics: "a multi-region trail that is logging.",
			remediation: "Create a multi-region CloudTrail trail (is_multi_region_trail = true) recording management events, and keep it logging.",
			field:       func(a *inventory.Account) inventory.Value[bool] { return a.MultiRegionTrailLogging },
			ok:          "a multi-region trail is logging", missing: "no multi-region CloudTrail trail is logging",
		},
		{
			id: "LW-ACC-02", title: "CloudTrail records Lambda invocations", severity: result.Low,
			controls: []string{"CC7.2"}, semantics: "a trail with Lambda data events.",
			remediation: "Add a data event selector for AWS::Lambda::Function (all functions, or the sensitive ones) to a CloudTrail trail.",
			field:       func(a *inventory.Account) inventory.Value[bool] { return a.LambdaDataEvents },
			ok:          "a trail records Lambda data events", missing: "no trail records Lambda data events (invocations)",
		},
		{
			id: "LW-ACC-03", title: "AWS Config records Lambda and IAM changes", severity: result.Medium,
			controls: []string{"CC7.1", "CC8.1"}, semantics: "recorder on, covering AWS::Lambda::Function and AWS::IAM::Role.",
			remediation: "Turn on the AWS Config recorder in the region and record at least AWS::Lambda::Function and AWS::IAM::Role (or all resource types).",
			field:       func(a *inventory.Account) inventory.Value[bool] { return a.ConfigRecordsLambdaIAM },
			ok:          "AWS Config records Lambda functions and IAM roles", missing: "AWS Config does not record both AWS::Lambda::Function and AWS::IAM::Role (or the recorder is off)",
		},
		{
			id: "LW-ACC-04", title: "IAM Access Analyzer enabled", severity: result.Medium,
			controls: []string{"CC6.3"}, semantics: "an analyzer in the region.",
			remediation: "Create an IAM Access Analyzer analyzer (account or organization zone of trust) in the region.",
			field:       func(a *inventory.Account) inventory.Value[bool] { return a.AccessAnalyzer },
			ok:          "an IAM Access Analyzer analyzer is active", missing: "no IAM Access Analyzer analyzer in the region",
		},
		{
			id: "LW-ACC-05", title: "Inspector scans Lambda", severity: result.Medium,
			controls: []string{"CC7.1"}, semantics: "Inspector v2 Lambda (and Lambda code) scanning enabled.",
			remediation: "Enable Amazon Inspector Lambda standard scanning and Lambda code scanning for the account in the region.",
			field:       func(a *inventory.Account) inventory.Value[bool] { return a.InspectorLambda },
			ok:          "Inspector scans Lambda functions", missing: "Amazon Inspector Lambda scanning is not enabled",
		},
		{
			id: "LW-ACC-06", title: "GuardDuty Lambda protection enabled", severity: result.Medium,
			controls: []string{"CC7.2"}, semantics: "detector enabled with Lambda network logs.",
			remediation: "Enable a GuardDuty detector in the region with Lambda Protection (LAMBDA_NETWORK_LOGS) turned on.",
			field:       func(a *inventory.Account) inventory.Value[bool] { return a.GuardDutyLambda },
			ok:          "GuardDuty Lambda protection is on", missing: "GuardDuty Lambda protection (Lambda network logs) is not enabled",
		},
	}
}

func accountChecks() []*Check {
	var out []*Check
	for _, r := range accountRails() {
		fams := liveOnly()
		out = append(out, &Check{
			ID: r.id, Title: r.title, Severity: r.severity, Controls: r.controls, Families: fams,
			Semantics: r.semantics, Remediation: r.remediation,
			Run: func(env *Env) []Finding { return evalAccountRail(env, r, fams) },
		})
	}
	return out
}

func evalAccountRail(env *Env, r accountRail, fams []inventory.Family) []Finding {
	var out []Finding
	for _, a := range env.Inventory().Accounts {
		if !hasFamily(fams, a.Source.Family()) {
			continue
		}
		v := r.field(a)
		var fd Finding
		switch on, ok := v.Get(); {
		case v.IsUnknown():
			fd = unknownFinding(firstLoc(v.Loc, a.Loc), "cannot tell whether %s: %s", r.ok, whyUnknown(v))
		case !ok:
			fd = unknownFinding(firstLoc(v.Loc, a.Loc), "the scan did not read whether %s", r.ok)
		case on:
			fd = Finding{Status: result.Pass, Location: firstLoc(v.Loc, a.Loc), Message: r.ok}
		default:
			fd = failFinding(firstLoc(v.Loc, a.Loc), "%s", r.missing)
		}
		fd.Resource = accountResource(a)
		out = append(out, fd)
	}
	return out
}

func accountResource(a *inventory.Account) result.Resource {
	acct := a.AccountID
	if acct == "" {
		acct = a.Account
	}
	id := a.ID
	if id == "" {
		id = acct + "/" + a.Region
	}
	return result.Resource{Kind: result.KindAccount, ID: id, Name: acct, Account: acct, Region: a.Region}
}
