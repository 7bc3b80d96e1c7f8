package pkgscan

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/lambdawarden/lambdawarden/internal/secrets"
)

// The secret scan is an adapter over internal/secrets. Running every rule
// of the detector (gitleaks' 222 and its own) over whole files is far too
// slow for 250 MB packages (well under 10 MB/s), so the adapter first finds
// candidate spans with a single pass over the bytes and hands the detector
// only the text around them:
//   - runs of 16 to 1024 token characters ([A-Za-z0-9+/=_-]) holding both
//     letters and digits: every key, token and password format the rules
//     know has one (longer runs are data blobs, such as inline images);
//   - "PRIVATE KEY" (PEM and OpenSSH private key headers);
//   - "://" followed by "@" within the same token (URLs with credentials).
//
// Each candidate becomes a snippet from snippetBefore bytes before it to
// snippetAfter bytes after it, cut at line ends, so rules that need the key
// name before the value ("stripe_key = ...") still see it. Files are read in
// windows of windowBytes that overlap by overlapBytes, so memory does not
// grow with the file.
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
	for _, c := range "+/=_-" {
		t[c] = 4
	}
	return t
}()

// textScanner scans text for secrets. It keeps its buffers between files;
// one belongs to each worker.
type textScanner struct {
	det   *secrets.Detector
	win   []byte
	frag  []byte
	lines []int
	seen  map[findingKey]bool
	out   []secrets.Finding
}

type findingKey struct {
	line int
	rule string
}

func newTextScanner(det *secrets.Detector) *textScanner {
	return &textScanner{det: det, seen: map[findingKey]bool{}}
}

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
	add := func(s, e int) {
		// Cut the candidate and the snippet at the line's ends.
		from := max(lineStart, s-snippetBefore)
		to := min(len(w), e+snippetAfter)
		if nl := bytes.IndexByte(w[s:to], '\n'); nl >= 0 {
			to = s + nl
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

	runStart, kinds := -1, uint8(0)
	endRun := func(i int) {
		if runStart >= 0 && kinds&3 == 3 && i-runStart >= minTokenRun && i-runStart <= maxTokenRun {
			add(runStart, i)
		}
		runStart, kinds = -1, 0
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		k := tokenChar[c]
		if k != 0 {
			if runStart < 0 {
				runStart = i
			}
			kinds |= k
			continue
		}
		if runStart >= 0 {
			if c == ' ' && i-runStart == len("PRIVATE") && bytes.Equal(w[runStart:i], []byte("PRIVATE")) &&
				bytes.HasPrefix(w[i:], []byte(" KEY")) {
				add(runStart, i+len(" KEY"))
			}
			endRun(i)
		}
		switch c {
		case '\n':
			lineNo++
			lineStart = i + 1
		case ':':
			if bytes.HasPrefix(w[i:], []byte("://")) {
				if e := urlWithCredential(w, i+3); e > 0 {
					add(i, e)
				}
			}
		}
	}
	endRun(len(w))
	if len(ts.lines) == 0 {
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
