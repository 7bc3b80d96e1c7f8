package cloudtrail

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// EnrichOptions say how to read a Summary into an inventory.
type EnrichOptions struct {
	// Now is the scan time; UnusedDays the LW-IAM-11 window
	// (settings.unused_days, default 90).
	Now        time.Time
	UnusedDays int
	// Catalog expands the roles' grants (default iampolicy.DefaultCatalog()).
	Catalog *iampolicy.Catalog
}

// EnrichStats count what Enrich filled.
type EnrichStats struct {
	Roles, RolesUnknown         int
	Functions, FunctionsUnknown int
}

// Enrich fills, from CloudTrail, the inventory fields that LW-IAM-11 and
// LW-CHG-02 read, for IaC and live items alike:
//
//   - Role.LastAccessed: one row per IAM service the role's policies grant,
//     with the last successful call of the role's sessions to it (empty:
//     never in the logs). It is unknown, with the reason, when the logs
//     hold no events of the role's account, when they start after the
//     LW-IAM-11 window and a granted service was not seen, or when part of
//     the role's policies cannot be read and every readable grant was used.
//   - Function.LastDeployment: the function's last CreateFunction or
//     UpdateFunctionCode in the logs; unknown, with the reason, when the
//     logs hold none.
//
// Values already known (read live from IAM or LookupEvents) are kept,
// except that a later deployment in the logs replaces an earlier one.
// Items are matched by ARN where the inventory knows it, else by name
// (and account and region where known).
func Enrich(inv *inventory.Inventory, sum *Summary, opts EnrichOptions) EnrichStats {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.UnusedDays <= 0 {
		opts.UnusedDays = 90
	}
	if opts.Catalog == nil {
		opts.Catalog = iampolicy.DefaultCatalog()
	}
	var st EnrichStats
	x := inventory.NewIndex(inv)
	cutoff := opts.Now.AddDate(0, 0, -opts.UnusedDays)
	for _, role := range inv.Roles {
		if role.LastAccessed.IsKnown() {
			continue
		}
		v := sum.lastAccessed(x, role, cutoff, opts)
		role.LastAccessed = v
		if v.IsKnown() {
			st.Roles++
		} else {
			st.RolesUnknown++
		}
	}
	for _, fn := range inv.Functions {
		v, ok := sum.lastDeployment(fn)
		switch {
		case ok:
			if cur, known := fn.LastDeployment.Get(); known && cur.Time >= v.V.Time {
				continue
			}
			fn.LastDeployment = v
			st.Functions++
		case fn.LastDeployment.IsUnknown():
			// Keep the live reason (LookupEvents) and add the logs'.
			fn.LastDeployment.Why = strings.TrimPrefix(fn.LastDeployment.Why+"; ", "; ") + v.Why
			st.FunctionsUnknown++
		case fn.LastDeployment.IsAbsent():
			fn.LastDeployment = v
			st.FunctionsUnknown++
		}
	}
	return st
}

// concrete reports whether an ARN field is a real value, not a symbolic
// placeholder or unknown.
func concrete(s string) bool { return s != "" && !strings.ContainsAny(s, "<>${}*") }

// roleIdentity returns what the inventory knows of a role: partition,
// account and name (any may be empty).
func roleIdentity(role *inventory.Role) (partition, account, name string) {
	if n, ok := role.Name.Get(); ok && concrete(n) {
		name = n
	}
	if f := strings.SplitN(role.ARN, ":", 6); len(f) == 6 && f[0] == "arn" && f[2] == "iam" {
		if concrete(f[1]) {
			partition = f[1]
		}
		if concrete(f[4]) {
			account = f[4]
		}
		if r, ok := strings.CutPrefix(f[5], "role/"); ok && concrete(r) {
			name = r[strings.LastIndexByte(r, '/')+1:]
		}
	}
	if account == "" && concrete(role.Account) {
		account = role.Account
	}
	return partition, account, name
}

func (s *Summary) lastAccessed(x *inventory.Index, role *inventory.Role, cutoff time.Time, opts EnrichOptions) inventory.Value[[]inventory.ServiceAccess] {
	unknown := func(format string, args ...any) inventory.Value[[]inventory.ServiceAccess] {
		return inventory.UnknownValue[[]inventory.ServiceAccess](fmt.Sprintf(format, args...), role.Loc)
	}
	partition, account, name := roleIdentity(role)
	if name == "" {
		return unknown("the role's name is not known, so its CloudTrail sessions cannot be found")
	}
	// Find the role's use: by account when known, else by name alone.
	var use *RoleUse
	var matches []*RoleUse
	for _, ru := range s.Roles {
		if strings.EqualFold(ru.Name, name) && (account == "" || ru.Account == account) &&
			(partition == "" || strings.HasPrefix(ru.ARN, "arn:"+partition+":")) {
			matches = append(matches, ru)
		}
	}
	sort.Slice(matches, func(i, j int) bool { return matches[i].ARN < matches[j].ARN })
	switch {
	case len(matches) == 1:
		use = matches[0]
		account = use.Account
	case len(matches) > 1:
		var arns []string
		for _, m := range matches {
			arns = append(arns, m.ARN)
		}
		return unknown("the CloudTrail logs hold sessions of several roles named %q (%s)", name, strings.Join(arns, ", "))
	}
	accounts := s.accountList()
	if account == "" {
		if len(accounts) != 1 {
			return unknown("role %q has no sessions in the CloudTrail logs, and its account is not known (the logs cover %s)", name, listOrNone(accounts))
		}
		account = accounts[0]
	}
	span := s.Accounts[account]
	if span == nil {
		return unknown("the CloudTrail logs hold no events of account %s (they cover %s)", account, listOrNone(accounts))
	}

	docs, gaps := RolePolicies(x, role)
	rows := []inventory.ServiceAccess{}
	var unseen, uncertain []string
	anyUnused := false
	for _, svc := range grantedServices(opts.Catalog, docs) {
		if notInCloudTrail(svc) {
			continue
		}
		row := inventory.ServiceAccess{Namespace: svc}
		if use != nil {
			if t, ok := use.Services[svc]; ok {
				row.LastAccessed = t.UTC().Format(time.RFC3339)
			}
		}
		if row.LastAccessed == "" {
			if span.DataEvents == 0 && dataEventService(svc) {
				// Its calls may all be data events, which these logs lack.
				uncertain = append(uncertain, svc)
				continue
			}
			unseen = append(unseen, svc)
		}
		if row.LastAccessed == "" || mustParse(row.LastAccessed).Before(cutoff) {
			anyUnused = true
		}
		rows = append(rows, row)
	}
	if len(unseen) > 0 && span.First.After(cutoff) {
		return unknown("the CloudTrail logs of account %s start on %s, within the unused-permission window, so %s cannot be called unused",
			account, span.First.UTC().Format("2006-01-02"), strings.Join(unseen, ", "))
	}
	if !anyUnused {
		switch {
		case len(uncertain) > 0:
			return unknown("the CloudTrail logs of account %s hold no data events, so the use of %s cannot be told", account, strings.Join(uncertain, ", "))
		case len(gaps) > 0:
			return unknown("part of the role's policies cannot be read: %s", strings.Join(gaps, "; "))
		}
	}
	return inventory.Of(rows, role.Loc)
}

// notInCloudTrail reports whether CloudTrail cannot show a service's use by
// a Lambda execution role (logs:PutLogEvents is not logged; X-Ray writes
// are unverified): such a service is left out of the last-accessed rows
// rather than called unused. LW-LOG-08 and LW-LOG-04 cover them.
func notInCloudTrail(service string) bool { return service == "logs" || service == "xray" }

// dataEventService reports whether a service's calls can all be data
// events, which a trail records only with data-event selectors.
func dataEventService(service string) bool {
	switch service {
	case "s3", "s3-object-lambda", "dynamodb", "lambda", "sqs", "sns", "kinesis", "ebs", "bedrock":
		return true
	}
	return false
}

func mustParse(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "no account"
	}
	return strings.Join(s, ", ")
}

// lastDeployment finds the function's last deployment; ok is false (and
// the value unknown, with the reason) when the logs hold none.
func (s *Summary) lastDeployment(fn *inventory.Function) (inventory.Value[inventory.Deployment], bool) {
	name, ok := fn.Name.Get()
	if !ok || !concrete(name) {
		if fn.ARN == "" {
			return inventory.UnknownValue[inventory.Deployment]("the function's name is not known, so its deployments cannot be found in CloudTrail", fn.Loc), false
		}
		name = inventory.FunctionNameFromARN(fn.ARN)
	}
	account, region := fn.Account, fn.Region
	if f := strings.Split(fn.ARN, ":"); len(f) >= 7 && f[0] == "arn" {
		region, account = f[3], f[4]
	}
	var matches []*FunctionDeployment
	for _, d := range s.Deployments {
		if d.Name == name && (!concrete(account) || d.Account == account) && (!concrete(region) || d.Region == region) {
			matches = append(matches, d)
		}
	}
	sort.Slice(matches, func(i, j int) bool {
		if matches[i].Account != matches[j].Account {
			return matches[i].Account < matches[j].Account
		}
		return matches[i].Region < matches[j].Region
	})
	switch len(matches) {
	case 0:
		return inventory.UnknownValue[inventory.Deployment](fmt.Sprintf("no CreateFunction or UpdateFunctionCode for %q in the CloudTrail logs (they cover %s)", name, s.coverage()), fn.Loc), false
	case 1:
		return inventory.Of(matches[0].Deployment, fn.Loc), true
	}
	var where []string
	for _, m := range matches {
		where = append(where, m.Account+"/"+m.Region)
	}
	return inventory.UnknownValue[inventory.Deployment](fmt.Sprintf("%q is deployed in several accounts or regions in the CloudTrail logs (%s)", name, strings.Join(where, ", ")), fn.Loc), false
}

// coverage describes the period and accounts of the logs.
func (s *Summary) coverage() string {
	var parts []string
	for _, a := range s.accountList() {
		sp := s.Accounts[a]
		parts = append(parts, fmt.Sprintf("account %s from %s to %s", a, sp.First.UTC().Format("2006-01-02"), sp.Last.UTC().Format("2006-01-02")))
	}
	if len(parts) == 0 {
		return "no events"
	}
	return strings.Join(parts, "; ")
}
