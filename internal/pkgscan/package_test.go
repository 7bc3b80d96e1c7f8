package pkgscan

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

func TestScanJunk(t *testing.T) {
	cases := []struct {
		name  string
		files []zfile
		want  map[string]string // file -> rule
	}{
		{
			name: "clean package passes",
			files: []zfile{
				{name: "index.js", body: "exports.handler = async () => ({ statusCode: 200 });\n"},
				{name: "package.json", body: `{"name":"fn","version":"1.0.0"}`},
				{name: ".env.example", body: "API_KEY=\n"},
				{name: "certs/rds-ca.pem", body: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
				{name: "node_modules/left-pad/index.js", body: "module.exports = x => x;\n"},
				{name: "node_modules/left-pad/test/index.js", body: "assert(true)\n"},
				{name: "node_modules/left-pad/.DS_Store", body: "\x00\x00"},
				{name: ".npmrc", body: "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"},
			},
			want: map[string]string{},
		},
		{
			name: "junk of every kind fails",
			files: []zfile{
				{name: "index.js", body: "exports.handler = 1;\n"},
				{name: ".git/HEAD", body: "ref: refs/heads/main\n"},
				{name: ".git/config", body: "[core]\n"},
				{name: ".env", body: "DEBUG=1\n"},
				{name: "tests/test_handler.py", body: "def test(): pass\n"},
				{name: "src/handler.spec.js", body: "it('works')\n"},
				{name: ".DS_Store", body: "\x00\x01"},
				{name: ".idea/workspace.xml", body: "<x/>"},
				{name: "terraform.tfstate", body: "{}"},
				{name: "deploy/id_rsa", body: "x"},
				{name: "server.pem", body: tPEMKey},
				{name: ".npmrc", body: "//registry.npmjs.org/:_authToken=npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n"},
				{name: "node_modules/dep/.env", body: "X=1\n"},
				{name: "app/tests/unit/a.js", body: "x\n"},
			},
			want: map[string]string{
				".git/":                 RuleVCS,
				".env":                  RuleEnvFile,
				"tests/":                RuleTestFolder,
				"app/tests/":            RuleTestFolder,
				"src/handler.spec.js":   RuleTestFile,
				".DS_Store":             RuleEditorJunk,
				".idea/":                RuleEditorJunk,
				"terraform.tfstate":     RuleTFState,
				"deploy/id_rsa":         RulePrivateKey,
				"server.pem":            RulePrivateKey,
				".npmrc":                RuleRegistryToken,
				"node_modules/dep/.env": RuleEnvFile,
			},
		},
		{
			name: "tests of pip-installed packages are not junk",
			files: []zfile{
				{name: "handler.py", body: "def handler(e, c): return 1\n"},
				{name: "numpy-1.26.0.dist-info/RECORD", body: "numpy/__init__.py,sha256=x,10\nnumpy/core/tests/test_a.py,sha256=y,10\nnumpy-1.26.0.dist-info/RECORD,,\n"},
				{name: "numpy/__init__.py", body: "x = 1\n"},
				{name: "numpy/core/tests/test_a.py", body: "def test(): pass\n"},
				{name: "six-1.16.0.dist-info/top_level.txt", body: "six\n"},
				{name: "six_test.py", body: "x\n"},
				{name: "tests/test_handler.py", body: "def test(): pass\n"},
			},
			want: map[string]string{"tests/": RuleTestFolder, "six_test.py": RuleTestFile},
		},
		{
			name: "unsafe names",
			files: []zfile{
				{name: "../evil.js", body: "x\n"},
				{name: "/etc/cron.d/x", body: "x\n"},
				{name: `C:\Windows\x.dll`, body: "x\n"},
				{name: "a/../../b.js", body: "x\n"},
				{name: "a/../ok.js", body: "x\n"},
			},
			want: map[string]string{
				"../evil.js":       RulePathTraversal,
				"/etc/cron.d/x":    RulePathTraversal,
				"C:/Windows/x.dll": RulePathTraversal,
				"a/../../b.js":     RulePathTraversal,
			},
		},
		{
			name: "symbolic links",
			files: []zfile{
				{name: "node_modules/.bin/tsc", body: "../typescript/bin/tsc", mode: os.ModeSymlink | 0o777},
				{name: "etc", body: "/etc/passwd", mode: os.ModeSymlink | 0o777},
				{name: "lib/up", body: "../../home/user/.aws/credentials", mode: os.ModeSymlink | 0o777},
			},
			want: map[string]string{"etc": RuleSymlinkEscape, "lib/up": RuleSymlinkEscape},
		},
		{
			name: "nested archive content is read",
			files: []zfile{
				{name: "lib/inner.zip", body: string(zipBytes(t, []zfile{{name: ".env", body: "X=1\n"}, {name: "tests/a.js", body: "x"}}))},
			},
			want: map[string]string{"lib/inner.zip!.env": RuleEnvFile},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pkg, errs := scanFiles(t, tc.files, Config{})
			if len(errs) > 0 {
				t.Fatalf("errors:\n%s", errorsText(errs))
			}
			got := junkOf(pkg)
			if len(got) != len(tc.want) {
				t.Errorf("junk = %v, want %v", got, tc.want)
			}
			for f, rule := range tc.want {
				if got[f] != rule {
					t.Errorf("junk[%q] = %q, want %q (all: %v)", f, got[f], rule, got)
				}
			}
			for _, j := range pkg.Junk {
				if j.Detail == "" {
					t.Errorf("junk %q has no detail", j.File)
				}
			}
		})
	}
}

func TestScanGroupsCountFiles(t *testing.T) {
	pkg, _ := scanFiles(t, []zfile{{name: ".git/HEAD"}, {name: ".git/config"}, {name: ".git/objects/ab/cd"}}, Config{})
	if len(pkg.Junk) != 1 || pkg.Junk[0].Detail != "Git metadata (3 files)" {
		t.Errorf("junk = %+v, want one .git/ finding with 3 files", pkg.Junk)
	}
}

func TestScanSecrets(t *testing.T) {
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + "." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	dbURL := "postgres://" + "app:" + "Xq9vT2mP8kLw" + "@db.internal:5432/orders"
	generic := "api_key = \"" + "x8Jk2LmN9pQr4StU7vWx0Yz3Ab6Cd" + "\""
	minified := strings.Repeat("var a=function(b){return b*2};", 200) + generic + ";var t='" + tGitHubPAT + "';" + strings.Repeat("var c=1;", 200)
	cases := []struct {
		name  string
		files []zfile
		want  []string // file:line:rule
	}{
		{
			name:  "no secrets pass",
			files: []zfile{{name: "index.js", body: "const table = process.env.TABLE_NAME; // 2f1c0e7a-uuid-like 0123456789abcdef\n"}},
		},
		{
			name:  "credentials in code fail with lines",
			files: []zfile{{name: "config/settings.js", body: "module.exports = {\n  region: 'eu-west-1',\n  key: '" + tAWSKeyID + "',\n\n  stripe: '" + tStripeKey + "',\n};\n"}},
			want:  []string{"config/settings.js:3:gitleaks:aws-access-token", "config/settings.js:5:gitleaks:stripe-access-token"},
		},
		{
			name:  "private key in any file",
			files: []zfile{{name: "certs/signing.txt", body: "notes\n" + tPEMKey}},
			want:  []string{"certs/signing.txt:2:private-key"},
		},
		{
			name:  "vendored code keeps only high-confidence rules",
			files: []zfile{{name: "node_modules/pg/README.js", body: "// connect with " + dbURL + "\nconst token = '" + jwt + "';\nconst k = '" + tAWSKeyID + "';\n"}},
			want:  []string{"node_modules/pg/README.js:3:gitleaks:aws-access-token"},
		},
		{
			name:  "application code keeps every rule",
			files: []zfile{{name: "db.js", body: "const url = '" + dbURL + "';\nconst token = '" + jwt + "';\n"}},
			want:  []string{"db.js:1:connection-url-password", "db.js:2:jwt"},
		},
		{
			name:  "generic rule in application code",
			files: []zfile{{name: "app/config.py", body: "import os\n\n" + generic + "\nregion = 'eu-west-1'\n"}},
			want:  []string{"app/config.py:3:gitleaks:generic-api-key"},
		},
		{
			name:  "minified bundle drops generic rules",
			files: []zfile{{name: "dist/app.js", body: minified}},
			want:  []string{"dist/app.js:1:gitleaks:github-pat"},
		},
		{
			name:  "binary files are not scanned",
			files: []zfile{{name: "lib/native.node", body: "\x7fELF\x00\x00" + tAWSKeyID + "\x00"}},
		},
		{
			name:  "source map with a secret is junk too",
			files: []zfile{{name: "dist/index.js.map", body: `{"version":3,"sourcesContent":["const k = '` + tStripeKey + `';"]}`}},
			want:  []string{"dist/index.js.map:1:gitleaks:stripe-access-token"},
		},
		{
			name:  "files in a jar are scanned",
			files: []zfile{{name: "lib/app.jar", body: string(zipBytes(t, []zfile{{name: "application.properties", body: "aws.key=" + tAWSKeyID + "\n"}}))}},
			want:  []string{"lib/app.jar!application.properties:1:gitleaks:aws-access-token"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pkg, errs := scanFiles(t, tc.files, Config{})
			if len(errs) > 0 {
				t.Fatalf("errors:\n%s", errorsText(errs))
			}
			got := secretRules(pkg)
			if !slices.Equal(got, tc.want) {
				t.Errorf("secrets = %q, want %q", got, tc.want)
			}
			for _, s := range pkg.Secrets {
				for _, v := range []string{tAWSKeyID, tStripeKey, tGitHubPAT, jwt, "Xq9vT2mP8kLw", "MIIEowIBAAKCAQEA"} {
					if strings.Contains(s.Detail, v) || strings.Contains(s.Detail, v[4:12]) {
						t.Errorf("detail %q leaks a secret", s.Detail)
					}
				}
			}
			if tc.name == "source map with a secret is junk too" && junkOf(pkg)["dist/index.js.map"] != RuleSourceMap {
				t.Errorf("junk = %v, want the source map", junkOf(pkg))
			}
		})
	}
}

func TestScanSecretsAcrossWindows(t *testing.T) {
	// Secrets just before, across and after window boundaries, in a file
	// larger than several windows, with exact line numbers.
	var b strings.Builder
	line := 1
	want := []string{}
	for b.Len() < 3*windowBytes+1000 {
		next := b.Len() + 60
		nearBoundary := next/windowBytes != b.Len()/windowBytes || (next%windowBytes) > windowBytes-200
		if nearBoundary && len(want) < 6 {
			b.WriteString("const k = '" + tAWSKeyID + "'; // padding padding padding\n")
			want = append(want, "big.js:"+itoa(line)+":gitleaks:aws-access-token")
		} else {
			b.WriteString("const value" + itoa(line) + " = compute(input, " + itoa(line*7919%100003) + "); // plain code\n")
		}
		line++
	}
	pkg, errs := scanFiles(t, []zfile{{name: "big.js", body: b.String()}}, Config{})
	if len(errs) > 0 {
		t.Fatal(errorsText(errs))
	}
	if got := secretRules(pkg); !slices.Equal(got, want) {
		t.Errorf("secrets = %q, want %q", got, want)
	}
}

func TestScanLargeFileNotScanned(t *testing.T) {
	cfg := Config{MaxScanFileBytes: 1 << 10}
	pkg, errs := scanFiles(t, []zfile{{name: "big.txt", body: strings.Repeat("hello world\n", 1000)}, {name: "big.bin", body: "\x00" + strings.Repeat("x", 5000)}}, cfg)
	if len(errs) > 0 {
		t.Fatal(errorsText(errs))
	}
	if len(pkg.Secrets) != 1 || pkg.Secrets[0].Rule != RuleNotScanned || pkg.Secrets[0].File != "big.txt" {
		t.Errorf("secrets = %+v, want big.txt not scanned (binary skipped silently)", pkg.Secrets)
	}
}

func TestScanDependencies(t *testing.T) {
	jar := zipBytes(t, []zfile{
		{name: "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", body: "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n"},
		{name: "org/apache/logging/log4j/core/Logger.class", body: "\xca\xfe\xba\xbe"},
	})
	files := []zfile{
		{name: "package-lock.json", body: `{"name":"app","lockfileVersion":3,"packages":{"":{"name":"app"},"node_modules/express":{"version":"4.17.1"}}}`},
		{name: "node_modules/.package-lock.json", body: `{"name":"app","lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.20"}}}`},
		{name: "node_modules/lodash/package.json", body: `{"name":"lodash","version":"4.17.20"}`},
		{name: "node_modules/lodash/test/fixtures/package.json", body: `{"name":"fixture","version":"0.0.1"}`},
		{name: "package.json", body: `{"name":"my-app","version":"1.0.0"}`},
		{name: "requirements.txt", body: "requests==2.19.0\n"},
		{name: "urllib3-1.24.1.dist-info/METADATA", body: "Metadata-Version: 2.1\nName: urllib3\nVersion: 1.24.1\n"},
		{name: "Gemfile.lock", body: "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.3)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack\n"},
		{name: "go.mod", body: "module example.com/fn\n\ngo 1.22\n\nrequire golang.org/x/net v0.17.0\n"},
		{name: "lib/log4j-core-2.14.1.jar", body: string(jar)},
		{name: "broken/package-lock.json", body: `{"packages": [`},
	}
	pkg, errs := scanFiles(t, files, Config{})
	var got []string
	for _, d := range pkg.Dependencies {
		got = append(got, d.Ecosystem+" "+d.Name+" "+d.Version+" "+d.Manifest)
	}
	want := []string{
		"Go golang.org/x/net 0.17.0 go.mod",
		"Maven org.apache.logging.log4j:log4j-core 2.14.1 lib/log4j-core-2.14.1.jar",
		"PyPI requests 2.19.0 requirements.txt",
		"PyPI urllib3 1.24.1 urllib3-1.24.1.dist-info/METADATA",
		"RubyGems rack 2.2.3 Gemfile.lock",
		"npm express 4.17.1 package-lock.json",
		"npm lodash 4.17.20 node_modules/.package-lock.json",
	}
	if !slices.Equal(got, want) {
		t.Errorf("dependencies =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(errs) != 1 || errs[0].Source != "build/fn.zip!broken/package-lock.json" || !strings.HasPrefix(errs[0].Message, DependencyErrorPrefix) {
		t.Errorf("errors = %s, want one dependency error for the broken lock file", errorsText(errs))
	}
}

func TestScanGoBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil || !isELF(b) {
		t.Skip("the test binary is not an ELF file")
	}
	pkg, errs := scanFiles(t, []zfile{{name: "bootstrap", body: string(b), mode: 0o755, store: true}}, Config{})
	if len(errs) > 0 {
		t.Fatal(errorsText(errs))
	}
	// Test binaries record the toolchain (and no module requirements).
	want := inventory.Dependency{Ecosystem: "Go", Name: "stdlib", Version: strings.TrimPrefix(runtime.Version(), "go"), Manifest: "bootstrap"}
	if !slices.Contains(pkg.Dependencies, want) {
		t.Errorf("dependencies = %v, want %v", pkg.Dependencies, want)
	}
}

func TestScanFolder(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	pkgDir := filepath.Join(root, "fn")
	writeTree(t, outside, map[string]string{"secret.txt": "k = '" + tAWSKeyID + "'\n"})
	writeTree(t, pkgDir, map[string]string{
		"index.js":            "exports.handler = 1;\n",
		".env":                "X=1\n",
		"config/settings.js":  "const s = '" + tStripeKey + "';\n",
		"node_modules/x/a.js": "x\n",
		"layer.zip":           string(zipBytes(t, []zfile{{name: "id_rsa", body: "x"}})),
	})
	for link, target := range map[string]string{
		"escape.txt":   filepath.Join(outside, "secret.txt"),
		"up":           "../outside",
		"config/local": "../index.js",
	} {
		if err := os.Symlink(target, filepath.Join(pkgDir, link)); err != nil {
			t.Skip("symbolic links not supported:", err)
		}
	}
	pkg, errs := ScanPackage(context.Background(), pkgDir, "fn", Config{})
	if len(errs) > 0 {
		t.Fatal(errorsText(errs))
	}
	want := map[string]string{".env": RuleEnvFile, "escape.txt": RuleSymlinkEscape, "up": RuleSymlinkEscape, "layer.zip!id_rsa": RulePrivateKey}
	if got := junkOf(pkg); len(got) != len(want) {
		t.Errorf("junk = %v, want %v", got, want)
	} else {
		for f, r := range want {
			if got[f] != r {
				t.Errorf("junk[%q] = %q, want %q", f, got[f], r)
			}
		}
	}
	// The secret outside the folder is never read, even through the link.
	if got := secretRules(pkg); !slices.Equal(got, []string{"config/settings.js:1:gitleaks:stripe-access-token"}) {
		t.Errorf("secrets = %q", got)
	}
}

func TestScanNestingDepth(t *testing.T) {
	inner := zipBytes(t, []zfile{{name: ".env", body: "X=1\n"}})
	middle := zipBytes(t, []zfile{{name: "inner.zip", body: string(inner)}})
	files := []zfile{{name: "middle.zip", body: string(middle)}, {name: "index.js", body: "x\n"}}

	pkg, errs := scanFiles(t, files, Config{MaxDepth: 2})
	if len(errs) > 0 || junkOf(pkg)["middle.zip!inner.zip!.env"] != RuleEnvFile {
		t.Errorf("depth 2: junk %v, errors %s", junkOf(pkg), errorsText(errs))
	}
	_, errs = scanFiles(t, files, Config{MaxDepth: 1})
	if len(errs) != 1 || errs[0].Source != "build/fn.zip!middle.zip!inner.zip" || !strings.Contains(errs[0].Message, "MaxDepth") {
		t.Errorf("depth 1: errors %s, want the nesting limit on inner.zip", errorsText(errs))
	}
}

func TestScanUnreadable(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.zip")
	if err := os.WriteFile(bad, []byte("not a zip at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
	}{
		{"not a zip", bad, "not a readable zip archive"},
		{"missing", filepath.Join(dir, "missing.zip"), "read package"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pkg, errs := ScanPackage(context.Background(), tc.path, "x.zip", Config{})
			if pkg == nil || len(errs) != 1 || errs[0].Source != "x.zip" || !strings.Contains(errs[0].Message, tc.want) {
				t.Errorf("errors = %s, want %q", errorsText(errs), tc.want)
			}
		})
	}
}

func TestScanPackageIdentity(t *testing.T) {
	pkg, _ := scanFiles(t, []zfile{{name: "index.js", body: "x\n"}}, Config{})
	want := inventory.Item{ID: "build/fn.zip", Source: inventory.PackageSource, Origin: "build/fn.zip"}
	if pkg.ID != want.ID || pkg.Source != want.Source || pkg.Path != "build/fn.zip" || pkg.Loc.File != "build/fn.zip" || !pkg.Function.IsAbsent() {
		t.Errorf("package = %+v", pkg)
	}
}
