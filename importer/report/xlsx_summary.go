package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxStyles are the cell styles of an XLSX report.
type xlsxStyles struct {
	header int            // bold, the header row and the Summary's headings
	title  int            // the Summary's title
	result map[Result]int // an import_result cell, coloured by result
}

// resultColours are the fill and font colours of each result, Excel's own
// Good, Bad and Neutral where they fit, so the colours read as Excel's do.
func resultColours(r Result) (fill, font string) {
	switch r {
	case Succeeded:
		return "C6EFCE", "006100" // Good
	case Failed:
		return "FFC7CE", "9C0006" // Bad
	case Invalid:
		return "FCE4D6", "833C0B" // orange: the input needs fixing
	case NotSent:
		return "FFEB9C", "9C5700" // Neutral: still to do
	case DryRun:
		return "DDEBF7", "1F4E78" // blue: would be sent
	case Skipped:
		return "EDEDED", "3A3A3A" // grey: left alone
	}
	return "", ""
}

func newXLSXStyles(book *excelize.File) (*xlsxStyles, error) {
	st := &xlsxStyles{result: make(map[Result]int)}
	var err error
	if st.header, err = book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, fmt.Errorf("header style: %w", err)
	}
	if st.title, err = book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return nil, fmt.Errorf("title style: %w", err)
	}
	for _, r := range Results() {
		fill, font := resultColours(r)
		id, err := book.NewStyle(&excelize.Style{
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Font: &excelize.Font{Color: font},
		})
		if err != nil {
			return nil, fmt.Errorf("style for %s: %w", r, err)
		}
		st.result[r] = id
	}
	return st, nil
}

// maxSummaryRows caps the row numbers listed for one reason.
const maxSummaryRows = 20

// writeSummarySheet adds the Summary sheet after the report's: the run, the
// counts per result, the reasons and the resume command. It is small, so it
// is written cell by cell rather than streamed.
func writeSummarySheet(book *excelize.File, st *xlsxStyles, s *RunSummary) error {
	if _, err := book.NewSheet(summarySheet); err != nil {
		return err
	}
	w := &summaryWriter{book: book, row: 1}
	w.put(st.title, "leadstatus import")
	w.row++
	w.put(st.header, "Run")
	w.put(0, "Input", s.Input)
	if !s.Started.IsZero() {
		w.put(0, "Started", s.Started.Format("2006-01-02 15:04:05 MST"))
	}
	w.put(0, "Elapsed", roundDuration(s.Elapsed).String())
	if s.DryRun {
		w.put(0, "Mode", "dry run: nothing was sent")
	} else {
		w.put(0, "Mode", "sent to Nutshell")
	}
	if s.Requests > 0 {
		w.put(0, "Requests", s.Requests)
		w.put(0, "  reads", s.Reads)
		w.put(0, "  updates", s.Updates)
	}
	if s.Rate > 0 {
		w.put(0, "Final rate (requests/s)", math.Round(s.Rate*10)/10)
	}
	for i, l := range s.ServerLimits {
		label := ""
		if i == 0 {
			label = "Server limits learnt"
		}
		w.put(0, label, l)
	}
	if len(s.ColumnsNotSent) > 0 {
		w.put(0, "Columns not sent", NameSome(s.ColumnsNotSent))
	}
	w.row++
	w.put(st.header, "Result", "Rows")
	total := 0
	for _, c := range s.Counts {
		w.putStyled([]int{st.result[c.Result], 0}, string(c.Result), c.Rows)
		total += c.Rows
	}
	w.put(st.header, "total", total)
	if len(s.Reasons) > 0 {
		w.row++
		w.put(st.header, "Result", "Rows", "Reason", "Example", "First rows")
		for _, r := range s.Reasons {
			w.putStyled([]int{st.result[r.Result]}, string(r.Result), r.Count, string(r.Kind), fitCell(r.Reason), rowList(r.Rows, r.Count))
		}
	}
	if s.ResumeCommand != "" {
		w.row++
		w.put(st.header, "To retry what did not succeed")
		w.put(0, s.ResumeCommand)
	}
	if w.err != nil {
		return w.err
	}
	for col, width := range []float64{26, 14, 28, 60, 24} {
		name, _ := excelize.ColumnNumberToName(col + 1)
		if err := book.SetColWidth(summarySheet, name, name, width); err != nil {
			return err
		}
	}
	return nil
}

// summaryWriter writes the Summary sheet a row at a time, keeping the first
// error.
type summaryWriter struct {
	book *excelize.File
	row  int
	err  error
}

// put writes values on the next row, all in style (0 = none).
func (w *summaryWriter) put(style int, values ...any) {
	styles := make([]int, len(values))
	for i := range styles {
		styles[i] = style
	}
	w.putStyled(styles, values...)
}

// putStyled writes values on the next row, value i in styles[i] (0 or
// missing = none).
func (w *summaryWriter) putStyled(styles []int, values ...any) {
	if w.err != nil {
		return
	}
	for i, v := range values {
		cell, err := excelize.CoordinatesToCellName(i+1, w.row)
		if err == nil {
			err = w.book.SetCellValue(summarySheet, cell, v)
		}
		if err == nil && i < len(styles) && styles[i] != 0 {
			err = w.book.SetCellStyle(summarySheet, cell, cell, styles[i])
		}
		if err != nil {
			w.err = err
			return
		}
	}
	w.row++
}

// rowList lists row numbers in file order, saying how many more when
// count says there are: "2, 3, 9 and 12 more".
func rowList(rows []int, count int) string {
	rows = slices.Sorted(slices.Values(rows[:min(len(rows), maxSummaryRows)]))
	parts := make([]string, len(rows))
	for i, n := range rows {
		parts[i] = strconv.Itoa(n)
	}
	s := strings.Join(parts, ", ")
	if count > len(rows) {
		s += fmt.Sprintf(" and %d more", count-len(rows))
	}
	return s
}

// roundDuration keeps a duration readable: whole seconds from a second up.
func roundDuration(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}
