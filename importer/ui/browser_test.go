package ui_test

import (
	"bytes"
	"context"
	"errors"

	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/leadstatus/leadstatus/importer/cli"
	"github.com/leadstatus/leadstatus/importer/fake"
)

// lockedBuffer is an io.Writer the command writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testIO(out, errOut io.Writer) *cli.IO {
	return &cli.IO{In: strings.NewReader(""), Out: out, Err: errOut, Getenv: func(string) string { return "" }, Now: time.Now}
}

// chromium finds Debian's Chromium (or another Chromium-based browser).
func chromium() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("no chromium, chromium-browser or google-chrome on PATH")
}

// TestBrowser drives headless Chromium through the page. Sign-in: without
// credentials in the environment the page asks for them. Then once per
// report format, against the built-in fake: file, columns, plan, send, done,
// undo; each report the page offers is compared with the CLI's report for
// the same input. Every screen is saved as a screenshot.
func TestBrowser(t *testing.T) {
	browser, artifacts := newBrowser(t)
	input, err := filepath.Abs(filepath.Join("..", "..", "samples", "quarter-end.csv"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the page makes its private upload folder

	t.Run("sign-in", func(t *testing.T) {
		signIn(t, browser, tmp, filepath.Join(artifacts, "signin"))
	})
	t.Run("summary-fields", func(t *testing.T) {
		summaryFields(t, browser, filepath.Join(artifacts, "summary"))
	})
	t.Run("unreachable", func(t *testing.T) {
		unreachable(t, browser, input, filepath.Join(artifacts, "unreachable"))
	})
	t.Run("close", func(t *testing.T) {
		wholeClose(t, browser, tmp, filepath.Join(artifacts, "close"))
	})
	t.Run("map", func(t *testing.T) {
		mapOnThePage(t, browser, tmp, filepath.Join(artifacts, "map"))
	})
	t.Run("history-resume", func(t *testing.T) {
		historyResume(t, browser, tmp, filepath.Join(artifacts, "history-resume"))
	})
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			shots := filepath.Join(artifacts, format)
			page := startUI(t, nil, "--mock")
			got := page.flow(t, browser, input, format, shots)

			// The CLI's report for the same input and options, on its own
			// fake, run beside the input as a user would.
			want := filepath.Join(t.TempDir(), "cli."+format)
			var out, errOut lockedBuffer
			t.Chdir(filepath.Dir(input))
			err := cli.Run(context.Background(), context.Background(), []string{"import", "--mock", filepath.Base(input), "--report", want}, testIO(&out, &errOut))
			if err != nil {
				t.Fatalf("leadstatus import: %v\n%s", err, errOut.String())
			}
			if format == "csv" {
				compareCSV(t, got, want)
			} else {
				compareXLSX(t, got, want)
			}
			page.stop(t, tmp)
			t.Logf("screenshots in %s", shots)
		})
	}
}

// newBrowser starts headless Chromium, or skips the test when there is
// none, and returns its context and the folder for screenshots.
func newBrowser(t *testing.T) (context.Context, string) {
	t.Helper()
	path, err := chromium()
	if err != nil {
		if os.Getenv("LEADSTATUS_REQUIRE_BROWSER") != "" {
			t.Fatalf("LEADSTATUS_REQUIRE_BROWSER is set but %v", err)
		}
		t.Skipf("browser test skipped: %v (install Debian's chromium package: apt-get install chromium)", err)
	}
	artifacts := os.Getenv("LEADSTATUS_UI_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // the test may run as root
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.WindowSize(1280, 1100),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	browser, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return browser, artifacts
}

// newTab opens a tab with a time limit for one flow.
func newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatal(err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

func screenshot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	})
}

// signIn types a wrong key, then the right one, into the page of a
// "leadstatus ui" that found no credentials, and checks the key typed in
// is not in the page afterwards.
func signIn(t *testing.T, browser context.Context, tmp, shots string) {
	const user, key = "me@example.com", "typed-secret-key-0042"
	api := httptest.NewServer(fake.New(fake.Options{Username: user, APIKey: key}))
	defer api.Close()
	page := startUI(t, map[string]string{"NUTSHELL_API_URL": api.URL + "/rest"})
	ctx := newTab(t, browser)
	var where, refused, html string
	err := chromedp.Do(ctx,
		chromedp.Navigate(page.url),
		chromedp.WaitVisible(chromedp.ID("screen-signin")),
		screenshot(shots, "0-signin"),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("apikey"), "wrong-key"),
		chromedp.Click(chromedp.CSS("#signin button")),
		chromedp.WaitVisible(chromedp.ID("error")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			refused, err = chromedp.Text(chromedp.ID("error"))(ctx, tg)
			return err
		}),
		screenshot(shots, "0-signin-refused"),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[string](`document.getElementById("apikey").value = ""`)(ctx, tg)
			return err
		}),
		chromedp.SendKeys(chromedp.ID("apikey"), key),
		chromedp.Click(chromedp.CSS("#signin button")),
		chromedp.WaitVisible(chromedp.ID("screen-file")),
		screenshot(shots, "1-file-signed-in"),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			if where, err = chromedp.Text(chromedp.ID("where"))(ctx, tg); err != nil {
				return err
			}
			html, err = chromedp.Evaluate[string](`document.documentElement.outerHTML + document.getElementById("apikey").value`)(ctx, tg)
			return err
		}),
	)
	if err != nil {
		t.Fatalf("sign in: %v\n%s", err, page.errOut.String())
	}
	if refused == "" || strings.Contains(refused, "wrong-key") {
		t.Errorf("a wrong key: the page says %q", refused)
	}
	if !strings.Contains(where, "Nutshell as "+user) {
		t.Errorf("header %q does not name the user", where)
	}
	if strings.Contains(html, key) {
		t.Error("the API key is still in the page after signing in")
	}
	page.stop(t, tmp)
}

// summaryFields draws a summary that has the fields a newer SummaryRecord
// adds (exit_code, reasons, plan, columns_not_sent), as the page would get
// it from the server, and checks each is shown.
func summaryFields(t *testing.T, browser context.Context, shots string) {
	page := startUI(t, nil, "--mock")
	ctx := newTab(t, browser)
	const draw = `(() => {
		const summary = {event: "summary", input: "q.csv", report: "/r/q.report.csv", rows: 5,
			results: {"dry-run": 3, skipped: 1, invalid: 1, succeeded: 0, failed: 0, "not-sent": 0},
			requests: 0, requests_per_sec: 0, rate_limited: 0, final_rate: 20, elapsed_seconds: 0.5,
			dry_run: true, interrupted: false, stopped: "", resume_command: "", warnings: [],
			exit_code: 1,
			plan: [{result: "dry-run", before: "open", target: "Won", leads: 2}, {result: "dry-run", before: "", target: "Lost", leads: 1}],
			reasons: [{result: "invalid", kind: "unknown-outcome", reason: "no outcome named Wonn", count: 1, rows: [4]}],
			columns_not_sent: ["Owner", "Notes"]};
		state = {mock: true, signed_in: true, dir: "/r", max_upload: 1, confirm_over: 100,
			file: {name: "q.csv", columns: [], warnings: []},
			jobs: [{id: 1, kind: "check", running: false, stopping: false, progress: {total: 5, done: 5, counts: {}, rows_per_second: 0, eta_seconds: 0, elapsed_seconds: 0.5},
				report: "/r/q.report.csv", report_name: "q.report.csv", summary, can_resume: false, updates: 3}]};
		rowsShown["plan-rows"] = 1;
		rowsShown["plan-reasons"] = 1;
		render();
		return document.getElementById("plan-summary").innerText + "\n" + document.getElementById("send").textContent;
	})()`
	var shown string
	err := chromedp.Do(ctx,
		chromedp.Navigate(page.url),
		chromedp.WaitVisible(chromedp.ID("screen-file")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			shown, err = chromedp.Evaluate[string](draw)(ctx, tg)
			return err
		}),
		screenshot(shots, "plan-with-reasons"),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 would be sent", "1 need fixing in the file", "Won", "Lost", "not read", "Owner, Notes", "Send 3 updates to Nutshell"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the summary does not show %q:\n%s", want, shown)
		}
	}
}

// uiProcess is "leadstatus ui" running in the test.
type uiProcess struct {
	url    string
	dir    string
	cancel context.CancelFunc // the first Ctrl-C
	done   chan struct{}      // closed when the command returns
	err    error              // what it returned
	errOut *lockedBuffer
}

// startUI runs "leadstatus ui --no-open" with env as its environment; it is
// stopped when the test ends, if not before.
func startUI(t *testing.T, env map[string]string, args ...string) *uiProcess {
	t.Helper()
	return startUIIn(t, t.TempDir(), env, args...)
}

// startUIIn is startUI writing its reports to dir.
func startUIIn(t *testing.T, dir string, env map[string]string, args ...string) *uiProcess {
	t.Helper()
	p := &uiProcess{dir: dir, done: make(chan struct{}), errOut: &lockedBuffer{}}
	var out lockedBuffer
	stop, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	sys := testIO(&out, p.errOut)
	sys.Getenv = func(k string) string { return env[k] }
	go func() {
		defer close(p.done)
		p.err = cli.Run(context.Background(), stop, append([]string{"ui", "--no-open", "--dir", p.dir}, args...), sys)
	}()
	t.Cleanup(func() {
		cancel()
		<-p.done
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if i := strings.Index(out.String(), "http://"); i >= 0 {
			p.url = strings.Fields(out.String()[i:])[0]
			return p
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	t.Fatalf("leadstatus ui printed no address: %s %s", out.String(), p.errOut.String())
	return nil
}

// stop presses Ctrl-C and checks the uploaded copies are gone.
func (p *uiProcess) stop(t *testing.T, tmp string) {
	t.Helper()
	p.cancel()
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("leadstatus ui: %v\n%s", p.err, p.errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("leadstatus ui did not stop")
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "leadstatus-ui-*"))
	if len(left) > 0 {
		t.Errorf("uploads left after stopping: %v", left)
	}
}

// flow clicks through every screen and returns the downloaded report's path.
func (p *uiProcess) flow(t *testing.T, browser context.Context, input, format, shots string) string {
	t.Helper()
	ctx := newTab(t, browser)

	shot := func(name string) chromedp.Action[chromedp.Void] { return screenshot(shots, name) }
	text := func(dst *string, sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			*dst, err = chromedp.Text(chromedp.CSS(sel))(ctx, tg)
			return err
		})
	}
	var columns, planCounts, sendLabel, doneCounts, undoText, undoCounts, rows string
	var href chromedp.AttributeResult
	steps := []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
	}{
		{"open the one-time link", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(p.url),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			shot("1-file"),
		}},
		{"choose the file", []chromedp.Action[chromedp.Void]{
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{input}),
			chromedp.Click(chromedp.ID("read-file")),
			chromedp.WaitVisible(chromedp.ID("screen-columns")),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
				columns, err = chromedp.Evaluate[string](`[...document.querySelectorAll("#columns select")].map(s => s.value).join(",")`)(ctx, tg)
				return err
			}),
			shot("2-columns"),
		}},
		{"check", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("check")),
			chromedp.WaitVisible(chromedp.ID("send-box")),
			chromedp.WaitVisible(chromedp.CSS("#plan-rows table tbody tr")),
			text(&planCounts, "#plan-summary .summary-counts"),
			text(&sendLabel, "#send"),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
				rows, err = chromedp.Evaluate[string](`String(document.querySelectorAll("#plan-rows tbody tr").length)`)(ctx, tg)
				return err
			}),
			shot("3-plan"),
		}},
		{"send", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.ID("format"), format),
			chromedp.Click(chromedp.ID("send")),
			chromedp.WaitVisible(chromedp.CSS("#send-progress progress")),
			shot("4-sending"),
			chromedp.WaitVisible(chromedp.ID("screen-done")),
			chromedp.WaitVisible(chromedp.CSS("#done-rows table tbody tr")),
			text(&doneCounts, "#done-summary .summary-counts"),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
				href, err = chromedp.AttributeValue(chromedp.ID("download"), "href")(ctx, tg)
				return err
			}),
			shot("5-done"),
		}},
		{"plan the undo", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("undo-plan")),
			chromedp.WaitVisible(chromedp.ID("undo-box")),
			text(&undoText, "#undo-text"),
			shot("6-undo-plan"),
		}},
		{"undo", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("undo")),
			chromedp.WaitVisible(chromedp.ID("download-undo")),
			text(&undoCounts, "#undo-result .summary-counts"),
			shot("7-undone"),
		}},
	}
	for _, step := range steps {
		if err := chromedp.Do(ctx, step.actions...); err != nil {
			_ = chromedp.Do(ctx, screenshot(shots, "failed"))
			t.Fatalf("%s: %v (screenshot failed.png in %s)\n%s", step.name, err, shots, p.errOut.String())
		}
	}
	checks := []struct {
		what, got, want string
	}{
		{"columns", columns, "outcome"},
		{"columns", columns, "competitor_maps"},
		{"columns", columns, "keep"},
		{"plan", planCounts, "50 would be sent"},
		{"plan's rows table", rows, "50"},
		{"send button", sendLabel, "Send 50 updates to Nutshell"},
		{"done", doneCounts, "50 succeeded"},
		{"undo plan", undoText, "the close changed 50 leads"},
		{"undo", undoCounts, "50 succeeded"},
	}
	for _, c := range checks {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s shows %q, want %q", c.what, c.got, c.want)
		}
	}

	// Fetch the report as the download link does, with the session cookie.
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	base := p.url[:strings.Index(p.url, "/?")]
	req, _ := http.NewRequest(http.MethodGet, base+href.Value, nil)
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download %s: %d %s", href.Value, resp.StatusCode, body)
	}
	_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	name := params["filename"]
	if !strings.HasPrefix(name, "quarter-end.report-") || filepath.Ext(name) != "."+format {
		t.Errorf("download named %q, want quarter-end.report-YYYYMMDD-HHMMSS.%s", name, format)
	}
	got := filepath.Join(t.TempDir(), "page."+format)
	if err := os.WriteFile(got, body, 0o644); err != nil {
		t.Fatal(err)
	}
	// The same report is in --dir, named as the CLI names it.
	if b, err := os.ReadFile(filepath.Join(p.dir, name)); err != nil || !bytes.Equal(b, body) {
		t.Errorf("the download is not the report %s in --dir (%v)", name, err)
	}
	return got
}

// compareCSV compares two CSV reports byte for byte: request IDs come from
// the fake's seed and the request, so the page's run and the CLI's agree.
func compareCSV(t *testing.T, got, want string) {
	t.Helper()
	g, err1 := os.ReadFile(got)
	w, err2 := os.ReadFile(want)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("reports differ at line %d:\npage: %s\ncli:  %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("reports differ in length: page %d lines, cli %d", len(gl), len(wl))
	}
}

// runSpecificLabels start the rows of a summary sheet whose values belong
// to one run: when it ran, how long it took, the rate it ended at and the
// requests it made (retries included).
var runSpecificLabels = map[string]bool{"Started": true, "Elapsed": true, "Final rate (requests/s)": true,
	"Requests": true, "  reads": true, "  updates": true}

// compareXLSX compares every sheet cell by cell (values as shown and as
// stored). Masked: on the summary sheet, the rows whose first cell is a
// run-specific label.
func compareXLSX(t *testing.T, got, want string) {
	t.Helper()
	g, err := excelize.OpenFile(got)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	w, err := excelize.OpenFile(want)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sheets := w.GetSheetList()
	if gs := g.GetSheetList(); strings.Join(gs, "|") != strings.Join(sheets, "|") {
		t.Fatalf("sheets: page %v, cli %v", gs, sheets)
	}
	for n, sheet := range sheets {
		for _, raw := range []bool{false, true} {
			gr, err1 := g.GetRows(sheet, excelize.Options{RawCellValue: raw})
			wr, err2 := w.GetRows(sheet, excelize.Options{RawCellValue: raw})
			if err := errors.Join(err1, err2); err != nil {
				t.Fatal(err)
			}
			if len(gr) != len(wr) || len(wr) < 2 {
				t.Fatalf("sheet %s: page %d rows, cli %d", sheet, len(gr), len(wr))
			}
			masked := func(i, j int) bool { return n > 0 && len(wr[i]) > 0 && runSpecificLabels[wr[i][0]] && j > 0 }
			for i := range wr {
				if len(gr[i]) != len(wr[i]) {
					t.Fatalf("sheet %s row %d: page %d cells, cli %d", sheet, i+1, len(gr[i]), len(wr[i]))
				}
				for j := range wr[i] {
					if !masked(i, j) && gr[i][j] != wr[i][j] {
						cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
						t.Errorf("%s!%s (raw %v): page %q, cli %q", sheet, cell, raw, gr[i][j], wr[i][j])
					}
				}
			}
		}
	}
}
