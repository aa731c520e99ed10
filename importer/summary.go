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
	Requests   int                   // update requests sent (attempts, retries included)
	SlowDowns  int                   // 429 and 503 answers
	FinalRate  float64               // the pacer's rate at the end, requests per second
	Elapsed    time.Duration
	// Stopped says why the run stopped before sending everything ("" if it did not).
	Stopped     string
	Interrupted bool
	DryRun      bool
	Warnings    []string
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
}

// Record returns the summary as a SummaryRecord; resume is the command that
// sends what did not succeed, kept only when there is something to resume.
func (s *Summary) Record(resume string, runErr error) SummaryRecord {
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
	}
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
