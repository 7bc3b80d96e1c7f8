// Package inventory is the source-neutral model of Lambda workloads that
// every source (Terraform, CloudFormation/SAM, Serverless, plan JSON,
// packages, live AWS) fills and every check reads. Values that a source
// could not resolve are explicitly unknown (see Value), never defaulted.
package inventory

import (
	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// SourceKind names the kind of input an item was read from.
type SourceKind string

const (
	Terraform      SourceKind = "terraform"
	TerraformPlan  SourceKind = "terraform-plan"
	CloudFormation SourceKind = "cloudformation"
	SAM            SourceKind = "sam"
	Serverless     SourceKind = "serverless"
	PackageSource  SourceKind = "package"
	LiveAWS        SourceKind = "aws"
)

// Family is a column of the check catalog: the group of sources a check can
// be evaluated on.
type Family string

const (
	FamilyTF   Family = "TF"
	FamilyCFN  Family = "CFN"
	FamilySLS  Family = "SLS"
	FamilyPKG  Family = "PKG"
	FamilyLIVE Family = "LIVE"
)

// Family returns the catalog column a source kind belongs to.
func (k SourceKind) Family() Family {
	switch k {
	case Terraform, TerraformPlan:
		return FamilyTF
	case CloudFormation, SAM:
		return FamilyCFN
	case Serverless:
		return FamilySLS
	case PackageSource:
		return FamilyPKG
	case LiveAWS:
		return FamilyLIVE
	}
	return ""
}

// Placeholders used when a source names the current account, region or
// partition without knowing it (aws_caller_identity, AWS::AccountId,
// ${aws:accountId}). The catalog rules say these equal the function's own.
const (
	CurrentAccount   = "<account>"
	CurrentRegion    = "<region>"
	CurrentPartition = "aws"
)

// Source is one input that was scanned.
type Source struct {
	Kind SourceKind `json:"kind"`
	Path string     `json:"path"`
}

// Error is an input that could not be read or evaluated. Source is a file
// (relative like locations) or, live, the account/region and API call.
type Error struct {
	Source  string `json:"source"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Inventory is everything the sources found.
type Inventory struct {
	Sources            []Source             `json:"sources"`
	Functions          []*Function          `json:"functions,omitempty"`
	Roles              []*Role              `json:"roles,omitempty"`
	ManagedPolicies    []*ManagedPolicy     `json:"managed_policies,omitempty"`
	Permissions        []*Permission        `json:"permissions,omitempty"`
	FunctionURLs       []*FunctionURL       `json:"function_urls,omitempty"`
	Aliases            []*Alias             `json:"aliases,omitempty"`
	EventInvokeConfigs []*EventInvokeConfig `json:"event_invoke_configs,omitempty"`
	CodeSigningConfigs []*CodeSigningConfig `json:"code_signing_configs,omitempty"`
	LogGroups          []*LogGroup          `json:"log_groups,omitempty"`
	Alarms             []*Alarm             `json:"alarms,omitempty"`
	Layers             []*LayerVersion      `json:"layers,omitempty"`
	LayerPermissions   []*LayerPermission   `json:"layer_permissions,omitempty"`
	Subnets            []*Subnet            `json:"subnets,omitempty"`
	SecurityGroups     []*SecurityGroup     `json:"security_groups,omitempty"`
	APIRoutes          []*APIRoute          `json:"api_routes,omitempty"`
	Packages           []*Package           `json:"packages,omitempty"`
	Accounts           []*Account           `json:"accounts,omitempty"`
	Waivers            []InlineWaiver       `json:"waivers,omitempty"`
	Errors             []Error              `json:"errors,omitempty"`
}

// Item is what every inventory item carries: its identity and where it was
// read from.
type Item struct {
	// ID is the resource's address: a Terraform address as Terraform writes it,
	// a CloudFormation logical ID (prefixed by nested stacks), a Serverless
	// function key, or live the ARN.
	ID     string     `json:"id"`
	Source SourceKind `json:"source"`
	// Origin is the root the item was loaded from (a Terraform root module
	// directory, a template file, a live account/region). IDs are unique
	// within an origin, and references by ID resolve within it.
	Origin  string          `json:"origin,omitempty"`
	Loc     srcloc.Location `json:"loc,omitzero"`
	Account string          `json:"account,omitempty"`
	Region  string          `json:"region,omitempty"`
}

// Ref points at another resource: by its inventory ID when the source
// referenced it directly (Terraform aws_iam_role.x.arn, !GetAtt X.Arn), or
// by the name or ARN written.
type Ref struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.ID == "" && r.Name == "" }

// String is the ID, else the name.
func (r Ref) String() string {
	if r.ID != "" {
		return r.ID
	}
	return r.Name
}

// Function is a Lambda function.
type Function struct {
	Item
	Name    Value[string] `json:"name"`
	ARN     string        `json:"arn,omitempty"`
	Runtime Value[string] `json:"runtime"`
	Handler Value[string] `json:"handler"`
	// PackageType is "Zip" or "Image".
	PackageType Value[string] `json:"package_type"`
	Role        Value[Ref]    `json:"role"`

	// Environment is absent when no environment block is set, unknown when
	// the whole map cannot be resolved.
	Environment Value[[]EnvVar] `json:"environment"`
	KMSKeyARN   Value[string]   `json:"kms_key_arn"`

	// TracingMode is "Active" or "PassThrough".
	TracingMode Value[string] `json:"tracing_mode"`
	// LogFormat is "JSON" or "Text"; LogGroup the LoggingConfig log group
	// (absent means the default /aws/lambda/NAME).
	LogFormat Value[string] `json:"log_format"`
	LogGroup  Value[string] `json:"log_group"`

	ReservedConcurrency Value[int] `json:"reserved_concurrency"`
	TimeoutSeconds      Value[int] `json:"timeout_seconds"`
	MemoryMB            Value[int] `json:"memory_mb"`

	// VPC is absent when the function is not attached to a VPC.
	VPC Value[VPCConfig] `json:"vpc"`
	// Layers are layer version ARNs (or references) in order.
	Layers            Value[[]Value[Ref]] `json:"layers"`
	CodeSigningConfig Value[Ref]          `json:"code_signing_config"`
	// DeadLetterTarget is the SQS queue or SNS topic ARN of the DLQ.
	DeadLetterTarget Value[string] `json:"dead_letter_target"`
	// OnFailureDestination set inline (SAM EventInvokeConfig, Serverless
	// destinations); Terraform's separate resource is an EventInvokeConfig.
	OnFailureDestination Value[string] `json:"on_failure_destination"`

	// Tags include provider default tags and stack tags.
	Tags Value[map[string]string] `json:"tags"`

	// Package is where the code is.
	Package Value[PackageRef] `json:"package"`
	// PublishVersions is true when each deployment publishes a version.
	PublishVersions Value[bool] `json:"publish_versions"`

	// LastDeployment is who last created or updated the code (live, CloudTrail).
	LastDeployment Value[Deployment] `json:"last_deployment"`
}

// DisplayName is the function's name when known, else its ID.
func (f *Function) DisplayName() string {
	if n, ok := f.Name.Get(); ok && n != "" {
		return n
	}
	return f.ID
}

// EnvVar is one environment variable.
type EnvVar struct {
	Name  string        `json:"name"`
	Value Value[string] `json:"value"`
	// Reference is true when the value comes from elsewhere rather than being
	// written in the scanned code: another resource's attribute, an input
	// variable without a literal value, a dynamic reference
	// ({{resolve:...}}, ${ssm:...}). A reference is not itself a plaintext
	// secret, but literal text around it (a password in a connection URL
	// whose host is a reference) still is: LW-SEC-01 matches the credential
	// formats on every known value.
	Reference bool `json:"reference,omitempty"`
	// Redacted is true when a collector replaced a secret-looking value with
	// a redacted form (snapshots); Value then holds the redaction and
	// SecretKind what it looked like.
	Redacted   bool   `json:"redacted,omitempty"`
	SecretKind string `json:"secret_kind,omitempty"`
	// Masked is true when a collector replaced a literal under a secret-like
	// name that matches no credential format with its mask: the prefix
	// secrets.Redact shows, then "#*" fill to the value's length. The checks judge
	// the mask as they would the value, and it never reveals more.
	Masked bool `json:"masked,omitempty"`
}

// VPCConfig is a function's VPC attachment.
type VPCConfig struct {
	Subnets        Value[[]Value[Ref]] `json:"subnets"`
	SecurityGroups Value[[]Value[Ref]] `json:"security_groups"`
}

// PackageRef says where a function's or layer's code is.
type PackageRef struct {
	// Path is a local zip file or folder, relative like locations.
	Path     string `json:"path,omitempty"`
	S3Bucket string `json:"s3_bucket,omitempty"`
	S3Key    string `json:"s3_key,omitempty"`
	ImageURI string `json:"image_uri,omitempty"`
}

// Deployment is the last code deployment of a function.
type Deployment struct {
	EventName string `json:"event_name"`
	// PrincipalType is CloudTrail's userIdentity.type (IAMUser, AssumedRole, Root, ...).
	PrincipalType string `json:"principal_type"`
	PrincipalARN  string `json:"principal_arn"`
	// RoleARN is the role behind an assumed-role session.
	RoleARN string `json:"role_arn,omitempty"`
	Console bool   `json:"console,omitempty"`
	Time    string `json:"time"`
}

// Role is an IAM role.
type Role struct {
	Item
	Name        Value[string]            `json:"name"`
	ARN         string                   `json:"arn,omitempty"`
	TrustPolicy Value[*iampolicy.Policy] `json:"trust_policy"`
	Inline      []InlinePolicy           `json:"inline_policies,omitempty"`
	Attached    []PolicyAttachment       `json:"attached_policies,omitempty"`
	Boundary    Value[string]            `json:"permissions_boundary"`
	// PoliciesComplete is false when the source cannot say whether the role
	// has policies it does not show (for example attachments made outside the
	// scanned code are unknowable in IaC; live, a denied call). Checks that
	// need every grant, such as LW-LOG-08, are UNKNOWN rather than FAIL then.
	PoliciesComplete Value[bool] `json:"policies_complete"`
	// LastAccessed is IAM's service last-accessed data (live only).
	LastAccessed Value[[]ServiceAccess] `json:"last_accessed"`
}

// InlinePolicy is an inline policy document on a role.
type InlinePolicy struct {
	Name     string                   `json:"name"`
	Document Value[*iampolicy.Policy] `json:"document"`
	Loc      srcloc.Location          `json:"loc,omitzero"`
}

// PolicyAttachment attaches a managed policy: Policy.Name is its ARN, and
// Policy.ID the inventory ID of a customer-managed policy in the scanned code.
type PolicyAttachment struct {
	Policy Value[Ref]      `json:"policy"`
	Loc    srcloc.Location `json:"loc,omitzero"`
}

// ServiceAccess is one row of IAM last-accessed data.
type ServiceAccess struct {
	Namespace    string `json:"namespace"`
	LastAccessed string `json:"last_accessed,omitempty"` // RFC 3339, empty if never
}

// ManagedPolicy is a customer-managed policy defined in the scanned code
// (or, live, in the account).
type ManagedPolicy struct {
	Item
	Name     Value[string]            `json:"name"`
	ARN      string                   `json:"arn,omitempty"`
	Document Value[*iampolicy.Policy] `json:"document"`
}

// Permission is one statement of a function's resource-based policy
// (Terraform aws_lambda_permission, AWS::Lambda::Permission, live GetPolicy),
// normalized to an IAM statement with its conditions.
type Permission struct {
	Item
	Function  Value[Ref]          `json:"function"`
	Qualifier Value[string]       `json:"qualifier"`
	Statement iampolicy.Statement `json:"statement"`
}

// FunctionURL is a function URL config.
type FunctionURL struct {
	Item
	Function  Value[Ref]    `json:"function"`
	Qualifier Value[string] `json:"qualifier"`
	// AuthType is "NONE" or "AWS_IAM".
	AuthType Value[string] `json:"auth_type"`
	// CORSAllowOrigins is absent when no CORS is configured.
	CORSAllowOrigins Value[[]string] `json:"cors_allow_origins"`
}

// Alias is a function alias.
type Alias struct {
	Item
	Function Value[Ref]    `json:"function"`
	Name     Value[string] `json:"name"`
	// FunctionVersion is a version number, "$LATEST", or a reference to the
	// version a deployment publishes (rendered like "<aws_lambda_function.x.version>").
	FunctionVersion Value[string] `json:"function_version"`
}

// EventInvokeConfig is an asynchronous invocation config.
type EventInvokeConfig struct {
	Item
	Function  Value[Ref]    `json:"function"`
	OnFailure Value[string] `json:"on_failure"`
	OnSuccess Value[string] `json:"on_success"`
}

// CodeSigningConfig is a code signing config.
type CodeSigningConfig struct {
	Item
	ARN string `json:"arn,omitempty"`
	// UntrustedArtifactOnDeployment is "Enforce" or "Warn" (AWS default Warn).
	UntrustedArtifactOnDeployment Value[string] `json:"untrusted_artifact_on_deployment"`
}

// LogGroup is a CloudWatch Logs log group.
type LogGroup struct {
	Item
	Name          Value[string] `json:"name"`
	RetentionDays Value[int]    `json:"retention_days"`
	KMSKeyID      Value[string] `json:"kms_key_id"`
}

// Alarm is a CloudWatch metric alarm.
type Alarm struct {
	Item
	Name Value[string] `json:"name"`
	// Metrics are the metrics the alarm watches: one for a plain alarm, one
	// per metric query for a metric-math alarm.
	Metrics []AlarmMetric `json:"metrics"`
}

// AlarmMetric is one metric an alarm watches.
type AlarmMetric struct {
	Namespace  Value[string]            `json:"namespace"`
	MetricName Value[string]            `json:"metric_name"`
	Dimensions map[string]Value[string] `json:"dimensions,omitempty"`
	// Expression is the expression of a metric query that has one instead of
	// a metric (Terraform metric_query.expression, CloudFormation
	// Metrics[].Expression, live MetricDataQuery.Expression): metric math
	// over other queries ("100*e/i") or a CloudWatch Metrics Insights query
	// ("SELECT SUM(Errors) FROM SCHEMA(\"AWS/Lambda\", FunctionName) WHERE
	// FunctionName = 'orders'"). Namespace and MetricName are then absent.
	// Absent for a plain metric.
	Expression Value[string] `json:"expression,omitzero"`
}

// LayerVersion is a Lambda layer version defined in the scanned code (or live).
type LayerVersion struct {
	Item
	Name    Value[string]     `json:"name"`
	ARN     string            `json:"arn,omitempty"`
	Package Value[PackageRef] `json:"package"`
}

// LayerPermission is a statement of a layer version's policy.
type LayerPermission struct {
	Item
	Layer     Value[Ref]          `json:"layer"`
	Statement iampolicy.Statement `json:"statement"`
}

// Subnet is a VPC subnet the scanned code or account defines.
type Subnet struct {
	Item
	SubnetID         string        `json:"subnet_id,omitempty"`
	AvailabilityZone Value[string] `json:"availability_zone"`
}

// SecurityGroup is a VPC security group with its egress rules.
type SecurityGroup struct {
	Item
	GroupID string `json:"group_id,omitempty"`
	// Egress is absent when the source shows no egress rules (AWS then adds
	// the default allow-all rule for groups it creates).
	Egress Value[[]EgressRule] `json:"egress"`
}

// EgressRule is one egress rule.
type EgressRule struct {
	Protocol Value[string]   `json:"protocol"` // "-1" for all
	FromPort Value[int]      `json:"from_port"`
	ToPort   Value[int]      `json:"to_port"`
	CIDRs    Value[[]string] `json:"cidrs"` // IPv4 and IPv6
	Loc      srcloc.Location `json:"loc,omitzero"`
}

// APIRoute is an API Gateway route or method integrated with a function.
type APIRoute struct {
	Item
	Function Value[Ref] `json:"function"`
	// Authorization is "NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS", "JWT".
	Authorization Value[string] `json:"authorization"`
}

// Package is a deployment package or layer that was read.
type Package struct {
	Item
	// Path is the zip or folder, relative like locations.
	Path string `json:"path"`
	// Function is the function (or layer) the package belongs to, if known.
	Function Value[Ref] `json:"function"`
	IsLayer  bool       `json:"is_layer,omitempty"`
	// Junk are files that do not belong in a package (LW-RUN-03).
	Junk []PackageFinding `json:"junk,omitempty"`
	// Secrets are credentials found in files (LW-SEC-05); values redacted.
	Secrets []PackageFinding `json:"secrets,omitempty"`
	// Dependencies are the packages found in lock files and metadata (LW-RUN-04).
	Dependencies []Dependency `json:"dependencies,omitempty"`
}

// PackageFinding is one offending file in a package.
type PackageFinding struct {
	File   string `json:"file"` // path inside the package
	Line   int    `json:"line,omitempty"`
	Rule   string `json:"rule"`
	Detail string `json:"detail"` // never a secret value
}

// Dependency is a third-party package inside a deployment package.
type Dependency struct {
	Ecosystem string `json:"ecosystem"` // OSV ecosystem name: npm, PyPI, Go, Maven, RubyGems
	Name      string `json:"name"`
	Version   string `json:"version"`
	Manifest  string `json:"manifest"` // file inside the package it was read from
}

// Account holds an account's guard rails in one region (live only).
type Account struct {
	Item
	AccountID string `json:"account_id"`
	// Each guard rail is unknown when the API call that tells was denied.
	MultiRegionTrailLogging Value[bool] `json:"multi_region_trail_logging"`
	LambdaDataEvents        Value[bool] `json:"lambda_data_events"`
	ConfigRecordsLambdaIAM  Value[bool] `json:"config_records_lambda_iam"`
	AccessAnalyzer          Value[bool] `json:"access_analyzer"`
	InspectorLambda         Value[bool] `json:"inspector_lambda"`
	GuardDutyLambda         Value[bool] `json:"guardduty_lambda"`
}

// InlineWaiver is a waiver written in the scanned code next to a resource.
// It covers results whose resource ID is ResourceID, or whose location lies
// in File between StartLine and EndLine (the resource's block).
type InlineWaiver struct {
	ResourceID string          `json:"resource_id"`
	File       string          `json:"file"`
	StartLine  int             `json:"start_line"`
	EndLine    int             `json:"end_line"`
	Check      string          `json:"check"` // ID or glob
	Reason     string          `json:"reason"`
	Expires    string          `json:"expires,omitempty"` // YYYY-MM-DD
	Loc        srcloc.Location `json:"loc"`
}
