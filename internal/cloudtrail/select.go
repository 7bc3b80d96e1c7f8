package cloudtrail

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Selector picks the records of one execution role's sessions, or of one
// function's, following the data's identify_lambda_caller rule: the
// session issuer is the role (or the assumed-role ARN names it), and
// Lambda names the role session after the function.
type Selector struct {
	// RoleARN, when set, keeps the sessions of this role.
	RoleARN string
	// Function, when set, keeps the sessions named after this function.
	Function string

	partition, account, roleName string
	function                     []byte
}

// NewSelector checks the role ARN (arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME)
// and the function name (a name or a function ARN); at least one is needed.
func NewSelector(roleARN, function string) (*Selector, error) {
	s := &Selector{RoleARN: roleARN, Function: function}
	if roleARN == "" && function == "" {
		return nil, fmt.Errorf("select a role ARN or a function name")
	}
	if roleARN != "" {
		rest, ok := strings.CutPrefix(roleARN, "arn:")
		f := strings.SplitN(rest, ":", 5)
		if !ok || len(f) != 5 || f[1] != "iam" || f[2] != "" || !strings.HasPrefix(f[4], "role/") || strings.HasSuffix(f[4], "/") {
			return nil, fmt.Errorf("role %q: want an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", roleARN)
		}
		s.partition, s.account = f[0], f[3]
		s.roleName = f[4][strings.LastIndexByte(f[4], '/')+1:]
	}
	if function != "" {
		s.Function = inventory.FunctionNameFromARN(function)
		s.function = []byte(s.Function)
	}
	return s, nil
}

// Match reports whether the record is a call made in a selected session.
func (s *Selector) Match(r *Record) bool {
	if !bytes.Equal(r.Identity.Type, []byte("AssumedRole")) {
		return false
	}
	if s.roleName != "" && !s.matchRole(r) {
		return false
	}
	if s.function != nil && !bytes.Equal(r.SessionName(), s.function) {
		return false
	}
	return true
}

// matchRole compares partition, account and role name, so that a role ARN
// given with or without its path matches.
func (s *Selector) matchRole(r *Record) bool {
	arn := r.Identity.IssuerARN
	if len(arn) > 0 {
		// arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME, without allocating.
		rest, ok := bytes.CutPrefix(arn, []byte("arn:"))
		if !ok {
			return false
		}
		partition, rest, ok := bytes.Cut(rest, []byte(":"))
		if !ok || string(partition) != s.partition {
			return false
		}
		rest, ok = bytes.CutPrefix(rest, []byte("iam::"))
		if !ok {
			return false
		}
		account, rest, ok := bytes.Cut(rest, []byte(":"))
		if !ok || string(account) != s.account {
			return false
		}
		name := rest[bytes.LastIndexByte(rest, '/')+1:]
		return bytes.HasPrefix(rest, []byte("role/")) && bytes.EqualFold(name, []byte(s.roleName))
	}
	// No session context (older records): the assumed-role ARN names the role.
	prefix := "arn:" + s.partition + ":sts::" + s.account + ":assumed-role/" + s.roleName + "/"
	return len(r.Identity.ARN) > len(prefix) && strings.EqualFold(string(r.Identity.ARN[:len(prefix)]), prefix)
}
