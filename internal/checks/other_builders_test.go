package checks

// Builders for the inventories of the INV, SEC, LOG, RUN, NET, CHG, ACC,
// EXP and TAG tests, and a table runner. Names start with "o" so they do not
// clash with other test helpers of the package.

import (
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

const oFile = "infra/main.tf"
const oOrigin = "infra"

// oNow is the scan date of the tests.
var oNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func oLoc(line int) srcloc.Location { return srcloc.Location{File: oFile, Line: line} }

// oK is a known value set at line.
func oK[T any](v T, line int) inventory.Value[T] { return inventory.Of(v, oLoc(line)) }

// oU is an unknown value set at line.
func oU[T any](line int) inventory.Value[T] {
	return inventory.UnknownValue[T]("known after apply", oLoc(line))
}

// oFn is the Terraform function aws_lambda_function.api named "api",
// declared at line 1, changed by mods.
func oFn(mods ...func(*inventory.Function)) *inventory.Function {
	f := &inventory.Function{
		Item: inventory.Item{ID: "aws_lambda_function.api", Source: inventory.Terraform, Origin: oOrigin, Loc: oLoc(1)},
		Name: oK("api", 2),
	}
	for _, m := range mods {
		m(f)
	}
	return f
}

// oLive is a live function in account 111122223333, us-east-1.
func oLive(mods ...func(*inventory.Function)) *inventory.Function {
	arn := "arn:aws:lambda:us-east-1:111122223333:function:api"
	f := &inventory.Function{
		Item: inventory.Item{ID: arn, Source: inventory.LiveAWS, Origin: "111122223333/us-east-1", Account: "111122223333", Region: "us-east-1"},
		Name: inventory.Of("api", srcloc.Location{}),
		ARN:  arn,
	}
	for _, m := range mods {
		m(f)
	}
	return f
}

// oInv puts items into an inventory.
func oInv(items ...any) *inventory.Inventory {
	inv := &inventory.Inventory{}
	for _, it := range items {
		switch x := it.(type) {
		case *inventory.Function:
			inv.Functions = append(inv.Functions, x)
		case *inventory.Role:
			inv.Roles = append(inv.Roles, x)
		case *inventory.Permission:
			inv.Permissions = append(inv.Permissions, x)
		case *inventory.FunctionURL:
			inv.FunctionURLs = append(inv.FunctionURLs, x)
		case *inventory.Alias:
			inv.Aliases = append(inv.Aliases, x)
		case *inventory.EventInvokeConfig:
			inv.EventInvokeConfigs = append(inv.EventInvokeConfigs, x)
		case *inventory.CodeSigningConfig:
			inv.CodeSigningConfigs = append(inv.CodeSigningConfigs, x)
		case *inventory.LogGroup:
			inv.LogGroups = append(inv.LogGroups, x)
		case *inventory.Alarm:
			inv.Alarms = append(inv.Alarms, x)
		case *inventory.LayerVersion:
			inv.Layers = append(inv.Layers, x)
		case *inventory.LayerPermission:
			inv.LayerPermissions = append(inv.LayerPermissions, x)
		case *inventory.Subnet:
			inv.Subnets = append(inv.Subnets, x)
		case *inventory.SecurityGroup:
			inv.SecurityGroups = append(inv.SecurityGroups, x)
		case *inventory.APIRoute:
			inv.APIRoutes = append(inv.APIRoutes, x)
		case *inventory.Account:
			inv.Accounts = append(inv.Accounts, x)
		default:
			panic("oInv: unsupported item")
		}
	}
	return inv
}

// oItem is a Terraform item with the given ID at line.
func oItem(id string, line int) inventory.Item {
	return inventory.Item{ID: id, Source: inventory.Terraform, Origin: oOrigin, Loc: oLoc(line)}
}

// oFnRef refers to aws_lambda_function.api by ID.
func oFnRef() inventory.Value[inventory.Ref] {
	return oK(inventory.Ref{ID: "aws_lambda_function.api"}, 0)
}

// oPerm is a permission on the function ref with statement st at line.
func oPerm(id string, line int, fn inventory.Value[inventory.Ref], st iampolicy.Statement) *inventory.Permission {
	st.Loc = oLoc(line)
	return &inventory.Permission{Item: oItem(id, line), Function: fn, Statement: st}
}

// oAllow is an Allow of actions (default lambda:InvokeFunction) for the
// principal, with conditions.
func oAllow(p *iampolicy.Principal, conds ...iampolicy.Condition) iampolicy.Statement {
	return iampolicy.Statement{Effect: iampolicy.Allow, Principal: p, Actions: []string{"lambda:InvokeFunction"}, Conditions: conds}
}

func oCond(op, key string, vals ...string) iampolicy.Condition {
	return iampolicy.Condition{Operator: op, Key: key, Values: vals}
}

func oService(s ...string) *iampolicy.Principal { return &iampolicy.Principal{Service: s} }
func oAWS(a ...string) *iampolicy.Principal     { return &iampolicy.Principal{AWS: a} }
func oStar() *iampolicy.Principal               { return &iampolicy.Principal{Wildcard: true} }

// oEnvVars sets the function's environment.
func oEnvVars(vars ...inventory.EnvVar) func(*inventory.Function) {
	return func(f *inventory.Function) { f.Environment = oK(vars, 10) }
}

func oVar(name, value string, line int) inventory.EnvVar {
	return inventory.EnvVar{Name: name, Value: oK(value, line)}
}

// oCase is one named case of a check test: an inventory and the one
// finding wanted (want "" wants no finding at all).
type oCase struct {
	name     string
	inv      *inventory.Inventory
	settings *Settings
	now      time.Time
	want     result.Status
	msg      string   // substring of the message
	also     []string // more substrings of the message
	notMsg   string   // must not appear in the message
	line     int      // location line, when non-zero
	sev      *result.Severity
	kind     string // resource kind, when non-empty
	resName  string // resource name, when non-empty
}

// oRun runs check c on each case.
func oRun(t *testing.T, c *Check, cases []oCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			settings := DefaultSettings()
			if tc.settings != nil {
				settings = *tc.settings
			}
			now := oNow
			if !tc.now.IsZero() {
				now = tc.now
			}
			env := &Env{Index: inventory.NewIndex(tc.inv), Settings: settings, Now: now}
			fs := c.Run(env)
			if tc.want == "" {
				if len(fs) != 0 {
					t.Fatalf("%s: got %d findings, want none: %+v", c.ID, len(fs), fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("%s: got %d findings, want 1: %+v", c.ID, len(fs), fs)
			}
			fd := fs[0]
			if fd.Status != tc.want {
				t.Errorf("%s: status %s, want %s (message %q)", c.ID, fd.Status, tc.want, fd.Message)
			}
			if fd.Message == "" {
				t.Errorf("%s: empty message", c.ID)
			}
			if tc.msg != "" && !strings.Contains(fd.Message, tc.msg) {
				t.Errorf("%s: message %q does not contain %q", c.ID, fd.Message, tc.msg)
			}
			for _, m := range tc.also {
				if !strings.Contains(fd.Message, m) {
					t.Errorf("%s: message %q does not contain %q", c.ID, fd.Message, m)
				}
			}
			if tc.notMsg != "" && strings.Contains(fd.Message, tc.notMsg) {
				t.Errorf("%s: message %q contains %q", c.ID, fd.Message, tc.notMsg)
			}
			if tc.line != 0 && fd.Location.Line != tc.line {
				t.Errorf("%s: location %v, want line %d", c.ID, fd.Location, tc.line)
			}
			if (tc.sev == nil) != (fd.Severity == nil) || (tc.sev != nil && *tc.sev != *fd.Severity) {
				t.Errorf("%s: severity override %v, want %v", c.ID, fd.Severity, tc.sev)
			}
			kind := tc.kind
			if kind == "" {
				kind = result.KindFunction
			}
			if fd.Resource.Kind != kind {
				t.Errorf("%s: resource kind %q, want %q", c.ID, fd.Resource.Kind, kind)
			}
			if tc.resName != "" && fd.Resource.Name != tc.resName {
				t.Errorf("%s: resource name %q, want %q", c.ID, fd.Resource.Name, tc.resName)
			}
		})
	}
}

func oSev(s result.Severity) *result.Severity { return &s }
