package pkgscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"

	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// The secret scan is an adapter over internal/secrets. Running the
// detector (gitleaks' 222 rules and its own) over whole files is far too
// slow for 250 MB packages: gitleaks' generic-api-key rule alone runs at
// about 1 MB/s on code, which is full of its keywords (key, token, api, ...).
// So the adapter makes one pass over the bytes to find candidates and hands
// the detector only those, each as a snippet on its own line:
//   - runs of 16 to 1024 token characters ([A-Za-z0-9+/_-], with any "="
//     padding) holding both
//     letters and digits: every key, token and password format the rules
//     know has one (longer runs are data blobs, such as inline images).
//     A run assigned under a secret-like name ("api_key = ...", "token:",
//     the shape of every keyword-and-value rule) goes with the snippetBefore
//     bytes before it; any other run goes alone, which is all that rules for
//     self-identifying formats (AKIA..., ghp_..., sk_live_..., xoxb-...)
//     need, unless it is only hexadecimal digits (hashes, UUIDs, trace IDs:
//     no rule matches those without a name before them). In quiet files
//     (vendored code, minified files, lock files: see lowConfidence) every
//     run goes alone.
//   - "PRIVATE KEY" (PEM and OpenSSH private key headers);
//   - "://" followed by "user:password@" (URLs with credentials), except in
//     quiet files.
//
// The detector is then called only when the snippets can match: when they
// hold a keyword of a gitleaks rule (gitleaks runs a rule only then, so this
// skips nothing it would find) or a candidate of the detector's own rules
// (a private key header, a JWT, a URL with credentials).
//
// Snippets never cross a line, so the detector's line numbers map back to
// the file's. Files are read in windows of windowBytes that overlap by
// overlapBytes, so memory does not grow with the file.
const (
	windowBytes   = 1 << 20
	overlapBytes  = 4 << 10
	snippetBefore = 200
	snippetAfter  = 64
	minTokenRun   = 16
	maxTokenRun   = 1024
)

// lowConfidence are the detector's rules that match shapes rather than
// known formats: on vendored code, minified files and lock files they are
// mostly noise (test fixtures, documentation examples, hashes), so they are
// dropped there. Private keys and known credential formats (AWS, Stripe,
// GitHub, Slack, ...) are kept everywhere.
var lowConfidence = map[string]bool{
	"gitleaks:generic-api-key": true,
	secrets.RuleJWT:            true,
	secrets.RuleConnectionURL:  true,
	secrets.RuleSecretName:     true,
}

// tokenChar marks the bytes of credential-like tokens.
var tokenChar = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 1
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 2
	}
	for _, c := range "+/_-" {
		t[c] = 4
	}
	return t
}()

// textScanner scans text for secrets. It keeps its buffers between files;
// one belongs to each worker.
type textScanner struct {
	det *secrets.Detector
	// quiet is set for files where only high-confidence rules count
	// (vendored code, minified files, lock files): tokens then go to the
	// detector without context, so the generic rule rarely runs.
	quiet bool
	win   []byte
	frag  []byte
	lower []byte
	lines []int
	seen  map[findingKey]bool
	out   []secrets.Finding
	// own is set when the window holds a candidate of the detector's own
	// rules; kw finds gitleaks' keywords.
	own bool
	kw  *ahocorasick.Trie
}

type findingKey struct {
	line int
	rule string
}

func newTextScanner(det *secrets.Detector, kw *ahocorasick.Trie) *textScanner {
	return &textScanner{det: det, kw: kw, seen: map[findingKey]bool{}}
}

// hasKeyword reports whether the fragment holds a keyword of a gitleaks
// rule (compared in lower case, as gitleaks does).
func (ts *textScanner) hasKeyword() bool {
	if ts.kw == nil {
		return true
	}
	ts.lower = append(ts.lower[:0], ts.frag...)
	for i, c := range ts.lower {
		if 'A' <= c && c <= 'Z' {
			ts.lower[i] = c + 'a' - 'A'
		}
	}
	return ts.kw.MatchFirst(ts.lower) != nil
}

// gitleaksKeywords is a matcher of the keywords of gitleaks' default rules,
// built once per process. It fails if a rule that reads content has no
// keywords, since gitleaks would then run it on everything and the
// prefilter would skip what it finds.
var gitleaksKeywords = sync.OnceValues(func() (*ahocorasick.Trie, error) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		return nil, err
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return nil, err
	}
	var kws []string
	for _, r := range vc.Rules {
		if len(r.Keywords) == 0 && r.Regex != "" {
			return nil, fmt.Errorf("gitleaks rule %s has no keywords", r.ID)
		}
		for _, k := range r.Keywords {
			kws = append(kws, strings.ToLower(k))
		}
	}
	return ahocorasick.NewTrieBuilder().AddStrings(kws).Build(), nil
})

// reset starts a new file.
func (ts *textScanner) reset() {
	clear(ts.seen)
	ts.out = ts.out[:0]
}

// scanBytes scans a whole file held in memory.
func (ts *textScanner) scanBytes(b []byte) []secrets.Finding {
	ts.reset()
	line := 0
	for start := 0; ; start += windowBytes {
		end := min(start+windowBytes+overlapBytes, len(b))
		ts.window(b[start:end], line)
		if end == len(b) {
			break
		}
		line += bytes.Count(b[start:start+windowBytes], []byte{'\n'})
	}
	return ts.out
}

// scanReader scans a file read from r, whose first bytes were already read
// into head. It stops with the reader's error, if any.
func (ts *textScanner) scanReader(head []byte, r io.Reader) ([]secrets.Finding, error) {
	ts.reset()
	if cap(ts.win) < windowBytes+overlapBytes {
		ts.win = make([]byte, windowBytes+overlapBytes)
	}
	buf := ts.win[:windowBytes+overlapBytes]
	n := copy(buf, head)
	line := 0
	for {
		m, err := io.ReadFull(r, buf[n:])
		n += m
		done := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !done {
			return ts.out, err
		}
		ts.window(buf[:n], line)
		if done {
			return ts.out, nil
		}
		// Keep the overlap for the next window.
		keep := buf[n-overlapBytes : n]
		line += bytes.Count(buf[:n-overlapBytes], []byte{'\n'})
		n = copy(buf, keep)
	}
}

// window finds candidates in one window (whose first line is line+1 of the
// file) and runs the detector on their snippets.
func (ts *textScanner) window(w []byte, line int) {
	ts.frag = ts.frag[:0]
	ts.lines = ts.lines[:0]
	lastEnd := -1 // end of the last snippet added, to merge overlaps
	lineNo := line + 1
	lineStart := 0
	// add adds w[from:to] (cut at the line's end) to the fragment.
	add := func(from, to int) {
		from = max(from, lineStart)
		to = min(to, len(w))
		if nl := bytes.IndexByte(w[from:to], '\n'); nl >= 0 {
			to = from + nl
		}
		if from < lastEnd {
			// Overlaps the previous snippet on this line: extend it.
			if to > lastEnd {
				ts.frag = append(ts.frag[:len(ts.frag)-1], w[lastEnd:to]...)
				ts.frag = append(ts.frag, '\n')
				lastEnd = to
			}
			return
		}
		ts.frag = append(ts.frag, w[from:to]...)
		ts.frag = append(ts.frag, '\n')
		ts.lines = append(ts.lines, lineNo)
		lastEnd = to
	}

	ts.own = false
	// candidate handles the token run w[s:e] holding character kinds.
	candidate := func(s, e int, kinds uint8) {
		if kinds&3 != 3 || e-s < minTokenRun || e-s > maxTokenRun {
			return
		}
		if !ts.quiet && bytes.HasPrefix(w[s:e], []byte("eyJ")) {
			ts.own = true // a JSON Web Token
		}
		switch {
		case !ts.quiet && assignedUnderKeyword(w, lineStart, s):
			add(s-snippetBefore, e+snippetAfter)
		case !isHex(w[s:e]):
			// A bare hexadecimal run (hash, UUID, trace ID) matches no
			// rule without a name and an assignment before it.
			end := e
			for end < len(w) && end < e+3 && w[end] == '=' {
				end++ // base64 padding
			}
			add(s-1, end+1)
		}
	}
	for i := 0; i < len(w); {
		c := w[i]
		if k := tokenChar[c]; k != 0 {
			// A run of token characters, read in a tight loop.
			s, kinds := i, k
			for i++; i < len(w); i++ {
				k = tokenChar[w[i]]
				if k == 0 {
					break
				}
				kinds |= k
			}
			if i-s == len("PRIVATE") && bytes.Equal(w[s:i], []byte("PRIVATE")) && bytes.HasPrefix(w[i:], []byte(" KEY")) {
				add(s-48, i+len(" KEY-----")+8)
				ts.own = true
			}
			candidate(s, i, kinds)
			continue
		}
		switch c {
		case '\n':
			lineNo++
			lineStart = i + 1
		case ':':
			if !ts.quiet && bytes.HasPrefix(w[i:], []byte("://")) {
				if e := urlWithCredential(w, i+3); e > 0 {
					add(i-32, e)
					ts.own = true
				}
			}
		}
		i++
	}
	if len(ts.lines) == 0 || !(ts.own || ts.hasKeyword()) {
		return
	}
	for _, f := range ts.det.Text(string(ts.frag)) {
		if f.Line < 1 || f.Line > len(ts.lines) {
			continue
		}
		f.Line = ts.lines[f.Line-1]
		k := findingKey{f.Line, f.Rule}
		if ts.seen[k] {
			continue
		}
		ts.seen[k] = true
		ts.out = append(ts.out, f)
	}
}

// genericKeywords are the words gitleaks' generic-api-key rule (and the
// keyword-and-assignment rules of vendors, whose variables are named with
// them) needs before a value.
var genericKeywords = [][]byte{
	[]byte("key"), []byte("token"), []byte("secret"), []byte("pass"), []byte("pwd"),
	[]byte("auth"), []byte("api"), []byte("access"), []byte("cred"),
}

// nameChar marks the bytes of a name before an assignment.
var nameChar = func() (t [256]bool) {
	for c := range 256 {
		t[c] = tokenChar[c] != 0 && c != '+' && c != '/'
	}
	for _, c := range ". \t'\"" {
		t[c] = true
	}
	return t
}()

// assignedUnderKeyword reports whether the token at s is assigned (an
// operator such as =, :, =>, || or , just before it, past quotes and
// spaces) under a name holding a generic keyword: the shape every
// keyword-and-value rule needs. Other tokens
// are handed to the detector without context, which is all that rules for
// self-identifying formats (AKIA..., ghp_..., sk_live_..., xoxb-...) need.
func assignedUnderKeyword(w []byte, lineStart, s int) bool {
	op := -1
scan:
	for i := s - 1; i >= lineStart && i >= s-8; i-- {
		switch w[i] {
		case '=', ':', '>', ',', '|':
			op = i
		case '`', '\'', '"', ' ', '\t', '?':
		default:
			break scan
		}
	}
	if op < 0 {
		return false
	}
	// The name before the operator: word characters, dots, dashes, spaces
	// and quotes, as the rules' patterns allow.
	from := op
	for from > lineStart && op-from < 72 && nameChar[w[from-1]] {
		from--
	}
	var buf [72]byte
	low := buf[:op-from]
	for i, c := range w[from:op] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	for _, k := range genericKeywords {
		if bytes.Contains(low, k) {
			return true
		}
	}
	return false
}

// urlWithCredential returns the end of a "user:pass@host" authority that
// starts at i (just after "://"), or 0 when there is none.
func urlWithCredential(w []byte, i int) int {
	end := min(len(w), i+256)
	colon := false
	for j := i; j < end; j++ {
		switch c := w[j]; {
		case c == ':':
			colon = true
		case c == '@':
			if colon && j > i {
				return min(len(w), j+32)
			}
			return 0
		case c == '/' || c == ' ' || c == '\n' || c == '"' || c == '\'' || c == '\t' || c == '`':
			return 0
		}
	}
	return 0
}

// isHex reports whether b holds only hexadecimal digits and dashes.
func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' || c == '-') {
			return false
		}
	}
	return true
}

// isBinary reports whether head looks like binary data: a NUL byte.
func isBinary(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 }

// isMinified reports whether a text file looks minified: a .min.* name, or
// lines averaging over 1,000 bytes in its first bytes.
func isMinified(lower string, head []byte) bool {
	if strings.Contains(lower, ".min.") || strings.HasSuffix(lower, ".bundle.js") {
		return true
	}
	return len(head) >= 4096 && bytes.Count(head, []byte{'\n'}) < len(head)/1000
}

// isLockFile reports whether a base name is a lock file or package
// metadata full of hashes.
func isLockFile(lower string) bool {
	switch lower {
	case "package-lock.json", ".package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
		"poetry.lock", "pipfile.lock", "uv.lock", "gemfile.lock", "go.sum", "record", "composer.lock", "cargo.lock":
		return true
	}
	return false
}
