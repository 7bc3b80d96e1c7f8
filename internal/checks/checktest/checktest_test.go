package checktest

import "testing"

func TestDiffs(t *testing.T) {
	tests := []struct {
		name                       string
		source, generated, allowed map[string]string
		wantDiffs                  int
	}{
		{"same", map[string]string{"A|function|f": "PASS"}, map[string]string{"A|function|f": "PASS"}, nil, 0},
		{"status differs", map[string]string{"A|function|f": "PASS"}, map[string]string{"A|function|f": "FAIL"}, nil, 1},
		{"only in source", map[string]string{"A|function|f": "PASS"}, map[string]string{}, nil, 1},
		{"only generated", map[string]string{}, map[string]string{"A|function|f": "UNKNOWN"}, nil, 1},
		{"allowed", map[string]string{"A|function|f": "UNKNOWN"}, map[string]string{"A|function|f": "PASS"}, map[string]string{"A|function|f": "why"}, 0},
		{"stale allowance", map[string]string{"A|function|f": "PASS"}, map[string]string{"A|function|f": "PASS"}, map[string]string{"A|function|f": "why"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diffs, _ := Diffs(tc.source, tc.generated, tc.allowed)
			if len(diffs) != tc.wantDiffs {
				t.Errorf("got %d differences, want %d: %q", len(diffs), tc.wantDiffs, diffs)
			}
		})
	}
}
