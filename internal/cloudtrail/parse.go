package cloudtrail

import "fmt"

// The record parser: which keys of a CloudTrail record lambdawarden reads.
// Everything else is skipped without being decoded.

// record parses one record object into r. depth is 1 inside a
// CloudTrailEvent string, which is not unwrapped twice.
func (p *parser) record(r *Record, depth int) bool {
	c, ok := p.next()
	if !ok {
		return false
	}
	if c != '{' {
		return p.fail(fmt.Sprintf("invalid character %s: want a record object", quoteChar(c)))
	}
	return p.object(func(key []byte) bool {
		switch string(key) {
		case "eventTime":
			return p.field(&r.EventTime)
		case "eventSource":
			return p.field(&r.EventSource)
		case "eventName":
			return p.field(&r.EventName)
		case "eventType":
			return p.field(&r.EventType)
		case "eventCategory":
			return p.field(&r.EventCategory)
		case "awsRegion":
			return p.field(&r.AWSRegion)
		case "recipientAccountId":
			return p.field(&r.RecipientAccountID)
		case "errorCode":
			return p.field(&r.ErrorCode)
		case "userAgent":
			return p.field(&r.UserAgent)
		case "sessionCredentialFromConsole":
			return p.boolish(&r.SessionCredentialFromConsole)
		case "userIdentity":
			return p.identity(&r.Identity)
		case "resources":
			return p.resources(r)
		case "requestParameters":
			return p.raw(&r.RequestParameters)
		case "CloudTrailEvent":
			if depth > 0 {
				return p.skip()
			}
			return p.nested(r)
		}
		return p.skip()
	})
}

// field reads a string value into dst (nil for another kind of value).
func (p *parser) field(dst *[]byte) bool {
	v, ok := p.text()
	*dst = v
	return ok
}

// boolish reads true or "true".
func (p *parser) boolish(dst *bool) bool {
	c, ok := p.next()
	if !ok {
		return false
	}
	switch c {
	case '"':
		v, ok := p.text()
		*dst = string(v) == "true"
		return ok
	case 't':
		*dst = true
		return p.literal("true")
	}
	return p.skip()
}

// raw keeps a value's JSON text; null gives nil.
func (p *parser) raw(dst *[]byte) bool {
	p.ws()
	start := p.i
	if !p.skip() {
		return false
	}
	v := p.b[start:p.i]
	if string(v) == "null" {
		v = nil
	}
	*dst = v
	return true
}

// isObject reports whether the next value is an object; when it is not,
// the value is skipped (ok reports the skip).
func (p *parser) isObject() (object, ok bool) {
	c, ok := p.next()
	if !ok {
		return false, false
	}
	if c == '{' {
		return true, true
	}
	return false, p.skip()
}

func (p *parser) identity(id *Identity) bool {
	if obj, ok := p.isObject(); !obj {
		return ok
	}
	return p.object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return p.field(&id.Type)
		case "principalId":
			return p.field(&id.PrincipalID)
		case "arn":
			return p.field(&id.ARN)
		case "accountId":
			return p.field(&id.AccountID)
		case "invokedBy":
			return p.field(&id.InvokedBy)
		case "userName":
			return p.field(&id.UserName)
		case "sessionContext":
			if obj, ok := p.isObject(); !obj {
				return ok
			}
			return p.object(func(key []byte) bool {
				if string(key) != "sessionIssuer" {
					return p.skip()
				}
				if obj, ok := p.isObject(); !obj {
					return ok
				}
				return p.object(func(key []byte) bool {
					switch string(key) {
					case "type":
						return p.field(&id.IssuerType)
					case "arn":
						return p.field(&id.IssuerARN)
					case "userName":
						return p.field(&id.IssuerUserName)
					}
					return p.skip()
				})
			})
		}
		return p.skip()
	})
}

func (p *parser) resources(r *Record) bool {
	c, ok := p.next()
	if !ok {
		return false
	}
	if c != '[' {
		return p.skip()
	}
	return p.array(func() bool {
		if obj, ok := p.isObject(); !obj {
			return ok
		}
		return p.object(func(key []byte) bool {
			if string(key) != "ARN" && string(key) != "arn" {
				return p.skip()
			}
			v, ok := p.text()
			if ok && len(v) > 0 {
				r.Resources = append(r.Resources, v)
			}
			return ok
		})
	})
}

// nested reads a record from a CloudTrailEvent string (LookupEvents
// output) into r.
func (p *parser) nested(r *Record) bool {
	start := p.i
	s, ok := p.text()
	if !ok || s == nil {
		return ok
	}
	q := parser{b: s}
	if !q.record(r, 1) {
		p.i = start
		if q.err == nil {
			return p.fail("CloudTrailEvent holds truncated JSON")
		}
		return p.fail("CloudTrailEvent: " + q.err.msg)
	}
	if q.ws(); q.i != len(q.b) {
		p.i = start
		return p.fail("CloudTrailEvent holds more than one JSON value")
	}
	return true
}
