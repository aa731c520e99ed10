package source

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strconv"
)

// vmerge is a merged range over several rows. Excel shows the value of its
// top-left cell across the range, so that value is the cell's in every row
// the range covers: a lead ID merged down over its two product rows belongs
// to both. Only the first column of a range is filled in, so a title merged
// across columns does not become several headers.
type vmerge struct {
	col, top, bottom int
}

// mergeState fills the cells of merged ranges as rows are read in order.
type mergeState struct {
	list   []vmerge // sorted by top row
	next   int      // first range of list not yet started
	active []activeMerge
}

type activeMerge struct {
	col, bottom int
	value       string
	numeric     bool
	format      string
}

// scanMerges reads the merge list of a sheet part. It comes after the rows
// in the XML, so the part is read through once at open, without keeping
// more than a small window of it: memory does not grow with the sheet.
func scanMerges(zr *zip.Reader, sheet string) (*mergeState, error) {
	zf, err := sheetPart(zr, sheet)
	if err != nil {
		return nil, err
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var m mergeScanner
	if _, err := io.Copy(&m, rc); err != nil {
		return nil, err
	}
	return m.state(), nil
}

// mergeScanner finds the <mergeCell> tags in a sheet part written to it,
// keeping a small window of it: the check that reads every part of a
// workbook at open learns each sheet's merge list on the way.
type mergeScanner struct {
	buf  []byte
	list []vmerge
}

const (
	mergeWindow = 256 << 10
	mergeTail   = 512 // longer than any <mergeCell> tag
)

func (m *mergeScanner) Write(p []byte) (int, error) {
	m.buf = append(m.buf, p...)
	if len(m.buf) >= mergeWindow+mergeTail {
		m.scan(false)
	}
	return len(p), nil
}

// state scans what is left and returns the merge list, sorted by top row.
func (m *mergeScanner) state() *mergeState {
	m.scan(true)
	m.buf = nil
	slices.SortStableFunc(m.list, func(a, b vmerge) int { return a.top - b.top })
	return &mergeState{list: m.list}
}

// scan reads the tags in buf, keeping the end that may hold the start of
// one not yet complete unless eof.
func (m *mergeScanner) scan(eof bool) {
	buf := m.buf
	keep := max(0, len(buf)-mergeTail)
	for pos := 0; ; {
		i := bytes.Index(buf[pos:], []byte("mergeCell"))
		if i < 0 {
			break
		}
		i += pos
		end := bytes.IndexByte(buf[i:], '>')
		if end < 0 {
			if !eof && i > 0 { // at 0, a whole window without '>' holds no tag
				keep = min(keep, i)
			}
			break
		}
		tag := buf[i+len("mergeCell") : i+end]
		pos = i + end
		if !isTagStart(buf[:i]) || len(tag) == 0 || tag[0] != ' ' && tag[0] != '\t' && tag[0] != '\r' && tag[0] != '\n' {
			continue // mergeCells, or the word in a cell's text
		}
		if v, ok := parseMergeRef(attrValue(tag, "ref")); ok {
			m.list = append(m.list, v)
		}
		if pos > keep && !eof {
			keep = pos
		}
	}
	if !eof {
		m.buf = buf[:copy(buf, buf[keep:])]
	}
}

// isTagStart reports whether before ends with "<" or "<prefix:".
func isTagStart(before []byte) bool {
	for i := len(before) - 1; i >= 0 && len(before)-i < 32; i-- {
		switch c := before[i]; {
		case c == '<':
			return i == len(before)-1 || before[len(before)-1] == ':'
		case c == ':' || c == '_' || c == '-' || c == '.' || 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return false
}

// attrValue returns the value of attribute name in a tag's attribute text.
func attrValue(attrs []byte, name string) []byte {
	for s := attrs; ; {
		i := bytes.Index(s, []byte(name+"="))
		if i < 0 {
			return nil
		}
		if i > 0 && s[i-1] != ' ' && s[i-1] != '\t' && s[i-1] != '\r' && s[i-1] != '\n' {
			s = s[i+len(name):]
			continue
		}
		v := s[i+len(name)+1:]
		if len(v) == 0 || v[0] != '"' && v[0] != '\'' {
			return nil
		}
		if k := bytes.IndexByte(v[1:], v[0]); k >= 0 {
			return v[1 : 1+k]
		}
		return nil
	}
}

// parseMergeRef reads "A2:C3"; ok is false unless the range spans rows.
func parseMergeRef(ref []byte) (vmerge, bool) {
	from, to, found := bytes.Cut(ref, []byte(":"))
	if !found {
		return vmerge{}, false
	}
	c1, r1 := splitRef(from)
	_, r2 := splitRef(to)
	if c1 < 1 || c1 > ExcelMaxColumns || r1 < 1 || r2 <= r1 {
		return vmerge{}, false
	}
	return vmerge{col: c1, top: r1, bottom: r2}, true
}

// splitRef splits "AB12" into column 28 and row 12 (0 when missing).
// Absolute references ("$C$10") are read like relative ones.
func splitRef(ref []byte) (col, row int) {
	ref = bytes.TrimPrefix(ref, []byte("$"))
	col = columnNumber(ref)
	i := 0
	for i < len(ref) && ref[i]|0x20 >= 'a' && ref[i]|0x20 <= 'z' {
		i++
	}
	row, _ = strconv.Atoi(string(bytes.TrimPrefix(ref[i:], []byte("$"))))
	return col, row
}

// touches reports whether row n starts or lies under a merged range.
func (m *mergeState) touches(n int) bool {
	if m == nil {
		return false
	}
	return len(m.active) > 0 || m.next < len(m.list) && m.list[m.next].top <= n
}

// apply fills row n's cells covered by merged ranges with their top cell's
// value, after learning the values of ranges that start on row n. cells and
// numeric may grow.
func (m *mergeState) apply(n int, cells []string, numeric []bool, formats []string) ([]string, []bool, []string) {
	live := m.active[:0]
	for _, a := range m.active {
		if a.bottom >= n {
			live = append(live, a)
		}
	}
	m.active = live
	for _, a := range m.active {
		for len(cells) < a.col {
			cells, numeric, formats = append(cells, ""), append(numeric, false), append(formats, "")
		}
		cells[a.col-1], numeric[a.col-1], formats[a.col-1] = a.value, a.numeric, a.format
	}
	for ; m.next < len(m.list) && m.list[m.next].top <= n; m.next++ {
		v := m.list[m.next]
		if v.top < n || v.bottom <= n {
			continue // a range whose top row was never read: nothing to repeat
		}
		a := activeMerge{col: v.col, bottom: v.bottom}
		if v.col <= len(cells) {
			a.value, a.numeric, a.format = cells[v.col-1], numeric[v.col-1], formats[v.col-1]
		}
		m.active = append(m.active, a)
	}
	return cells, numeric, formats
}
