package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestRUN03(t *testing.T) {
	runPkgCases(t, checkRUN03(), []pkgCase{
		{name: "clean package passes", pkgs: []*inventory.Package{tPkg("build/fn.zip", tLinked("aws_lambda_function.api", "api"))},
			want: []pkgWant{{status: result.Pass, id: "build/fn.zip", name: "api", msg: "no version control data"}}},
		{name: "one result per offending file or folder", pkgs: []*inventory.Package{tPkg("build/fn.zip",
			tJunk(".env", "env-file", "environment file"),
			tJunk(".git/", "vcs-metadata", "Git metadata (12 files)"),
			tJunk("../evil.js", "path-traversal", "entry name is a parent-folder reference"))},
			want: []pkgWant{
				{status: result.Fail, id: "build/fn.zip!.env", msg: ".env: environment file"},
				{status: result.Fail, id: "build/fn.zip!.git/", msg: ".git/: Git metadata (12 files)"},
				{status: result.Fail, id: "build/fn.zip!../evil.js", msg: "parent-folder"},
			}},
		{name: "folder package points at the file", pkgs: []*inventory.Package{tPkg("src/fn", tJunk("tests/", "test-folder", "test folder (3 files)"))},
			want: []pkgWant{{status: result.Fail, id: "src/fn/tests", loc: "src/fn/tests"}}},
		{name: "package read in part is unknown", pkgs: []*inventory.Package{tPkg("build/fn.zip")},
			errs: []inventory.Error{{Source: "build/fn.zip", Message: "entries claim 3 TiB uncompressed, more than the 512 MiB limit (MaxTotalBytes)"}},
			want: []pkgWant{{status: result.Unknown, id: "build/fn.zip", msg: "entries claim 3 TiB"}}},
		{name: "package not on disk is unknown", pkgs: []*inventory.Package{tPkg("build/later.zip", tJunk("", pkgRuleNotRead, "not on disk"))},
			want: []pkgWant{{status: result.Unknown, id: "build/later.zip", msg: "not on disk"}}},
	})
}
