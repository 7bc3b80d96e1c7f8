package cloudtrail

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/cloudtrail/mapping"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Summary is what `scan --cloudtrail` takes from the logs for LW-IAM-11
// and LW-CHG-02: per role, the last successful use of each IAM service;
// per function, the last code deployment; per account, the period the
// logs cover.
type Summary struct {
	// Roles by roleKey (partition:account:name, lower case).
	Roles map[string]*RoleUse
	// Deployments by account, region and function name.
	Deployments map[string]*FunctionDeployment
	// Accounts are the recipient accounts of the logs with the period covered.
	Accounts map[string]*Span
}

// RoleUse is one role's use of IAM services.
type RoleUse struct {
	ARN      string
	Account  string
	Name     string
	Services map[string]time.Time // IAM service prefix -> last successful call
}

// FunctionDeployment is a function's last CreateFunction or
// UpdateFunctionCode.
type FunctionDeployment struct {
	Account, Region, Name string
	Deployment            inventory.Deployment
	at                    time.Time
}

// Span is the period of the events seen, and how many were data events.
type Span struct {
	First, Last time.Time
	DataEvents  int64
}

func (s *Span) add(t time.Time) {
	if s.First.IsZero() || t.Before(s.First) {
		s.First = t
	}
	if t.After(s.Last) {
		s.Last = t
	}
}

func newSummary() *Summary {
	return &Summary{Roles: map[string]*RoleUse{}, Deployments: map[string]*FunctionDeployment{}, Accounts: map[string]*Span{}}
}

// Summarize reads files into a Summary, in parallel. See Read for errors.
func Summarize(ctx context.Context, files []string, rules *Rules, opts ReadOptions) (*Summary, Stats, []error) {
	parts := make([]*summarizer, opts.WorkerCount())
	for i := range parts {
		parts[i] = &summarizer{mapper: rules.Mapper, sum: newSummary(), cache: map[string][]string{}, byARN: map[string]*RoleUse{}}
	}
	stats, errs := Read(ctx, files, opts, func(w int, rec *Record) { parts[w].add(rec) })
	sum := parts[0].sum
	for _, p := range parts[1:] {
		sum.merge(p.sum)
	}
	return sum, stats, errs
}

// summarizer is one worker's part of a Summary.
type summarizer struct {
	mapper *mapping.Mapper
	sum    *Summary
	cache  map[string][]string // event key -> IAM services
	byARN  map[string]*RoleUse // role ARN as written -> its use
	keybuf []byte
}

// roleKey identifies a role across ARN forms (with or without its path).
func roleKey(partition, account, name string) string {
	return strings.ToLower(partition + ":" + account + ":" + name)
}

func (s *summarizer) add(rec *Record) {
	t, ok := rec.Time()
	if !ok {
		return
	}
	acct := rec.Account()
	span := s.sum.Accounts[string(acct)]
	if span == nil {
		span = &Span{}
		s.sum.Accounts[string(acct)] = span
	}
	span.add(t)
	if bytes.Equal(rec.EventCategory, []byte("Data")) {
		span.DataEvents++
	}
	if len(rec.ErrorCode) > 0 && s.mapper.IsDenied(string(rec.ErrorCode)) {
		return
	}
	if bytes.Equal(rec.Identity.Type, []byte("AssumedRole")) {
		s.addRoleUse(rec, t)
	}
	if len(rec.ErrorCode) == 0 && bytes.Equal(rec.EventSource, []byte("lambda.amazonaws.com")) {
		s.addDeployment(rec, t)
	}
}

func (s *summarizer) addRoleUse(rec *Record, t time.Time) {
	k := append(s.keybuf[:0], rec.EventType...)
	k = append(k, 0)
	k = append(k, rec.EventSource...)
	k = append(k, 0)
	k = append(k, rec.EventName...)
	s.keybuf = k
	services, ok := s.cache[string(k)]
	if !ok {
		res := s.mapper.Map(mapping.Event{Source: string(rec.EventSource), Name: string(rec.EventName),
			Type: string(rec.EventType), IdentityType: "AssumedRole"})
		if res.Outcome == mapping.Grant {
			for _, a := range append(res.Actions, res.Unknown...) {
				svc, _, _ := strings.Cut(a, ":")
				if len(services) == 0 || services[len(services)-1] != svc {
					services = append(services, svc)
				}
			}
		}
		s.cache[string(k)] = services
	}
	if len(services) == 0 {
		return
	}
	arn := rec.RoleARN()
	ru := s.byARN[string(arn)]
	if ru == nil {
		rest, ok := bytes.CutPrefix(arn, []byte("arn:"))
		f := bytes.SplitN(rest, []byte(":"), 5)
		if !ok || len(f) != 5 || !bytes.HasPrefix(f[4], []byte("role/")) {
			return
		}
		name := f[4][bytes.LastIndexByte(f[4], '/')+1:]
		key := roleKey(string(f[0]), string(f[3]), string(name))
		if ru = s.sum.Roles[key]; ru == nil {
			ru = &RoleUse{ARN: string(arn), Account: string(f[3]), Name: string(name), Services: map[string]time.Time{}}
			s.sum.Roles[key] = ru
		}
		s.byARN[string(arn)] = ru
	}
	for _, svc := range services {
		if t.After(ru.Services[svc]) {
			ru.Services[svc] = t
		}
	}
}

// deployEvent returns the deployment event's name (CreateFunction or
// UpdateFunctionCode, API-version suffix removed), or "".
func deployEvent(name []byte) string {
	for _, e := range []string{"UpdateFunctionCode", "CreateFunction"} {
		rest, ok := bytes.CutPrefix(name, []byte(e))
		if !ok {
			continue
		}
		if len(bytes.Trim(rest, "0123456789v_")) == 0 {
			return e
		}
	}
	return ""
}

func (s *summarizer) addDeployment(rec *Record, t time.Time) {
	event := deployEvent(rec.EventName)
	if event == "" {
		return
	}
	params := map[string]string{}
	topLevelStrings(rec.RequestParameters, params, map[string][]string{})
	fn := params["functionName"]
	if fn == "" {
		return
	}
	c := callContext{partition: rec.Partition(), region: string(rec.AWSRegion), account: string(rec.Account())}
	arn := functionARN(fn, "", c)
	f := strings.SplitN(arn, ":", 7)
	if len(f) != 7 {
		return
	}
	region, account, name := f[3], f[4], inventory.FunctionNameFromARN(arn)
	key := account + "\x00" + region + "\x00" + name
	if d := s.sum.Deployments[key]; d != nil && !t.After(d.at) {
		return
	}
	d := inventory.Deployment{
		EventName:     event,
		PrincipalType: string(rec.Identity.Type),
		PrincipalARN:  string(rec.Identity.ARN),
		Console:       rec.SessionCredentialFromConsole || bytes.Contains(rec.UserAgent, []byte("console.amazonaws.com")),
		Time:          t.UTC().Format(time.RFC3339),
	}
	if bytes.Equal(rec.Identity.Type, []byte("AssumedRole")) {
		d.RoleARN = string(rec.RoleARN())
	}
	s.sum.Deployments[key] = &FunctionDeployment{Account: account, Region: region, Name: name, Deployment: d, at: t}
}

func (s *Summary) merge(o *Summary) {
	for k, sp := range o.Accounts {
		if a := s.Accounts[k]; a != nil {
			a.add(sp.First)
			a.add(sp.Last)
			a.DataEvents += sp.DataEvents
		} else {
			s.Accounts[k] = sp
		}
	}
	for k, ru := range o.Roles {
		a := s.Roles[k]
		if a == nil {
			s.Roles[k] = ru
			continue
		}
		if ru.ARN < a.ARN && ru.ARN != "" {
			a.ARN = ru.ARN // deterministic when paths differ
		}
		for svc, t := range ru.Services {
			if t.After(a.Services[svc]) {
				a.Services[svc] = t
			}
		}
	}
	for k, d := range o.Deployments {
		if a := s.Deployments[k]; a == nil || d.at.After(a.at) || (d.at.Equal(a.at) && d.Deployment.PrincipalARN < a.Deployment.PrincipalARN) {
			s.Deployments[k] = d
		}
	}
}

// accountList returns the accounts the logs cover, sorted.
func (s *Summary) accountList() []string {
	out := make([]string, 0, len(s.Accounts))
	for a := range s.Accounts {
		if a != "" {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}
