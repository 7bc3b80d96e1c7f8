package report_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/lambdawarden/lambdawarden/internal/report"
	"github.com/lambdawarden/lambdawarden/internal/report/reporttest"
	"github.com/lambdawarden/lambdawarden/internal/result"
)

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// TestHTMLSelfContained: nothing in the page can reach the network, and the
// policy allows exactly the inline style and script that are there.
func TestHTMLSelfContained(t *testing.T) {
	b := renderFormat(t, "html", reporttest.Scan(), report.Options{Timestamps: true})
	doc := parseHTML(t, b)
	var csp string
	var styles, scripts []string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "meta":
			if v, _ := attr(n, "http-equiv"); strings.EqualFold(v, "Content-Security-Policy") {
				csp, _ = attr(n, "content")
			}
		case "style":
			styles = append(styles, text(n))
		case "script":
			if _, ok := attr(n, "src"); ok {
				t.Errorf("external script %v", n.Attr)
			}
			scripts = append(scripts, text(n))
		case "link":
			if rel, _ := attr(n, "rel"); rel != "icon" {
				t.Errorf("<link rel=%q>", rel)
			}
			if href, _ := attr(n, "href"); !strings.HasPrefix(href, "data:") {
				t.Errorf("<link href=%q> is not a data: URL", href)
			}
		case "img", "iframe", "object", "embed", "video", "audio", "source":
			t.Errorf("<%s> element in a self-contained report", n.Data)
		}
		for _, a := range n.Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s=...>: inline styles and handlers are blocked by the policy", n.Data, a.Key)
			}
			if (a.Key == "src" || a.Key == "href" || a.Key == "action") && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "data:") {
				t.Errorf("<%s %s=%q> points outside the page", n.Data, a.Key, a.Val)
			}
		}
	})
	if len(styles) != 1 || len(scripts) != 1 {
		t.Fatalf("%d style and %d script elements, want 1 each", len(styles), len(scripts))
	}
	for _, s := range append(styles, scripts...) {
		for _, bad := range []string{"http:", "https:", "@import", "url(", "fetch(", "XMLHttpRequest", "WebSocket", "eval(", "innerHTML"} {
			if strings.Contains(s, bad) {
				t.Errorf("inline code contains %q", bad)
			}
		}
	}
	for _, want := range []string{"default-src 'none'", "style-src " + cspHash(styles[0]), "script-src " + cspHash(scripts[0]), "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows unsafe sources", csp)
	}
}

// TestHTMLContent: everything is rendered on the server side, so a reader
// without JavaScript sees every result, the summaries, waivers and errors.
func TestHTMLContent(t *testing.T) {
	s := reporttest.Scan()
	b := renderFormat(t, "html", s, report.Options{Timestamps: true})
	doc := parseHTML(t, b)
	var rows, cards int
	statuses := map[string]int{}
	ids := map[string]bool{}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if id, ok := attr(n, "id"); ok {
			if ids[id] {
				t.Errorf("duplicate id %q", id)
			}
			ids[id] = true
		}
		if st, ok := attr(n, "data-status"); ok && n.Data == "tr" {
			rows++
			statuses[st]++
			for _, k := range []string{"data-severity", "data-check", "data-criteria"} {
				if v, _ := attr(n, k); v == "" {
					t.Errorf("row lacks %s", k)
				}
			}
		}
		if _, ok := attr(n, "data-card"); ok {
			cards++
		}
	})
	if rows != len(s.Results) {
		t.Errorf("%d result rows for %d results", rows, len(s.Results))
	}
	sum := result.Summarize(s)
	if statuses["PASS"] != sum.Pass || statuses["FAIL"] != sum.Fail || statuses["UNKNOWN"] != sum.Unknown || statuses["WAIVED"] != sum.Waived {
		t.Errorf("rows by status %v, summary %+v", statuses, sum)
	}
	if cards != 5 {
		t.Errorf("%d cards, want 5 (orders-api, batch-img, orders/fn nested, payments, the account)", cards)
	}
	page := text(doc)
	for _, want := range []string{
		"8 failing results need attention",
		"Failures by severity", "SOC 2 criteria", "CC6.1", "Logical access", "Confidential information",
		"Not assessed by the checks in this scan: CC6.7",
		"Waivers (3)", "bounded by the SQS batch size", "2027-06-30", "no expiry", "launch week traffic",
		"Inputs that could not be read (2)", "infra/broken.tf:4",
		"Could not be evaluated: log group name is unknown",
		"Remediation:", "Store the value in Secrets Manager",
		"21 November 2026, 10:00 UTC",
		"payments", "arn:aws:lambda:eu-west-1:123456789012:function:payments", "AWS account 123456789012",
		"sk_l****, 32 chars",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	// The hostile waiver reason is text, not markup.
	if bytes.Contains(b, []byte("<script>alert")) {
		t.Error("waiver reason injected markup")
	}
	if !strings.Contains(page, `<script>alert('x')</script>`) {
		t.Error("hostile reason not shown as text")
	}
	// Without timestamps there is no time.
	if nt := renderFormat(t, "html", s, report.Options{}); bytes.Contains(nt, []byte("Scan time")) {
		t.Error("scan time shown without Options.Timestamps")
	}
}

func TestHTMLDeterministic(t *testing.T) {
	cases := []struct {
		name string
		scan *result.Scan
	}{
		{"fixture", reporttest.Scan()},
		{"clean", reporttest.CleanScan()},
		{"empty", &result.Scan{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := renderFormat(t, "html", tc.scan, report.Options{})
			if !bytes.Equal(a, renderFormat(t, "html", tc.scan, report.Options{})) {
				t.Error("two renderings differ")
			}
			parseHTML(t, a)
		})
	}
}

func TestHTMLGolden(t *testing.T) {
	assertGolden(t, "fixture.html", renderFormat(t, "html", reporttest.Scan(), report.Options{Timestamps: true}))
}
