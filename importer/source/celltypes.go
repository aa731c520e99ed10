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
)

// cellTypes reads a worksheet's XML alongside excelize's row iterator, only
// to tell which cells are numbers: excelize's raw values do not say, and a
// number cell is shown at Excel's precision while a text cell is kept as
// written. It skims the tags with a byte scanner, which costs far less than
// excelize's own XML decoding of the same part.
type cellTypes struct {
	rc      io.ReadCloser
	br      *bufio.Reader
	buf     []byte // the current tag
	pending int    // number of the <row> read but not yet consumed; 0 when none
	lastRow int    // number of the last <row>, for rows without an r attribute
	done    bool   // </sheetData> or the end of the part was reached
	numeric []bool // the last row's answer, reused
	styles  []int  // the style index of each cell of the last row, reused
}

// openCellTypes finds the part of the named sheet in the workbook's zip and
// starts reading it.
func openCellTypes(zr *zip.Reader, sheet string) (*cellTypes, error) {
	zf, err := sheetPart(zr, sheet)
	if err != nil {
		return nil, err
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	return &cellTypes{rc: rc, br: bufio.NewReaderSize(rc, 64<<10)}, nil
}

// Close releases the part.
func (t *cellTypes) Close() error { return t.rc.Close() }

// row returns, for spreadsheet row n (rows are asked for in increasing
// order), whether each column of that row holds a number cell, and each
// cell's style index. The slices are reused by the next call.
func (t *cellTypes) row(n int) ([]bool, []int, error) {
	t.numeric, t.styles = t.numeric[:0], t.styles[:0]
	for !t.done {
		if t.pending == 0 {
			if err := t.nextRow(); err != nil {
				return nil, nil, err
			}
			continue
		}
		if t.pending > n {
			return t.numeric, t.styles, nil // a row the sheet does not have
		}
		match := t.pending == n
		t.pending = 0
		if err := t.cells(match); err != nil {
			return nil, nil, err
		}
		if match {
			return t.numeric, t.styles, nil
		}
	}
	return t.numeric, t.styles, nil
}

// nextRow reads up to the next <row> and sets pending to its number.
func (t *cellTypes) nextRow() error {
	for {
		name, end, selfClosing, err := t.tag()
		if err != nil {
			return err
		}
		switch {
		case t.done:
			return nil
		case end && name == "sheetData":
			t.done = true
			return nil
		case !end && name == "row":
			n := t.lastRow + 1
			if r, ok := t.attr("r"); ok {
				if v, err := strconv.Atoi(string(r)); err == nil && v > 0 {
					n = v
				}
			}
			t.lastRow = n
			if !selfClosing { // a <row/> has no cells: a caller asking for it gets none
				t.pending = n
			}
			return nil
		}
	}
}

// cells reads the cells of the current row up to </row>, recording their
// types when keep is set.
func (t *cellTypes) cells(keep bool) error {
	col := 0
	for {
		name, end, _, err := t.tag()
		if err != nil {
			return err
		}
		switch {
		case t.done:
			return nil
		case end && name == "row":
			return nil
		case end && name == "sheetData":
			t.done = true
			return nil
		case !end && name == "c":
			col++
			ref, typ, style := t.attrs()
			if c := columnNumber(ref); c > 0 {
				col = c
			}
			if !keep || col > ExcelMaxColumns {
				continue
			}
			for len(t.numeric) < col {
				t.numeric, t.styles = append(t.numeric, false), append(t.styles, 0)
			}
			t.numeric[col-1] = len(typ) == 0 || string(typ) == "n"
			t.styles[col-1] = style
		}
	}
}

// tag reads the next element tag and returns its local name, whether it is
// an end tag, and whether it closes itself. Text, comments, CDATA and
// processing instructions are skipped; done is set at the end of the part.
func (t *cellTypes) tag() (name string, end, selfClosing bool, err error) {
	for {
		if err := t.skipPast('<'); err != nil {
			return "", false, false, t.eof(err)
		}
		b, err := t.br.Peek(1)
		if err != nil {
			return "", false, false, t.eof(err)
		}
		switch b[0] {
		case '?':
			if err := t.skipUntil("?>"); err != nil {
				return "", false, false, t.eof(err)
			}
			continue
		case '!':
			closer := ">"
			if p, _ := t.br.Peek(3); string(p) == "!--" {
				closer = "-->"
			} else if p, _ := t.br.Peek(8); string(p) == "![CDATA[" {
				closer = "]]>"
			}
			if err := t.skipUntil(closer); err != nil {
				return "", false, false, t.eof(err)
			}
			continue
		}
		if err := t.readTag(); err != nil {
			return "", false, false, t.eof(err)
		}
		tag := t.buf
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
		// Only three names matter; comparing bytes avoids a string per tag.
		switch string(local) {
		case "c":
			return "c", end, selfClosing, nil
		case "row":
			return "row", end, selfClosing, nil
		case "sheetData":
			return "sheetData", end, selfClosing, nil
		}
		return "", end, selfClosing, nil
	}
}

// eof turns the end of the part into done; other errors pass.
func (t *cellTypes) eof(err error) error {
	if errors.Is(err, io.EOF) {
		t.done = true
		return nil
	}
	return err
}

// skipPast discards input up to and including c.
func (t *cellTypes) skipPast(c byte) error {
	for {
		_, err := t.br.ReadSlice(c)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// skipUntil discards input up to and including s.
func (t *cellTypes) skipUntil(s string) error {
	last := s[len(s)-1]
	var tail []byte
	for {
		b, err := t.br.ReadSlice(last)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
		tail = append(tail, b...)
		if len(tail) > len(s) {
			tail = tail[len(tail)-len(s):]
		}
		if err == nil && bytes.HasSuffix(tail, []byte(s)) {
			return nil
		}
	}
}

// readTag reads the rest of a tag, after its '<', into buf without the '>'.
// A '>' inside a quoted attribute value does not end it.
//
// It reads up to each '>' at once rather than byte by byte, which was most
// of the scan's cost, and reads on only while a quote is open.
func (t *cellTypes) readTag() error {
	t.buf = t.buf[:0]
	var quote byte
	for {
		chunk, err := t.br.ReadSlice('>')
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
			t.buf = append(t.buf, chunk[:len(chunk)-1]...)
			return nil
		}
		t.buf = append(t.buf, chunk...)
	}
}

// attr returns the value of the current tag's attribute with local name
// want. Values here (cell references, types, row numbers) hold no entities.
func (t *cellTypes) attr(want string) ([]byte, bool) {
	s := t.buf
	i := bytes.IndexAny(s, " \t\r\n")
	if i < 0 {
		return nil, false
	}
	s = s[i:]
	for {
		s = bytes.TrimLeft(s, " \t\r\n")
		eq := bytes.IndexByte(s, '=')
		if eq < 0 {
			return nil, false
		}
		name := bytes.TrimRight(s[:eq], " \t\r\n")
		if j := bytes.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		s = bytes.TrimLeft(s[eq+1:], " \t\r\n")
		if len(s) == 0 || s[0] != '"' && s[0] != '\'' {
			return nil, false
		}
		q := s[0]
		k := bytes.IndexByte(s[1:], q)
		if k < 0 {
			return nil, false
		}
		value := s[1 : 1+k]
		s = s[2+k:]
		if string(name) == want {
			return value, true
		}
	}
}

// attrs returns a cell tag's reference (r), type (t) and style index (s, 0
// when absent), in one pass over its attributes: this runs for every cell.
func (t *cellTypes) attrs() (ref, typ []byte, style int) {
	s := t.buf
	for len(s) > 0 && !isSpace(s[0]) { // the tag's name
		s = s[1:]
	}
	for {
		s = trimSpace(s)
		eq := bytes.IndexByte(s, '=')
		if eq < 0 {
			return ref, typ, style
		}
		name := s[:eq]
		for len(name) > 0 && isSpace(name[len(name)-1]) {
			name = name[:len(name)-1]
		}
		if j := bytes.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		s = trimSpace(s[eq+1:])
		if len(s) == 0 || s[0] != '"' && s[0] != '\'' {
			return ref, typ, style
		}
		q := s[0]
		k := bytes.IndexByte(s[1:], q)
		if k < 0 {
			return ref, typ, style
		}
		value := s[1 : 1+k]
		s = s[2+k:]
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
