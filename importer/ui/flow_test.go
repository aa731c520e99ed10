package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

func TestColumnsAsTheToolReadsThem(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true})
	ts.signIn()
	tests := []struct {
		name    string
		data    string
		fields  []string // per column, "" when only carried
		carried []bool
		problem string // part of the CLI's message, listed as a problem
	}{
		// Recognised fields and a carried column.
		{"leads.csv", "Lead ID,Deal Name,Outcome\n1,a,Won\n", []string{"lead", "", "outcome"}, []bool{true, true, true}, ""},
		// A column left by an earlier report is neither read nor carried.
		{"again.csv", "lead_id,import_result,outcome\n1,failed,Won\n", []string{"lead", "", "outcome"}, []bool{true, false, true}, ""},
		// No row names a lead column: the CLI's message, naming the file as
		// chosen; the page then asks for the header row.
		{"nolead.csv", "Name,Outcome\nx,Won\n", nil, nil, `nolead.csv: none of the first 2 rows names a lead column`},
	}
	for _, tt := range tests {
		w := ts.upload(tt.name, []byte(tt.data))
		var v fileView
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.name, w.Code, w.Body)
		}
		if v.Error != "" {
			t.Errorf("%s: error %q", tt.name, v.Error)
		}
		var problems []string
		for _, p := range v.Problems {
			problems = append(problems, p.Text)
		}
		if got := strings.Join(problems, "\n"); !strings.HasPrefix(got, tt.problem) || (tt.problem == "") != (got == "") || v.CanCheck != (got == "") {
			t.Errorf("%s: problems %q (can check %v), want %q", tt.name, got, v.CanCheck, tt.problem)
		}
		if strings.Contains(fmt.Sprint(v.Problems), ts.uploads) {
			t.Errorf("%s: the message names the private copy: %q", tt.name, v.Problems)
		}
		if len(v.Columns) != len(tt.fields) {
			t.Errorf("%s: %d columns, want %d", tt.name, len(v.Columns), len(tt.fields))
			continue
		}
		for i, c := range v.Columns {
			if c.Field != tt.fields[i] || c.Carried != tt.carried[i] {
				t.Errorf("%s column %s %q: field %q carried %v, want %q %v", tt.name, c.Letter, c.Header, c.Field, c.Carried, tt.fields[i], tt.carried[i])
			}
		}
	}
	// A file the check cannot use is refused, saying what to do.
	if w := ts.do(http.MethodPost, "/api/check", nil, ""); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "row that holds the column names") {
		t.Errorf("check after a header error: %d %s", w.Code, w.Body)
	}
}

// TestStopResumeUndo goes through the page's flow without a browser: a send
// stopped part-way like the first Ctrl-C, a resume of what it left, and an
// undo with its own plan and confirmation.
func TestStopResumeUndo(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, _ := fakeClient(t, withKind(fake.Options{Latency: 30 * time.Millisecond}, kind))
		// The CLI's resume command gets the file's name, never the private copy.
		resumeWith := func(input, report string, args []string) string {
			return "leadstatus import " + input + " " + strings.Join(args, " ") + " --resume " + report
		}
		ts := newTestServer(t, Config{Client: client, ResumeCommand: resumeWith})
		ts.signIn()
		ts.upload("quarter-end.csv", sample(t, "quarter-end.csv"))
		check := ts.wait(startJob(t, ts.do(http.MethodPost, "/api/check", nil, "")))
		if check.Updates != 50 || check.Summary.Results[report.DryRun] != 50 {
			t.Fatalf("check: %+v", check)
		}
		// Sending needs the check's plan first, then goes; Stop ends it early.
		id := startJob(t, ts.postJSON("/api/send", sendRequest{Format: "csv"}))
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			var v jobView
			json.Unmarshal(ts.do(http.MethodGet, "/api/jobs/"+itoa(id), nil, "").Body.Bytes(), &v)
			if v.Progress.Done >= 5 {
				break
			}
			if !v.Running || time.Now().After(deadline) {
				t.Fatalf("send ended or stalled before 5 rows: %+v", v)
			}
		}
		if w := ts.do(http.MethodPost, "/api/stop", nil, ""); w.Code != http.StatusOK {
			t.Fatalf("stop: %d %s", w.Code, w.Body)
		}
		sent := ts.wait(id)
		s := sent.Summary
		if !s.Interrupted || s.Results[report.NotSent] == 0 || s.Results[report.Succeeded]+s.Results[report.NotSent] != 50 || !sent.CanResume {
			t.Fatalf("stopped send: %+v", s)
		}
		if !strings.HasPrefix(s.ResumeCommand, "leadstatus import quarter-end.csv quarter-end.csv --report "+sent.Report) ||
			strings.Contains(s.ResumeCommand, ts.uploads) {
			t.Errorf("resume command %q", s.ResumeCommand)
		}
		// Resume sends only what did not succeed.
		resumed := ts.wait(startJob(t, ts.postJSON("/api/resume", sendRequest{})))
		rs := resumed.Summary
		if rs.Results[report.Succeeded] != s.Results[report.NotSent] || rs.Results[report.Skipped] != s.Results[report.Succeeded] || resumed.CanResume {
			t.Fatalf("resume: %+v after %+v", rs.Results, s.Results)
		}
		// Undo shows its plan, wants the number confirmed, then reopens.
		var plan undoPlanView
		json.Unmarshal(ts.do(http.MethodGet, "/api/jobs/"+itoa(sent.ID)+"/undo", nil, "").Body.Bytes(), &plan)
		closed := s.Results[report.Succeeded]
		if plan.Rows != 50 || plan.Leads != closed {
			t.Fatalf("undo plan %+v, want %d leads", plan, closed)
		}
		if w := ts.postJSON("/api/jobs/"+itoa(sent.ID)+"/undo", sendRequest{Confirm: closed + 1}); w.Code != http.StatusBadRequest {
			t.Errorf("undo with the wrong number: %d", w.Code)
		}
		undo := ts.wait(startJob(t, ts.postJSON("/api/jobs/"+itoa(sent.ID)+"/undo", sendRequest{Confirm: closed})))
		if undo.Summary.Results[report.Succeeded] != closed || !strings.Contains(undo.ReportName, ".undo.report-") {
			t.Errorf("undo: %+v %s", undo.Summary.Results, undo.ReportName)
		}
	})
}

func TestSendConfirmation(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		client, _ := fakeClient(t, withKind(fake.Options{}, kind))
		ts := newTestServer(t, Config{Client: client})
		ts.signIn()
		var csv strings.Builder
		csv.WriteString("lead_id,outcome\n")
		for i := 1; i <= ConfirmOver+20; i++ {
			fmt.Fprintf(&csv, "%d,Won\n", i)
		}
		ts.upload("many.csv", []byte(csv.String()))
		// Not before the check.
		if w := ts.postJSON("/api/send", sendRequest{}); w.Code != http.StatusConflict {
			t.Errorf("send before the check: %d", w.Code)
		}
		check := ts.wait(startJob(t, ts.do(http.MethodPost, "/api/check", nil, "")))
		n := check.Updates
		tests := []struct {
			req  sendRequest
			want int
		}{
			// Over the threshold without the number typed.
			{sendRequest{}, http.StatusBadRequest},
			// With a wrong number.
			{sendRequest{Confirm: n - 1}, http.StatusBadRequest},
			// An unknown report format.
			{sendRequest{Limit: 5, Format: "pdf"}, http.StatusBadRequest},
			// A pilot under the threshold needs no typing.
			{sendRequest{Limit: 5, Format: "xlsx"}, http.StatusAccepted},
		}
		for _, tt := range tests {
			w := ts.postJSON("/api/send", tt.req)
			if w.Code != tt.want {
				t.Errorf("send %+v: %d %s, want %d", tt.req, w.Code, w.Body, tt.want)
			}
			if w.Code == http.StatusAccepted {
				var v jobView
				json.Unmarshal(w.Body.Bytes(), &v)
				v = ts.wait(v.ID)
				if v.Summary.Results[report.Succeeded] != 5 || !strings.HasSuffix(v.Report, ".xlsx") {
					t.Errorf("pilot: %+v %s", v.Summary.Results, v.Report)
				}
			}
		}
	})
}
