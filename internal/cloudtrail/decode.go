package cloudtrail

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// Decoding is streaming: the decoder keeps a window of the input and parses
// one record at a time out of it. A record is parsed from a contiguous
// slice of the window; when the window ends inside a record, the decoder
// moves the unread part to the front, reads more and parses the record
// again. Memory is the window (grown only to hold one record) whatever the
// size of the input.
//
// Accepted shapes, any number of them one after another:
//   - the S3 delivery format: an object whose first key is "Records" (or
//     "Events", as `aws cloudtrail lookup-events` writes) holding an array
//     of records; other keys are skipped;
//   - JSON lines (CloudTrail Lake exports): one record object per line;
//   - an array of record objects.
// A record with a string "CloudTrailEvent" (LookupEvents output) is read
// from that string.

const (
	initialWindow = 256 << 10
	// MaxRecordSize bounds one record (CloudTrail's own limit is 256 KB).
	MaxRecordSize = 64 << 20
	maxDepth      = 512
)

// SyntaxError is malformed input: a JSON syntax error, or a value where a
// record was expected.
type SyntaxError struct {
	Offset int64 // byte offset in the decompressed stream
	Line   int   // 1-based line
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d (byte %d): %s", e.Line, e.Offset, e.Msg)
}

type decState uint8

const (
	stTop        decState = iota // between top-level values
	stArray                      // inside a records array, before an element
	stAfterElem                  // inside a records array, after an element
	stAfterArray                 // inside a container object, after its records array
	stDone
)

// Decoder reads CloudTrail records from one stream.
type Decoder struct {
	r        io.Reader
	buf      []byte
	pos, end int
	base     int64 // stream offset of buf[0]
	lines    int   // newlines before buf[0]
	eof      bool
	err      error // sticky error
	state    decState
	topArray bool // the records array is a top-level array, not in a container
	started  bool
}

// NewDecoder returns a decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	d := &Decoder{buf: make([]byte, initialWindow)}
	d.Reset(r)
	return d
}

// Reset makes the decoder read from r, keeping its window.
func (d *Decoder) Reset(r io.Reader) {
	buf := d.buf
	if cap(buf) > 4*initialWindow {
		buf = make([]byte, initialWindow) // do not keep a window grown for one huge record
	}
	*d = Decoder{r: r, buf: buf[:cap(buf)]}
}

// Next decodes the next record into rec. It returns io.EOF after the last
// record, a *SyntaxError for malformed input, or the reader's error. After
// an error, Next keeps returning it.
func (d *Decoder) Next(rec *Record) error {
	if d.err != nil {
		return d.err
	}
	err := d.next(rec)
	if err != nil {
		d.err = err
	}
	return err
}

func (d *Decoder) next(rec *Record) error {
	for {
		switch d.state {
		case stDone:
			return io.EOF
		case stTop:
			c, err := d.peek()
			if err == io.EOF {
				d.state = stDone
				return io.EOF
			}
			if err != nil {
				return err
			}
			switch c {
			case '[':
				d.pos++
				d.state, d.topArray = stArray, true
				continue
			case '{':
			default:
				return d.syntax(d.pos, fmt.Sprintf("invalid character %s: want a JSON object or array", quoteChar(c)))
			}
			var container bool
			if err := d.parse(func(p *parser) bool {
				ok, isContainer := p.containerStart()
				container = isContainer
				return ok
			}); err != nil {
				return err
			}
			if container {
				d.state, d.topArray = stArray, false
				continue
			}
			return d.record(rec)
		case stArray:
			c, err := d.peek()
			if err != nil {
				return d.eofIn(err, "a records array")
			}
			switch c {
			case ']':
				d.pos++
				d.afterArray()
				continue
			case '{':
				d.state = stAfterElem
				return d.record(rec)
			case 'n':
				d.state = stAfterElem
				if err := d.parse(func(p *parser) bool { return p.literal("null") }); err != nil {
					return err
				}
				continue
			}
			return d.syntax(d.pos, fmt.Sprintf("invalid character %s in a records array: want a record object", quoteChar(c)))
		case stAfterElem:
			c, err := d.peek()
			if err != nil {
				return d.eofIn(err, "a records array")
			}
			switch c {
			case ',':
				d.pos++
				d.state = stArray
				continue
			case ']':
				d.pos++
				d.afterArray()
				continue
			}
			return d.syntax(d.pos, fmt.Sprintf("invalid character %s after a record: want , or ]", quoteChar(c)))
		case stAfterArray:
			c, err := d.peek()
			if err != nil {
				return d.eofIn(err, "the top-level object")
			}
			switch c {
			case '}':
				d.pos++
				d.state = stTop
				continue
			case ',':
			default:
				return d.syntax(d.pos, fmt.Sprintf("invalid character %s after the records array: want , or }", quoteChar(c)))
			}
			var records bool
			if err := d.parse(func(p *parser) bool {
				ok, isRecords := p.containerMember()
				records = isRecords
				return ok
			}); err != nil {
				return err
			}
			if records {
				d.state = stArray
			}
		}
	}
}

func (d *Decoder) afterArray() {
	if d.topArray {
		d.state = stTop
	} else {
		d.state = stAfterArray
	}
}

// record parses one record object at d.pos. It is parse without a
// closure, which would cost an allocation per record.
func (d *Decoder) record(rec *Record) error {
	for {
		p := parser{b: d.buf[d.pos:d.end]}
		rec.reset()
		if p.record(rec, 0) {
			rec.Offset = d.base + int64(d.pos)
			d.pos += p.i
			return nil
		}
		if p.err != nil {
			return d.syntax(d.pos+p.err.off, p.err.msg)
		}
		if d.eof {
			return d.syntax(d.end, "unexpected end of input")
		}
		if err := d.fill(); err != nil {
			return err
		}
	}
}

// peek skips white space (and a leading byte order mark) and returns the
// next byte without consuming it; io.EOF at the end of the input.
func (d *Decoder) peek() (byte, error) {
	for {
		for d.pos < d.end {
			switch c := d.buf[d.pos]; c {
			case ' ', '\t', '\n', '\r':
				d.pos++
			case 0xEF:
				if !d.started && d.base == 0 && d.pos == 0 {
					if d.end-d.pos < 3 && !d.eof {
						goto more
					}
					if bytes.HasPrefix(d.buf[d.pos:d.end], []byte("\xEF\xBB\xBF")) {
						d.pos += 3
						d.started = true
						continue
					}
				}
				d.started = true
				return c, nil
			default:
				d.started = true
				return c, nil
			}
		}
	more:
		if d.eof {
			return 0, io.EOF
		}
		if err := d.fill(); err != nil {
			return 0, err
		}
	}
}

// eofIn turns an end of input inside a structure into a syntax error.
func (d *Decoder) eofIn(err error, where string) error {
	if err == io.EOF {
		return d.syntax(d.end, "unexpected end of input inside "+where)
	}
	return err
}

// parse runs fn on the unread window. When fn runs out of input it reads
// more and runs fn again from the same place; on success it consumes what
// fn parsed.
func (d *Decoder) parse(fn func(p *parser) bool) error {
	for {
		p := parser{b: d.buf[d.pos:d.end]}
		if fn(&p) {
			d.pos += p.i
			return nil
		}
		if p.err != nil {
			return d.syntax(d.pos+p.err.off, p.err.msg)
		}
		// Short: the window ended inside the value.
		if d.eof {
			return d.syntax(d.end, "unexpected end of input")
		}
		if err := d.fill(); err != nil {
			return err
		}
	}
}

// fill moves the unread bytes to the front of the window (growing it when
// it is full) and reads more.
func (d *Decoder) fill() error {
	if d.pos > 0 {
		d.lines += bytes.Count(d.buf[:d.pos], []byte{'\n'})
		n := copy(d.buf, d.buf[d.pos:d.end])
		d.base += int64(d.pos)
		d.pos, d.end = 0, n
	}
	if d.end == len(d.buf) {
		if len(d.buf) >= MaxRecordSize {
			return d.syntax(d.end, fmt.Sprintf("a value is larger than %d MiB", MaxRecordSize>>20))
		}
		nb := make([]byte, min(2*len(d.buf), MaxRecordSize))
		copy(nb, d.buf[:d.end])
		d.buf = nb
	}
	for {
		n, err := d.r.Read(d.buf[d.end:])
		d.end += n
		if err == io.EOF {
			d.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

// syntax returns a SyntaxError at window index i.
func (d *Decoder) syntax(i int, msg string) error {
	i = min(max(i, 0), d.end)
	return &SyntaxError{
		Offset: d.base + int64(i),
		Line:   d.lines + bytes.Count(d.buf[:i], []byte{'\n'}) + 1,
		Msg:    msg,
	}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	if c < utf8.RuneSelf && c >= 0x20 {
		return "'" + string(c) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}

// ---- the parser over one contiguous slice ----

// parseError is a syntax error at offset off of the parser's slice.
type parseError struct {
	off int
	msg string
}

// parser parses JSON from b. A method returns false when it fails: err is
// set for a syntax error, and nil when b ended first (the caller reads
// more and tries again).
type parser struct {
	b     []byte
	i     int
	err   *parseError
	depth int
}

func (p *parser) fail(msg string) bool {
	if p.err == nil {
		p.err = &parseError{off: p.i, msg: msg}
	}
	return false
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte; ok is false at the end.
func (p *parser) next() (byte, bool) {
	p.ws()
	if p.i >= len(p.b) {
		return 0, false
	}
	return p.b[p.i], true
}

// expect consumes byte c after white space.
func (p *parser) expect(c byte, what string) bool {
	got, ok := p.next()
	if !ok {
		return false
	}
	if got != c {
		return p.fail(fmt.Sprintf("invalid character %s: want %s", quoteChar(got), what))
	}
	p.i++
	return true
}

// str reads a string at p.i (after white space) and returns its raw
// content and whether it holds escapes.
func (p *parser) str() (raw []byte, escaped bool, ok bool) {
	c, ok := p.next()
	if !ok {
		return nil, false, false
	}
	if c != '"' {
		return nil, false, p.fail(fmt.Sprintf("invalid character %s: want a string", quoteChar(c)))
	}
	start := p.i + 1
	k := bytes.IndexByte(p.b[start:], '"')
	if k < 0 {
		return nil, false, false
	}
	end := start + k
	if bytes.IndexByte(p.b[start:end], '\\') < 0 {
		p.i = end + 1
		return p.b[start:end], false, true
	}
	// Slow path: find the closing quote past escapes.
	for j := start; j < len(p.b); j++ {
		switch p.b[j] {
		case '\\':
			j++
		case '"':
			p.i = j + 1
			return p.b[start:j], true, true
		}
	}
	return nil, false, false
}

// text reads a string value and returns it unescaped. A value that is not
// a string is skipped and gives nil.
func (p *parser) text() ([]byte, bool) {
	c, ok := p.next()
	if !ok {
		return nil, false
	}
	if c != '"' {
		return nil, p.skip()
	}
	raw, esc, ok := p.str()
	if !ok {
		return nil, false
	}
	if !esc {
		return raw, true
	}
	s, good := unescape(raw)
	if !good {
		p.i -= len(raw) + 1
		return nil, p.fail("invalid escape in a string")
	}
	return s, true
}

// literal consumes a literal (true, false, null).
func (p *parser) literal(lit string) bool {
	p.ws()
	rest := p.b[p.i:]
	if len(rest) < len(lit) {
		if !bytes.HasPrefix([]byte(lit), rest) {
			return p.fail("invalid literal")
		}
		return false
	}
	if string(rest[:len(lit)]) != lit {
		return p.fail("invalid literal")
	}
	p.i += len(lit)
	if p.i < len(p.b) && isLetter(p.b[p.i]) {
		return p.fail("invalid literal")
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// number consumes a number. It needs the byte after the number to know
// that it ended.
func (p *parser) number() bool {
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			p.i++
		default:
			if p.i == start {
				return p.fail(fmt.Sprintf("invalid character %s: want a value", quoteChar(c)))
			}
			return true
		}
	}
	return false
}

// skip consumes one value of any kind.
func (p *parser) skip() bool {
	c, ok := p.next()
	if !ok {
		return false
	}
	switch {
	case c == '"':
		_, _, ok := p.str()
		return ok
	case c == '{':
		return p.object(func(_ []byte) bool { return p.skip() })
	case c == '[':
		return p.array(func() bool { return p.skip() })
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return p.fail(fmt.Sprintf("invalid character %s: want a value", quoteChar(c)))
}

// object consumes an object, calling member for each key with p.i at its
// value; member must consume the value.
func (p *parser) object(member func(key []byte) bool) bool {
	if !p.expect('{', "an object") {
		return false
	}
	if p.depth++; p.depth > maxDepth {
		return p.fail("nesting too deep")
	}
	defer func() { p.depth-- }()
	c, ok := p.next()
	if !ok {
		return false
	}
	if c == '}' {
		p.i++
		return true
	}
	for {
		key, esc, ok := p.str()
		if !ok {
			return false
		}
		if esc {
			if key, ok = unescape(key); !ok {
				return p.fail("invalid escape in a key")
			}
		}
		if !p.expect(':', "':' after an object key") {
			return false
		}
		if !member(key) {
			return false
		}
		c, ok := p.next()
		if !ok {
			return false
		}
		switch c {
		case ',':
			p.i++
		case '}':
			p.i++
			return true
		default:
			return p.fail(fmt.Sprintf("invalid character %s after an object value: want , or }", quoteChar(c)))
		}
	}
}

// array consumes an array, calling elem with p.i at each element; elem
// must consume it.
func (p *parser) array(elem func() bool) bool {
	if !p.expect('[', "an array") {
		return false
	}
	if p.depth++; p.depth > maxDepth {
		return p.fail("nesting too deep")
	}
	defer func() { p.depth-- }()
	c, ok := p.next()
	if !ok {
		return false
	}
	if c == ']' {
		p.i++
		return true
	}
	for {
		if !elem() {
			return false
		}
		c, ok := p.next()
		if !ok {
			return false
		}
		switch c {
		case ',':
			p.i++
		case ']':
			p.i++
			return true
		default:
			return p.fail(fmt.Sprintf("invalid character %s after an array element: want , or ]", quoteChar(c)))
		}
	}
}

// containerStart reads `{ "KEY" :` at the start of a top-level object. For
// a container ("Records" or "Events" holding an array) it consumes through
// the array's '[' and reports container; otherwise it consumes nothing (the
// object is a record, or empty, and is read as such).
func (p *parser) containerStart() (ok, container bool) {
	if !p.expect('{', "an object") {
		return false, false
	}
	c, ok := p.next()
	if !ok {
		return false, false
	}
	if c == '}' {
		p.i = 0
		return true, false
	}
	key, _, ok := p.str()
	if !ok {
		return false, false
	}
	if string(key) != "Records" && string(key) != "Events" {
		p.i = 0
		return true, false
	}
	if !p.expect(':', "':' after an object key") {
		return false, false
	}
	c, ok = p.next()
	if !ok {
		return false, false
	}
	if c != '[' {
		p.i = 0
		return true, false
	}
	p.i++
	return true, true
}

// containerMember reads `, "KEY" :` after the records array of a container.
// For another records array it consumes through '[' and reports records;
// otherwise it skips the member's value.
func (p *parser) containerMember() (ok, records bool) {
	if !p.expect(',', "','") {
		return false, false
	}
	key, esc, ok := p.str()
	if !ok {
		return false, false
	}
	if !p.expect(':', "':' after an object key") {
		return false, false
	}
	c, ok := p.next()
	if !ok {
		return false, false
	}
	if !esc && (string(key) == "Records" || string(key) == "Events") && c == '[' {
		p.i++
		return true, true
	}
	return p.skip(), false
}

// unescape decodes the escapes of a JSON string's raw content into a new
// slice; ok is false for an invalid escape.
func unescape(raw []byte) ([]byte, bool) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(raw) {
			return nil, false
		}
		switch raw[i] {
		case '"', '\\', '/':
			out = append(out, raw[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(raw[i+1:])
			if !ok {
				return nil, false
			}
			i += 4
			if r >= 0xD800 && r < 0xDC00 {
				// A surrogate pair.
				if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					if r2, ok := hex4(raw[i+3:]); ok && r2 >= 0xDC00 && r2 < 0xE000 {
						r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			} else if r >= 0xDC00 && r < 0xE000 {
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, false
		}
	}
	return out, true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// InputOffset is the number of (decompressed) bytes read from the input
// so far.
func (d *Decoder) InputOffset() int64 { return d.base + int64(d.end) }
