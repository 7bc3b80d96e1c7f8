// Package mapping turns a CloudTrail record's (eventSource, eventName) into
// the IAM actions the call needed. It applies the rules of the shared
// cloudtrail-to-iam.json (compiled in by `go generate`, provenance kept) in
// their documented order:
//
//  1. skip rules: permissionless calls (sts:GetCallerIdentity, ...), service
//     events (AwsServiceEvent), console sign-in, calls made by an AWS service
//     principal itself; denied calls (errorCode AccessDenied, ...) are
//     mapped but reported as Denied, never granted;
//  2. event_name_exceptions: exact (eventSource, eventName) matches, such as
//     S3 HeadObject -> s3:GetObject or kms ReEncrypt -> ReEncryptFrom and
//     ReEncryptTo;
//  3. the IAM prefix: eventsource_prefix_exceptions (monitoring ->
//     cloudwatch, ...), else the first DNS label of eventSource; API Gateway
//     management events map to its HTTP-verb actions;
//  4. eventName normalisation: the API-version suffix (GetFunction20150331v2
//     -> GetFunction), then Cors$ -> CORS;
//  5. validation against the IAM action catalog (case-insensitive), which
//     gives the catalog's spelling. A suffix-stripped name the catalog does
//     not know falls back to the raw name; a name neither knows is returned
//     in Unknown, not in Actions.
package mapping

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
)

//go:generate go run ./internal/gen -out .

// Info says where the compiled-in rules come from.
type Info struct {
	// File is the shared data file, SHA256 its digest when generated.
	File   string
	SHA256 string
	// Description is the data's own statement of the rules and their order.
	Description string
	Sources     []Source
	// APIGatewayRule, IdentifyLambdaCaller and NotInCloudTrail are the
	// data's texts for the rules this package implements in code.
	APIGatewayRule       string
	IdentifyLambdaCaller string
	NotInCloudTrail      []string
}

// Source is one upstream source of the rules.
type Source struct {
	ID      string
	From    string
	Licence string
}

// Provenance describes the compiled-in rules.
func Provenance() Info {
	p := provenance
	p.Sources = slices.Clone(p.Sources)
	p.NotInCloudTrail = slices.Clone(p.NotInCloudTrail)
	return p
}

type prefixException struct{ source, prefix, ref string }

// nameException is one exact (eventSource, eventName) rule.
type nameException struct {
	Source, Name string
	Actions      []string
	Ref          string
	Note         string
	Confidence   string
}

type skipEvent struct{ Source, Name, Reason string }

type skipEventType struct{ Type, Reason string }

// Event is what the mapping reads of a CloudTrail record.
type Event struct {
	Source string // eventSource, e.g. "dynamodb.amazonaws.com"
	Name   string // eventName, e.g. "GetItem"
	Type   string // eventType, e.g. "AwsApiCall"
	// ErrorCode is the record's errorCode ("" for success).
	ErrorCode string
	// IdentityType is userIdentity.type (AssumedRole, IAMUser, AWSService, ...).
	IdentityType string
	// Region is awsRegion and Partition the identity's ARN partition
	// ("aws" when empty), for the resources API Gateway's rule names.
	Region    string
	Partition string
	// RequestParameters is the raw requestParameters JSON (nil if absent).
	// Only DynamoDB PartiQL and transactions and API Gateway read it.
	RequestParameters []byte
}

// Outcome says what to do with a mapped event.
type Outcome uint8

const (
	// Grant: the identity needed Actions.
	Grant Outcome = iota
	// Skip: the event needs no permission of the identity.
	Skip
	// Denied: the call was denied; Actions are what it attempted.
	Denied
)

func (o Outcome) String() string {
	switch o {
	case Skip:
		return "skip"
	case Denied:
		return "denied"
	}
	return "grant"
}

// Rule names the rule that produced the actions.
type Rule string

const (
	RuleSkip             Rule = "skip"
	RuleNameException    Rule = "event_name_exceptions"
	RulePrefixException  Rule = "eventsource_prefix_exceptions"
	RuleAPIVersionSuffix Rule = "api_version_suffix"
	RuleAPIGateway       Rule = "apigateway"
	RuleDefault          Rule = "default_rule"
)

// Result is the mapping of one event.
type Result struct {
	Outcome Outcome
	// Actions are IAM actions in the catalog's spelling, sorted.
	Actions []string
	// Unknown are candidate actions the catalog does not know (not granted).
	Unknown []string
	// Resources are resource ARNs the rule itself determines (API Gateway's
	// HTTP-verb actions); nil otherwise.
	Resources []string
	Rule      Rule
	// Reason says why the event is skipped or denied, or carries the rule's
	// note or confidence.
	Reason string
}

// Mapper applies the rules. It is immutable once built and safe for
// concurrent use.
type Mapper struct {
	catalog   *iampolicy.Catalog
	prefixes  map[string]string
	names     map[string]*nameException
	skip      map[string]string
	skipTypes map[string]string
	denied    map[string]bool
	suffix    *regexp.Regexp
}

// New returns a Mapper that validates against catalog
// (iampolicy.DefaultCatalog() in production).
func New(catalog *iampolicy.Catalog) *Mapper {
	m := &Mapper{
		catalog:   catalog,
		prefixes:  make(map[string]string, len(prefixExceptions)),
		names:     make(map[string]*nameException, len(nameExceptions)),
		skip:      make(map[string]string, len(skipEvents)),
		skipTypes: make(map[string]string, len(skipEventTypes)),
		denied:    make(map[string]bool, len(deniedErrorCodes)),
		suffix:    regexp.MustCompile(apiVersionSuffix),
	}
	for _, p := range prefixExceptions {
		m.prefixes[p.source] = p.prefix
	}
	for i := range nameExceptions {
		e := &nameExceptions[i]
		m.names[e.Source+" "+e.Name] = e
	}
	for _, s := range skipEvents {
		m.skip[s.Source+" "+s.Name] = s.Reason
	}
	for _, s := range skipEventTypes {
		m.skipTypes[s.Type] = s.Reason
	}
	for _, c := range deniedErrorCodes {
		m.denied[c] = true
	}
	return m
}

// IsDenied reports whether an errorCode means the call was not authorised:
// one of the data's codes, or a code that names them with a prefix
// ("Client.UnauthorizedOperation").
func (m *Mapper) IsDenied(errorCode string) bool {
	if errorCode == "" {
		return false
	}
	if m.denied[errorCode] {
		return true
	}
	_, last, ok := strings.Cut(errorCode, ".")
	return ok && m.denied[last]
}

// Prefix returns the IAM prefix of an eventSource.
func (m *Mapper) Prefix(eventSource string) string {
	if p, ok := m.prefixes[eventSource]; ok {
		return p
	}
	p, _, _ := strings.Cut(eventSource, ".")
	return p
}

// Map applies the rules to one event.
func (m *Mapper) Map(ev Event) Result {
	// (1) Skip rules.
	if r, ok := m.skipTypes[ev.Type]; ok {
		return Result{Outcome: Skip, Rule: RuleSkip, Reason: r}
	}
	if r, ok := m.skip[ev.Source+" "+ev.Name]; ok {
		return Result{Outcome: Skip, Rule: RuleSkip, Reason: r}
	}
	if ev.IdentityType == "AWSService" {
		return Result{Outcome: Skip, Rule: RuleSkip, Reason: "made by an AWS service principal, not with the identity's credentials"}
	}
	if ev.Source == "" || ev.Name == "" {
		return Result{Outcome: Skip, Rule: RuleSkip, Reason: "no eventSource or eventName"}
	}
	res := m.actions(ev)
	if m.IsDenied(ev.ErrorCode) {
		res.Outcome = Denied
		res.Reason = deniedReason
	}
	return res
}

// actions applies rules 2 to 5.
func (m *Mapper) actions(ev Event) Result {
	// (2) Exact event name exceptions.
	if e, ok := m.names[ev.Source+" "+ev.Name]; ok {
		res := Result{Rule: RuleNameException, Reason: joinNote(e.Note, e.Confidence)}
		for _, a := range refine(ev, e.Actions) {
			m.add(&res, a)
		}
		finish(&res)
		return res
	}
	// (3) Prefix.
	prefix := m.Prefix(ev.Source)
	rule := RuleDefault
	if _, ok := m.prefixes[ev.Source]; ok {
		rule = RulePrefixException
	}
	if prefix == "apigateway" {
		if res, ok := m.apiGateway(ev); ok {
			return res
		}
	}
	// (4) Normalise, (5) validate.
	name := ev.Name
	res := Result{Rule: rule}
	if stripped := m.suffix.ReplaceAllString(name, "$1"); stripped != name {
		if a, ok := m.catalog.Lookup(prefix + ":" + corsFix(stripped)); ok {
			res.Rule = RuleAPIVersionSuffix
			res.Actions = []string{a.String()}
			return res
		}
	}
	m.add(&res, prefix+":"+corsFix(name))
	return res
}

// add validates one candidate action and files it under Actions or Unknown.
func (m *Mapper) add(res *Result, action string) {
	if a, ok := m.catalog.Lookup(action); ok {
		res.Actions = append(res.Actions, a.String())
		return
	}
	res.Unknown = append(res.Unknown, action)
}

func finish(res *Result) {
	slices.Sort(res.Actions)
	res.Actions = slices.Compact(res.Actions)
	slices.Sort(res.Unknown)
	res.Unknown = slices.Compact(res.Unknown)
}

// corsFix is the rule `Cors$ -> CORS`.
func corsFix(name string) string {
	if base, ok := strings.CutSuffix(name, "Cors"); ok {
		return base + "CORS"
	}
	return name
}

func joinNote(note, confidence string) string {
	switch {
	case confidence == "":
		return note
	case note == "":
		return "confidence: " + confidence
	}
	return note + " (confidence: " + confidence + ")"
}

// refine narrows the actions of the DynamoDB exceptions whose data notes say
// they depend on the request: PartiQL statements by their verb, and
// TransactWriteItems by the kinds of items present. Without readable
// parameters every listed action is kept, since the call needed at least
// one of them.
func refine(ev Event, actions []string) []string {
	if ev.Source != "dynamodb.amazonaws.com" || len(ev.RequestParameters) == 0 {
		return actions
	}
	var params any
	if json.Unmarshal(ev.RequestParameters, &params) != nil {
		return actions
	}
	var keep []string
	switch ev.Name {
	case "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction":
		walkStrings(params, "statement", func(stmt string) {
			verb, _, _ := strings.Cut(strings.TrimSpace(stmt), " ")
			switch strings.ToUpper(verb) {
			case "SELECT":
				keep = append(keep, "dynamodb:PartiQLSelect")
			case "INSERT":
				keep = append(keep, "dynamodb:PartiQLInsert")
			case "UPDATE":
				keep = append(keep, "dynamodb:PartiQLUpdate")
			case "DELETE":
				keep = append(keep, "dynamodb:PartiQLDelete")
			}
		})
	case "TransactWriteItems":
		walkKeys(params, func(key string) {
			switch strings.ToLower(key) {
			case "put":
				keep = append(keep, "dynamodb:PutItem")
			case "update":
				keep = append(keep, "dynamodb:UpdateItem")
			case "delete":
				keep = append(keep, "dynamodb:DeleteItem")
			case "conditioncheck":
				keep = append(keep, "dynamodb:ConditionCheckItem")
			}
		})
	default:
		return actions
	}
	keep = slices.DeleteFunc(keep, func(a string) bool { return !slices.Contains(actions, a) })
	if len(keep) == 0 {
		return actions
	}
	return keep
}

// walkStrings calls fn with every string value under a key named key
// (case-insensitive), at any depth.
func walkStrings(v any, key string, fn func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && strings.EqualFold(k, key) {
				fn(s)
				continue
			}
			walkStrings(val, key, fn)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, key, fn)
		}
	}
}

// walkKeys calls fn with the keys of the objects inside transaction item
// lists (transactItems[].{put,update,...}).
func walkKeys(v any, fn func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if items, ok := val.([]any); ok && strings.EqualFold(k, "transactItems") {
				for _, it := range items {
					if obj, ok := it.(map[string]any); ok {
						for ik := range obj {
							fn(ik)
						}
					}
				}
				continue
			}
			walkKeys(val, fn)
		}
	case []any:
		for _, e := range x {
			walkKeys(e, fn)
		}
	}
}
