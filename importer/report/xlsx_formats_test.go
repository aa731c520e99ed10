package report

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXKeepsNumberFormats: a carried "$" price keeps its format and a
// date cell is written as a date, as they were in the input workbook.
func TestXLSXKeepsNumberFormats(t *testing.T) {
	money := `"$"#,##0.00_);\("$"#,##0.00\)`
	rows := []Row{
		{Number: 2, Cells: []string{"1200.5", "2026-11-28", "14:30:00", "7", "2026-11-28"},
			Numeric: []bool{true, false, false, true, false},
			Formats: []string{money, "yyyy-mm-dd", "hh:mm:ss", "", ""}, Result: Succeeded},
		{Number: 3, Cells: []string{"", "not a date", "", "", ""},
			Numeric: []bool{false, false, false, false, false},
			Formats: []string{"", "yyyy-mm-dd", "", "", ""}, Result: Succeeded},
	}
	path := writeReport(t, "r.xlsx", []string{"Price", "Closed", "At", "Qty", "Typed date"}, rows)
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	// A number cell has no type attribute: excelize reads it as unset.
	for _, tc := range []struct {
		cell, raw, shown, format string
		typ                      excelize.CellType
	}{
		{"A2", "1200.5", "$1,200.50 ", money, excelize.CellTypeUnset},
		{"B2", "46354", "2026-11-28", "yyyy-mm-dd", excelize.CellTypeUnset},
		{"C2", "0.604166666666666", "14:30:00", "hh:mm:ss", excelize.CellTypeUnset},
		{"D2", "7", "7", "", excelize.CellTypeUnset},
		{"E2", "2026-11-28", "2026-11-28", "", excelize.CellTypeInlineString}, // text in the input stays text
		{"B3", "not a date", "not a date", "", excelize.CellTypeInlineString},
	} {
		raw, err := book.GetCellValue(xlsxSheet, tc.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		shown, _ := book.GetCellValue(xlsxSheet, tc.cell)
		typ, _ := book.GetCellType(xlsxSheet, tc.cell)
		style, _ := book.GetCellStyle(xlsxSheet, tc.cell)
		format := ""
		if s, err := book.GetStyle(style); err == nil && s.CustomNumFmt != nil {
			format = *s.CustomNumFmt
		}
		if raw != tc.raw || shown != tc.shown || format != tc.format || typ != tc.typ {
			t.Errorf("%s: raw %q shown %q format %q type %v; want %q %q %q %v", tc.cell, raw, shown, format, typ, tc.raw, tc.shown, tc.format, tc.typ)
		}
	}
}
