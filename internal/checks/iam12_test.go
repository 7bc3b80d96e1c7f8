package checks

import (
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func TestIAM12(t *testing.T) {
	bounded := func(v inventory.Value[string]) *inventory.Inventory {
		r := iamBasicRole()
		r.Boundary = v
		return iamSingle(r)
	}
	runIAMCases(t, checkIAM12(), []iamCase{
		{name: "boundary passes", inv: bounded(inventory.Of("arn:aws:iam::123456789012:policy/boundary", iamLoc(26))), want: result.Pass,
			msg: []string{"arn:aws:iam::123456789012:policy/boundary"}},
		{name: "no boundary fails", inv: bounded(inventory.Value[string]{}), want: result.Fail, line: 20,
			msg: []string{`role "orders-role" has no permissions boundary`}},
		{name: "unknown boundary is unknown", inv: bounded(inventory.UnknownValue[string]("var.boundary has no value", iamLoc(26))),
			want: result.Unknown, line: 26, msg: []string{"var.boundary has no value"}},
		{name: "role defined elsewhere is unknown", inv: iamSingle(iamBasicRole()),
			edit: func(f *inventory.Function) {
				f.Role = inventory.Of(iamARNRef("arn:aws:iam::123456789012:role/legacy"), iamLoc(3))
			},
			want: result.Unknown},
	})
}

func TestIAM12OffByDefault(t *testing.T) {
	cases := []struct {
		name     string
		sel      Selection
		settings func(*Settings)
		want     bool
	}{
		{"off by default", Selection{}, nil, false},
		{"on with the setting", Selection{}, func(s *Settings) { s.EnablePermissionsBoundary = true }, true},
		{"on when enabled", Selection{Enable: []string{"LW-IAM-12"}}, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultSettings()
			if tc.settings != nil {
				tc.settings(&s)
			}
			got := ByID(Select(iamChecks(), tc.sel, s), "LW-IAM-12") != nil
			if got != tc.want {
				t.Errorf("selected = %v, want %v", got, tc.want)
			}
		})
	}
}
