package pkgscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
)

// zipEntryCount reads the entry count from a zip's end of central
// directory record (zip64 included) without reading the directory, so a
// zip that claims millions of entries is refused before archive/zip
// allocates for them.
func zipEntryCount(ra io.ReaderAt, size int64) (uint64, error) {
	const (
		eocdLen       = 22
		eocdSig       = "PK\x05\x06"
		locatorLen    = 20
		locatorSig    = "PK\x06\x07"
		eocd64Sig     = "PK\x06\x06"
		maxCommentLen = 0xffff
	)
	if size < eocdLen {
		return 0, errors.New("too short for a zip")
	}
	tail := min(size, eocdLen+maxCommentLen)
	buf := make([]byte, tail)
	if _, err := ra.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	i := bytes.LastIndex(buf[:len(buf)-eocdLen+4], []byte(eocdSig))
	if i < 0 {
		return 0, errors.New("no end of central directory record")
	}
	rec := buf[i:]
	n := uint64(binary.LittleEndian.Uint16(rec[10:12]))
	if n != 0xffff && binary.LittleEndian.Uint32(rec[16:20]) != 0xffffffff {
		return n, nil
	}
	// Zip64: the locator sits just before the record.
	locAt := size - tail + int64(i) - locatorLen
	if locAt < 0 {
		return n, nil
	}
	loc := make([]byte, locatorLen)
	if _, err := ra.ReadAt(loc, locAt); err != nil || string(loc[:4]) != locatorSig {
		return n, nil
	}
	off := binary.LittleEndian.Uint64(loc[8:16])
	if off > uint64(size) || uint64(size)-off < 56 {
		return n, nil
	}
	rec64 := make([]byte, 56)
	if _, err := ra.ReadAt(rec64, int64(off)); err != nil || string(rec64[:4]) != eocd64Sig {
		return n, nil
	}
	return binary.LittleEndian.Uint64(rec64[32:40]), nil
}
