package intrinsics

import (
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// kind says how a resource type's Ref and attributes render. Patterns use
// {name} (the physical name: its name property when known, else the
// inventory ID), {region}, {account}, {partition}, {path} and {id}.
type kind struct {
	nameProp string
	ref      string
	attrs    map[string]string
}

const (
	lambdaARN = "arn:{partition}:lambda:{region}:{account}:function:{name}"
	layerARN  = "arn:{partition}:lambda:{region}:{account}:layer:{name}:<{id}.Version>"
	tableARN  = "arn:{partition}:dynamodb:{region}:{account}:table/{name}"
	apiRef    = "{name}"
)

var kinds = map[string]kind{
	"AWS::Lambda::Function":         {nameProp: "FunctionName", ref: "{name}", attrs: map[string]string{"Arn": lambdaARN}},
	"AWS::Serverless::Function":     {nameProp: "FunctionName", ref: "{name}", attrs: map[string]string{"Arn": lambdaARN}},
	"AWS::Lambda::LayerVersion":     {nameProp: "LayerName", ref: layerARN, attrs: map[string]string{"LayerVersionArn": layerARN}},
	"AWS::Serverless::LayerVersion": {nameProp: "LayerName", ref: layerARN},
	"AWS::Lambda::CodeSigningConfig": {ref: "arn:{partition}:lambda:{region}:{account}:code-signing-config:{name}",
		attrs: map[string]string{"CodeSigningConfigArn": "arn:{partition}:lambda:{region}:{account}:code-signing-config:{name}", "CodeSigningConfigId": "{name}"}},
	"AWS::Lambda::EventSourceMapping": {ref: "{name}"},
	"AWS::Lambda::Permission":         {ref: "{name}"},
	"AWS::IAM::Role": {nameProp: "RoleName", ref: "{name}",
		attrs: map[string]string{"Arn": "arn:{partition}:iam::{account}:role{path}{name}"}},
	"AWS::IAM::ManagedPolicy": {nameProp: "ManagedPolicyName", ref: "arn:{partition}:iam::{account}:policy{path}{name}",
		attrs: map[string]string{"PolicyArn": "arn:{partition}:iam::{account}:policy{path}{name}"}},
	"AWS::IAM::Policy": {nameProp: "PolicyName", ref: "{name}"},
	"AWS::IAM::User": {nameProp: "UserName", ref: "{name}",
		attrs: map[string]string{"Arn": "arn:{partition}:iam::{account}:user{path}{name}"}},
	"AWS::DynamoDB::Table": {nameProp: "TableName", ref: "{name}",
		attrs: map[string]string{"Arn": tableARN, "StreamArn": tableARN + "/stream/<{id}.StreamLabel>"}},
	"AWS::DynamoDB::GlobalTable": {nameProp: "TableName", ref: "{name}",
		attrs: map[string]string{"Arn": tableARN, "StreamArn": tableARN + "/stream/<{id}.StreamLabel>"}},
	"AWS::Serverless::SimpleTable": {nameProp: "TableName", ref: "{name}", attrs: map[string]string{"Arn": tableARN}},
	"AWS::S3::Bucket": {nameProp: "BucketName", ref: "{name}", attrs: map[string]string{
		"Arn": "arn:{partition}:s3:::{name}", "DomainName": "{name}.s3.amazonaws.com",
		"RegionalDomainName": "{name}.s3.{region}.amazonaws.com", "WebsiteURL": "http://{name}.s3-website-{region}.amazonaws.com"}},
	"AWS::SQS::Queue": {nameProp: "QueueName", ref: "https://sqs.{region}.amazonaws.com/{account}/{name}", attrs: map[string]string{
		"Arn": "arn:{partition}:sqs:{region}:{account}:{name}", "QueueName": "{name}", "QueueUrl": "https://sqs.{region}.amazonaws.com/{account}/{name}"}},
	"AWS::SNS::Topic": {nameProp: "TopicName", ref: "arn:{partition}:sns:{region}:{account}:{name}", attrs: map[string]string{
		"TopicArn": "arn:{partition}:sns:{region}:{account}:{name}", "TopicName": "{name}"}},
	"AWS::Kinesis::Stream": {nameProp: "Name", ref: "{name}", attrs: map[string]string{"Arn": "arn:{partition}:kinesis:{region}:{account}:stream/{name}"}},
	"AWS::KinesisFirehose::DeliveryStream": {nameProp: "DeliveryStreamName", ref: "{name}",
		attrs: map[string]string{"Arn": "arn:{partition}:firehose:{region}:{account}:deliverystream/{name}"}},
	"AWS::SecretsManager::Secret": {nameProp: "Name", ref: "arn:{partition}:secretsmanager:{region}:{account}:secret:{name}",
		attrs: map[string]string{"Id": "arn:{partition}:secretsmanager:{region}:{account}:secret:{name}"}},
	"AWS::SSM::Parameter": {nameProp: "Name", ref: "{name}"},
	"AWS::KMS::Key": {ref: "{name}", attrs: map[string]string{
		"Arn": "arn:{partition}:kms:{region}:{account}:key/{name}", "KeyId": "{name}"}},
	"AWS::KMS::Alias": {nameProp: "AliasName", ref: "{name}"},
	"AWS::Logs::LogGroup": {nameProp: "LogGroupName", ref: "{name}",
		attrs: map[string]string{"Arn": "arn:{partition}:logs:{region}:{account}:log-group:{name}:*"}},
	"AWS::Events::Rule":     {nameProp: "Name", ref: "{name}", attrs: map[string]string{"Arn": "arn:{partition}:events:{region}:{account}:rule/{name}"}},
	"AWS::Events::EventBus": {nameProp: "Name", ref: "{name}", attrs: map[string]string{"Arn": "arn:{partition}:events:{region}:{account}:event-bus/{name}", "Name": "{name}"}},
	"AWS::Scheduler::Schedule": {nameProp: "Name", ref: "{name}",
		attrs: map[string]string{"Arn": "arn:{partition}:scheduler:{region}:{account}:schedule/default/{name}"}},
	"AWS::StepFunctions::StateMachine": {nameProp: "StateMachineName", ref: "arn:{partition}:states:{region}:{account}:stateMachine:{name}",
		attrs: map[string]string{"Arn": "arn:{partition}:states:{region}:{account}:stateMachine:{name}", "Name": "{name}"}},
	"AWS::Serverless::StateMachine": {nameProp: "Name", ref: "arn:{partition}:states:{region}:{account}:stateMachine:{name}",
		attrs: map[string]string{"Arn": "arn:{partition}:states:{region}:{account}:stateMachine:{name}", "Name": "{name}"}},
	"AWS::ApiGateway::RestApi": {ref: apiRef},
	"AWS::Serverless::Api":     {ref: apiRef},
	"AWS::ApiGatewayV2::Api": {ref: apiRef, attrs: map[string]string{
		"ApiEndpoint": "https://{name}.execute-api.{region}.amazonaws.com", "ApiId": "{name}"}},
	"AWS::Serverless::HttpApi": {ref: apiRef, attrs: map[string]string{"ApiEndpoint": "https://{name}.execute-api.{region}.amazonaws.com"}},
	"AWS::ECR::Repository": {nameProp: "RepositoryName", ref: "{name}", attrs: map[string]string{
		"Arn": "arn:{partition}:ecr:{region}:{account}:repository/{name}", "RepositoryUri": "{account}.dkr.ecr.{region}.amazonaws.com/{name}"}},
	"AWS::Cognito::UserPool":       {ref: "{name}", attrs: map[string]string{"Arn": "arn:{partition}:cognito-idp:{region}:{account}:userpool/{name}"}},
	"AWS::EFS::FileSystem":         {ref: "{name}", attrs: map[string]string{"Arn": "arn:{partition}:elasticfilesystem:{region}:{account}:file-system/{name}", "FileSystemId": "{name}"}},
	"AWS::EFS::AccessPoint":        {ref: "{name}", attrs: map[string]string{"Arn": "arn:{partition}:elasticfilesystem:{region}:{account}:access-point/{name}", "AccessPointId": "{name}"}},
	"AWS::CloudWatch::Alarm":       {nameProp: "AlarmName", ref: "{name}", attrs: map[string]string{"Arn": "arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"}},
	"AWS::EC2::SecurityGroup":      {ref: "{name}", attrs: map[string]string{"GroupId": "{name}"}},
	"AWS::EC2::Subnet":             {ref: "{name}", attrs: map[string]string{"SubnetId": "{name}"}},
	"AWS::EC2::VPC":                {ref: "{name}", attrs: map[string]string{"VpcId": "{name}"}},
	"AWS::CloudFormation::Stack":   {ref: "arn:{partition}:cloudformation:{region}:{account}:stack/{name}/<{id}.StackId>"},
	"AWS::Serverless::Application": {ref: "arn:{partition}:cloudformation:{region}:{account}:stack/{name}/<{id}.StackId>"},
}

// ResourceName returns the physical name of a resource of the template: its
// name property when it resolves to a string, else its inventory ID (the
// symbolic stand-in for the name CloudFormation generates).
func (e *Env) ResourceName(logicalID string) string {
	r := e.Resources[logicalID]
	if r == nil {
		return e.Prefix + logicalID
	}
	return e.physicalName(r, 0)
}

func (e *Env) physicalName(r *Resource, depth int) string {
	if n, ok := e.names[r.LogicalID]; ok {
		return n
	}
	name := r.ID
	k, ok := kinds[r.Type]
	if ok && k.nameProp != "" && !e.naming[r.LogicalID] && depth < 64 {
		if e.naming == nil {
			e.naming = map[string]bool{}
		}
		e.naming[r.LogicalID] = true
		if s, ok := e.resolve(template.Get(r.Properties, k.nameProp), depth+1).Scalar(); ok && s != "" {
			name = s
		}
		delete(e.naming, r.LogicalID)
	}
	if e.names == nil {
		e.names = map[string]string{}
	}
	e.names[r.LogicalID] = name
	return name
}

func (e *Env) render(pattern string, r *Resource, depth int) string {
	if !strings.Contains(pattern, "{") {
		return pattern
	}
	path := "/"
	if strings.Contains(pattern, "{path}") {
		if s, ok := e.resolve(template.Get(r.Properties, "Path"), depth+1).Scalar(); ok && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") {
			path = s
		}
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(pattern, '{')
		j := strings.IndexByte(pattern[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		b.WriteString(pattern[:i])
		switch key := pattern[i+1 : i+j]; key {
		case "name":
			b.WriteString(e.physicalName(r, depth))
		case "region":
			b.WriteString(inventory.CurrentRegion)
		case "account":
			b.WriteString(inventory.CurrentAccount)
		case "partition":
			b.WriteString(inventory.CurrentPartition)
		case "path":
			b.WriteString(path)
		case "id":
			b.WriteString(r.ID)
		default:
			b.WriteString(pattern[i : i+j+1])
		}
		pattern = pattern[i+j+1:]
	}
}

func refValue(s string, r *Resource, attr string, loc srcloc.Location) *Value {
	return &Value{Kind: String, Str: s, Loc: loc, Reference: true, Target: r.ID, Attr: attr, Targets: []string{r.ID}}
}

// resourceRef is the value of !Ref of a resource.
func (e *Env) resourceRef(r *Resource, loc srcloc.Location, depth int) *Value {
	switch r.Type {
	case "AWS::Lambda::Alias":
		return refValue(e.aliasARN(r, depth), r, "", loc)
	case "AWS::Lambda::Version":
		return refValue(e.functionARNOf(r, "FunctionName", depth)+":<"+r.ID+".Version>", r, "", loc)
	}
	if k, ok := kinds[r.Type]; ok {
		return refValue(e.render(k.ref, r, depth), r, "", loc)
	}
	return refValue(e.physicalName(r, depth), r, "", loc)
}

// resourceAttr is the value of !GetAtt of a resource's attribute.
func (e *Env) resourceAttr(r *Resource, attr string, loc srcloc.Location, depth int) *Value {
	switch {
	case strings.HasPrefix(attr, "Outputs.") && (r.Type == "AWS::CloudFormation::Stack" || r.Type == "AWS::Serverless::Application"):
		if e.StackOutput != nil {
			if v := e.StackOutput(r.LogicalID, strings.TrimPrefix(attr, "Outputs.")); v != nil {
				return relocate(v, loc)
			}
		}
		return &Value{Kind: Unknown, Why: "output " + attr + " of nested stack " + r.ID + " is not known", Loc: loc, Reference: true}
	case r.Type == "AWS::Lambda::Alias" && attr == "AliasArn":
		return refValue(e.aliasARN(r, depth), r, attr, loc)
	case r.Type == "AWS::Lambda::Version" && attr == "FunctionArn":
		return refValue(e.functionARNOf(r, "FunctionName", depth)+":<"+r.ID+".Version>", r, attr, loc)
	case r.Type == "AWS::Lambda::Url" && attr == "FunctionArn":
		return refValue(e.functionARNOf(r, "TargetFunctionArn", depth), r, attr, loc)
	case r.Type == "AWS::Lambda::Url" && attr == "FunctionUrl":
		return refValue("https://<"+r.ID+".UrlId>.lambda-url."+inventory.CurrentRegion+".on.aws/", r, attr, loc)
	case r.Type == "AWS::EC2::Subnet" && attr == "AvailabilityZone":
		if v := e.resolve(template.Get(r.Properties, "AvailabilityZone"), depth+1); v != nil {
			return relocate(v, loc)
		}
	}
	if k, ok := kinds[r.Type]; ok {
		if p, ok := k.attrs[attr]; ok {
			return refValue(e.render(p, r, depth), r, attr, loc)
		}
	}
	return refValue("<"+r.ID+"."+attr+">", r, attr, loc)
}

// functionARNOf renders the function ARN named by property prop of r (a
// function name, ARN or reference).
func (e *Env) functionARNOf(r *Resource, prop string, depth int) string {
	v := e.resolve(template.Get(r.Properties, prop), depth+1)
	s, ok := v.Scalar()
	if !ok || s == "" {
		s = "<" + r.ID + "." + prop + ">"
	}
	if strings.HasPrefix(s, "arn:") {
		return s
	}
	return strings.NewReplacer("{partition}", inventory.CurrentPartition, "{region}", inventory.CurrentRegion,
		"{account}", inventory.CurrentAccount, "{name}", s).Replace(lambdaARN)
}

func (e *Env) aliasARN(r *Resource, depth int) string {
	name, ok := e.resolve(template.Get(r.Properties, "Name"), depth+1).Scalar()
	if !ok || name == "" {
		name = "<" + r.ID + ".Name>"
	}
	return e.functionARNOf(r, "FunctionName", depth) + ":" + name
}

// RefValue returns what !Ref NAME gives in this template.
func (e *Env) RefValue(name string) *Value { return e.refName(name, srcloc.Location{}, 0) }
