package source

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// sheetCells reads a worksheet's XML in one streaming pass: each row's cell
// values (shared strings resolved, inline and rich text joined, entities
// decoded), which cells are numbers (excelize's raw values do not say, and a
// number cell is shown at Excel's precision while a text cell is kept as
// written), and each cell's style index, which says whether a number is a
// date and gives its format. It skims tags with a byte scanner, which costs
// far less than encoding/xml's tokens for the same part.
type sheetCells struct {
	xmlScan
	sst     *sharedStrings
	maxText int // the longest raw text a cell may have
	lastRow int // number of the last <row>, for rows without an r attribute
	val     []byte

	// The row read by next; reused by the next call.
	values  []string
	numeric []bool
	styles  []int
}

// errSheetRow is a problem with the sheet's XML at a row or cell: the
// workbook is damaged. column is 0 when the row as a whole is at fault.
type errSheetRow struct {
	column int
	msg    string
}

func (e *errSheetRow) Error() string { return e.msg }

// openSheetCells starts reading a sheet's part.
func openSheetCells(zf *zip.File, sst *sharedStrings, maxCell int) (*sheetCells, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	// Entities make raw text longer than what it says: "&amp;" is one byte.
	maxText := 10 * maxCell
	return &sheetCells{xmlScan: newXMLScan(rc), sst: sst, maxText: maxText}, nil
}

// next reads the next <row> and its cells into values, numeric and styles,
// and returns its number; 0 after the last row. Cells are placed at the
// column their r attribute names, or after the one before; a cell with
// neither a value nor a formula is left out, and trailing ones are not
// there, as with excelize's row iterator.
func (s *sheetCells) next() (int, error) {
	for !s.done {
		name, end, selfClosing, err := s.tag()
		if err != nil {
			return 0, err
		}
		switch {
		case s.done:
			return 0, nil
		case end && name == tagSheetData:
			s.done = true
			return 0, nil
		case !end && name == tagRow:
			n := s.lastRow + 1
			if r, ok := s.attr("r"); ok {
				v, err := strconv.Atoi(string(r))
				if err != nil || v < 1 {
					return 0, &errSheetRow{msg: fmt.Sprintf("a row is numbered %q", r)}
				}
				if v > excelMaxRows {
					return 0, errMaxRows
				}
				if v <= s.lastRow {
					return 0, &errSheetRow{msg: fmt.Sprintf("row %d comes after row %d", v, s.lastRow)}
				}
				n = v
			}
			if n > excelMaxRows {
				return 0, errMaxRows
			}
			s.lastRow = n
			s.values, s.numeric, s.styles = s.values[:0], s.numeric[:0], s.styles[:0]
			if !selfClosing {
				if err := s.cells(); err != nil {
					return n, err
				}
			}
			return n, nil
		}
	}
	return 0, nil
}

// excelMaxRows is the most rows an Excel sheet has.
const excelMaxRows = 1 << 20

// errMaxRows is a row numbered past Excel's last.
var errMaxRows = errors.New("a row is numbered past Excel's last row")

// cells reads the cells of the current row up to </row>.
func (s *sheetCells) cells() error {
	col := 0
	for {
		name, end, selfClosing, err := s.tag()
		if err != nil {
			return err
		}
		switch {
		case s.done:
			return nil
		case end && name == tagRow:
			return nil
		case end && name == tagSheetData:
			s.done = true
			return nil
		case !end && name == tagC:
			ref, typ, style := s.attrs()
			if ref != nil {
				c, ok := refColumn(ref)
				if !ok {
					return &errSheetRow{column: col + 1, msg: fmt.Sprintf("a cell's reference %q is not a cell", ref)}
				}
				col = c
			} else {
				col++
			}
			if col > ExcelMaxColumns {
				return &errSheetRow{msg: "a cell lies past Excel's last column"}
			}
			isText := len(typ) != 0 && string(typ) != "n" // read before value reuses buf
			kind := cellKindOf(typ)
			value, formula := "", false
			if !selfClosing {
				if value, formula, err = s.value(kind); err != nil {
					var e *errSheetRow
					if errors.As(err, &e) && e.column == 0 {
						e.column = col
					}
					return err
				}
			}
			if value == "" && !formula {
				continue
			}
			for len(s.values) < col {
				s.values, s.numeric, s.styles = append(s.values, ""), append(s.numeric, false), append(s.styles, 0)
			}
			s.values[col-1], s.numeric[col-1], s.styles[col-1] = value, !isText && value != "", style
		}
	}
}

// cellKind is what a cell's t attribute says of its value.
type cellKind uint8

const (
	kindValue  cellKind = iota // the <v> text as it is: numbers, booleans, errors, formula strings, ISO dates
	kindShared                 // <v> indexes the shared strings
	kindInline                 // the text of <is>, or <v> without one
)

func cellKindOf(typ []byte) cellKind {
	switch string(typ) {
	case "s":
		return kindShared
	case "inlineStr":
		return kindInline
	}
	return kindValue
}

// value reads a cell's content up to </c>: its value as text and whether it
// has a formula.
func (s *sheetCells) value(kind cellKind) (value string, formula bool, err error) {
	var v []byte
	hasV, hasIS := false, false
	s.rich = s.rich[:0]
	for {
		name, end, selfClosing, err := s.tag()
		if err != nil {
			return "", false, err
		}
		if s.done {
			break
		}
		if end {
			if name == tagC {
				break
			}
			continue
		}
		switch name {
		case tagF:
			formula = true
		case tagV:
			if selfClosing {
				v, hasV = v[:0], true
				continue
			}
			t, err := s.text(tagV, s.maxText)
			if err != nil {
				return "", false, err
			}
			s.val = append(s.val[:0], t...) // text reuses its buffers
			v, hasV = s.val, true
		case tagIS:
			hasIS = true
			if !selfClosing {
				if err := s.richText(tagIS, s.maxText); err != nil {
					return "", false, err
				}
			}
		}
	}
	switch {
	case kind == kindShared && hasV && len(v) > 0:
		i, ok := atoiTrim(v)
		if !ok || i >= s.sst.len() {
			return "", false, &errSheetRow{msg: "a cell names a shared string the workbook does not have"}
		}
		return s.sst.at(i), formula, nil
	case kind == kindInline && hasIS:
		v = unescapeBstr(s.rich)
	case !hasV:
		return "", formula, nil
	}
	if !utf8.Valid(v) {
		return "", false, &errSheetRow{msg: "a cell is not valid UTF-8"}
	}
	return string(v), formula, nil
}

// atoiTrim reads a shared-string index, allowing spaces around it.
func atoiTrim(b []byte) (int, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// sharedStrings is a workbook's shared string table, its texts in one
// string: a cell's value is a slice of it, made without a copy.
type sharedStrings struct {
	text string
	ends []uint32 // ends[i] is where string i ends in text
}

func (t *sharedStrings) len() int {
	if t == nil {
		return 0
	}
	return len(t.ends)
}

// at returns string i.
func (t *sharedStrings) at(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]]
}

// readSharedStrings reads xl/sharedStrings.xml, where excelize looks for it;
// a workbook without one has none.
func readSharedStrings(zr *zip.Reader, maxCell int) (*sharedStrings, error) {
	zf := findPart(zr, "xl/sharedStrings.xml")
	if zf == nil {
		return &sharedStrings{}, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	sc := newXMLScan(rc)
	t := &sharedStrings{}
	// The texts are shorter than the part: room for them at once spares the
	// copies of a growing buffer, and pages never written cost no memory.
	var text strings.Builder
	text.Grow(int(min(zf.UncompressedSize64, math.MaxUint32)))
	for !sc.done {
		name, end, selfClosing, err := sc.tag()
		if err != nil {
			return nil, fmt.Errorf("shared strings: %w", err)
		}
		if end || name != tagSI {
			continue
		}
		if !selfClosing {
			sc.rich = sc.rich[:0]
			if err := sc.richText(tagSI, 10*maxCell); err != nil {
				return nil, fmt.Errorf("shared strings: %w", err)
			}
			s := unescapeBstr(sc.rich)
			if !utf8.Valid(s) {
				return nil, errors.New("shared strings: a string is not valid UTF-8")
			}
			text.Write(s)
		}
		if text.Len() > math.MaxUint32 {
			return nil, errors.New("shared strings: the table is too large")
		}
		t.ends = append(t.ends, uint32(text.Len()))
	}
	t.text = text.String()
	return t, nil
}

// unescapeBstr decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold (_x000D_ is a carriage return, _x005F_ a literal "_"), as
// excelize does for shared and inline strings. It works in place.
func unescapeBstr(b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	out := b[:i]
	for i < len(b) {
		if i+7 <= len(b) && b[i] == '_' && b[i+1] == 'x' && b[i+6] == '_' {
			if r, ok := hex4(b[i+2 : i+6]); ok {
				if r != 0x5F && utf8.ValidRune(r) {
					out = utf8.AppendRune(out, r)
				} else if r == 0x5F {
					out = append(out, '_')
				}
				i += 7
				continue
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// Tag names the scanner tells apart; every other is tagOther.
const (
	tagOther = iota
	tagC
	tagRow
	tagSheetData
	tagV
	tagF
	tagIS
	tagT
	tagR
	tagRPh
	tagSI
)

// xmlScan reads the tags and text of an XML part without encoding/xml:
// the parts it reads are large and their structure is simple.
type xmlScan struct {
	rc    io.ReadCloser
	br    *bufio.Reader
	buf   []byte // the current tag, without < and >
	raw   []byte // text being read, as written
	out   []byte // text being read, decoded
	rich  []byte // the text of a string item: its runs joined
	cdata []byte // a CDATA section being read
	done  bool   // the end of the part was reached
}

func newXMLScan(rc io.ReadCloser) xmlScan {
	return xmlScan{rc: rc, br: bufio.NewReaderSize(rc, 64<<10)}
}

// Close releases the part.
func (s *xmlScan) Close() error { return s.rc.Close() }

// tag reads the next element tag and returns its name, whether it is an end
// tag, and whether it closes itself. Text, comments, CDATA and processing
// instructions are skipped; done is set at the end of the part.
func (s *xmlScan) tag() (name int, end, selfClosing bool, err error) {
	for {
		if err := s.skipPast('<'); err != nil {
			return 0, false, false, s.eof(err)
		}
		if skipped, err := s.special(nil); err != nil {
			return 0, false, false, s.eof(err)
		} else if skipped {
			continue
		}
		if err := s.readTag(); err != nil {
			return 0, false, false, s.eof(err)
		}
		name, end, selfClosing = s.name()
		return name, end, selfClosing, nil
	}
}

// special handles what follows a '<' when it is not a tag: a processing
// instruction or comment is skipped, and a CDATA section's content is
// appended to text when text is not nil. It reports whether it did either.
func (s *xmlScan) special(text *[]byte) (bool, error) {
	b, err := s.br.Peek(1)
	if err != nil {
		return false, err
	}
	switch b[0] {
	case '?':
		return true, s.skipUntil("?>", nil)
	case '!':
		if p, _ := s.br.Peek(3); string(p) == "!--" {
			return true, s.skipUntil("-->", nil)
		}
		if p, _ := s.br.Peek(8); string(p) == "![CDATA[" {
			if _, err := s.br.Discard(8); err != nil {
				return true, err
			}
			if text == nil {
				return true, s.skipUntil("]]>", nil)
			}
			// Its text is literal: escaped here, as decode will unescape it.
			s.cdata = s.cdata[:0]
			if err := s.skipUntil("]]>", &s.cdata); err != nil {
				return true, err
			}
			for _, c := range s.cdata {
				if c == '&' {
					*text = append(*text, "&amp;"...)
				} else {
					*text = append(*text, c)
				}
			}
			return true, nil
		}
		return true, s.skipUntil(">", nil)
	}
	return false, nil
}

// name classifies the tag in buf by its local name (any namespace prefix
// dropped: openpyxl may write x:c).
func (s *xmlScan) name() (name int, end, selfClosing bool) {
	tag := s.buf
	if len(tag) > 0 && tag[0] == '/' {
		end, tag = true, tag[1:]
	}
	if len(tag) > 0 && tag[len(tag)-1] == '/' {
		selfClosing, tag = true, tag[:len(tag)-1]
	}
	i := 0
	for i < len(tag) && !isSpace(tag[i]) {
		i++
	}
	local := tag[:i]
	if j := bytes.LastIndexByte(local, ':'); j >= 0 {
		local = local[j+1:]
	}
	// Comparing bytes avoids a string per tag.
	switch string(local) {
	case "c":
		name = tagC
	case "v":
		name = tagV
	case "row":
		name = tagRow
	case "f":
		name = tagF
	case "is":
		name = tagIS
	case "t":
		name = tagT
	case "r":
		name = tagR
	case "rPh":
		name = tagRPh
	case "si":
		name = tagSI
	case "sheetData":
		name = tagSheetData
	}
	return name, end, selfClosing
}

// text reads the text content of the element just opened (named elem) up
// to its end tag and returns it decoded; the slice is reused. Text inside
// nested elements is not part of it, as with encoding/xml.
func (s *xmlScan) text(elem int, limit int) ([]byte, error) {
	s.raw = s.raw[:0]
	depth := 0
	for {
		chunk, err := s.br.ReadSlice('<')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, s.truncated(err)
		}
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		if depth == 0 {
			s.raw = append(s.raw, chunk...)
			if len(s.raw) > limit {
				return nil, errTextTooLong
			}
		}
		if err != nil {
			continue // the buffer was full: more text follows
		}
		var cdata *[]byte
		if depth == 0 {
			cdata = &s.raw
		}
		if skipped, err := s.special(cdata); err != nil {
			return nil, s.truncated(err)
		} else if skipped {
			continue
		}
		if err := s.readTag(); err != nil {
			return nil, s.truncated(err)
		}
		name, end, selfClosing := s.name()
		switch {
		case end && depth == 0:
			if name != elem {
				return nil, &errSheetRow{msg: "the sheet's XML is not well formed"}
			}
			return s.decode(s.raw)
		case end:
			depth--
		case !selfClosing:
			depth++
		}
	}
}

// richText appends to rich the text of a string item (elem is <si> or
// <is>) up to its end tag: its <t>, and the <t> of each run <r>, but not the
// phonetic runs <rPh>.
func (s *xmlScan) richText(elem int, limit int) error {
	phonetic := 0
	for {
		name, end, selfClosing, err := s.tag()
		if err != nil {
			return err
		}
		if s.done {
			return s.truncated(io.EOF)
		}
		switch {
		case end && name == elem:
			return nil
		case name == tagRPh && !selfClosing:
			if end {
				phonetic--
			} else {
				phonetic++
			}
		case name == tagT && !end && !selfClosing:
			t, err := s.text(tagT, limit)
			if err != nil {
				return err
			}
			if phonetic == 0 {
				s.rich = append(s.rich, t...)
				if len(s.rich) > limit {
					return errTextTooLong
				}
			}
		}
	}
}

// decode resolves entities and character references in raw and turns line
// ends into "\n", as an XML parser does. A reference XML does not define
// means the part is damaged.
func (s *xmlScan) decode(raw []byte) ([]byte, error) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return raw, nil
	}
	out := s.out[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return nil, errEntity()
			}
			ref := raw[i+1 : i+j]
			i += j
			switch string(ref) {
			case "amp":
				out = append(out, '&')
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "quot":
				out = append(out, '"')
			case "apos":
				out = append(out, '\'')
			default:
				r, ok := charRef(ref)
				if !ok {
					return nil, errEntity()
				}
				out = utf8.AppendRune(out, r)
			}
		default:
			out = append(out, c)
		}
	}
	s.out = out
	return out, nil
}

// errTextTooLong is a cell's text past any a workbook holds.
var errTextTooLong = errors.New("a cell's text is too long")

func errEntity() error {
	return &errSheetRow{msg: "a cell holds a character reference XML does not define"}
}

// charRef reads "#65" or "#x41" as a character XML allows.
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var v uint64
	var err error
	if ref[1] == 'x' {
		v, err = strconv.ParseUint(string(ref[2:]), 16, 32)
	} else {
		v, err = strconv.ParseUint(string(ref[1:]), 10, 32)
	}
	if err != nil {
		return 0, false
	}
	r := rune(v)
	ok := r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
	return r, ok
}

// truncated turns the end of the part inside a cell into an error.
func (s *xmlScan) truncated(err error) error {
	if errors.Is(err, io.EOF) {
		return &errSheetRow{msg: "the sheet's XML ends inside a cell"}
	}
	return err
}

// eof turns the end of the part into done; other errors pass.
func (s *xmlScan) eof(err error) error {
	if errors.Is(err, io.EOF) {
		s.done = true
		return nil
	}
	return err
}

// skipPast discards input up to and including c.
func (s *xmlScan) skipPast(c byte) error {
	for {
		_, err := s.br.ReadSlice(c)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// skipUntil discards input up to and including end, appending what it
// skips (without end) to keep when keep is not nil.
func (s *xmlScan) skipUntil(end string, keep *[]byte) error {
	last := end[len(end)-1]
	var tail []byte
	for {
		b, err := s.br.ReadSlice(last)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
		if keep != nil {
			*keep = append(*keep, b...)
		}
		tail = append(tail, b...)
		if len(tail) > len(end) {
			tail = tail[len(tail)-len(end):]
		}
		if err == nil && bytes.HasSuffix(tail, []byte(end)) {
			if keep != nil {
				*keep = (*keep)[:len(*keep)-len(end)]
			}
			return nil
		}
	}
}

// readTag reads the rest of a tag, after its '<', into buf without the '>'.
// A '>' inside a quoted attribute value does not end it.
//
// It reads up to each '>' at once rather than byte by byte, and reads on
// only while a quote is open.
func (s *xmlScan) readTag() error {
	s.buf = s.buf[:0]
	var quote byte
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
		for _, c := range chunk {
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			}
		}
		if err == nil && quote == 0 {
			s.buf = append(s.buf, chunk[:len(chunk)-1]...)
			return nil
		}
		s.buf = append(s.buf, chunk...)
		if len(s.buf) > maxTagBytes {
			return errors.New("a tag is longer than any a workbook writes")
		}
	}
}

// maxTagBytes bounds one tag, so a part without '>' cannot grow memory.
const maxTagBytes = 1 << 20

// attr returns the value of the current tag's attribute with local name
// want. Values here (cell references, types, row numbers) hold no entities.
func (s *xmlScan) attr(want string) ([]byte, bool) {
	b := s.buf
	i := bytes.IndexAny(b, " \t\r\n")
	if i < 0 {
		return nil, false
	}
	b = b[i:]
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return nil, false
		}
		name := bytes.TrimRight(b[:eq], " \t\r\n")
		if j := bytes.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		b = bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(b) == 0 || b[0] != '"' && b[0] != '\'' {
			return nil, false
		}
		q := b[0]
		k := bytes.IndexByte(b[1:], q)
		if k < 0 {
			return nil, false
		}
		value := b[1 : 1+k]
		b = b[2+k:]
		if string(name) == want {
			return value, true
		}
	}
}

// attrs returns a cell tag's reference (r), type (t) and style index (s, 0
// when absent), in one pass over its attributes: this runs for every cell.
// ref and typ point into buf, valid until the next tag is read.
func (s *xmlScan) attrs() (ref, typ []byte, style int) {
	b := s.buf
	for len(b) > 0 && !isSpace(b[0]) { // the tag's name
		b = b[1:]
	}
	for {
		b = trimSpace(b)
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return ref, typ, style
		}
		name := b[:eq]
		for len(name) > 0 && isSpace(name[len(name)-1]) {
			name = name[:len(name)-1]
		}
		if j := bytes.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		b = trimSpace(b[eq+1:])
		if len(b) == 0 || b[0] != '"' && b[0] != '\'' {
			return ref, typ, style
		}
		q := b[0]
		k := bytes.IndexByte(b[1:], q)
		if k < 0 {
			return ref, typ, style
		}
		value := b[1 : 1+k]
		b = b[2+k:]
		if len(name) != 1 {
			continue
		}
		switch name[0] {
		case 'r':
			ref = value
		case 't':
			typ = value
		case 's':
			style = 0
			for _, c := range value {
				if c < '0' || c > '9' || style > 1<<20 {
					style = 0
					break
				}
				style = style*10 + int(c-'0')
			}
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimSpace(s []byte) []byte {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	return s
}

// refColumn returns the 1-based column of a cell reference ("AB12" is 28,
// "$C$10" is 3); ok is false unless it is letters then a row number.
func refColumn(ref []byte) (int, bool) {
	ref = bytes.TrimPrefix(ref, []byte("$"))
	col := columnNumber(ref)
	i := 0
	for i < len(ref) && ref[i]|0x20 >= 'a' && ref[i]|0x20 <= 'z' {
		i++
	}
	digits := bytes.TrimPrefix(ref[i:], []byte("$"))
	if col < 1 || len(digits) == 0 || len(digits) > 7 || digits[0] == '0' {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return col, true
}

// columnNumber returns the 1-based column of a cell reference ("AB12" is
// 28), or 0 when it has no letters.
func columnNumber(ref []byte) int {
	n := 0
	for _, c := range ref {
		c |= 0x20
		if c < 'a' || c > 'z' {
			break
		}
		n = n*26 + int(c-'a'+1)
		if n > 1<<20 {
			return 0
		}
	}
	return n
}

// relationships is a .rels part.
type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// workbookSheets is the sheet list of workbook.xml. The relationship ID is
// found by its local name, since strict and transitional files give it
// different namespaces.
type workbookSheets struct {
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// sheetPart finds the zip entry of the named sheet, as excelize does: the
// package's office document, its relationships, the sheet's target.
func sheetPart(zr *zip.Reader, sheet string) (*zip.File, error) {
	book := "xl/workbook.xml"
	var root relationships
	if err := readXMLPart(zr, "_rels/.rels", &root); err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				book = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	var wb workbookSheets
	if err := readXMLPart(zr, book, &wb); err != nil {
		return nil, err
	}
	id := ""
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				id = a.Value
			}
		}
	}
	if id == "" {
		return nil, fmt.Errorf("sheet %q is not listed in %s", sheet, book)
	}
	dir := path.Dir(book)
	var rels relationships
	if err := readXMLPart(zr, path.Join(dir, "_rels", path.Base(book)+".rels"), &rels); err != nil {
		return nil, err
	}
	for _, r := range rels.Rels {
		if r.ID != id {
			continue
		}
		target := r.Target
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(dir, target)
		}
		if zf := findPart(zr, target); zf != nil {
			return zf, nil
		}
		return nil, fmt.Errorf("sheet %q is missing its part %s", sheet, target)
	}
	return nil, fmt.Errorf("sheet %q has no relationship %s", sheet, id)
}

// findPart finds a zip entry by name, ignoring case and backslashes as
// Excel does.
func findPart(zr *zip.Reader, name string) *zip.File {
	for _, zf := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(zf.Name, "\\", "/"), name) {
			return zf
		}
	}
	return nil
}

// readXMLPart decodes a small XML part.
func readXMLPart(zr *zip.Reader, name string, v any) error {
	zf := findPart(zr, name)
	if zf == nil {
		return fmt.Errorf("the workbook has no %s", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxInMemoryParts)).Decode(v)
}

// excelNumber returns the stored value of a number cell as Excel shows it:
// rounded to 15 significant digits when it has a fraction or an exponent, so
// 8661.120000000001 is 8661.12. Integers are kept as stored. A value of 1e15
// or more keeps its exponent: its last digits are not known, and an ID
// written so must be refused, not rounded into another ID.
func excelNumber(raw string) string {
	if !strings.ContainsAny(raw, ".eE") {
		return raw
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return raw
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'E', -1, 64)
	}
	if v == 0 {
		return "0" // not "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
