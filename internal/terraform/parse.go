package terraform

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// pieceSize is the size a large native-syntax file is parsed in (see
// parseNative).
const pieceSize = 1 << 10

// parseNative parses a native-syntax configuration file into the body
// hclsyntax.ParseConfig returns for it.
//
// hclsyntax lexes its whole input into one slice of tokens (about 100 bytes
// each, several per line) before parsing, and growing that slice by
// appending allocates several times its final size: for large files most
// of what parsing allocates, and all of it garbage once parsed. So a file
// is parsed a run of top-level blocks (about pieceSize bytes) at a time, and
// the blocks joined into one body. Pieces end after a line that is only a
// closing brace. Such a line need not close a top-level
// block (it may be inside a heredoc or a comment, or the file may be
// formatted oddly), but then the piece ends inside an open construct and
// does not parse cleanly: whenever a piece has a diagnostic, or a top-level
// attribute (which may be set twice across pieces), the file is parsed
// whole instead. A piece that does parse cleanly ends where the whole file
// is between two top-level items, so its tokens and blocks are those of the
// whole file, positions included (each piece starts at its own line,
// column and byte offset) - provided the next piece is lexed as it would be
// there: the one thing the lexer treats differently at the start of its
// input is a byte order mark, so a piece may not start with one.
func parseNative(src []byte, name string) (hcl.Body, hcl.Diagnostics) {
	start := hcl.Pos{Line: 1, Column: 1}
	if len(src) >= 2*pieceSize {
		if body := parsePieces(src, name, pieceSize); body != nil {
			return body, nil
		}
	}
	file, diags := hclsyntax.ParseConfig(src, name, start)
	if file == nil {
		return nil, diags
	}
	return file.Body, diags
}

// parsePieces parses src in pieces of about size bytes, or returns nil
// when src must be parsed whole.
func parsePieces(src []byte, name string, size int) *hclsyntax.Body {
	var out *hclsyntax.Body
	pos := hcl.Pos{Line: 1, Column: 1}
	for off := 0; off < len(src); {
		if off > 0 && bytes.HasPrefix(src[off:], utf8BOM) {
			// Skipped at the start of an input, invalid anywhere else.
			return nil
		}
		end := pieceEnd(src, off+size)
		if len(src)-end < size/2 {
			end = len(src) // no small last piece
		}
		file, diags := hclsyntax.ParseConfig(src[off:end], name, pos)
		if len(diags) > 0 || file == nil {
			return nil
		}
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok || len(body.Attributes) > 0 {
			return nil
		}
		if out == nil {
			out = body
		} else {
			out.Blocks = append(out.Blocks, body.Blocks...)
			out.SrcRange = hcl.RangeBetween(out.SrcRange, body.SrcRange)
			out.EndRange = body.EndRange
		}
		pos.Line += bytes.Count(src[off:end], []byte{'\n'})
		pos.Byte = end
		off = end
	}
	return out
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// pieceEnd returns the offset just after the first line at or after from
// that holds only "}" (and trailing white space), or len(src).
func pieceEnd(src []byte, from int) int {
	for i := from; i < len(src); {
		j := bytes.Index(src[i:], []byte("\n}"))
		if j < 0 {
			break
		}
		k := i + j + 2
		for k < len(src) && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r') {
			k++
		}
		if k < len(src) && src[k] == '\n' {
			return k + 1
		}
		i = k
	}
	return len(src)
}
