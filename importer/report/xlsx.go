package report

import (
	"fmt"
	"os"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// xlsxSheet is the name of the report's only sheet.
const xlsxSheet = "Report"

// maxCellChars is Excel's limit on the text of one cell, in UTF-16 code units.
// Excel refuses or cuts longer text; the report cuts it first, visibly.
const maxCellChars = excelize.TotalCellChars

// truncatedMarker ends a cell cut to maxCellChars, so a reader sees the text is
// incomplete; the full text is in a CSV or JSONL report.
const truncatedMarker = "… [truncated]"

// xlsxEncoder writes an XLSX report with excelize's StreamWriter. Text goes in
// as inline strings, never formulas, so it needs no neutralising; the
// importer's numbers go in as numbers. The rows are kept by the StreamWriter
// (in memory, then a temporary file) and the workbook is written to the file
// only by Close: an interrupted run leaves an empty or invalid file.
type xlsxEncoder struct {
	name   string
	file   *os.File
	book   *excelize.File
	sw     *excelize.StreamWriter
	width  int
	next   int   // spreadsheet row of the next Write
	values []any // reused for each row
	err    error
	closed bool
}

// NewXLSX creates (or truncates) the file at path and returns an Encoder that
// writes an XLSX report to it. The file is valid only after Close. Create is
// the entry point that refuses to overwrite an existing file.
func NewXLSX(path string, inputColumns []string) (Encoder, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create report: %w", err)
	}
	e, err := newXLSX(f, path, inputColumns)
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return e, nil
}

func newXLSX(f *os.File, name string, inputColumns []string) (*xlsxEncoder, error) {
	width := len(inputColumns) + len(Columns())
	if width > excelize.MaxColumns {
		return nil, fmt.Errorf("an XLSX report holds at most %d columns and this one needs %d; choose a .csv report with --report", excelize.MaxColumns, width)
	}
	book := excelize.NewFile()
	e := &xlsxEncoder{name: name, file: f, book: book, width: len(inputColumns), next: 2, values: make([]any, width)}
	if err := e.start(inputColumns); err != nil {
		book.Close()
		return nil, &WriteError{Path: name, Err: err}
	}
	return e, nil
}

// start names the sheet, freezes and bolds the header row, and writes it.
func (e *xlsxEncoder) start(inputColumns []string) error {
	first := e.book.GetSheetName(0)
	if err := e.book.SetSheetName(first, xlsxSheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	bold, err := e.book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	sw, err := e.book.NewStreamWriter(xlsxSheet)
	if err != nil {
		return fmt.Errorf("stream writer: %w", err)
	}
	e.sw = sw
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	header := make([]any, 0, len(e.values))
	for _, c := range inputColumns {
		header = append(header, excelize.Cell{StyleID: bold, Value: fitCell(c)})
	}
	for _, c := range Columns() {
		header = append(header, excelize.Cell{StyleID: bold, Value: c})
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	return nil
}

// Write appends one row.
func (e *xlsxEncoder) Write(r Row) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	if e.next > excelize.TotalRows {
		return e.fail(fmt.Errorf("an XLSX sheet holds at most %d rows; choose a .csv report with --report", excelize.TotalRows))
	}
	v := e.values[:0]
	for i := range e.width {
		v = append(v, fitCell(cell(r.Cells, i)))
	}
	for f := range numFields {
		switch {
		case f.optional():
			v = append(v, numberOrBlank(r.number(f)))
		case f.numeric():
			v = append(v, r.number(f))
		default:
			v = append(v, fitCell(r.text(f)))
		}
	}
	ref, err := excelize.CoordinatesToCellName(1, e.next)
	if err != nil {
		return e.fail(err)
	}
	if err := e.sw.SetRow(ref, v); err != nil {
		return e.fail(err)
	}
	e.next++
	return nil
}

// Flush does nothing: an XLSX file is a zip archive that is valid only once
// complete, so rows cannot reach the file one batch at a time.
func (e *xlsxEncoder) Flush() error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	return nil
}

// Close builds the workbook into the file and closes it.
func (e *xlsxEncoder) Close() error {
	if e.closed {
		return e.err
	}
	e.closed = true
	err := e.err
	if err == nil {
		if ferr := e.sw.Flush(); ferr != nil {
			err = e.fail(ferr)
		} else if _, werr := e.book.WriteTo(e.file); werr != nil {
			err = e.fail(werr)
		}
	}
	if cerr := e.file.Close(); cerr != nil && err == nil {
		err = e.fail(cerr)
	}
	// Close removes the StreamWriter's temporary files; its error does not
	// concern the report.
	_ = e.book.Close()
	return err
}

func (e *xlsxEncoder) fail(err error) error {
	if e.err == nil {
		e.err = &WriteError{Path: e.name, Err: err}
	}
	return e.err
}

// numberOrBlank leaves 0 (no status, no attempts) as an empty cell.
func numberOrBlank(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// fitCell cuts text longer than Excel's cell limit and ends it with
// truncatedMarker, keeping the whole within maxCellChars UTF-16 units.
func fitCell(s string) string {
	// Every UTF-16 unit takes at least one byte of UTF-8, so short text needs
	// no counting.
	if len(s) <= maxCellChars || utf16Len(s) <= maxCellChars {
		return s
	}
	limit := maxCellChars - utf16Len(truncatedMarker)
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > limit {
			return s[:i] + truncatedMarker
		}
	}
	return s
}

// utf16Len counts the UTF-16 code units of s, the unit of Excel's limit.
// Invalid UTF-8 decodes to U+FFFD, one unit.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
