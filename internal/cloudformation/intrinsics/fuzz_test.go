package intrinsics

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

// FuzzResolve parses arbitrary bytes as a template and evaluates every
// condition, resource and output: it must never panic, and stays bounded
// (the parser's limits and the evaluation work limit).
func FuzzResolve(f *testing.F) {
	for _, glob := range []string{"testdata/*.yaml", "../testdata/*/*.yaml", "../testdata/*/*.json", "../testdata/*/*/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("Resources: &r {A: *r, B: [*r, *r]}"))
	f.Add([]byte("x: &a [1, 2]\ny: &b [*a, *a, *a]\nResources: {R: {Type: AWS::SNS::Topic, Properties: {<<: {TopicName: *b}}}}"))
	f.Add([]byte("Resources: {A: {Type: AWS::SNS::Topic, Properties: {TopicName: !GetAtt A.TopicName}}}"))
	f.Add([]byte(`{"Conditions": {"C": {"Fn::Not": [{"Condition": "C"}]}}, "Resources": {"A": {"Type": "X", "Properties": {"P": {"Fn::If": ["C", 1, 2]}}}}}`))
	f.Add([]byte("Resources: {A: {Type: X, Properties: {P: !Sub '${'}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := template.DefaultLimits()
		lim.MaxExpandedNodes = 100_000
		tp, err := template.Parse("fuzz.yaml", data, lim)
		if err != nil {
			return
		}
		env := NewEnv(tp, "", map[string]*Value{"P": {Kind: String, Str: "x"}})
		env.MaxSteps = 200_000
		env.StackOutput = func(string, string) *Value { return nil }
		template.Pairs(tp.Conditions, func(k, _ *yaml.Node) { env.Condition(k.Value) })
		for _, id := range env.ResourceIDs() {
			r := env.Resources[id]
			_ = env.Resolve(r.Properties)
			_ = env.RefValue(id)
			_ = env.ResourceName(id)
		}
		template.Pairs(tp.Outputs, func(_, v *yaml.Node) { _ = env.Resolve(v) })
	})
}
