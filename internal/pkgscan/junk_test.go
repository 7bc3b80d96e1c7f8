package pkgscan

import "testing"

func TestClassify(t *testing.T) {
	cases := []struct {
		name           string
		path           string
		credentialOnly bool
		rule           string
		content        contentRule
	}{
		{name: "dotenv", path: ".env", rule: RuleEnvFile},
		{name: "dotenv production", path: "config/.env.production", rule: RuleEnvFile},
		{name: "direnv", path: ".envrc", rule: RuleEnvFile},
		{name: "env template is not junk", path: ".env.example"},
		{name: "direnv template is not junk", path: ".envrc.example"},
		{name: "env sample is not junk", path: ".env.sample"},
		{name: "envelope.js is code", path: "lib/envelope.js"},
		{name: "env in node_modules still counts", path: "node_modules/x/.env", credentialOnly: true, rule: RuleEnvFile},
		{name: "ssh key", path: "deploy/id_rsa", rule: RulePrivateKey},
		{name: "ssh public key is fine", path: "deploy/id_rsa.pub"},
		{name: "putty key", path: "keys/server.ppk", rule: RulePrivateKey},
		{name: "pkcs12", path: "certs/client.p12", rule: RuleKeystore},
		{name: "java key store", path: "conf/app.jks", rule: RuleKeystore},
		{name: "pem needs content", path: "certs/server.pem", content: contentPrivateKey},
		{name: "key needs content", path: "server.key", content: contentPrivateKey},
		{name: "tfstate", path: "infra/terraform.tfstate", rule: RuleTFState},
		{name: "tfstate backup", path: "terraform.tfstate.backup", rule: RuleTFState},
		{name: "npmrc needs content", path: ".npmrc", content: contentRegistry},
		{name: "pypirc needs content", path: ".pypirc", content: contentRegistry},
		{name: "docker config needs content", path: ".docker/config.json", content: contentRegistry},
		{name: "other config.json is fine", path: "config/config.json"},
		{name: "aws credentials", path: ".aws/credentials", content: contentAWS},
		{name: "git credentials", path: ".git-credentials", rule: RuleRegistryToken},
		{name: "source map", path: "dist/index.js.map", content: contentMap},
		{name: "ds store", path: "src/.DS_Store", rule: RuleEditorJunk},
		{name: "thumbs", path: "img/Thumbs.db", rule: RuleEditorJunk},
		{name: "vim swap", path: "src/.handler.js.swp", rule: RuleEditorJunk},
		{name: "backup tilde", path: "handler.py~", rule: RuleEditorJunk},
		{name: "apple double", path: "src/._handler.js", rule: RuleEditorJunk},
		{name: "ds store in node_modules is not reported", path: "node_modules/x/.DS_Store", credentialOnly: true},
		{name: "go test", path: "cmd/main_test.go", rule: RuleTestFile},
		{name: "pytest file", path: "test_handler.py", rule: RuleTestFile},
		{name: "pytest suffix", path: "app/handler_test.py", rule: RuleTestFile},
		{name: "conftest", path: "conftest.py", rule: RuleTestFile},
		{name: "jest spec", path: "src/handler.spec.ts", rule: RuleTestFile},
		{name: "jest test", path: "src/handler.test.mjs", rule: RuleTestFile},
		{name: "rspec", path: "lib/handler_spec.rb", rule: RuleTestFile},
		{name: "testing.py is code", path: "app/testing.py"},
		{name: "latest.js is code", path: "latest.js"},
		{name: "test file in vendored code is not reported", path: "six_test.py", credentialOnly: true},
		{name: "handler", path: "index.js"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := classify(tc.path, tc.credentialOnly)
			if got.rule != tc.rule || got.content != tc.content {
				t.Errorf("classify(%q) = rule %q content %d, want rule %q content %d", tc.path, got.rule, got.content, tc.rule, tc.content)
			}
		})
	}
}

func TestGroupOf(t *testing.T) {
	cases := []struct {
		path, dir, rule string
	}{
		{".git/HEAD", ".git/", RuleVCS},
		{"sub/.git/objects/ab/cdef", "sub/.git/", RuleVCS},
		{"tests/unit/test_a.py", "tests/", RuleTestFolder},
		{"src/__tests__/a.js", "src/__tests__/", RuleTestFolder},
		{"tests/.git/config", "tests/", RuleTestFolder},
		{".idea/workspace.xml", ".idea/", RuleEditorJunk},
		{"__MACOSX/._index.js", "__MACOSX/", RuleEditorJunk},
		{".terraform/providers/x", ".terraform/", RuleToolCache},
		{"node_modules/x/test/a.js", "", ""},
		{"node_modules/x/.git/HEAD", "", ""},
		{"index.js", "", ""},
		{"testing/a.js", "", ""},
	}
	for _, tc := range cases {
		dir, g, ok := groupOf(tc.path)
		if dir != tc.dir || ok != (tc.dir != "") || (ok && g.rule != tc.rule) {
			t.Errorf("groupOf(%q) = %q %q %v, want %q %q", tc.path, dir, g.rule, ok, tc.dir, tc.rule)
		}
	}
}

func TestContentJunk(t *testing.T) {
	npmToken := "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
	cases := []struct {
		name    string
		rule    contentRule
		base    string
		content string
		junk    bool
	}{
		{name: "pem with private key", rule: contentPrivateKey, base: "key.pem", content: tPEMKey, junk: true},
		{name: "pem with certificate only", rule: contentPrivateKey, base: "ca.pem", content: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
		{name: "npmrc with token", rule: contentRegistry, base: ".npmrc", content: "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=" + npmToken + "\n", junk: true},
		{name: "npmrc with env reference", rule: contentRegistry, base: ".npmrc", content: "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"},
		{name: "npmrc without credentials", rule: contentRegistry, base: ".npmrc", content: "save-exact=true\n"},
		{name: "pypirc with password", rule: contentRegistry, base: ".pypirc", content: "[pypi]\nusername = __token__\npassword = pypi-" + "AgEIcHlwaS5vcmc\n", junk: true},
		{name: "pypirc without password", rule: contentRegistry, base: ".pypirc", content: "[distutils]\nindex-servers = pypi\n"},
		{name: "netrc with password", rule: contentRegistry, base: ".netrc", content: "machine api.example.com login bot password " + "s3cr3t" + "Value\n", junk: true},
		{name: "docker config with auth", rule: contentRegistry, base: "config.json", content: `{"auths":{"ghcr.io":{"auth":"Ym90OnRva2Vu"}}}`, junk: true},
		{name: "docker config with helper", rule: contentRegistry, base: "config.json", content: `{"credsStore":"ecr-login"}`},
		{name: "aws credentials", rule: contentAWS, base: "credentials", content: "[default]\naws_access_key_id = x\naws_secret_access_key = y\n", junk: true},
		{name: "aws config only", rule: contentAWS, base: "credentials", content: "[default]\nregion = eu-west-1\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := contentJunk(tc.rule, tc.base, []byte(tc.content))
			if (got != "") != tc.junk {
				t.Errorf("contentJunk = %q, want junk %v", got, tc.junk)
			}
		})
	}
}
