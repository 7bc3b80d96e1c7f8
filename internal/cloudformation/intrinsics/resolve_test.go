package intrinsics

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
)

func testEnv(t testing.TB, given map[string]*Value) *Env {
	t.Helper()
	data, err := os.ReadFile("testdata/env.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tp, err := template.Parse("testdata/env.yaml", data, template.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return NewEnv(tp, "", given)
}

func node(t testing.TB, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return doc.Content[0]
}

// render shows a value compactly: scalars as text, unknowns as ?(why).
func render(v *Value) string {
	switch {
	case v == nil:
		return "<novalue>"
	case v.Kind == Unknown:
		return "?(" + v.Why + ")"
	case v.Kind == List:
		var s []string
		for _, it := range v.Items {
			s = append(s, render(it))
		}
		return "[" + strings.Join(s, ",") + "]"
	case v.Kind == Map:
		var s []string
		for _, f := range v.Fields {
			s = append(s, f.Key+":"+render(f.Value))
		}
		return "{" + strings.Join(s, ",") + "}"
	}
	return v.Str
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want string
		// ref is whether the value must be flagged as a reference.
		ref    bool
		target string
	}{
		{"literal string", `hello`, "hello", false, ""},
		{"literal number", `42`, "42", false, ""},
		{"literal bool", `true`, "true", false, ""},
		{"dynamic reference is a reference", `"{{resolve:secretsmanager:prod/db:SecretString:password}}"`, "{{resolve:secretsmanager:prod/db:SecretString:password}}", true, ""},
		{"Ref parameter default short", `!Ref Stage`, "dev", false, ""},
		{"Ref parameter default long", `{"Ref": "Stage"}`, "dev", false, ""},
		{"Ref parameter without value", `!Ref NoDefault`, "?(parameter NoDefault has no value (give it with --cfn-param NoDefault=VALUE))", true, ""},
		{"Ref NoEcho without value", `!Ref Secret`, "?(parameter Secret has no value (give it with --cfn-param Secret=VALUE))", true, ""},
		{"Ref NoEcho default written in template is a literal", `!Ref SecretWithDefault`, "literal-in-template", false, ""},
		{"Ref list parameter", `!Ref Subnets`, "[subnet-a,subnet-b]", false, ""},
		{"Ref SSM parameter type", `!Ref FromSSM`, "?(parameter FromSSM is read from SSM Parameter Store at deploy time)", true, ""},
		{"Ref AccountId", `!Ref AWS::AccountId`, "<account>", true, ""},
		{"Ref Region", `!Ref AWS::Region`, "<region>", true, ""},
		{"Ref Partition", `!Ref AWS::Partition`, "aws", true, ""},
		{"Ref StackName", `!Ref AWS::StackName`, "<stack-name>", true, ""},
		{"Ref URLSuffix", `!Ref AWS::URLSuffix`, "amazonaws.com", true, ""},
		{"Ref NoValue", `!Ref AWS::NoValue`, "<novalue>", false, ""},
		{"NoValue dropped from list", `[a, !Ref AWS::NoValue, b]`, "[a,b]", false, ""},
		{"NoValue dropped from map", `{a: 1, b: !Ref AWS::NoValue}`, "{a:1}", false, ""},
		{"Ref table gives its name", `!Ref Table`, "orders", true, "Table"},
		{"Ref unnamed table gives its logical ID", `!Ref Unnamed`, "Unnamed", true, "Unnamed"},
		{"Ref unknown name", `!Ref Nope`, "?(Ref Nope: no parameter or resource of that name)", false, ""},
		{"GetAtt dotted", `!GetAtt Table.Arn`, "arn:aws:dynamodb:<region>:<account>:table/orders", true, "Table"},
		{"GetAtt list", `!GetAtt [Table, Arn]`, "arn:aws:dynamodb:<region>:<account>:table/orders", true, "Table"},
		{"GetAtt long", `{"Fn::GetAtt": ["Unnamed", "Arn"]}`, "arn:aws:dynamodb:<region>:<account>:table/Unnamed", true, "Unnamed"},
		{"GetAtt stream ARN", `!GetAtt Table.StreamArn`, "arn:aws:dynamodb:<region>:<account>:table/orders/stream/<Table.StreamLabel>", true, "Table"},
		{"GetAtt function ARN uses the resolved name", `!GetAtt Fn.Arn`, "arn:aws:lambda:<region>:<account>:function:<stack-name>-api", true, "Fn"},
		{"GetAtt role ARN with path", `!GetAtt Role.Arn`, "arn:aws:iam::<account>:role/service-role/Role", true, "Role"},
		{"GetAtt bucket ARN", `!GetAtt Bucket.Arn`, "arn:aws:s3:::Bucket", true, "Bucket"},
		{"Ref queue gives its URL", `!Ref Queue`, "https://sqs.<region>.amazonaws.com/<account>/jobs", true, "Queue"},
		{"GetAtt queue ARN", `!GetAtt Queue.Arn`, "arn:aws:sqs:<region>:<account>:jobs", true, "Queue"},
		{"Ref topic gives its ARN", `!Ref Topic`, "arn:aws:sns:<region>:<account>:Topic", true, "Topic"},
		{"Ref secret gives its ARN", `!Ref Secret1`, "arn:aws:secretsmanager:<region>:<account>:secret:prod/db", true, "Secret1"},
		{"Ref alias gives its ARN", `!Ref Alias`, "arn:aws:lambda:<region>:<account>:function:<stack-name>-api:live", true, "Alias"},
		{"GetAtt attribute not modelled", `!GetAtt Custom.Password`, "<Custom.Password>", true, "Custom"},
		{"GetAtt of missing resource", `!GetAtt Nope.Arn`, "?(Fn::GetAtt Nope.Arn: no resource Nope)", false, ""},
		{"GetAtt subnet AZ", `!GetAtt Subnet.AvailabilityZone`, "<region>b", true, ""},
		{"circular names fall back to the logical ID", `!GetAtt A.TopicName`, "A", true, "A"},
		{"Sub string", `!Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"`, "arn:aws:s3:::Bucket/*", true, ""},
		{"Sub attribute", `!Sub "${Table.Arn}/index/*"`, "arn:aws:dynamodb:<region>:<account>:table/orders/index/*", true, ""},
		{"Sub whole reference keeps target", `!Sub "${Table.Arn}"`, "arn:aws:dynamodb:<region>:<account>:table/orders", true, "Table"},
		{"Sub list form", `!Sub ["${x}-${Stage}", {x: !Ref Table}]`, "orders-dev", true, ""},
		{"Sub long form", `{"Fn::Sub": "/aws/lambda/${Fn}"}`, "/aws/lambda/<stack-name>-api", true, ""},
		{"Sub escaped literal", `!Sub "${!NotAVar}-${Stage}"`, "${NotAVar}-dev", false, ""},
		{"Sub unknown variable", `!Sub "${Nope}"`, "?(Fn::Sub variable ${Nope}: no parameter, resource or variable of that name)", false, ""},
		{"Sub with parameter without value", `!Sub "x-${NoDefault}"`, "?(parameter NoDefault has no value (give it with --cfn-param NoDefault=VALUE))", true, ""},
		{"Join", `!Join [":", [a, !Ref Stage, c]]`, "a:dev:c", false, ""},
		{"Join long", `{"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}]]}`, "arn:aws:s3:::Bucket", true, ""},
		{"Join of list parameter", `!Join [",", !Ref Subnets]`, "subnet-a,subnet-b", false, ""},
		{"Join with unknown", `!Join ["", [a, !ImportValue shared-arn]]`, "?(Fn::ImportValue shared-arn: the value is exported by another stack)", true, ""},
		{"Select", `!Select [1, [a, b, c]]`, "b", false, ""},
		{"Select out of range", `!Select [5, [a]]`, "?(Fn::Select index 5 is out of range (1 values))", false, ""},
		{"Split", `!Split [",", "a,b,c"]`, "[a,b,c]", false, ""},
		{"Select of Split", `!Select [2, !Split ["/", "a/b/c"]]`, "c", false, ""},
		{"If known true", `!If [IsDev, small, big]`, "small", false, ""},
		{"If known false", `!If [IsProd, big, small]`, "small", false, ""},
		{"If long form", `{"Fn::If": ["NotProd", "yes", "no"]}`, "yes", false, ""},
		{"If NoValue branch", `!If [IsProd, x, !Ref AWS::NoValue]`, "<novalue>", false, ""},
		{"If unknown condition", `!If [Unresolved, a, b]`, "?(Fn::If on condition Unresolved: parameter NoDefault has no value (give it with --cfn-param NoDefault=VALUE))", false, ""},
		{"If unknown condition, same branches", `!If [Unresolved, same, same]`, "same", false, ""},
		{"If missing condition", `!If [Missing, a, b]`, "?(Fn::If on condition Missing: no condition named Missing)", false, ""},
		{"If self-referencing condition", `!If [Loop, a, b]`, "?(Fn::If on condition Loop: condition Loop refers to itself)", false, ""},
		{"And Or Not", `[!If [DevAndNotProd, 1, 0], !If [ProdOrDev, 1, 0], !If [UnknownOrDev, 1, 0], !If [UnknownAndDev, 1, 0]]`, "[1,1,1,?(Fn::If on condition UnknownAndDev: parameter NoDefault has no value (give it with --cfn-param NoDefault=VALUE))]", false, ""},
		{"Equals as a value", `!Equals [a, a]`, "true", false, ""},
		{"FindInMap", `!FindInMap [StageConfig, !Ref Stage, Memory]`, "256", false, ""},
		{"FindInMap long", `{"Fn::FindInMap": ["Regions", "us-east-1", "Ami"]}`, "ami-1", false, ""},
		{"FindInMap missing", `!FindInMap [StageConfig, qa, Memory]`, "?(Fn::FindInMap: mapping StageConfig has no qa.Memory)", false, ""},
		{"FindInMap default", `!FindInMap [StageConfig, qa, Memory, {DefaultValue: 128}]`, "128", false, ""},
		{"GetAZs", `!GetAZs ""`, "[<region>a,<region>b,<region>c]", true, ""},
		{"GetAZs region", `!GetAZs eu-west-1`, "[eu-west-1a,eu-west-1b,eu-west-1c]", true, ""},
		{"ImportValue", `!ImportValue shared-vpc`, "?(Fn::ImportValue shared-vpc: the value is exported by another stack)", true, ""},
		{"Base64", `!Base64 hello`, "aGVsbG8=", false, ""},
		{"Cidr", `!Cidr ["10.0.0.0/16", 3, 8]`, "[10.0.0.0/24,10.0.1.0/24,10.0.2.0/24]", false, ""},
		{"Cidr ipv6", `!Cidr ["2001:db8::/56", 2, 64]`, "[2001:db8::/64,2001:db8:0:1::/64]", false, ""},
		{"Length", `!Length [a, b]`, "2", false, ""},
		{"ToJsonString", `!ToJsonString {a: [1, x]}`, `{"a":["1","x"]}`, false, ""},
		{"unsupported intrinsic", `!Frobnicate x`, "?(unsupported intrinsic function Fn::Frobnicate)", false, ""},
		{"unsupported long intrinsic", `{"Fn::Frobnicate": x}`, "?(unsupported intrinsic function Fn::Frobnicate)", false, ""},
		{"Transform", `{"Fn::Transform": {Name: AWS::Include}}`, "?(Fn::Transform (a macro) is not evaluated)", false, ""},
		{"bad Join", `!Join x`, "?(Fn::Join: expected [DELIMITER, [VALUES]])", false, ""},
		{"bad GetAtt", `!GetAtt Table`, "?(Fn::GetAtt Table: expected RESOURCE.ATTRIBUTE)", false, ""},
		{"YAML merge key", "base: &b {x: 1, y: 2}\nv: {<<: *b, y: 3}", "{base:{x:1,y:2},v:{y:3,x:1}}", false, ""},
		{"nested", `{a: [!Ref Stage, {b: !GetAtt Table.Arn}]}`, "{a:[dev,{b:arn:aws:dynamodb:<region>:<account>:table/orders}]}", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(t, nil)
			got := env.Resolve(node(t, tc.expr))
			if r := render(got); r != tc.want {
				t.Errorf("Resolve(%s) = %s, want %s", tc.expr, r, tc.want)
			}
			if got != nil && got.Reference != tc.ref {
				t.Errorf("Resolve(%s).Reference = %v, want %v", tc.expr, got.Reference, tc.ref)
			}
			if got != nil && got.Target != tc.target {
				t.Errorf("Resolve(%s).Target = %q, want %q", tc.expr, got.Target, tc.target)
			}
		})
	}
}

func TestGivenParameters(t *testing.T) {
	given, bad := ParseParams([]string{"Stage=prod", "Secret=s3cr3t-from-cli", "NoDefault=x", "broken"})
	if len(bad) != 1 || bad[0] != "broken" {
		t.Fatalf("bad = %v, want [broken]", bad)
	}
	env := testEnv(t, given)
	tests := []struct {
		expr string
		want string
		ref  bool
	}{
		{`!Ref Stage`, "prod", false},
		{`!If [IsProd, big, small]`, "big", false},
		{`!FindInMap [StageConfig, !Ref Stage, Retention]`, "365", false},
		// A NoEcho value given on the command line is not in the scanned code.
		{`!Ref Secret`, "s3cr3t-from-cli", true},
		{`!If [UnknownAndDev, a, b]`, "b", false},
	}
	for _, tc := range tests {
		got := env.Resolve(node(t, tc.expr))
		if r := render(got); r != tc.want || got.Reference != tc.ref {
			t.Errorf("Resolve(%s) = %s (reference %v), want %s (reference %v)", tc.expr, r, got.Reference, tc.want, tc.ref)
		}
	}
}

func TestLocations(t *testing.T) {
	env := testEnv(t, nil)
	n := node(t, "a: 1\nb:\n  - !Sub \"${Stage}\"\n")
	v := env.Resolve(n)
	got := v.Field("b").Items[0].Loc
	if got.File != "testdata/env.yaml" || got.Line != 3 || got.Column != 5 {
		t.Errorf("location = %v, want testdata/env.yaml:3:5", got)
	}
	if kl := v.KeyLoc("b"); kl.Line != 2 || kl.Column != 1 {
		t.Errorf("key location = %v, want line 2 column 1", kl)
	}
}

func TestWorkLimit(t *testing.T) {
	env := testEnv(t, nil)
	env.MaxSteps = 10
	var b strings.Builder
	b.WriteString("[")
	for i := range 50 {
		fmt.Fprintf(&b, "x%d,", i)
	}
	b.WriteString("]")
	v := env.Resolve(node(t, b.String()))
	if !env.Exceeded() || v.FullyKnown() {
		t.Errorf("Exceeded() = %v, FullyKnown = %v; want the work limit to stop evaluation", env.Exceeded(), v.FullyKnown())
	}
}
