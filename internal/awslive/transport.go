package awslive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// limits bound the calls in flight: one semaphore per account and one per
// account and region. A call takes its region's slot, then the account's,
// always in that order.
type limits struct {
	region  chan struct{}
	account chan struct{}
}

func newLimits(account chan struct{}, region int) *limits {
	return &limits{account: account, region: make(chan struct{}, region)}
}

// limitedClient is the HTTP client of every service client: it holds a
// slot for each attempt (retries wait for the backoff without one) and
// counts the attempts.
type limitedClient struct {
	base  aws.HTTPClient
	lim   *limits
	stats *callStats
}

func (c *limitedClient) Do(r *http.Request) (*http.Response, error) {
	if c.lim != nil {
		if err := acquire(r.Context(), c.lim.region); err != nil {
			return nil, err
		}
		defer func() { <-c.lim.region }()
		if err := acquire(r.Context(), c.lim.account); err != nil {
			return nil, err
		}
		defer func() { <-c.lim.account }()
	}
	resp, err := c.base.Do(r)
	c.stats.calls.Add(1)
	if err == nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable ||
		(resp.StatusCode == http.StatusBadRequest && strings.Contains(resp.Header.Get("X-Amzn-Query-Error"), "Throttling"))) {
		c.stats.throttles.Add(1)
	}
	return resp, err
}

func acquire(ctx context.Context, sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type callStats struct {
	calls, throttles atomic.Int64
}

func (s *callStats) snapshot() Stats {
	return Stats{Calls: s.calls.Load(), Throttle: s.throttles.Load()}
}

// errorLog gathers the failed calls of one account: one inventory.Error per
// scope, API call and error code, with the number of calls that failed so.
type errorLog struct {
	mu   sync.Mutex
	errs map[string]*errEntry
}

type errEntry struct {
	source, msg string
	n           int
}

func newErrorLog() *errorLog { return &errorLog{errs: map[string]*errEntry{}} }

// add records a failed call and returns the reason to give the values it
// leaves unknown: "lambda:GetPolicy: AccessDeniedException".
func (l *errorLog) add(scope, api string, err error) string {
	code, msg := errorCode(err)
	why := api + ": " + code
	l.mu.Lock()
	defer l.mu.Unlock()
	key := scope + " " + api + " " + code
	if e, ok := l.errs[key]; ok {
		e.n++
	} else {
		l.errs[key] = &errEntry{source: scope + " " + api, msg: code + ": " + msg, n: 1}
	}
	return why
}

func (l *errorLog) list() []inventory.Error {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]inventory.Error, 0, len(l.errs))
	for _, e := range l.errs {
		msg := e.msg
		if e.n > 1 {
			msg += fmt.Sprintf(" (%d calls)", e.n)
		}
		out = append(out, inventory.Error{Source: e.source, Message: msg})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		return out[i].Message < out[j].Message
	})
	return out
}

// errorCode returns an API error's code and message without request IDs,
// so that errors compare across runs.
func errorCode(err error) (code, msg string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code, msg = ae.ErrorCode(), ae.ErrorMessage()
		if msg == "" {
			msg = code
		}
		return code, msg
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "Canceled", err.Error()
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return fmt.Sprintf("HTTP%d", re.HTTPStatusCode()), re.Err.Error()
	}
	return "Error", err.Error()
}

// isCode reports whether err is an API error with one of the codes.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}

// isDenied reports whether err is an authorization failure.
func isDenied(err error) bool {
	return isCode(err, "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
		"AuthorizationError", "AuthorizationErrorException", "NotAuthorized")
}
