package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"github.com/leadstatus/leadstatus/importer/enrich"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/importer/stop"
	"github.com/leadstatus/leadstatus/mapping"
)

// The import is a chain of stages in one errgroup, joined by bounded
// channels:
//
//	read ─▶ reserve ─▶ enrich ─▶ dispatch ─▶ write
//
// read maps and groups rows; reserve takes each group's place in the ordered
// report; enrich reads the leads' current state in batches and settles what
// needs no request; dispatch sends the rest, paced; write puts every row in
// the report, in input order. A stage that stops, for any reason, still hands
// on or settles everything it holds, so every row read reaches the report
// exactly once. The stop signal ends dispatching; the run's context cancels
// requests in flight.

// reorderWindow bounds how many groups may wait in the report's reorder
// buffer, and so the memory a slow request can make the rest of the run hold.
const reorderWindow = 1024

// leadBatch is how many leads one batched read asks for.
const leadBatch = 100

// stageBuffer is how many groups may wait between two stages.
const stageBuffer = 256

// item is one group of rows from the input, possibly settled already.
type item struct {
	group        *mapping.Group
	settled      *settlement
	statusBefore string    // the lead's status before, when the source knows it (undo)
	undo         *undoWork // what an undo is to do to the lead; nil in an import
}

// settlement is a result decided without an update request.
type settlement struct {
	result report.Result
	kind   string
	note   string
}

// itemSource yields items in input order, then io.EOF. After an error it
// yields nothing more.
type itemSource interface {
	next() (item, error)
	rows() int // data rows read so far
}

// job is one group on its way to the report.
type job struct {
	item
	seq          int
	body         string // the JSON sent; shared by every row of the group
	statusBefore string
	precheck     bool   // an earlier run may have applied it: read the lead first
	note         string // what enrich left out or could not check
	// mapsBefore are the IDs of the lead's product maps as read before the
	// update, known only when mapsKnown.
	mapsBefore []string
	mapsKnown  bool
	// before is the lead as read before sending; a read-back after an
	// ambiguous failure is weighed against it.
	before        *nutshell.Lead
	earlierStatus string
}

// done is a job with what happened to it.
type done struct {
	job
	out sender.Outcome
}

// stages is everything the chain needs; import and undo fill it differently.
type stages struct {
	items    itemSource
	ordered  *report.Ordered
	send     *sender.Sender // nil: nothing is read or sent (a dry run without credentials)
	stop     *stop.Signal
	progress Progress
	log      zerolog.Logger

	workers     int
	dryRun      bool
	readLeads   bool // enrich reads the leads' current state before deciding
	limit       int  // dispatch at most this many updates (0 = all)
	maxFailures int
	// decide settles an update from its lead's state, or lets it through.
	decide func(u *mapping.Update, l enrich.Lead) enrich.Decision
	// undoNames names outcomes for an undo's messages; nil without a client.
	undoNames *enrich.Names
	// maps checks the maps updates name against declared reads (nil: none).
	maps *enrich.Maps
	// earlier settles a group from a resumed run's report, or says whether
	// to read its lead before resending.
	earlier func(g *mapping.Group) (st *settlement, precheck bool)
	// cutOff is where a resumed report stops (nil: not resuming).
	cutOff *resumeCutOff
	// earlierStatus gives, for a group to precheck, the lead's status before
	// the earlier run sent it ("" when unknown).
	earlierStatus func(g *mapping.Group) string
	// interrupt is the first Ctrl-C.
	interrupt context.Context
	// summarize says what the run did, for a report that shows it (XLSX).
	summarize func() report.RunSummary

	tally *tally

	// sent are rows whose update was sent and that may not be on disk yet;
	// missing, after a write error, those the report does not hold.
	sent, missing []sentRow
	// journal notes each update before it is sent (nil: none kept).
	journal *report.Journal

	// Counted by the dispatchers: updates admitted (for --limit), admitted
	// updates done, and failed rows (for --max-failures).
	admitted, admittedDone, failedRows atomic.Int64
}

// run drives the chain to its end. A stage never fails the group: what ends
// the whole run (rejected credentials, a damaged input, a report that cannot
// be written) is raised on the stop signal with its error, and every other
// problem is a row's result.
func (s *stages) run(ctx context.Context) error {
	var g errgroup.Group
	// Buffers let each stage run in long stretches instead of handing over
	// one group at a time; memory stays bounded by the reorder window.
	groups := make(chan item, stageBuffer)
	jobs := make(chan job, stageBuffer)
	toSend := make(chan job, max(leadBatch, stageBuffer))
	results := make(chan done, stageBuffer)
	finished := make(chan struct{})

	g.Go(func() error { return s.watchInterrupt(finished) })
	g.Go(func() error { return s.read(groups) })
	g.Go(func() error { return s.reserve(ctx, groups, jobs) })
	workers := s.workers
	if s.dryRun {
		workers = 1 // nothing waits on the network: one dispatcher keeps up
	}
	var producers sync.WaitGroup
	producers.Add(1 + workers)
	g.Go(func() error {
		defer producers.Done()
		defer close(toSend)
		return s.enrich(ctx, jobs, toSend, results)
	})
	for range workers {
		g.Go(func() error {
			defer producers.Done()
			return s.dispatch(ctx, toSend, results)
		})
	}
	g.Go(func() error {
		producers.Wait()
		close(results)
		return nil
	})
	g.Go(func() error {
		defer close(finished)
		return s.write(results)
	})
	return g.Wait()
}

// watchInterrupt turns the first Ctrl-C into the stop signal and says what
// it does while the run winds down.
func (s *stages) watchInterrupt(finished <-chan struct{}) error {
	select {
	case <-s.interrupt.Done():
		s.stop.Stop("interrupted", sender.KindStopped, nil)
		s.log.Warn().Msg("interrupted: sending nothing more; waiting for the requests in flight (Ctrl-C again to cancel them)")
	case <-finished:
	}
	return nil
}

// read maps and groups the input's rows. An input error part-way stops the
// run; the groups read before it are handed on.
func (s *stages) read(out chan<- item) error {
	defer close(out)
	for {
		it, err := s.items.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			s.stop.Stop(err.Error(), "input_error", err)
			return nil
		}
		out <- it
	}
}

// reserve gives each group its place in the report. Reserving waits while the
// reorder window is full; the report always drains, so it never waits forever.
func (s *stages) reserve(ctx context.Context, in <-chan item, out chan<- job) error {
	defer close(out)
	reserveCtx := context.WithoutCancel(ctx) // a cancelled run still reports every row
	failed := false
	for it := range in {
		// Once the report cannot be written, groups go on without a place
		// (seq -1): they are settled as not sent and counted, not written.
		seq := -1
		if !failed {
			var err error
			if seq, err = s.ordered.Reserve(reserveCtx); err != nil {
				failed, seq = true, -1
				err = fmt.Errorf("write the report: %w", err)
				s.stop.Stop(err.Error(), "report_error", err)
			}
		}
		j := job{item: it, seq: seq, statusBefore: it.statusBefore}
		if u := it.group.Update; u != nil && u.Action == mapping.ActionStatus {
			j.body = string(u.JSON())
		}
		out <- j
	}
	return nil
}

// enrich settles what needs no request and reads the leads of the rest in
// batches before they go to dispatch.
func (s *stages) enrich(ctx context.Context, in <-chan job, out chan<- job, results chan<- done) error {
	batch := make([]job, 0, leadBatch)
	flush := func() {
		s.readBatch(ctx, batch, out, results)
		batch = batch[:0]
	}
	for j := range in {
		st, precheck := s.settleEarly(j)
		j.precheck = precheck
		if precheck && s.earlierStatus != nil {
			j.earlierStatus = s.earlierStatus(j.group)
		}
		switch {
		case st != nil:
			results <- done{job: j, out: outcomeOf(st)}
		case s.limitReached():
			results <- done{job: j, out: s.overLimit()}
		case !s.readLeads:
			s.admit(j, out, results)
		default:
			batch = append(batch, j)
		}
		// A batch waiting for more leads must not hold the oldest unwritten
		// group while the reorder window fills behind it, settled groups
		// included: flush it long before its span could fill the window.
		if len(batch) == leadBatch || len(batch) > 0 && j.seq-batch[0].seq >= reorderWindow/4 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return nil
}

// settleEarly decides groups that need nothing from Nutshell: invalid rows
// and rows an earlier run already did. precheck: an earlier run may have
// applied the update, so the lead is read before it is resent.
func (s *stages) settleEarly(j job) (st *settlement, precheck bool) {
	switch {
	case j.settled != nil:
		return j.settled, false
	case j.group.Update == nil:
		return &settlement{result: report.Invalid}, false
	case s.earlier != nil:
		return s.earlier(j.group)
	}
	return nil, false
}

// readBatch reads the batch's leads (unless the run has stopped) and settles
// or hands on each job.
func (s *stages) readBatch(ctx context.Context, batch []job, out chan<- job, results chan<- done) {
	if _, _, stopped := s.stop.Stopped(); stopped {
		for _, j := range batch {
			out <- j // dispatch settles it as not sent
		}
		return
	}
	ids := make([]string, len(batch))
	for i, j := range batch {
		ids[i] = j.group.Update.Lead
	}
	leads, err := s.send.Leads(ctx, ids)
	byID := make(map[string]*enrich.Lead, len(leads))
	raw := make(map[string]*nutshell.Lead, len(leads))
	for i, l := range leads {
		el := enrich.FromNutshell(l)
		byID[l.ID] = &el
		raw[l.ID] = &leads[i]
	}
	if err == nil && s.maps != nil {
		updates := make([]*mapping.Update, 0, len(batch))
		for _, j := range batch {
			if j.undo == nil {
				updates = append(updates, j.group.Update)
			}
		}
		s.maps.Read(ctx, byID, updates)
	}
	for _, j := range batch {
		if err != nil {
			if _, _, stopped := s.stop.Stopped(); !stopped {
				// Without the lead's state nothing can be decided safely.
				results <- done{job: j, out: sender.Outcome{Result: report.Failed, Kind: enrich.KindLeadUnread,
					Error: fmt.Sprintf("not sent: could not read the lead's current state: %s", err)}}
				continue
			}
			out <- j
			continue
		}
		var l enrich.Lead
		if p := byID[j.group.Update.Lead]; p != nil {
			l = *p
		}
		j.before = raw[j.group.Update.Lead]
		if j.before != nil {
			j.mapsBefore, j.mapsKnown = j.before.MapIDs()
		}
		if j.undo != nil {
			if d := s.decideUndo(j.undo, l, j.mapsBefore, j.mapsKnown); d.Result != "" {
				results <- done{job: j, out: outcomeOf(&settlement{result: d.Result, kind: d.Kind, note: d.Note})}
				continue
			}
			s.admit(j, out, results)
			continue
		}
		j.statusBefore = l.Status
		var notes []string
		if s.maps != nil && l.Found && !l.Deleted {
			var d enrich.Decision
			if d, notes, l = s.maps.Check(j.group.Update, l); d.Result != "" {
				results <- done{job: j, out: outcomeOf(&settlement{result: d.Result, kind: d.Kind, note: d.Note})}
				continue
			}
		}
		if d := s.decide(j.group.Update, l); d.Result != "" {
			if d.Kind == enrich.KindAlreadyDone && j.precheck && s.cutOff.missing(j.group) {
				// Sent by the earlier run while in flight, never written:
				// its work, reported so an undo of both reports finds it.
				d = enrich.Decision{Result: report.Succeeded, Kind: d.Kind, Note: foundApplied}
				j.statusBefore = "" // what it was before the earlier run is unknown
				if s.cutOff.openOnly && j.group.Update.Action == mapping.ActionStatus {
					j.statusBefore = "open"
				}
			}
			results <- done{job: j, out: outcomeOf(&settlement{result: d.Result, kind: d.Kind, note: d.Note})}
			continue
		}
		if u, note := enrich.Trim(j.group.Update, l); u != j.group.Update {
			g := *j.group
			g.Update = u
			j.group, j.body = &g, string(u.JSON())
			notes = append(notes, note)
		}
		j.note = strings.Join(notes, "; ")
		s.admit(j, out, results)
	}
}

// limitReached reports whether --limit updates have been admitted.
func (s *stages) limitReached() bool {
	return s.limit > 0 && s.admitted.Load() >= int64(s.limit)
}

// overLimit is the outcome of an update past --limit.
func (s *stages) overLimit() sender.Outcome {
	return sender.NotSent(fmt.Sprintf("--limit %d reached", s.limit), "limit")
}

// admit hands an update on to the dispatchers. Admission happens here, in
// input order, before any worker takes the update: --limit N sends the first
// N updates of the file, however many workers race for them.
func (s *stages) admit(j job, out chan<- job, results chan<- done) {
	if s.limit > 0 && s.admitted.Add(1) > int64(s.limit) {
		results <- done{job: j, out: s.overLimit()}
		return
	}
	out <- j
}

// dispatch sends updates, one at a time per worker, until its input closes;
// once the run stops dispatching, what is left is settled as not sent.
func (s *stages) dispatch(ctx context.Context, in <-chan job, results chan<- done) error {
	for j := range in {
		if reason, kind, stopped := s.stop.Stopped(); stopped {
			results <- done{job: j, out: sender.NotSent(reason, kind)}
			continue
		}
		if j.undo != nil {
			results <- done{job: j, out: s.undoLead(ctx, j)}
			continue
		}
		if s.dryRun {
			results <- done{job: j, out: sender.Outcome{Result: report.DryRun}}
			continue
		}
		out := s.send.Send(ctx, j.group.Update, []byte(j.body), sender.Prior{Lead: j.before, Precheck: j.precheck, EarlierStatus: j.earlierStatus,
			Dispatch: func() error { return s.noteDispatched(j) }})
		if out.Result == report.Succeeded && out.Attempts > 0 { // this run applied it
			s.recordAddedMaps(ctx, j, &out)
		}
		if s.limit > 0 && s.admittedDone.Add(1) == int64(s.limit) {
			// Every admitted update is done: stop reading leads for the rest.
			s.stop.Stop(fmt.Sprintf("--limit %d reached", s.limit), "limit", nil)
		}
		if out.Result == report.Failed && s.maxFailures > 0 {
			if n := s.failedRows.Add(int64(len(j.group.Rows))); n >= int64(s.maxFailures) {
				s.stop.Stop(fmt.Sprintf("--max-failures %d reached", s.maxFailures), "max_failures", nil)
			}
		}
		results <- done{job: j, out: out}
	}
	return nil
}

// write puts each group's rows in the report and counts them. It drains its
// input even after a write error, so no stage waits on it forever.
func (s *stages) write(in <-chan done) error {
	var failed error
	for d := range in {
		rows := reportRows(d)
		s.tally.add(d, rows)
		for _, r := range rows {
			s.progress.Done(r.Result, 1)
		}
		if d.out.Attempts > 0 {
			s.noteSent(rows)
		}
		if failed != nil || d.seq < 0 {
			continue
		}
		if err := s.ordered.Done(d.seq, rows); err != nil {
			failed = fmt.Errorf("write the report: %w", err)
			s.stop.Stop(failed.Error(), "report_error", failed)
		}
	}
	if s.summarize != nil {
		s.ordered.SetSummary(s.summarize())
	}
	if err := s.ordered.Close(); err != nil && failed == nil {
		failed = fmt.Errorf("write the report: %w", err)
		s.stop.Stop(failed.Error(), "report_error", failed)
	}
	if failed != nil {
		s.missing = s.unwritten()
	}
	s.sent = nil
	return nil
}

// noteDispatched notes the job's rows in the journal just before its update
// is first sent (after its turn at the pacer). A journal that cannot be written stops the run: a later resume
// could not tell these rows from rows never sent.
func (s *stages) noteDispatched(j job) error {
	if s.journal == nil {
		return nil
	}
	nums := make([]int, len(j.group.Rows))
	for i, r := range j.group.Rows {
		nums[i] = r.Number
	}
	if err := s.journal.Dispatched(nums); err != nil {
		err = fmt.Errorf("write the report: %w", err)
		s.stop.Stop(err.Error(), "report_error", err)
		return err
	}
	return nil
}

// sentRow is a row whose update was sent, kept until the report holds it.
type sentRow struct {
	number int
	result report.Result
}

// noteSent remembers rows whose update was sent until a flush puts them on
// disk, so a report that stops writing can say which sent rows it misses.
func (s *stages) noteSent(rows []report.Row) {
	for _, r := range rows {
		s.sent = append(s.sent, sentRow{r.Number, r.Result})
	}
	if len(s.sent) >= 2*reorderWindow {
		s.sent = s.unwritten()
	}
}

// unwritten returns the sent rows the report does not hold (yet).
func (s *stages) unwritten() []sentRow {
	flushed := s.ordered.Flushed()
	keep := s.sent[:0]
	for _, r := range s.sent {
		if r.number > flushed {
			keep = append(keep, r)
		}
	}
	return keep
}

// missingRows says which rows whose updates were sent the report could not
// hold, by result: "succeeded: rows 1502-1530, 1533; failed: row 1531".
func missingRows(rows []sentRow) string {
	slices.SortFunc(rows, func(a, b sentRow) int { return a.number - b.number })
	var parts []string
	for _, res := range report.Results() {
		var nums []int
		for _, r := range rows {
			if r.result == res {
				nums = append(nums, r.number)
			}
		}
		if len(nums) == 0 {
			continue
		}
		var spans []string
		for i := 0; i < len(nums); {
			j := i
			for j+1 < len(nums) && nums[j+1] <= nums[j]+1 {
				j++
			}
			if j > i {
				spans = append(spans, fmt.Sprintf("%d-%d", nums[i], nums[j]))
			} else {
				spans = append(spans, strconv.Itoa(nums[i]))
			}
			i = j + 1
		}
		word := "rows"
		if len(nums) == 1 {
			word = "row"
		}
		parts = append(parts, fmt.Sprintf("%s: %s %s", res, word, strings.Join(spans, ", ")))
	}
	return strings.Join(parts, "; ")
}

// outcomeOf turns a settlement into an outcome.
func outcomeOf(st *settlement) sender.Outcome {
	out := sender.Outcome{Result: st.result, Kind: st.kind}
	if st.result == report.Succeeded || st.result == report.DryRun {
		out.Note = st.note
	} else {
		out.Error = st.note
	}
	return out
}

// reportRows builds a group's report rows.
func reportRows(d done) []report.Row {
	rows := make([]report.Row, len(d.group.Rows))
	for i, gr := range d.group.Rows {
		row := report.Row{
			Number:       gr.Number,
			Cells:        gr.Cells,
			Numeric:      gr.Numeric,
			Formats:      gr.Formats,
			Result:       d.out.Result,
			HTTPStatus:   d.out.HTTPStatus,
			Error:        d.out.Error,
			Note:         joinNotes(joinNotes(d.out.Note, d.note), gr.Note),
			Attempts:     d.out.Attempts,
			RequestID:    d.out.RequestID,
			LeadStatus:   d.out.LeadStatus,
			StatusBefore: d.statusBefore,
			Body:         d.body,
			ProductMaps:  strings.Join(d.out.ProductMaps, mapSeparator),
		}
		if u := d.group.Update; u != nil {
			row.LeadID = u.Lead
		}
		switch {
		case gr.Err.Skipped():
			row.Result, row.Error, row.Note, row.Body, row.LeadID = report.Skipped, "", gr.Err.Reason, "", ""
		case gr.Err != nil:
			row.Result = report.Invalid
			row.Error = gr.Err.Error()
			row.Body = ""
		}
		rows[i] = row
	}
	return rows
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

// mapSeparator joins product map IDs in import_product_maps.
const mapSeparator = "; "

// recordAddedMaps finds the product maps a successful update added: those
// the lead shows after it (in the answer, or in a read of the lead when the
// answer does not name them) that the read before it did not. A map the lead
// had before is never among them, so undo never takes it off. Where the read
// before did not show the lead's maps, nothing is recorded, and the note
// says undo will leave the products.
func (s *stages) recordAddedMaps(ctx context.Context, j job, out *sender.Outcome) {
	u := j.group.Update
	if u.Action != mapping.ActionStatus || len(u.Body.ProductMaps) == 0 {
		return
	}
	if !j.mapsKnown {
		out.Note = joinNotes(out.Note, "the read before did not show the lead's product maps, so those this update added are not recorded; undo will leave them")
		return
	}
	after, known := out.After.MapIDs()
	if !known {
		l, err := s.send.Lead(ctx, u.Lead)
		if err == nil {
			after, known = l.MapIDs()
		}
	}
	if !known {
		out.Note = joinNotes(out.Note, "neither the answer nor a read after showed the lead's product maps, so those this update added are not recorded; undo will leave them")
		return
	}
	for _, id := range after {
		if !slices.Contains(j.mapsBefore, id) && !slices.Contains(out.ProductMaps, id) {
			out.ProductMaps = append(out.ProductMaps, id)
		}
	}
}
