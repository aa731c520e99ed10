package source

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

const (
	// prefixSize is how much of a file decides its encoding.
	prefixSize = 64 << 10
	// sampleSize is how much decoded text decides the delimiter.
	sampleSize = 16 << 10
)

// csvReader reads delimited text. encoding/csv skips blank lines and counts
// a record with embedded line breaks as several lines, so the reader keeps
// spreadsheet row numbers itself: each record is one row, and each blank line
// between records is one more.
type csvReader struct {
	path      string
	cr        *csv.Reader
	closer    io.Closer
	header    []string
	headerRow int
	prevRow   int // row number of the last record read
	prevEnd   int // line where that record ended
	err       error
	warnings  []string
}

// textOptions says how to read one delimited text stream.
type textOptions struct {
	enc       encoding
	preferTab bool
	maxCell   int
	header    Options // only its header rule is used
}

// newTextReader reads delimited text from raw (a reader over the file's
// bytes, buffered with at least prefixSize) and reads up to its header.
func newTextReader(path string, raw *bufio.Reader, closer io.Closer, topts textOptions, warnings []string) (*csvReader, error) {
	prefix, err := raw.Peek(prefixSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, readErr(path, err)
	}
	enc := topts.enc
	if enc == encDetect {
		var fallback bool
		enc, fallback = detectEncoding(prefix, len(prefix) < prefixSize)
		if fallback {
			warnings = append(warnings, fmt.Sprintf("%s is not valid UTF-8; read it as Windows-1252. Use --encoding to choose another.", displayName(path)))
		}
	}
	if enc == encUTF8 && bytes.HasPrefix(prefix, []byte(utf8BOM)) {
		_, _ = raw.Discard(len(utf8BOM))
	}
	dec := bufio.NewReaderSize(decoder(enc, raw), sampleSize)
	sample, err := dec.Peek(sampleSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, readErr(path, err)
	}
	complete := len(sample) < sampleSize
	if bytes.HasPrefix(sample, []byte(utf8BOM)) {
		_, _ = dec.Discard(len(utf8BOM))
		sample = sample[len(utf8BOM):]
	}
	var text io.Reader = dec
	if bytes.IndexByte(sample, '\n') < 0 && bytes.IndexByte(sample, '\r') >= 0 {
		// Classic Mac line ends: encoding/csv only knows LF and CRLF.
		text = crToLF{dec}
		sample = bytes.ReplaceAll(sample, []byte{'\r'}, []byte{'\n'})
	}
	delim := sniffDelimiter(sample, complete, topts.preferTab)

	cr := csv.NewReader(newGuard(text, delim, enc == encUTF8, topts.maxCell))
	cr.Comma = rune(delim)
	// Excel shows a bare quote in an unquoted cell as is (5" screen).
	cr.LazyQuotes = true
	// Ragged rows go to the mapping layer, which marks them invalid.
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	r := &csvReader{path: path, cr: cr, closer: closer, warnings: warnings}
	row, skipped, err := findHeader(path, topts.header, r.Next)
	if errors.Is(err, io.EOF) {
		return nil, fileErr(path, ErrEmpty, nil, "the file is empty; it needs a header row and data rows")
	}
	if err != nil {
		return nil, err
	}
	r.header = row.Cells
	r.headerRow = row.Number
	r.warnings = append(r.warnings, skipped...)
	return r, nil
}

// Header returns the header row, as read.
func (r *csvReader) Header() []string { return r.header }

// HeaderRow returns the row number of the header.
func (r *csvReader) HeaderRow() int { return r.headerRow }

// Warnings returns notes about how the file was read.
func (r *csvReader) Warnings() []string { return r.warnings }

// Next returns the next non-blank row.
func (r *csvReader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	for {
		rec, err := r.cr.Read()
		if err != nil {
			r.err = r.wrap(err)
			return Row{}, r.err
		}
		start, _ := r.cr.FieldPos(0)
		last := len(rec) - 1
		end, _ := r.cr.FieldPos(last)
		end += strings.Count(rec[last], "\n")
		row := r.rowAt(start)
		r.prevRow, r.prevEnd = row, end
		if blankRecord(rec) {
			continue
		}
		return Row{Number: row, Cells: rec}, nil
	}
}

// rowAt converts the line where a record starts into its row number.
func (r *csvReader) rowAt(line int) int {
	return r.prevRow + line - r.prevEnd
}

// wrap turns a read error into a *FileError placed at its row.
func (r *csvReader) wrap(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	var ge *guardError
	if errors.As(err, &ge) {
		fe := &FileError{Path: r.path, Column: ge.column, Err: &problem{kind: ge.kind, msg: ge.msg}}
		if ge.line > 0 {
			fe.Row = r.rowAt(ge.line)
		}
		return fe
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		// LazyQuotes and FieldsPerRecord = -1 leave no parse errors; keep a message anyway.
		return &FileError{Path: r.path, Row: r.rowAt(pe.StartLine), Err: &problem{msg: "cannot parse the row; check the file's quoting", cause: err}}
	}
	return readErr(r.path, err)
}

// Close releases the file.
func (r *csvReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// readErr reports an I/O error while reading.
func readErr(path string, err error) *FileError {
	return fileErr(path, nil, err, fmt.Sprintf("cannot read the file (%v); check that it is readable and try again", err))
}
