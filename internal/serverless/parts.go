package serverless

import (
	"crypto/md5"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// role sets the function's execution role: its own `role`, the provider's
// existing role, a per-function role from the serverless-iam-roles-per-function
// plugin, or the framework's shared role.
func (b *builder) role(f *fnCtx) {
	fn, v := f.fn, f.v
	switch {
	case v.get("role").truthy():
		fn.Role = b.roleRef(v.get("role"))
	case b.providerRole() != nil:
		fn.Role = b.roleRef(b.providerRole())
	case f.pluginRole:
		b.pluginRole(f)
	case b.sharedRole != nil:
		fn.Role = inventory.Of(inventory.Ref{ID: sharedRoleID, Name: b.sharedRole.Name.Or("")}, b.sharedRole.Loc)
	default:
		fn.Role = inventory.UnknownValue[inventory.Ref]("the function's role cannot be determined", b.loc(f.at))
	}
}

// roleRef converts a `role` setting: an ARN (a role outside the service), a
// logical ID or !GetAtt of a role in resources.
func (b *builder) roleRef(r *val) inventory.Value[inventory.Ref] {
	loc := b.loc(r.at)
	if s, ok := r.str(); ok {
		if strings.Contains(s, ":") {
			return inventory.Of(inventory.Ref{Name: s}, loc)
		}
		_, name, _ := b.cfn.resource(s)
		return inventory.Of(inventory.Ref{ID: s, Name: strings.Trim(name, "<>")}, loc)
	}
	if r.k() == kUnknown {
		return inventory.UnknownValue[inventory.Ref]("role: "+r.why, loc)
	}
	if name, arg, ok := r.intrinsic(); ok && name == "Fn::GetAtt" {
		if l := arg.list(); len(l) > 0 {
			if id, ok := l[0].str(); ok {
				return inventory.Of(inventory.Ref{ID: id}, loc)
			}
		}
	}
	s, why, ok := b.cfn.str(r, 0)
	if !ok {
		return inventory.UnknownValue[inventory.Ref]("role: "+why, loc)
	}
	return inventory.Of(inventory.Ref{Name: s}, loc)
}

// pluginRole builds the role serverless-iam-roles-per-function creates for
// a function with iamRoleStatements: a copy of the shared role holding only
// the function's log statement, its event-source statements, its DLQ
// statement, the provider's statements when inherited, and its own.
func (b *builder) pluginRole(f *fnCtx) {
	v := f.v
	stmtsV := v.get("iamRoleStatements")
	at := f.at
	if stmtsV != nil {
		at = stmtsV.at
	}
	id := normalizedName(f.key) + sharedRoleID
	role := &inventory.Role{Item: b.item(id, at)}
	loc := b.loc(at)
	switch n := v.get("iamRoleStatementsName"); {
	case !n.isNull():
		role.Name = b.str(n)
	case b.service != "" && b.stageOK && b.regionKnown:
		parts := []string{b.service, b.stage, f.key, b.region, "lambdaRole"}
		if len(strings.Join(parts, "-")) > 64 {
			parts = parts[:4]
		}
		if name := strings.Join(parts, "-"); len(name) <= 64 {
			role.Name = inventory.Of(name, loc)
		} else {
			b.errorf(f.at, "%s: the generated role name for function %s is longer than 64 characters; set iamRoleStatementsName", rolesPlugin, f.key)
			role.Name = inventory.UnknownValue[string]("generated role name too long", loc)
		}
	default:
		role.Name = inventory.UnknownValue[string]("role name depends on unresolved service, stage or region", loc)
	}
	role.TrustPolicy = inventory.Of(lambdaTrust(loc), loc)
	role.PoliciesComplete = inventory.Of(true, loc)
	pluginCfg := b.root.path("custom", rolesPlugin)
	roleV := b.provider.path("iam", "role")
	role.Boundary = b.str(first(v.get("iamPermissionsBoundary"), pluginCfg.get("iamGlobalPermissionsBoundary"),
		roleV.get("permissionsBoundary"), roleV.get("permissionBoundary"), b.provider.get("rolePermissionsBoundary")))
	if gb := pluginCfg.get("iamGlobalPermissionsBoundary"); !gb.isNull() && b.sharedRole != nil {
		b.sharedRole.Boundary = b.str(gb)
	}

	logName := "<" + lambdaLogicalID(f.key) + ">"
	if f.name != "" {
		logName = f.name
	}
	stmts := []iampolicy.Statement{{
		Effect:    iampolicy.Allow,
		Actions:   []string{"logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents"},
		Resources: []string{logGroupARN("/aws/lambda/"+logName) + ":*:*"},
		Loc:       loc,
	}}
	stmts = append(stmts, b.eventStatements(f)...)
	if oe := v.get("onError"); oe.truthy() {
		l, unk := b.cfn.strList(oe)
		st := iampolicy.Statement{Effect: iampolicy.Allow, Actions: []string{"sns:Publish"}, Resources: l, Loc: b.loc(oe.at)}
		if unk {
			st.Unknown = []string{"Resource"}
		}
		stmts = append(stmts, st)
	}
	inherit := v.get("iamRoleStatementsInherit")
	doInherit, _ := inherit.boolean()
	if inherit.isNull() {
		doInherit, _ = pluginCfg.get("defaultInherit").boolean()
	}
	if doInherit {
		ps := roleV.get("statements")
		if ps.isNull() && roleV == nil {
			ps = b.provider.get("iamRoleStatements")
		}
		stmts = append(stmts, b.statements(ps)...)
	}
	stmts = append(stmts, b.statements(stmtsV)...)
	role.Inline = []inventory.InlinePolicy{{
		Name:     b.service + "-" + b.stage + "-lambda",
		Document: inventory.Of(&iampolicy.Policy{Version: "2012-10-17", Statements: stmts}, loc),
		Loc:      loc,
	}}
	if !v.get("vpc").isNull() || !b.provider.get("vpc").isNull() {
		role.Attached = append(role.Attached, inventory.PolicyAttachment{Policy: inventory.Of(inventory.Ref{Name: vpcManagedPolicy}, loc), Loc: loc})
	}
	b.cfn.synth[id] = synthetic{typ: "AWS::IAM::Role", name: orSymbol(role.Name.Or(""), id)}
	b.inv.Roles = append(b.inv.Roles, role)
	f.fn.Role = inventory.Of(inventory.Ref{ID: id, Name: role.Name.Or("")}, loc)
}

// eventStatements are the grants the framework adds for a function's
// polled event sources (SQS queues, DynamoDB and Kinesis streams).
func (b *builder) eventStatements(f *fnCtx) []iampolicy.Statement {
	var sqs, ddb, kin []string
	var sqsAt, ddbAt, kinAt pos
	unresolved := map[string]bool{}
	for _, ev := range f.v.get("events").list() {
		if ev == nil || ev.k() != kMap || len(ev.ents) != 1 {
			continue
		}
		typ, body := ev.ents[0].key, ev.ents[0].v
		arnV := body
		if body.k() == kMap && !isIntrinsic(body) {
			arnV = body.get("arn")
		}
		arn, _, ok := b.cfn.str(arnV, 0)
		if !ok {
			st, _ := body.get("type").str()
			unresolved[typ+st] = true
			continue
		}
		switch typ {
		case "sqs":
			sqs, sqsAt = append(sqs, arn), ev.at
		case "stream":
			st, _ := body.get("type").str()
			if st == "" {
				if parts := strings.Split(arn, ":"); len(parts) > 2 {
					st = parts[2]
				}
			}
			switch st {
			case "dynamodb":
				ddb, ddbAt = append(ddb, arn), ev.at
			case "kinesis":
				kin, kinAt = append(kin, arn), ev.at
			}
		}
	}
	var out []iampolicy.Statement
	add := func(l []string, at pos, unres bool, actions ...string) {
		if len(l) == 0 && !unres {
			return
		}
		st := iampolicy.Statement{Effect: iampolicy.Allow, Actions: actions, Resources: l, Loc: b.loc(at)}
		if unres {
			st.Unknown = []string{"Resource"}
		}
		out = append(out, st)
	}
	add(ddb, ddbAt, unresolved["streamdynamodb"], "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams")
	add(kin, kinAt, unresolved["streamkinesis"], "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams")
	add(sqs, sqsAt, unresolved["sqs"], "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")
	return out
}

func isIntrinsic(v *val) bool { _, _, ok := v.intrinsic(); return ok }

// url builds the function URL and, for auth NONE, the two public
// permissions the framework adds.
func (b *builder) url(f *fnCtx) {
	u := f.v.get("url")
	if !u.truthy() {
		return
	}
	loc := b.loc(u.at)
	fu := &inventory.FunctionURL{
		Item:     b.item(normalizedName(f.key)+"LambdaFunctionUrl", u.at),
		Function: inventory.Of(inventory.Ref{ID: f.key}, loc),
		AuthType: inventory.Of("NONE", loc),
	}
	if u.k() == kUnknown {
		fu.AuthType = inventory.UnknownValue[string]("url: "+u.why, loc)
	}
	if a := u.get("authorizer"); a != nil {
		if s, ok := a.str(); ok && s == "aws_iam" {
			fu.AuthType = inventory.Of("AWS_IAM", b.loc(a.at))
		} else if a.k() == kUnknown {
			fu.AuthType = inventory.UnknownValue[string]("url.authorizer: "+a.why, b.loc(a.at))
		} else {
			fu.AuthType = inventory.Of("NONE", b.loc(a.at))
		}
	}
	if c := u.get("cors"); c.truthy() {
		cl := b.loc(c.at)
		switch o := c.get("allowedOrigins"); {
		case c.k() == kUnknown:
			fu.CORSAllowOrigins = inventory.UnknownValue[[]string]("cors: "+c.why, cl)
		case o != nil && o.k() == kNull:
		case o != nil:
			l, unk := b.cfn.strList(o)
			if unk {
				fu.CORSAllowOrigins = inventory.UnknownValue[[]string]("cors.allowedOrigins cannot be resolved", b.loc(o.at))
			} else {
				fu.CORSAllowOrigins = inventory.Of(uniq(l), b.loc(o.at))
			}
		default:
			fu.CORSAllowOrigins = inventory.Of([]string{"*"}, cl)
		}
	}
	b.inv.FunctionURLs = append(b.inv.FunctionURLs, fu)
	if auth, ok := fu.AuthType.Get(); ok && auth == "NONE" {
		n := normalizedName(f.key)
		b.permission(f, n+"LambdaPermissionFnUrl", u.at, iampolicy.Statement{
			Actions:    []string{"lambda:InvokeFunctionUrl"},
			Principal:  &iampolicy.Principal{Wildcard: true},
			Conditions: []iampolicy.Condition{{Operator: "StringEquals", Key: "lambda:FunctionUrlAuthType", Values: []string{"NONE"}}},
		})
		b.permission(f, n+"LambdaPermissionFn", u.at, iampolicy.Statement{
			Actions:    []string{"lambda:InvokeFunction"},
			Principal:  &iampolicy.Principal{Wildcard: true},
			Conditions: []iampolicy.Condition{{Operator: "Bool", Key: "lambda:InvokedViaFunctionUrl", Values: []string{"true"}}},
		})
	}
}

func uniq(l []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range l {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// permission adds a resource-policy statement on f (Allow, on f's ARN).
func (b *builder) permission(f *fnCtx, id string, at pos, st iampolicy.Statement) {
	for _, p := range b.inv.Permissions {
		if p.ID == id && p.Origin == b.file {
			return
		}
	}
	st.Effect = iampolicy.Allow
	if len(st.Actions) == 0 {
		st.Actions = []string{"lambda:InvokeFunction"}
	}
	st.Resources = []string{b.functionARN(f)}
	st.Loc = b.loc(at)
	b.inv.Permissions = append(b.inv.Permissions, &inventory.Permission{
		Item:      b.item(id, at),
		Function:  inventory.Of(inventory.Ref{ID: f.key}, b.loc(at)),
		Statement: st,
	})
}

// servicePermission is a permission for an AWS service principal with the
// source conditions Lambda writes for SourceArn and SourceAccount.
func servicePermission(service, sourceARN, sourceAccount string) iampolicy.Statement {
	st := iampolicy.Statement{Principal: &iampolicy.Principal{Service: []string{service}}}
	if sourceARN != "" {
		st.Conditions = append(st.Conditions, iampolicy.Condition{Operator: "ArnLike", Key: "AWS:SourceArn", Values: []string{sourceARN}})
	}
	if sourceAccount != "" {
		st.Conditions = append(st.Conditions, iampolicy.Condition{Operator: "StringEquals", Key: "AWS:SourceAccount", Values: []string{sourceAccount}})
	}
	return st
}

func regionalARN(service, rest string) string {
	return "arn:" + inventory.CurrentPartition + ":" + service + ":" + inventory.CurrentRegion + ":" + inventory.CurrentAccount + ":" + rest
}

var httpShort = regexp.MustCompile(`^\s*(\S+)\s+(\S+)\s*$`)

// events adds the permissions, routes and role statements a function's
// events create. Event types the framework wires without a Lambda
// permission (sqs, stream) only add role statements.
func (b *builder) events(f *fnCtx) {
	n := normalizedName(f.key)
	p := b.provider
	schedules, cwEvents := 0, 0
	for i, ev := range f.v.get("events").list() {
		if ev == nil || ev.k() != kMap || len(ev.ents) != 1 {
			if ev != nil && ev.k() == kUnknown {
				b.errorf(ev.at, "event of function %s cannot be resolved: %s", f.key, ev.why)
			}
			continue
		}
		typ, body := ev.ents[0].key, ev.ents[0].v
		switch typ {
		case "http":
			method, route, auth := b.httpEvent(body, false)
			restID := "<ApiGatewayRestApi>"
			if id, ok := p.path("apiGateway", "restApiId").str(); ok {
				restID = id
			}
			b.route(f, "ApiGatewayMethod"+pathID(route)+methodID(method), ev.at, auth)
			b.permission(f, n+"LambdaPermissionApiGateway", ev.at,
				servicePermission("apigateway.amazonaws.com", regionalARN("execute-api", restID+"/*/*"), ""))
		case "httpApi":
			method, route, auth := b.httpEvent(body, true)
			apiID := "<HttpApi>"
			if id, ok := p.path("httpApi", "id").str(); ok {
				apiID = id
			}
			id := "HttpApiRoute" + methodID(method) + pathID(route)
			if method == "*" && route == "" {
				id = "HttpApiRouteDefault"
			}
			b.route(f, id, ev.at, auth)
			b.permission(f, n+"LambdaPermissionHttpApi", ev.at,
				servicePermission("apigateway.amazonaws.com", regionalARN("execute-api", apiID+"/*"), ""))
		case "s3":
			bucketV := body
			if body.k() == kMap && !isIntrinsic(body) {
				bucketV = body.get("bucket")
			}
			bucket, _, ok := b.cfn.str(bucketV, 0)
			if !ok {
				bucket = "<unresolved bucket>"
			}
			b.permission(f, n+"LambdaPermission"+alnumName(bucket)+"S3", ev.at,
				servicePermission("s3.amazonaws.com", "arn:"+inventory.CurrentPartition+":s3:::"+bucket, inventory.CurrentAccount))
		case "sns":
			arn, topic := "", ""
			if s, ok := body.str(); ok {
				if strings.HasPrefix(s, "arn:") {
					arn = s
				} else {
					topic = s
				}
			} else if body.k() == kMap && !isIntrinsic(body) {
				if a := body.get("arn"); a != nil {
					arn, _, _ = b.cfn.str(a, 0)
				}
				topic, _ = body.get("topicName").str()
			} else {
				arn, _, _ = b.cfn.str(body, 0)
			}
			if arn == "" && topic != "" {
				arn = regionalARN("sns", topic)
			}
			if topic == "" {
				topic = arn[strings.LastIndexByte(arn, ':')+1:]
			}
			if arn == "" {
				arn = "<unresolved topic>"
			}
			b.permission(f, n+"LambdaPermission"+alnumName(topic)+"SNS", ev.at, servicePermission("sns.amazonaws.com", arn, ""))
		case "schedule":
			schedules++
			ruleID := n + "EventsRuleSchedule" + itoa(schedules)
			name, _ := body.get("name").str()
			b.permission(f, n+"LambdaPermissionEventsRuleSchedule"+itoa(schedules), ev.at,
				servicePermission("events.amazonaws.com", regionalARN("events", "rule/"+orSymbol(name, ruleID)), ""))
		case "cloudwatchEvent":
			cwEvents++
			ruleID := n + "EventsRuleCloudWatchEvent" + itoa(cwEvents)
			name, _ := body.get("name").str()
			b.permission(f, n+"LambdaPermissionEventsRuleCloudWatchEvent"+itoa(cwEvents), ev.at,
				servicePermission("events.amazonaws.com", regionalARN("events", "rule/"+orSymbol(name, ruleID)), ""))
		case "eventBridge":
			name, _ := body.get("name").str()
			if name == "" {
				name = ruleName(orSymbol(f.name, lambdaLogicalID(f.key)), i+1)
			}
			rulePath := "rule/" + name
			if bus, ok := body.get("eventBus").str(); ok && bus != "" && bus != "default" {
				if j := strings.LastIndex(bus, "event-bus/"); j >= 0 {
					bus = bus[j+len("event-bus/"):]
				}
				if bus != "default" {
					rulePath = "rule/" + bus + "/" + name
				}
			} else if bv := body.get("eventBus"); bv != nil && bv.k() != kScalar {
				s, _, ok := b.cfn.str(bv, 0)
				if !ok {
					s = "<unresolved event bus>"
				}
				rulePath = "rule/" + s[strings.LastIndex(s, "/")+1:] + "/" + name
			}
			b.permission(f, n+"EventBridgeLambdaPermission"+itoa(i+1), ev.at,
				servicePermission("events.amazonaws.com", regionalARN("events", rulePath), ""))
		}
		// sqs and stream events add role statements (below); other event
		// types (alb, websocket, iot, cloudwatchLog, ...) are not modelled.
	}
	if b.sharedRole != nil {
		for _, st := range b.eventStatements(f) {
			b.addShared(st)
		}
	}
}

// ruleName is the framework's default EventBridge rule name.
func ruleName(fnName string, index int) string {
	suffix := "rule-" + itoa(index)
	name := fnName + "-" + suffix
	if len(name) <= 64 {
		return name
	}
	sum := md5.Sum([]byte(name))
	cut := 31 - len(suffix)
	if cut > len(name) {
		cut = len(name)
	}
	return name[:cut] + hex.EncodeToString(sum[:]) + "-" + suffix
}

// httpEvent reads an http or httpApi event: method, path and the
// authorization API Gateway applies.
func (b *builder) httpEvent(body *val, httpAPI bool) (method, route string, auth inventory.Value[string]) {
	loc := b.loc(body.at)
	auth = inventory.Of("NONE", loc)
	if s, ok := body.str(); ok {
		if s == "*" {
			return "*", "", auth
		}
		if m := httpShort.FindStringSubmatch(s); m != nil {
			return strings.ToUpper(m[1]), m[2], auth
		}
		return "ANY", s, auth
	}
	if body.k() == kUnknown {
		return "ANY", "", inventory.UnknownValue[string](body.why, loc)
	}
	method, _ = body.get("method").str()
	method = strings.ToUpper(method)
	route, _ = body.get("path").str()
	if method == "" {
		method = "ANY"
	}
	a := body.get("authorizer")
	if a.isNull() {
		return method, route, auth
	}
	al := b.loc(a.at)
	if a.k() == kUnknown {
		return method, route, inventory.UnknownValue[string]("authorizer: "+a.why, al)
	}
	typ, _ := a.get("type").str()
	name, _ := a.str()
	if name == "" {
		name, _ = a.get("name").str()
	}
	if httpAPI {
		switch {
		case strings.EqualFold(typ, "aws_iam") || name == "aws_iam":
			return method, route, inventory.Of("AWS_IAM", al)
		case strings.EqualFold(typ, "request"):
			return method, route, inventory.Of("CUSTOM", al)
		}
		if name != "" {
			if t, _ := b.provider.path("httpApi", "authorizers", name, "type").str(); strings.EqualFold(t, "request") {
				return method, route, inventory.Of("CUSTOM", al)
			}
		}
		return method, route, inventory.Of("JWT", al)
	}
	arn, _ := a.get("arn").str()
	switch {
	case strings.EqualFold(typ, "aws_iam") || name == "aws_iam":
		return method, route, inventory.Of("AWS_IAM", al)
	case strings.EqualFold(typ, "COGNITO_USER_POOLS") || strings.Contains(arn, ":cognito-idp:"):
		return method, route, inventory.Of("COGNITO_USER_POOLS", al)
	}
	return method, route, inventory.Of("CUSTOM", al)
}

// pathID and methodID approximate the framework's logical-ID naming of
// API Gateway resources and methods.
func pathID(route string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.Trim(route, "/"), "/") {
		if part == "" {
			continue
		}
		part = strings.ToLower(strings.ReplaceAll(part, "-", "Dash"))
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") {
			part = strings.Trim(part, "{}") + "Var"
		}
		b.WriteString(alnumName(part))
	}
	return b.String()
}

func methodID(m string) string {
	if m == "*" || m == "ANY" {
		return "Any"
	}
	m = strings.ToLower(m)
	return strings.ToUpper(m[:1]) + m[1:]
}

func (b *builder) route(f *fnCtx, id string, at pos, auth inventory.Value[string]) {
	for _, r := range b.inv.APIRoutes {
		if r.ID == id && r.Function.V.ID == f.key {
			return
		}
	}
	b.inv.APIRoutes = append(b.inv.APIRoutes, &inventory.APIRoute{
		Item:          b.item(id, at),
		Function:      inventory.Of(inventory.Ref{ID: f.key}, b.loc(at)),
		Authorization: auth,
	})
}

// logGroup adds the log group the framework creates for the function.
func (b *builder) logGroup(f *fnCtx) {
	if f.v.get("disableLogs").truthy() {
		return
	}
	g := &inventory.LogGroup{Item: b.item(normalizedName(f.key)+"LogGroup", f.at)}
	if f.name != "" {
		g.Name = inventory.Of("/aws/lambda/"+f.name, b.loc(f.at))
	} else {
		g.Name = inventory.UnknownValue[string]("function name unresolved", b.loc(f.at))
	}
	if r := firstTruthy(f.v.get("logRetentionInDays"), b.provider.get("logRetentionInDays")); r != nil {
		g.RetentionDays = b.integer(r)
	}
	b.inv.LogGroups = append(b.inv.LogGroups, g)
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// waivers reads the function-level `lambdawarden: {ignore: [...]}` block.
func (b *builder) waivers(f *fnCtx) {
	lw, ok := f.v.entryOf("lambdawarden")
	if !ok {
		return
	}
	ign := lw.v.get("ignore")
	if lw.v == nil || lw.v.k() != kMap || ign == nil {
		b.errorf(lw.at, "function %s: lambdawarden must hold an ignore list", f.key)
		return
	}
	for _, w := range ign.list() {
		if w == nil || w.k() != kMap {
			b.errorf(lw.at, "function %s: each lambdawarden.ignore entry must be a mapping with id and reason", f.key)
			continue
		}
		id, _ := w.get("id").str()
		reason, _ := w.get("reason").str()
		expires, _ := w.get("expires").str()
		switch {
		case strings.TrimSpace(id) == "":
			b.errorf(w.at, "function %s: waiver without a check id", f.key)
			continue
		case strings.TrimSpace(reason) == "":
			b.errorf(w.at, "function %s: waiver for %s has no reason; a reason is required", f.key, id)
			continue
		case expires != "" && !isoDate.MatchString(expires):
			b.errorf(w.get("expires").at, "function %s: waiver for %s: expires %q is not a YYYY-MM-DD date", f.key, id, expires)
			continue
		}
		b.inv.Waivers = append(b.inv.Waivers, inventory.InlineWaiver{
			ResourceID: f.key,
			File:       b.file,
			StartLine:  f.at.line,
			EndLine:    max(f.v.end, f.at.line),
			Check:      id,
			Reason:     reason,
			Expires:    expires,
			Loc:        b.loc(w.at),
		})
	}
}
