package importer

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// Options is everything one import needs; the command line fills it, tests build it directly.
type Options struct {
	Input string // path, or "-" for standard input
	// InputName names the input to people (summary, XLSX summary sheet)
	// when Input is a copy, as the local page's uploads are; "" = Input.
	InputName string
	Source    source.Options // sheet, encoding, password, stdin
	Config    *mapping.Config

	ReportPath string // "" → beside the input, timestamped
	// Protected are other files the run reads (the mapping file, the key
	// file): the report must never overwrite them.
	Protected []string
	Force     bool // overwrite an existing report
	// LockDir holds the locks that keep two runs from sending one file to
	// one account at once; "" → the user's cache folder (runlock.Dir).
	LockDir string
	// WrapReport, if set, sees the report file through another writer
	// (tests: one that fails part-way).
	WrapReport func(io.WriteCloser) io.WriteCloser

	DryRun bool
	Check  bool // with DryRun: read-only checks against the API
	// Leads already closed are skipped unless UpdateClosed; SkipClosed says
	// the user asked for that explicitly (the skips then count as done).
	SkipClosed   bool
	UpdateClosed bool
	Limit        int // send at most this many updates (0 = all)
	Resume       string

	// A zero in any of these means its documented default (DefaultWorkers,
	// DefaultRate, DefaultRetries, ...), so options built by any caller
	// behave as the command line's; "none" is said explicitly (NoRetries).
	Workers     int
	Rate        float64
	StartRate   float64 // rate a run starts at before ramping up to Rate (0 = the pacer's slow start)
	Burst       int
	Retries     int // retries of one update; 0 = DefaultRetries, NoRetries (or any negative) = none
	BackoffBase time.Duration
	BackoffMax  time.Duration
	MaxFailures int // stop after this many failed rows (0 = never)

	// OutageAfter consecutive failed attempts (5xx, transport) with no success
	// in between pause every worker for OutagePause; after OutagePauses such
	// pauses in a row the run stops.
	OutageAfter  int
	OutagePause  time.Duration
	OutagePauses int

	// Client talks to Nutshell; nil means no credentials (dry-run only).
	Client *nutshell.Client

	Log      zerolog.Logger
	Progress Progress
	// Stop is closed (cancelled) to stop dispatching (first Ctrl-C); the
	// context given to Run cancels requests in flight (second Ctrl-C).
	Stop context.Context
	Now  func() time.Time
	// Random returns values in [0, 1) for backoff jitter.
	Random func() float64
	// ResumeCommand, when set, gives the command that resumes a run whose
	// report is at reportPath, for a report that shows it.
	ResumeCommand func(reportPath string) string
	// Args is the command line, recorded beside the report and used to print
	// the command that resumes the run. It never holds a secret.
	Args []string
}

// Progress receives counts as rows complete. Implementations must be safe for
// concurrent use.
type Progress interface {
	// Start is called once, with the number of data rows when known (-1 if not).
	Start(total int)
	// Done records n rows that ended with result.
	Done(result report.Result, n int)
	// Finish is called once at the end.
	Finish()
}

type noProgress struct{}

func (noProgress) Start(int)               {}
func (noProgress) Done(report.Result, int) {}
func (noProgress) Finish()                 {}

// CredentialsHelp says how to give leadstatus credentials.
const CredentialsHelp = "set NUTSHELL_USERNAME to your Nutshell e-mail and NUTSHELL_API_KEY (or NUTSHELL_API_KEY_FILE) to an API key"

// ErrNoCredentials is a run that would send with no client.
var ErrNoCredentials = errors.New("no credentials: " + CredentialsHelp + ", or use --dry-run or --mock")

// Conflict is the first pair of options that contradict each other, named
// by their flags; nil when none do. The command line asks before it
// connects; Run asks again, for other callers.
func (o *Options) Conflict() error {
	switch {
	case o.Resume != "" && o.Input == "-":
		return errors.New("--resume needs the input as a file, not standard input, so it can check the report was made from it")
	case o.Check && !o.DryRun:
		return errors.New("--check only reads; use it with --dry-run")
	}
	return nil
}

// needsClient says why a run with no client cannot go; nil when it can.
func (o *Options) needsClient() error {
	switch {
	case o.Client != nil:
		return nil
	case o.Check:
		return errors.New("--check reads from Nutshell and needs credentials: " + CredentialsHelp + ", or use --mock")
	case !o.DryRun:
		return ErrNoCredentials
	}
	return nil
}

// WithDefaults returns o with every zero replaced by its default, as Run
// and Undo see it.
func (o Options) WithDefaults() Options {
	o.setDefaults()
	return o
}

// retries is how many times one update is retried: never negative.
func (o *Options) retries() int {
	if o.Retries < 0 {
		return 0
	}
	return o.Retries
}

func (o *Options) setDefaults() {
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Rate <= 0 {
		o.Rate = DefaultRate
	}
	if o.Burst <= 0 {
		o.Burst = DefaultBurst
	}
	// Negative stays negative (none): defaults may be applied twice.
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = DefaultBackoffBase
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = DefaultBackoffMax
	}
	if o.OutageAfter <= 0 {
		o.OutageAfter = DefaultOutageAfter
	}
	if o.OutagePause <= 0 {
		o.OutagePause = DefaultOutagePause
	}
	if o.OutagePauses <= 0 {
		o.OutagePauses = DefaultOutagePauses
	}
	if o.Progress == nil {
		o.Progress = noProgress{}
	}
	if o.Stop == nil {
		o.Stop = context.Background()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Defaults for the pool. Nutshell publishes no rate limit, so the rate is a
// modest ceiling that the pacer lowers by itself if the server ever answers
// 429 or 503; 16 workers keep 20 requests a second flowing even when each
// takes 800 ms.
const (
	DefaultWorkers      = 16
	DefaultRate         = 20
	DefaultRetries      = 4
	DefaultBurst        = 1
	DefaultBackoffBase  = 500 * time.Millisecond
	DefaultBackoffMax   = 30 * time.Second
	DefaultOutageAfter  = 20
	DefaultOutagePause  = 30 * time.Second
	DefaultOutagePauses = 4
)

// NoRetries in Options.Retries (an import's or an undo's) sends each update
// once: a zero there means DefaultRetries.
const NoRetries = -1
