package source

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// textGuard sits between the decoded text and encoding/csv. It follows the
// quoting rules encoding/csv applies with LazyQuotes, so it knows where each
// record and field starts without buffering them. That lets it stop a runaway
// cell or row before encoding/csv holds it in memory, report a quote that is
// never closed, and reject invalid UTF-8, each with the line where the record
// began.
type textGuard struct {
	r        io.Reader
	delim    byte
	validate bool // check UTF-8 (decoders of other encodings always produce it)
	maxCell  int
	maxRow   int
	maxCols  int

	buf     []byte
	tail    []byte // unprocessed bytes from the last read: a cut-off UTF-8 sequence
	pending []byte // processed bytes not yet handed to the caller
	err     error  // returned once pending is drained

	state     guardState
	off       int64 // stream offset of buf[0] for the chunk being scanned
	line      int   // line of the next byte, 1-based
	recLine   int   // line where the current record began
	recStart  int64 // offset where the current record began
	cellStart int64 // offset where the current field began
	crAt      int64 // offset of a CR that may start a record
	field     int   // 0-based index of the current field
}

type guardState uint8

const (
	gRecStart   guardState = iota // at the start of a line with no content yet
	gRecStartCR                   // a CR opened a line: blank if LF follows
	gFieldStart                   // just after a delimiter
	gUnquoted                     // inside an unquoted field
	gQuoted                       // inside a quoted field
	gQuote                        // a quote inside a quoted field: closes it or escapes another
	gQuoteCR                      // quote then CR inside a quoted field: ends the record if LF follows
)

// guardChunk is how much the guard reads at a time.
const guardChunk = 64 << 10

// guardError is a problem the guard found, placed at the line where its record began.
type guardError struct {
	kind   error
	msg    string
	line   int
	column int
}

func (e *guardError) Error() string { return e.msg }

func newGuard(r io.Reader, delim byte, validate bool, maxCell int) *textGuard {
	return &textGuard{
		r:        r,
		delim:    delim,
		validate: validate,
		maxCell:  maxCell,
		maxRow:   max(maxRowBytes, 2*maxCell),
		maxCols:  ExcelMaxColumns,
		buf:      make([]byte, guardChunk),
		line:     1,
	}
}

func (g *textGuard) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		if g.err != nil {
			return 0, g.err
		}
		g.fill()
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

// fill reads and scans one chunk.
func (g *textGuard) fill() {
	c := copy(g.buf, g.tail)
	g.tail = nil
	n, rerr := g.r.Read(g.buf[c:])
	data := g.buf[:c+n]
	eof := rerr == io.EOF
	k, err := g.scan(data, eof)
	g.pending = data[:k]
	g.off += int64(k)
	switch {
	case err != nil:
		g.err = err
	case rerr != nil && !eof:
		g.err = rerr
	case eof:
		g.err = g.finish()
	default:
		g.tail = data[k:]
	}
}

// finish checks the state at the end of the input.
func (g *textGuard) finish() error {
	if g.state == gQuoted {
		return g.fail(ErrUnclosedQuote, "a quoted cell that starts in this row is never closed; check the file's quoting")
	}
	return io.EOF
}

// scan runs the state machine over data and returns how many bytes it
// accepted. Without an error, the rest (at most a cut-off UTF-8 sequence)
// waits for the next read.
func (g *textGuard) scan(data []byte, eof bool) (int, error) {
	end, bad := len(data), -1
	if g.validate {
		end = len(trimPartialRune(data, eof))
		if !utf8.Valid(data[:end]) {
			bad = firstInvalid(data[:end])
			end = bad
		}
	}
	if k, err := g.run(data[:end]); err != nil {
		// Hand over only what precedes the problem, so encoding/csv
		// reports it with the record it belongs to.
		return k, err
	}
	if bad >= 0 {
		g.touch(int64(bad))
		return end, g.fail(ErrEncoding, "the text is not valid UTF-8; run again with --encoding windows-1252 (or the file's real encoding)")
	}
	return end, g.checkOpen(g.off + int64(end))
}

// firstInvalid returns the index of the first byte that is not valid UTF-8.
func firstInvalid(p []byte) int {
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(p)
}

// run is the byte-level state machine; it mirrors encoding/csv with LazyQuotes.
// On error it returns the index of the byte where it stopped.
func (g *textGuard) run(data []byte) (int, error) {
	n := len(data)
	for i := 0; i < n; {
		c := data[i]
		switch g.state {
		case gRecStart:
			switch c {
			case '\n':
				g.line++
				i++
			case '\r':
				g.crAt = g.off + int64(i)
				g.state = gRecStartCR
				i++
			default:
				g.startRecord(g.off + int64(i))
				g.state = gFieldStart
			}
		case gRecStartCR:
			if c == '\n' {
				g.line++
				g.state = gRecStart
				i++
				break
			}
			// The CR was content: the record (and its first field) began there.
			g.startRecord(g.crAt)
			g.cellStart = g.crAt
			g.state = gUnquoted
		case gFieldStart:
			g.cellStart = g.off + int64(i)
			switch c {
			case '"':
				g.state = gQuoted
				i++
			case g.delim:
				if err := g.endField(i); err != nil {
					return i, err
				}
				i++
			case '\n':
				if err := g.endRecord(i); err != nil {
					return i, err
				}
				i++
			default:
				g.state = gUnquoted
			}
		case gUnquoted:
			j := i
			for j < n && data[j] != g.delim && data[j] != '\n' {
				j++
			}
			i = j
			if i == n {
				break
			}
			var err error
			if data[i] == '\n' {
				err = g.endRecord(i)
			} else {
				err = g.endField(i)
			}
			if err != nil {
				return i, err
			}
			i++
		case gQuoted:
			j := bytes.IndexByte(data[i:], '"')
			if j < 0 {
				j = n - i
			}
			g.line += bytes.Count(data[i:i+j], []byte{'\n'})
			i += j
			if i < n {
				g.state = gQuote
				i++
			}
		case gQuote:
			switch c {
			case '"':
				g.state = gQuoted
				i++
			case g.delim:
				if err := g.endField(i); err != nil {
					return i, err
				}
				i++
			case '\n':
				if err := g.endRecord(i); err != nil {
					return i, err
				}
				i++
			case '\r':
				g.state = gQuoteCR
				i++
			default:
				// A bare quote: LazyQuotes keeps it and the field stays quoted.
				g.state = gQuoted
			}
		case gQuoteCR:
			if c == '\n' {
				if err := g.endRecord(i); err != nil {
					return i, err
				}
				i++
				break
			}
			g.state = gQuoted
		}
	}
	return n, nil
}

func (g *textGuard) startRecord(at int64) {
	g.recLine = g.line
	g.recStart = at
	g.cellStart = at
	g.field = 0
}

// touch makes sure a record is open for the byte at index i of the chunk,
// so a problem there is placed in the right row.
func (g *textGuard) touch(i int64) {
	switch g.state {
	case gRecStart:
		g.startRecord(g.off + i)
	case gRecStartCR:
		g.startRecord(g.crAt)
	}
}

// endField closes the field ending at index i (a delimiter).
func (g *textGuard) endField(i int) error {
	if err := g.checkCell(g.off + int64(i)); err != nil {
		return err
	}
	g.field++
	g.state = gFieldStart
	if g.field >= g.maxCols {
		return g.fail(ErrTooManyColumns, fmt.Sprintf("the row has more than %d columns; check the delimiter and the quoting", g.maxCols))
	}
	return nil
}

// endRecord closes the record ending at index i (a line feed).
func (g *textGuard) endRecord(i int) error {
	at := g.off + int64(i)
	if err := g.checkCell(at); err != nil {
		return err
	}
	if err := g.checkRow(at); err != nil {
		return err
	}
	g.line++
	g.state = gRecStart
	return nil
}

// checkOpen checks the field and record still open at offset at.
func (g *textGuard) checkOpen(at int64) error {
	switch g.state {
	case gRecStart, gRecStartCR:
		return nil
	case gUnquoted, gQuoted, gQuote, gQuoteCR:
		if err := g.checkCell(at); err != nil {
			return err
		}
	}
	return g.checkRow(at)
}

func (g *textGuard) checkCell(at int64) error {
	if at-g.cellStart <= int64(g.maxCell) {
		return nil
	}
	msg := fmt.Sprintf("cell is longer than %d bytes; check the file's quoting", g.maxCell)
	if g.maxCell == DefaultMaxCellBytes {
		msg = fmt.Sprintf("cell is longer than %d characters; check the file's quoting", ExcelMaxCellChars)
	}
	return g.fail(ErrCellTooLong, msg)
}

func (g *textGuard) checkRow(at int64) error {
	if at-g.recStart <= int64(g.maxRow) {
		return nil
	}
	return g.fail(ErrRowTooLong, fmt.Sprintf("the row is longer than %s; check the file's quoting and line breaks", sizeText(int64(g.maxRow))))
}

func (g *textGuard) fail(kind error, msg string) error {
	return &guardError{kind: kind, msg: msg, line: g.recLine, column: g.field + 1}
}
