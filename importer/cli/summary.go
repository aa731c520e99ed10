package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	for _, l := range sum.ServerLimits {
		fmt.Fprintf(w, "server: %s\n", l)
	}
	printReasons(w, sum.Reasons)
	if len(sum.ColumnsNotSent) > 0 {
		fmt.Fprintf(w, "not sent, carried into the report: %s\n", report.NameSome(sum.ColumnsNotSent))
	}
	line := fmt.Sprintf("took %s", roundDuration(sum.Elapsed))
	if sum.Requests > 0 {
		line += fmt.Sprintf(", %d requests (%d reads, %d updates) at %.1f/s", sum.Requests, sum.Reads, sum.Updates, sum.SendRate())
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
		switch {
		case from == "" && line.Result == report.Skipped:
			// Not read: a resumed run leaves what the earlier run did.
			from = "(done by the earlier run)"
		case from == "":
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
	var attention, done []importer.Reason
	for _, r := range reasons {
		if r.Done {
			done = append(done, r)
		} else {
			attention = append(attention, r)
		}
	}
	printReasonGroup(w, "needs attention (details in the report):", attention)
	printReasonGroup(w, "nothing to do (details in the report):", done)
}

// printReasonGroup lists reasons under a heading, at most maxReasonLines.
func printReasonGroup(w io.Writer, heading string, reasons []importer.Reason) {
	if len(reasons) == 0 {
		return
	}
	fmt.Fprintln(w, heading)
	for i, r := range reasons {
		if i == maxReasonLines-1 && len(reasons) > maxReasonLines {
			rest := 0
			for _, x := range reasons[i:] {
				rest += x.Count
			}
			fmt.Fprintf(w, "  … %d more rows of %d other kinds\n", rest, len(reasons)-i)
			return
		}
		fmt.Fprintf(w, "  %d × %s (%s), e.g. %s (%s)\n", r.Count, r.Kind.Label(), r.Result, clip(r.Reason, maxReasonText), rowList(r.Rows, r.Count))
	}
}

// rowList is "row 3", "rows 3, 4" or "rows 3, 4, 5, 6, 7 and 7 more", in
// file order.
func rowList(rows []int, count int) string {
	const shown = 5
	rows = slices.Sorted(slices.Values(rows))
	parts := make([]string, 0, shown)
	for i, n := range rows {
		if i == shown {
			break
		}
		parts = append(parts, strconv.Itoa(n))
	}
	s := strings.Join(parts, ", ")
	if count > len(parts) {
		s += fmt.Sprintf(" and %d more", count-len(parts))
	}
	if count == 1 {
		return "row " + s
	}
	return "rows " + s
}

// maxReasonText is about how long a reason may be on the console; the
// report has the whole message.
const maxReasonText = 140

// clip shortens a reason to about n characters, keeping what matters: its
// first clause (what is wrong) and its end (the advice), cutting the middle,
// and a list it ends with cut to "Initech and 4 more".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	head, rest, ok := strings.Cut(s, "; ")
	if !ok {
		return cutWords(shortenList(s, n), n)
	}
	budget := n - utf8.RuneCountInString(head) - len("; … ")
	if budget < 20 {
		return cutWords(s, n)
	}
	if short := shortenList(rest, budget+len("… ")); utf8.RuneCountInString(short) <= budget+len("… ") {
		return head + "; " + short
	}
	rest = dropAsides(rest)
	// The advice is the longest tail that fits and starts a clause, or
	// else a phrase: "; " first, then ", or ", then ", ".
	for _, sep := range []string{"; ", ", or ", " or ", ", "} {
		for i := 0; i < len(rest); {
			j := strings.Index(rest[i:], sep)
			if j < 0 {
				break
			}
			tail := rest[i+j+len(sep):]
			if sep == ", or " || sep == " or " {
				tail = "or " + tail
			}
			if utf8.RuneCountInString(tail) <= budget {
				return head + "; … " + tail
			}
			i += j + len(sep)
		}
	}
	return cutWords(s, n)
}

// shortenList cuts a list that ends s ("…: Initech, Globex, Acme") to its
// first items and how many more, to fit n characters where it can.
func shortenList(s string, n int) string {
	colon := strings.LastIndex(s, ": ")
	if colon < 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	lead, list := s[:colon+2], s[colon+2:]
	items := strings.Split(list, ", ")
	if len(items) < 2 {
		return s
	}
	for k := len(items) - 1; k >= 1; k-- {
		short := fmt.Sprintf("%s%s and %d more", lead, strings.Join(items[:k], ", "), len(items)-k)
		if utf8.RuneCountInString(short) <= n || k == 1 {
			return short
		}
	}
	return s
}

// dropAsides removes parenthetical asides: " (decimal_separator: ...)".
func dropAsides(s string) string {
	for {
		open := strings.Index(s, " (")
		if open < 0 {
			return s
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			return s
		}
		s = s[:open] + s[open+end+1:]
	}
}

// cutWords cuts s to about n characters at a word boundary.
func cutWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return s[:cut] + " …"
}
