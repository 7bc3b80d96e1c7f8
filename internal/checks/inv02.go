package checks

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

// checkINV02 is LW-INV-02: service invokers pinned to a source.
func checkINV02() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-INV-02",
		Title:       "Service invokers pinned to a source",
		Severity:    result.High,
		Controls:    []string{"CC6.1"},
		Families:    fams,
		Semantics:   "FAIL if a permission for a service principal (apigateway, s3, events, sns, sqs, logs, iot, ...) has no source_arn / SourceArn (for s3 also SourceAccount).",
		Remediation: "Set source_arn (SourceArn) on the permission to the API, bucket, rule or topic that invokes the function; for S3 also set source_account (SourceAccount).",
		Run:         permissionCheck(fams, evalINV02, inv02Statement, inv02Pass),
	}
}

const inv02Pass = "every service permission names its source"

func evalINV02(env *Env, f *inventory.Function) (Finding, bool) {
	return evalPermissionsOf(env, f, inv02Statement, inv02Pass), true
}

// alexaService reports whether a service principal pins its caller with
// lambda:EventSourceToken (the skill ID) instead of a SourceArn.
func alexaService(s string) bool {
	return s == "alexa-appkit.amazon.com" || s == "alexa-connectedhome.amazon.com"
}

func inv02Statement(_ *Env, p *inventory.Permission, _ string, v *verdict) {
	s := &p.Statement
	grant, unsure := grantEffect(s)
	if !grant && !unsure {
		return
	}
	loc := permissionLoc(p)
	if s.Principal == nil || len(s.Principal.Service) == 0 {
		if partUnknown(s, "Principal") {
			v.unknown(loc, "%s: the principal cannot be resolved", permissionLabel(p))
		}
		return
	}
	var missing []string
	for _, svc := range s.Principal.Service {
		name := strings.ToLower(svc)
		if alexaService(name) {
			if len(pinnedValues(s, "lambda:EventSourceToken")) == 0 {
				missing = append(missing, svc+" without an EventSourceToken")
			}
			continue
		}
		if len(pinnedValues(s, "aws:SourceArn")) == 0 {
			missing = append(missing, svc+" without a SourceArn")
		}
		if strings.HasPrefix(name, "s3.") && len(pinnedValues(s, "aws:SourceAccount")) == 0 {
			missing = append(missing, svc+" without a SourceAccount")
		}
	}
	if len(missing) == 0 {
		return
	}
	if partUnknown(s, "Condition") {
		v.unknown(loc, "%s: its conditions cannot be resolved", permissionLabel(p))
		return
	}
	v.fail(loc, "%s lets %s invoke the function", permissionLabel(p), strings.Join(missing, " and "))
}
