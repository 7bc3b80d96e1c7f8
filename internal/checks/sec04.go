package checks

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// checkSEC04 is LW-SEC-04: environment does not leak internal hostnames.
func checkSEC04() *Check {
	fams := iacAndLive()
	return &Check{
		ID:          "LW-SEC-04",
		Title:       "Environment does not leak internal hostnames",
		Severity:    result.Low,
		Controls:    []string{"CC6.6"},
		Families:    fams,
		Semantics:   "FAIL if a value holds a private IP (RFC 1918), an internal DNS name (.internal, .local, .corp, compute.internal) or a database endpoint host.",
		Remediation: "Keep internal endpoints out of the environment: store them in SSM Parameter Store or Secrets Manager (with the credentials) and read them at runtime, or resolve them through service discovery.",
		Run:         perFunction(fams, evalSEC04),
	}
}

var (
	hostTokenRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]`)
	// dbEndpointRE matches the hosts of AWS database endpoints: RDS/Aurora
	// (and Neptune), ElastiCache, DocumentDB, Redshift, MemoryDB, DAX, DSQL.
	dbEndpointRE = regexp.MustCompile(`(?i)\.(rds|cache|docdb|redshift|redshift-serverless)\.amazonaws\.com(\.cn)?$|\.(memorydb|dax-clusters)\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$|\.dsql\.[a-z0-9-]+\.on\.aws$`)
)

// rfc1918 are the private IPv4 ranges.
func rfc1918() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
	}
}

// internalDNSSuffixes end internal DNS names (compute.internal is EC2's).
func internalDNSSuffixes() []string { return []string{".internal", ".local", ".corp"} }

func evalSEC04(_ *Env, f *inventory.Function) (Finding, bool) {
	vars, fd, done := envVars(f)
	if done {
		return fd, true
	}
	var v verdict
	for _, ev := range vars {
		loc := firstLoc(ev.Value.Loc, f.Environment.Loc)
		switch val, ok := ev.Value.Get(); {
		case ev.Reference:
		case ev.Redacted:
			v.unknown(loc, "environment variable %s was redacted as a secret, so its hosts cannot be inspected", ev.Name)
		case ev.Value.IsUnknown():
			v.unknown(loc, "environment variable %s cannot be resolved (%s)", ev.Name, whyUnknown(ev.Value))
		case ok:
			if kind := internalHost(val); kind != "" {
				v.fail(loc, "environment variable %s holds %s (%s)", ev.Name, kind, secrets.Redact(val))
			}
		}
	}
	return v.finding("no environment value names a private address, internal host or database endpoint"), true
}

// internalHost says what internal address v holds, or "".
func internalHost(v string) string {
	for _, tok := range hostTokenRE.FindAllString(v, -1) {
		if ip, err := netip.ParseAddr(tok); err == nil {
			if ip.Is4() {
				for _, p := range rfc1918() {
					if p.Contains(ip) {
						return "a private IP address (RFC 1918)"
					}
				}
			}
			continue
		}
		host := strings.ToLower(strings.TrimSuffix(tok, "."))
		if !strings.Contains(host, ".") {
			continue
		}
		if dbEndpointRE.MatchString(host) {
			return "a database endpoint host"
		}
		for _, s := range internalDNSSuffixes() {
			if strings.HasSuffix(host, s) {
				return "an internal DNS name (" + s + ")"
			}
		}
	}
	return ""
}
