package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/report"
)

// resultOrder is the order results are listed in a summary.
func resultOrder() []string {
	return []string{report.Succeeded, report.DryRun, report.Skipped, report.Failed, report.Invalid, report.NotSent}
}

// printSummary writes the run's summary to stdout: a few lines for people,
// or one JSON object with --log-format json.
func printSummary(sys *IO, format string, sum *importer.Summary, resume string, runErr error) {
	if format == "json" {
		counts := map[string]int{}
		for _, r := range resultOrder() {
			counts[r] = sum.Counts[r]
		}
		obj := map[string]any{
			"event":            "summary",
			"input":            sum.Input,
			"report":           sum.ReportPath,
			"rows":             sum.Rows,
			"results":          counts,
			"requests":         sum.Requests,
			"requests_per_sec": round1(sum.SendRate()),
			"rate_limited":     sum.SlowDowns,
			"final_rate":       round1(sum.FinalRate),
			"elapsed_seconds":  sum.Elapsed.Seconds(),
			"dry_run":          sum.DryRun,
			"interrupted":      sum.Interrupted,
			"stopped":          sum.Stopped,
			"resume_command":   "",
			"warnings":         append([]string{}, sum.Warnings...),
		}
		if needsResume(sum) {
			obj["resume_command"] = resume
		}
		if runErr != nil {
			obj["error"] = runErr.Error()
		}
		b, _ := json.Marshal(obj)
		fmt.Fprintln(sys.Out, string(b))
		return
	}
	var parts []string
	for _, r := range resultOrder() {
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
	if needsResume(sum) && resume != "" {
		fmt.Fprintf(w, "to send what did not succeed: %s\n", resume)
	}
}

// needsResume: a real run left rows that a resume would send.
func needsResume(sum *importer.Summary) bool {
	return !sum.DryRun && sum.Counts[report.Failed]+sum.Counts[report.NotSent] > 0
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
