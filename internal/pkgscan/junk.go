package pkgscan

import (
	"bytes"
	"path"
	"strings"
)

// Junk rule IDs (inventory.PackageFinding.Rule in Package.Junk). The
// LW-RUN-03 message names what each one means.
const (
	RuleVCS           = "vcs-metadata"      // .git/, .svn/, .hg/ (one finding per folder)
	RuleEnvFile       = "env-file"          // .env, .env.production, .envrc
	RuleTestFolder    = "test-folder"       // tests/, __tests__/, ... (one finding per folder)
	RuleTestFile      = "test-file"         // *_test.go, test_*.py, *.spec.js, ...
	RuleEditorJunk    = "editor-os-junk"    // .DS_Store, Thumbs.db, .idea/, .vscode/, *.swp, __MACOSX/
	RuleToolCache     = "tool-cache"        // .terraform/, .pytest_cache/, .mypy_cache/, .nyc_output/
	RulePrivateKey    = "private-key"       // id_rsa, *.pem / *.key holding a private key
	RuleKeystore      = "keystore"          // *.p12, *.pfx, *.jks, *.keystore
	RuleTFState       = "terraform-state"   // *.tfstate, *.tfstate.backup
	RuleRegistryToken = "registry-token"    // .npmrc, .pypirc, .netrc, .git-credentials, .docker/config.json with credentials
	RuleCloudCreds    = "cloud-credentials" // .aws/credentials
	RuleSourceMap     = "source-map-secret" // *.map holding a secret
	RulePathTraversal = "path-traversal"    // zip entry named ../x, /x or C:\x
	RuleSymlinkEscape = "symlink-outside"   // symlink pointing outside the package
)

// RuleNotScanned is the reserved rule of a Package.Secrets entry: the file
// was not scanned for secrets (too large); LW-SEC-05 is UNKNOWN for it. The checks package spells the
// same value.
const RuleNotScanned = "lambdawarden:not-scanned"

// groupDirs are folders reported once as a whole (with their file count)
// rather than file by file; their content is not scanned further.
var groupDirs = map[string]struct{ rule, what string }{
	".git":          {RuleVCS, "Git metadata"},
	".svn":          {RuleVCS, "Subversion metadata"},
	".hg":           {RuleVCS, "Mercurial metadata"},
	".idea":         {RuleEditorJunk, "JetBrains IDE settings"},
	".vscode":       {RuleEditorJunk, "VS Code settings"},
	"__MACOSX":      {RuleEditorJunk, "macOS archive metadata"},
	"test":          {RuleTestFolder, "test folder"},
	"tests":         {RuleTestFolder, "test folder"},
	"__tests__":     {RuleTestFolder, "test folder"},
	"__mocks__":     {RuleTestFolder, "test mocks folder"},
	"__snapshots__": {RuleTestFolder, "test snapshots folder"},
	".terraform":    {RuleToolCache, "Terraform working folder (providers, modules)"},
	".pytest_cache": {RuleToolCache, "pytest cache"},
	".mypy_cache":   {RuleToolCache, "mypy cache"},
	".nyc_output":   {RuleToolCache, "test coverage output"},
}

// vendorDirs are folders of third-party code installed by package
// managers. Inside them only junk that can hold credentials is reported
// (they legitimately ship tests and editor files), and LW-SEC-05 keeps only
// high-confidence rules.
var vendorDirs = map[string]bool{
	"node_modules":     true,
	"bower_components": true,
	"site-packages":    true,
	"dist-packages":    true,
	"vendor":           true,
}

// nameJunk is what a file's path alone says.
type nameJunk struct {
	rule string
	what string
	// content is a rule that needs the file's content to decide.
	content contentRule
}

// contentRule names the content tests of junk rules.
type contentRule int

const (
	contentNone       contentRule = iota
	contentPrivateKey             // *.pem, *.key, *.p8: holds a private key block
	contentRegistry               // .npmrc, .pypirc, .netrc, .docker/config.json: holds a credential
	contentAWS                    // .aws/credentials: holds a secret access key
	contentMap                    // *.map: holds a secret (decided by the secret scan)
)

// classify applies the file name rules to a package-relative path (group
// folders are handled by groupOf). credentialOnly restricts them to files
// that can hold credentials: for vendored code and files inside a group
// folder already reported.
func classify(p string, credentialOnly bool) nameJunk {
	base := path.Base(p)
	lower := strings.ToLower(base)
	// Rules for files that can hold credentials apply everywhere.
	switch {
	case isEnvFile(lower):
		return nameJunk{rule: RuleEnvFile, what: "environment file (usually holds credentials and settings of a developer machine)"}
	case lower == "id_rsa" || lower == "id_dsa" || lower == "id_ecdsa" || lower == "id_ed25519" || strings.HasSuffix(lower, ".ppk"):
		return nameJunk{rule: RulePrivateKey, what: "SSH private key"}
	case hasExt(lower, ".p12", ".pfx", ".jks", ".keystore", ".bks"):
		return nameJunk{rule: RuleKeystore, what: "key store (holds private keys)"}
	case strings.HasSuffix(lower, ".tfstate") || strings.Contains(lower, ".tfstate."):
		return nameJunk{rule: RuleTFState, what: "Terraform state (holds every resource attribute, secrets included)"}
	case lower == ".git-credentials":
		return nameJunk{rule: RuleRegistryToken, what: "Git credential store"}
	case hasExt(lower, ".pem", ".key", ".p8"):
		return nameJunk{content: contentPrivateKey}
	case lower == ".npmrc" || lower == ".pypirc" || lower == ".netrc" || lower == "_netrc" ||
		(lower == "config.json" && path.Base(path.Dir(p)) == ".docker"):
		return nameJunk{content: contentRegistry}
	case lower == "credentials" && path.Base(path.Dir(p)) == ".aws":
		return nameJunk{content: contentAWS}
	case strings.HasSuffix(lower, ".map"):
		return nameJunk{content: contentMap}
	}
	if credentialOnly {
		return nameJunk{}
	}
	switch {
	case lower == ".ds_store" || lower == "thumbs.db" || lower == "desktop.ini" ||
		hasExt(lower, ".swp", ".swo") || strings.HasSuffix(lower, "~") || strings.HasPrefix(base, "._"):
		return nameJunk{rule: RuleEditorJunk, what: "editor or operating system file"}
	case isTestFile(lower):
		return nameJunk{rule: RuleTestFile, what: "test file"}
	}
	return nameJunk{}
}

// isEnvFile reports whether a (lower-case) base name is a dotenv or direnv
// file. Templates (.env.example, .env.sample, .env.template, .env.dist,
// .envrc.example) are committed on purpose and hold no values; they are not
// junk (LW-SEC-05 still scans them).
func isEnvFile(lower string) bool {
	if lower != ".env" && lower != ".envrc" && !strings.HasPrefix(lower, ".env.") && !strings.HasPrefix(lower, ".envrc.") {
		return false
	}
	return !hasExt(lower, ".example", ".sample", ".template", ".dist", ".tmpl", ".schema")
}

// isTestFile reports whether a (lower-case) base name follows a test file
// convention of Go, Python, JavaScript/TypeScript or Ruby.
func isTestFile(lower string) bool {
	switch {
	case strings.HasSuffix(lower, "_test.go"):
		return true
	case strings.HasSuffix(lower, ".py"):
		return strings.HasPrefix(lower, "test_") || strings.HasSuffix(lower, "_test.py") || lower == "conftest.py"
	case strings.HasSuffix(lower, ".rb"):
		return strings.HasSuffix(lower, "_spec.rb") || strings.HasSuffix(lower, "_test.rb")
	}
	for _, mid := range []string{".test.", ".spec."} {
		if i := strings.LastIndex(lower, mid); i > 0 {
			if hasExt(lower[i+len(mid)-1:], ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx") {
				return true
			}
		}
	}
	return false
}

func hasExt(lower string, exts ...string) bool {
	for _, e := range exts {
		if strings.HasSuffix(lower, e) {
			return true
		}
	}
	return false
}

// contentJunk applies a content rule to a file's content; it returns the
// finding's description, or "" when the content is harmless.
func contentJunk(rule contentRule, lower string, content []byte) string {
	switch rule {
	case contentPrivateKey:
		if bytes.Contains(content, []byte("PRIVATE KEY-----")) {
			return "TLS or SSH private key"
		}
	case contentAWS:
		if bytes.Contains(bytes.ToLower(content), []byte("aws_secret_access_key")) {
			return "AWS shared credentials file with a secret access key"
		}
	case contentRegistry:
		if registryCredential(lower, content) {
			return registryWhat(lower)
		}
	}
	return ""
}

func registryWhat(lower string) string {
	switch lower {
	case ".npmrc":
		return "npm configuration with a registry token"
	case ".pypirc":
		return "PyPI configuration with a password or token"
	case "config.json":
		return "Docker configuration with registry credentials"
	}
	return "netrc file with a password"
}

// registryCredential reports whether a registry configuration holds a
// credential written in place (not an environment variable reference such
// as ${NPM_TOKEN}).
func registryCredential(lower string, content []byte) bool {
	if lower == "config.json" {
		return bytes.Contains(content, []byte(`"auth"`)) || bytes.Contains(content, []byte(`"identitytoken"`))
	}
	for _, line := range strings.Split(string(content), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		var key, val string
		switch lower {
		case ".netrc", "_netrc":
			f := strings.Fields(line)
			for i := 0; i+1 < len(f); i++ {
				if f[i] == "password" && credentialValue(f[i+1]) {
					return true
				}
			}
			continue
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				if lower == ".pypirc" {
					k, v, ok = strings.Cut(line, ":")
				}
				if !ok {
					continue
				}
			}
			key, val = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		}
		switch lower {
		case ".npmrc":
			if (strings.HasSuffix(key, "_authtoken") || strings.HasSuffix(key, "_auth") || strings.HasSuffix(key, "_password")) && credentialValue(val) {
				return true
			}
		case ".pypirc":
			if key == "password" && credentialValue(val) {
				return true
			}
		}
	}
	return false
}

// credentialValue reports whether a configuration value is written in place
// rather than taken from the environment.
func credentialValue(v string) bool {
	v = strings.Trim(v, `"'`)
	return v != "" && !strings.HasPrefix(v, "${") && !strings.HasPrefix(v, "$")
}

// RuleNotRead is the reserved rule of a Package.Junk entry (File "") saying
// the package itself could not be read, without an error: it is not on disk
// (not built yet). LW-SEC-05, LW-RUN-03 and LW-RUN-04 are UNKNOWN for the
// package, with Detail as the reason. The checks package spells the same
// value.
const RuleNotRead = "lambdawarden:not-read"
