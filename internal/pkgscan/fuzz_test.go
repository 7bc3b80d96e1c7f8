package pkgscan

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// FuzzScanZip feeds arbitrary bytes to the zip reader: it must never panic,
// hang or exceed its limits, and every error must name the package.
func FuzzScanZip(f *testing.F) {
	f.Add(zipBytes(f, []zfile{{name: "index.js", body: "exports.handler = 1;\n"}, {name: ".env", body: "X=1\n"}}))
	f.Add(zipBytes(f, []zfile{{name: "../evil", body: "x"}, {name: "l", body: "/etc/passwd", mode: os.ModeSymlink | 0o777}}))
	f.Add(zipBytes(f, []zfile{{name: "a.jar", body: string(zipBytes(f, []zfile{{name: "META-INF/maven/g/a/pom.properties", body: "groupId=g\nartifactId=a\nversion=1\n"}}))}}))
	f.Add(zipBytes(f, []zfile{{name: "package-lock.json", body: `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"}}}`}, {name: "requirements.txt", body: "a==1\n"}}))
	f.Add(zipBytes(f, []zfile{{name: "k.pem", body: tPEMKey}, {name: "s.js", body: "x = '" + tStripeKey + "'"}}))
	f.Add(claimsTerabytes(f))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	cfg := Config{MaxTotalBytes: 8 << 20, MaxEntries: 2000, MaxNestedArchiveBytes: 4 << 20, MaxManifestBytes: 4 << 20, Workers: 2}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkg, errs := scanZipBytes(context.Background(), bytes.NewReader(data), int64(len(data)), "f.zip", cfg)
		if pkg == nil {
			t.Fatal("no package")
		}
		for _, e := range errs {
			if !strings.HasPrefix(e.Source, "f.zip") || e.Message == "" {
				t.Fatalf("error %+v does not name the package", e)
			}
		}
		for _, s := range pkg.Secrets {
			if s.File == "" || s.Rule == "" {
				t.Fatalf("secret finding without file or rule: %+v", s)
			}
		}
	})
}
