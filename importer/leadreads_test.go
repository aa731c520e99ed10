package importer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// The first Ctrl-C stops the lead reads too: after it, no read of leads
// starts but one already in flight (a few allowed for the stop to reach the
// reader), however many batches were still to be read. Counted, not timed.
func TestInterruptStopsLeadReads(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n, rate, inFlight = 60 * leadsPerRead, 20, 5
		// At this rate the 57 or so batches left would take three seconds to
		// read; a second Ctrl-C 2.5 s after the first ends a run that keeps on,
		// some fifty reads later.
		srv, sum, rows, readsAtStop := interruptDuringReads(t, kind, n, 30, rate, 2500*time.Millisecond)
		checkInvariants(t, srv, rows, n)
		if !sum.Interrupted {
			t.Fatalf("summary after an interrupt: %+v", sum)
		}
		reads := 0
		for _, req := range srv.Requests() {
			if isLeadRead(req) {
				reads++
			}
		}
		if late := reads - readsAtStop; late > inFlight {
			t.Errorf("%d lead reads after the interrupt (%d before it): the first Ctrl-C must stop reading", late, readsAtStop)
		}
	})
}

// A batched read that answers 404 (a lead is missing) is split and asked
// again; each of those requests takes its own turn at the pacer, so the reads
// keep to --rate, and each is counted in the summary.
func TestSplitLeadReadsTakePacerTurns(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const missing, rate = 24, 40
		srv, c := newFake(t, withKind(fake.Options{Leads: 1000}, kind))
		var b strings.Builder
		b.WriteString("lead,outcome\n")
		for i := 1; i <= missing; i++ {
			fmt.Fprintf(&b, "%d,Won\n", 5000+i) // beyond the fake's 1000 leads
		}
		o := baseOptions(t, writeFile(t, "missing.csv", b.String()), c)
		o.DryRun, o.Check = true, true
		o.Rate, o.Burst = rate, 1
		sum, rows := run(t, o)
		checkEveryRowOnce(t, rows, missing)
		if sum.Counts[report.Invalid] != missing {
			t.Errorf("counts %v, want all %d rows invalid (no such lead)", sum.Counts, missing)
		}
		var reads []time.Time
		for _, req := range srv.Requests() {
			if isLeadRead(req) {
				reads = append(reads, req.Time)
			}
		}
		if len(reads) < missing {
			t.Fatalf("%d lead reads for %d missing leads: the fake no longer answers 404 to a batch of missing leads?", len(reads), missing)
		}
		if sum.Requests < len(reads) {
			t.Errorf("summary counts %d requests, the run made %d lead reads", sum.Requests, len(reads))
		}
		span := reads[len(reads)-1].Sub(reads[0])
		if least := time.Duration(float64(len(reads)-1-o.Burst) / rate * 0.9 * float64(time.Second)); span < least {
			t.Errorf("%d lead reads in %s at --rate %d, want at least %s: split reads skip the pacer", len(reads), span.Round(time.Millisecond), rate, least.Round(time.Millisecond))
		}
	})
}
