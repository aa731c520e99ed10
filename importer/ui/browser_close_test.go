package ui_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/leadstatus/leadstatus/importer/fake"
)

type step struct {
	name    string
	actions []chromedp.Action[chromedp.Void]
}

// run does the steps in order, saving failed.png in shots when one fails.
func run(t *testing.T, ctx context.Context, shots string, page *uiProcess, steps []step) {
	t.Helper()
	for _, st := range steps {
		if err := chromedp.Do(ctx, st.actions...); err != nil {
			_ = chromedp.Do(ctx, screenshot(shots, "failed"))
			t.Fatalf("%s: %v (screenshot failed.png in %s)\n%s", st.name, err, shots, page.errOut.String())
		}
	}
}

func textOf(dst *string, sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
		*dst, err = chromedp.Text(chromedp.CSS(sel))(ctx, tg)
		return err
	})
}

func clearInput(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = ""; return true; })()`, sel))(ctx, tg)
		return err
	})
}

// quietPort returns a loopback address nothing listens on, with a port below
// the range the system hands out for outgoing connections (32768 and up on
// Linux), so no connection takes it while the test leaves it closed.
func quietPort(t *testing.T) string {
	t.Helper()
	for port := 20000 + os.Getpid()%5000; port < 32000; port += 97 {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		addr := ln.Addr().String()
		ln.Close()
		return addr
	}
	t.Fatal("no free loopback port below 32000")
	return ""
}

// unreachable: a check while Nutshell cannot be reached says so and offers
// "Check again"; once Nutshell answers, that one click makes the plan.
func unreachable(t *testing.T, browser context.Context, input, shots string) {
	const user, key = "me@example.com", "unreachable-key-0042"
	// A port nothing listens on until the fake starts there.
	addr := quietPort(t)
	page := startUI(t, map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": "http://" + addr + "/rest"})
	ctx := newTab(t, browser)
	var problem, plan, running string
	run(t, ctx, shots, page, []step{
		{"choose the file", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(page.url),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{input}),
			chromedp.Click(chromedp.ID("read-file")),
			chromedp.WaitVisible(chromedp.ID("screen-columns")),
		}},
		{"check while unreachable", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("check")),
			// Nutshell does not answer: the check goes on, with its Cancel.
			chromedp.WaitVisible(chromedp.ID("cancel-check")),
			textOf(&running, "#check-progress"),
			screenshot(shots, "0-check-running"),
			chromedp.WaitVisible(chromedp.ID("check-problem")),
			textOf(&problem, "#check-problem"),
			screenshot(shots, "1-check-unreachable"),
		}},
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	srv := &http.Server{Handler: fake.New(fake.Options{Username: user, APIKey: key})}
	go srv.Serve(ln)
	defer srv.Close()
	run(t, ctx, shots, page, []step{
		{"check again", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("retry-check")),
			chromedp.WaitVisible(chromedp.ID("send-box")),
			textOf(&plan, "#plan-summary .summary-counts"),
			screenshot(shots, "2-check-again"),
		}},
	})
	if !strings.Contains(running, "of 50 rows checked") && !strings.Contains(running, "getting ready") {
		t.Errorf("the running check shows %q", running)
	}
	if !strings.Contains(problem, "refused") || !strings.Contains(problem, "Check again") {
		t.Errorf("the unreachable check says %q", problem)
	}
	if !strings.Contains(plan, "50 would be sent") {
		t.Errorf("after Check again the plan shows %q", plan)
	}
}

// wholeClose: a pilot, the rest (its count typed), one undo of the whole
// close (typed) that leaves every lead open; the page says at once when the
// program stops; started again on the same folder, its History lists the
// runs and shows them undone.
func wholeClose(t *testing.T, browser context.Context, tmp, shots string) {
	const user, key, n = "me@example.com", "close-key-0042", 130
	nut := fake.New(fake.Options{Username: user, APIKey: key})
	api := &http.Server{Handler: nut}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go api.Serve(ln)
	defer api.Close()
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": "http://" + ln.Addr().String() + "/rest"}

	// As Excel saves a CSV: a byte order mark and CRLF line ends.
	var csv strings.Builder
	csv.WriteString("\ufeffLead ID,Deal,Outcome\r\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&csv, "%d,Deal %d,Won\r\n", i, i)
	}
	input := filepath.Join(t.TempDir(), "quarter close.csv")
	if err := os.WriteFile(input, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := startUIIn(t, dir, env)
	ctx := newTab(t, browser)
	var details, sendLabel, resumeLabel, chain, undoText, undoLabel, undone, stopped string
	var resumeDisabled, undoDisabled bool
	disabled := func(dst *bool, id string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			*dst, err = chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).disabled`, id))(ctx, tg)
			return err
		})
	}
	run(t, ctx, shots, page, []step{
		{"check", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(page.url),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{input}),
			chromedp.Click(chromedp.ID("read-file")),
			chromedp.WaitVisible(chromedp.ID("screen-columns")),
			screenshot(shots, "1-columns"),
			chromedp.Click(chromedp.ID("check")),
			chromedp.WaitVisible(chromedp.ID("send-box")),
			chromedp.WaitVisible(chromedp.CSS("#plan-rows tbody tr details summary")),
			screenshot(shots, "2-plan-confirm"),
			chromedp.Click(chromedp.CSS("#plan-rows tbody tr details summary")),
			chromedp.WaitVisible(chromedp.CSS("#plan-rows tbody tr details dl")),
			textOf(&details, "#plan-rows tbody tr details dl"),
			screenshot(shots, "2b-row-details"),
		}},
		{"pilot of 10", []chromedp.Action[chromedp.Void]{
			clearInput("#limit"),
			chromedp.SendKeys(chromedp.ID("limit"), "10"),
			textOf(&sendLabel, "#send"),
			screenshot(shots, "3-plan-pilot"),
			chromedp.Click(chromedp.ID("send")),
			chromedp.WaitVisible(chromedp.ID("resume-box")),
			textOf(&resumeLabel, "#resume"),
			disabled(&resumeDisabled, "resume"),
			screenshot(shots, "4-pilot-done"),
		}},
		{"the rest, its count typed", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("resume-confirm"), fmt.Sprint(n-10)),
			chromedp.Click(chromedp.ID("resume")),
			chromedp.WaitVisible(chromedp.ID("chain-text")),
			chromedp.WaitVisible(chromedp.CSS("#done-rows table tbody tr")),
			textOf(&chain, "#chain-text"),
			screenshot(shots, "5-rest-done"),
		}},
		{"undo the whole close", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("undo-plan")),
			chromedp.WaitVisible(chromedp.ID("undo-box")),
			textOf(&undoText, "#undo-text"),
			textOf(&undoLabel, "#undo"),
			disabled(&undoDisabled, "undo"),
			screenshot(shots, "6-undo-plan"),
			chromedp.SendKeys(chromedp.ID("undo-confirm"), fmt.Sprint(n)),
			chromedp.Click(chromedp.ID("undo")),
			chromedp.WaitVisible(chromedp.ID("download-undo")),
			textOf(&undone, "#undo-result .summary-counts"),
			screenshot(shots, "7-undone"),
		}},
	})
	checks := []struct{ what, got, want string }{
		{"a row's details", details, "import_body"},
		{"send button", sendLabel, "Send 10 updates to Nutshell (a pilot: 10 of 130)"},
		{"resume button", resumeLabel, "Send what did not succeed (120 updates)"},
		{"the close", chain, "a pilot of 10 (10 succeeded), then the rest (120 succeeded)"},
		{"undo plan", undoText, "2 runs"},
		{"undo plan", undoText, "the close changed 130 leads"},
		{"undo button", undoLabel, "Reopen 130 leads"},
		{"undone", undone, "130 succeeded"},
	}
	for _, c := range checks {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s shows %q, want %q", c.what, c.got, c.want)
		}
	}
	if !resumeDisabled || !undoDisabled {
		t.Errorf("over %d, the buttons wait for the number typed: resume disabled %v, undo disabled %v", 100, resumeDisabled, undoDisabled)
	}
	for i := 1; i <= n; i++ {
		if l, _ := nut.Lead(fmt.Sprint(i)); l.Status != "open" {
			t.Fatalf("lead %d is %q after the undo of the whole close", i, l.Status)
		}
	}

	// The program stops: the page says so at once.
	page.stop(t, tmp)
	run(t, ctx, shots, page, []step{
		{"stopped", []chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(chromedp.ID("screen-stopped")),
			textOf(&stopped, "#screen-stopped"),
			screenshot(shots, "8-stopped"),
		}},
	})
	if !strings.Contains(stopped, "start leadstatus again") || !strings.Contains(stopped, dir) {
		t.Errorf("the stopped page says %q", stopped)
	}

	// Started again on the same folder: the history.
	again := startUIIn(t, dir, env)
	ctx2 := newTab(t, browser)
	var history string
	run(t, ctx2, shots, again, []step{
		{"history after a restart", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(again.url),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			chromedp.Click(chromedp.ID("nav-history")),
			chromedp.WaitVisible(chromedp.CSS("#history-list table tbody tr")),
			textOf(&history, "#history-list"),
			screenshot(shots, "9-history"),
		}},
	})
	for _, want := range []string{"Pilot", "Send of what was left", "Check (nothing sent)", "Undo", "10 succeeded, 120 not sent · undone", "quarter close.csv"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history does not show %q:\n%s", want, history)
		}
	}
	again.stop(t, tmp)
}

// historyResume: a pilot, then the program stops; started again, the same
// file chosen, History sends what the pilot left.
func historyResume(t *testing.T, browser context.Context, tmp, shots string) {
	const user, key, n = "me@example.com", "resume-key-0042", 20
	api := &http.Server{Handler: fake.New(fake.Options{Username: user, APIKey: key})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go api.Serve(ln)
	defer api.Close()
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": "http://" + ln.Addr().String() + "/rest"}
	var csv strings.Builder
	csv.WriteString("Lead ID,Outcome\r\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&csv, "%d,Lost\r\n", i)
	}
	input := filepath.Join(t.TempDir(), "pilot.csv")
	if err := os.WriteFile(input, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	choose := func(page *uiProcess) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(page.url),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{input}),
			chromedp.Click(chromedp.ID("read-file")),
			chromedp.WaitVisible(chromedp.ID("screen-columns")),
		}
	}
	first := startUIIn(t, dir, env)
	ctx := newTab(t, browser)
	run(t, ctx, shots, first, []step{
		{"pilot of 3", append(choose(first),
			chromedp.Click(chromedp.ID("check")),
			chromedp.WaitVisible(chromedp.ID("send-box")),
			clearInput("#limit"),
			chromedp.SendKeys(chromedp.ID("limit"), "3"),
			chromedp.Click(chromedp.ID("send")),
			chromedp.WaitVisible(chromedp.ID("resume-box")),
		)},
	})
	first.stop(t, tmp)
	again := startUIIn(t, dir, env)
	ctx2 := newTab(t, browser)
	var box, counts string
	run(t, ctx2, shots, again, []step{
		{"the same file, then History", append(choose(again),
			chromedp.Click(chromedp.ID("nav-history")),
			chromedp.WaitVisible(chromedp.CSS("#history-list button[data-report]")),
			screenshot(shots, "1-history-resumable"),
			chromedp.Click(chromedp.CSS("#history-list button[data-report]:last-child")),
			chromedp.WaitVisible(chromedp.ID("history-resume-box")),
			textOf(&box, "#history-resume-box"),
			screenshot(shots, "2-history-resume"),
			chromedp.Click(chromedp.ID("history-resume")),
			chromedp.WaitVisible(chromedp.ID("screen-done")),
			chromedp.WaitVisible(chromedp.CSS("#done-summary .summary-counts")),
			textOf(&counts, "#done-summary .summary-counts"),
			screenshot(shots, "3-history-resumed"),
		)},
	})
	if !strings.Contains(box, "Send what did not succeed (17 updates)") {
		t.Errorf("the history's resume says %q", box)
	}
	if !strings.Contains(counts, "17 succeeded") || !strings.Contains(counts, "3 left alone") {
		t.Errorf("resumed from the history: %q", counts)
	}
	again.stop(t, tmp)
}
