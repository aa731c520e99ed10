package source

import (
	"errors"
	"slices"
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
