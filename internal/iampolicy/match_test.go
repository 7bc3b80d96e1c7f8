package iampolicy

import (
	"reflect"
	"testing"
)

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"s3:GetObject", "s3:GetObject", true},
		{"S3:getobject", "s3:GetObject", true},
		{"s3:GetObject", "s3:GetObjectAcl", false},
		{"s3:GetObjectAcl", "s3:GetObject", false},
		{"*", "s3:GetObject", true},
		{"s3:*", "s3:GetObject", true},
		{"s3:*", "s3express:CreateSession", false},
		{"s3*", "s3express:CreateSession", true},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:Get*", "s3:get", true},
		{"s3:Get?bject", "s3:GetObject", true},
		{"s3:Get?bject", "s3:GetObbject", false},
		{"s3:Get?", "s3:Get", false},
		{"*Object", "s3:GetObject", true},
		{"s3?GetObject", "s3:GetObject", true},
		{"iam:*Policy*", "iam:AttachRolePolicy", true},
		{"iam:*Policy*", "iam:PutRolePolicyVersion", true},
		{"iam:*Role*Policy", "iam:AttachRolePolicy", true},
		{"iam:*Role*Policy", "iam:AttachRolePolicyX", false},
		{"a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"", "", true},
		{"", "s3:GetObject", false},
		{"s3:GetObject", "", false},
		{"**", "", true},
		{"x:?", "x:é", true},
		{"x:??", "x:é", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" ~ "+tt.action, func(t *testing.T) {
			if got := MatchAction(tt.pattern, tt.action); got != tt.want {
				t.Errorf("MatchAction(%q, %q) = %v, want %v", tt.pattern, tt.action, got, tt.want)
			}
		})
	}
}

func TestMatchResource(t *testing.T) {
	tests := []struct {
		name, pattern, arn string
		want               bool
	}{
		{"star matches everything", "*", "arn:aws:s3:::bucket/a/b", true},
		{"exact", "arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
		{"star crosses slashes", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true},
		{"star needs the slash", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"case-sensitive", "arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", false},
		{"star crosses colons", "arn:aws:logs:*:*:log-group:/aws/lambda/fn:*",
			"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:log-stream:2024/01/01/x", true},
		{"log group of another function", "arn:aws:logs:*:*:log-group:/aws/lambda/fn:*",
			"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn2:log-stream:x", false},
		{"question mark is one character", "arn:aws:sqs:us-east-?:123456789012:q", "arn:aws:sqs:us-east-1:123456789012:q", true},
		{"question mark is not zero characters", "arn:aws:sqs:us-east-?:123456789012:q", "arn:aws:sqs:us-east-:123456789012:q", false},
		{"question mark matches a slash", "arn:aws:s3:::b?c", "arn:aws:s3:::b/c", true},
		{"symbolic account and region", "arn:aws:dynamodb:<region>:<account>:table/orders",
			"arn:aws:dynamodb:<region>:<account>:table/orders", true},
		{"variable matches one segment", "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/notes.txt", true},
		{"variable does not cross a slash", "arn:aws:s3:::home/${aws:username}", "arn:aws:s3:::home/alice/notes.txt", false},
		{"variable does not match nothing", "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home//notes.txt", false},
		{"variable does not cross a colon", "arn:aws:iam::${aws:PrincipalAccount}:role/x", "arn:aws:iam::1:2:role/x", false},
		{"variable in the account field", "arn:aws:iam::${aws:PrincipalAccount}:role/x", "arn:aws:iam::123456789012:role/x", true},
		{"variable with a default", "arn:aws:s3:::b/${aws:username, 'guest'}/*", "arn:aws:s3:::b/guest/x", true},
		{"variable next to a star", "arn:aws:s3:::${aws:username}-*", "arn:aws:s3:::alice-docs/x", true},
		{"two variables", "arn:aws:s3:::${a}/${b}", "arn:aws:s3:::x/y", true},
		{"escaped star is literal", "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", true},
		{"escaped star is not a wildcard", "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", false},
		{"escaped question mark", "arn:aws:s3:::b/${?}", "arn:aws:s3:::b/?", true},
		{"escaped dollar", "arn:aws:s3:::b/${$}x", "arn:aws:s3:::b/$x", true},
		{"unclosed variable is literal", "arn:aws:s3:::b/${aws:username", "arn:aws:s3:::b/${aws:username", true},
		{"unclosed variable with a star", "arn:aws:s3:::b/${x*", "arn:aws:s3:::b/${xyz", true},
		{"variable pattern, literal mismatch", "arn:aws:s3:::a/${x}", "arn:aws:s3:::b/y", false},
		{"variable and question mark on multi-byte", "arn:aws:s3:::${x}/?", "arn:aws:s3:::é/ü", true},
		{"empty pattern", "", "arn:aws:s3:::b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchResource(tt.pattern, tt.arn); got != tt.want {
				t.Errorf("MatchResource(%q, %q) = %v, want %v", tt.pattern, tt.arn, got, tt.want)
			}
		})
	}
}

func TestAllowsActionAndCoversResource(t *testing.T) {
	list := Statement{Effect: Allow, Actions: []string{"s3:Get*", "sqs:SendMessage"}, Resources: []string{"arn:aws:s3:::b/*"}}
	not := Statement{Effect: Allow, NotActions: []string{"iam:*"}, NotActionSet: true, NotResources: []string{"arn:aws:s3:::secret/*"}, NotResourceSet: true}
	noResource := Statement{Effect: Allow, Actions: []string{"lambda:InvokeFunction"}}
	unknownResource := Statement{Effect: Allow, Actions: []string{"s3:*"}, Unknown: []string{"Resource"}}
	tests := []struct {
		name      string
		s         Statement
		action    string
		resource  string
		wantAct   bool
		wantCover bool
	}{
		{"list covers", list, "S3:GetObject", "arn:aws:s3:::b/k", true, true},
		{"list does not cover", list, "s3:PutObject", "arn:aws:s3:::c/k", false, false},
		{"NotAction excludes", not, "iam:PassRole", "arn:aws:s3:::secret/k", false, false},
		{"NotAction lets others through", not, "s3:PutObject", "arn:aws:s3:::public/k", true, true},
		{"no Resource covers everything", noResource, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f", true, true},
		{"unresolved Resource covers nothing known", unknownResource, "s3:GetObject", "arn:aws:s3:::b", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.AllowsAction(tt.action); got != tt.wantAct {
				t.Errorf("AllowsAction(%q) = %v, want %v", tt.action, got, tt.wantAct)
			}
			if got := tt.s.CoversResource(tt.resource); got != tt.wantCover {
				t.Errorf("CoversResource(%q) = %v, want %v", tt.resource, got, tt.wantCover)
			}
		})
	}
}

func TestGrantedActions(t *testing.T) {
	c := DefaultCatalog()
	all := len(c.Expand("*"))
	iam := len(c.Expand("iam:*"))
	basic, _ := AWSManaged("AWSLambdaBasicExecutionRole")
	admin, _ := AWSManaged("AdministratorAccess")
	tests := []struct {
		name             string
		s                Statement
		wantCount        int
		wantFirst        string
		wantUnrecognized []string
	}{
		{"AWSLambdaBasicExecutionRole is three logs actions", basic.Document.Statements[0], 3, "logs:CreateLogGroup", nil},
		{"AdministratorAccess is everything", admin.Document.Statements[0], all, "", nil},
		{"overlapping patterns counted once", Statement{Actions: []string{"s3:GetObject", "s3:Get*", "S3:GETOBJECT"}}, len(c.Expand("s3:Get*")), "", nil},
		{"unrecognized patterns reported", Statement{Actions: []string{"s3:GetObject", "s3:GetObjectz", "nosuch:*"}}, 1, "s3:GetObject", []string{"s3:GetObjectz", "nosuch:*"}},
		{"NotAction is the complement", Statement{NotActions: []string{"iam:*"}, NotActionSet: true}, all - iam, "", nil},
		{"NotAction with an unknown pattern", Statement{NotActions: []string{"iam:*", "nosuch:Thing"}, NotActionSet: true}, all - iam, "", []string{"nosuch:Thing"}},
		{"empty NotAction is everything", Statement{NotActionSet: true}, all, "", nil},
		{"no actions", Statement{}, 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			granted, unrecognized := tt.s.GrantedActions(c)
			if len(granted) != tt.wantCount {
				t.Errorf("granted %d actions, want %d", len(granted), tt.wantCount)
			}
			if tt.wantFirst != "" && (len(granted) == 0 || granted[0].String() != tt.wantFirst) {
				t.Errorf("first granted = %v, want %s", granted, tt.wantFirst)
			}
			if !reflect.DeepEqual(unrecognized, tt.wantUnrecognized) {
				t.Errorf("unrecognized = %v, want %v", unrecognized, tt.wantUnrecognized)
			}
			for _, a := range granted {
				if tt.s.NotActionSet && matchAny(tt.s.NotActions, a.String(), MatchAction) {
					t.Fatalf("%s is excluded by NotAction", a)
				}
			}
		})
	}
}

func TestPrincipal(t *testing.T) {
	tests := []struct {
		name         string
		p            *Principal
		wantPublic   bool
		wantAccounts []string
	}{
		{"nil", nil, false, nil},
		{"wildcard", &Principal{Wildcard: true}, true, nil},
		{"AWS star", &Principal{AWS: []string{"*"}}, true, nil},
		{"AWS star among accounts", &Principal{AWS: []string{"*", "111122223333"}}, true, []string{"111122223333"}},
		{"service only", &Principal{Service: []string{"lambda.amazonaws.com"}}, false, nil},
		{"every account form, sorted and unique", &Principal{AWS: []string{
			"444455556666",
			"arn:aws:iam::111122223333:root",
			"arn:aws:iam::111122223333:role/path/deployer",
			"arn:aws-us-gov:iam::222233334444:user/alice",
			"arn:aws-cn:sts::333344445555:assumed-role/r/session",
			"<account>",
			"12345678901",
			"1234567890123",
			"arn:aws:iam::aws:policy/X",
			"arn:aws:iam::12345678901a:root",
			"arn::iam::555566667777:root",
		}}, false, []string{"111122223333", "222233334444", "333344445555", "444455556666"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.IsPublic(); got != tt.wantPublic {
				t.Errorf("IsPublic = %v, want %v", got, tt.wantPublic)
			}
			if got := tt.p.Accounts(); !reflect.DeepEqual(got, tt.wantAccounts) {
				t.Errorf("Accounts = %v, want %v", got, tt.wantAccounts)
			}
		})
	}
}

func TestConditionValues(t *testing.T) {
	p, err := Parse(readFixture(t, "policies/conditions.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := &p.Statements[0]
	s.Conditions = append(s.Conditions, Condition{Operator: "StringLike", Key: "aws:sourceaccount", Values: []string{"1111*"}})
	tests := []struct {
		key     string
		wantVal []string
		wantOps []string
	}{
		{"aws:SourceArn", []string{"arn:aws:s3:::photos"}, []string{"ArnLike"}},
		{"AWS:SOURCEACCOUNT", []string{"123456789012", "1111*"}, []string{"StringEquals", "StringLike"}},
		{"aws:PrincipalOrgID", []string{"o-abc123", "o-def456"}, []string{"StringEquals"}},
		{"aws:SecureTransport", []string{"true"}, []string{"Bool"}},
		{"aws:SourceVpc", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			vals, ops := s.ConditionValues(tt.key)
			if !reflect.DeepEqual(vals, tt.wantVal) || !reflect.DeepEqual(ops, tt.wantOps) {
				t.Errorf("ConditionValues(%q) = %v, %v; want %v, %v", tt.key, vals, ops, tt.wantVal, tt.wantOps)
			}
		})
	}
}

func BenchmarkMatchResourceVariable(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		MatchResource("arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/documents/2024/report.pdf")
	}
}
