package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer/kind"
)

// RunSummary is what a run did, for a report that shows it beside the rows:
// the XLSX report's Summary sheet. The importer fills it when the run ends
// and hands it to the encoder (through Ordered.SetSummary) before Close.
type RunSummary struct {
	Input          string        // the input path as given ("-" for standard input)
	Started        time.Time     // when the run started
	Elapsed        time.Duration // how long it took
	DryRun         bool          // nothing was sent
	Rate           float64       // the final rate, in requests per second; 0 = none measured
	Requests       int           // requests made: reads and updates, retries included
	Reads, Updates int           // Requests split: reads of Nutshell, update requests
	ServerLimits   []string      // what the run did instead of each shortcut the server refused
	Counts         []ResultCount // rows per result, in the order to show them
	Reasons        []Reason      // why rows were not done, largest groups first
	ColumnsNotSent []string      // input columns no update used
	ResumeCommand  string        // the command that retries what did not succeed; "" = none
}

// ResultCount is how many rows ended with one result.
type ResultCount struct {
	Result Result
	Rows   int
}

// Reason is one kind of reason rows were invalid, failed or skipped.
type Reason struct {
	Result Result    `json:"result"` // the rows' result
	Kind   kind.Kind `json:"kind"`   // why, e.g. "unknown_outcome"; the result's own text when it has no kind
	Reason string    `json:"reason"` // one row's message, as the example
	Count  int       `json:"count"`  // rows with this reason
	Rows   []int     `json:"rows"`   // the first of those rows' numbers
	// Done: the rows need nothing more, as an undo's rows with nothing to
	// undo; they do not make the run exit 1.
	Done bool `json:"done,omitempty"`
}

// SummarySetter is implemented by encoders that show a RunSummary (XLSX).
// SetSummary is called at most once, after the last row and before Close.
type SummarySetter interface {
	SetSummary(RunSummary)
}

// MaxNamed is the most column names a summary lists; the rest are counted.
const MaxNamed = 20

// NameSome joins the first MaxNamed names and counts the rest:
// "a, b, c and 9980 more". An input of ten thousand columns would
// otherwise fill the screen.
func NameSome(names []string) string {
	if len(names) <= MaxNamed {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:MaxNamed], ", "), len(names)-MaxNamed)
}
