package source

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// dateKind says how a number format shows a serial date.
type dateKind int

const (
	notDate dateKind = iota
	dateOnly
	dateTime
	timeOnly
)

// marker is what the formatted row iterator prints for a date cell of kind
// k: a private-use character, which no number can render as.
func (k dateKind) marker() string {
	return string(rune(0xE000 + int(k) - int(dateOnly)))
}

// builtInDateKind classifies Excel's built-in number formats (ECMA-376
// 18.8.30 plus the East Asian and Thai locale ranges).
func builtInDateKind(id int) dateKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id == 36, id == 50, id == 51,
		id == 54, id == 57, id == 58, id >= 71 && id <= 74, id == 81:
		return dateOnly
	case id == 22, id == 77:
		return dateTime
	case id >= 18 && id <= 21, id == 45, id == 47, id >= 32 && id <= 35,
		id == 52, id == 53, id == 55, id == 56, id == 75, id == 76, id == 78, id == 79:
		return timeOnly
	}
	return notDate
}

// formatDateKind classifies a custom number format code by the date and time
// tokens in its first section, ignoring literals, escapes and [..] modifiers.
// Elapsed-time formats ([h]:mm) are durations, not dates.
func formatDateKind(code string) dateKind {
	s := strings.ToLower(code)
	var date, clock, month bool
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ';':
			i = len(s)
			continue
		case c == '"':
			if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
				i += j + 2
			} else {
				i = len(s)
			}
			continue
		case c == '\\' || c == '_' || c == '*':
			// The next character is a literal (or padding).
			i++
			if i < len(s) {
				_, size := utf8.DecodeRuneInString(s[i:])
				i += size
			}
			continue
		case c == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				i = len(s)
				continue
			}
			if strings.Trim(s[i+1:i+j], "hms") == "" && j > 1 {
				return notDate
			}
			i += j + 1
			continue
		case strings.HasPrefix(s[i:], "general"):
			i += len("general")
			continue
		case strings.HasPrefix(s[i:], "am/pm"):
			clock = true
			i += len("am/pm")
			continue
		case strings.HasPrefix(s[i:], "a/p"):
			clock = true
			i += len("a/p")
			continue
		case c == 'e' && i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-'):
			// Scientific notation, not an era year.
			i += 2
			continue
		case c == 'y' || c == 'd' || c == 'e' || c == 'g' || c == 'b':
			date = true
		case c == 'h' || c == 's':
			clock = true
		case c == 'm':
			month = true
		}
		i++
	}
	if month && !clock {
		date = true
	}
	switch {
	case date && clock:
		return dateTime
	case date:
		return dateOnly
	case clock:
		return timeOnly
	}
	return notDate
}

// markDateStyles rewrites the workbook's cell styles in memory (the file is
// never saved) so that a formatted row iterator prints each cell unchanged,
// except a number in a date style, which it prints as the kind's marker.
// Printing a marker is cheap, unlike excelize's own date rendering, and the
// value itself comes from the raw iterator. It reports whether any style
// shows dates; without one the second iterator is not needed.
func markDateStyles(f *excelize.File) bool {
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return false
	}
	custom := map[int]string{}
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			if nf == nil {
				continue
			}
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = code
		}
	}
	n := len(f.Styles.CellXfs.Xf)
	kinds := make([]dateKind, n)
	found := false
	for i, xf := range f.Styles.CellXfs.Xf {
		if xf.NumFmtID == nil {
			continue
		}
		id := *xf.NumFmtID
		if code, ok := custom[id]; ok {
			kinds[i] = formatDateKind(code)
		} else {
			kinds[i] = builtInDateKind(id)
		}
		found = found || kinds[i] != notDate
	}
	if !found {
		return false
	}
	var markerIDs [timeOnly + 1]*int
	for k := dateOnly; k <= timeOnly; k++ {
		code := `"` + k.marker() + `"`
		style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil || style >= len(f.Styles.CellXfs.Xf) || f.Styles.CellXfs.Xf[style].NumFmtID == nil {
			return false
		}
		id := *f.Styles.CellXfs.Xf[style].NumFmtID
		markerIDs[k] = &id
	}
	// An ID that is neither built in nor defined makes excelize return the
	// value unchanged.
	plain := new(int)
	*plain = 1 << 30
	xfs := f.Styles.CellXfs.Xf // NewStyle may have grown the slice
	for i := range n {
		if kinds[i] == notDate {
			xfs[i].NumFmtID = plain
		} else {
			xfs[i].NumFmtID = markerIDs[kinds[i]]
		}
	}
	return true
}

// maxSerial is 9999-12-31 23:59:59, the last date Excel shows.
const maxSerial = 2958465.99999

// renderDate renders the raw value of a cell whose style shows a date of the
// given kind (as a marker says) in ISO form. It returns raw when the value is
// not a serial number Excel would show as a date.
func renderDate(raw, marker string, date1904 bool) string {
	var kind dateKind
	for k := dateOnly; k <= timeOnly; k++ {
		if marker == k.marker() {
			kind = k
		}
	}
	if kind == notDate {
		return raw
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || v < 0 || v > maxSerial {
		return raw
	}
	t, err := excelize.ExcelDateToTime(v, date1904)
	if err != nil {
		return raw
	}
	switch {
	case kind == dateOnly:
		return t.Format("2006-01-02")
	case kind == timeOnly && v < 1:
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04:05")
}
