package report

import (
	"bufio"
	"encoding/csv"
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
// readers all accept LF.
type csvEncoder struct {
	name   string // file name for errors; "" for a bare writer
	buf    *bufio.Writer
	w      *csv.Writer
	closer io.Closer // the file, when the encoder owns it
	width  int       // number of input columns
	record []string  // reused for each row
	err    error     // first write error; every later call returns it
	closed bool
}

// NewCSV returns an Encoder that writes a CSV report to w, starting with the
// header. Close flushes but does not close w.
func NewCSV(w io.Writer, inputColumns []string) (Encoder, error) {
	return newCSV(w, nil, "", inputColumns)
}

func newCSV(w io.Writer, closer io.Closer, name string, inputColumns []string) (*csvEncoder, error) {
	buf := bufio.NewWriterSize(w, csvBufferSize)
	// csv.NewWriter keeps a *bufio.Writer of at least its own size as is, so
	// there is one buffer, not two.
	cw := csv.NewWriter(buf)
	e := &csvEncoder{
		name:   name,
		buf:    buf,
		w:      cw,
		closer: closer,
		width:  len(inputColumns),
		record: make([]string, 0, len(inputColumns)+len(Columns())),
	}
	if _, err := buf.WriteString(bom); err != nil {
		return nil, e.fail(err)
	}
	for _, c := range inputColumns {
		e.record = append(e.record, Neutralize(c))
	}
	e.record = append(e.record, Columns()...)
	if err := cw.Write(e.record); err != nil {
		return nil, e.fail(err)
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
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	rec := e.record[:0]
	for i := range e.width {
		rec = append(rec, Neutralize(cell(r.Cells, i)))
	}
	rec = append(rec,
		strconv.Itoa(r.Number),
		Neutralize(r.Result),
		optionalInt(r.HTTPStatus),
		Neutralize(r.Error),
		optionalInt(r.Attempts),
		Neutralize(r.RequestID),
		Neutralize(r.LeadStatus),
		Neutralize(r.Body),
		Neutralize(r.LeadID),
		Neutralize(r.StatusBefore),
	)
	e.record = rec
	if err := e.w.Write(rec); err != nil {
		return e.fail(err)
	}
	return nil
}

// Flush hands the buffered rows to the operating system.
func (e *csvEncoder) Flush() error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	e.w.Flush()
	if err := e.w.Error(); err != nil {
		return e.fail(err)
	}
	return nil
}

// Close flushes and, when the encoder made the file, closes it.
func (e *csvEncoder) Close() error {
	if e.closed {
		return e.err
	}
	err := e.Flush()
	e.closed = true
	if e.closer != nil {
		if cerr := e.closer.Close(); cerr != nil && err == nil {
			err = e.fail(cerr)
		}
	}
	return err
}

func (e *csvEncoder) fail(err error) error {
	if e.err == nil {
		e.err = &WriteError{Path: e.name, Err: err}
	}
	return e.err
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

// optionalInt writes 0 as an empty cell: no HTTP status, no attempts.
func optionalInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
