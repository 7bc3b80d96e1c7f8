package cloudtrail

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

// PolicyOptions complete what CloudTrail cannot show.
type PolicyOptions struct {
	// Functions are the functions whose log groups the policy grants
	// (default: the role sessions seen with a Lambda user agent).
	Functions []string
	// LogGroups are log group names to grant instead of /aws/lambda/NAME
	// (a function's LoggingConfig log group).
	LogGroups []string
	// Region, Account and Partition place the log groups when the calls do
	// not tell (default: each function's most frequent region and account).
	Region, Account, Partition string
	// Tracing adds the X-Ray write actions (active tracing).
	Tracing bool
	// KeepUnknown grants actions the IAM catalog does not know.
	KeepUnknown bool
}

// UsedAction is one action the identity used, with the resources of the
// generated policy.
type UsedAction struct {
	Action    string   `json:"action"`
	Resources []string `json:"resources"`
	Calls     int64    `json:"calls"`
	LastUsed  string   `json:"last_used,omitempty"`
	// Unscoped counts calls whose resource the record does not tell (the
	// action is then granted on "*").
	Unscoped int64 `json:"unscoped_calls,omitempty"`
	// Added says why an action not seen in CloudTrail is granted.
	Added string `json:"added,omitempty"`
}

// Generated is a least-privilege policy with what went into it.
type Generated struct {
	Policy  *iampolicy.Policy
	Used    []UsedAction
	Denied  []DeniedCall
	Unknown []UnknownAction
	// Notes are warnings about the result (missing data events, calls
	// without a resource, log groups placed with a wildcard).
	Notes []string
}

// Logging actions the Lambda runtime needs; PutLogEvents is not in CloudTrail.
const (
	actCreateLogGroup  = "logs:CreateLogGroup"
	actCreateLogStream = "logs:CreateLogStream"
	actPutLogEvents    = "logs:PutLogEvents"
)

// xrayActions are the X-Ray write actions of active tracing.
func xrayActions() []string { return []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"} }

// Policy builds the least-privilege policy: every action used (denied
// calls excluded) on the resources it was used on, plus the function's log
// group and, with tracing, X-Ray. Statements group actions of one service
// that share their resources; Sids and order are deterministic.
func (a *Activity) Policy(opts PolicyOptions) *Generated {
	g := &Generated{Denied: a.Denied(), Unknown: a.Unknown()}
	used := map[string]*UsedAction{}
	for name, use := range a.actions {
		u := &UsedAction{Action: name, Resources: use.resources.list(), Calls: use.calls, Unscoped: use.unscoped}
		if !use.last.IsZero() {
			u.LastUsed = use.last.UTC().Format(time.RFC3339)
		}
		used[name] = u
		if use.unscoped > 0 {
			g.Notes = append(g.Notes, fmt.Sprintf("%s: %d of %d calls name no resource the action can be scoped to; granted on \"*\"", name, use.unscoped, use.calls))
		}
	}
	if opts.KeepUnknown {
		for _, u := range g.Unknown {
			used[u.Action] = &UsedAction{Action: u.Action, Resources: []string{"*"}, Calls: u.Calls, Added: "not in the IAM catalog; kept by request"}
		}
	}
	for _, u := range g.Unknown {
		if !opts.KeepUnknown {
			g.Notes = append(g.Notes, fmt.Sprintf("%s (%s %s, %d calls) is not in the IAM action catalog: not granted", u.Action, u.EventSource, u.EventName, u.Calls))
		}
	}

	// Logging: not (fully) in CloudTrail, always needed.
	groups, groupNotes := a.logGroups(opts)
	g.Notes = append(g.Notes, groupNotes...)
	for _, grp := range groups {
		addFixed(used, actCreateLogGroup, grp, "the function's log group (logs are not in CloudTrail)")
		addFixed(used, actCreateLogStream, grp+":*", "the function's log streams")
		addFixed(used, actPutLogEvents, grp+":*", "the function's log events (PutLogEvents is not in CloudTrail)")
	}
	if opts.Tracing {
		for _, x := range xrayActions() {
			addFixed(used, x, "*", "active tracing")
		}
	}
	if a.Calls > 0 && a.DataEvents == 0 {
		g.Notes = append(g.Notes, "the logs hold no data events for these sessions: S3 object, DynamoDB item, Lambda Invoke, SQS and SNS access is missing unless the trail records data events")
	}
	if a.Calls == 0 {
		g.Notes = append(g.Notes, "no CloudTrail events matched the selection")
	}

	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		u := used[n]
		if act, ok := a.rules.Catalog.Lookup(n); ok && !act.ResourceLevel() {
			u.Resources = []string{"*"}
		}
		u.Resources = dropCovered(u.Resources)
		g.Used = append(g.Used, *u)
	}
	g.Policy = buildPolicy(g.Used)
	sort.Strings(g.Notes)
	return g
}

// addFixed adds a resource to an action that CloudTrail may not show.
func addFixed(used map[string]*UsedAction, action, resource, why string) {
	u := used[action]
	if u == nil {
		u = &UsedAction{Action: action, Added: why}
		used[action] = u
	}
	for _, r := range u.Resources {
		if r == "*" || r == resource {
			return
		}
	}
	u.Resources = append(u.Resources, resource)
	sort.Strings(u.Resources)
}

// dropCovered removes the resources another wildcard of the list covers
// (a log stream under the log group's ":*"). The list stays sorted.
func dropCovered(resources []string) []string {
	var wild []string
	for _, r := range resources {
		if strings.HasSuffix(r, "*") && !strings.Contains(r, "${") {
			wild = append(wild, r)
		}
	}
	if len(wild) == 0 {
		return resources
	}
	out := resources[:0:0]
	for _, r := range resources {
		covered := false
		for _, w := range wild {
			if w != r && iampolicy.MatchResource(w, r) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, r)
		}
	}
	return out
}

// logGroups returns the log group ARNs to grant.
func (a *Activity) logGroups(opts PolicyOptions) ([]string, []string) {
	fns := opts.Functions
	var notes []string
	if len(fns) == 0 && len(opts.LogGroups) == 0 {
		fns = a.Sessions(true)
		if len(fns) == 0 {
			notes = append(notes, "no Lambda function sessions identified: no log group granted (give --function or --log-group)")
		}
	}
	type place struct{ name, region, account, partition string }
	var places []place
	at := func(session string) (string, string, string) {
		region, account, partition := a.home(session)
		if opts.Region != "" {
			region = opts.Region
		}
		if opts.Account != "" {
			account = opts.Account
		}
		if opts.Partition != "" {
			partition = opts.Partition
		}
		if partition == "" {
			partition = "aws"
		}
		return region, account, partition
	}
	for _, fn := range fns {
		r, acct, p := at(fn)
		places = append(places, place{"/aws/lambda/" + fn, r, acct, p})
	}
	for _, lg := range opts.LogGroups {
		session := ""
		if len(opts.Functions) == 1 {
			session = opts.Functions[0]
		}
		r, acct, p := at(session)
		places = append(places, place{lg, r, acct, p})
	}
	var out []string
	for _, pl := range places {
		if pl.region == "" || pl.account == "" {
			notes = append(notes, fmt.Sprintf("log group %s: region or account unknown, written as *: give --region and --account", pl.name))
			pl.region, pl.account = orStar(pl.region), orStar(pl.account)
		}
		out = append(out, "arn:"+pl.partition+":logs:"+pl.region+":"+pl.account+":log-group:"+escapeARN(pl.name))
	}
	sort.Strings(out)
	return out, notes
}

func orStar(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

// buildPolicy groups the actions into statements: one per service and
// resource list, sorted by service, then resources; Sids are the service
// in CamelCase, numbered when a service has several statements.
func buildPolicy(used []UsedAction) *iampolicy.Policy {
	type group struct {
		service   string
		resources []string
		actions   []string
	}
	groups := map[string]*group{}
	for _, u := range used {
		service, _, _ := strings.Cut(u.Action, ":")
		key := service + "\x00" + strings.Join(u.Resources, "\x00")
		grp := groups[key]
		if grp == nil {
			grp = &group{service: service, resources: u.Resources}
			groups[key] = grp
		}
		grp.actions = append(grp.actions, u.Action)
	}
	list := make([]*group, 0, len(groups))
	for _, grp := range groups {
		sort.Strings(grp.actions)
		list = append(list, grp)
	}
	sort.Slice(list, func(i, j int) bool {
		x, y := list[i], list[j]
		if x.service != y.service {
			return x.service < y.service
		}
		if k, l := strings.Join(x.resources, "\x00"), strings.Join(y.resources, "\x00"); k != l {
			return k < l
		}
		return strings.Join(x.actions, ",") < strings.Join(y.actions, ",")
	})
	p := &iampolicy.Policy{Version: "2012-10-17", Statements: []iampolicy.Statement{}}
	perService := map[string]int{}
	for _, grp := range list {
		perService[grp.service]++
	}
	seen := map[string]int{}
	for _, grp := range list {
		sid := camel(grp.service)
		seen[grp.service]++
		if perService[grp.service] > 1 {
			sid += fmt.Sprint(seen[grp.service])
		}
		p.Statements = append(p.Statements, iampolicy.Statement{
			Sid:       sid,
			Effect:    iampolicy.Allow,
			Actions:   grp.actions,
			Resources: grp.resources,
		})
	}
	return p
}

// camel turns a service prefix into a Sid part: "rds-data" -> "RdsData".
func camel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			if up {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}
