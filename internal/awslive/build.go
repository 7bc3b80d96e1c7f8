package awslive

import (
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambdawarden/lambdawarden/internal/iampolicy"
	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/secrets"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// noLoc is the location of every live value: none.
var noLoc = srcloc.Location{}

func unknown[T any](why string) inventory.Value[T] { return inventory.UnknownValue[T](why, noLoc) }

func parseInt64(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

// build turns what the region run read into inventory items.
func (r *regionRun) build(inv *inventory.Inventory) {
	if r.account != nil {
		inv.Accounts = append(inv.Accounts, r.account)
	}
	det, detErr := secrets.Default()
	for _, fd := range r.fns {
		r.buildFunction(inv, fd, det, detErr)
	}
	r.buildRegionItems(inv)
}

func (r *regionRun) buildFunction(inv *inventory.Inventory, fd *fnData, det *secrets.Detector, detErr error) {
	c := fd.cfg
	arn := aws.ToString(c.FunctionArn)
	name := aws.ToString(c.FunctionName)
	f := &inventory.Function{Item: r.a.item(arn, r.region), ARN: arn}
	f.Name = inventory.Of(name, noLoc)
	f.Runtime = optString(string(c.Runtime))
	f.Handler = optString(aws.ToString(c.Handler))
	f.PackageType = optString(string(c.PackageType))
	if role := aws.ToString(c.Role); role != "" {
		f.Role = inventory.Of(inventory.Ref{ID: role, Name: role}, noLoc)
	}
	if c.Environment != nil {
		if c.Environment.Error != nil {
			f.Environment = unknown[[]inventory.EnvVar]("lambda:ListFunctions: " + aws.ToString(c.Environment.Error.ErrorCode))
		} else if len(c.Environment.Variables) > 0 {
			f.Environment = inventory.Of(envVars(c.Environment.Variables, det, detErr), noLoc)
		}
	}
	f.KMSKeyARN = optString(aws.ToString(c.KMSKeyArn))
	if c.TracingConfig != nil {
		f.TracingMode = optString(string(c.TracingConfig.Mode))
	} else {
		f.TracingMode = inventory.Of("PassThrough", noLoc)
	}
	f.LogFormat = inventory.Of("Text", noLoc)
	if lc := c.LoggingConfig; lc != nil {
		if lc.LogFormat != "" {
			f.LogFormat = inventory.Of(string(lc.LogFormat), noLoc)
		}
		if g := aws.ToString(lc.LogGroup); g != "" && g != "/aws/lambda/"+name {
			f.LogGroup = inventory.Of(g, noLoc)
		}
	}
	if c.Timeout != nil {
		f.TimeoutSeconds = inventory.Of(int(*c.Timeout), noLoc)
	}
	if c.MemorySize != nil {
		f.MemoryMB = inventory.Of(int(*c.MemorySize), noLoc)
	}
	if v := c.VpcConfig; v != nil && len(v.SubnetIds) > 0 {
		f.VPC = inventory.Of(inventory.VPCConfig{Subnets: refList(v.SubnetIds), SecurityGroups: refList(v.SecurityGroupIds)}, noLoc)
	}
	if len(c.Layers) > 0 {
		var ls []string
		for _, l := range c.Layers {
			ls = append(ls, aws.ToString(l.Arn))
		}
		f.Layers = refListOrdered(ls)
	}
	switch {
	case r.cscWhy != "":
		f.CodeSigningConfig = unknown[inventory.Ref](r.cscWhy)
	case r.cscByFn[arn] != "":
		f.CodeSigningConfig = inventory.Of(inventory.Ref{ID: r.cscByFn[arn], Name: r.cscByFn[arn]}, noLoc)
	}
	if dl := c.DeadLetterConfig; dl != nil && aws.ToString(dl.TargetArn) != "" {
		f.DeadLetterTarget = inventory.Of(aws.ToString(dl.TargetArn), noLoc)
	}

	// Concurrency and tags: from GetFunction when it was called; otherwise
	// the account settings said no function has reserved concurrency.
	switch {
	case fd.got != nil:
		if fd.got.Concurrency != nil && fd.got.Concurrency.ReservedConcurrentExecutions != nil {
			f.ReservedConcurrency = inventory.Of(int(*fd.got.Concurrency.ReservedConcurrentExecutions), noLoc)
		}
		f.Tags = inventory.Of(nonNilMap(fd.got.Tags), noLoc)
		if fd.got.TagsError != nil {
			f.Tags = unknown[map[string]string]("lambda:GetFunction: " + aws.ToString(fd.got.TagsError.ErrorCode))
		}
	case fd.gotWhy != "":
		f.ReservedConcurrency = unknown[int](fd.gotWhy)
		f.Tags = unknown[map[string]string](fd.gotWhy)
	default:
		f.Tags = unknown[map[string]string]("tags were not read (set settings.required_tags to read them with lambda:GetFunction)")
	}

	// Versions: an alias to a published version proves them; else the
	// version list tells.
	switch {
	case fd.aliasWhy != "":
		f.PublishVersions = unknown[bool](fd.aliasWhy)
	case aliasPublished(fd.aliases):
		f.PublishVersions = inventory.Of(true, noLoc)
	case fd.versionsWhy != "":
		f.PublishVersions = unknown[bool](fd.versionsWhy)
	case fd.versionsOK:
		f.PublishVersions = inventory.Of(fd.versions > 0, noLoc)
	}

	switch {
	case r.trailWhy != "":
		f.LastDeployment = unknown[inventory.Deployment](r.trailWhy)
	default:
		if d, ok := r.deploys[name]; ok {
			f.LastDeployment = inventory.Of(d, noLoc)
		} else {
			f.LastDeployment = unknown[inventory.Deployment]("cloudtrail:LookupEvents: no CreateFunction or UpdateFunctionCode event in the last " +
				strconv.Itoa(r.a.c.cfg.LookbackDays) + " days")
		}
	}
	inv.Functions = append(inv.Functions, f)

	fnRef := inventory.Of(inventory.Ref{ID: arn, Name: arn}, noLoc)
	// Resource policy.
	switch {
	case fd.policyWhy != "":
		inv.Permissions = append(inv.Permissions, &inventory.Permission{
			Item: r.a.item(arn+"/policy", r.region), Function: fnRef,
			Statement: iampolicy.Statement{Sid: "unreadable (" + fd.policyWhy + ")", Unknown: []string{"Effect", "Principal", "Action", "Resource", "Condition"}},
		})
	case fd.policy != "":
		doc := parsePolicy(fd.policy, "the resource policy")
		if p, ok := doc.Get(); ok {
			for _, st := range p.Statements {
				inv.Permissions = append(inv.Permissions, &inventory.Permission{
					Item: r.a.item(arn+"/policy/"+st.Sid, r.region), Function: fnRef, Statement: st,
				})
			}
		} else {
			inv.Permissions = append(inv.Permissions, &inventory.Permission{
				Item: r.a.item(arn+"/policy", r.region), Function: fnRef,
				Statement: iampolicy.Statement{Sid: "unreadable (" + doc.Why + ")", Unknown: []string{"Effect", "Principal", "Action", "Resource", "Condition"}},
			})
		}
	}

	// Function URLs.
	if fd.urlsWhy != "" {
		inv.FunctionURLs = append(inv.FunctionURLs, &inventory.FunctionURL{
			Item: r.a.item(arn, r.region), Function: fnRef,
			AuthType: unknown[string](fd.urlsWhy), CORSAllowOrigins: unknown[[]string](fd.urlsWhy),
		})
	}
	for _, u := range fd.urls {
		uarn := aws.ToString(u.FunctionArn)
		fu := &inventory.FunctionURL{Item: r.a.item(uarn, r.region), Function: fnRef, AuthType: inventory.Of(string(u.AuthType), noLoc)}
		if q := qualifier(uarn); q != "" {
			fu.Qualifier = inventory.Of(q, noLoc)
		}
		if u.Cors != nil && len(u.Cors.AllowOrigins) > 0 {
			fu.CORSAllowOrigins = inventory.Of(append([]string(nil), u.Cors.AllowOrigins...), noLoc)
		}
		inv.FunctionURLs = append(inv.FunctionURLs, fu)
	}

	// Aliases.
	for _, al := range fd.aliases {
		inv.Aliases = append(inv.Aliases, &inventory.Alias{
			Item: r.a.item(aws.ToString(al.AliasArn), r.region), Function: fnRef,
			Name: inventory.Of(aws.ToString(al.Name), noLoc), FunctionVersion: inventory.Of(aws.ToString(al.FunctionVersion), noLoc),
		})
	}

	// Asynchronous invocation configs.
	if fd.invokeWhy != "" {
		inv.EventInvokeConfigs = append(inv.EventInvokeConfigs, &inventory.EventInvokeConfig{
			Item: r.a.item(arn, r.region), Function: fnRef, OnFailure: unknown[string](fd.invokeWhy), OnSuccess: unknown[string](fd.invokeWhy),
		})
	}
	for _, ic := range fd.invoke {
		e := &inventory.EventInvokeConfig{Item: r.a.item(aws.ToString(ic.FunctionArn), r.region), Function: fnRef}
		if d := ic.DestinationConfig; d != nil {
			if d.OnFailure != nil {
				e.OnFailure = optString(aws.ToString(d.OnFailure.Destination))
			}
			if d.OnSuccess != nil {
				e.OnSuccess = optString(aws.ToString(d.OnSuccess.Destination))
			}
		}
		inv.EventInvokeConfigs = append(inv.EventInvokeConfigs, e)
	}
}

// buildRegionItems adds the region's code signing configs, log groups,
// alarms, subnets, security groups and layer permissions.
func (r *regionRun) buildRegionItems(inv *inventory.Inventory) {
	for _, arn := range sortedKeys(r.cscs) {
		c := r.cscs[arn]
		item := &inventory.CodeSigningConfig{Item: r.a.item(arn, r.region), ARN: arn}
		if c.CodeSigningPolicies != nil && c.CodeSigningPolicies.UntrustedArtifactOnDeployment != "" {
			item.UntrustedArtifactOnDeployment = inventory.Of(string(c.CodeSigningPolicies.UntrustedArtifactOnDeployment), noLoc)
		}
		inv.CodeSigningConfigs = append(inv.CodeSigningConfigs, item)
	}

	// Log groups: when a listing failed, each function's group is unknown.
	for _, name := range sortedKeys(r.logGroups) {
		g := r.logGroups[name]
		id := strings.TrimSuffix(aws.ToString(g.Arn), ":*")
		lg := &inventory.LogGroup{Item: r.a.item(id, r.region), Name: inventory.Of(name, noLoc)}
		if g.RetentionInDays != nil {
			lg.RetentionDays = inventory.Of(int(*g.RetentionInDays), noLoc)
		}
		lg.KMSKeyID = optString(aws.ToString(g.KmsKeyId))
		inv.LogGroups = append(inv.LogGroups, lg)
	}
	for _, fd := range r.fns {
		name := "/aws/lambda/" + aws.ToString(fd.cfg.FunctionName)
		why := r.logWhy
		if lc := fd.cfg.LoggingConfig; lc != nil && aws.ToString(lc.LogGroup) != "" {
			name = aws.ToString(lc.LogGroup)
			if !strings.HasPrefix(name, "/aws/lambda/") {
				why = r.customWhy[name]
			}
		}
		if _, ok := r.logGroups[name]; ok || why == "" {
			continue
		}
		r.logGroups[name] = r.logGroups[name] // mark as added
		inv.LogGroups = append(inv.LogGroups, &inventory.LogGroup{
			Item: r.a.item("arn:aws:logs:"+r.region+":"+r.a.account+":log-group:"+name, r.region), Name: inventory.Of(name, noLoc),
			RetentionDays: unknown[int](why), KMSKeyID: unknown[string](why),
		})
	}

	if r.alarmsWhy != "" {
		inv.Alarms = append(inv.Alarms, &inventory.Alarm{
			Item: r.a.item("arn:aws:cloudwatch:"+r.region+":"+r.a.account+":alarm:*", r.region),
			Name: unknown[string](r.alarmsWhy),
			Metrics: []inventory.AlarmMetric{{Namespace: unknown[string](r.alarmsWhy), MetricName: unknown[string](r.alarmsWhy),
				Dimensions: map[string]inventory.Value[string]{"FunctionName": unknown[string](r.alarmsWhy)}}},
		})
	}
	for _, a := range r.alarms {
		al := &inventory.Alarm{Item: r.a.item(aws.ToString(a.AlarmArn), r.region), Name: inventory.Of(aws.ToString(a.AlarmName), noLoc)}
		if a.MetricName != nil {
			m := inventory.AlarmMetric{Namespace: optString(aws.ToString(a.Namespace)), MetricName: inventory.Of(aws.ToString(a.MetricName), noLoc)}
			for _, d := range a.Dimensions {
				if m.Dimensions == nil {
					m.Dimensions = map[string]inventory.Value[string]{}
				}
				m.Dimensions[aws.ToString(d.Name)] = inventory.Of(aws.ToString(d.Value), noLoc)
			}
			al.Metrics = append(al.Metrics, m)
		}
		for _, q := range a.Metrics {
			if q.MetricStat == nil || q.MetricStat.Metric == nil {
				continue
			}
			mt := q.MetricStat.Metric
			m := inventory.AlarmMetric{Namespace: optString(aws.ToString(mt.Namespace)), MetricName: optString(aws.ToString(mt.MetricName))}
			for _, d := range mt.Dimensions {
				if m.Dimensions == nil {
					m.Dimensions = map[string]inventory.Value[string]{}
				}
				m.Dimensions[aws.ToString(d.Name)] = inventory.Of(aws.ToString(d.Value), noLoc)
			}
			al.Metrics = append(al.Metrics, m)
		}
		if al.Metrics == nil {
			al.Metrics = []inventory.AlarmMetric{}
		}
		inv.Alarms = append(inv.Alarms, al)
	}

	// Network of VPC functions.
	subnets, groups := map[string]bool{}, map[string]bool{}
	for _, fd := range r.fns {
		if v := fd.cfg.VpcConfig; v != nil && len(v.SubnetIds) > 0 {
			for _, s := range v.SubnetIds {
				subnets[s] = true
			}
			for _, g := range v.SecurityGroupIds {
				groups[g] = true
			}
		}
	}
	for _, id := range sortedKeys(subnets) {
		s := &inventory.Subnet{Item: r.a.item("arn:aws:ec2:"+r.region+":"+r.a.account+":subnet/"+id, r.region), SubnetID: id}
		switch sn, ok := r.subnets[id]; {
		case ok:
			s.AvailabilityZone = inventory.Of(aws.ToString(sn.AvailabilityZone), noLoc)
		case r.subnetWhy != "":
			s.AvailabilityZone = unknown[string](r.subnetWhy)
		default:
			s.AvailabilityZone = unknown[string]("ec2:DescribeSubnets: subnet not found")
		}
		inv.Subnets = append(inv.Subnets, s)
	}
	for _, id := range sortedKeys(groups) {
		g := &inventory.SecurityGroup{Item: r.a.item("arn:aws:ec2:"+r.region+":"+r.a.account+":security-group/"+id, r.region), GroupID: id}
		switch sg, ok := r.groups[id]; {
		case ok:
			var rules []inventory.EgressRule
			for _, p := range sg.IpPermissionsEgress {
				rule := inventory.EgressRule{Protocol: inventory.Of(aws.ToString(p.IpProtocol), noLoc)}
				if p.FromPort != nil {
					rule.FromPort = inventory.Of(int(*p.FromPort), noLoc)
				}
				if p.ToPort != nil {
					rule.ToPort = inventory.Of(int(*p.ToPort), noLoc)
				}
				cidrs := []string{}
				for _, c := range p.IpRanges {
					cidrs = append(cidrs, aws.ToString(c.CidrIp))
				}
				for _, c := range p.Ipv6Ranges {
					cidrs = append(cidrs, aws.ToString(c.CidrIpv6))
				}
				rule.CIDRs = inventory.Of(cidrs, noLoc)
				rules = append(rules, rule)
			}
			if len(rules) > 0 {
				g.Egress = inventory.Of(rules, noLoc)
			}
		case r.groupWhy != "":
			g.Egress = unknown[[]inventory.EgressRule](r.groupWhy)
		default:
			g.Egress = unknown[[]inventory.EgressRule]("ec2:DescribeSecurityGroups: security group not found")
		}
		inv.SecurityGroups = append(inv.SecurityGroups, g)
	}

	// Layer versions of this account the functions use, with their policies.
	for _, arn := range sortedKeys(r.layerDocs) {
		r.buildLayer(inv, arn, r.layerDocs[arn], "")
	}
	for _, arn := range sortedKeys(r.layerWhy) {
		r.buildLayer(inv, arn, "", r.layerWhy[arn])
	}
}

func (r *regionRun) buildLayer(inv *inventory.Inventory, arn, doc, why string) {
	parts := strings.Split(arn, ":")
	name := arn
	if len(parts) == 8 {
		name = parts[6]
	}
	inv.Layers = append(inv.Layers, &inventory.LayerVersion{Item: r.a.item(arn, r.region), Name: inventory.Of(name, noLoc), ARN: arn})
	ref := inventory.Of(inventory.Ref{ID: arn, Name: arn}, noLoc)
	if why != "" {
		inv.LayerPermissions = append(inv.LayerPermissions, &inventory.LayerPermission{
			Item: r.a.item(arn+"/policy", r.region), Layer: ref,
			Statement: iampolicy.Statement{Sid: "unreadable (" + why + ")", Unknown: []string{"Effect", "Principal", "Action", "Resource", "Condition"}},
		})
		return
	}
	if doc == "" {
		return
	}
	p := parsePolicy(doc, "the layer version policy")
	pol, ok := p.Get()
	if !ok {
		inv.LayerPermissions = append(inv.LayerPermissions, &inventory.LayerPermission{
			Item: r.a.item(arn+"/policy", r.region), Layer: ref,
			Statement: iampolicy.Statement{Sid: "unreadable (" + p.Why + ")", Unknown: []string{"Effect", "Principal", "Action", "Resource", "Condition"}},
		})
		return
	}
	for _, st := range pol.Statements {
		inv.LayerPermissions = append(inv.LayerPermissions, &inventory.LayerPermission{Item: r.a.item(arn+"/policy/"+st.Sid, r.region), Layer: ref, Statement: st})
	}
}

// envVars turns environment variables into inventory values, redacting
// secrets at collection time so that neither the inventory nor a snapshot
// ever holds one. A value that matches a credential format (or looks random
// under a secret-like name) keeps only its redaction and what it looked
// like (Redacted, SecretKind); a literal under a secret-like name is masked
// (the prefix secrets.Redact shows, then "#*" fill to the value's length), which
// the checks judge exactly as the value itself. Other values stay.
func envVars(vars map[string]string, det *secrets.Detector, detErr error) []inventory.EnvVar {
	out := make([]inventory.EnvVar, 0, len(vars))
	for _, name := range sortedKeys(vars) {
		val := vars[name]
		ev := inventory.EnvVar{Name: name}
		switch {
		case detErr != nil:
			ev.Value = unknown[string]("the secret detector could not be loaded, so the value was not kept: " + detErr.Error())
		case secrets.IsReference(val):
			ev.Value = inventory.Of(val, noLoc)
		default:
			if fs := det.EnvVar(name, val); len(fs) > 0 {
				ev.Value = inventory.Of(fs[0].Redacted, noLoc)
				ev.Redacted, ev.SecretKind = true, fs[0].Kind
			} else if secrets.IsSecretName(name) && !plainSwitch(val) {
				ev.Value = inventory.Of(mask(val), noLoc)
				ev.Masked = true
			} else {
				ev.Value = inventory.Of(val, noLoc)
			}
		}
		out = append(out, ev)
	}
	return out
}

// plainSwitch reports whether a value cannot be a secret (empty or a
// boolean switch), as LW-SEC-02 sees it.
func plainSwitch(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "true", "false", "yes", "no", "on", "off", "enabled", "disabled":
		return true
	}
	return false
}

// mask keeps what secrets.Redact would show of v and replaces the rest by
// "#*#*", keeping the length, so that secrets.Redact(mask(v)) == secrets.Redact(v).
func mask(v string) string {
	shown := secrets.Redact(v)
	prefix := shown[:strings.Index(shown, "****")]
	n := len([]rune(v)) - len([]rune(prefix))
	if n < 0 {
		n = 0
	}
	// Alternate two fillers: a run of one filler character reads as a
	// placeholder ("****"), which the real value is not.
	return prefix + strings.Repeat("#*", n/2+1)[:n]
}

func optString(s string) inventory.Value[string] {
	if s == "" {
		return inventory.Value[string]{}
	}
	return inventory.Of(s, noLoc)
}

func refList(ids []string) inventory.Value[[]inventory.Value[inventory.Ref]] {
	s := append([]string(nil), ids...)
	sort.Strings(s)
	return refListOrdered(s)
}

func refListOrdered(ids []string) inventory.Value[[]inventory.Value[inventory.Ref]] {
	out := make([]inventory.Value[inventory.Ref], 0, len(ids))
	for _, id := range ids {
		out = append(out, inventory.Of(inventory.Ref{Name: id}, noLoc))
	}
	return inventory.Of(out, noLoc)
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// qualifier returns the alias or version of a qualified function ARN.
func qualifier(arn string) string {
	p := strings.Split(arn, ":")
	if len(p) == 8 {
		return p[7]
	}
	return ""
}
