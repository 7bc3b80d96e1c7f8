package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestSEC05(t *testing.T) {
	aws := "an AWS access token (AKIA****, 20 chars)"
	runPkgCases(t, checkSEC05(), []pkgCase{
		{name: "clean package passes", pkgs: []*inventory.Package{tPkg("build/fn.zip")},
			want: []pkgWant{{status: result.Pass, id: "build/fn.zip", name: "build/fn.zip", loc: "build/fn.zip", msg: "no credential"}}},
		{name: "one result per file and rule", pkgs: []*inventory.Package{tPkg("build/fn.zip", tLinked("aws_lambda_function.api", "orders-api"),
			tSecret("config/settings.js", 3, "gitleaks:aws-access-token", aws),
			tSecret("config/settings.js", 5, "private-key", "a private key (----****, 31 chars)"),
			tSecret("config/settings.js", 9, "gitleaks:aws-access-token", aws),
			tSecret("lib/app.jar!app.properties", 1, "gitleaks:aws-access-token", aws))},
			want: []pkgWant{
				{status: result.Fail, id: "build/fn.zip!config/settings.js#gitleaks:aws-access-token", name: "orders-api", loc: "build/fn.zip",
					msg: "config/settings.js holds " + aws + " on lines 3 and 9"},
				{status: result.Fail, id: "build/fn.zip!config/settings.js#private-key", msg: "config/settings.js holds a private key (----****, 31 chars) on line 5"},
				{status: result.Fail, id: "build/fn.zip!lib/app.jar!app.properties#gitleaks:aws-access-token", msg: "lib/app.jar!app.properties holds"},
			}},
		{name: "folder package locates the file and line", pkgs: []*inventory.Package{tPkg("src/worker", tSecret("handler.py", 12, "jwt", "a JSON Web Token (eyJh****, 120 chars)"))},
			want: []pkgWant{{status: result.Fail, id: "src/worker/handler.py#jwt", loc: "src/worker/handler.py:12"}}},
		{name: "file too large to scan is unknown", pkgs: []*inventory.Package{tPkg("build/fn.zip", tSecret("data.json", 0, pkgRuleNotScanned, "not scanned for secrets: 40 MiB is more than the 32 MiB limit (MaxScanFileBytes)"))},
			want: []pkgWant{{status: result.Unknown, id: "build/fn.zip!data.json", msg: "data.json was not scanned for secrets"}}},
		{name: "package read in part is unknown, findings kept", pkgs: []*inventory.Package{tPkg("build/fn.zip", tSecret("a.js", 1, "gitleaks:aws-access-token", aws))},
			errs: []inventory.Error{{Source: "build/fn.zip!lib/x.zip", Message: "archive nested 3 deep, more than the limit of 2 (MaxDepth)"}},
			want: []pkgWant{
				{status: result.Fail, id: "build/fn.zip!a.js#gitleaks:aws-access-token"},
				{status: result.Unknown, id: "build/fn.zip", msg: "not fully scanned for secrets: it could not be read in full (build/fn.zip!lib/x.zip: archive nested 3 deep"},
			}},
		{name: "dependency errors do not matter", pkgs: []*inventory.Package{tPkg("build/fn.zip")},
			errs: []inventory.Error{{Source: "build/fn.zip!package-lock.json", Message: pkgDependencyError + "bad json"}, {Source: "build/fn.zip.bak", Message: "other"}},
			want: []pkgWant{{status: result.Pass, id: "build/fn.zip"}}},
		{name: "package not on disk is unknown", pkgs: []*inventory.Package{tPkg("build/later.zip", tLinked("aws_lambda_function.later", "later"),
			tJunk("", pkgRuleNotRead, "the package build/later.zip is not on disk"))},
			want: []pkgWant{{status: result.Unknown, id: "build/later.zip", name: "later", msg: "is not on disk"}}},
	})
}
