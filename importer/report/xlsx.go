package report

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxSheet is the name of the report's sheet, the first; summarySheet
// follows it. Undo and --resume read the first visible sheet.
const (
	xlsxSheet    = "Report"
	summarySheet = "Summary"
)

// maxCellChars is Excel's limit on the text of one cell, in UTF-16 code units.
// Excel refuses or cuts longer text; the report cuts it first, visibly.
const maxCellChars = excelize.TotalCellChars

// truncatedMarker ends a cell cut to maxCellChars, so a reader sees the text is
// incomplete; the full text is in a CSV or JSONL report.
const truncatedMarker = "… [truncated]"

// Column widths, in characters of the default font: wide enough for the
// longest line of a column's cells, within these bounds. A JSON body or a
// long error would otherwise push every other column off the screen.
const (
	minColumnWidth    = 8 // Excel's default is 8.43
	maxColumnWidth    = 60
	maxWidenedColumns = 256
)

// Kinds of a spooled cell.
const (
	spoolText   byte = 't'
	spoolNumber byte = 'n' // text that is a number: written as one
	spoolBlank  byte = '-'
	// A number, or a date as ISO text, followed by the number format the
	// input cell had: written with that format.
	spoolFormatted byte = 'f'
	spoolDate      byte = 'd'
)

// xlsxEncoder writes an XLSX report. A spreadsheet's header declares the
// sheet's size (<dimension>), and streaming readers (openpyxl's read-only
// mode, Power BI) trust it; excelize's StreamWriter writes it when the stream
// is made. So rows are spooled to a temporary file as they come, and Close,
// when the size and the column widths are known, builds the workbook with
// one StreamWriter (one per file keeps the zip's part order stable). An
// interrupted run leaves an empty file.
//
// Text goes in as inline strings, never formulas, so it needs no
// neutralising; the importer's numbers, and the input cells an XLSX input
// held as numbers (Row.Numeric), go in as numbers.
type xlsxEncoder struct {
	name   string
	file   io.WriteCloser
	header []string // input columns, then Columns()
	inputs int      // how many input columns
	spool  *os.File
	buf    *bufio.Writer
	// rows is every row as a JSONL report, beside the workbook and flushed
	// as a JSONL report is: if the workbook cannot be written (a full disk
	// at the end, a killed run), no row's result is lost.
	kept     *jsonlEncoder
	keptPath string
	rows     int   // data rows spooled
	widths   []int // per column, in characters, capped
	scratch  []byte
	summary  *RunSummary
	err      error
	closed   bool
}

// NewXLSX creates (or truncates) the file at path and returns an Encoder that
// writes an XLSX report to it. The file is valid only after Close. Create is
// the entry point that refuses to overwrite an existing file.
func NewXLSX(path string, inputColumns []string) (Encoder, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create report: %w", err)
	}
	e, err := newXLSX(f, path, inputColumns, true)
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return e, nil
}

// SpoolPath is where the rows of the XLSX report at path are kept as a JSONL
// report while the run goes, and after it if the workbook cannot be written.
func SpoolPath(path string) string { return path + spoolSuffix }

const spoolSuffix = ".partial.jsonl"

// WorkPrefix begins the name of a workbook's working copy of its rows,
// beside it, followed by the PID of the run that made it, so a later run
// can remove what a killed run left.
const WorkPrefix = ".leadstatus-report-"

func newXLSX(f io.WriteCloser, name string, inputColumns []string, force bool) (*xlsxEncoder, error) {
	width := len(inputColumns) + int(numFields)
	if width > excelize.MaxColumns {
		return nil, fmt.Errorf("an XLSX report holds at most %d columns and this one needs %d; choose a .csv report with --report", excelize.MaxColumns, width)
	}
	keptPath := SpoolPath(name)
	kf, err := createFile(keptPath, force)
	if err != nil {
		return nil, err
	}
	// Beside the report, not in the temporary folder: a full temporary
	// folder must not cost the report.
	spool, err := os.CreateTemp(filepath.Dir(name), fmt.Sprintf("%s%d-*.rows", WorkPrefix, os.Getpid()))
	if err != nil {
		kf.Close()
		os.Remove(keptPath)
		return nil, &WriteError{Path: name, Err: fmt.Errorf("working file: %w", err)}
	}
	e := &xlsxEncoder{
		name:     name,
		file:     f,
		header:   make([]string, 0, width),
		inputs:   len(inputColumns),
		spool:    spool,
		buf:      bufio.NewWriterSize(spool, csvBufferSize),
		widths:   make([]int, width),
		kept:     newJSONL(kf, kf, keptPath, inputColumns),
		keptPath: keptPath,
	}
	for _, c := range inputColumns {
		e.header = append(e.header, fitCell(c))
	}
	e.header = append(e.header, Columns()...)
	for i, h := range e.header {
		// The filter button takes about two characters of the header cell.
		e.measure(i, h, 2)
	}
	return e, nil
}

// measure widens column i to fit s plus extra characters.
func (e *xlsxEncoder) measure(i int, s string, extra int) {
	w := &e.widths[i]
	// A cell has at least one byte per character, so one no longer in bytes
	// than the column is wide needs no counting.
	if *w >= maxColumnWidth || len(s)+extra <= *w {
		return
	}
	longest := 0
	for line := range strings.SplitSeq(s, "\n") {
		longest = max(longest, utf8.RuneCountInString(line))
	}
	*w = min(max(*w, longest+extra), maxColumnWidth)
}

// Write spools one row.
func (e *xlsxEncoder) Write(r Row) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	if e.rows+2 > excelize.TotalRows {
		return e.fail(fmt.Errorf("an XLSX sheet holds at most %d rows; choose a .csv report with --report", excelize.TotalRows))
	}
	b := e.scratch[:0]
	for i := range e.inputs {
		text := fitCell(cell(r.Cells, i))
		kind := spoolText
		format := cell(r.Formats, i)
		switch {
		case r.numericCell(i) && isNumber(text) && format != "":
			kind = spoolFormatted
		case r.numericCell(i) && isNumber(text):
			kind = spoolNumber
		case format != "" && !r.numericCell(i) && isoDate(text) != nil:
			kind = spoolDate
		}
		b = appendSpooled(b, kind, text)
		if kind == spoolFormatted || kind == spoolDate {
			b = binary.AppendUvarint(b, uint64(len(format)))
			b = append(b, format...)
		}
		e.measure(i, text, 0)
	}
	for f := range numFields {
		var kind byte
		var text string
		switch {
		case f.optional() && r.number(f) == 0:
			kind = spoolBlank
		case f.numeric():
			kind, text = spoolNumber, strconv.Itoa(r.number(f))
		default:
			kind, text = spoolText, fitCell(r.text(f))
		}
		b = appendSpooled(b, kind, text)
		e.measure(e.inputs+int(f), text, 0)
	}
	e.scratch = b
	if err := e.kept.Write(r); err != nil {
		return e.fail(err)
	}
	if _, err := e.buf.Write(b); err != nil {
		return e.fail(err)
	}
	e.rows++
	return nil
}

// isNumber reports whether an XLSX number's text can be written back as the
// same number; any other text (a percentage, a date as shown) stays text.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// isoDate reads the ISO text the XLSX reader gives a date cell as the
// value to write back: a time.Time, or a fraction of a day for a time of
// day; nil for other text.
func isoDate(s string) any {
	for _, layout := range [...]string{"2006-01-02", "2006-01-02 15:04:05"} {
		if len(s) == len(layout) {
			if t, err := time.Parse(layout, s); err == nil {
				return t
			}
		}
	}
	if t, err := time.Parse("15:04:05", s); err == nil && len(s) == len("15:04:05") {
		return float64(t.Hour()*3600+t.Minute()*60+t.Second()) / 86400
	}
	return nil
}

// appendSpooled appends one cell: its kind, its length, its text.
func appendSpooled(b []byte, kind byte, text string) []byte {
	b = append(b, kind)
	b = binary.AppendUvarint(b, uint64(len(text)))
	return append(b, text...)
}

// Flush hands the kept rows to the operating system: an XLSX file is a zip
// archive that is valid only once complete, so rows cannot reach it one
// batch at a time, but they reach its spool.
func (e *xlsxEncoder) Flush() error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	if err := e.kept.Flush(); err != nil {
		return e.fail(err)
	}
	return nil
}

// SetSummary keeps s for the Summary sheet that Close writes.
func (e *xlsxEncoder) SetSummary(s RunSummary) {
	e.summary = &s
}

// Close builds the workbook into the file and closes it.
func (e *xlsxEncoder) Close() error {
	if e.closed {
		return e.err
	}
	e.closed = true
	err := e.err
	if err == nil {
		if werr := e.build(); werr != nil {
			err = e.fail(werr)
		}
	}
	if cerr := e.file.Close(); cerr != nil && err == nil {
		err = e.fail(cerr)
	}
	// The working copy is ours alone; failing to remove it does not concern
	// the report.
	_ = e.spool.Close()
	_ = os.Remove(e.spool.Name())
	kerr := e.kept.Close()
	switch {
	case err == nil:
		_ = os.Remove(e.keptPath)
	case kerr == nil:
		// The workbook is damaged or empty; the spool holds every row
		// written and takes its place.
		_ = os.Remove(e.name)
		err = &KeptError{Report: e.name, Kept: e.keptPath, Err: err}
		e.err = err
	}
	return err
}

// build writes the workbook: the Report sheet from the spool, then Summary.
func (e *xlsxEncoder) build() error {
	if err := e.buf.Flush(); err != nil {
		return err
	}
	if _, err := e.spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	book := excelize.NewFile()
	// Close removes the StreamWriter's temporary files; its error does not
	// concern the report.
	defer book.Close()
	st, err := newXLSXStyles(book)
	if err != nil {
		return err
	}
	if err := e.writeReportSheet(book, st); err != nil {
		return err
	}
	if e.summary != nil {
		if err := writeSummarySheet(book, st, e.summary); err != nil {
			return fmt.Errorf("summary sheet: %w", err)
		}
	}
	_, err = book.WriteTo(e.file)
	return err
}

// writeReportSheet streams the header and the spooled rows. The dimension
// and the autofilter are set on the sheet before the StreamWriter is made,
// which is when they are written.
func (e *xlsxEncoder) writeReportSheet(book *excelize.File, st *xlsxStyles) error {
	if err := book.SetSheetName(book.GetSheetName(0), xlsxSheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	table, err := excelize.CoordinatesToCellName(len(e.header), e.rows+1)
	if err != nil {
		return err
	}
	table = "A1:" + table
	if err := book.SetSheetDimension(xlsxSheet, table); err != nil {
		return fmt.Errorf("dimension: %w", err)
	}
	if err := book.AutoFilter(xlsxSheet, table, nil); err != nil {
		return fmt.Errorf("autofilter: %w", err)
	}
	sw, err := book.NewStreamWriter(xlsxSheet)
	if err != nil {
		return fmt.Errorf("stream writer: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	if err := e.setWidths(sw); err != nil {
		return fmt.Errorf("column width: %w", err)
	}
	values := make([]any, len(e.header))
	for i, h := range e.header {
		values[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	resultCol := e.inputs + int(fieldResult)
	in := bufio.NewReaderSize(e.spool, csvBufferSize)
	var text, format []byte
	formats := map[string]int{} // number format → style
	for row := 2; row < e.rows+2; row++ {
		for i := range values {
			var kind byte
			if kind, text, err = readSpooled(in, text); err != nil {
				return fmt.Errorf("read back row %d: %w", row, err)
			}
			values[i] = spooledValue(kind, text)
			if kind == spoolFormatted || kind == spoolDate {
				if format, err = readSpooledText(in, format); err != nil {
					return fmt.Errorf("read back row %d: %w", row, err)
				}
				if values[i], err = formattedValue(book, formats, kind, text, format); err != nil {
					return fmt.Errorf("number format of row %d: %w", row, err)
				}
			}
			if i == resultCol {
				values[i] = excelize.Cell{StyleID: st.result[Result(text)], Value: values[i]}
			}
		}
		ref, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// setWidths sets the width of each column that needs more than Excel's
// default, for at most maxWidenedColumns of them: excelize's cost grows with
// the square of the columns that have a width (a second for a thousand).
// Columns already narrower than minColumnWidth keep the default, a bit wider.
func (e *xlsxEncoder) setWidths(sw *excelize.StreamWriter) error {
	var wide []int
	for i, w := range e.widths {
		if w > minColumnWidth && len(wide) < maxWidenedColumns {
			wide = append(wide, i)
		}
	}
	// Last column first: excelize puts each new width before the ones it
	// has, and Excel wants them in column order.
	for _, i := range slices.Backward(wide) {
		if err := sw.SetColWidth(i+1, i+1, float64(e.widths[i]+1)); err != nil {
			return err
		}
	}
	return nil
}

// formattedValue is a cell written with the number format its input cell
// had, so a "$" price or a date looks in the report as it did in the input.
func formattedValue(book *excelize.File, styles map[string]int, kind byte, text, format []byte) (any, error) {
	var v any
	if kind == spoolDate {
		v = isoDate(string(text))
	} else {
		v = spooledValue(spoolNumber, text)
	}
	if v == nil || len(text) == 0 {
		return spooledValue(spoolText, text), nil
	}
	id, ok := styles[string(format)]
	if !ok {
		code := string(format)
		var err error
		if id, err = book.NewStyle(&excelize.Style{CustomNumFmt: &code}); err != nil {
			return nil, err
		}
		styles[code] = id
	}
	return excelize.Cell{StyleID: id, Value: v}, nil
}

// readSpooled reads one cell written by appendSpooled into buf.
func readSpooled(in *bufio.Reader, buf []byte) (byte, []byte, error) {
	kind, err := in.ReadByte()
	if err != nil {
		return 0, buf, err
	}
	buf, err = readSpooledText(in, buf)
	return kind, buf, err
}

// readSpooledText reads a length and that many bytes into buf.
func readSpooledText(in *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(in)
	if err != nil {
		return buf, err
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(in, buf); err != nil {
		return buf, err
	}
	return buf, nil
}

// spooledValue is what the StreamWriter gets for a cell.
// Empty text is a blank cell, not an empty string, as Excel writes it.
func spooledValue(kind byte, text []byte) any {
	switch {
	case kind == spoolBlank, len(text) == 0:
		return nil
	case kind == spoolNumber:
		if n, err := strconv.Atoi(string(text)); err == nil {
			return n
		}
		if f, err := strconv.ParseFloat(string(text), 64); err == nil {
			return f
		}
	}
	return string(text)
}

func (e *xlsxEncoder) fail(err error) error {
	if e.err == nil {
		e.err = &WriteError{Path: e.name, Err: err}
	}
	return e.err
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
