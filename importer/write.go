package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/report"
)

// write puts each group's rows in the report and counts them. It drains its
// input even after a write error, so no stage waits on it forever.
func (s *stages) write(in <-chan done) error {
	var failed error
	for d := range in {
		rows := reportRows(d)
		s.tally.add(d, rows)
		for _, r := range rows {
			s.progress.Done(r.Result, 1)
		}
		if d.out.Attempts > 0 {
			s.noteSent(rows)
		}
		if failed != nil || d.seq < 0 {
			continue
		}
		if err := s.ordered.Done(d.seq, rows); err != nil {
			failed = fmt.Errorf("write the report: %w", err)
			s.stop.Stop(failed.Error(), kind.ReportError, failed)
		}
	}
	if s.summarize != nil {
		s.ordered.SetSummary(s.summarize())
	}
	if err := s.ordered.Close(); err != nil && failed == nil {
		failed = fmt.Errorf("write the report: %w", err)
		s.stop.Stop(failed.Error(), kind.ReportError, failed)
	}
	if failed != nil {
		s.missing = s.unwritten()
	}
	s.sent = nil
	return nil
}

// sentRow is a row whose update was sent, kept until the report holds it.
type sentRow struct {
	number int
	result report.Result
}

// noteSent remembers rows whose update was sent until a flush puts them on
// disk, so a report that stops writing can say which sent rows it misses.
func (s *stages) noteSent(rows []report.Row) {
	for _, r := range rows {
		s.sent = append(s.sent, sentRow{r.Number, r.Result})
	}
	if len(s.sent) >= 2*reorderWindow {
		s.sent = s.unwritten()
	}
}

// unwritten returns the sent rows the report does not hold (yet).
func (s *stages) unwritten() []sentRow {
	flushed := s.ordered.Flushed()
	keep := s.sent[:0]
	for _, r := range s.sent {
		if r.number > flushed {
			keep = append(keep, r)
		}
	}
	return keep
}

// missingRows says which rows whose updates were sent the report could not
// hold, by result: "succeeded: rows 1502-1530, 1533; failed: row 1531".
func missingRows(rows []sentRow) string {
	slices.SortFunc(rows, func(a, b sentRow) int { return a.number - b.number })
	var parts []string
	for _, res := range report.Results() {
		var nums []int
		for _, r := range rows {
			if r.result == res {
				nums = append(nums, r.number)
			}
		}
		if len(nums) == 0 {
			continue
		}
		var spans []string
		for i := 0; i < len(nums); {
			j := i
			for j+1 < len(nums) && nums[j+1] <= nums[j]+1 {
				j++
			}
			if j > i {
				spans = append(spans, fmt.Sprintf("%d-%d", nums[i], nums[j]))
			} else {
				spans = append(spans, strconv.Itoa(nums[i]))
			}
			i = j + 1
		}
		word := "rows"
		if len(nums) == 1 {
			word = "row"
		}
		parts = append(parts, fmt.Sprintf("%s: %s %s", res, word, strings.Join(spans, ", ")))
	}
	return strings.Join(parts, "; ")
}

// reportRows builds a group's report rows.
func reportRows(d done) []report.Row {
	rows := make([]report.Row, len(d.group.Rows))
	for i, gr := range d.group.Rows {
		row := report.Row{
			Number:       gr.Number,
			Cells:        gr.Cells,
			Numeric:      gr.Numeric,
			Formats:      gr.Formats,
			Result:       d.out.Result,
			HTTPStatus:   d.out.HTTPStatus,
			Error:        d.out.Error,
			Note:         joinNotes(joinNotes(d.out.Note, d.note), gr.Note),
			Attempts:     d.out.Attempts,
			RequestID:    d.out.RequestID,
			LeadStatus:   d.out.LeadStatus,
			StatusBefore: d.statusBefore,
			Body:         d.body,
			ProductMaps:  strings.Join(d.out.ProductMaps, mapSeparator),
		}
		if u := d.group.Update; u != nil {
			row.LeadID = u.Lead
		}
		switch {
		case gr.Err.Skipped():
			row.Result, row.Error, row.Note, row.Body, row.LeadID = report.Skipped, "", gr.Err.Reason, "", ""
		case gr.Err != nil:
			row.Result = report.Invalid
			row.Error = gr.Err.Error()
			row.Body = ""
		}
		rows[i] = row
	}
	return rows
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
