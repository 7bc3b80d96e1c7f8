package cloudtrail

import (
	"bytes"
	"strings"
	"time"
)

// Record is one CloudTrail event, as far as lambdawarden reads it. The byte
// slices point into the decoder's buffer: they are valid only until the
// next call to Decoder.Next, so copy what you keep (string(b)).
type Record struct {
	EventTime          []byte
	EventSource        []byte
	EventName          []byte
	EventType          []byte
	EventCategory      []byte
	AWSRegion          []byte
	RecipientAccountID []byte
	ErrorCode          []byte
	UserAgent          []byte
	// SessionCredentialFromConsole is true when the session's credentials
	// came from a console sign-in.
	SessionCredentialFromConsole bool
	Identity                     Identity
	// Resources are the ARNs of resources[].
	Resources [][]byte
	// RequestParameters is the raw JSON of requestParameters (nil when
	// absent or null).
	RequestParameters []byte
	// Offset is the record's byte offset in the (decompressed) stream.
	Offset int64
}

// Identity is the record's userIdentity.
type Identity struct {
	Type        []byte // AssumedRole, IAMUser, Root, AWSService, ...
	PrincipalID []byte
	ARN         []byte
	AccountID   []byte
	InvokedBy   []byte
	UserName    []byte
	// IssuerType, IssuerARN and IssuerUserName are
	// sessionContext.sessionIssuer's: the role behind an assumed-role session.
	IssuerType     []byte
	IssuerARN      []byte
	IssuerUserName []byte
}

// reset empties r, keeping its Resources storage.
func (r *Record) reset() {
	res := r.Resources[:0]
	*r = Record{Resources: res}
}

// SessionName is the role session name of an assumed-role identity (the
// function name for a Lambda execution role's sessions), or "".
func (r *Record) SessionName() []byte {
	if !bytes.Equal(r.Identity.Type, []byte("AssumedRole")) {
		return nil
	}
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
	if i := bytes.Index(r.Identity.ARN, []byte(":assumed-role/")); i >= 0 {
		rest := r.Identity.ARN[i+len(":assumed-role/"):]
		if j := bytes.IndexByte(rest, '/'); j >= 0 {
			return rest[j+1:]
		}
	}
	// principalId is ROLEID:SESSION.
	if i := bytes.IndexByte(r.Identity.PrincipalID, ':'); i >= 0 {
		return r.Identity.PrincipalID[i+1:]
	}
	return nil
}

// RoleARN is the role behind an assumed-role session: the session issuer's
// ARN, else the IAM role ARN rebuilt from the assumed-role ARN (without
// the role's path, which that ARN does not carry).
func (r *Record) RoleARN() []byte {
	if len(r.Identity.IssuerARN) > 0 {
		return r.Identity.IssuerARN
	}
	arn := r.Identity.ARN
	i := bytes.Index(arn, []byte(":assumed-role/"))
	if i < 0 || !bytes.HasPrefix(arn, []byte("arn:")) {
		return nil
	}
	// arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
	fields := bytes.SplitN(arn[:i], []byte(":"), 5)
	if len(fields) != 5 {
		return nil
	}
	role := arn[i+len(":assumed-role/"):]
	if j := bytes.IndexByte(role, '/'); j >= 0 {
		role = role[:j]
	}
	out := make([]byte, 0, len(arn))
	out = append(out, "arn:"...)
	out = append(out, fields[1]...)
	out = append(out, ":iam::"...)
	out = append(out, fields[4]...)
	out = append(out, ":role/"...)
	return append(out, role...)
}

// Partition is the partition of the identity's ARN ("aws" if unknown).
func (r *Record) Partition() string {
	for _, arn := range [][]byte{r.Identity.ARN, r.Identity.IssuerARN} {
		if rest, ok := bytes.CutPrefix(arn, []byte("arn:")); ok {
			if p, _, ok := bytes.Cut(rest, []byte(":")); ok && len(p) > 0 {
				switch string(p) {
				case "aws":
					return "aws"
				case "aws-cn":
					return "aws-cn"
				case "aws-us-gov":
					return "aws-us-gov"
				}
				return string(p)
			}
		}
	}
	return "aws"
}

// Account is the account the call was made in: recipientAccountId, else
// the identity's account.
func (r *Record) Account() []byte {
	if len(r.RecipientAccountID) > 0 {
		return r.RecipientAccountID
	}
	return r.Identity.AccountID
}

// LambdaUserAgent reports whether the call came from a Lambda execution
// environment (an AWS SDK user agent with exec-env/AWS_Lambda_*).
func (r *Record) LambdaUserAgent() bool {
	return bytes.Contains(r.UserAgent, []byte("exec-env/AWS_Lambda_"))
}

// Time parses eventTime (RFC 3339). ok is false when it is missing or
// malformed.
func (r *Record) Time() (time.Time, bool) { return parseTime(r.EventTime) }

// parseTime parses CloudTrail's eventTime: the fixed form
// 2006-01-02T15:04:05Z quickly, anything else through time.Parse.
func parseTime(b []byte) (time.Time, bool) {
	if len(b) == 20 && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == 'Z' {
		n := func(i, j int) (int, bool) {
			v := 0
			for _, c := range b[i:j] {
				if c < '0' || c > '9' {
					return 0, false
				}
				v = v*10 + int(c-'0')
			}
			return v, true
		}
		y, ok1 := n(0, 4)
		mo, ok2 := n(5, 7)
		d, ok3 := n(8, 10)
		h, ok4 := n(11, 13)
		mi, ok5 := n(14, 16)
		s, ok6 := n(17, 19)
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 61 {
			return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC), true
		}
		return time.Time{}, false
	}
	if len(b) == 0 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
