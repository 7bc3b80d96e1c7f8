package iampolicy

import "testing"

func TestEvaluate(t *testing.T) {
	basic, _ := AWSManaged("AWSLambdaBasicExecutionRole")
	admin, _ := AWSManaged("AdministratorAccess")
	s3full, _ := AWSManaged("AmazonS3FullAccess")
	pol := func(ss ...Statement) *Policy { return &Policy{Version: Version2012, Statements: ss} }
	cond := []Condition{{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}}}
	const (
		logGroup = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:*"
		bucket   = "arn:aws:s3:::uploads"
		object   = "arn:aws:s3:::uploads/a.txt"
	)
	tests := []struct {
		name        string
		policies    []*Policy
		action      string
		resource    string
		want        Decision
		wantUnknown bool
	}{
		{"basic execution role writes logs", []*Policy{basic.Document}, "logs:PutLogEvents", logGroup, Allowed, false},
		{"basic execution role cannot read S3", []*Policy{basic.Document}, "s3:GetObject", object, NotAllowed, false},
		{"administrator can do anything", []*Policy{admin.Document}, "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/x", Allowed, false},
		{"S3 full access", []*Policy{s3full.Document}, "s3:DeleteBucket", bucket, Allowed, false},
		{"no policies", nil, "s3:GetObject", object, NotAllowed, false},
		{"nil policy and empty policy", []*Policy{nil, pol()}, "s3:GetObject", object, NotAllowed, false},
		{"explicit deny wins over administrator", []*Policy{admin.Document,
			pol(Statement{Effect: Deny, Actions: []string{"s3:Delete*"}, Resources: []string{"*"}})}, "s3:DeleteBucket", bucket, Denied, false},
		{"deny elsewhere does not matter", []*Policy{admin.Document,
			pol(Statement{Effect: Deny, Actions: []string{"s3:Delete*"}, Resources: []string{"arn:aws:s3:::other"}})}, "s3:DeleteBucket", bucket, Allowed, false},
		{"conditional deny makes the allow conditional", []*Policy{admin.Document,
			pol(Statement{Effect: Deny, Actions: []string{"s3:*"}, Resources: []string{"*"}, Conditions: cond})}, "s3:GetObject", object, ConditionallyAllowed, false},
		{"conditional deny alone", []*Policy{pol(Statement{Effect: Deny, Actions: []string{"s3:*"}, Resources: []string{"*"}, Conditions: cond})}, "s3:GetObject", object, NotAllowed, false},
		{"conditional allow", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::uploads/*"}, Conditions: cond})}, "s3:GetObject", object, ConditionallyAllowed, false},
		{"unconditional allow beside a conditional one", []*Policy{pol(
			Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"*"}, Conditions: cond},
			Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{object}})}, "s3:GetObject", object, Allowed, false},
		{"resource outside the pattern", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::uploads/*"}})}, "s3:GetObject", bucket, NotAllowed, false},
		{"NotAction allow excludes IAM", []*Policy{pol(Statement{Effect: Allow, NotActions: []string{"iam:*"}, NotActionSet: true, Resources: []string{"*"}})}, "iam:PassRole", "*", NotAllowed, false},
		{"NotAction allow grants the rest", []*Policy{pol(Statement{Effect: Allow, NotActions: []string{"iam:*"}, NotActionSet: true, Resources: []string{"*"}})}, "s3:PutObject", object, Allowed, false},
		{"NotResource allow excludes the resource", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:*"}, NotResources: []string{"arn:aws:s3:::uploads/*"}, NotResourceSet: true})}, "s3:GetObject", object, NotAllowed, false},
		{"NotResource allow grants other resources", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:*"}, NotResources: []string{"arn:aws:s3:::secret/*"}, NotResourceSet: true})}, "s3:GetObject", object, Allowed, false},
		{"NotAction deny denies the rest", []*Policy{admin.Document, pol(Statement{Effect: Deny, NotActions: []string{"s3:Get*"}, NotActionSet: true, Resources: []string{"*"}})}, "s3:PutObject", object, Denied, false},
		{"NotAction deny spares its actions", []*Policy{admin.Document, pol(Statement{Effect: Deny, NotActions: []string{"s3:Get*"}, NotActionSet: true, Resources: []string{"*"}})}, "s3:GetObject", object, Allowed, false},
		{"statement without Resource covers everything", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:GetObject"}})}, "s3:GetObject", object, Allowed, false},
		{"policy variable in the resource", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::uploads/${aws:username}/*"}})}, "s3:GetObject", "arn:aws:s3:::uploads/alice/a.txt", Allowed, false},
		// Unresolved parts.
		{"unknown action could allow", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:PutObject"}, Resources: []string{"*"}, Unknown: []string{"Action"}})}, "s3:GetObject", object, NotAllowed, true},
		{"known action allows whatever the unknown one is", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"*"}, Unknown: []string{"Action"}})}, "s3:GetObject", object, Allowed, false},
		{"unknown resource could allow", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{}, Unknown: []string{"Resource"}})}, "s3:GetObject", object, NotAllowed, true},
		{"unknown resource on a deny could deny", []*Policy{admin.Document, pol(Statement{Effect: Deny, Actions: []string{"s3:GetObject"}, Unknown: []string{"Resource"}})}, "s3:GetObject", object, Allowed, true},
		{"unknown resource on a deny of another action", []*Policy{admin.Document, pol(Statement{Effect: Deny, Actions: []string{"s3:PutObject"}, Unknown: []string{"Resource"}})}, "s3:GetObject", object, Allowed, false},
		{"unknown NotAction could exclude", []*Policy{pol(Statement{Effect: Allow, NotActions: []string{"iam:*"}, NotActionSet: true, Resources: []string{"*"}, Unknown: []string{"Action"}})}, "s3:GetObject", object, NotAllowed, true},
		{"known NotAction excludes whatever the unknown one is", []*Policy{pol(Statement{Effect: Allow, NotActions: []string{"s3:*"}, NotActionSet: true, Resources: []string{"*"}, Unknown: []string{"Action"}})}, "s3:GetObject", object, NotAllowed, false},
		{"unknown NotResource could exclude", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:*"}, NotResourceSet: true, NotResources: []string{}, Unknown: []string{"Resource"}})}, "s3:GetObject", object, NotAllowed, true},
		{"unknown effect could deny", []*Policy{admin.Document, pol(Statement{Actions: []string{"s3:*"}, Resources: []string{"*"}, Unknown: []string{"Effect"}})}, "s3:GetObject", object, Allowed, true},
		{"unknown effect could allow", []*Policy{pol(Statement{Actions: []string{"s3:*"}, Resources: []string{"*"}, Unknown: []string{"Effect"}})}, "s3:GetObject", object, NotAllowed, true},
		{"unknown statement beside an explicit deny", []*Policy{pol(
			Statement{Effect: Deny, Actions: []string{"*"}, Resources: []string{"*"}},
			Statement{Unknown: []string{"Action", "Condition", "Effect", "Principal", "Resource"}})}, "s3:GetObject", object, Denied, false},
		{"unknown conditions are conditions", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:*"}, Resources: []string{"*"}, Unknown: []string{"Condition"}})}, "s3:GetObject", object, ConditionallyAllowed, false},
		{"unknown allow beside an unconditional allow", []*Policy{admin.Document, pol(Statement{Effect: Allow, Actions: []string{"s3:*"}, Unknown: []string{"Resource"}})}, "s3:GetObject", object, Allowed, false},
		{"unknown unconditional allow could lift a conditional one", []*Policy{pol(
			Statement{Effect: Allow, Actions: []string{"s3:*"}, Resources: []string{"*"}, Conditions: cond},
			Statement{Effect: Allow, Actions: []string{"s3:*"}, Unknown: []string{"Resource"}})}, "s3:GetObject", object, ConditionallyAllowed, true},
		{"unknown principal does not matter to identity policies", []*Policy{pol(Statement{Effect: Allow, Actions: []string{"s3:*"}, Resources: []string{"*"}, Unknown: []string{"Principal"}})}, "s3:GetObject", object, Allowed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, unknown := Evaluate(tt.policies, tt.action, tt.resource)
			if d != tt.want || unknown != tt.wantUnknown {
				t.Errorf("Evaluate = %v, unknown %v; want %v, unknown %v", d, unknown, tt.want, tt.wantUnknown)
			}
		})
	}
}
