package sam

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func parse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func dump(t *testing.T, n *yaml.Node) string {
	t.Helper()
	var v any
	if err := n.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMergeGlobals(t *testing.T) {
	tests := []struct {
		name, global, local, want string
	}{
		{"scalar overridden", `{Runtime: python3.12}`, `{Runtime: nodejs24.x}`, `{"Runtime":"nodejs24.x"}`},
		{"global kept", `{Timeout: 3}`, `{Runtime: x}`, `{"Runtime":"x","Timeout":3}`},
		{"maps merged recursively", `{Environment: {Variables: {A: "1", B: "2"}}}`, `{Environment: {Variables: {B: "3", C: "4"}}}`,
			`{"Environment":{"Variables":{"A":"1","B":"3","C":"4"}}}`},
		{"lists concatenated global first", `{Layers: [g1, g2]}`, `{Layers: [l1]}`, `{"Layers":["g1","g2","l1"]}`},
		{"intrinsic is a scalar", `{Role: {"Fn::GetAtt": [R, Arn]}}`, `{Role: {"Fn::Sub": "x"}}`, `{"Role":{"Fn::Sub":"x"}}`},
		{"short-form intrinsic replaces a map", `{VpcConfig: {SubnetIds: [a]}}`, `{VpcConfig: !Ref NoVpc}`, `{"VpcConfig":"NoVpc"}`},
		{"different shapes: local wins", `{CodeUri: s3://b/k}`, `{CodeUri: {Bucket: b, Key: k}}`, `{"CodeUri":{"Bucket":"b","Key":"k"}}`},
		{"optional property from globals", `{DeploymentPreference: {Enabled: false, Type: Canary}}`, `{DeploymentPreference: {Type: Linear}}`,
			`{"DeploymentPreference":{"Enabled":false,"Type":"Linear"}}`},
		{"no local properties", `{Timeout: 3}`, ``, `{"Timeout":3}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var local *yaml.Node
			if tc.local != "" {
				local = parse(t, tc.local)
			}
			got := dump(t, mergeGlobals(parse(t, tc.global), local))
			if got != tc.want {
				t.Errorf("merge = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestIgnoreGlobals(t *testing.T) {
	g := parse(t, `{Tracing: Active, Timeout: 3, Layers: [x]}`)
	if got := ignoreGlobals(g, parse(t, `"*"`)); got != nil {
		t.Errorf("IgnoreGlobals '*' = %s, want nothing", dump(t, got))
	}
	if got := dump(t, ignoreGlobals(g, parse(t, `[Tracing, Layers]`))); got != `{"Timeout":3}` {
		t.Errorf("IgnoreGlobals list = %s", got)
	}
}

func TestEmbeddedPolicyTemplates(t *testing.T) {
	pt, err := EmbeddedPolicyTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(pt) != 81 {
		t.Fatalf("%d policy templates, want all 81", len(pt))
	}
	// When the shared reference data is beside the repository, the
	// embedded copy must be generated from its current version.
	if src, err := os.ReadFile("../../../../shared/data/sam-policy-templates.json"); err == nil {
		sum := sha256.Sum256(src)
		if got := hex.EncodeToString(sum[:]); got != policyTemplatesSHA256 {
			t.Errorf("shared sam-policy-templates.json has SHA-256 %s, the embedded copy was made from %s: run go generate", got, policyTemplatesSHA256)
		}
	}
	for _, name := range []string{"DynamoDBReadPolicy", "S3CrudPolicy", "SQSPollerPolicy", "VPCAccessPolicy", "KMSEncryptPolicy_v2"} {
		if pt[name] == nil {
			t.Errorf("template %s missing", name)
		}
	}
	names := pt.Names()
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("names not sorted at %s", names[i])
		}
	}
}

func TestExpandPolicyTemplate(t *testing.T) {
	pt, err := EmbeddedPolicyTemplates()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, template, args string
		want                 []string
		wantErr              string
	}{
		{"value substituted", "DynamoDBReadPolicy", `{TableName: {Ref: Orders}}`,
			[]string{`"tableName":{"Ref":"Orders"}`, `table/${tableName}/index/*`}, ""},
		{"two parameters", "DynamoDBStreamReadPolicy", `{TableName: t, StreamName: s}`,
			[]string{`"streamName":"s"`, `"tableName":"t"`}, ""},
		{"no parameters", "VPCAccessPolicy", `{}`, []string{`ec2:CreateNetworkInterface`}, ""},
		{"missing parameter", "S3ReadPolicy", `{}`, nil, "needs a value for [BucketName]"},
		{"unknown template", "NoSuchPolicy", `{}`, nil, "unknown policy template"},
		{"not a mapping", "S3ReadPolicy", `[a]`, nil, "must be a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := parse(t, tc.args)
			n, err := pt.Expand(tc.template, args, args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := dump(t, n)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("expansion %s lacks %s", got, w)
				}
			}
			// The shared definition is never modified.
			if again, _ := pt.Expand(tc.template, args, args); dump(t, again) != got {
				t.Errorf("second expansion differs")
			}
		})
	}
}
