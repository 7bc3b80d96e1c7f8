// Package checktest compares the verdicts of the check catalog on two
// inventories: the differential tests use it to show that a source file and
// the CloudFormation a real tool generates from it give the same results.
package checktest

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/checks"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Verdicts runs the whole default catalog on inv, as of now, and returns each
// status keyed by "check|resource kind|resource name". The name, not the
// logical ID, is the key: translators rename resources but keep their names.
// When one key has several results their statuses are listed, sorted.
func Verdicts(inv *inventory.Inventory, now time.Time) map[string]string {
	settings := checks.DefaultSettings()
	selected := checks.Select(checks.Catalog(), checks.Selection{}, settings)
	rs := checks.Run(&checks.Env{Index: inventory.NewIndex(inv), Settings: settings, Now: now}, selected)
	multi := map[string][]string{}
	for _, r := range rs {
		k := r.CheckID + "|" + r.Resource.Kind + "|" + r.Resource.Name
		multi[k] = append(multi[k], string(r.Status))
	}
	out := make(map[string]string, len(multi))
	for k, ss := range multi {
		sort.Strings(ss)
		out[k] = strings.Join(ss, ",")
	}
	return out
}

// Diffs lists every key whose status differs between source and generated,
// except those allowed (keyed as Verdicts keys them, each with the reason it
// legitimately differs), and every allowed key that does not differ (a stale
// allow-list entry). It returns how many verdicts were compared.
func Diffs(source, generated, allowed map[string]string) (diffs []string, compared int) {
	keys := map[string]bool{}
	for k := range source {
		keys[k] = true
	}
	for k := range generated {
		keys[k] = true
	}
	for k := range allowed {
		if a, b := source[k], generated[k]; a == b {
			diffs = append(diffs, fmt.Sprintf("%s: allowed to differ but both give %s: drop it from the allow-list", k, orNone(a)))
		}
	}
	for k := range keys {
		a, b := source[k], generated[k]
		if _, ok := allowed[k]; a != b && !ok {
			diffs = append(diffs, fmt.Sprintf("%s: source %s, generated %s", k, orNone(a), orNone(b)))
		}
	}
	sort.Strings(diffs)
	return diffs, len(keys)
}

// Compare fails t for every difference Diffs reports and logs how many
// verdicts were compared.
func Compare(t testing.TB, source, generated, allowed map[string]string) {
	t.Helper()
	diffs, n := Diffs(source, generated, allowed)
	if len(diffs) > 0 {
		t.Errorf("the source and the generated CloudFormation give different verdicts (check|kind|name):\n  %s", strings.Join(diffs, "\n  "))
	}
	t.Logf("%d verdicts compared, %d allowed to differ", n, len(allowed))
}

func orNone(s string) string {
	if s == "" {
		return "(no result)"
	}
	return s
}
