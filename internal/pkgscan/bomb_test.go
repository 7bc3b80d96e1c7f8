package pkgscan

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/scan"
)

// deflated compresses b.
func deflated(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// zerosDeflated is the deflate stream and CRC of n zero bytes, built in
// 1 MiB steps so the test never holds n bytes.
func zerosDeflated(t testing.TB, n int64) ([]byte, uint32) {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	chunk := make([]byte, 1<<20)
	var crc uint32
	for left := n; left > 0; left -= int64(len(chunk)) {
		c := chunk[:min(int64(len(chunk)), left)]
		w.Write(c)
		crc = crc32.Update(crc, crc32.IEEETable, c)
	}
	w.Close()
	return buf.Bytes(), crc
}

// layer is a zip of 16 members sharing one raw deflate stream.
func layer(t testing.TB, names string, raw []byte, crc uint32, size uint64) []byte {
	t.Helper()
	var files []zfile
	for i := range 16 {
		files = append(files, zfile{raw: raw, header: &zip.FileHeader{
			Name: fmt.Sprintf(names, i), Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(raw)), UncompressedSize64: size,
		}})
	}
	return zipBytes(t, files)
}

// nestedBomb builds a 42.zip-style bomb: four layers of 16 nested zips
// around 16 files of 64 MiB of zeros each, 4 TiB in all.
func nestedBomb(t testing.TB) []byte {
	t.Helper()
	raw, crc := zerosDeflated(t, 64<<20)
	z := layer(t, "%x.dll", raw, crc, 64<<20)
	for _, names := range []string{"chapter %x.zip", "book %x.zip", "lib %x.zip"} {
		d := deflated(t, z)
		z = layer(t, names, d, crc32.ChecksumIEEE(z), uint64(len(z)))
	}
	return z
}

// claimsTerabytes is a zip whose entries claim 1 TiB each while holding a
// few bytes.
func claimsTerabytes(t testing.TB) []byte {
	t.Helper()
	raw := deflated(t, []byte("hello"))
	var files []zfile
	for i := range 3 {
		files = append(files, zfile{raw: raw, header: &zip.FileHeader{
			Name: fmt.Sprintf("file%d.txt", i), Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte("hello")),
			CompressedSize64: uint64(len(raw)), UncompressedSize64: 1 << 40,
		}})
	}
	return zipBytes(t, files)
}

func TestBombs(t *testing.T) {
	bomb := nestedBomb(t)
	t.Logf("nested bomb: %d bytes", len(bomb))
	if len(bomb) > 100<<10 {
		t.Fatalf("nested bomb fixture is %d bytes, want a small file", len(bomb))
	}
	cases := []struct {
		name string
		zip  []byte
		cfg  Config
		want string // in the single error's message
	}{
		{name: "nested 42.zip-style bomb", zip: bomb, want: "possible zip bomb"},
		{name: "entries claim terabytes", zip: claimsTerabytes(t), want: "entries claim 3 TiB uncompressed, more than the 512 MiB limit (MaxTotalBytes)"},
		{name: "one entry claims a huge ratio", zip: zipBytes(t, []zfile{{raw: deflated(t, make([]byte, 8<<20)), header: &zip.FileHeader{
			Name: "zeros.bin", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(make([]byte, 8<<20)),
			CompressedSize64: uint64(len(deflated(t, make([]byte, 8<<20)))), UncompressedSize64: 8 << 20}}}),
			want: "entry zeros.bin claims a compression ratio of"},
		{name: "directory claims more entries than the limit", zip: patchEntryCount(t, zipBytes(t, []zfile{{name: "a.js", body: "x"}}), 60000),
			cfg: Config{MaxEntries: 1000}, want: "lists 60000 entries, more than the 1000 limit (MaxEntries)"},
		{name: "more entries than the limit", zip: zipBytes(t, manyFiles(20)), cfg: Config{MaxEntries: 10}, want: "more than the 10 limit (MaxEntries)"},
		{name: "nested archives add up past the total", cfg: Config{MaxTotalBytes: 1 << 20},
			zip:  zipBytes(t, []zfile{{name: "a.zip", body: string(zipBytes(t, []zfile{{name: "a.txt", body: randomText(600 << 10)}}))}, {name: "b.zip", body: string(zipBytes(t, []zfile{{name: "b.txt", body: randomText(600 << 10)}}))}}),
			want: "uncompressed data passed the 1 MiB limit for the package (MaxTotalBytes)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Workers = 1 // deterministic order for the nested cases
			pkg, errs := scanZipBytes(context.Background(), bytes.NewReader(tc.zip), int64(len(tc.zip)), "bomb.zip", cfg)
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Source, "bomb.zip") || !strings.Contains(errs[0].Message, tc.want) {
				t.Fatalf("errors = %s, want one naming bomb.zip with %q", errorsText(errs), tc.want)
			}
			if pkg == nil {
				t.Fatal("no package")
			}
			t.Logf("%s: %s", errs[0].Source, errs[0].Message)
		})
	}
}

// TestBombsBeside checks that a bomb stops only its own package: the other
// inputs of the same PATH are read in full.
func TestBombsBeside(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bomb.zip"), nestedBomb(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "claims.zip"), claimsTerabytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	writeZip(t, dir, "good.zip", []zfile{{name: "index.js", body: "k = '" + tAWSKeyID + "'\n"}, {name: ".env", body: "X=1\n"}})
	tree, err := scan.NewTree(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	src := New(Config{})
	inputs, err := src.Find(context.Background(), tree)
	if err != nil || strings.Join(inputs, ",") != "bomb.zip,claims.zip,good.zip" {
		t.Fatalf("Find = %v, %v", inputs, err)
	}
	for _, in := range inputs {
		inv := src.Load(context.Background(), tree, in, scan.LoadOptions{})
		pkg := inv.Packages[0]
		switch in {
		case "good.zip":
			if len(inv.Errors) > 0 || len(pkg.Secrets) != 1 || len(pkg.Junk) != 1 {
				t.Errorf("good.zip: errors %s, secrets %v, junk %v", errorsText(inv.Errors), pkg.Secrets, pkg.Junk)
			}
		default:
			if len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Message, "limit") {
				t.Errorf("%s: errors %s, want one limit error", in, errorsText(inv.Errors))
			}
		}
	}
}

// patchEntryCount rewrites the entry counts of a zip's end of central
// directory record.
func patchEntryCount(t testing.TB, z []byte, n uint16) []byte {
	t.Helper()
	i := bytes.LastIndex(z, []byte("PK\x05\x06"))
	if i < 0 {
		t.Fatal("no end record")
	}
	out := append([]byte(nil), z...)
	binary.LittleEndian.PutUint16(out[i+8:], n)
	binary.LittleEndian.PutUint16(out[i+10:], n)
	return out
}

func manyFiles(n int) []zfile {
	out := make([]zfile, n)
	for i := range out {
		out[i] = zfile{name: fmt.Sprintf("f%d.js", i), body: "x\n"}
	}
	return out
}

// randomText is n bytes of text that compresses little.
func randomText(n int) string {
	var b strings.Builder
	x := uint64(88172645463325252)
	for b.Len() < n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789 \n"[x%38])
	}
	return b.String()
}

func TestZipEntryCount(t *testing.T) {
	cases := []struct {
		name    string
		entries int
	}{
		{"empty", 0},
		{"small", 3},
		// More than 65,535 entries: the count is in the zip64 record.
		{"zip64", 70_000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for i := range tc.entries {
				if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store}); err != nil {
					t.Fatal(err)
				}
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			n, err := zipEntryCount(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil || n != uint64(tc.entries) {
				t.Errorf("zipEntryCount = %d, %v; want %d", n, err, tc.entries)
			}
		})
	}
	if _, err := zipEntryCount(bytes.NewReader([]byte("short")), 5); err == nil {
		t.Error("no error for a file too short to be a zip")
	}
}
