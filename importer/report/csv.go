package report

import (
	"io"
	"strconv"
)

// bom is the UTF-8 byte order mark. Excel reads a CSV without it as the
// system's ANSI code page and garbles accented letters; this project's readers
// (and ReadPrevious) skip it.
const bom = "\ufeff"

// csvBufferSize is large enough that rows reach the OS in few system calls
// between flushes.
const csvBufferSize = 64 << 10

// csvEncoder writes the report as RFC 4180 CSV, except that lines end in LF:
// UTF-8 with a byte order mark, every text cell passed through Neutralize.
// LF rather than CRLF because encoding/csv in CRLF mode drops a lone carriage
// return inside a cell; Excel, LibreOffice, Google Sheets and this project's
// readers all accept LF. The bytes are those encoding/csv's Writer wrote,
// but each row is built in one reused buffer (see appendCell), which made
// BenchmarkCSVReport twice as fast.
type csvEncoder struct {
	sink
	width int    // number of input columns
	line  []byte // reused for each row
}

// NewCSV returns an Encoder that writes a CSV report to w, starting with the
// header. Close flushes but does not close w.
func NewCSV(w io.Writer, inputColumns []string) (Encoder, error) {
	return newCSV(w, nil, "", inputColumns)
}

func newCSV(w io.Writer, closer io.Closer, name string, inputColumns []string) (*csvEncoder, error) {
	e := &csvEncoder{sink: newSink(w, closer, name), width: len(inputColumns)}
	line := append(e.line, bom...)
	for i, c := range inputColumns {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendCell(line, c)
	}
	for i, c := range Columns() {
		if i > 0 || len(inputColumns) > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, c)
	}
	e.line = append(line, '\n')
	if err := e.write(e.line); err != nil {
		return nil, err
	}
	// The header reaches the file at once, so even a run that dies before its
	// first row leaves a report that says what it is.
	if err := e.Flush(); err != nil {
		return nil, err
	}
	return e, nil
}

// Write appends one row.
func (e *csvEncoder) Write(r Row) error {
	if err := e.usable(); err != nil {
		return err
	}
	b := e.line[:0]
	for i := range e.width {
		b = appendCell(b, cell(r.Cells, i))
		b = append(b, ',')
	}
	for f := range numFields {
		if f > 0 {
			b = append(b, ',')
		}
		switch {
		case f.optional():
			b = appendOptionalInt(b, r.number(f))
		case f.numeric():
			b = strconv.AppendInt(b, int64(r.number(f)), 10)
		default:
			b = appendCell(b, r.text(f))
		}
	}
	b = append(b, '\n')
	e.line = b
	return e.write(b)
}

// cell returns cells[i], or "" past the end: a short row is padded to the
// header's width. Cells past the header's width are not written, since the
// report has no column for them.
func cell(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

// appendOptionalInt writes 0 as an empty cell: no HTTP status, no attempts.
func appendOptionalInt(dst []byte, n int) []byte {
	if n == 0 {
		return dst
	}
	return strconv.AppendInt(dst, int64(n), 10)
}
