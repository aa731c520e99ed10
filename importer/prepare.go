package importer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/enrich"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/runlock"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/importer/stop"
	"github.com/leadstatus/leadstatus/mapping"
)

// prepare opens the input and reads it whole once (a damaged file stops the
// run here, with nothing sent, in every mode), recognises its columns,
// fetches the outcomes names resolve against (which proves the credentials),
// checks a --resume report and creates the report.
func prepare(ctx context.Context, o *Options) (_ *runPlan, err error) {
	if err := cmp.Or(o.Conflict(), o.needsClient()); err != nil {
		return nil, err
	}
	started := o.Now()
	removeLeftovers(leftoverDirs(o.ReportPath, o.Input), o.Now(), o.Log)
	var cleanup []func()
	defer func() {
		if err != nil {
			for _, f := range cleanup {
				f()
			}
		}
	}()
	spool := ""
	if o.Input == "-" {
		if spool, err = spoolStdin(o.Source.Stdin); err != nil {
			return nil, err
		}
		cleanup = append(cleanup, func() { os.Remove(spool) })
	}
	sopts := sourceOptions(o.Source, o.Config)
	src, closeSrc, err := openInput(o.Input, sopts, spool)
	if err != nil {
		return nil, err
	}
	cleanup = append([]func(){closeSrc}, cleanup...)
	// Text is read whole first: a damaged line stops the run before anything
	// is sent or written. A workbook's parts were all read and checksummed
	// when it was opened, so a dry run of one, which sends nothing, skips
	// reading its rows twice (a rarer damage inside a sheet then stops the
	// run where it is met, every row before it reported).
	spec, err := mapping.NewSpec(src.Header(), o.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(o.Input), err)
	}
	// A file that reads no outcome is read whole first in every mode, to
	// refuse a column of outcomes that would be carried unread.
	tally := spec.OutcomeTally(o.Config)
	total := -1
	if !o.DryRun || !source.IsWorkbook(src) || tally != nil {
		if total, err = prescan(o.Input, sopts, spool, tally); err != nil {
			return nil, err
		}
	}
	for _, w := range src.Warnings() {
		o.Log.Warn().Msg(w)
	}

	plan := newRunPlan(o, total)
	sig, p := plan.stop, plan.pacer
	plan.sum = &Summary{Input: o.displayInput(), DryRun: o.DryRun, Warnings: src.Warnings(), ColumnsNotSent: spec.NotSent()}

	var resolver mapping.Resolver = mapping.UncheckedResolver()
	var names *enrich.Names
	if plan.send != nil {
		o.Log.Info().Msg("reading the account's outcomes")
		names, err = enrich.NewNames(ctx, o.Client, plan.send, func() bool { _, _, s := sig.Stopped(); return s })
		if err != nil {
			if fatal := sig.Err(); fatal != nil {
				return nil, fatal
			}
			return nil, err
		}
		resolver = names
	}
	var outcomeNames []string
	if names != nil {
		outcomeNames = names.OutcomeNames()
	}
	if err := tally.Check(outcomeNames); err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(o.Input), err)
	}
	items := &rowGroups{src: src, spec: spec, grouper: mapping.NewGrouper(spec, resolver)}
	if names != nil {
		items.names = names
	}

	var meta report.Meta
	if o.Input != "-" {
		sha, size, err := report.FingerprintFile(o.Input)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", o.Input, err)
		}
		meta = report.Meta{Input: o.Input, InputSHA256: sha, InputSize: size, Started: o.Now(), Tool: "leadstatus", Args: o.Args}
	}
	if !o.DryRun {
		// Before anything is sent: a second run of this file against this
		// account would apply every update again. Standard input is known
		// by its spooled copy.
		sha := meta.InputSHA256
		if o.Input == "-" {
			if sha, _, err = report.FingerprintFile(spool); err != nil {
				return nil, fmt.Errorf("read the copy of standard input: %w", err)
			}
		}
		lock, err := takeLock(o.LockDir, "import\x00"+sha, o.Client, "sending this file", o.Now(), o.Log)
		if err != nil {
			return nil, err
		}
		cleanup = append(cleanup, lock.Release)
	}
	var earlier func(*mapping.Group) (*settlement, bool)
	var cutOff *resumeCutOff
	var earlierStatus func(*mapping.Group) string
	if o.Resume != "" {
		prev, prevMeta, err := loadPrevious(o.Resume, meta)
		if err != nil {
			return nil, err
		}
		earlier, earlierStatus = resumed(prev), statusBeforeEarlier(prev)
		cutOff = &resumeCutOff{lastRow: prev.LastRow(), openOnly: !updatedClosed(prevMeta.Args)}
	}

	path := o.ReportPath
	if path == "" {
		path = report.DefaultPath(o.Input, o.Now())
	}
	if err := checkNotRead(path, o.readPaths()); err != nil {
		return nil, err
	}
	enc, err := report.CreateWrapped(path, spec.Columns(), o.Force, o.WrapReport)
	if err != nil {
		return nil, err
	}
	if o.Input != "-" {
		if err := report.WriteMeta(path, meta, true); err != nil {
			enc.Close()
			return nil, err
		}
	}
	plan.sum.ReportPath = path
	rules := enrich.Rules{UpdateClosed: o.UpdateClosed, SkipClosed: o.SkipClosed}
	var outcomeName func(string) string
	if names != nil {
		outcomeName = names.Name
	}
	plan.stages = plan.newStages(items, enc, func(u *mapping.Update, l enrich.Lead) enrich.Decision {
		return enrich.Decide(u, l, rules, names)
	}, newTally(outcomeName, importAttention))
	st := plan.stages
	st.readLeads = st.readLeads && (!o.DryRun || o.Check) // a plain dry run reads no leads
	st.limit, st.maxFailures, st.earlier, st.earlierStatus, st.cutOff = o.Limit, o.MaxFailures, earlier, earlierStatus, cutOff
	if !o.DryRun {
		if st.journal, err = report.CreateJournal(path); err != nil {
			enc.Close()
			return nil, err
		}
	}
	if st.readLeads {
		st.maps = enrich.NewMaps(plan.send)
	}
	plan.stages.summarize = func() report.RunSummary {
		sum := Summary{DryRun: o.DryRun}
		plan.stages.tally.fill(&sum)
		rs := report.RunSummary{Input: o.displayInput(), Started: started, Elapsed: o.Now().Sub(started), DryRun: o.DryRun,
			Rate: p.Rate(), Reasons: sum.Reasons, ColumnsNotSent: plan.sum.ColumnsNotSent}
		for _, r := range report.Results() {
			if n := sum.Counts[r]; n > 0 {
				rs.Counts = append(rs.Counts, report.ResultCount{Result: r, Rows: n})
			}
		}
		if o.ResumeCommand != nil && sum.NeedsResume() {
			rs.ResumeCommand = o.ResumeCommand(path)
		}
		return rs
	}
	plan.close = func() {
		for _, f := range cleanup {
			f()
		}
	}
	return plan, nil
}

// takeLock takes the run lock for what (an input or a report, by its
// fingerprint) and the client's account.
func takeLock(dir, what string, c *nutshell.Client, doing string, now time.Time, log zerolog.Logger) (*runlock.Lock, error) {
	return runlock.Acquire(dir, what+"\x00"+c.Account(), runlock.Owner{PID: os.Getpid(), Started: now, What: doing},
		func(w string) { log.Warn().Msg(w) })
}

// newRunPlan makes what every run has: its stop signal, its pacer and, with
// a client, its sender.
func newRunPlan(o *Options, total int) *runPlan {
	p := &runPlan{opts: o, stop: stop.New(), pacer: newPacer(o), total: total, close: func() {}}
	if o.Client != nil {
		p.send = sender.New(senderConfig(o, p.pacer, p.stop))
	}
	return p
}

// newStages joins the stages for items, writing to enc; decide settles an
// update from its lead's state, and tally counts what reaches the report.
func (p *runPlan) newStages(items itemSource, enc report.Encoder, decide func(*mapping.Update, enrich.Lead) enrich.Decision, tally *tally) *stages {
	o := p.opts
	return &stages{
		items:     items,
		ordered:   report.NewOrdered(enc, reorderWindow),
		send:      p.send,
		stop:      p.stop,
		progress:  o.Progress,
		log:       o.Log,
		workers:   o.Workers,
		dryRun:    o.DryRun,
		readLeads: p.send != nil,
		interrupt: o.Stop,
		tally:     tally,
		decide:    decide,
	}
}

// runPlan is a run ready to go.
type runPlan struct {
	opts   *Options
	stop   *stop.Signal
	pacer  *pacer.Pacer
	send   *sender.Sender
	stages *stages
	sum    *Summary
	total  int
	close  func()
}

// finish runs the stages and completes the summary.
func (p *runPlan) finish(ctx context.Context, start time.Time) (*Summary, error) {
	o := p.opts
	if p.stages.readLeads {
		o.Log.Info().Int("per_request", leadBatch).Msg("reading each lead's current state before it is sent")
	}
	o.Progress.Start(p.total)
	err := p.stages.run(ctx)
	o.Progress.Finish()
	sum := p.sum
	sum.Rows = p.stages.items.rows()
	p.stages.tally.fill(sum)
	if p.send != nil {
		sum.Requests, sum.Updates = p.send.Requests(), p.send.Updates()
		sum.Reads = sum.Requests - sum.Updates
		sum.ServerLimits = p.send.Limits().Learnt()
	}
	sum.SlowDowns, sum.FinalRate = p.pacer.SlowDowns(), p.pacer.Rate()
	if reason, _, stopped := p.stop.Stopped(); stopped {
		sum.Stopped = reason
	}
	sum.Interrupted = o.Stop.Err() != nil || ctx.Err() != nil
	sum.Elapsed = o.Now().Sub(start)
	if err == nil {
		err = p.stop.Err()
	}
	var kept *report.KeptError
	if errors.As(err, &kept) {
		sum.ReportPath = kept.Kept
	}
	// The journal is needed only while the report may lack rows it sent.
	_, kind, _ := p.stop.Stopped()
	p.stages.journal.Close(kind != "report_error")
	if m := p.stages.missing; len(m) > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%d rows whose updates were sent could not be written to the report; their results were: %s", len(m), missingRows(m)))
	}
	return sum, err
}

// newPacer makes the run's pacer; rate changes are logged at debug level,
// and the first slow-down once at info.
func newPacer(o *Options) *pacer.Pacer {
	var once sync.Once
	return pacer.New(pacer.Config{Ceiling: o.Rate, Burst: o.Burst, Start: o.StartRate}, func(c pacer.Change) {
		if c.Pause > 0 {
			o.Log.Info().Dur("pause", c.Pause).Msg("Nutshell asked every request to wait (Retry-After): pausing, then going on at the same rate")
			return
		}
		o.Log.Debug().Float64("from", round2(c.From)).Float64("to", round2(c.To)).Str("reason", c.Reason).Msg("request rate changed")
		if c.To < c.From {
			once.Do(func() {
				o.Log.Info().Float64("rate", round2(c.To)).Msg("Nutshell asked to slow down; lowering the request rate (-v shows each change)")
			})
		}
	})
}

func senderConfig(o *Options, p *pacer.Pacer, sig *stop.Signal) sender.Config {
	return sender.Config{
		Client: o.Client, Pacer: p, Stop: sig, Retries: o.retries(),
		BackoffBase: o.BackoffBase, BackoffMax: o.BackoffMax,
		OutageAfter: o.OutageAfter, OutagePause: o.OutagePause, OutagePauses: o.OutagePauses,
		Random: o.Random, Log: o.Log,
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// displayInput is how the input is named to people.
func (o *Options) displayInput() string {
	if o.InputName != "" {
		return o.InputName
	}
	return o.Input
}

// readPaths are the files a run reads; none may be written by it.
func (o *Options) readPaths() []string {
	paths := append([]string{o.Input}, o.Protected...)
	if o.Resume != "" {
		paths = append(paths, o.Resume, report.MetaPath(o.Resume))
	}
	return paths
}

// checkNotRead refuses a report path that is, or whose .meta.json is, a
// file the run reads — even with --force.
func checkNotRead(reportPath string, read []string) error {
	for _, out := range []string{reportPath, report.MetaPath(reportPath)} {
		for _, in := range read {
			if in != "" && in != "-" && sameFile(out, in) {
				return fmt.Errorf("the report %s would overwrite %s, which this run reads; choose another --report", out, in)
			}
		}
	}
	return nil
}

// sameFile reports whether a and b are one file, after resolving paths and links.
func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	if aa == bb {
		return true
	}
	sa, err1 := os.Stat(aa)
	sb, err2 := os.Stat(bb)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
