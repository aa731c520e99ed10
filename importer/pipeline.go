package importer

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"github.com/leadstatus/leadstatus/importer/enrich"
	"github.com/leadstatus/leadstatus/importer/kind"
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
	kind   kind.Kind
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

// stageSettings are what a run decides about its stages before they start;
// import and undo decide differently, and nothing changes them afterwards.
type stageSettings struct {
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
	// summarize says what the run did, for a report that shows it (XLSX).
	summarize func() report.RunSummary
	// tally counts what reaches the report, by the run's rule.
	tally *tally
	// journal notes each update before it is sent (nil: none kept).
	journal *report.Journal
}

// stages is everything the chain needs: its settings, its collaborators,
// and what the stages count as they go.
type stages struct {
	stageSettings
	items    itemSource
	ordered  *report.Ordered
	send     *sender.Sender // nil: nothing is read or sent (a dry run without credentials)
	stop     *stop.Signal
	progress Progress
	log      zerolog.Logger
	// interrupt is the first Ctrl-C.
	interrupt context.Context

	// sent are rows whose update was sent and that may not be on disk yet;
	// missing, after a write error, those the report does not hold.
	sent, missing []sentRow

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
		s.stop.Stop("interrupted", kind.Stopped, nil)
		s.log.Warn().Msg("interrupted: sending nothing more; waiting for the requests in flight (Ctrl-C again to cancel them)")
	case <-finished:
	}
	return nil
}
