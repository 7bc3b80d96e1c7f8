// Package htmltest holds the end-to-end test of the HTML report in a real
// browser: Debian's headless Chromium (/usr/bin/chromium, or $LW_CHROMIUM),
// driven over the Chrome DevTools Protocol with chromedp. The test opens a
// report rendered from the shared fixtures, uses the filters, checks that the
// page made no network request and broke no Content-Security-Policy rule,
// checks the page without JavaScript and in print media, and saves
// screenshots and a PDF to $LW_ARTIFACTS (or a temporary folder it logs).
//
// Without Chromium the test is skipped, except under CI=true, where it fails.
// Install it with `apt-get install -y chromium`.
package htmltest
