package terraform

import (
	"bytes"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

const waiverTag = "lambdawarden:ignore"

// waiverSpec is one check waived by an inline comment, before it is
// attached to the instances of its resource.
type waiverSpec struct {
	check     string
	reason    string
	expires   string
	file      string // display path
	startLine int
	endLine   int
	loc       srcloc.Location
}

// attachWaivers finds `# lambdawarden:ignore ...` comments in a file and
// attaches them to the resource block they precede or sit in.
func (l *loader) attachWaivers(name string, src []byte, blocks []*resourceConfig) {
	if !bytes.Contains(src, []byte(waiverTag)) {
		return
	}
	toks, _ := hclsyntax.LexConfig(src, name, hcl.Pos{Line: 1, Column: 1})
	for i, t := range toks {
		if t.Type != hclsyntax.TokenComment || !strings.Contains(string(t.Bytes), waiverTag) {
			continue
		}
		line := t.Range.Start.Line
		var target *resourceConfig
		for _, rc := range blocks {
			if rc.rng.Start.Line <= line && line <= rc.rng.End.Line {
				target = rc
				break
			}
		}
		if target == nil {
			// The next significant token must open a resource block.
			for _, n := range toks[i+1:] {
				if n.Type == hclsyntax.TokenComment || n.Type == hclsyntax.TokenNewline {
					continue
				}
				for _, rc := range blocks {
					if rc.rng.Start.Line == n.Range.Start.Line && rc.rng.Start.Byte == n.Range.Start.Byte {
						target = rc
					}
				}
				break
			}
		}
		if target == nil {
			l.errorf(name, line, "%s comment is not on the line before or inside a resource block", waiverTag)
			continue
		}
		text := string(t.Bytes)
		text = text[strings.Index(text, waiverTag)+len(waiverTag):]
		text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "*/"))
		checks, reason, expires, bad := parseWaiver(text)
		if len(checks) == 0 {
			l.errorf(name, line, "%s comment names no check", waiverTag)
			continue
		}
		if bad != "" {
			l.errorf(name, line, "waiver for %s: %s", strings.Join(checks, ","), bad)
			continue
		}
		if reason == "" {
			l.errorf(name, line, "waiver for %s has no reason", strings.Join(checks, ","))
			continue
		}
		if expires != "" {
			if _, err := time.Parse("2006-01-02", expires); err != nil {
				l.errorf(name, line, "waiver for %s has an invalid expires date %q (want YYYY-MM-DD)", strings.Join(checks, ","), expires)
				continue
			}
		}
		for _, c := range checks {
			target.waivers = append(target.waivers, waiverSpec{
				check: c, reason: reason, expires: expires,
				file: l.display(name), startLine: target.rng.Start.Line, endLine: target.rng.End.Line,
				loc: l.loc(t.Range),
			})
		}
	}
}

// parseWaiver splits `ID[,ID...] reason="..." expires=YYYY-MM-DD`.
func parseWaiver(s string) (checks []string, reason, expires, bad string) {
	i := 0
	var idText strings.Builder
	// IDs: everything up to the first key=value.
	for i < len(s) {
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		word := s[i:j]
		if strings.Contains(word, "=") {
			break
		}
		idText.WriteString(word)
		i = j
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	for _, c := range strings.Split(idText.String(), ",") {
		if c = strings.TrimSpace(c); c != "" {
			checks = append(checks, c)
		}
	}
	for i < len(s) {
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return checks, reason, expires, "cannot read " + strings.TrimSpace(s[i:])
		}
		key := strings.TrimSpace(s[i : i+eq])
		i += eq + 1
		var val string
		if i < len(s) && s[i] == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				i++
				if c == '"' {
					closed = true
					break
				}
				b.WriteByte(c)
			}
			if !closed {
				return checks, reason, expires, "unterminated quote in " + key
			}
			val = b.String()
		} else {
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			val = s[i:j]
			i = j
		}
		switch key {
		case "reason":
			reason = strings.TrimSpace(val)
		case "expires":
			expires = strings.TrimSpace(val)
		default:
			return checks, reason, expires, "unknown key " + key
		}
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	return checks, reason, expires, ""
}

// instanceWaivers attaches a resource's waivers to one of its instances.
func instanceWaivers(specs []waiverSpec, addr string) []inventory.InlineWaiver {
	out := make([]inventory.InlineWaiver, 0, len(specs))
	for _, w := range specs {
		out = append(out, inventory.InlineWaiver{
			ResourceID: addr, File: w.file, StartLine: w.startLine, EndLine: w.endLine,
			Check: w.check, Reason: w.reason, Expires: w.expires, Loc: w.loc,
		})
	}
	return out
}
