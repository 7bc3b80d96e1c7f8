package pkgscan

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode"
	"unicode/utf8"

	ahocorasick "github.com/BobuSumisu/aho-corasick"

	"github.com/lambdawarden/lambdawarden/internal/inventory"
	"github.com/lambdawarden/lambdawarden/internal/secrets"
	"github.com/lambdawarden/lambdawarden/internal/srcloc"
)

// DependencyErrorPrefix starts the message of an error about a package's
// dependency metadata (a malformed lock file). Such an error leaves
// LW-RUN-04 UNKNOWN for the package but not LW-SEC-05 or LW-RUN-03, whose
// files were still read; every other error under a package (a limit, an
// unreadable file) leaves all three UNKNOWN. The checks package spells the
// same value.
const DependencyErrorPrefix = "read dependencies: "

// ScanPackage reads the deployment package at diskPath (a zip file, a jar,
// or a folder) without extracting anything to disk, and returns what it
// holds: junk files (LW-RUN-03), secrets (LW-SEC-05, redacted) and
// dependencies (LW-RUN-04). display is the package's path as locations show
// it. The package is returned even when it could only be read in part; the
// errors then say what was not read (a limit that was hit, an unreadable
// file) and name the file, the limit and its Config field.
//
// The result is not linked to a function: the caller sets Function (and
// IsLayer) when the package belongs to one; see Link.
func ScanPackage(ctx context.Context, diskPath, display string, cfg Config) (*inventory.Package, []inventory.Error) {
	s, pkg, ok := newScanner(ctx, display, cfg)
	if !ok {
		return pkg, s.sortedErrors()
	}
	info, err := os.Stat(diskPath)
	switch {
	case err != nil:
		s.errorf("", "read package: %v", err)
	case info.IsDir():
		s.sep = "/"
		s.scanFolder(diskPath)
	case info.Mode().IsRegular():
		s.scanZipFile(diskPath, info.Size())
	default:
		s.errorf("", "read package: not a regular file or folder")
	}
	s.assemble(pkg)
	return pkg, s.sortedErrors()
}

// scanZipBytes is ScanPackage for a zip held by ra (the fuzz target).
func scanZipBytes(ctx context.Context, ra io.ReaderAt, size int64, display string, cfg Config) (*inventory.Package, []inventory.Error) {
	s, pkg, ok := newScanner(ctx, display, cfg)
	if !ok {
		return pkg, s.sortedErrors()
	}
	s.scanZip(ra, size, false)
	s.assemble(pkg)
	return pkg, s.sortedErrors()
}

// newScanner prepares a scan; ok is false (with the error recorded) when
// the detector or the extractors cannot be built.
func newScanner(ctx context.Context, display string, cfg Config) (*scanner, *inventory.Package, bool) {
	pkg := &inventory.Package{
		Item: inventory.Item{ID: display, Source: inventory.PackageSource, Origin: display, Loc: srcloc.Location{File: display}},
		Path: display,
	}
	s := &scanner{ctx: ctx, display: display, sep: "!", groups: map[string]*group{}}
	cfg, err := cfg.withDefaults()
	if err != nil {
		s.errorf("", "load the secret detector: %v", err)
		return s, pkg, false
	}
	s.cfg = cfg
	if s.keywords, err = gitleaksKeywords(); err != nil {
		s.errorf("", "load the secret detector's keywords: %v", err)
		return s, pkg, false
	}
	s.plugins, err = newPlugins(cfg)
	if err != nil {
		s.errorf("", "%v", err)
		return s, pkg, false
	}
	return s, pkg, true
}

// scanner scans one package.
type scanner struct {
	ctx      context.Context
	cfg      Config
	display  string
	sep      string // between the package and a path inside it: "!" in a zip, "/" in a folder
	plugins  []*depPlugin
	keywords *ahocorasick.Trie
	vendor   vendorIndex

	total   atomic.Int64 // uncompressed bytes read so far
	entries atomic.Int64 // entries listed so far, nested archives included
	stopped atomic.Bool  // a package-wide limit was hit

	mu      sync.Mutex
	errs    []inventory.Error
	junk    []inventory.PackageFinding
	secrets []inventory.PackageFinding
	deps    []inventory.Dependency
	groups  map[string]*group
}

// group is a folder reported as one finding.
type group struct {
	rule, what string
	files      int
}

// member is one file of the package (or of an archive in it).
type member struct {
	name   string // package-relative path, clean for display; "lib/a.jar!x/y" when nested
	local  string // path inside its own archive (or folder), used by the name rules
	size   int64  // size: from the zip header (checked while reading) or lstat
	csize  int64  // compressed size in the zip; -1 in a folder
	mode   fs.FileMode
	depth  int    // 0 in the package, 1 in an archive in it, ...
	unsafe string // why the stored name leaves the package, if it does

	zf     *zip.File   // zip member
	zdata  io.ReaderAt // the zip's bytes (for stored nested archives)
	root   *os.Root    // folder member
	rawRel string      // folder member path for root

	vendored bool
	group    *group
	groupDir string
}

// limitError is a limit of Config that was hit.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// source is the error source of a path inside the package ("" for the
// package itself).
func (s *scanner) source(inner string) string {
	if inner == "" {
		return s.display
	}
	return s.display + s.sep + inner
}

func (s *scanner) errorf(inner, format string, args ...any) {
	s.mu.Lock()
	s.errs = append(s.errs, inventory.Error{Source: s.source(inner), Message: fmt.Sprintf(format, args...)})
	s.mu.Unlock()
}

// stop records a package-wide limit once and stops the scan.
func (s *scanner) stop(inner string, err error) {
	if s.stopped.Swap(true) {
		return
	}
	s.errorf(inner, "%v; the rest of the package was not read", err)
}

func (s *scanner) sortedErrors() []inventory.Error {
	sort.SliceStable(s.errs, func(i, j int) bool {
		if s.errs[i].Source != s.errs[j].Source {
			return s.errs[i].Source < s.errs[j].Source
		}
		return s.errs[i].Message < s.errs[j].Message
	})
	return s.errs
}

// assemble fills pkg with what the scan found, sorted.
func (s *scanner) assemble(pkg *inventory.Package) {
	for dir, g := range s.groups {
		s.junk = append(s.junk, inventory.PackageFinding{File: dir, Rule: g.rule, Detail: fmt.Sprintf("%s (%d %s)", g.what, g.files, plural(g.files, "file", "files"))})
	}
	sortFindings(s.junk)
	sortFindings(s.secrets)
	pkg.Junk = s.junk
	pkg.Secrets = s.secrets
	pkg.Dependencies = dedupeDeps(s.deps)
}

func sortFindings(fs []inventory.PackageFinding) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Detail < b.Detail
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// scanZipFile scans a zip (or jar) on disk.
func (s *scanner) scanZipFile(diskPath string, size int64) {
	f, err := os.Open(diskPath)
	if err != nil {
		s.errorf("", "read package: %v", err)
		return
	}
	defer f.Close()
	s.scanZip(f, size, hasExt(strings.ToLower(diskPath), ".jar", ".war", ".ear"))
}

// scanZip scans a zip read through ra. jar says the package is itself a
// Java archive, whose own Maven metadata is read.
func (s *scanner) scanZip(ra io.ReaderAt, size int64, jar bool) {
	members, err := s.listZip(ra, size, "", 0)
	if err != nil {
		s.errorf("", "%v; the package was not read", err)
		return
	}
	if jar {
		s.archiveDeps(path.Base(s.display), ra, size)
	}
	s.run(members)
}

// scanFolder scans a folder on disk. Nothing outside it is read: files are
// opened through an os.Root, and symbolic links are reported, never
// followed.
func (s *scanner) scanFolder(dir string) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		s.errorf("", "read package: %v", err)
		return
	}
	defer root.Close()
	var members []member
	var total int64
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			s.errorf(p, "read: %v", err)
			return nil
		}
		if p == "." {
			return nil
		}
		if err := s.ctx.Err(); err != nil {
			return err
		}
		if n := s.entries.Add(1); n > int64(s.cfg.MaxEntries) {
			return &limitError{fmt.Sprintf("more than %d files and folders, the limit (MaxEntries)", s.cfg.MaxEntries)}
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			s.errorf(p, "read: %v", err)
			return nil
		}
		m := member{name: p, local: p, size: info.Size(), csize: -1, mode: info.Mode(), root: root, rawRel: p}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
		case info.Mode().IsRegular():
			total += info.Size()
		default:
			return nil // devices, sockets and pipes are never opened
		}
		members = append(members, m)
		return nil
	})
	if err != nil {
		s.errorf("", "%v; the package was not read", err)
		return
	}
	if total > s.cfg.MaxTotalBytes {
		s.errorf("", "files total %s, more than the %s limit (MaxTotalBytes); the package was not read", human(total), human(s.cfg.MaxTotalBytes))
		return
	}
	s.run(members)
}

// listZip reads the directory of the zip in ra and checks it against the
// limits before anything is decompressed. prefix is the nested archive's
// path with "!" ("" for the package itself).
func (s *scanner) listZip(ra io.ReaderAt, size int64, prefix string, depth int) ([]member, error) {
	if n, err := zipEntryCount(ra, size); err == nil && n > uint64(s.cfg.MaxEntries) {
		return nil, &limitError{fmt.Sprintf("the zip directory lists %d entries, more than the %d limit (MaxEntries)", n, s.cfg.MaxEntries)}
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("not a readable zip archive: %w", err)
	}
	if n := s.entries.Add(int64(len(zr.File))); n > int64(s.cfg.MaxEntries) {
		return nil, &limitError{fmt.Sprintf("%d entries, more than the %d limit (MaxEntries)", n, s.cfg.MaxEntries)}
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if declared > uint64(s.cfg.MaxTotalBytes) || declared < f.UncompressedSize64 {
			return nil, &limitError{fmt.Sprintf("entries claim %s uncompressed, more than the %s limit (MaxTotalBytes); possible zip bomb",
				humanU(sumClaims(zr.File)), human(s.cfg.MaxTotalBytes))}
		}
		if f.UncompressedSize64 > uint64(s.cfg.RatioAllowanceBytes) && f.UncompressedSize64/max(1, f.CompressedSize64) > uint64(s.cfg.MaxRatio) {
			return nil, &limitError{fmt.Sprintf("entry %s claims a compression ratio of %d:1 (%s from %s), more than the %d:1 limit (MaxRatio); possible zip bomb",
				cleanName(f.Name), f.UncompressedSize64/max(1, f.CompressedSize64), humanU(f.UncompressedSize64), humanU(f.CompressedSize64), s.cfg.MaxRatio)}
		}
	}
	if declared > uint64(s.cfg.RatioAllowanceBytes) && size > 0 && declared/uint64(size) > uint64(s.cfg.MaxRatio) {
		return nil, &limitError{fmt.Sprintf("expands %d:1 (%s from %s), more than the %d:1 limit (MaxRatio); possible zip bomb",
			declared/uint64(size), humanU(declared), human(size), s.cfg.MaxRatio)}
	}
	members := make([]member, 0, len(zr.File))
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") && f.UncompressedSize64 == 0 {
			continue // folder entry
		}
		name, local, unsafe := memberName(f.Name)
		members = append(members, member{
			name: prefix + name, local: local, size: int64(f.UncompressedSize64), csize: int64(f.CompressedSize64),
			mode: f.Mode(), depth: depth, unsafe: unsafe, zf: f, zdata: ra,
		})
	}
	return members, nil
}

func sumClaims(files []*zip.File) uint64 {
	var n uint64
	for _, f := range files {
		if n+f.UncompressedSize64 < n {
			return ^uint64(0)
		}
		n += f.UncompressedSize64
	}
	return n
}

// memberName turns a stored zip name into its display name, the path the
// name rules see, and, when the name leaves the package (absolute, a drive
// letter, or ".." above the root), why. Backslashes count as separators, as
// Windows tools write them; control characters show as '?'.
func memberName(raw string) (name, local, unsafe string) {
	n := cleanName(strings.ReplaceAll(raw, `\`, "/"))
	switch {
	case strings.HasPrefix(n, "/"):
		unsafe = "an absolute path"
	case len(n) >= 2 && n[1] == ':' && ((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= 'A' && n[0] <= 'Z')):
		unsafe = "a drive letter"
	default:
		if c := path.Clean(n); c == ".." || strings.HasPrefix(c, "../") {
			unsafe = "a parent-folder reference that leaves the package"
		}
	}
	local = path.Clean("/" + n)[1:]
	if len(n) >= 2 && n[1] == ':' {
		local = path.Clean("/" + n[2:])[1:]
	}
	if local == "" {
		local = "."
	}
	return n, local, unsafe
}

// cleanName replaces control characters and invalid UTF-8 in a stored
// name, so names print safely.
func cleanName(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// run classifies the members and reads them on a bounded pool of workers.
func (s *scanner) run(members []member) {
	s.indexVendored(members)
	for i := range members {
		m := &members[i]
		m.vendored = m.depth > 0 || s.vendor.vendored(m.local)
		if m.depth == 0 && !m.vendored {
			if dir, g, ok := groupOf(m.local); ok {
				gr := s.groups[dir]
				if gr == nil {
					gr = &group{rule: g.rule, what: g.what}
					s.groups[dir] = gr
				}
				gr.files++
				m.group, m.groupDir = gr, dir
			}
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(s.cfg.Workers, max(1, len(members))) {
		w := s.newWorker()
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(len(members)) || s.stopped.Load() || s.ctx.Err() != nil {
					break
				}
				w.member(&members[i])
			}
			w.flush()
		})
	}
	wg.Wait()
	if err := s.ctx.Err(); err != nil {
		s.errorf("", "scan cancelled: %v", err)
	}
}

// indexVendored reads the Python distribution metadata that says which
// folders were installed by pip.
func (s *scanner) indexVendored(members []member) {
	for i := range members {
		m := &members[i]
		if m.depth != 0 || !m.mode.IsRegular() || !isPythonMetadata(m.local) || m.size > 4<<20 {
			continue
		}
		b, err := s.readAll(m, 4<<20)
		if err != nil {
			continue // read again, and reported, by the workers
		}
		s.vendor.add(m.local, b)
	}
}

// groupOf returns the group folder a path lies in, if any: the outermost
// folder of groupDirs above it that is not under a package manager folder.
func groupOf(p string) (dir string, g struct{ rule, what string }, ok bool) {
	off := 0
	rest := p
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return "", g, false
		}
		seg := rest[:i]
		if vendorDirs[seg] {
			return "", g, false
		}
		if g, ok := groupDirs[seg]; ok {
			return p[:off+i+1], g, true
		}
		off += i + 1
		rest = rest[i+1:]
	}
}

// open opens a member for reading through a meter that enforces the
// limits on the bytes actually read.
func (s *scanner) open(m *member) (io.ReadCloser, error) {
	var rc io.ReadCloser
	switch {
	case m.zf != nil:
		r, err := m.zf.Open()
		if err != nil {
			return nil, err
		}
		rc = r
	case m.root != nil:
		f, err := m.root.OpenFile(m.rawRel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			f.Close()
			return nil, fmt.Errorf("not a regular file")
		}
		rc = f
	default:
		return nil, fmt.Errorf("nothing to read")
	}
	limit := int64(-1)
	if m.csize >= 0 {
		limit = max(s.cfg.RatioAllowanceBytes, s.cfg.MaxRatio*m.csize)
	}
	return &meter{rc: rc, s: s, limit: limit, name: m.name}, nil
}

// readAll reads a member whole, up to limit bytes.
func (s *scanner) readAll(m *member, limit int64) ([]byte, error) {
	rc, err := s.open(m)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &tooLargeError{limit}
	}
	return b, nil
}

// meter counts the bytes read from a member and stops at the limits.
type meter struct {
	rc    io.ReadCloser
	s     *scanner
	n     int64
	limit int64
	name  string
}

func (m *meter) Read(p []byte) (int, error) {
	n, err := m.rc.Read(p)
	m.n += int64(n)
	if m.limit >= 0 && m.n > m.limit {
		return n, &limitError{fmt.Sprintf("expands past %d:1 while read (more than %s), the limit (MaxRatio); possible zip bomb",
			m.s.cfg.MaxRatio, human(m.limit))}
	}
	if t := m.s.total.Add(int64(n)); t > m.s.cfg.MaxTotalBytes {
		return n, &limitError{fmt.Sprintf("uncompressed data passed the %s limit for the package (MaxTotalBytes); possible zip bomb", human(m.s.cfg.MaxTotalBytes))}
	}
	return n, err
}

func (m *meter) Close() error { return m.rc.Close() }

// worker reads members; each has its own buffers and results, merged at
// the end.
type worker struct {
	s       *scanner
	text    *textScanner
	head    []byte
	whole   []byte
	junk    []inventory.PackageFinding
	secrets []inventory.PackageFinding
	deps    []inventory.Dependency
}

func (s *scanner) newWorker() *worker {
	return &worker{s: s, text: newTextScanner(s.cfg.Secrets, s.keywords), head: make([]byte, s.cfg.BinarySniffBytes)}
}

func (w *worker) flush() {
	w.s.mu.Lock()
	w.s.junk = append(w.s.junk, w.junk...)
	w.s.secrets = append(w.s.secrets, w.secrets...)
	w.s.deps = append(w.s.deps, w.deps...)
	w.s.mu.Unlock()
}

func (w *worker) addJunk(file, rule, detail string) {
	w.junk = append(w.junk, inventory.PackageFinding{File: file, Rule: rule, Detail: detail})
}

// member scans one member.
func (w *worker) member(m *member) {
	s := w.s
	if m.unsafe != "" {
		w.addJunk(m.name, RulePathTraversal, fmt.Sprintf("entry name is %s; unzipping it would write outside the package", m.unsafe))
	}
	if m.mode&fs.ModeSymlink != 0 {
		w.symlink(m)
		return
	}
	if !m.mode.IsRegular() && m.zf == nil {
		return
	}
	credentialOnly := m.vendored
	if m.group != nil {
		if m.group.rule == RuleVCS || m.group.rule == RuleToolCache {
			return // reported as a whole; content is metadata or binaries
		}
		credentialOnly = true
	}
	nj := classify(m.local, credentialOnly)
	if nj.rule != "" {
		w.addJunk(m.name, nj.rule, nj.what)
	}
	lower := strings.ToLower(path.Base(m.local))
	if isArchiveExt(lower) {
		w.nested(m)
		return
	}
	plugins := pluginsFor(s.plugins, m.name, m.size, m.mode)

	rc, err := s.open(m)
	if err != nil {
		s.errorf(m.name, "read: %v", err)
		return
	}
	defer rc.Close()
	head := w.head[:cap(w.head)]
	n, err := io.ReadFull(rc, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		w.readError(m, err)
		return
	}
	binary := isBinary(head)
	if binary {
		plugins = onlyBinary(plugins, isELF(head))
	} else {
		plugins = onlyText(plugins)
	}
	partial := n == cap(w.head) // more may follow

	if len(plugins) > 0 || nj.content == contentPrivateKey || nj.content == contentRegistry || nj.content == contentAWS {
		limit := s.cfg.MaxManifestBytes
		if len(plugins) == 0 {
			limit = min(limit, s.cfg.MaxScanFileBytes)
		}
		whole, err := w.readRest(rc, head, partial, limit)
		defer w.shrink()
		var big *tooLargeError
		switch {
		case errors.As(err, &big) && len(plugins) > 0:
			s.errorf(m.name, "%sfile of more than %s, the limit (MaxManifestBytes); not read", DependencyErrorPrefix, human(big.max))
			return
		case err != nil:
			w.readError(m, err)
			return
		}
		for _, pl := range plugins {
			deps, err := pl.extract(s.ctx, m.name, bytes.NewReader(whole), int64(len(whole)), m.mode)
			w.deps = append(w.deps, deps...)
			if err != nil {
				s.errorf(m.name, "%s%v", DependencyErrorPrefix, err)
			}
		}
		if binary {
			return
		}
		if what := contentJunk(nj.content, lower, whole); what != "" {
			w.addJunk(m.name, ruleOf(nj.content), what)
		}
		if int64(len(whole)) > s.cfg.MaxScanFileBytes {
			w.notScanned(m, int64(len(whole)))
			return
		}
		w.text.quiet = quiet(m, lower, head)
		w.record(m, nj, w.text.scanBytes(whole))
		return
	}
	if binary {
		return
	}
	if m.size > s.cfg.MaxScanFileBytes {
		w.notScanned(m, m.size)
		return
	}
	var found []secrets.Finding
	w.text.quiet = quiet(m, lower, head)
	if partial {
		found, err = w.text.scanReader(head, io.LimitReader(rc, s.cfg.MaxScanFileBytes))
		if err != nil {
			w.readError(m, err)
			return
		}
	} else {
		found = w.text.scanBytes(head)
	}
	w.record(m, nj, found)
}

func ruleOf(c contentRule) string {
	switch c {
	case contentPrivateKey:
		return RulePrivateKey
	case contentAWS:
		return RuleCloudCreds
	}
	return RuleRegistryToken
}

// readRest reads the rest of a member after head, up to limit bytes in
// all, into the worker's reusable buffer.
func (w *worker) readRest(r io.Reader, head []byte, partial bool, limit int64) ([]byte, error) {
	buf := append(w.whole[:0], head...)
	if partial {
		for {
			if int64(len(buf)) > limit {
				w.whole = buf[:0]
				return nil, &tooLargeError{limit}
			}
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, err
			}
		}
	}
	w.whole = buf
	return buf, nil
}

// tooLargeError is a file larger than can be read whole.
type tooLargeError struct{ max int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("larger than %s, the limit for files read whole", human(e.max))
}

// shrink drops a large whole-file buffer so one big file does not pin
// memory for the rest of the scan.
func (w *worker) shrink() {
	if cap(w.whole) > 4<<20 {
		w.whole = nil
	}
}

func onlyBinary(pls []*depPlugin, elf bool) []*depPlugin {
	out := pls[:0]
	for _, p := range pls {
		if p.binary && elf {
			out = append(out, p)
		}
	}
	return out
}

func onlyText(pls []*depPlugin) []*depPlugin {
	out := pls[:0]
	for _, p := range pls {
		if !p.binary && !p.archive {
			out = append(out, p)
		}
	}
	return out
}

// readError reports a member that could not be read. A limit stops the
// whole package: one clear error rather than one per member of a bomb.
func (w *worker) readError(m *member, err error) {
	var le *limitError
	if errors.As(err, &le) {
		w.s.stop(m.name, err)
		return
	}
	w.s.errorf(m.name, "read: %v", err)
}

func (w *worker) notScanned(m *member, size int64) {
	w.secrets = append(w.secrets, inventory.PackageFinding{File: m.name, Rule: RuleNotScanned,
		Detail: fmt.Sprintf("not scanned for secrets: %s is more than the %s limit (MaxScanFileBytes)", human(size), human(w.s.cfg.MaxScanFileBytes))})
}

// quiet reports whether only high-confidence rules count for a file:
// vendored code, lock files and minified files, where shape-only rules are
// mostly noise (test fixtures, documentation examples, hashes).
func quiet(m *member, lower string, head []byte) bool {
	return m.vendored || isLockFile(lower) || isMinified(lower, head)
}

// record keeps a file's secret findings, dropping shape-only rules in
// quiet files.
func (w *worker) record(m *member, nj nameJunk, found []secrets.Finding) {
	kept := 0
	for _, f := range found {
		if w.text.quiet && lowConfidence[f.Rule] {
			continue
		}
		kept++
		w.secrets = append(w.secrets, inventory.PackageFinding{File: m.name, Line: f.Line, Rule: f.Rule, Detail: f.Kind + " (" + f.Redacted + ")"})
	}
	if kept > 0 && nj.content == contentMap {
		w.addJunk(m.name, RuleSourceMap, "source map holding a secret (it carries the original source)")
	}
}

// symlink reports a symbolic link whose target is outside the package.
// Links are never followed.
func (w *worker) symlink(m *member) {
	var target string
	switch {
	case m.zf != nil:
		b, err := w.s.readAll(m, 4096)
		if err != nil {
			w.readError(m, err)
			return
		}
		target = string(b)
	case m.root != nil:
		t, err := m.root.Readlink(m.rawRel)
		if err != nil {
			w.s.errorf(m.name, "read link: %v", err)
			return
		}
		target = t
	}
	target = strings.ReplaceAll(target, `\`, "/")
	resolved := path.Clean(path.Join(path.Dir(m.local), target))
	if strings.HasPrefix(target, "/") || (len(target) >= 2 && target[1] == ':') || resolved == ".." || strings.HasPrefix(resolved, "../") {
		w.addJunk(m.name, RuleSymlinkEscape, fmt.Sprintf("symbolic link to %s, outside the package (not followed)", cleanName(target)))
	}
}

// isArchiveExt reports whether a (lower-case) base name is an archive that
// is opened as part of the package.
func isArchiveExt(lower string) bool { return hasExt(lower, ".zip", ".jar", ".war", ".ear") }

// nested scans an archive inside the package, in this worker.
func (w *worker) nested(m *member) {
	s := w.s
	if m.depth+1 > s.cfg.MaxDepth {
		s.stop(m.name, &limitError{fmt.Sprintf("archive nested %d deep, more than the limit of %d (MaxDepth); possible zip bomb", m.depth+1, s.cfg.MaxDepth)})
		return
	}
	var ra io.ReaderAt
	size := m.size
	switch {
	case m.zf != nil && m.zf.Method == zip.Store && m.zdata != nil:
		off, err := m.zf.DataOffset()
		if err != nil {
			w.readError(m, err)
			return
		}
		ra = io.NewSectionReader(m.zdata, off, int64(m.zf.CompressedSize64))
		size = int64(m.zf.CompressedSize64)
	case m.root != nil:
		rc, err := s.open(m)
		if err != nil {
			w.readError(m, err)
			return
		}
		defer rc.Close()
		f, ok := rc.(*meter).rc.(*os.File)
		if !ok {
			w.readError(m, fmt.Errorf("not a file"))
			return
		}
		ra = f
	default:
		if m.size > s.cfg.MaxNestedArchiveBytes {
			s.errorf(m.name, "archive of %s, more than the %s limit (MaxNestedArchiveBytes); not read", human(m.size), human(s.cfg.MaxNestedArchiveBytes))
			return
		}
		b, err := s.readAll(m, s.cfg.MaxNestedArchiveBytes)
		if err != nil {
			w.readError(m, err)
			return
		}
		ra = bytes.NewReader(b)
		size = int64(len(b))
	}
	members, err := s.listZip(ra, size, m.name+"!", m.depth+1)
	if err != nil {
		w.readError(m, err)
		return
	}
	if m.depth == 0 {
		// The Java archive extractor reads the jars inside this one itself.
		s.archiveDeps(m.name, ra, size)
	}
	for i := range members {
		if s.stopped.Load() || s.ctx.Err() != nil {
			return
		}
		members[i].vendored = true
		w.member(&members[i])
	}
}

// archiveDeps runs the archive plugins (Java archives) on a jar.
func (s *scanner) archiveDeps(name string, ra io.ReaderAt, size int64) {
	lower := strings.ToLower(path.Base(localName(name)))
	if !hasExt(lower, ".jar", ".war", ".ear") {
		return
	}
	for _, pl := range s.plugins {
		if !pl.archive {
			continue
		}
		deps, err := pl.extract(s.ctx, name, io.NewSectionReader(ra, 0, size), size, 0o644)
		s.mu.Lock()
		s.deps = append(s.deps, deps...)
		s.mu.Unlock()
		if err != nil {
			s.errorf(name, "%s%v", DependencyErrorPrefix, err)
		}
	}
}

// human formats a byte count: "512 MiB", "1.0 TiB", "42 KiB".
func human(n int64) string {
	if n < 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	return humanU(uint64(n))
}

func humanU(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	suffix := "KMGTPE"[exp : exp+1]
	if v == float64(uint64(v)) {
		return fmt.Sprintf("%d %siB", uint64(v), suffix)
	}
	return fmt.Sprintf("%.1f %siB", v, suffix)
}
