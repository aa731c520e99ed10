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

// cellStyles says, for each cell style of a workbook (a cell's s
// attribute indexes cellXfs), whether it shows a number as a date and with
// which number format. The sheet scan reads each cell's style index in
// the same pass that tells numbers from text, so dates need no second
// iteration over the sheet.
type cellStyles struct {
	kinds   []dateKind
	formats []string // the format code, "" for General or a format only a locale defines
}

// readCellStyles reads the workbook's cell styles.
func readCellStyles(f *excelize.File) cellStyles {
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return cellStyles{}
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
	st := cellStyles{kinds: make([]dateKind, n), formats: make([]string, n)}
	for i, xf := range f.Styles.CellXfs.Xf {
		if xf.NumFmtID == nil {
			continue
		}
		id := *xf.NumFmtID
		if code, ok := custom[id]; ok {
			st.kinds[i], st.formats[i] = formatDateKind(code), code
		} else {
			st.kinds[i], st.formats[i] = builtInDateKind(id), builtInFormat(id)
		}
		if strings.EqualFold(st.formats[i], "general") {
			st.formats[i] = ""
		}
		if st.formats[i] == "" && st.kinds[i] != notDate {
			// A date format only a locale defines: kept as an ISO date.
			st.formats[i] = isoFormat(st.kinds[i])
		}
	}
	return st
}

// style returns the date kind and format of style index s.
func (st *cellStyles) style(s int) (dateKind, string) {
	if s < 0 || s >= len(st.kinds) {
		return notDate, ""
	}
	return st.kinds[s], st.formats[s]
}

// builtInFormat is the code of one of Excel's built-in number formats that
// every locale shows alike (ECMA-376 18.8.30); "" for the others.
func builtInFormat(id int) string {
	switch id {
	case 1:
		return "0"
	case 2:
		return "0.00"
	case 3:
		return "#,##0"
	case 4:
		return "#,##0.00"
	case 5:
		return `"$"#,##0_);\("$"#,##0\)`
	case 6:
		return `"$"#,##0_);[Red]\("$"#,##0\)`
	case 7:
		return `"$"#,##0.00_);\("$"#,##0.00\)`
	case 8:
		return `"$"#,##0.00_);[Red]\("$"#,##0.00\)`
	case 9:
		return "0%"
	case 10:
		return "0.00%"
	case 11:
		return "0.00E+00"
	case 12:
		return "# ?/?"
	case 13:
		return "# ??/??"
	case 14:
		return "mm-dd-yy"
	case 15:
		return "d-mmm-yy"
	case 16:
		return "d-mmm"
	case 17:
		return "mmm-yy"
	case 18:
		return "h:mm AM/PM"
	case 19:
		return "h:mm:ss AM/PM"
	case 20:
		return "hh:mm"
	case 21:
		return "hh:mm:ss"
	case 22:
		return "m/d/yy hh:mm"
	case 37:
		return "#,##0 ;(#,##0)"
	case 38:
		return "#,##0 ;[Red](#,##0)"
	case 39:
		return "#,##0.00;(#,##0.00)"
	case 40:
		return "#,##0.00;[Red](#,##0.00)"
	case 41:
		return `_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`
	case 42:
		return `_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)`
	case 43:
		return `_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`
	case 44:
		return `_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`
	case 45:
		return "mm:ss"
	case 46:
		return "[h]:mm:ss"
	case 47:
		return "mmss.0"
	case 48:
		return "##0.0E+0"
	case 49:
		return "@"
	}
	return ""
}

// isoFormat is the format a date of kind k keeps when its own is a locale's.
func isoFormat(k dateKind) string {
	switch k {
	case dateOnly:
		return "yyyy-mm-dd"
	case dateTime:
		return "yyyy-mm-dd hh:mm:ss"
	case timeOnly:
		return "hh:mm:ss"
	}
	return ""
}

// maxSerial is 9999-12-31 23:59:59, the last date Excel shows.
const maxSerial = 2958465.99999

// renderDate renders the raw value of a cell whose style shows a date of the
// given kind in ISO form. It returns raw when the value is not a serial
// number Excel would show as a date.
func renderDate(raw string, kind dateKind, date1904 bool) string {
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
