package source

import (
	"archive/zip"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rawWorkbook writes a workbook whose sheet XML and shared strings are given
// as text, the way openpyxl writes them: numbers with t="n" and the value as
// Python's repr, text as shared strings. excelize's SetCellValue would format
// the numbers, which is not what other producers leave in a file.
func rawWorkbook(t *testing.T, shared []string, sheetData string) string {
	t.Helper()
	src := writeXLSX(t, "a.xlsx", func(f *excelize.File) { set(t, f, "Sheet1", map[string]any{"A1": "x"}) })
	var sst strings.Builder
	fmt.Fprintf(&sst, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(shared), len(shared))
	for _, s := range shared {
		fmt.Fprintf(&sst, "<si><t>%s</t></si>", s)
	}
	sst.WriteString("</sst>")
	return replaceParts(t, src, map[string]string{
		"xl/sharedStrings.xml":     sst.String(),
		"xl/worksheets/sheet1.xml": sheetXMLHead + sheetData + `</sheetData></worksheet>`,
	})
}

// TestXLSXNumbersAsExcelShowsThem reads one stored cell under a header and
// checks the text and the number flag the row gets.
func TestXLSXNumbersAsExcelShowsThem(t *testing.T) {
	shared := []string{"Value", "8661.120000000001", "1234567890123456", "1006"}
	tests := []struct {
		cell    string // the <c> element of B2
		want    string
		numeric bool
	}{
		// A price a formula left a digit off: Excel shows 8661.12.
		{`<c r="B2" t="n"><v>8661.120000000001</v></c>`, "8661.12", true},
		// A lead ID stored a hair above 141 is lead 141.
		{`<c r="B2" t="n"><v>141.00000000000003</v></c>`, "141", true},
		// A quantity stored a hair above 2 is 2; no t attribute means a number too.
		{`<c r="B2"><v>2.0000000000000004</v></c>`, "2", true},
		// The classic 0.1 + 0.2.
		{`<c r="B2" t="n"><v>0.30000000000000004</v></c>`, "0.3", true},
		// A small negative number with an exponent is written out.
		{`<c r="B2" t="n"><v>-2.5E-7</v></c>`, "-0.00000025", true},
		// An exponent on a whole number.
		{`<c r="B2" t="n"><v>1.006E+03</v></c>`, "1006", true},
		// A fraction that is exact is kept.
		{`<c r="B2" t="n"><v>1234.5</v></c>`, "1234.5", true},
		// An integer value is never rounded, even past 15 digits.
		{`<c r="B2" t="n"><v>1234567890123456789</v></c>`, "1234567890123456789", true},
		// A number Excel itself shortened keeps its exponent, so an ID is refused, not invented.
		{`<c r="B2" t="n"><v>1.23456789012346E+18</v></c>`, "1.23456789012346E+18", true},
		// A text cell that looks like a long fraction stays as written.
		{`<c r="B2" t="s"><v>1</v></c>`, "8661.120000000001", false},
		// A 16-digit text ID stays exact.
		{`<c r="B2" t="s"><v>2</v></c>`, "1234567890123456", false},
		// Text that is a whole number is still text.
		{`<c r="B2" t="s"><v>3</v></c>`, "1006", false},
		// An inline string is text.
		{`<c r="B2" t="inlineStr"><is><t>141.00000000000003</t></is></c>`, "141.00000000000003", false},
		// A formula's text result is text.
		{`<c r="B2" t="str"><f>"2.0000000000000004"</f><v>2.0000000000000004</v></c>`, "2.0000000000000004", false},
		// A formula's number result is a number.
		{`<c r="B2"><f>A2/3</f><v>0.33333333333333331</v></c>`, "0.333333333333333", true},
		// A boolean is not a number.
		{`<c r="B2" t="b"><v>1</v></c>`, "1", false},
		// A number cell with no value is empty, not a number.
		{`<c r="B2" t="n"></c>`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			path := rawWorkbook(t, shared,
				`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0</v></c></row>`+
					`<row r="2"><c r="A2" t="n"><v>7</v></c>`+tt.cell+`</row>`)
			rows := readAll(t, mustOpen(t, path, Options{}))
			if len(rows) != 1 {
				t.Fatalf("got %d rows, want 1", len(rows))
			}
			r := rows[0]
			if r.Cells[1] != tt.want || r.Numeric[1] != tt.numeric {
				t.Errorf("cell %q numeric %v, want %q numeric %v", r.Cells[1], r.Numeric[1], tt.want, tt.numeric)
			}
			if !r.Numeric[0] || r.Cells[0] != "7" {
				t.Errorf("A2 = %q numeric %v, want 7 as a number", r.Cells[0], r.Numeric[0])
			}
		})
	}
}

// TestXLSXNumericLayout checks that number flags line up with their cells
// when the sheet leaves out row and cell references, skips rows and cells,
// or closes a row on itself.
func TestXLSXNumericLayout(t *testing.T) {
	path := rawWorkbook(t, []string{"ID", "Note", "Price", "x"},
		`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>`+
			`<row><c><v>1006.0000000000001</v></c><c t="s"><v>3</v></c><c><v>9.9900000000000002</v></c></row>`+
			`<row r="4"/>`+
			`<!-- a comment with <row r="5"><c r="A5"><v>1</v></c></row> inside -->`+
			`<row r="6"><c r="C6" t="n"><v>5.0000000000000009</v></c></row>`+
			`<row r="8" spans="1:3"><c r="A8" t="s"><v>3</v></c><c r="B8"><v>3.3000000000000003</v></c></row>`)
	r := mustOpen(t, path, Options{})
	got := readAll(t, r)
	want := []Row{
		{Number: 2, Cells: []string{"1006", "x", "9.99"}, Numeric: []bool{true, false, true}},
		{Number: 6, Cells: []string{"", "", "5"}, Numeric: []bool{false, false, true}},
		{Number: 8, Cells: []string{"x", "3.3", ""}, Numeric: []bool{false, true, false}},
	}
	if !slices.EqualFunc(got, want, func(a, b Row) bool {
		return a.Number == b.Number && slices.Equal(a.Cells, b.Cells) && slices.Equal(a.Numeric, b.Numeric)
	}) {
		t.Errorf("rows\n%+v\nwant\n%+v", got, want)
	}
}

// TestXLSXDatesAreNotNumbers checks that a number in a date style becomes ISO
// text and is not flagged as a number.
func TestXLSXDatesAreNotNumbers(t *testing.T) {
	path := writeXLSX(t, "a.xlsx", func(f *excelize.File) {
		set(t, f, "Sheet1", map[string]any{"A1": "ID", "B1": "Closed", "A2": 1006, "B2": 45000})
		style(t, f, "Sheet1", "B2", &excelize.Style{NumFmt: 14})
	})
	rows := readAll(t, mustOpen(t, path, Options{}))
	if len(rows) != 1 || rows[0].Cells[1] != "2023-03-15" || rows[0].Numeric[1] || !rows[0].Numeric[0] {
		t.Errorf("rows %+v, want the date as text and the ID as a number", rows)
	}
}

// TestCSVHasNoNumericFlags checks that delimited text is never typed.
func TestCSVHasNoNumericFlags(t *testing.T) {
	path := writeFile(t, "a.csv", []byte("ID,Price\n1006,8661.120000000001\n"))
	rows := readAll(t, mustOpen(t, path, Options{}))
	if len(rows) != 1 || rows[0].Numeric != nil || rows[0].Cells[1] != "8661.120000000001" {
		t.Errorf("rows %+v, want the text as written and no flags", rows)
	}
}

// TestExcelNumber checks the rounding alone, including what a number cell
// cannot hold.
func TestExcelNumber(t *testing.T) {
	tests := []struct{ raw, want string }{
		// Integers as stored.
		{"42", "42"},
		// Negative zero reads as zero.
		{"-0.0", "0"},
		// Fifteen significant digits survive.
		{"123456789.123456", "123456789.123456"},
		// The sixteenth is rounded.
		{"123456789.1234567", "123456789.123457"},
		// 1e15 and up keep an exponent.
		{"1E+15", "1E+15"},
		// Just below 1e15 is written out.
		{"999999999999999.1", "999999999999999"},
		// Not a number after all: unchanged.
		{"1.2.3", "1.2.3"},
	}
	for _, tt := range tests {
		if got := excelNumber(tt.raw); got != tt.want {
			t.Errorf("excelNumber(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// TestXLSXSheetPartLocation checks that the number flags are found whichever
// way the workbook's relationships name the sheet part: openpyxl writes an
// absolute target, excelize a relative one, and a second sheet has its own.
func TestXLSXSheetPartLocation(t *testing.T) {
	const sheet2 = sheetXMLHead + `<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row>` +
		`<row r="2"><c r="A2" t="n"><v>141.00000000000003</v></c></row></sheetData></worksheet>`
	src := writeXLSX(t, "a.xlsx", func(f *excelize.File) {
		set(t, f, "Sheet1", map[string]any{"A1": "x"})
		if _, err := f.NewSheet("Leads"); err != nil {
			t.Fatal(err)
		}
		set(t, f, "Leads", map[string]any{"A1": "ID"})
	})
	absolute := replaceParts(t, src, map[string]string{"xl/worksheets/sheet2.xml": sheet2})
	rels := readPartText(t, absolute, "xl/_rels/workbook.xml.rels")
	absolute = replaceParts(t, absolute, map[string]string{"xl/_rels/workbook.xml.rels": strings.ReplaceAll(rels, `Target="worksheets/`, `Target="/xl/worksheets/`)})
	for name, path := range map[string]string{"relative": replaceParts(t, src, map[string]string{"xl/worksheets/sheet2.xml": sheet2}), "absolute": absolute} {
		t.Run(name, func(t *testing.T) {
			rows := readAll(t, mustOpen(t, path, Options{Sheet: "Leads"}))
			if len(rows) != 1 || rows[0].Cells[0] != "141" || !rows[0].Numeric[0] {
				t.Errorf("rows %+v, want lead 141 as a number", rows)
			}
		})
	}
}

// readPartText returns one part of a zip as text.
func readPartText(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	t.Fatalf("%s has no part %s", path, name)
	return ""
}
