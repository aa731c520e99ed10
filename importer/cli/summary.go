package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
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
	printPlan(w, sum)
	printReasons(w, sum.Reasons)
	if len(sum.ColumnsNotSent) > 0 {
		fmt.Fprintf(w, "not sent, carried into the report: %s\n", report.NameSome(sum.ColumnsNotSent))
	}
	line := fmt.Sprintf("took %s", roundDuration(sum.Elapsed))
	if sum.Requests > 0 {
		line += fmt.Sprintf(", %d requests at %.1f/s", sum.Requests, sum.SendRate())
		if sum.SlowDowns > 0 {
			line += fmt.Sprintf(", %d answered 429/503 (rate at the end %.1f/s)", sum.SlowDowns, sum.FinalRate)
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

// planHeading says what a result means for the leads of a plan line.
func planHeading(r report.Result) string {
	switch r {
	case report.DryRun:
		return "would send"
	case report.Succeeded:
		return "sent"
	case report.Skipped:
		return "skipped"
	case report.Failed:
		return "failed"
	case report.NotSent:
		return "not sent"
	}
	return string(r)
}

// printPlan groups the updates by what was (in a dry run: would be) done:
// "open → Won: 29 leads".
func printPlan(w io.Writer, sum *importer.Summary) {
	var last report.Result
	for _, line := range sum.Plan {
		if line.Result != last {
			fmt.Fprintf(w, "%s:\n", planHeading(line.Result))
			last = line.Result
		}
		from := line.Before
		if from == "" {
			from = "(status not read)"
		}
		noun := "leads"
		if line.Leads == 1 {
			noun = "lead"
		}
		fmt.Fprintf(w, "  %s → %s: %d %s\n", from, line.Target, line.Leads, noun)
	}
}

// maxReasonLines keeps the reasons to a screenful; the report has them all.
const maxReasonLines = 20

// printReasons lists each kind of problem with its count, one row's message
// and the first rows: `2 × unknown outcome, e.g. ... (rows 3, 4)`.
func printReasons(w io.Writer, reasons []importer.Reason) {
	if len(reasons) == 0 {
		return
	}
	fmt.Fprintln(w, "needs attention (details in the report):")
	for i, r := range reasons {
		if i == maxReasonLines-1 && len(reasons) > maxReasonLines {
			rest := 0
			for _, x := range reasons[i:] {
				rest += x.Count
			}
			fmt.Fprintf(w, "  … %d more rows of %d other kinds\n", rest, len(reasons)-i)
			return
		}
		fmt.Fprintf(w, "  %d × %s (%s), e.g. %s (%s)\n", r.Count, strings.ReplaceAll(r.Kind, "_", " "), r.Result, clip(r.Reason, 110), rowList(r.Rows, r.Count))
	}
}

// rowList is "row 3", "rows 3, 4" or "rows 3, 4, 5, … (12 in all)".
func rowList(rows []int, count int) string {
	const shown = 5
	parts := make([]string, 0, shown)
	for i, n := range rows {
		if i == shown {
			break
		}
		parts = append(parts, strconv.Itoa(n))
	}
	s := strings.Join(parts, ", ")
	if count > len(parts) {
		s += ", …"
	}
	if count == 1 {
		return "row " + s
	}
	return "rows " + s
}

// clip shortens s to about n characters at a word boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return s[:cut] + " …"
}
