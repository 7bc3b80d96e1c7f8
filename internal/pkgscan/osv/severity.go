package osv

import (
	"encoding/json"
	"math"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/result"
)

// rate returns a record's severity: the curated database_specific.severity
// (GitHub advisories: CRITICAL, HIGH, MODERATE, LOW) when present, else the
// highest score of its CVSS v3.x or v2 vectors. CVSS v4 vectors are not
// scored (their formula needs the specification's lookup tables); a record
// rated only by one is unrated.
func rate(dbSpecific json.RawMessage, sevs []severity) (result.Severity, bool) {
	if s, ok := namedSeverity(dbSpecific); ok {
		return s, true
	}
	best, rated := result.Severity(0), false
	for _, sv := range sevs {
		var score float64
		var ok bool
		switch sv.Type {
		case "CVSS_V3":
			score, ok = cvss3(sv.Score)
			if ok {
				if s := fromScore(score); !rated || s > best {
					best, rated = s, true
				}
			}
		case "CVSS_V2":
			score, ok = cvss2(sv.Score)
			if ok {
				if s := fromScoreV2(score); !rated || s > best {
					best, rated = s, true
				}
			}
		}
	}
	return best, rated
}

// rateAffected is the severity given on one affected package, if any.
func rateAffected(a affected) (result.Severity, bool) {
	for _, raw := range []json.RawMessage{a.DatabaseSpecific, a.EcosystemSpecific} {
		if s, ok := namedSeverity(raw); ok {
			return s, true
		}
	}
	if len(a.Severity) > 0 {
		return rate(nil, a.Severity)
	}
	return 0, false
}

// namedSeverity reads {"severity": "HIGH"} from a database_specific or
// ecosystem_specific object.
func namedSeverity(raw json.RawMessage) (result.Severity, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	var v struct {
		Severity any `json:"severity"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return 0, false
	}
	s, ok := v.Severity.(string)
	if !ok {
		return 0, false
	}
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "CRITICAL":
		return result.Critical, true
	case "HIGH", "IMPORTANT":
		return result.High, true
	case "MODERATE", "MEDIUM":
		return result.Medium, true
	case "LOW", "NEGLIGIBLE":
		return result.Low, true
	}
	return 0, false
}

// fromScore maps a CVSS v3 score to its qualitative rating (a score of 0,
// "None", is reported as low: the advisory still exists).
func fromScore(s float64) result.Severity {
	switch {
	case s >= 9.0:
		return result.Critical
	case s >= 7.0:
		return result.High
	case s >= 4.0:
		return result.Medium
	}
	return result.Low
}

// fromScoreV2 maps a CVSS v2 score to the NVD's v2 ratings (no critical).
func fromScoreV2(s float64) result.Severity {
	switch {
	case s >= 7.0:
		return result.High
	case s >= 4.0:
		return result.Medium
	}
	return result.Low
}

// metrics parses "AV:N/AC:L/..." (after an optional "CVSS:3.1/" prefix).
func metrics(vector string) map[string]string {
	m := map[string]string{}
	for _, part := range strings.Split(vector, "/") {
		k, v, ok := strings.Cut(part, ":")
		if ok {
			m[k] = v
		}
	}
	return m
}

// cvss3 computes a CVSS v3.0/v3.1 base score from its vector, as the
// specification's formula says.
func cvss3(vector string) (float64, bool) {
	if !strings.HasPrefix(vector, "CVSS:3.") {
		return 0, false
	}
	m := metrics(vector)
	scope := m["S"]
	weights := map[string]map[string]float64{
		"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
		"AC": {"L": 0.77, "H": 0.44},
		"UI": {"N": 0.85, "R": 0.62},
		"C":  {"H": 0.56, "L": 0.22, "N": 0},
		"I":  {"H": 0.56, "L": 0.22, "N": 0},
		"A":  {"H": 0.56, "L": 0.22, "N": 0},
	}
	w := map[string]float64{}
	for k, table := range weights {
		v, ok := table[m[k]]
		if !ok {
			return 0, false
		}
		w[k] = v
	}
	var pr float64
	switch m["PR"] {
	case "N":
		pr = 0.85
	case "L":
		pr = map[bool]float64{false: 0.62, true: 0.68}[scope == "C"]
	case "H":
		pr = map[bool]float64{false: 0.27, true: 0.5}[scope == "C"]
	default:
		return 0, false
	}
	if scope != "U" && scope != "C" {
		return 0, false
	}
	iss := 1 - (1-w["C"])*(1-w["I"])*(1-w["A"])
	var impact float64
	if scope == "U" {
		impact = 6.42 * iss
	} else {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	exploit := 8.22 * w["AV"] * w["AC"] * pr * w["UI"]
	if impact <= 0 {
		return 0, true
	}
	if scope == "U" {
		return roundUp(math.Min(impact+exploit, 10)), true
	}
	return roundUp(math.Min(1.08*(impact+exploit), 10)), true
}

// roundUp is CVSS v3.1's Roundup: the smallest one-decimal number at or
// above x, computed on integers to avoid floating-point surprises.
func roundUp(x float64) float64 {
	i := int64(math.Round(x * 100000))
	if i%10000 == 0 {
		return float64(i) / 100000
	}
	return float64(i/10000+1) / 10
}

// cvss2 computes a CVSS v2 base score from its vector.
func cvss2(vector string) (float64, bool) {
	m := metrics(strings.TrimPrefix(strings.TrimPrefix(vector, "("), "CVSS:2.0/"))
	tables := map[string]map[string]float64{
		"AV": {"L": 0.395, "A": 0.646, "N": 1.0},
		"AC": {"H": 0.35, "M": 0.61, "L": 0.71},
		"Au": {"M": 0.45, "S": 0.56, "N": 0.704},
		"C":  {"N": 0, "P": 0.275, "C": 0.660},
		"I":  {"N": 0, "P": 0.275, "C": 0.660},
		"A":  {"N": 0, "P": 0.275, "C": 0.660},
	}
	w := map[string]float64{}
	for k, table := range tables {
		v, ok := table[strings.TrimSuffix(m[k], ")")]
		if !ok {
			return 0, false
		}
		w[k] = v
	}
	impact := 10.41 * (1 - (1-w["C"])*(1-w["I"])*(1-w["A"]))
	exploit := 20 * w["AV"] * w["AC"] * w["Au"]
	f := 1.176
	if impact == 0 {
		f = 0
	}
	return math.Round(((0.6*impact)+(0.4*exploit)-1.5)*f*10) / 10, true
}
