package source

import (
	"archive/zip"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// namesLead stands in for the mapping's rule: a row naming "Lead ID".
func namesLead(cells []string) bool { return slices.Contains(cells, "Lead ID") }

func headerOpts(row int) Options {
	return Options{HeaderRow: row, IsHeader: namesLead, HeaderWant: "a lead column", HeaderFix: "name the lead column"}
}

// titledCSV is an Excel-style export: BOM, CRLF, a title, a date and a blank row above the header.
const titledCSV = "\ufeffQ4 2026 close-out — West region\r\nGenerated 2026-12-01\r\n\r\nLead ID,Outcome\r\n1001,Won\r\n1002,Lost\r\n"

func titledXLSX(t testing.TB) string {
	return writeXLSX(t, "titled.xlsx", func(f *excelize.File) {
		set(t, f, "Sheet1", map[string]any{
			"A1": "Q4 2026 close-out — West region", "A2": "Generated 2026-12-01",
			"A4": "Lead ID", "B4": "Outcome", "A5": 1001, "B5": "Won", "A6": 1002, "B6": "Lost",
		})
		if err := f.MergeCell("Sheet1", "A1", "B1"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestHeaderFound(t *testing.T) {
	for _, tc := range []struct {
		name string
		path func(t *testing.T) string
	}{
		{"csv", func(t *testing.T) string { return writeFile(t, "titled.csv", []byte(titledCSV)) }},
		{"xlsx", func(t *testing.T) string { return titledXLSX(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			for _, opts := range []Options{headerOpts(0), headerOpts(4)} {
				r := mustOpen(t, path, opts)
				if got := r.Header(); !slices.Equal(got, []string{"Lead ID", "Outcome"}) || r.HeaderRow() != 4 {
					t.Fatalf("header %q on row %d, want Lead ID, Outcome on row 4", got, r.HeaderRow())
				}
				want := "header on row 4; rows 1–3 skipped: 'Q4 2026 close-out — West region', 'Generated 2026-12-01'"
				if w := strings.Join(r.Warnings(), "\n"); !strings.Contains(w, want) {
					t.Errorf("warnings %q, want %q", w, want)
				}
				rows := readAll(t, r)
				if !equalRows(rows, []Row{row(5, "1001", "Won"), row(6, "1002", "Lost")}) {
					t.Errorf("rows %v: want the sheet's row numbers 5 and 6", rows)
				}
			}
		})
	}
}

func TestHeaderNotFound(t *testing.T) {
	csv := writeFile(t, "t.csv", []byte("Weekly report\r\nID,Outcome\r\n1001,Won\r\n"))
	_, err := Open(csv, headerOpts(0))
	fe := asFileError(t, err)
	if !errors.Is(err, ErrNoHeader) {
		t.Fatalf("error %v is not ErrNoHeader", err)
	}
	for _, want := range []string{`row 1: "Weekly report"`, `row 2: "ID", "Outcome"`, "name the lead column", "--header-row N", "header_row: N"} {
		if !strings.Contains(fe.Error(), want) {
			t.Errorf("message %q lacks %q", fe.Error(), want)
		}
	}

	// Only the first MaxHeaderSearch non-blank rows are searched.
	var b strings.Builder
	for range MaxHeaderSearch {
		b.WriteString("note\r\n")
	}
	b.WriteString("Lead ID,Outcome\r\n1001,Won\r\n")
	_, err = Open(writeFile(t, "deep.csv", []byte(b.String())), headerOpts(0))
	if !errors.Is(err, ErrNoHeader) || !strings.Contains(err.Error(), "none of the first 20 rows") {
		t.Errorf("a header on row 21 gave %v, want the first 20 rows listed", err)
	}
	// --header-row reaches it.
	r := mustOpen(t, writeFile(t, "deep.csv", []byte(b.String())), headerOpts(MaxHeaderSearch+1))
	if r.HeaderRow() != 21 {
		t.Errorf("header row %d, want 21", r.HeaderRow())
	}
}

func TestHeaderRowErrors(t *testing.T) {
	path := writeFile(t, "t.csv", []byte(titledCSV))
	for _, tc := range []struct {
		row  int
		want string
	}{
		{3, "row 3, named by --header-row, is blank (the next row with cells is row 4)"},
		{9, "--header-row 9 is past the last row (6)"},
	} {
		_, err := Open(path, headerOpts(tc.row))
		if !errors.Is(err, ErrNoHeader) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--header-row %d: %v, want %q", tc.row, err, tc.want)
		}
	}
	// Without a rule the first non-blank row is the header, as before.
	r := mustOpen(t, path, Options{})
	if r.HeaderRow() != 1 || len(r.Warnings()) != 0 {
		t.Errorf("no rule: header on row %d with warnings %q, want row 1 and none", r.HeaderRow(), r.Warnings())
	}
}

func TestSheetOnText(t *testing.T) {
	_, err := Open(writeFile(t, "t.csv", []byte(titledCSV)), Options{Sheet: "Deals"})
	if !errors.Is(err, ErrNotWorkbook) || strings.Contains(err.Error(), "\n") {
		t.Errorf("--sheet on a CSV: %v, want one line and ErrNotWorkbook", err)
	}
}

// TestMergedCells: a lead ID merged down over its two product rows, as
// people lay out a lead with several products, is that row's lead in both;
// a title merged across columns stays one cell.
func TestMergedCells(t *testing.T) {
	path := writeXLSX(t, "merged.xlsx", func(f *excelize.File) {
		set(t, f, "Sheet1", map[string]any{
			"A1": "Deals to close", "A2": "Lead ID", "B2": "Outcome", "C2": "Product",
			"A3": 1001, "B3": "Won", "C3": "Widget", "C4": "Gadget",
			"A5": 1002, "A7": 1003, "B7": "Won",
		})
		for _, m := range [][2]string{{"A1", "C1"}, {"A3", "A4"}, {"B3", "B4"}, {"A5", "B6"}} {
			if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	})
	r := mustOpen(t, path, headerOpts(0))
	if r.HeaderRow() != 2 {
		t.Fatalf("header on row %d, want 2", r.HeaderRow())
	}
	rows := readAll(t, r)
	want := []Row{
		row(3, "1001", "Won", "Widget"),
		row(4, "1001", "Won", "Gadget"),
		row(5, "1002", "", ""), // excelize, like Excel, clears B5 under A5:B6
		row(6, "1002", "", ""), // A5:B6 fills column A only
		row(7, "1003", "Won", ""),
	}
	if !equalRows(rows, want) {
		t.Errorf("rows\n%v\nwant\n%v", rows, want)
	}
	if !rows[1].Numeric[0] {
		t.Error("the merged lead ID on row 4 lost its number flag")
	}
}

// TestMergeScan reads merge lists written the ways tools write them:
// prefixed, split across the reader's window, and next to the word in text.
func TestMergeScan(t *testing.T) {
	for _, tc := range []struct {
		name, tail string
		want       []vmerge
	}{
		{"plain", `<mergeCells count="2"><mergeCell ref="A2:A3"/><mergeCell ref="B1:D1"/></mergeCells>`, []vmerge{{1, 2, 3}}},
		{"prefixed", `<x:mergeCells><x:mergeCell ref="$C$10:$C$12"/></x:mergeCells>`, []vmerge{{3, 10, 12}}},
		{"text", `<mergeCells><mergeCell  ref='AB7:AC9' /></mergeCells>`, []vmerge{{28, 7, 9}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(sheetXMLHead)
			// Enough rows to cross the scan window, and the word itself in a cell.
			for i := 1; i <= 12000; i++ {
				b.WriteString(`<row r="` + itoa(i) + `"><c r="A` + itoa(i) + `" t="inlineStr"><is><t>mergeCell ref="Z1:Z9"</t></is></c></row>`)
			}
			b.WriteString(`</sheetData>` + tc.tail + `</worksheet>`)
			src := writeXLSX(t, "m.xlsx", func(f *excelize.File) { set(t, f, "Sheet1", map[string]any{"A1": "x"}) })
			path := replaceParts(t, src, map[string]string{"xl/worksheets/sheet1.xml": b.String()})
			zr, closeZip := openZip(t, path)
			defer closeZip()
			m, err := scanMerges(zr, "Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.list, tc.want) {
				t.Errorf("merges %v, want %v", m.list, tc.want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func openZip(t testing.TB, path string) (*zip.Reader, func()) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	return &zr.Reader, func() { zr.Close() }
}

// TestNumberFormats: a row gives each number or date cell's format, so a
// report can keep a "$" price and a date as they were.
func TestNumberFormats(t *testing.T) {
	custom := "#,##0.00 [$EUR]"
	path := writeXLSX(t, "formats.xlsx", func(f *excelize.File) {
		set(t, f, "Sheet1", map[string]any{
			"A1": "Lead ID", "B1": "Price", "C1": "Closed", "D1": "Net", "E1": "Note",
			"A2": 1001, "B2": 1200.5, "C2": 46354, "D2": 99.5, "E2": "x",
			"A3": 1002, "E3": "no formats here",
		})
		style(t, f, "Sheet1", "B2", &excelize.Style{NumFmt: 44}) // accounting, with "$"
		style(t, f, "Sheet1", "C2", &excelize.Style{NumFmt: 14})
		style(t, f, "Sheet1", "D2", &excelize.Style{CustomNumFmt: &custom})
	})
	r := mustOpen(t, path, Options{})
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", `_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`, "mm-dd-yy", custom, ""}
	if !slices.Equal(row.Cells, []string{"1001", "1200.5", "2026-11-28", "99.5", "x"}) || !slices.Equal(row.Formats, want) {
		t.Errorf("row 2: cells %q formats %q, want formats %q", row.Cells, row.Formats, want)
	}
	if row, err = r.Next(); err != nil || row.Formats != nil {
		t.Errorf("row 3: formats %q (%v), want nil for a row without formats", row.Formats, err)
	}
}
