package importer

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// leadsPerRead is how many leads one batched read asks for (the pipeline's
// batch size, restated so these tests pin it from outside).
const leadsPerRead = 100

// closeInput writes n rows that each close a different lead: lead i on row i+1.
func closeInput(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("lead,outcome\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,Won\n", i)
	}
	return writeFile(t, "close.csv", b.String())
}

// isLeadRead reports whether req is a read of leads by ID (GET /leads/{ids}).
func isLeadRead(req fake.Request) bool {
	return req.Method == http.MethodGet && strings.HasPrefix(req.Path, "/rest/leads/")
}

// posts counts the update requests the fake received.
func posts(srv *fake.Server) int {
	n := 0
	for _, req := range srv.Requests() {
		if req.Method == http.MethodPost {
			n++
		}
	}
	return n
}

// --limit stops in the middle of a lead batch: exactly the first N updates are
// sent, every other row is not-sent with the reason, every row once.
func TestLimitStopsMidBatch(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n, limit = 2*leadsPerRead + 50, leadsPerRead + 50
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		o := baseOptions(t, closeInput(t, n), c)
		o.Limit = limit
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, n)
		if sum.Counts[report.Succeeded] != limit || sum.Counts[report.NotSent] != n-limit {
			t.Fatalf("counts %v, want %d succeeded and %d not-sent", sum.Counts, limit, n-limit)
		}
		if got := posts(srv); got != limit {
			t.Errorf("%d updates sent with --limit %d", got, limit)
		}
		for i, r := range rows {
			want := report.Succeeded
			if i >= limit {
				want = report.NotSent
			}
			if report.Result(r["import_result"]) != want {
				t.Fatalf("row %s: %s (%s), want %s: --limit sends the first %d updates", r["import_row"], r["import_result"], r["import_error"], want, limit)
			}
			if want == report.NotSent && !strings.Contains(r["import_error"], fmt.Sprintf("--limit %d", limit)) {
				t.Errorf("row %s: not-sent reason %q does not name --limit", r["import_row"], r["import_error"])
			}
		}
	})
}

// --max-failures stops in the middle of a lead batch: rows before the
// failures succeed, no update is sent after the stop beyond those already in
// flight, the rest are not-sent with the reason, every row once.
func TestMaxFailuresStopsMidBatch(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n, firstBad, maxFailures, workers = 3 * leadsPerRead, leadsPerRead + 20, 5, 8
		var closed []string
		var b strings.Builder
		b.WriteString("lead,outcome\n")
		for i := 1; i <= n; i++ {
			if i >= firstBad && i < firstBad+40 {
				closed = append(closed, fmt.Sprintf("%d-leads", i)) // the fake refuses an outcome for a closed lead: 422
			}
			fmt.Fprintf(&b, "%d,Won\n", i)
		}
		srv, c := newFake(t, withKind(fake.Options{ClosedLeads: closed}, kind))
		o := baseOptions(t, writeFile(t, "in.csv", b.String()), c)
		o.UpdateClosed = true
		o.Workers = workers
		o.MaxFailures = maxFailures
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, n)
		failed := sum.Counts[report.Failed]
		if failed < maxFailures || failed >= maxFailures+workers {
			t.Errorf("%d failed rows with --max-failures %d and %d workers", failed, maxFailures, workers)
		}
		if sum.Stopped == "" {
			t.Errorf("summary does not say why the run stopped: %+v", sum)
		}
		for i, r := range rows {
			res := report.Result(r["import_result"])
			switch {
			case i < firstBad-1 && res != report.Succeeded:
				t.Errorf("row %s before the failures: %s (%s)", r["import_row"], res, r["import_error"])
			case i >= firstBad+maxFailures+workers && res != report.NotSent:
				t.Errorf("row %s after the stop: %s, want not-sent", r["import_row"], res)
			case res == report.NotSent && !strings.Contains(r["import_error"], fmt.Sprintf("--max-failures %d", maxFailures)):
				t.Errorf("row %s: not-sent reason %q does not name --max-failures", r["import_row"], r["import_error"])
			}
		}
		if got, most := posts(srv), firstBad-1+maxFailures+workers; got > most {
			t.Errorf("%d updates sent, want at most %d: sending must stop at the %dth failure", got, most, maxFailures)
		}
	})
}

// interruptDuringReads runs an import of n rows at rate and closes
// Options.Stop (a first Ctrl-C) after stopAt rows are done, while most lead
// batches are still to be read. If the run has not ended cancelAfter later,
// its context is cancelled (a second Ctrl-C). It returns how many lead
// reads the fake had answered when the Stop was closed.
func interruptDuringReads(t *testing.T, kind fake.Kind, n, stopAt int, rate float64, cancelAfter time.Duration) (*fake.Server, *Summary, []reportRow, int) {
	t.Helper()
	srv, c := newFake(t, withKind(fake.Options{}, kind))
	o := baseOptions(t, closeInput(t, n), c)
	o.Workers = DefaultWorkers
	o.Rate, o.Burst = rate, 1
	stop, interrupt := context.WithCancel(context.Background())
	defer interrupt()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan int, 1)
	o.Stop = stop
	o.Progress = &stopAfter{n: stopAt, cancel: func() {
		interrupt()
		reads := 0
		for _, req := range srv.Requests() {
			if isLeadRead(req) {
				reads++
			}
		}
		stopped <- reads
		time.AfterFunc(cancelAfter, cancel)
	}}
	sum, err := Run(ctx, o)
	if sum == nil {
		t.Fatalf("Run: %v", err)
	}
	var reads int
	select {
	case reads = <-stopped:
	default:
		t.Fatalf("the run ended before %d rows were done: %+v", stopAt, sum)
	}
	return srv, sum, readReport(t, sum.ReportPath), reads
}

// An interrupt while lead batches are still queued for reading: every row is
// in the report once, nothing is sent after it beyond what was in flight, and
// the unsent rows say they were interrupted.
func TestInterruptWhileLeadReadsAreQueued(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 30 * leadsPerRead
		srv, sum, rows, _ := interruptDuringReads(t, kind, n, 200, 500, 10*time.Second)
		checkInvariants(t, srv, rows, n)
		if !sum.Interrupted || sum.Counts[report.NotSent] == 0 {
			t.Fatalf("summary after an interrupt: %+v", sum)
		}
		if got := posts(srv); got > 200+2*DefaultWorkers {
			t.Errorf("%d updates sent after an interrupt at 200 rows done with %d workers", got, DefaultWorkers)
		}
		for _, r := range rows {
			if report.Result(r["import_result"]) == report.NotSent && !strings.Contains(r["import_error"], "interrupted") {
				t.Errorf("row %s: not-sent reason %q does not say interrupted", r["import_row"], r["import_error"])
				break
			}
		}
	})
}

// The pacer gives every request a turn, reads, sends and retries alike: no
// second sees more than the rate (with room for network jitter), and the run
// takes at least as long as its requests need at that rate.
func TestPacerTurnTaking(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n, rate = 60, 100
		srv, c := newFake(t, withKind(fake.Options{Seed: 3, FailRate: 0.1}, kind))
		o := baseOptions(t, closeInput(t, n), c)
		o.Rate, o.Burst = rate, 1
		o.OutageAfter = 1000
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, n)
		reqs := srv.Requests()
		if len(reqs) < n+2 {
			t.Fatalf("%d requests for %d updates", len(reqs), n)
		}
		if st := srv.Stats(); st.MaxPerSecond > rate*6/5+o.Burst {
			t.Errorf("%d requests within one second at --rate %d", st.MaxPerSecond, rate)
		}
		span := reqs[len(reqs)-1].Time.Sub(reqs[0].Time)
		if least := time.Duration(float64(len(reqs)-1-o.Burst) / rate * 0.9 * float64(time.Second)); span < least {
			t.Errorf("%d requests in %s at --rate %d, want at least %s: some skipped the pacer", len(reqs), span, rate, least)
		}
		if sum.Counts[report.Succeeded] == 0 {
			t.Errorf("counts %v", sum.Counts)
		}
	})
}

// A run of 503s pauses every worker (the outage cooldown) before anything is
// tried again; when the pauses run out the run stops and reports the rest
// not-sent, every row once.
func TestOutageCooldown(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n, pause = 30, 300 * time.Millisecond
		input := closeInput(t, n)
		tune := func(o *Options) {
			o.Workers = 1 // one request at a time: nothing is in flight when the pause starts
			o.Retries = 2
			o.OutageAfter = 3
			o.OutagePause = pause
			o.OutagePauses = 1
		}
		// Find how many requests come before the first update, so that the
		// outage starts with the updates.
		clean, c := newFake(t, withKind(fake.Options{}, kind))
		o := baseOptions(t, input, c)
		tune(&o)
		o.Limit = 1
		run(t, o)
		before := 0
		for _, req := range clean.Requests() {
			if req.Method == http.MethodPost {
				break
			}
			before++
		}

		srv, c := newFake(t, withKind(fake.Options{Outage: &fake.Outage{After: before, Count: 1000}}, kind))
		o = baseOptions(t, input, c)
		tune(&o)
		sum, rows := run(t, o)
		checkInvariants(t, srv, rows, n)
		if sum.Stopped == "" || sum.Counts[report.Succeeded] != 0 || sum.Counts[report.NotSent] == 0 {
			t.Fatalf("an outage did not stop the run: %+v", sum)
		}
		reqs := srv.Requests()
		failedPosts := 0
		for i, req := range reqs {
			if req.Method != http.MethodPost {
				continue
			}
			if req.Status != http.StatusServiceUnavailable {
				t.Fatalf("update %d answered %d during the outage", i, req.Status)
			}
			if failedPosts++; failedPosts == o.OutageAfter {
				if i+1 >= len(reqs) {
					t.Fatalf("nothing was tried after the first pause")
				}
				if gap := reqs[i+1].Time.Sub(req.Time); gap < pause*9/10 {
					t.Errorf("next request %s after %d failures in a row, want a pause of %s", gap, o.OutageAfter, pause)
				}
			}
		}
		if failedPosts > 2*o.OutageAfter {
			t.Errorf("%d updates tried during an outage that stops the run after %d pauses of %d failures", failedPosts, o.OutagePauses, o.OutageAfter)
		}
		if sum.SlowDowns == 0 {
			t.Errorf("summary counts no 503 answers: %+v", sum)
		}
	})
}
