package ui

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// session is the one browser's state; the server's mutex guards it.
type session struct {
	client *nutshell.Client // nil until credentials are known
	user   string           // typed into the page; "" when from the environment
	file   *upload
	jobs   []*job
	nextID int
	// outcomes are the account's outcome names as outcomesFor read them.
	outcomes    []string
	outcomesFor *nutshell.Client
}

// upload is the input file the page works on: a private copy.
type upload struct {
	n           int    // sequence number of the upload (its folder's name)
	name        string // the file's name as the person chose it
	path        string // the private copy
	sha         string // its SHA-256, as a report's fingerprint records it
	sheet       string
	mappingName string
	mappingPath string // the private copy of the mapping file, "" if none
	config      *mapping.Config
	mappingData []byte // the mapping file the page's choices made; nil = as uploaded
	view        fileView
}

// hide replaces the private copies' paths in a message with the names the
// person knows them by.
func (u *upload) hide(msg string) string {
	if u == nil {
		return msg
	}
	msg = strings.ReplaceAll(msg, u.path, u.name)
	if u.mappingPath != "" {
		msg = strings.ReplaceAll(msg, u.mappingPath, u.mappingName)
	}
	return msg
}

// args is the import command that does what the page does, for the report's
// record and the printed resume command.
func (u *upload) args(extra ...string) []string {
	a := []string{"import", u.name}
	if u.sheet != "" {
		a = append(a, "--sheet", u.sheet)
	}
	if u.mappingName != "" {
		a = append(a, "--mapping", u.mappingName)
	}
	return append(a, extra...)
}

// Job kinds.
const (
	kindCheck  = "check"
	kindSend   = "send"
	kindResume = "resume"
	kindUndo   = "undo"
)

// job is one run of the pipeline started from the page.
type job struct {
	id       int
	kind     string
	file     *upload
	from     *job // the run this one resumes or undoes
	report   string
	progress *progress
	stop     context.CancelFunc
	stopping bool

	running bool
	record  *importer.SummaryRecord
	err     string
	resume  bool // a resume would send something
	limit   int  // for a send: the pilot's size (0 = all)
	left    int  // for a send or resume: rows a resume would send again (failed, not sent)
	updates int  // for a check: the updates a send would make
	choices checkRequest
}

func (s *session) stopRun() {
	for _, j := range s.jobs {
		if j.running {
			j.stopping = true
			j.stop()
		}
	}
}

func (s *session) running() *job {
	for _, j := range s.jobs {
		if j.running {
			return j
		}
	}
	return nil
}

func (s *session) job(id int) *job {
	for _, j := range s.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}

// last returns the latest finished job of one of kinds, or nil.
func (s *session) last(kinds ...string) *job {
	for i := len(s.jobs) - 1; i >= 0; i-- {
		j := s.jobs[i]
		for _, k := range kinds {
			if j.kind == k && !j.running {
				return j
			}
		}
	}
	return nil
}

// finish records a finished run: the summary exactly as the CLI prints it
// with --log-format json, with paths of private copies replaced by names.
func (j *job) finish(sum *importer.Summary, resume string, err error) {
	j.running = false
	if sum == nil {
		j.report = "" // nothing was written: the run stopped before it began
		if err != nil {
			j.err = j.file.hide(err.Error())
		}
		return
	}
	j.report = sum.ReportPath
	rec := sum.Record(resume, importer.OutcomeOf(sum, err).ExitCode(), err)
	rec.Error = j.file.hide(rec.Error)
	rec.Stopped = j.file.hide(rec.Stopped)
	for i, w := range rec.Warnings {
		rec.Warnings[i] = j.file.hide(w)
	}
	j.record = &rec
	j.resume = j.kind != kindCheck && j.kind != kindUndo && sum.NeedsResume()
	if j.resume {
		j.left = rec.Results[report.Failed] + rec.Results[report.NotSent]
	}
	if j.kind == kindCheck {
		j.updates = plannedUpdates(rec)
	}
}

// plannedUpdates is how many updates a check found to send: the leads its
// plan would update when the summary has a plan, else its dry-run rows.
func plannedUpdates(rec importer.SummaryRecord) int {
	var generic struct {
		Results map[report.Result]int `json:"results"`
		Plan    []struct {
			Result report.Result `json:"result"`
			Leads  int           `json:"leads"`
		} `json:"plan"`
	}
	b, err := json.Marshal(rec)
	if err != nil || json.Unmarshal(b, &generic) != nil {
		return rec.Results[report.DryRun]
	}
	if generic.Plan == nil {
		return generic.Results[report.DryRun]
	}
	n := 0
	for _, p := range generic.Plan {
		if p.Result == report.DryRun {
			n += p.Leads
		}
	}
	return n
}

// progress counts rows as a run reports them; it is the run's importer.Progress.
type progress struct {
	now func() time.Time

	mu       sync.Mutex
	started  time.Time
	total    int
	done     int
	counts   map[report.Result]int
	finished time.Time
}

func newProgress(now func() time.Time) *progress {
	return &progress{now: now, total: -1, counts: map[report.Result]int{}}
}

func (p *progress) Start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.started, p.total = p.now(), total
}

func (p *progress) Done(result report.Result, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.counts[result] += n
}

func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished = p.now()
}

// progressView is what the page shows while a run goes on.
type progressView struct {
	Total   int                   `json:"total"` // -1 when not known
	Done    int                   `json:"done"`
	Counts  map[report.Result]int `json:"counts"`
	Rate    float64               `json:"rows_per_second"`
	ETA     float64               `json:"eta_seconds"` // -1 when not known
	Elapsed float64               `json:"elapsed_seconds"`
}

func (p *progress) view() progressView {
	p.mu.Lock()
	defer p.mu.Unlock()
	v := progressView{Total: p.total, Done: p.done, Counts: map[report.Result]int{}, ETA: -1}
	for r, n := range p.counts {
		v.Counts[r] = n
	}
	if p.started.IsZero() {
		return v
	}
	end := p.finished
	if end.IsZero() {
		end = p.now()
	}
	elapsed := end.Sub(p.started).Seconds()
	v.Elapsed = round1(elapsed)
	if elapsed > 0 {
		v.Rate = round1(float64(p.done) / elapsed)
	}
	if p.total >= 0 && v.Rate > 0 {
		v.ETA = round1(float64(p.total-p.done) / v.Rate)
	}
	return v
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
