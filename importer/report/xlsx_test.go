package report

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

func TestXLSXReadBack(t *testing.T) {
	long := strings.Repeat("é", maxCellChars+100)
	rows := []Row{
		{Number: 2, Cells: []string{`=HYPERLINK("http://x","click")`, "+1+1"}, Result: Failed, HTTPStatus: 422, Attempts: 2,
			Error: "@SUM(A1)", Body: "-2+3", LeadID: "1006-leads"},
		{Number: 3, Cells: []string{"\t=1", long}, Result: Invalid},
	}
	path := filepath.Join(t.TempDir(), "r.xlsx")
	enc, err := NewXLSX(path, []string{"Lead", "=Status"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := enc.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}

	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if got := book.GetSheetList(); len(got) != 1 || got[0] != xlsxSheet {
		t.Fatalf("sheets = %q, want [%q]", got, xlsxSheet)
	}
	tests := []struct {
		cell   string
		want   string
		number bool // a typed number, not text
	}{
		{"A1", "Lead", false},                           // input header
		{"B1", "=Status", false},                        // a header that looks like a formula stays text
		{"C1", "import_row", false},                     // first import_* column
		{"A2", `=HYPERLINK("http://x","click")`, false}, // literal formula text, no quote added
		{"B2", "+1+1", false},                           // literal text
		{"C2", "2", true},                               // import_row as a number
		{"E2", "422", true},                             // import_http_status as a number
		{"F2", "@SUM(A1)", false},                       // import_error text
		{"G2", "2", true},                               // import_attempts as a number
		{"J2", "-2+3", false},                           // import_body text
		{"K2", "1006-leads", false},                     // import_lead_id
		{"A3", "\t=1", false},                           // leading tab kept
		{"E3", "", false},                               // 0 status left empty
		{"G3", "", false},                               // 0 attempts left empty
	}
	for _, tt := range tests {
		got, err := book.GetCellValue(xlsxSheet, tt.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s = %q, want %q", tt.cell, got, tt.want)
		}
		formula, err := book.GetCellFormula(xlsxSheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if formula != "" {
			t.Errorf("%s has formula %q, want none", tt.cell, formula)
		}
		typ, err := book.GetCellType(xlsxSheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case tt.want == "":
		case tt.number && typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber:
			t.Errorf("%s has type %v, want a number", tt.cell, typ)
		case !tt.number && typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString:
			t.Errorf("%s has type %v, want a string", tt.cell, typ)
		}
	}

	got, err := book.GetCellValue(xlsxSheet, "B3")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(utf16.Encode([]rune(got))); n > maxCellChars || !strings.HasSuffix(got, truncatedMarker) {
		t.Errorf("long cell: %d UTF-16 units ending %q; want at most %d ending with the marker", n, got[len(got)-20:], maxCellChars)
	}

	styleID, err := book.GetCellStyle(xlsxSheet, "A1")
	if err != nil {
		t.Fatal(err)
	}
	style, err := book.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if style.Font == nil || !style.Font.Bold {
		t.Error("header is not bold")
	}
	panes, err := book.GetPanes(xlsxSheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, want the header row frozen", panes)
	}
}

func TestFitCell(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		truncated bool
	}{
		{"short", "abc", false},                                          // untouched
		{"at limit", strings.Repeat("a", maxCellChars), false},           // exactly the limit fits
		{"over limit", strings.Repeat("a", maxCellChars+1), true},        // one over is cut
		{"multibyte under", strings.Repeat("é", maxCellChars), false},    // many bytes, few units
		{"surrogate pairs", strings.Repeat("😀", maxCellChars/2+1), true}, // two units each
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fitCell(tt.in)
			if n := utf16Len(got); n > maxCellChars {
				t.Errorf("%d UTF-16 units, over the limit", n)
			}
			if cut := got != tt.in; cut != tt.truncated {
				t.Errorf("truncated = %v, want %v", cut, tt.truncated)
			}
			if tt.truncated && !strings.HasSuffix(got, truncatedMarker) {
				t.Error("cut text lacks the marker")
			}
		})
	}
}
