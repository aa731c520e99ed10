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
	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/runlock"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/importer/stop"
	"github.com/leadstatus/leadstatus/mapping"
)

// prepare builds an import whole before anything is sent: it opens the
// input and reads it whole once (a damaged file stops the run here, with
// nothing sent, in every mode), recognises its columns, fetches the outcomes
// names resolve against (which proves the credentials), takes the run lock,
// checks a --resume report and creates the report. Nothing changes the
// stages it builds afterwards.
func prepare(ctx context.Context, o *Options) (_ *runPlan, err error) {
	if err := cmp.Or(o.Conflict(), o.needsClient()); err != nil {
		return nil, err
	}
	started := o.Now()
	removeLeftovers(leftoverDirs(o.ReportPath, o.Input), o.Now(), o.Log)
	var cleanup cleanups
	defer func() {
		if err != nil {
			cleanup.run()
		}
	}()
	in, err := openRunInput(o, &cleanup)
	if err != nil {
		return nil, err
	}
	plan := newRunPlan(o, in.total)
	plan.sum = &Summary{Input: o.displayInput(), DryRun: o.DryRun, Warnings: in.src.Warnings(), ColumnsNotSent: in.spec.NotSent()}
	names, err := plan.fetchNames(ctx, in)
	if err != nil {
		return nil, err
	}
	meta, err := inputMeta(o, in.spool)
	if err != nil {
		return nil, err
	}
	if !o.DryRun {
		// Before anything is sent: a second run of this file against this
		// account would apply every update again. Standard input is known
		// by its spooled copy.
		lock, err := takeLock(o.LockDir, "import\x00"+meta.InputSHA256, o.Client, "sending this file", o.Now(), o.Log)
		if err != nil {
			return nil, err
		}
		cleanup.add(lock.Release)
	}
	set := stageSettings{readLeads: plan.send != nil && (!o.DryRun || o.Check), // a plain dry run reads no leads
		limit: o.Limit, maxFailures: o.MaxFailures}
	if o.Resume != "" {
		if set.earlier, set.earlierStatus, set.cutOff, err = readEarlier(o.Resume, meta); err != nil {
			return nil, err
		}
	}
	path, enc, err := createReport(o, in.spec, meta)
	if err != nil {
		return nil, err
	}
	plan.sum.ReportPath = path
	if !o.DryRun {
		if set.journal, err = report.CreateJournal(path); err != nil {
			enc.Close()
			return nil, err
		}
	}
	if set.readLeads {
		set.maps = enrich.NewMaps(plan.send)
	}
	rules := enrich.Rules{UpdateClosed: o.UpdateClosed, SkipClosed: o.SkipClosed}
	set.decide = func(u *mapping.Update, l enrich.Lead) enrich.Decision { return enrich.Decide(u, l, rules, names) }
	var outcomeName func(string) string
	if names != nil {
		outcomeName = names.Name
	}
	set.tally = newTally(outcomeName, importAttention)
	set.summarize = plan.runSummary(set.tally, started, path)
	items := &rowGroups{src: in.src, spec: in.spec, grouper: mapping.NewGrouper(in.spec, resolverOf(names))}
	if names != nil {
		items.names = names
		items.src = enrich.NumbersAhead(in.src, in.spec, names)
	}
	plan.stages = plan.newStages(items, enc, set)
	plan.close = cleanup.run
	return plan, nil
}

// cleanups undo what a run set up (open files, a spooled copy, the run
// lock), in the reverse of the order they were added.
type cleanups []func()

func (c *cleanups) add(f func()) { *c = append([]func(){f}, *c...) }

func (c *cleanups) run() {
	for _, f := range *c {
		f()
	}
}

// runInput is the import's input, open, with its columns recognised.
type runInput struct {
	src   source.Reader
	spec  *mapping.Spec
	spool string // standard input's spooled copy ("" for a file)
	total int    // data rows, -1 when not counted
	// outcomes counts the values of a column of outcomes that is read (nil: none).
	outcomes *mapping.OutcomeTally
}

// openRunInput opens the input and recognises its columns. Text is read
// whole first: a damaged line stops the run before anything is sent or
// written. A workbook's parts were all read and checksummed when it was
// opened, so a dry run of one, which sends nothing, skips reading its rows
// twice (a rarer damage inside a sheet then stops the run where it is met,
// every row before it reported).
func openRunInput(o *Options, cleanup *cleanups) (*runInput, error) {
	in := &runInput{total: -1}
	if o.Input == "-" {
		spool, err := spoolStdin(o.Source.Stdin)
		if err != nil {
			return nil, err
		}
		in.spool = spool
		cleanup.add(func() { os.Remove(spool) })
	}
	sopts := sourceOptions(o.Source, o.Config)
	src, closeSrc, err := openInput(o.Input, sopts, in.spool)
	if err != nil {
		return nil, err
	}
	cleanup.add(closeSrc)
	in.src = src
	if in.spec, err = mapping.NewSpec(src.Header(), o.Config); err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(o.Input), err)
	}
	// A file that reads no outcome is read whole first in every mode, to
	// refuse a column of outcomes that would be carried unread.
	in.outcomes = in.spec.OutcomeTally(o.Config)
	if !o.DryRun || !source.IsWorkbook(src) || in.outcomes != nil {
		if in.total, err = prescan(o.Input, sopts, in.spool, in.outcomes); err != nil {
			return nil, err
		}
	}
	for _, w := range src.Warnings() {
		o.Log.Warn().Msg(w)
	}
	return in, nil
}

// fetchNames reads the account's outcomes, products and competitors, which
// proves the credentials (nil names without a client), and refuses a column
// of outcomes none of whose values it reads.
func (p *runPlan) fetchNames(ctx context.Context, in *runInput) (*enrich.Names, error) {
	o := p.opts
	var names *enrich.Names
	var outcomeNames []string
	if p.send != nil {
		o.Log.Info().Msg("reading the account's outcomes")
		var err error
		names, err = enrich.NewNames(ctx, o.Client, p.send, func() bool { _, _, s := p.stop.Stopped(); return s })
		if err != nil {
			if fatal := p.stop.Err(); fatal != nil {
				return nil, fatal
			}
			return nil, err
		}
		outcomeNames = names.OutcomeNames()
	}
	if err := in.outcomes.Check(outcomeNames); err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(o.Input), err)
	}
	return names, nil
}

// resolverOf resolves names against the account's, or leaves them
// unchecked without a client.
func resolverOf(names *enrich.Names) mapping.Resolver {
	if names == nil {
		return mapping.UncheckedResolver()
	}
	return names
}

// inputMeta fingerprints the input for the report's .meta.json and the run
// lock; standard input by its spooled copy (its meta then names no file).
func inputMeta(o *Options, spool string) (report.Meta, error) {
	if o.Input == "-" {
		if o.DryRun {
			return report.Meta{}, nil
		}
		sha, _, err := report.FingerprintFile(spool)
		if err != nil {
			return report.Meta{}, fmt.Errorf("read the copy of standard input: %w", err)
		}
		return report.Meta{InputSHA256: sha}, nil
	}
	sha, size, err := report.FingerprintFile(o.Input)
	if err != nil {
		return report.Meta{}, fmt.Errorf("read %s: %w", o.Input, err)
	}
	return report.Meta{Input: o.Input, InputSHA256: sha, InputSize: size, Started: o.Now(), Tool: "leadstatus", Args: o.Args}, nil
}

// createReport creates the report (and, for a file, its .meta.json).
func createReport(o *Options, spec *mapping.Spec, meta report.Meta) (string, report.Encoder, error) {
	path := o.ReportPath
	if path == "" {
		path = report.DefaultPath(o.Input, o.Now())
	}
	if err := checkNotRead(path, o.readPaths()); err != nil {
		return "", nil, err
	}
	enc, err := report.CreateWrapped(path, spec.Columns(), o.Force, o.WrapReport)
	if err != nil {
		return "", nil, err
	}
	if o.Input != "-" {
		if err := report.WriteMeta(path, meta, true); err != nil {
			enc.Close()
			return "", nil, err
		}
	}
	return path, enc, nil
}

// runSummary says what the run has done so far, for a report that shows it
// (XLSX).
func (p *runPlan) runSummary(t *tally, started time.Time, path string) func() report.RunSummary {
	o := p.opts
	return func() report.RunSummary {
		sum := Summary{DryRun: o.DryRun}
		t.fill(&sum)
		rs := report.RunSummary{Input: o.displayInput(), Started: started, Elapsed: o.Now().Sub(started), DryRun: o.DryRun,
			Rate: p.pacer.Rate(), Reasons: sum.Reasons, ColumnsNotSent: p.sum.ColumnsNotSent}
		if p.send != nil {
			rs.Requests, rs.Updates = p.send.Requests(), p.send.Updates()
			rs.Reads = rs.Requests - rs.Updates
			rs.ServerLimits = p.send.Limits().Learnt()
		}
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

// newStages joins the stages for items, writing to enc, as set says.
func (p *runPlan) newStages(items itemSource, enc report.Encoder, set stageSettings) *stages {
	o := p.opts
	set.workers, set.dryRun = o.Workers, o.DryRun
	return &stages{
		stageSettings: set,
		items:         items,
		ordered:       report.NewOrdered(enc, reorderWindow),
		send:          p.send,
		stop:          p.stop,
		progress:      o.Progress,
		log:           o.Log,
		interrupt:     o.Stop,
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
	_, k, _ := p.stop.Stopped()
	p.stages.journal.Close(k != kind.ReportError)
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
