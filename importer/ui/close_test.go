package ui

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
)

// fakeNutshell is fakeClient with the fake itself, to look at the leads.
func fakeNutshell(t *testing.T, o fake.Options) (*nutshell.Client, *fake.Server) {
	t.Helper()
	o.Username, o.APIKey = testUser, testKey
	srv := fake.New(o)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: testUser, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

// leadsCSV is n rows closing leads 1..n as Won.
func leadsCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("Lead ID,Outcome\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,Won\n", i)
	}
	return []byte(b.String())
}

func (ts *testServer) get(path string, v any) int {
	ts.t.Helper()
	w := ts.do(http.MethodGet, path, nil, "")
	if v != nil {
		if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
			ts.t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
	}
	return w.Code
}

// TestEveryCountConfirmed: Send, "Send what did not succeed" and Undo each
// want their number typed above ConfirmOver, whatever ran before: a pilot of
// 10 waives nothing for the 120 after it.
func TestEveryCountConfirmed(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, nut := fakeNutshell(t, withKind(fake.Options{}, kind))
		ts := newTestServer(t, Config{Client: client})
		ts.signIn()
		const n = ConfirmOver + 30
		ts.upload("close.csv", leadsCSV(n))
		ts.wait(startJob(t, ts.postJSON("/api/check", checkRequest{})))
		pilot := ts.wait(startJob(t, ts.postJSON("/api/send", sendRequest{Limit: 10})))
		if pilot.Summary.Results[report.Succeeded] != 10 || pilot.Left != n-10 {
			t.Fatalf("pilot: %+v, left %d", pilot.Summary.Results, pilot.Left)
		}
		for _, confirm := range []int{0, n - 10 + 1} {
			if w := ts.postJSON("/api/resume", sendRequest{Confirm: confirm}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), fmt.Sprintf("type %d", n-10)) {
				t.Errorf("the rest with %d typed: %d %s", confirm, w.Code, w.Body)
			}
		}
		rest := ts.wait(startJob(t, ts.postJSON("/api/resume", sendRequest{Confirm: n - 10})))
		if rest.Summary.Results[report.Succeeded] != n-10 {
			t.Fatalf("the rest: %+v", rest.Summary.Results)
		}
		// One undo for the whole close: both reports, every lead.
		var plan undoPlanView
		ts.get("/api/jobs/"+itoa(rest.ID)+"/undo", &plan)
		if plan.Leads != n || len(plan.Reports) != 2 || plan.Reports[0] != filepath.Base(rest.Report) || plan.Reports[1] != filepath.Base(pilot.Report) {
			t.Fatalf("undo plan %+v, want %d leads from both reports", plan, n)
		}
		if w := ts.postJSON("/api/jobs/"+itoa(rest.ID)+"/undo", sendRequest{}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), fmt.Sprintf("type %d", n)) {
			t.Errorf("undo without the number: %d %s", w.Code, w.Body)
		}
		undo := ts.wait(startJob(t, ts.postJSON("/api/jobs/"+itoa(rest.ID)+"/undo", sendRequest{Confirm: n})))
		if undo.Summary.Results[report.Succeeded] != n || undo.Progress.Done != plan.Rows {
			t.Errorf("undo: %+v, progress %+v", undo.Summary.Results, undo.Progress)
		}
		// Each row of the file once, though both reports hold every row.
		if undo.Summary.Rows != n || undo.Summary.Results[report.Skipped] != 0 {
			t.Errorf("undo of the close: %d rows %+v, want %d rows all succeeded", undo.Summary.Rows, undo.Summary.Results, n)
		}
		if p := undo.Summary.Plan; len(p) != 1 || p[0].Leads != n || p[0].Target != "reopen" {
			t.Errorf("undo of the close did %+v, want %d leads reopened", p, n)
		}
		for i := 1; i <= n; i++ {
			if l, _ := nut.Lead(itoa(i)); l.Status != "open" {
				t.Fatalf("lead %d is %q after the undo of the whole close", i, l.Status)
			}
		}
	})
}

// TestUndoCloseAfterOneRunUndone: a pilot undone on its own (from the
// history), then "Undo this close": the plan says the pilot was undone
// already, and its leads, read first and found open, are left alone.
func TestUndoCloseAfterOneRunUndone(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, nut := fakeNutshell(t, withKind(fake.Options{}, kind))
		ts := newTestServer(t, Config{Client: client})
		ts.signIn()
		const n = 30
		ts.upload("close.csv", leadsCSV(n))
		ts.wait(startJob(t, ts.postJSON("/api/check", checkRequest{})))
		pilot := ts.wait(startJob(t, ts.postJSON("/api/send", sendRequest{Limit: 10})))
		rest := ts.wait(startJob(t, ts.postJSON("/api/resume", sendRequest{})))
		alone := ts.wait(startJob(t, ts.postJSON("/api/history/undo?name="+filepath.Base(pilot.Report), sendRequest{})))
		if alone.Summary.Results[report.Succeeded] != 10 {
			t.Fatalf("the pilot undone alone: %+v %s", alone.Summary, alone.Error)
		}
		var plan undoPlanView
		ts.get("/api/jobs/"+itoa(rest.ID)+"/undo", &plan)
		if len(plan.Undone) != 1 || plan.Undone[0].Report != filepath.Base(pilot.Report) || plan.Undone[0].By != filepath.Base(alone.Report) {
			t.Fatalf("undo plan %+v: want the pilot named as undone by %s", plan, filepath.Base(alone.Report))
		}
		undo := ts.wait(startJob(t, ts.postJSON("/api/jobs/"+itoa(rest.ID)+"/undo", sendRequest{})))
		if got := undo.Summary.Results; undo.Summary.Rows != n || got[report.Succeeded] != n-10 || got[report.Skipped] != 10 || got[report.Failed] != 0 {
			t.Errorf("undo of the close: %d rows %+v, want %d reopened and the pilot's 10 left alone", undo.Summary.Rows, got, n-10)
		}
		for i := 1; i <= n; i++ {
			if l, _ := nut.Lead(itoa(i)); l.Status != "open" {
				t.Fatalf("lead %d is %q after the undo of the whole close", i, l.Status)
			}
		}
	})
}

// TestHistoryAfterRestart: a page started again on the same report folder
// lists the runs (input, kind, counts), downloads their reports, and undoes
// the whole close of a pilot and the rest; Resume needs the same file.
func TestHistoryAfterRestart(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, nut := fakeNutshell(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		first := newTestServer(t, Config{Client: client, Dir: dir})
		first.signIn()
		first.upload("close.csv", leadsCSV(30))
		first.wait(startJob(t, first.postJSON("/api/check", checkRequest{})))
		pilot := first.wait(startJob(t, first.postJSON("/api/send", sendRequest{Limit: 5})))
		first.wait(startJob(t, first.postJSON("/api/resume", sendRequest{})))

		again := newTestServer(t, Config{Client: client, Dir: dir})
		again.signIn()
		var runs []historyRun
		if code := again.get("/api/history", &runs); code != http.StatusOK || len(runs) != 3 {
			t.Fatalf("history: %d %+v", code, runs)
		}
		kinds := map[string]historyRun{}
		for _, r := range runs {
			kinds[r.Kind] = r
			if r.Input != "close.csv" {
				t.Errorf("%s: input %q", r.Report, r.Input)
			}
		}
		if kinds["check"].Counts[report.DryRun] != 30 || kinds["pilot"].Counts[report.Succeeded] != 5 ||
			kinds["resume"].Counts[report.Succeeded] != 25 || kinds["resume"].Chain != 2 || kinds["resume"].Resumes != filepath.Base(pilot.Report) {
			t.Fatalf("history runs: %+v", runs)
		}
		if w := again.do(http.MethodGet, "/api/history/report?name="+kinds["pilot"].Report, nil, ""); w.Code != http.StatusOK ||
			!strings.Contains(w.Header().Get("Content-Disposition"), kinds["pilot"].Report) {
			t.Errorf("report download: %d %v", w.Code, w.Header())
		}
		for _, bad := range []string{"../x.report-1.csv", "notes.txt", ""} {
			if w := again.do(http.MethodGet, "/api/history/report?name="+bad, nil, ""); w.Code != http.StatusBadRequest {
				t.Errorf("report %q: %d", bad, w.Code)
			}
		}
		// Resume wants the file the run read chosen again.
		if w := again.postJSON("/api/history/resume?name="+kinds["pilot"].Report, sendRequest{}); w.Code != http.StatusConflict {
			t.Errorf("resume without the file: %d %s", w.Code, w.Body)
		}
		var plan undoPlanView
		again.get("/api/history/undo?name="+kinds["resume"].Report, &plan)
		if plan.Leads != 30 || len(plan.Reports) != 2 {
			t.Fatalf("history undo plan %+v", plan)
		}
		undo := again.wait(startJob(t, again.postJSON("/api/history/undo?name="+kinds["resume"].Report, sendRequest{Confirm: 30})))
		if undo.Summary.Results[report.Succeeded] != 30 {
			t.Fatalf("undo: %+v %s", undo.Summary, undo.Error)
		}
		for i := 1; i <= 30; i++ {
			if l, _ := nut.Lead(itoa(i)); l.Status != "open" {
				t.Fatalf("lead %d is %q after the undo from the history", i, l.Status)
			}
		}
		again.get("/api/history", &runs)
		for _, r := range runs {
			if (r.Kind == "pilot" || r.Kind == "resume") && len(r.Undone) != 1 {
				t.Errorf("%s: undone by %v, want its undo report", r.Report, r.Undone)
			}
		}
	})
}

// TestReasonsByValue: rows are grouped by their own reason, so two
// misspelt outcomes are two groups with their own rows; the rows to fix are
// an XLSX of only those rows, the reason beside each; the report comes in
// the other format too.
func TestReasonsByValue(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, _ := fakeNutshell(t, withKind(fake.Options{}, kind))
		ts := newTestServer(t, Config{Client: client})
		ts.signIn()
		ts.upload("typos.csv", []byte("Lead ID,Outcome\n1,Won\n2,Closed Won\n3,Lsot\n4,Closed Won\n5,Lost\n6,Closed Won\n"))
		check := ts.wait(startJob(t, ts.postJSON("/api/check", checkRequest{})))
		var groups []reasonGroup
		ts.get("/api/jobs/"+itoa(check.ID)+"/reasons", &groups)
		if len(groups) != 2 || groups[0].Count != 3 || !strings.Contains(groups[0].Reason, "Closed Won") ||
			fmt.Sprint(groups[0].Rows) != "[3 5 7]" || groups[1].Count != 1 || !strings.Contains(groups[1].Reason, "Lsot") || fmt.Sprint(groups[1].Rows) != "[4]" {
			t.Fatalf("reasons %+v", groups)
		}
		w := ts.do(http.MethodGet, "/api/jobs/"+itoa(check.ID)+"/fix", nil, "")
		if w.Code != http.StatusOK || !strings.HasSuffix(strings.Trim(strings.SplitN(w.Header().Get("Content-Disposition"), "filename=", 2)[1], `"`), ".rows-to-fix.xlsx") {
			t.Fatalf("fix: %d %v", w.Code, w.Header())
		}
		f, err := excelize.OpenReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Rows to fix")
		if len(rows) != 5 || rows[0][0] != "Reason" || rows[0][3] != "Lead ID" || rows[1][2] != "3" || !strings.Contains(rows[1][0], "Closed Won") || rows[2][4] != "Lsot" {
			t.Errorf("rows to fix: %q", rows)
		}
		w = ts.do(http.MethodGet, "/api/jobs/"+itoa(check.ID)+"/report/xlsx", nil, "")
		if w.Code != http.StatusOK {
			t.Fatalf("report as xlsx: %d %s", w.Code, w.Body)
		}
		x, err := excelize.OpenReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := x.GetRows("Report")
		if len(all) != 7 || all[0][0] != "Lead ID" {
			t.Errorf("report as xlsx: %q", all)
		}
	})
}

// TestCheckCancelled: a cancelled check's plan is not complete, so nothing
// may be sent from it until the file is checked again.
func TestCheckCancelled(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, _ := fakeNutshell(t, withKind(fake.Options{}, kind))
		// A check that runs until cancelled, as a long one does.
		cancellable := func(ctx context.Context, o importer.Options) (*importer.Summary, error) {
			o.Progress.Start(400)
			<-o.Stop.Done()
			o.Progress.Finish()
			return &importer.Summary{ReportPath: o.ReportPath, Rows: 12, DryRun: o.DryRun, Interrupted: true,
				Counts: map[report.Result]int{report.DryRun: 12}}, nil
		}
		ts := newTestServer(t, Config{Client: client, Run: cancellable})
		ts.signIn()
		ts.upload("many.csv", leadsCSV(400))
		id := startJob(t, ts.postJSON("/api/check", checkRequest{}))
		// While it runs, the page has the rows of total to show.
		var running jobView
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			ts.get("/api/jobs/"+itoa(id), &running)
			if running.Progress.Total >= 0 {
				break
			}
		}
		if !running.Running || running.Progress.Total != 400 {
			t.Fatalf("the check while it runs: %+v", running)
		}
		if w := ts.do(http.MethodPost, "/api/stop", nil, ""); w.Code != http.StatusOK {
			t.Fatalf("cancel: %d %s", w.Code, w.Body)
		}
		if check := ts.wait(id); !check.Summary.Interrupted {
			t.Fatalf("cancelled check: %+v", check.Summary)
		}
		if w := ts.postJSON("/api/send", sendRequest{Limit: 1}); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "check again") {
			t.Errorf("send after a cancelled check: %d %s", w.Code, w.Body)
		}
	})
}

// TestTwoPagesTwoSessions: cookies ignore ports, so each page names its
// cookie after its port and one page's sign-in leaves the other's alone.
func TestTwoPagesTwoSessions(t *testing.T) {
	a := newTestServer(t, Config{Mock: true})
	b := newTestServer(t, Config{Mock: true})
	a.signIn()
	b.signIn()
	if a.cookie.Name == b.cookie.Name {
		t.Fatalf("both pages name their cookie %q", a.cookie.Name)
	}
	for _, ts := range []*testServer{a, b} {
		if code := ts.get("/api/state", nil); code != http.StatusOK {
			t.Errorf("%s: %d after the other page signed in", ts.host, code)
		}
	}
}

// TestEventsEndWhenStopped: the event stream ends with a "stopped" event
// as soon as the program stops, so the page can say so at once.
func TestEventsEndWhenStopped(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true})
	ts.signIn()
	stop, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- ts.Serve(stop) }()
	req, _ := http.NewRequest(http.MethodGet, "http://"+ts.host+"/api/events", nil)
	req.AddCookie(ts.cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "data: ") {
		t.Fatalf("first event: %q", lines.Text())
	}
	cancel()
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	if !strings.Contains(strings.Join(rest, "\n"), "event: stopped") {
		t.Errorf("the stream ended without saying the program stopped: %q", rest)
	}
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// TestMissingReportFolder: a report folder that does not exist is said in
// plain words with what to do, before anything runs.
func TestMissingReportFolder(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true, Dir: filepath.Join(t.TempDir(), "gone")})
	ts.signIn()
	ts.upload("leads.csv", leadsCSV(3))
	w := ts.postJSON("/api/check", checkRequest{})
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "does not exist") || !strings.Contains(w.Body.String(), "--dir") {
		t.Errorf("check with no report folder: %d %s", w.Code, w.Body)
	}
	if w := ts.do(http.MethodGet, "/api/history", nil, ""); w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "--dir") {
		t.Errorf("history with no report folder: %d %s", w.Code, w.Body)
	}
}

// TestSignInAgain: credentials typed into the page can be forgotten and
// typed again; those from the environment cannot (the page says where).
func TestSignInAgain(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, url := fakeClient(t, withKind(fake.Options{}, kind))
		typed := newTestServer(t, Config{NewClient: func(user string, key nutshell.Secret) (*nutshell.Client, error) {
			return nutshell.New(nutshell.Config{BaseURL: url, Username: user, APIKey: key})
		}})
		typed.signIn()
		if w := typed.postJSON("/api/credentials", credentials{Username: testUser, APIKey: testKey}); w.Code != http.StatusOK {
			t.Fatalf("sign in: %d %s", w.Code, w.Body)
		}
		if w := typed.do(http.MethodPost, "/api/signout", nil, ""); w.Code != http.StatusOK {
			t.Fatalf("sign out: %d %s", w.Code, w.Body)
		}
		var st stateView
		if typed.get("/api/state", &st); st.SignedIn {
			t.Error("still signed in after signing out")
		}
		env := newTestServer(t, Config{Client: client})
		env.signIn()
		if w := env.do(http.MethodPost, "/api/signout", nil, ""); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "NUTSHELL_API_KEY") {
			t.Errorf("sign out of the environment's credentials: %d %s", w.Code, w.Body)
		}
	})
}

// TestHistoryResume: after a restart, the newest run of a close can be
// resumed once its file is chosen again; an older one, whose leftovers a
// later run sent, cannot (that would send them twice).
func TestHistoryResume(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, nut := fakeNutshell(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		data := leadsCSV(30)
		first := newTestServer(t, Config{Client: client, Dir: dir})
		first.signIn()
		first.upload("close.csv", data)
		first.wait(startJob(t, first.postJSON("/api/check", checkRequest{UpdateClosed: true})))
		pilot := first.wait(startJob(t, first.postJSON("/api/send", sendRequest{Limit: 5})))
		second := first.wait(startJob(t, first.postJSON("/api/resume", sendRequest{})))
		if second.Summary.Results[report.Succeeded] != 25 {
			t.Fatalf("the rest: %+v", second.Summary.Results)
		}
		// Started again; the pilot's leftovers were sent, the rest left nothing.
		again := newTestServer(t, Config{Client: client, Dir: dir})
		again.signIn()
		again.upload("close.csv", data)
		w := again.postJSON("/api/history/resume?name="+filepath.Base(pilot.Report), sendRequest{})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), filepath.Base(second.Report)) {
			t.Errorf("resume of the pilot after the rest: %d %s", w.Code, w.Body)
		}
		if w := again.postJSON("/api/history/resume?name="+filepath.Base(second.Report), sendRequest{}); w.Code != http.StatusConflict {
			t.Errorf("resume of a run that left nothing: %d %s", w.Code, w.Body)
		}
		for i := 1; i <= 30; i++ {
			if n := nut.Applied(itoa(i)); n != 1 {
				t.Fatalf("lead %d updated %d times", i, n)
			}
		}

		// A pilot alone is resumed from the history with the same file.
		other := t.TempDir()
		third := newTestServer(t, Config{Client: client, Dir: other})
		third.signIn()
		more := leadsCSV(40)[len("Lead ID,Outcome\n"):]
		file := []byte("Lead ID,Outcome\n" + strings.Join(strings.Split(string(more), "\n")[30:], "\n"))
		third.upload("more.csv", file)
		third.wait(startJob(t, third.postJSON("/api/check", checkRequest{})))
		p2 := third.wait(startJob(t, third.postJSON("/api/send", sendRequest{Limit: 4})))
		fourth := newTestServer(t, Config{Client: client, Dir: other})
		fourth.signIn()
		fourth.upload("more.csv", file)
		var runs []historyRun
		fourth.get("/api/history", &runs)
		for _, r := range runs {
			if r.Report == filepath.Base(p2.Report) && (!r.SameFile || !r.CanResume) {
				t.Errorf("the pilot in the history: %+v", r)
			}
		}
		rest := fourth.wait(startJob(t, fourth.postJSON("/api/history/resume?name="+filepath.Base(p2.Report), sendRequest{})))
		if rest.Summary.Results[report.Succeeded] != 6 || rest.Summary.Results[report.Skipped] != 4 {
			t.Errorf("the rest from the history: %+v %s", rest.Summary.Results, rest.Error)
		}
	})
}

// forEachKind runs body as a parallel subtest, named by the kind, against
// each kind of server the fake plays; body starts its fake with withKind.
func forEachKind(t *testing.T, body func(t *testing.T, kind fake.Kind)) {
	t.Helper()
	for _, k := range fake.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			body(t, k)
		})
	}
}

// withKind returns o as kind plays it.
func withKind(o fake.Options, kind fake.Kind) fake.Options {
	kind.Apply(&o)
	return o
}
