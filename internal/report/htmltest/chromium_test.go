package htmltest_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
)

// chromium finds the browser, or skips (fails under CI=true) without it.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("LW_CHROMIUM"), "/usr/bin/chromium"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "headless Chromium not found at /usr/bin/chromium (or $LW_CHROMIUM): install it with `apt-get install -y chromium`"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (required under CI=true)")
	}
	t.Skip(msg)
	return ""
}

// artifacts is where screenshots go: $LW_ARTIFACTS, else a temporary folder.
func artifacts(t *testing.T) string {
	dir := os.Getenv("LW_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func save(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("artifact: %s (%d bytes)", p, len(b))
}

// pageServer serves the report at /report.html on loopback and records any
// other request, which a self-contained page must never make.
type pageServer struct {
	mu    sync.Mutex
	other []string
}

func (s *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request, page []byte) {
	if r.URL.Path == "/report.html" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
		return
	}
	s.mu.Lock()
	s.other = append(s.other, r.Method+" "+r.URL.String())
	s.mu.Unlock()
	http.NotFound(w, r)
}

// browserLog records what the page did: network requests and console,
// log and exception messages (a CSP violation is logged as an error).
type browserLog struct {
	mu       sync.Mutex
	requests []string
	problems []string
}

func (b *browserLog) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, ev.Request.URL)
	case *runtime.EventExceptionThrown:
		b.problems = append(b.problems, "exception: "+ev.ExceptionDetails.Text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			b.problems = append(b.problems, fmt.Sprintf("console.%s", ev.Type))
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
			b.problems = append(b.problems, fmt.Sprintf("log %s/%s: %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text))
		}
	}
}

func (b *browserLog) snapshot() (requests, problems []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...), append([]string(nil), b.problems...)
}

type pageState struct {
	JS        bool     `json:"js"`
	Rows      int      `json:"rows"`
	Visible   int      `json:"visible"`
	Cards     int      `json:"cards"`
	Shown     int      `json:"shown"`
	Severity  []string `json:"severity"`
	Status    []string `json:"status"`
	Count     string   `json:"count"`
	Filters   string   `json:"filters"`
	EmptyShow bool     `json:"emptyShow"`
}

// stateJS reads the page as a user sees it: which rows and cards are displayed.
const stateJS = `(() => {
  const shown = el => el.getClientRects().length > 0;
  const rows = [...document.querySelectorAll('tr[data-status]')];
  const vis = rows.filter(shown);
  const cards = [...document.querySelectorAll('[data-card]')];
  return {
    js: document.documentElement.classList.contains('js'),
    rows: rows.length,
    visible: vis.length,
    cards: cards.length,
    shown: cards.filter(shown).length,
    severity: [...new Set(vis.map(r => r.dataset.severity))].sort(),
    status: [...new Set(vis.map(r => r.dataset.status))].sort(),
    count: (document.getElementById('filter-count') || {}).textContent || '',
    filters: getComputedStyle(document.getElementById('filters')).display,
    emptyShow: shown(document.getElementById('filter-empty')),
  };
})()`

func state(t *testing.T, ctx context.Context) pageState {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](stateJS))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return st
}

func TestHTMLReportInChromium(t *testing.T) {
	exe := chromium(t)
	out := artifacts(t)

	scan := reporttest.Scan()
	w, err := report.Lookup("html")
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := w(&page, scan, report.Options{Checks: reporttest.Checks(), Timestamps: true}); err != nil {
		t.Fatal(err)
	}
	save(t, out, "report.html", page.Bytes())

	srv := &pageServer{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r, page.Bytes()) })}
	go hs.Serve(ln)
	defer hs.Close()
	pageURL := "http://" + ln.Addr().String() + "/report.html"

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	var bl browserLog
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start %s: %v", exe, err)
	}
	if err := chromedp.Listen(ctx, bl.listen); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.ID("filters"))); err != nil {
		t.Fatalf("open the report: %v", err)
	}

	before := state(t, ctx)
	if !before.JS || before.Rows != len(scan.Results) || before.Visible != before.Rows || before.Cards != 5 || before.Shown != 5 {
		t.Fatalf("initial page %+v, want the script on and all %d rows in 5 cards", before, len(scan.Results))
	}
	if want := fmt.Sprintf("Showing %d of %d results in 5 of 5 resources.", before.Rows, before.Rows); before.Count != want {
		t.Errorf("count %q, want %q", before.Count, want)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, out, "html-report.png", shot)

	// Use the severity filter as a user would: focus the select, type.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("f-severity"), "critical")); err != nil {
		t.Fatal(err)
	}
	crit := state(t, ctx)
	var wantCrit int
	for _, r := range scan.Results {
		if r.Severity.String() == "critical" {
			wantCrit++
		}
	}
	if crit.Visible != wantCrit || strings.Join(crit.Severity, ",") != "critical" || crit.Shown != 1 || crit.Shown >= before.Shown {
		t.Errorf("after severity=critical: %+v; want %d critical rows in 1 card", crit, wantCrit)
	}
	if want := fmt.Sprintf("Showing %d of %d results in 1 of 5 resources.", wantCrit, before.Rows); crit.Count != want {
		t.Errorf("count %q, want %q", crit.Count, want)
	}
	shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, out, "html-report-critical.png", shot)

	// Combine with the criterion and status filters; then nothing matches; then reset.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("f-criterion"), "C1.1"),
		chromedp.SetValue(chromedp.ID("f-status"), "FAIL"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('f-status').dispatchEvent(new Event('change', {bubbles: true}))`),
	); err != nil {
		t.Fatal(err)
	}
	if st := state(t, ctx); st.Visible != 3 || strings.Join(st.Status, ",") != "FAIL" {
		t.Errorf("critical + C1.1 + FAIL: %+v, want 3 FAIL rows", st)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("f-check"), "LW-LOG-07"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('f-check').dispatchEvent(new Event('change', {bubbles: true}))`),
	); err != nil {
		t.Fatal(err)
	}
	if st := state(t, ctx); st.Visible != 0 || st.Shown != 0 || !st.EmptyShow {
		t.Errorf("no match: %+v, want no rows, no cards and the empty message", st)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#filters button[type=reset]`))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the reset handler runs after the form resets
	if st := state(t, ctx); st.Visible != before.Rows || st.Shown != 5 {
		t.Errorf("after reset: %+v", st)
	}

	// A summary link sets its filter.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[data-filter="f-criterion"][data-value="CC6.3"]`))); err != nil {
		t.Fatal(err)
	}
	if st := state(t, ctx); st.Visible != 1 {
		t.Errorf("CC6.3 link: %+v, want 1 row", st)
	}

	// Print: the filters are hidden and a PDF comes out.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if st := state(t, ctx); st.Filters != "none" {
		t.Errorf("filters display %q in print media", st.Filters)
	}
	shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, out, "html-report-print.png", shot)
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Error("print to PDF did not give a PDF")
	}
	save(t, out, "html-report.pdf", pdf)

	// Without JavaScript every result is still there, and the filters are not.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	noJS, err := chromedp.Run(ctx, chromedp.EvaluateAsDevTools[pageState](stateJS))
	if err != nil {
		t.Fatal(err)
	}
	if noJS.JS || noJS.Visible != before.Rows || noJS.Shown != 5 || noJS.Filters != "none" {
		t.Errorf("without JavaScript: %+v, want every row and no filters", noJS)
	}
	shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, out, "html-report-nojs.png", shot)

	// No network request but the page itself, no CSP violation, no error.
	requests, problems := bl.snapshot()
	for _, u := range requests {
		if u != pageURL && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s", u)
		}
	}
	if len(requests) == 0 {
		t.Error("no request recorded at all: the network listener is not working")
	}
	srv.mu.Lock()
	other := append([]string(nil), srv.other...)
	srv.mu.Unlock()
	if len(other) > 0 {
		t.Errorf("requests to the server besides the page: %v", other)
	}
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}

	// The detectors themselves work: a page that loads an image is seen by
	// the listener and the server, and a script the policy forbids is
	// reported. (A check that cannot fail is a defect.)
	controls := map[string]string{
		"/leaky.html":   `<!DOCTYPE html><title>leaky</title><img src="/tracker.png" alt="">`,
		"/blocked.html": `<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>blocked</title><script>document.title = "ran"</script>`,
	}
	ctrlSrv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body, ok := controls[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
			return
		}
		srv.ServeHTTP(w, r, nil)
	})}
	ctrlLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ctrlSrv.Serve(ctrlLn)
	defer ctrlSrv.Close()
	tab, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	var cl browserLog
	if err := chromedp.Do(tab); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(tab, cl.listen); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	base := "http://" + ctrlLn.Addr().String()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"/leaky.html"), chromedp.Navigate(base+"/blocked.html")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	creq, cprob := cl.snapshot()
	if !containsPrefix(creq, base+"/tracker.png") {
		t.Errorf("control: the network listener missed the image request: %v", creq)
	}
	srv.mu.Lock()
	if !containsPrefix(srv.other, "GET /tracker.png") {
		t.Errorf("control: the server missed the image request: %v", srv.other)
	}
	srv.mu.Unlock()
	if len(cprob) == 0 {
		t.Error("control: the blocked inline script was not reported")
	}
}

func containsPrefix(ss []string, prefix string) bool {
	for _, s := range ss {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
