package cloudtrail

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/cloudtrail/mapping"
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

// DefaultWildcardThreshold is how many distinct objects (or sub-prefixes)
// one S3 prefix may hold before the policy grants prefix/* instead.
const DefaultWildcardThreshold = 10

// Rules are what turning activity into a policy needs: the mapping and
// the catalog it validates against. They are immutable and shared by the
// workers.
type Rules struct {
	Mapper  *mapping.Mapper
	Catalog *iampolicy.Catalog
	// WildcardThreshold: more than this many distinct objects or
	// sub-prefixes directly under one S3 prefix are granted as prefix/*
	// (DefaultWildcardThreshold when 0 or less).
	WildcardThreshold int
}

// DefaultRules are the embedded mapping and catalog.
func DefaultRules() *Rules {
	c := iampolicy.DefaultCatalog()
	return &Rules{Mapper: mapping.New(c), Catalog: c, WildcardThreshold: DefaultWildcardThreshold}
}

func (r *Rules) threshold() int {
	if r.WildcardThreshold > 0 {
		return r.WildcardThreshold
	}
	return DefaultWildcardThreshold
}

// Activity aggregates the selected calls: the actions used with their
// resources, the calls denied, the sessions seen. One Activity belongs to
// one worker; Merge combines them. Its memory grows with the distinct
// actions and resources, not with the number of calls: S3 objects beyond
// the wildcard threshold under one prefix collapse as they arrive.
type Activity struct {
	rules *Rules
	types *resourceTypes

	cache   map[string]mapping.Result
	actInfo map[string]iampolicy.Action
	keybuf  []byte
	params  map[string]string
	lists   map[string][]string
	cands   []string

	// Calls counts the selected records; DataEvents those that are data events.
	Calls      int64
	DataEvents int64
	First      time.Time
	Last       time.Time

	actions  map[string]*actionUse
	denied   map[string]*deniedUse
	unknown  map[string]*UnknownAction
	skipped  map[string]int64
	sessions map[string]*sessionUse
}

// actionUse is one granted action's use.
type actionUse struct {
	calls     int64
	last      time.Time
	resources resourceSet
	// unscoped counts calls whose resource the record does not tell.
	unscoped int64
}

// sessionUse is one role session (a function, for an execution role).
type sessionUse struct {
	lambda    bool // an exec-env/AWS_Lambda_ user agent was seen
	partition string
	where     map[string]*int64 // "region\x00account" -> calls
}

// DeniedCall is an action the identity attempted and was refused (per
// action and error code, with the resources); it is reported, never
// granted.
type DeniedCall struct {
	Action      string   `json:"action"`
	Resources   []string `json:"resources"`
	ErrorCode   string   `json:"error_code"`
	EventSource string   `json:"event_source"`
	EventName   string   `json:"event_name"`
	Calls       int64    `json:"calls"`
	LastAttempt string   `json:"last_attempt,omitempty"`
}

// deniedUse aggregates one action's denied calls with one error code.
type deniedUse struct {
	call      DeniedCall
	last      time.Time
	resources resourceSet
}

// UnknownAction is an event whose mapped action the IAM catalog does not
// know; it is not granted unless asked.
type UnknownAction struct {
	Action      string `json:"action"`
	EventSource string `json:"event_source"`
	EventName   string `json:"event_name"`
	Calls       int64  `json:"calls"`
}

// NewActivity returns an empty aggregate.
func NewActivity(rules *Rules) *Activity {
	return &Activity{
		rules:    rules,
		types:    newResourceTypes(rules.Catalog),
		cache:    map[string]mapping.Result{},
		actInfo:  map[string]iampolicy.Action{},
		params:   map[string]string{},
		lists:    map[string][]string{},
		actions:  map[string]*actionUse{},
		denied:   map[string]*deniedUse{},
		unknown:  map[string]*UnknownAction{},
		skipped:  map[string]int64{},
		sessions: map[string]*sessionUse{},
	}
}

// paramDependent reports whether an event's mapping reads its parameters
// (so it cannot be cached by name).
func paramDependent(source, name []byte) bool {
	if bytes.Equal(source, []byte("apigateway.amazonaws.com")) {
		return true
	}
	if !bytes.Equal(source, []byte("dynamodb.amazonaws.com")) {
		return false
	}
	switch string(name) {
	case "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction", "TransactWriteItems":
		return true
	}
	return false
}

// mapRecord maps a record, through a cache keyed by what the result
// depends on.
func (a *Activity) mapRecord(rec *Record) mapping.Result {
	denied := len(rec.ErrorCode) > 0 && a.rules.Mapper.IsDenied(string(rec.ErrorCode))
	cacheable := !paramDependent(rec.EventSource, rec.EventName)
	if cacheable {
		k := append(a.keybuf[:0], rec.EventType...)
		k = append(k, 0)
		k = append(k, rec.EventSource...)
		k = append(k, 0)
		k = append(k, rec.EventName...)
		k = append(k, 0)
		k = append(k, rec.Identity.Type...)
		if denied {
			k = append(k, 0, 'D')
		}
		a.keybuf = k
		if res, ok := a.cache[string(k)]; ok {
			return res
		}
	}
	ev := mapping.Event{
		Source:       string(rec.EventSource),
		Name:         string(rec.EventName),
		Type:         string(rec.EventType),
		IdentityType: string(rec.Identity.Type),
		Region:       string(rec.AWSRegion),
		Partition:    rec.Partition(),
	}
	if denied {
		ev.ErrorCode = string(rec.ErrorCode)
	}
	if !cacheable {
		ev.RequestParameters = rec.RequestParameters
	}
	res := a.rules.Mapper.Map(ev)
	if cacheable {
		a.cache[string(a.keybuf)] = res
	}
	return res
}

// action returns the catalog entry of an action in catalog spelling.
func (a *Activity) action(name string) (iampolicy.Action, bool) {
	if act, ok := a.actInfo[name]; ok {
		return act, true
	}
	act, ok := a.rules.Catalog.Lookup(name)
	if ok {
		a.actInfo[name] = act
	}
	return act, ok
}

// Add aggregates one selected record.
func (a *Activity) Add(rec *Record) {
	a.Calls++
	t, hasTime := rec.Time()
	if hasTime {
		if a.First.IsZero() || t.Before(a.First) {
			a.First = t
		}
		if t.After(a.Last) {
			a.Last = t
		}
	}
	if bytes.Equal(rec.EventCategory, []byte("Data")) {
		a.DataEvents++
	}
	a.addSession(rec)

	res := a.mapRecord(rec)
	switch res.Outcome {
	case mapping.Skip:
		a.skipped[res.Reason]++
		return
	case mapping.Denied:
		a.addDenied(rec, res, t)
		return
	}
	for _, u := range res.Unknown {
		a.addUnknown(rec, u)
	}
	if len(res.Actions) == 0 {
		return
	}
	cands := a.candidates(rec, res)
	for _, name := range res.Actions {
		use := a.actions[name]
		if use == nil {
			use = &actionUse{}
			a.actions[name] = use
		}
		use.calls++
		if t.After(use.last) {
			use.last = t
		}
		scoped := a.scope(name, res, cands)
		if len(scoped) == 0 {
			use.unscoped++
			use.resources.add("*", a.rules.threshold())
			continue
		}
		for _, r := range scoped {
			use.resources.add(r, a.rules.threshold())
		}
	}
}

// maxSessions bounds the sessions an Activity tracks (a role assumed with
// a new session name per run would otherwise grow with the logs); Lambda
// sessions, named after the functions, are few.
const maxSessions = 4096

func (a *Activity) addSession(rec *Record) {
	name := rec.SessionName()
	s := a.sessions[string(name)]
	if s == nil && len(a.sessions) >= maxSessions {
		return
	}
	if s == nil {
		s = &sessionUse{partition: rec.Partition(), where: map[string]*int64{}}
		a.sessions[string(name)] = s
	}
	s.lambda = s.lambda || rec.LambdaUserAgent()
	k := append(a.keybuf[:0], rec.AWSRegion...)
	k = append(k, 0)
	k = append(k, rec.Account()...)
	a.keybuf = k
	n := s.where[string(k)]
	if n == nil {
		n = new(int64)
		s.where[string(k)] = n
	}
	*n++
}

func (a *Activity) addUnknown(rec *Record, action string) {
	u := a.unknown[action]
	if u == nil {
		u = &UnknownAction{Action: action, EventSource: string(rec.EventSource), EventName: string(rec.EventName)}
		a.unknown[action] = u
	}
	u.Calls++
}

func (a *Activity) addDenied(rec *Record, res mapping.Result, t time.Time) {
	actions := append(slices.Clone(res.Actions), res.Unknown...)
	cands := a.candidates(rec, res)
	for _, name := range actions {
		key := name + "\x00" + string(rec.ErrorCode)
		d := a.denied[key]
		if d == nil {
			d = &deniedUse{call: DeniedCall{Action: name, ErrorCode: string(rec.ErrorCode),
				EventSource: string(rec.EventSource), EventName: string(rec.EventName)}}
			a.denied[key] = d
		}
		d.call.Calls++
		if t.After(d.last) {
			d.last = t
		}
		resources := a.scope(name, res, cands)
		if len(resources) == 0 {
			resources = []string{"*"}
		}
		for _, r := range resources {
			d.resources.add(r, a.rules.threshold())
		}
	}
}

// candidates lists the resource ARNs a record names.
func (a *Activity) candidates(rec *Record, res mapping.Result) []string {
	out := a.cands[:0]
	if res.Resources != nil {
		out = append(out, res.Resources...)
		a.cands = out
		return out
	}
	for _, r := range rec.Resources {
		out = append(out, escapeRecordARN(string(r)))
	}
	if len(rec.RequestParameters) > 0 {
		clear(a.params)
		clear(a.lists)
		topLevelStrings(rec.RequestParameters, a.params, a.lists)
		c := callContext{partition: rec.Partition(), region: string(rec.AWSRegion), account: string(rec.Account())}
		out = append(out, paramARNs(a.params, a.lists, c)...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	a.cands = out
	return out
}

// scope keeps the candidates the action can be scoped to. It returns
// ["*"] for an action without resource-level permissions, and nil when no
// candidate fits.
func (a *Activity) scope(name string, res mapping.Result, cands []string) []string {
	act, ok := a.action(name)
	if !ok {
		return nil
	}
	if !act.ResourceLevel() {
		return []string{"*"}
	}
	if res.Resources != nil {
		return res.Resources
	}
	var out []string
	for _, c := range cands {
		if arnService(c) != act.Service {
			continue
		}
		if a.types.fits(act.Service, c, act.ResourceTypes) {
			out = append(out, c)
		}
	}
	return out
}

// Merge adds b's aggregate to a. b must not be used afterwards.
func (a *Activity) Merge(b *Activity) {
	a.Calls += b.Calls
	a.DataEvents += b.DataEvents
	if !b.First.IsZero() && (a.First.IsZero() || b.First.Before(a.First)) {
		a.First = b.First
	}
	if b.Last.After(a.Last) {
		a.Last = b.Last
	}
	for name, bu := range b.actions {
		au := a.actions[name]
		if au == nil {
			a.actions[name] = bu
			continue
		}
		au.calls += bu.calls
		au.unscoped += bu.unscoped
		if bu.last.After(au.last) {
			au.last = bu.last
		}
		au.resources.merge(&bu.resources, a.rules.threshold())
	}
	for k, bd := range b.denied {
		ad := a.denied[k]
		if ad == nil {
			a.denied[k] = bd
			continue
		}
		ad.call.Calls += bd.call.Calls
		if bd.last.After(ad.last) {
			ad.last = bd.last
		}
		ad.resources.merge(&bd.resources, a.rules.threshold())
	}
	for k, bu := range b.unknown {
		if au := a.unknown[k]; au != nil {
			au.Calls += bu.Calls
		} else {
			a.unknown[k] = bu
		}
	}
	for k, n := range b.skipped {
		a.skipped[k] += n
	}
	for k, bs := range b.sessions {
		as := a.sessions[k]
		if as == nil {
			if len(a.sessions) < maxSessions {
				a.sessions[k] = bs
			}
			continue
		}
		as.lambda = as.lambda || bs.lambda
		for w, n := range bs.where {
			if an := as.where[w]; an != nil {
				*an += *n
			} else {
				as.where[w] = n
			}
		}
	}
}

// Denied returns the denied calls, sorted by action and error code.
func (a *Activity) Denied() []DeniedCall {
	out := make([]DeniedCall, 0, len(a.denied))
	for _, d := range a.denied {
		c := d.call
		c.Resources = d.resources.list()
		if !d.last.IsZero() {
			c.LastAttempt = d.last.UTC().Format(time.RFC3339)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Action != y.Action {
			return x.Action < y.Action
		}
		return x.ErrorCode < y.ErrorCode
	})
	return out
}

// Unknown returns the actions the catalog does not know, sorted.
func (a *Activity) Unknown() []UnknownAction {
	out := make([]UnknownAction, 0, len(a.unknown))
	for _, u := range a.unknown {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// Skipped returns how many selected calls each skip rule dropped, by reason.
func (a *Activity) Skipped() map[string]int64 { return a.skipped }

// Sessions returns the role session names seen, sorted; lambdaOnly keeps
// those with a Lambda execution-environment user agent.
func (a *Activity) Sessions(lambdaOnly bool) []string {
	var out []string
	for name, s := range a.sessions {
		if name != "" && (!lambdaOnly || s.lambda) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// home returns the most frequent region and account of a session's calls
// (of all sessions when session is ""; ties broken by name), and its
// partition.
func (a *Activity) home(session string) (region, account, partition string) {
	where := map[string]int64{}
	for name, s := range a.sessions {
		if session != "" && name != session {
			continue
		}
		if partition == "" || s.partition < partition {
			partition = s.partition
		}
		for w, n := range s.where {
			where[w] += *n
		}
	}
	best, bestN := "", int64(-1)
	for w, n := range where {
		if n > bestN || (n == bestN && w < best) {
			best, bestN = w, n
		}
	}
	region, account, _ = strings.Cut(best, "\x00")
	return region, account, partition
}

// Home returns the region and account most of the session's calls were
// made in ("" for all sessions), "" when there are none.
func (a *Activity) Home(session string) (region, account string) {
	region, account, _ = a.home(session)
	return region, account
}

// topLevelStrings collects requestParameters' top-level string values, and
// the string elements of top-level arrays, without decoding the rest.
func topLevelStrings(raw []byte, params map[string]string, lists map[string][]string) {
	p := parser{b: raw}
	if c, ok := p.next(); !ok || c != '{' {
		return
	}
	p.object(func(key []byte) bool {
		c, ok := p.next()
		if !ok {
			return false
		}
		switch c {
		case '"':
			v, ok := p.text()
			if ok {
				params[string(key)] = string(v)
			}
			return ok
		case '[':
			k := string(key)
			return p.array(func() bool {
				c, ok := p.next()
				if ok && c == '"' {
					v, ok := p.text()
					if ok {
						lists[k] = append(lists[k], string(v))
					}
					return ok
				}
				return p.skip()
			})
		}
		return p.skip()
	})
}
