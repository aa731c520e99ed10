package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/report"
)

// printSummary writes the run's summary to stdout: a few lines for people,
// or one JSON object with --log-format json.
func printSummary(sys *IO, format string, sum *importer.Summary, resume string, exitCode int, runErr error) {
	if format == "json" {
		b, _ := json.Marshal(sum.Record(resume, exitCode, runErr))
		fmt.Fprintln(sys.Out, string(b))
		return
	}
	var parts []string
	for _, r := range report.Results() {
		if n := sum.Counts[r]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, r))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no data rows")
	}
	w := sys.Out
	fmt.Fprintf(w, "%d rows: %s\n", sum.Rows, strings.Join(parts, ", "))
	line := fmt.Sprintf("took %s", roundDuration(sum.Elapsed))
	if sum.Requests > 0 {
		line += fmt.Sprintf(", %d requests at %.1f/s", sum.Requests, sum.SendRate())
		if sum.SlowDowns > 0 {
			line += fmt.Sprintf(", %d answered 429/503 (rate lowered to %.1f/s)", sum.SlowDowns, sum.FinalRate)
		}
	}
	fmt.Fprintln(w, line)
	if sum.Stopped != "" {
		fmt.Fprintf(w, "stopped early: %s\n", sum.Stopped)
	}
	fmt.Fprintf(w, "report: %s\n", sum.ReportPath)
	if sum.NeedsResume() && resume != "" {
		fmt.Fprintf(w, "to send what did not succeed: %s\n", resume)
	}
}

// roundDuration keeps two or three significant digits: 3ms, 250ms, 2.55s, 1m5s.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond)
	case d < time.Minute:
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Second)
}
