package pkgscan

import (
	"archive/zip"
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
)

// Credential-shaped values are assembled at run time, never written whole.
var (
	tAWSKeyID  = "AK" + "IA" + "QX7Z4K2N5R6T3W4Y"
	tStripeKey = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
	tGitHubPAT = "gh" + "p_" + "R4nd0mT0k3nV4lu3Xy2Qw8Er6Ty1Ui9Op3As5Df"
	tPEMKey    = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQABAoIBAQCY\n-----END RSA " + "PRIVATE KEY-----\n"
)

// zfile is one member of a zip built by a test.
type zfile struct {
	name string
	body string
	mode fs.FileMode // 0: 0644 regular file
	// store writes the member uncompressed.
	store bool
	// raw, when set, is written as is with the given header (for bombs).
	raw    []byte
	header *zip.FileHeader
}

// zipBytes builds a zip in memory.
func zipBytes(t testing.TB, files []zfile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		if f.header != nil {
			w, err := zw.CreateRaw(f.header)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(f.raw); err != nil {
				t.Fatal(err)
			}
			continue
		}
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		if f.store {
			h.Method = zip.Store
		}
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeZip builds a zip file in dir and returns its path.
func writeZip(t testing.TB, dir, name string, files []zfile) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, zipBytes(t, files), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeTree writes files (path -> content) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// scanFiles builds a zip of files and scans it.
func scanFiles(t testing.TB, files []zfile, cfg Config) (*inventory.Package, []inventory.Error) {
	t.Helper()
	p := writeZip(t, t.TempDir(), "fn.zip", files)
	return ScanPackage(context.Background(), p, "build/fn.zip", cfg)
}

// junkOf is file -> rule of a package's junk.
func junkOf(p *inventory.Package) map[string]string {
	out := map[string]string{}
	for _, j := range p.Junk {
		out[j.File] = j.Rule
	}
	return out
}

// secretRules is "file:line:rule" of a package's secrets.
func secretRules(p *inventory.Package) []string {
	var out []string
	for _, s := range p.Secrets {
		out = append(out, s.File+":"+itoa(s.Line)+":"+s.Rule)
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func errorsText(errs []inventory.Error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Source + ": " + e.Message + "\n")
	}
	return b.String()
}
