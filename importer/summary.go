package importer

import (
	"math"
	"time"

	"github.com/leadstatus/leadstatus/importer/report"
)

// Summary is what a run did.
type Summary struct {
	Input      string
	ReportPath string
	Rows       int                   // data rows read
	Counts     map[report.Result]int // rows per import_result
	Requests   int                   // requests made: updates, reads and retries
	Updates    int                   // update requests sent (attempts, retries included)
	Reads      int                   // read requests made (retries included)
	// ServerLimits say what the run did instead of each shortcut the server
	// refused or ignored (learnt once, for the rest of the run).
	ServerLimits []string
	SlowDowns    int     // 429 and 503 answers
	FinalRate    float64 // the pacer's rate at the end, requests per second
	Elapsed      time.Duration
	// Stopped says why the run stopped before sending everything ("" if it did not).
	Stopped     string
	Interrupted bool
	DryRun      bool
	Warnings    []string
	// ColumnsNotSent are the input's columns carried into the report but
	// feeding no field of the update.
	ColumnsNotSent []string
	// Reasons group the rows that need attention (invalid, failed, not sent,
	// skipped for a reason other than "already done"), largest first.
	Reasons []Reason
	// Plan groups the updates by what was (in a dry run: would be) done.
	Plan []PlanLine
	// NeedsAttention counts the rows that need a look, by the run's rule
	// (an import's or an undo's): more than none is OutcomeNeedsAttention.
	NeedsAttention int
}

// SendRate is the achieved rate of update requests per second.
func (s *Summary) SendRate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests) / s.Elapsed.Seconds()
}

// SummaryRecord is a run's summary as one JSON object: what the CLI prints
// with --log-format json and what the local page shows. Fields are only added.
type SummaryRecord struct {
	Event          string                `json:"event"`
	Input          string                `json:"input"`
	Report         string                `json:"report"`
	Rows           int                   `json:"rows"`
	Results        map[report.Result]int `json:"results"`
	Requests       int                   `json:"requests"`
	RequestsPerSec float64               `json:"requests_per_sec"`
	RateLimited    int                   `json:"rate_limited"`
	FinalRate      float64               `json:"final_rate"`
	ElapsedSeconds float64               `json:"elapsed_seconds"`
	DryRun         bool                  `json:"dry_run"`
	Interrupted    bool                  `json:"interrupted"`
	Stopped        string                `json:"stopped"`
	ResumeCommand  string                `json:"resume_command"`
	Warnings       []string              `json:"warnings"`
	Error          string                `json:"error,omitempty"`
	ExitCode       int                   `json:"exit_code"`
	Updates        int                   `json:"updates"`
	Reads          int                   `json:"reads"`
	ServerLimits   []string              `json:"server_limits"`
	ColumnsNotSent []string              `json:"columns_not_sent"` // the first report.MaxNamed
	// ColumnsNotSentMore counts the columns not sent beyond those named.
	ColumnsNotSentMore int        `json:"columns_not_sent_more,omitempty"`
	Reasons            []Reason   `json:"reasons"`
	Plan               []PlanLine `json:"plan"`
}

// Record returns the summary as a SummaryRecord; resume is the command that
// sends what did not succeed, kept only when there is something to resume.
func (s *Summary) Record(resume string, exitCode int, runErr error) SummaryRecord {
	rec := SummaryRecord{
		Event:          "summary",
		Input:          s.Input,
		Report:         s.ReportPath,
		Rows:           s.Rows,
		Results:        map[report.Result]int{},
		Requests:       s.Requests,
		RequestsPerSec: round1(s.SendRate()),
		RateLimited:    s.SlowDowns,
		FinalRate:      round1(s.FinalRate),
		ElapsedSeconds: s.Elapsed.Seconds(),
		DryRun:         s.DryRun,
		Interrupted:    s.Interrupted,
		Stopped:        s.Stopped,
		Warnings:       append([]string{}, s.Warnings...),
		ExitCode:       exitCode,
		Updates:        s.Updates,
		Reads:          s.Reads,
		ServerLimits:   append([]string{}, s.ServerLimits...),
		ColumnsNotSent: append([]string{}, s.ColumnsNotSent[:min(len(s.ColumnsNotSent), report.MaxNamed)]...),
		Reasons:        append([]Reason{}, s.Reasons...),
		Plan:           append([]PlanLine{}, s.Plan...),
	}
	rec.ColumnsNotSentMore = len(s.ColumnsNotSent) - len(rec.ColumnsNotSent)
	for _, r := range report.Results() {
		rec.Results[r] = s.Counts[r]
	}
	if s.NeedsResume() {
		rec.ResumeCommand = resume
	}
	if runErr != nil {
		rec.Error = runErr.Error()
	}
	return rec
}

// NeedsResume reports whether a real run left rows that a resume would send.
func (s *Summary) NeedsResume() bool {
	return !s.DryRun && s.Counts[report.Failed]+s.Counts[report.NotSent] > 0
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
