package importer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// chaosInput writes n rows: most close a lead with an outcome (which a check
// after an ambiguous failure can confirm); every tenth only adds a product
// (which it cannot).
func chaosInput(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("lead,outcome,product,quantity\n")
	for i := 1; i <= n; i++ {
		switch {
		case i%10 == 0:
			fmt.Fprintf(&b, "%d,,2-products,1\n", i)
		case i%3 == 0:
			fmt.Fprintf(&b, "%d,Lost,,\n", i)
		default:
			fmt.Fprintf(&b, "%d,Won,1-products,2\n", i)
		}
	}
	return writeFile(t, "chaos.csv", b.String())
}

// checkInvariants asserts what must hold whatever the faults: every row once,
// no lead applied twice, every succeeded row applied.
func checkInvariants(t *testing.T, srv *fake.Server, rows []reportRow, n int) {
	t.Helper()
	checkEveryRowOnce(t, rows, n)
	for _, r := range rows {
		lead := r["import_lead_id"]
		applied := srv.Applied(lead)
		if applied > 1 {
			t.Errorf("row %s: lead %s applied %d times", r["import_row"], lead, applied)
		}
		if report.Result(r["import_result"]) == report.Succeeded && applied != 1 {
			t.Errorf("row %s reported succeeded but lead %s applied %d times (%s)", r["import_row"], lead, applied, r["import_error"])
		}
	}
}

func TestChaos(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 200
		tests := []struct {
			name   string
			faults fake.Options
		}{
			// 5xx that were not applied: plain retries.
			{"server errors", fake.Options{Seed: 1, FailRate: 0.25}},
			// Connections dropped before the update was applied.
			{"resets", fake.Options{Seed: 2, ResetRate: 0.15}},
			// Applied, then a 502: the check must find it applied and not resend.
			{"apply then 502", fake.Options{Seed: 3, ApplyThenFailRate: 0.25}},
			// Applied, then the connection dropped.
			{"apply then reset", fake.Options{Seed: 4, ApplyThenResetRate: 0.15}},
			// Responses slower than the client's timeout.
			{"timeouts", fake.Options{Seed: 5, SlowRate: 0.1, SlowLatency: 3 * time.Second}},
			// A hidden rate limit that answers 429 with Retry-After.
			{"rate limited", fake.Options{Seed: 6, RateLimit: 150, RateBurst: 5, RetryAfter: true}},
			// Everything at once.
			{"mix", fake.Options{Seed: 7, FailRate: 0.1, ResetRate: 0.05, ApplyThenFailRate: 0.1, ApplyThenResetRate: 0.05, SlowRate: 0.03, SlowLatency: 3 * time.Second, RateLimit: 150, RateBurst: 10}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				srv, c := newFakeTimeout(t, withKind(tt.faults, kind), 300*time.Millisecond)
				o := baseOptions(t, chaosInput(t, n), c)
				if tt.faults.RateLimit > 0 {
					o.Rate = 200 // a ceiling a little above the hidden limit
				}
				sum, rows := run(t, o)
				checkInvariants(t, srv, rows, n)
				retried := 0
				for _, r := range rows {
					if a, _ := strconv.Atoi(r["import_attempts"]); a > 1 {
						retried++
					}
					if report.Result(r["import_result"]) == report.Failed && r["import_error"] == "" {
						t.Errorf("row %s failed without a reason", r["import_row"])
					}
				}
				// A fault that strikes reads as well may be met and waited out
				// before any update (a kind that reads lead by lead meets it
				// there): the server's refusals show it struck.
				struck := retried > 0
				if tt.faults.RateLimit > 0 {
					struck = struck || srv.Stats().ByStatus[http.StatusTooManyRequests] > 0
				}
				if tt.faults.SlowRate > 0 {
					struck = struck || srv.Stats().ByStatus[fake.StatusClientClosed] > 0
				}
				if !struck && !strings.Contains(tt.name, "apply then") {
					t.Errorf("no row was retried under %s", tt.name)
				}
				if sum.Counts[report.Succeeded] < n*6/10 {
					t.Errorf("only %d of %d rows succeeded: %v", sum.Counts[report.Succeeded], n, sum.Counts)
				}
			})
		}
	})
}

func TestRetriesStop(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{FailRate: 1}, kind))
		o := baseOptions(t, chaosInput(t, 5), c)
		o.Retries = 2
		o.OutageAfter = 1000
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, 5)
		for _, r := range rows {
			if report.Result(r["import_result"]) != report.Failed || r["import_attempts"] != "3" || !strings.Contains(r["import_error"], "HTTP 5") {
				t.Errorf("row %s: %s after %s attempts (%s), want failed after 3 naming the last HTTP status", r["import_row"], r["import_result"], r["import_attempts"], r["import_error"])
			}
		}
		if sum.Updates != 15 {
			t.Errorf("%d update requests, want 15 (5 rows × 3 attempts)", sum.Updates)
		}
	})
}

func TestDefiniteAnswersAreNotRetried(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{ClosedLeads: []string{"2-leads"}}, kind))
		input := writeFile(t, "in.csv", "lead,outcome\n1,Won\n2,Won\n")
		o := baseOptions(t, input, c)
		o.UpdateClosed = true // the fake refuses an outcome for a closed lead with 422
		_, rows := run(t, o)
		checkInvariants(t, srv, rows, 2)
		for i, wantStatus := range []string{"200", "422"} {
			if rows[i]["import_http_status"] != wantStatus || rows[i]["import_attempts"] != "1" {
				t.Errorf("row %d: HTTP %s after %s attempts, want %s after 1", i+2, rows[i]["import_http_status"], rows[i]["import_attempts"], wantStatus)
			}
		}
	})
}

func TestMissingLeadIsInvalidWithoutARequest(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		// The batched read shows the lead missing: the row is settled, nothing sent.
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		input := writeFile(t, "in.csv", "lead,outcome\n1,Won\n999999999,Won\n")
		sum, rows := run(t, baseOptions(t, input, c))
		checkInvariants(t, srv, rows, 2)
		if r := rows[1]; report.Result(r["import_result"]) != report.Invalid || r["import_attempts"] != "" || !strings.Contains(r["import_error"], "does not exist") {
			t.Errorf("missing lead: %s after %q attempts (%s), want invalid with no request", r["import_result"], r["import_attempts"], r["import_error"])
		}
		if sum.Updates != 1 {
			t.Errorf("%d update requests, want 1", sum.Updates)
		}
	})
}

func TestOutageStopsTheRun(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{FailRate: 1}, kind))
		o := baseOptions(t, chaosInput(t, 100), c)
		o.Workers = 2
		o.OutageAfter = 5
		o.OutagePause = 10 * time.Millisecond
		o.OutagePauses = 2
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, 100)
		if sum.Stopped == "" || sum.Counts[report.NotSent] == 0 {
			t.Fatalf("an outage did not stop the run: %+v", sum)
		}
		if sum.Updates > 60 {
			t.Errorf("%d update requests during an outage, want the run to stop early", sum.Updates)
		}
	})
}

func TestMaxFailures(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		var closed []string
		var b strings.Builder
		b.WriteString("lead,outcome\n")
		for i := 1; i <= 50; i++ {
			fmt.Fprintf(&b, "%d,Won\n", i)
			closed = append(closed, fmt.Sprintf("%d-leads", i))
		}
		srv, c := newFake(t, withKind(fake.Options{ClosedLeads: closed}, kind))
		o := baseOptions(t, writeFile(t, "in.csv", b.String()), c)
		o.UpdateClosed = true // every lead is closed: the fake answers 422
		o.Workers = 1
		o.MaxFailures = 3
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, 50)
		if sum.Counts[report.Failed] != 3 || sum.Counts[report.NotSent] != 47 {
			t.Errorf("counts %v, want 3 failed and 47 not-sent", sum.Counts)
		}
	})
}

func TestRejectedCredentialsMidRun(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{ReadOnlyKey: testKey}, kind))
		sum, err := Run(context.Background(), baseOptions(t, chaosInput(t, 40), c))
		var fatal *FatalError
		if sum == nil || !errors.As(err, &fatal) {
			t.Fatalf("Run: %v, want a fatal credentials error with a summary", err)
		}
		rows := readReport(t, sum.ReportPath)
		checkInvariants(t, srv, rows, 40)
		if sum.Counts[report.NotSent] < 30 {
			t.Errorf("counts %v: a 403 must stop the run, not fail every row", sum.Counts)
		}
		if !strings.Contains(fatal.Error(), "NUTSHELL_API_KEY") {
			t.Errorf("message %q does not say what to check", fatal.Error())
		}
	})
}

// stopAfter cancels the run's Stop context after n rows are done, like a Ctrl-C.
type stopAfter struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (s *stopAfter) Start(int) {}
func (s *stopAfter) Finish()   {}
func (s *stopAfter) Done(report.Result, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n--
	if s.n == 0 {
		s.cancel()
	}
}

func TestInterruptThenResume(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 300
		srv, c := newFake(t, withKind(fake.Options{Seed: 9, FailRate: 0.05, ApplyThenFailRate: 0.05, Latency: time.Millisecond}, kind))
		input := chaosInput(t, n)
		stop, cancel := context.WithCancel(context.Background())
		o := baseOptions(t, input, c)
		o.Stop = stop
		o.Progress = &stopAfter{n: 40, cancel: cancel}
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, n)
		if !sum.Interrupted || sum.Counts[report.NotSent] == 0 {
			t.Fatalf("interrupt: %+v", sum)
		}

		o2 := baseOptions(t, input, c)
		o2.Resume = sum.ReportPath
		sum2, rows2 := run(t, o2)
		checkInvariants(t, srv, rows2, n)
		// Rows the first run succeeded are skipped; so are those it applied
		// without knowing (a 502 after applying, then the interrupt): the read
		// shows them done.
		if sum2.Counts[report.Skipped] < sum.Counts[report.Succeeded] {
			t.Errorf("resume skipped %d rows, the first run succeeded %d", sum2.Counts[report.Skipped], sum.Counts[report.Succeeded])
		}
		for _, r := range rows2 {
			if report.Result(r["import_result"]) == report.Skipped && r["import_error"] != report.SucceededEarlier && !strings.Contains(r["import_error"], "already ") {
				t.Errorf("row %s skipped for %q, want succeeded earlier or already done", r["import_row"], r["import_error"])
			}
		}
		if sum2.Counts[report.NotSent] != 0 {
			t.Errorf("resume left rows unsent: %v", sum2.Counts)
		}
	})
}

func TestResumeAfterACutOffReport(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 200
		srv, c := newFake(t, withKind(fake.Options{Seed: 11}, kind))
		input := chaosInput(t, n)
		sum, _ := run(t, baseOptions(t, input, c))
		// Cut the report in the middle of a line, as kill -9 leaves it.
		data, err := os.ReadFile(sum.ReportPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sum.ReportPath, data[:len(data)*2/3+7], 0o600); err != nil {
			t.Fatal(err)
		}
		o := baseOptions(t, input, c)
		o.Resume = sum.ReportPath
		sum2, rows := run(t, o)
		checkInvariants(t, srv, rows, n)
		for _, r := range rows {
			lead := r["import_lead_id"]
			if srv.Applied(lead) != 1 {
				t.Errorf("row %s: lead %s applied %d times after resume", r["import_row"], lead, srv.Applied(lead))
			}
		}
		// Rows the cut report still shows succeeded are skipped as done earlier;
		// the rows it lost are read from Nutshell, which shows them applied: the
		// earlier run's work, reported succeeded with the status before (that
		// run sent to open leads only), so an undo of both reports finds them.
		earlier, found := 0, 0
		for _, r := range rows {
			switch {
			case r["import_result"] == string(report.Skipped) && r["import_error"] == report.SucceededEarlier:
				earlier++
			case r["import_result"] == string(report.Succeeded) && r["import_note"] == foundApplied && r["import_status_before"] == "open":
				found++
			default:
				t.Errorf("row %s: %s %q %q (before %q)", r["import_row"], r["import_result"], r["import_error"], r["import_note"], r["import_status_before"])
			}
		}
		if earlier == 0 || found == 0 || earlier+found != n || sum2.Counts[report.Succeeded] != found {
			t.Errorf("counts after resume %v: %d skipped from the report, %d found applied; want both, %d in all", sum2.Counts, earlier, found, n)
		}
		// Resumed with --update-closed recorded, the status before is unknown.
		if updatedClosed([]string{"import", "--update-closed", "x.csv"}) != true || updatedClosed([]string{"import", "--update-closed=false"}) || updatedClosed([]string{"import", "x.csv"}) {
			t.Error("updatedClosed misreads a recorded command line")
		}
	})
}

func TestResumeRefusesAnotherInput(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		_, c := newFake(t, withKind(fake.Options{}, kind))
		sum, _ := run(t, baseOptions(t, chaosInput(t, 5), c))
		o := baseOptions(t, writeFile(t, "other.csv", "lead,outcome\n1,Won\n"), c)
		o.Resume = sum.ReportPath
		if _, err := Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), "different input") {
			t.Fatalf("resume with another input: %v", err)
		}
	})
}
