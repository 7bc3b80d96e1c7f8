package serverless

import (
	"context"
	"fmt"
	"github.com/lambdawarden/lambdawarden/internal/checks/checktest"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// The differential oracle: each service is packaged by the real framework
// (osls, installed with npm into a cache folder this test owns), and the
// security-relevant facts read from the service file must equal those read
// from the CloudFormation the framework generated.

const (
	oslsVersion   = "osls@4.3.1"
	pluginVersion = "serverless-iam-roles-per-function@3.2.0"
)

var oracleServices = []string{
	"../../examples/serverless",
	"testdata/perfn",
	"testdata/url",
	"testdata/globals",
}

func TestOracleOSLS(t *testing.T) {
	if testing.Short() {
		t.Skip("packages services with osls; not in -short")
	}
	unavailable := func(msg string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("differential test cannot run under CI: %s", msg)
		}
		t.Skip(msg)
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable(tool + " is not installed")
		}
	}
	bin := installOSLS(t, unavailable)
	for _, svc := range oracleServices {
		t.Run(filepath.Base(svc), func(t *testing.T) {
			src := loadDir(t, svc, quietConfig(), scan.LoadOptions{})
			if len(src.Errors) > 0 {
				t.Fatalf("source errors: %s", errorsText(src))
			}
			gen := packageService(t, bin, svc)
			want := templateFacts(t, gen, functionKeysOf(src))
			got := inventoryFacts(src)
			compareFacts(t, got, want)
			checktest.Compare(t, checktest.Verdicts(src, oracleNow), checktest.Verdicts(loadGenerated(t, gen), oracleNow), nil)
		})
	}
}

// installOSLS installs osls and the per-function roles plugin into
// $(go env GOCACHE)/lambdawarden-osls once, and returns the bin folder.
func installOSLS(t *testing.T, unavailable func(string)) string {
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		unavailable("no Go build cache to install osls into")
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "lambdawarden-osls")
	bin := filepath.Join(dir, "node_modules", ".bin")
	plugin := filepath.Join(dir, "node_modules", "serverless-iam-roles-per-function", "package.json")
	if _, err := os.Stat(filepath.Join(bin, "osls")); err == nil {
		if _, err := os.Stat(plugin); err == nil {
			return bin
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		unavailable(err.Error())
	}
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		writeFile(t, filepath.Join(dir, "package.json"), `{"name":"lambdawarden-osls","private":true}`+"\n")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, oslsVersion, pluginVersion)
	if b, err := cmd.CombinedOutput(); err != nil {
		unavailable(fmt.Sprintf("npm install %s %s: %v\n%s", oslsVersion, pluginVersion, err, b))
	}
	return bin
}

// packageService copies a service to a temporary folder, replaces the
// deploy-time ${ssm:} references (osls would call AWS for them) with a
// literal, runs `osls package` and returns the generated template's path.
func packageService(t *testing.T, bin, svc string) string {
	dir := t.TempDir()
	err := filepath.WalkDir(svc, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(svc, p)
		if d.IsDir() {
			if d.Name() == ".serverless" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if d.Name() == "serverless.yml" {
			s := replaceSSM(string(b))
			if !strings.Contains(s, "configValidationMode") {
				s = "configValidationMode: warn\n" + s
			}
			if !strings.Contains(s, "\npackage:") {
				// Packaging only needs the handlers; skip the framework's slow
				// dependency walk.
				s += "package:\n  excludeDevDependencies: false\n  patterns: ['!node_modules/**']\n"
			}
			b = []byte(s)
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "handler.js")); err != nil {
		// Fixtures hold no code; the framework refuses to package nothing.
		writeFile(t, filepath.Join(dir, "handler.js"), "exports.h = async () => ({});\n")
	}
	if err := os.Symlink(filepath.Dir(bin), filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "osls"), "package")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SLS_TELEMETRY_DISABLED=1", "SLS_NOTIFICATIONS_MODE=off", "AWS_EC2_METADATA_DISABLED=true")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("osls package %s: %v\n%s", svc, err, b)
	}
	return filepath.Join(dir, filepath.FromSlash(GeneratedTemplate))
}

// replaceSSM replaces each ${ssm:...} (with nested variables) by a literal.
func replaceSSM(s string) string {
	for {
		i := strings.Index(s, "${ssm:")
		if i < 0 {
			return s
		}
		j := closingBrace(s, i+2)
		if j < 0 {
			return s
		}
		s = s[:i] + "ssm-reference" + s[j+1:]
	}
}

func functionKeysOf(inv *inventory.Inventory) []string {
	var out []string
	for _, f := range inv.Functions {
		out = append(out, f.ID)
	}
	return out
}

// facts are "function|kind|detail" lines.
type facts map[string]bool

func (f facts) add(fn, kind string, parts ...any) {
	s := fn + "|" + kind
	for _, p := range parts {
		s += "|" + fmt.Sprint(p)
	}
	f[s] = true
}

func addStatements(f facts, fn string, stmts []iampolicy.Statement) {
	for _, s := range stmts {
		for _, a := range s.Actions {
			for _, r := range s.Resources {
				f.add(fn, "grant", s.Effect, a, r)
			}
		}
	}
}

func inventoryFacts(inv *inventory.Inventory) facts {
	f := facts{}
	x := inventory.NewIndex(inv)
	for _, fn := range inv.Functions {
		k := fn.ID
		f.add(k, "name", fn.Name.V)
		f.add(k, "runtime", fn.Runtime.V)
		f.add(k, "handler", fn.Handler.V)
		f.add(k, "memory", fn.MemoryMB.V)
		f.add(k, "timeout", fn.TimeoutSeconds.V)
		f.add(k, "tracing", fn.TracingMode.V)
		f.add(k, "logformat", fn.LogFormat.V)
		f.add(k, "kms", fn.KMSKeyARN.V)
		f.add(k, "reserved", fn.ReservedConcurrency.Or(-1))
		f.add(k, "dlq", fn.DeadLetterTarget.V)
		f.add(k, "onfailure", fn.OnFailureDestination.V)
		for _, e := range fn.Environment.V {
			if e.Value.IsKnown() {
				f.add(k, "env", e.Name, e.Value.V)
			} else {
				f.add(k, "env", e.Name, "?")
			}
		}
		if r := x.RoleOf(fn); r != nil {
			f.add(k, "role", r.ID)
			for _, p := range r.Inline {
				addStatements(f, k, p.Document.V.Statements)
			}
			for _, a := range r.Attached {
				f.add(k, "managed", a.Policy.V.Name)
			}
			f.add(k, "boundary", r.Boundary.V)
		} else {
			f.add(k, "role", fn.Role.V.Name)
		}
		for _, u := range x.URLs(fn) {
			f.add(k, "url", u.AuthType.V, strings.Join(u.CORSAllowOrigins.V, ","))
		}
		if g := x.LogGroupOf(fn); g != nil {
			f.add(k, "loggroup", g.Name.V, g.RetentionDays.Or(0))
		}
		for _, p := range x.Permissions(fn) {
			f.add(k, "permission", permissionFact(p.Statement))
		}
	}
	return f
}

func permissionFact(s iampolicy.Statement) string {
	who := "*"
	if p := s.Principal; p != nil && !p.Wildcard {
		who = strings.Join(append(append([]string{}, p.Service...), p.AWS...), ",")
	}
	var conds []string
	for _, c := range s.Conditions {
		conds = append(conds, strings.ToLower(c.Key)+"="+strings.Join(c.Values, ","))
	}
	sort.Strings(conds)
	return who + " " + strings.Join(s.Actions, ",") + " " + strings.Join(conds, " ")
}

// templateFacts reads the same facts from a generated template.
func templateFacts(t *testing.T, file string, keys []string) facts {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Parse("template.json", data, DefaultConfig().Limits.template())
	if err != nil {
		t.Fatal(err)
	}
	r := newResolver(context.Background(), "template.json", filepath.Dir(file), filepath.Dir(file), tpl.Root, "", DefaultConfig().Limits)
	root := r.node(tpl.Root, 0)
	res := root.get("Resources")
	b := newBuilder(r, "template.json", filepath.Dir(file))
	b.cfn = &cfn{resources: res, synth: map[string]synthetic{}}
	str := func(v *val) string { s, _, _ := b.cfn.str(v, 0); return s }
	byLogical := map[string]string{}
	for _, k := range keys {
		byLogical[lambdaLogicalID(k)] = k
	}
	target := func(v *val) string { return byLogical[refID(v)] }
	f := facts{}
	logGroups := map[string]*val{}
	for _, e := range res.ents {
		if typ, _ := e.v.get("Type").str(); typ == "AWS::Logs::LogGroup" {
			logGroups[str(e.v.path("Properties", "LogGroupName"))] = e.v.get("Properties")
		}
	}
	for _, e := range res.ents {
		typ, _ := e.v.get("Type").str()
		p := e.v.get("Properties")
		switch typ {
		case "AWS::Lambda::Function":
			k := byLogical[e.key]
			if k == "" {
				t.Errorf("template function %s has no function key", e.key)
				continue
			}
			name := str(p.get("FunctionName"))
			f.add(k, "name", name)
			f.add(k, "runtime", str(p.get("Runtime")))
			f.add(k, "handler", str(p.get("Handler")))
			m, _ := p.get("MemorySize").integer()
			to, _ := p.get("Timeout").integer()
			f.add(k, "memory", m)
			f.add(k, "timeout", to)
			f.add(k, "tracing", str(p.path("TracingConfig", "Mode")))
			f.add(k, "logformat", str(p.path("LoggingConfig", "LogFormat")))
			f.add(k, "kms", str(p.get("KmsKeyArn")))
			rc, ok := p.get("ReservedConcurrentExecutions").integer()
			if !ok {
				rc = -1
			}
			f.add(k, "reserved", rc)
			f.add(k, "dlq", str(p.path("DeadLetterConfig", "TargetArn")))
			for _, ev := range envEntries(p.path("Environment", "Variables")) {
				v := str(ev.v)
				if v == "ssm-reference" {
					v = "?"
				}
				f.add(k, "env", ev.key, v)
			}
			roleV := p.get("Role")
			if id := refID(roleV); id != "" {
				f.add(k, "role", id)
				rp := res.path(id, "Properties")
				for _, pol := range rp.get("Policies").list() {
					var stmts []iampolicy.Statement
					for _, s := range pol.path("PolicyDocument", "Statement").list() {
						stmts = append(stmts, b.statement(s))
					}
					addStatements(f, k, stmts)
				}
				for _, m := range rp.get("ManagedPolicyArns").list() {
					f.add(k, "managed", str(m))
				}
				f.add(k, "boundary", str(rp.get("PermissionsBoundary")))
			} else {
				f.add(k, "role", str(roleV))
			}
			if g := logGroups["/aws/lambda/"+name]; g != nil {
				d, _ := g.get("RetentionInDays").integer()
				f.add(k, "loggroup", "/aws/lambda/"+name, d)
			}
		case "AWS::Lambda::Url":
			f.add(target(p.get("TargetFunctionArn")), "url", str(p.get("AuthType")), strings.Join(mustList(b, p.path("Cors", "AllowOrigins")), ","))
		case "AWS::Lambda::Permission":
			st := iampolicy.Statement{Actions: []string{str(p.get("Action"))}}
			if pr := str(p.get("Principal")); pr == "*" {
				st.Principal = &iampolicy.Principal{Wildcard: true}
			} else {
				st.Principal = &iampolicy.Principal{Service: []string{pr}}
			}
			for field, key := range map[string]string{"SourceArn": "AWS:SourceArn", "SourceAccount": "AWS:SourceAccount", "FunctionUrlAuthType": "lambda:FunctionUrlAuthType"} {
				if v := p.get(field); v != nil {
					st.Conditions = append(st.Conditions, iampolicy.Condition{Key: key, Values: []string{str(v)}})
				}
			}
			if v, ok := p.get("InvokedViaFunctionUrl").boolean(); ok && v {
				st.Conditions = append(st.Conditions, iampolicy.Condition{Key: "lambda:InvokedViaFunctionUrl", Values: []string{"true"}})
			}
			f.add(target(p.get("FunctionName")), "permission", permissionFact(st))
		case "AWS::Lambda::EventInvokeConfig":
			f.add(target(p.get("FunctionName")), "onfailure", str(p.path("DestinationConfig", "OnFailure", "Destination")))
		}
	}
	// Functions without a destination say so, as the inventory does.
	for _, k := range keys {
		found := false
		for fact := range f {
			if strings.HasPrefix(fact, k+"|onfailure|") {
				found = true
			}
		}
		if !found {
			f.add(k, "onfailure", "")
		}
	}
	return f
}

func envEntries(v *val) []entry {
	if v == nil {
		return nil
	}
	return v.ents
}

func mustList(b *builder, v *val) []string {
	l, _ := b.cfn.strList(v)
	return l
}

func compareFacts(t *testing.T, got, want facts) {
	t.Helper()
	var missing, extra []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Errorf("service file and generated template disagree\nonly in the template:\n  %s\nonly from the service file:\n  %s",
			strings.Join(missing, "\n  "), strings.Join(extra, "\n  "))
	}
	t.Logf("%d facts agree", len(want))
}
