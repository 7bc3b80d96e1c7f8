package awstest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultAccount is the account of callers the proxy has not seen assume a
// role (moto's default account).
const DefaultAccount = "123456789012"

// FaultKind is what a fault injects.
type FaultKind int

const (
	// Throttle answers with the service's throttling error (HTTP 429 or 400
	// with ThrottlingException, TooManyRequestsException, Throttling or
	// RequestLimitExceeded, as the service really does).
	Throttle FaultKind = iota
	// Deny answers with the service's access-denied error.
	Deny
)

// Fault injects an error into matching calls. Empty fields match anything.
type Fault struct {
	Kind      FaultKind
	Service   string // signing name: lambda, iam, logs, monitoring, ...
	Operation string // SDK operation name: GetPolicy, ...
	Account   string
	Region    string
	// Rate is the fraction of matching calls that fail (0 means all).
	Rate float64
}

func (f Fault) matches(r *Request) bool {
	return (f.Service == "" || f.Service == r.Service) &&
		(f.Operation == "" || f.Operation == r.Operation) &&
		(f.Account == "" || f.Account == r.Account) &&
		(f.Region == "" || f.Region == r.Region)
}

// Call is one recorded API call attempt.
type Call struct {
	Service   string
	Operation string
	Account   string
	Region    string
	Status    int
	// Injected names the injected fault ("throttle", "deny"), or "".
	Injected string
	// Emulated is true when the proxy answered instead of the backend.
	Emulated bool
}

// Options configure a Proxy.
type Options struct {
	// Backend answers what the proxy does not: moto's handler (see
	// Forward), or a synthetic server. Required.
	Backend http.Handler
	// Emulate turns on the answers for what moto lacks (see emulate.go).
	Emulate bool
	// Latency is added to every call.
	Latency time.Duration
	// Seed makes fault sampling reproducible.
	Seed int64
	// DefaultAccount is the account of unknown access keys (DefaultAccount).
	DefaultAccount string
}

// Proxy is an HTTP server in front of an AWS emulator that adds latency,
// injects throttling and access-denied errors per API call, records every
// call, and answers calls the emulator lacks in the services' real wire
// formats. Point the SDK at URL (BaseEndpoint or AWS_ENDPOINT_URL).
type Proxy struct {
	URL string

	opts   Options
	server *httptest.Server

	mu      sync.Mutex
	rng     *rand.Rand
	faults  []Fault
	calls   []Call
	keys    map[string]identity // access key -> who
	latency time.Duration

	emu *emulator
}

// identity is who an access key belongs to.
type identity struct {
	account string
	arn     string // the assumed-role ARN, or "" for the account's default user
	roleARN string
}

// NewProxy starts a proxy and closes it when the test ends.
func NewProxy(tb testing.TB, opts Options) *Proxy {
	tb.Helper()
	p := StartProxy(opts)
	tb.Cleanup(p.Close)
	return p
}

// StartProxy starts a proxy; Close stops it.
func StartProxy(opts Options) *Proxy {
	if opts.DefaultAccount == "" {
		opts.DefaultAccount = DefaultAccount
	}
	p := &Proxy{opts: opts, rng: rand.New(rand.NewSource(opts.Seed)), keys: map[string]identity{}, latency: opts.Latency}
	if opts.Emulate {
		p.emu = newEmulator()
	}
	p.server = httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	p.server.Config.MaxHeaderBytes = 1 << 20
	p.server.Start()
	p.URL = p.server.URL
	return p
}

// Close stops the proxy.
func (p *Proxy) Close() { p.server.Close() }

// SetLatency changes the latency added to every call.
func (p *Proxy) SetLatency(d time.Duration) {
	p.mu.Lock()
	p.latency = d
	p.mu.Unlock()
}

// AddFault adds a fault.
func (p *Proxy) AddFault(f Fault) {
	p.mu.Lock()
	p.faults = append(p.faults, f)
	p.mu.Unlock()
}

// ClearFaults removes every fault.
func (p *Proxy) ClearFaults() {
	p.mu.Lock()
	p.faults = nil
	p.mu.Unlock()
}

// Calls returns the calls recorded so far, in arrival order.
func (p *Proxy) Calls() []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Call(nil), p.calls...)
}

// ResetCalls forgets the recorded calls.
func (p *Proxy) ResetCalls() {
	p.mu.Lock()
	p.calls = nil
	p.mu.Unlock()
}

// Operations returns the distinct "service:Operation" pairs recorded, sorted.
func (p *Proxy) Operations() []string {
	set := map[string]bool{}
	for _, c := range p.Calls() {
		set[c.Service+":"+c.Operation] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	req := identify(r, body)

	p.mu.Lock()
	id, known := p.keys[req.AccessKey]
	if !known {
		id = identity{account: p.opts.DefaultAccount}
	}
	req.Account = id.account
	latency := p.latency
	var fault *Fault
	for i := range p.faults {
		f := p.faults[i]
		if f.matches(req) && (f.Rate <= 0 || p.rng.Float64() < f.Rate) {
			fault = &f
			break
		}
	}
	p.mu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}

	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	call := Call{Service: req.Service, Operation: req.Operation, Account: req.Account, Region: req.Region}
	switch {
	case fault != nil:
		writeFault(rec, req, fault.Kind)
		call.Injected = map[FaultKind]string{Throttle: "throttle", Deny: "deny"}[fault.Kind]
	case p.emu != nil && p.emu.handle(p, rec, req, id):
		call.Emulated = true
	default:
		p.forward(rec, req, id)
	}
	call.Status = rec.status
	p.mu.Lock()
	p.calls = append(p.calls, call)
	p.mu.Unlock()
}

// forward sends the request to the backend, letting the emulator see and
// patch the exchange.
func (p *Proxy) forward(w http.ResponseWriter, req *Request, id identity) {
	if h, ok := p.opts.Backend.(APIHandler); ok {
		h.ServeAPI(w, req)
		return
	}
	if p.emu == nil {
		p.opts.Backend.ServeHTTP(w, req.HTTP)
		return
	}
	rec := httptest.NewRecorder()
	body := p.emu.before(req)
	req.HTTP.Body = io.NopCloser(bytes.NewReader(body))
	req.HTTP.ContentLength = int64(len(body))
	req.HTTP.Header.Set("Content-Length", strconv.Itoa(len(body)))
	p.opts.Backend.ServeHTTP(rec, req.HTTP)
	resp := rec.Result()
	out, _ := io.ReadAll(resp.Body)
	out = p.emu.after(p, req, id, resp.StatusCode, out)
	for k, v := range resp.Header {
		if strings.EqualFold(k, "Content-Length") {
			continue
		}
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(out)
}

// learnKey remembers who an access key belongs to (from an AssumeRole answer).
func (p *Proxy) learnKey(key string, id identity) {
	p.mu.Lock()
	p.keys[key] = id
	p.mu.Unlock()
}

// recorder keeps the status written.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Forward returns a handler that sends requests on to base (moto_server).
func Forward(base string) http.Handler {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
		}
		out, err := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out.Header = r.Header.Clone()
		out.Host = r.Host
		resp, err := client.Do(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
}

// requestID is a fixed-format request ID for emulated answers.
func requestID() string { return "a1b2c3d4-0000-4000-8000-000000000000" }

// writeFault writes the service's real error for a throttled or denied call.
func writeFault(w http.ResponseWriter, r *Request, kind FaultKind) {
	action := IAMAction(r.Service, r.Operation)
	denied := fmt.Sprintf("User: arn:aws:iam::%s:user/auditor is not authorized to perform: %s on resource: * because no identity-based policy allows the %s action", r.Account, action, action)
	switch ServiceProtocol(r.Service) {
	case ProtoQuery:
		code, status, msg := "Throttling", http.StatusBadRequest, "Rate exceeded"
		if kind == Deny {
			code, status, msg = "AccessDenied", http.StatusForbidden, denied
		}
		writeXML(w, status, queryError{Error: queryErrorBody{Type: "Sender", Code: code, Message: msg}, RequestID: requestID()})
	case ProtoEC2:
		code, status, msg := "RequestLimitExceeded", http.StatusServiceUnavailable, "Request limit exceeded."
		if kind == Deny {
			code, status, msg = "UnauthorizedOperation", http.StatusForbidden, "You are not authorized to perform this operation. User: arn:aws:iam::"+r.Account+":user/auditor is not authorized to perform: "+action
		}
		writeXML(w, status, ec2Error{Errors: []ec2ErrorBody{{Code: code, Message: msg}}, RequestID: requestID()})
	case ProtoRESTJSON:
		code, status, body := "ThrottlingException", http.StatusTooManyRequests, `{"message":"Rate exceeded"}`
		if r.Service == "lambda" {
			code, body = "TooManyRequestsException", `{"Reason":"CallerRateLimitExceeded","Type":"User","message":"Rate exceeded"}`
		}
		if kind == Deny {
			code, status, body = "AccessDeniedException", http.StatusForbidden, jsonString("Message", denied)
		}
		w.Header().Set("X-Amzn-ErrorType", code+":http://internal.amazon.com/coral/com.amazon.coral.service/")
		w.Header().Set("X-Amzn-RequestId", requestID())
		w.Header().Set("Content-Type", "application/json")
		if kind == Throttle {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	case ProtoCBOR:
		code, query, status, msg := "ThrottlingException", "Throttling;Sender", http.StatusBadRequest, "Rate exceeded"
		if kind == Deny {
			code, query, status, msg = "AccessDeniedException", "AccessDenied;Sender", http.StatusForbidden, denied
		}
		writeCBORError(w, status, "com.amazonaws.cloudwatch#"+code, query, msg)
	default: // awsJson1.1
		code := "ThrottlingException"
		if r.Service == "organizations" {
			code = "TooManyRequestsException"
		}
		status, msg := http.StatusBadRequest, "Rate exceeded"
		if kind == Deny {
			code, msg = "AccessDeniedException", denied
		}
		w.Header().Set("X-Amzn-RequestId", requestID())
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"__type":"`+code+`",`+strings.TrimPrefix(jsonString("message", msg), "{"))
	}
}

type queryError struct {
	XMLName   xml.Name       `xml:"ErrorResponse"`
	Error     queryErrorBody `xml:"Error"`
	RequestID string         `xml:"RequestId"`
}

type queryErrorBody struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type ec2Error struct {
	XMLName   xml.Name       `xml:"Response"`
	Errors    []ec2ErrorBody `xml:"Errors>Error"`
	RequestID string         `xml:"RequestID"`
}

type ec2ErrorBody struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(status)
	_, _ = w.Write(append([]byte(xml.Header), b...))
}
