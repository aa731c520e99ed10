package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// FatalError stops a whole run: credentials rejected, the service down for
// too long. Rows not sent are reported as not-sent.
type FatalError struct {
	Reason string
	Err    error
	// Auth is true when the server rejected the credentials or their permissions.
	Auth bool
}

func (e *FatalError) Error() string { return e.Reason }
func (e *FatalError) Unwrap() error { return e.Err }

// SetupError is a problem found before anything was sent (input file, mapping,
// report path, credentials): the run did nothing.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// reorderWindow bounds how many groups may wait in the report's reorder buffer,
// and so the memory a slow request can make the rest of the run hold.
const reorderWindow = 1024

// Run performs one import and returns what it did. The report is complete
// whenever the returned Summary is not nil, errors included.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	opts.setDefaults()
	start := opts.Now()
	r, err := prepare(ctx, &opts)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	defer r.src.Close()
	sum := r.execute(ctx, r.total)
	sum.Elapsed = opts.Now().Sub(start)
	return sum, r.fatalErr()
}

// item is one group of rows from the input, possibly already settled.
type item struct {
	group        *mapping.Group
	settled      report.Result // a result decided without an update request, or ""
	note         string
	statusBefore string
}

// itemSource yields items in input order, then io.EOF.
type itemSource interface {
	next() (item, error)
	rows() int // data rows read so far
}

// rowGroups is the import's item source: rows mapped and merged by lead.
type rowGroups struct {
	src     source.Reader
	grouper *mapping.Grouper
	n       int
	done    bool
}

func (g *rowGroups) next() (item, error) {
	for !g.done {
		row, err := g.src.Next()
		if errors.Is(err, io.EOF) {
			g.done = true
			if grp := g.grouper.Flush(); grp != nil {
				return item{group: grp}, nil
			}
			break
		}
		if err != nil {
			return item{}, err
		}
		g.n++
		if grp := g.grouper.Add(row.Number, row.Cells); grp != nil {
			return item{group: grp}, nil
		}
	}
	return item{}, io.EOF
}

func (g *rowGroups) rows() int { return g.n }

// job is one group of rows on its way to the report.
// Its item's settled, note and statusBefore may also be set by the batched
// read of the leads' current status.
type job struct {
	item
	seq  int
	body string // the JSON sent; a string so every row of the group shares it
	// precheck: an earlier run may have applied this update (its row is
	// missing from a cut-off report, or failed ambiguously): read the lead
	// before sending.
	precheck bool
}

// runner holds one run's state.
type runner struct {
	opts     *Options
	src      source.Reader
	ordered  *report.Ordered
	pacer    *pacer.Pacer
	previous *report.Previous
	summary  *Summary
	items    itemSource
	total    int // data rows, when counted before the run; -1 if not

	requests atomic.Int64
	sent     atomic.Int64 // updates dispatched (for --limit)
	failed   atomic.Int64 // failed rows (for --max-failures)

	mu          sync.Mutex
	counts      map[report.Result]int
	stopReason  string
	fatal       error
	consecutive int // failed attempts in a row with no success, across workers
	pauses      int // outage pauses in a row
	random      func() float64
}

func (r *runner) fatalErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal
}

// stop records why dispatching must end; the first reason wins.
func (r *runner) stop(reason string, fatal error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopReason == "" {
		r.stopReason = reason
	}
	if fatal != nil && r.fatal == nil {
		r.fatal = fatal
	}
}

func (r *runner) stopped() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopReason
}

// execute streams the input through the pipeline and returns the summary.
func (r *runner) execute(ctx context.Context, total int) *Summary {
	o := r.opts
	sum := r.summary
	o.Progress.Start(total)

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Workers)

	// Say what a first Ctrl-C does while the run winds down.
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-o.Stop.Done():
			o.Log.Warn().Msg("interrupted: sending nothing more; waiting for the requests in flight (Ctrl-C again to cancel them)")
		case <-finished:
		}
	}()

	// Groups wait here for one batched read of their leads' current status.
	var batch []job
	dispatch := func(j job) error {
		if result, note, ok := r.settleLocally(gctx, j); ok {
			return r.finish(j, outcome{result: result, note: note})
		}
		if o.DryRun {
			return r.finish(j, outcome{result: report.DryRun, note: j.note})
		}
		j.precheck = r.previous != nil && r.previouslyUncertain(j.group)
		r.sent.Add(1)
		g.Go(func() error {
			out := r.send(ctx, j)
			if err := r.finish(j, out); err != nil {
				return err
			}
			return out.fatal
		})
		return nil
	}
	// Batches go through two goroutines: one reads a batch's leads while the
	// other dispatches the batch before it, so workers never wait on a read.
	// Each channel holds one batch: memory stays bounded.
	batches := make(chan []job, 1)
	ready := make(chan []job, 1)
	var dispatchErr error
	dispatcherDone := make(chan struct{})
	go func() {
		defer close(ready)
		for b := range batches {
			r.readLeads(ctx, b)
			ready <- b
		}
	}()
	go func() {
		defer close(dispatcherDone)
		for b := range ready {
			for _, j := range b {
				if err := dispatch(j); err != nil && dispatchErr == nil {
					dispatchErr = err
					r.stop(err.Error(), err)
				}
			}
		}
	}()
	flush := func() error {
		if len(batch) > 0 {
			batches <- batch
			batch = make([]job, 0, leadBatch)
		}
		return nil
	}
	nextSeq := 0
	// Reserving waits for the report, which never fails to drain: a cancelled
	// run still reports every row.
	reserveCtx := context.WithoutCancel(ctx)
	add := func(it item) error {
		grp := it.group
		// A batch waiting for more leads must not hold the oldest unwritten
		// group while Reserve waits for the window to free: flush it long
		// before its span could fill the window. (Batches already flushed
		// move on without the reader, so they cannot hold it up.)
		if len(batch) > 0 && nextSeq-batch[0].seq >= reorderWindow/4 {
			if err := flush(); err != nil {
				return err
			}
		}
		seq, err := r.ordered.Reserve(reserveCtx)
		if err != nil {
			return err
		}
		nextSeq = seq + 1
		j := job{item: it, seq: seq}
		if grp.Update != nil && grp.Update.Action == mapping.ActionStatus {
			j.body = string(grp.Update.JSON())
		}
		if grp.Update == nil || j.settled != "" || !r.readsLeads() {
			// Earlier groups of the batch must reach the report first only for
			// ordering, which the reorder buffer already guarantees.
			return dispatch(j)
		}
		batch = append(batch, j)
		if len(batch) >= leadBatch {
			return flush()
		}
		return nil
	}

	var runErr error
	for {
		it, err := r.items.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A file-level error after some rows (only possible when the input
			// could not be checked first, as with standard input).
			runErr = err
			r.stop(err.Error(), nil)
			break
		}
		if err := add(it); err != nil {
			runErr = err
			break
		}
	}
	sum.Rows = r.items.rows()
	if runErr == nil {
		runErr = flush()
	}
	close(batches)
	<-dispatcherDone
	if runErr == nil {
		runErr = dispatchErr
	}
	if err := g.Wait(); err != nil && runErr == nil {
		runErr = err
	}
	if err := r.ordered.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		r.stop(runErr.Error(), runErr)
	}
	o.Progress.Finish()

	r.mu.Lock()
	sum.Counts = r.counts
	sum.Stopped = r.stopReason
	r.mu.Unlock()
	sum.Requests = int(r.requests.Load())
	sum.SlowDowns = r.pacer.SlowDowns()
	sum.FinalRate = r.pacer.Rate()
	sum.Interrupted = o.Stop.Err() != nil || ctx.Err() != nil
	return sum
}

// settleLocally decides the rows that need no request: invalid, skipped by
// --resume, dry-run, or not sent because the run is stopping.
func (r *runner) settleLocally(gctx context.Context, j job) (result report.Result, note string, done bool) {
	o := r.opts
	if j.settled != "" {
		return j.settled, j.note, true
	}
	if j.group.Update == nil {
		return report.Invalid, "", true
	}
	if r.previous != nil && r.previouslySucceeded(j.group) {
		return report.Skipped, report.SucceededEarlier, true
	}
	if o.DryRun {
		return "", "", false
	}
	if reason := r.stopped(); reason != "" {
		return report.NotSent, "not sent: " + reason, true
	}
	if o.Stop.Err() != nil {
		r.stop("interrupted", nil)
		return report.NotSent, "not sent: interrupted", true
	}
	if gctx.Err() != nil {
		return report.NotSent, "not sent: the run stopped", true
	}
	if o.Limit > 0 && r.sent.Load() >= int64(o.Limit) {
		return report.NotSent, fmt.Sprintf("not sent: --limit %d reached", o.Limit), true
	}
	return "", "", false
}

// previouslyUncertain: the earlier run may have applied the group's update
// without its report saying so.
func (r *runner) previouslyUncertain(g *mapping.Group) bool {
	for _, row := range g.Rows {
		if row.Number > r.previous.LastRow() || r.previous.MayHaveApplied(row.Number) {
			return true
		}
	}
	return false
}

func (r *runner) previouslySucceeded(g *mapping.Group) bool {
	for _, row := range g.Rows {
		if !r.previous.Succeeded(row.Number, g.Update.Lead) {
			return false
		}
	}
	return true
}

// finish writes a group's rows to the report and counts them.
func (r *runner) finish(j job, out outcome) error {
	rows := make([]report.Row, len(j.group.Rows))
	for i, gr := range j.group.Rows {
		row := report.Row{
			Number:       gr.Number,
			Cells:        gr.Cells,
			Result:       out.result,
			HTTPStatus:   out.httpStatus,
			Error:        joinNotes(out.note, gr.Note),
			Attempts:     out.attempts,
			RequestID:    out.requestID,
			LeadStatus:   out.leadStatus,
			StatusBefore: j.statusBefore,
			Body:         j.body,
		}
		if j.group.Update != nil {
			row.LeadID = j.group.Update.Lead
		}
		if gr.Err != nil {
			row.Result = report.Invalid
			row.Error = gr.Err.Error()
			row.Body = ""
		}
		rows[i] = row
	}
	r.mu.Lock()
	for _, row := range rows {
		r.counts[row.Result]++
	}
	r.mu.Unlock()
	for _, row := range rows {
		r.opts.Progress.Done(row.Result, 1)
	}
	if out.result == report.Failed {
		if n := r.failed.Add(int64(len(rows))); r.opts.MaxFailures > 0 && n >= int64(r.opts.MaxFailures) {
			r.stop(fmt.Sprintf("--max-failures %d reached", r.opts.MaxFailures), nil)
		}
	}
	if err := r.ordered.Done(j.seq, rows); err != nil {
		return fmt.Errorf("write report %s: %w", r.summary.ReportPath, err)
	}
	return nil
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

func defaultRandom() float64 { return rand.Float64() }
