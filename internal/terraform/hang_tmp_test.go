package terraform

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lambdawarden/lambdawarden/internal/scan"
)

func TestHangTmp(t *testing.T) {
	if os.Getenv("HANG") == "" {
		t.Skip()
	}
	var seeds []string
	for _, c := range []string{"basic", "expand", "policydoc", "literal", "misc", "waivers", "malformed"} {
		files, _ := filepath.Glob(filepath.Join("testdata", c, "*.tf"))
		for _, p := range files {
			b, _ := os.ReadFile(p)
			seeds = append(seeds, string(b))
		}
	}
	r := rand.New(rand.NewSource(1))
	dir := t.TempDir()
	for i := 0; i < 3000; i++ {
		s := []byte(seeds[r.Intn(len(seeds))])
		for k := 0; k < 1+r.Intn(4); k++ {
			switch r.Intn(3) {
			case 0:
				j := r.Intn(len(s))
				s[j] = byte(r.Intn(128))
			case 1:
				j := r.Intn(len(s))
				s = append(s[:j], s[min(len(s), j+r.Intn(20)):]...)
			case 2:
				a, b := r.Intn(len(s)), r.Intn(len(s))
				s = append(append(append([]byte{}, s[:a]...), s[b:min(len(s), b+30)]...), s[a:]...)
			}
			if len(s) == 0 {
				s = []byte("x")
			}
		}
		root := filepath.Join(dir, "m")
		os.RemoveAll(root)
		os.MkdirAll(root, 0o755)
		os.WriteFile(filepath.Join(root, "main.tf"), s, 0o644)
		done := make(chan bool)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				os.WriteFile("/tmp/hang.tf", s, 0o644)
				panic("hang")
			}
		}()
		New().Load(context.Background(), &scan.Tree{Root: root, Display: "m", Files: []string{"main.tf"}}, ".", scan.LoadOptions{})
		close(done)
	}
}
