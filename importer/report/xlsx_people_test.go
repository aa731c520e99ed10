package report

import (
	"archive/zip"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sheetXML returns the XML of the report's first worksheet as stored, which
// is what streaming readers (openpyxl's read-only mode, Power BI) parse.
func sheetXML(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// peopleRows has one row of each result, numbers from an XLSX input, and a
// long body that must not widen its column past the cap.
func peopleRows() []Row {
	long := strings.Repeat("x", 300)
	rows := []Row{
		{Number: 2, Cells: []string{"401", "Won", "1234.5"}, Numeric: []bool{true, false, true}, Result: Succeeded,
			HTTPStatus: 200, Attempts: 3, LeadID: "401-leads", Body: long, Note: "succeeded on attempt 3 after HTTP 429"},
		{Number: 3, Cells: []string{"402", "Lost", "12%"}, Numeric: []bool{true, false, true}, Result: Failed, HTTPStatus: 500, Attempts: 4, Error: "Nutshell answered HTTP 500"},
		{Number: 4, Cells: []string{"abc", "Wonn", "7"}, Result: Invalid, Error: `unknown outcome "Wonn"`},
		{Number: 5, Cells: []string{"404", "Won", ""}, Numeric: []bool{true}, Result: Skipped, Error: "already closed"},
		{Number: 6, Cells: []string{"405", "Won", ""}, Result: DryRun},
		{Number: 7, Cells: []string{"406", "Won", ""}, Result: NotSent, Error: "the run was stopped"},
	}
	return rows
}

func TestXLSXReportForPeople(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.xlsx")
	enc, err := NewXLSX(path, []string{"Lead", "Outcome", "Value"})
	if err != nil {
		t.Fatal(err)
	}
	rows := peopleRows()
	for _, r := range rows {
		if err := enc.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	sum := RunSummary{
		Input: "leads.xlsx", Started: time.Date(2026, 11, 24, 10, 15, 0, 0, time.UTC), Elapsed: 65 * time.Second, Rate: 4.25,
		Requests: 7, Reads: 4, Updates: 3,
		ServerLimits:   []string{"this server does not accept several IDs in one read: leads and maps read one at a time", "this server does not filter leads by number: lead numbers are found by search"},
		Counts:         []ResultCount{{Succeeded, 1}, {Failed, 1}, {Invalid, 1}},
		Reasons:        []Reason{{Result: Invalid, Kind: "unknown outcome", Reason: `unknown outcome "Wonn"`, Count: 1, Rows: []int{4}}},
		ColumnsNotSent: []string{"Value"},
		ResumeCommand:  "leadstatus import leads.xlsx --resume r.xlsx",
	}
	enc.(SummarySetter).SetSummary(sum)
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	lastCol, _ := excelize.ColumnNumberToName(3 + len(Columns()))
	table := "A1:" + lastCol + "7"

	// Streaming readers size the sheet by <dimension> and filter by <autoFilter>.
	xml := sheetXML(t, path)
	if got := regexp.MustCompile(`<dimension ref="([^"]*)"`).FindStringSubmatch(xml); got == nil || got[1] != table {
		t.Errorf("dimension = %v, want %s", got, table)
	}
	// excelize writes the filter's range with $ signs, as Excel accepts.
	if got := regexp.MustCompile(`<autoFilter ref="([^"]*)"`).FindStringSubmatch(xml); got == nil || strings.ReplaceAll(got[1], "$", "") != table {
		t.Errorf("autoFilter = %v, want %s", got, table)
	}
	// Excel refuses a file whose column widths are out of order.
	last := 0
	for _, c := range regexp.MustCompile(`<col min="(\d+)"`).FindAllStringSubmatch(xml, -1) {
		n, _ := strconv.Atoi(c[1])
		if n <= last {
			t.Fatalf("<col> for column %d after column %d; want the columns in order", n, last)
		}
		last = n
	}
	if n := strings.Count(xml, "<row "); n != 7 {
		t.Errorf("%d rows in the sheet, want 7", n)
	}

	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if got := book.GetSheetList(); !slices.Equal(got, []string{xlsxSheet, summarySheet}) {
		t.Fatalf("sheets = %q, want the report first, then the summary", got)
	}
	if got := book.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want the report", got)
	}
	if dim, err := book.GetSheetDimension(xlsxSheet); err != nil || dim != table {
		t.Errorf("GetSheetDimension = %q, %v; want %s", dim, err, table)
	}
	panes, err := book.GetPanes(xlsxSheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the header row frozen", panes)
	}

	// Widths fit the content, within the bounds.
	width := func(col string) float64 {
		w, err := book.GetColWidth(xlsxSheet, col)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	bodyCol, _ := excelize.ColumnNumberToName(3 + int(fieldBody) + 1)
	errorCol, _ := excelize.ColumnNumberToName(3 + int(fieldError) + 1)
	noteCol, _ := excelize.ColumnNumberToName(3 + int(fieldNote) + 1)
	for _, tt := range []struct {
		col      string
		min, max float64
	}{
		{"A", 8, 10}, // "Lead" and short IDs: Excel's default width
		{bodyCol, maxColumnWidth, maxColumnWidth + 1}, // 300 characters: capped
		{errorCol, 27, 30},                            // "Nutshell answered HTTP 500" and the header
		{noteCol, 38, 40},                             // "succeeded on attempt 3 after HTTP 429"
	} {
		if w := width(tt.col); w < tt.min || w > tt.max {
			t.Errorf("column %s is %.1f wide, want %.0f to %.0f", tt.col, w, tt.min, tt.max)
		}
	}

	// import_result cells are coloured by result; the header is bold.
	resultCol, _ := excelize.ColumnNumberToName(3 + int(fieldResult) + 1)
	fills := map[string]bool{}
	for i, r := range rows {
		cell := resultCol + string(rune('2'+i))
		id, err := book.GetCellStyle(xlsxSheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := book.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := resultColours(r.Result)
		if len(style.Fill.Color) != 1 || !strings.EqualFold(style.Fill.Color[0], want) {
			t.Errorf("%s (%s) fill = %v, want %s", cell, r.Result, style.Fill.Color, want)
		}
		fills[want] = true
	}
	if len(fills) != len(Results()) {
		t.Errorf("%d distinct colours for %d results", len(fills), len(Results()))
	}
	if id, _ := book.GetCellStyle(xlsxSheet, "A1"); id == 0 {
		t.Error("header has no style")
	} else if style, _ := book.GetStyle(id); style.Font == nil || !style.Font.Bold {
		t.Error("header is not bold")
	}

	// Numbers of an XLSX input stay numbers; anything else stays text.
	for _, tt := range []struct {
		cell, want string
		number     bool
	}{
		{"A2", "401", true},    // a number in the input
		{"C2", "1234.5", true}, // a decimal number
		{"B2", "Won", false},   // text
		{"C3", "12%", false},   // flagged numeric but not a plain number: kept as shown
		{"A4", "abc", false},   // no flags: text
		{"C4", "7", false},     // a CSV input's digits stay text
	} {
		got, err := book.GetCellValue(xlsxSheet, tt.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		typ, err := book.GetCellType(xlsxSheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		isNumber := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
		if got != tt.want || isNumber != tt.number {
			t.Errorf("%s = %q (type %v), want %q (number %v)", tt.cell, got, typ, tt.want, tt.number)
		}
	}

	// The Summary sheet: the run, the counts, the reasons, the resume command.
	summary, err := book.GetRows(summarySheet)
	if err != nil {
		t.Fatal(err)
	}
	text := make([]string, len(summary))
	for i, r := range summary {
		text[i] = strings.Join(r, "|")
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{
		"Input|leads.xlsx",
		"Started|2026-11-24 10:15:00 UTC",
		"Elapsed|1m5s",
		"Mode|sent to Nutshell",
		"Final rate (requests/s)|4.3",
		"Requests|7", "  reads|4", "  updates|3",
		"Server limits learnt|this server does not accept several IDs in one read: leads and maps read one at a time",
		"|this server does not filter leads by number: lead numbers are found by search",
		"Columns not sent|Value",
		"succeeded|1", "failed|1", "invalid|1", "total|3",
		`invalid|1|unknown outcome|unknown outcome "Wonn"|4`,
		"leadstatus import leads.xlsx --resume r.xlsx",
	} {
		if !slices.Contains(text, want) {
			t.Errorf("Summary sheet lacks the row %q:\n%s", want, all)
		}
	}

	// Undo and --resume read the report sheet, not the summary.
	p, err := ReadPrevious(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.LastRow() != rows[len(rows)-1].Number || !p.Succeeded(2, "401-leads") {
		t.Errorf("ReadPrevious: last row %d, row 2 succeeded %v", p.LastRow(), p.Succeeded(2, "401-leads"))
	}
}

func TestXLSXEmptyReport(t *testing.T) {
	// A run that wrote no rows still leaves a valid, filterable header.
	path := writeReport(t, "r.xlsx", []string{"Lead"}, nil)
	lastCol, _ := excelize.ColumnNumberToName(1 + len(Columns()))
	xml := sheetXML(t, path)
	if !strings.Contains(xml, `<dimension ref="A1:`+lastCol+`1"`) {
		t.Errorf("dimension of a header-only report is not A1:%s1:\n%.300s", lastCol, xml)
	}
}
