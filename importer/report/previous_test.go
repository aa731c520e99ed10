package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// previousRows covers each way a row can count as done or not. The last row
// has a cell with a line break, so a cut can fall inside a quoted CSV cell.
func previousRows() []Row {
	return []Row{
		{Number: 2, Cells: []string{"a"}, Result: Succeeded, LeadID: "1006-leads"},
		{Number: 3, Cells: []string{"b"}, Result: Failed, LeadID: "7-leads"},
		{Number: 4, Cells: []string{"c"}, Result: Skipped, Error: SucceededEarlier, LeadID: "8-leads"},
		{Number: 5, Cells: []string{"d"}, Result: Skipped, Error: "the same lead appears on row 4", LeadID: "9-leads"},
		{Number: 6, Cells: []string{"e"}, Result: Succeeded, LeadID: "-6-leads"},
		{Number: 7, Cells: []string{"f"}, Result: Succeeded, Error: "line one\nline two", LeadID: "10-leads"},
	}
}

// lookup is one Succeeded question and its answer.
type lookup struct {
	row  int
	lead string
	want bool
}

// allLookups are the answers for the whole of previousRows; cut drops row 7.
func allLookups(cut bool) []lookup {
	return []lookup{
		{2, "1006-leads", true},  // succeeded
		{2, "1007-leads", false}, // succeeded, but for another lead
		{3, "7-leads", false},    // failed
		{4, "8-leads", true},     // skipped because it succeeded earlier
		{5, "9-leads", false},    // skipped for another reason
		{6, "-6-leads", true},    // a lead ID the CSV had to neutralise
		{7, "10-leads", !cut},    // the last row, lost when the file is cut
		{8, "11-leads", false},   // not in the report
	}
}

// checkPrevious checks the last complete row p read and its answers.
func checkPrevious(t *testing.T, p *Previous, lastRow int, lookups []lookup) {
	t.Helper()
	if got := p.LastRow(); got != lastRow {
		t.Errorf("LastRow = %d, want %d", got, lastRow)
	}
	for _, l := range lookups {
		if got := p.Succeeded(l.row, l.lead); got != l.want {
			t.Errorf("Succeeded(%d, %q) = %v, want %v", l.row, l.lead, got, l.want)
		}
	}
}

func TestReadPreviousCuts(t *testing.T) {
	tests := []struct {
		name string
		file string
		cut  func(data string) string // what a killed run leaves
		rows int
	}{
		// CSV written to the end.
		{"csv complete", "r.csv", func(d string) string { return d }, 6},
		// CSV cut in the middle of the last line.
		{"csv mid-line", "r.csv", func(d string) string { return d[:strings.LastIndex(d, "7,succ")+4] }, 5},
		// CSV cut inside the quoted cell, just after its line break.
		{"csv inside quoted cell", "r.csv", func(d string) string { return d[:strings.Index(d, "line two")] }, 5},
		// CSV whose last line lacks only its newline: still incomplete.
		{"csv no final newline", "r.csv", func(d string) string { return strings.TrimSuffix(d, "\n") }, 5},
		// JSONL written to the end.
		{"jsonl complete", "r.jsonl", func(d string) string { return d }, 6},
		// JSONL cut in the middle of the last line.
		{"jsonl mid-line", "r.jsonl", func(d string) string { return d[:strings.LastIndex(d, `"import_result"`)] }, 5},
		// JSONL whose last line lacks only its newline.
		{"jsonl no final newline", "r.jsonl", func(d string) string { return strings.TrimSuffix(d, "\n") }, 5},
		// XLSX, written whole.
		{"xlsx", "r.xlsx", func(d string) string { return d }, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeReport(t, tt.file, []string{"Lead"}, previousRows())
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.cut(string(data))), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := ReadPrevious(path)
			if err != nil {
				t.Fatal(err)
			}
			checkPrevious(t, p, tt.rows+1, allLookups(tt.rows < 6)) // rows are numbered from 2
		})
	}
}

func TestPreviousMayHaveApplied(t *testing.T) {
	tests := []struct {
		row  Row
		want bool
	}{
		{Row{Number: 2, Result: Failed, Attempts: 1}, true},                      // no answer (timeout, dropped connection)
		{Row{Number: 3, Result: Failed, Attempts: 2, HTTPStatus: 504}, true},     // gateway timeout
		{Row{Number: 4, Result: Failed, Attempts: 3, HTTPStatus: 500}, true},     // server error
		{Row{Number: 5, Result: Failed, Attempts: 1, HTTPStatus: 422}, false},    // rejected: not applied
		{Row{Number: 6, Result: Failed, Attempts: 4, HTTPStatus: 429}, false},    // rate limited: not applied
		{Row{Number: 7, Result: Failed}, false},                                  // failed before any request
		{Row{Number: 8, Result: NotSent}, false},                                 // never sent
		{Row{Number: 9, Result: Succeeded, Attempts: 1, HTTPStatus: 200}, false}, // succeeded is not uncertain
		{Row{Number: 10, Result: Invalid}, false},                                // invalid rows are never sent
	}
	rows := make([]Row, len(tests))
	for i, tt := range tests {
		rows[i] = tt.row
		rows[i].Cells = []string{"x"}
	}
	for _, file := range []string{"r.csv", "r.jsonl", "r.xlsx"} {
		t.Run(file, func(t *testing.T) {
			p, err := ReadPrevious(writeReport(t, file, []string{"Lead"}, rows))
			if err != nil {
				t.Fatal(err)
			}
			for _, tt := range tests {
				if got := p.MayHaveApplied(tt.row.Number); got != tt.want {
					t.Errorf("MayHaveApplied(%d) for %+v = %v, want %v", tt.row.Number, tt.row, got, tt.want)
				}
			}
			if p.LastRow() != 10 {
				t.Errorf("LastRow = %d, want 10", p.LastRow())
			}
		})
	}
}

func TestPreviousNil(t *testing.T) {
	// A run without --resume may hold a nil *Previous.
	var p *Previous
	if p.Succeeded(2, "1-leads") || p.MayHaveApplied(2) || p.LastRow() != 0 {
		t.Error("a nil *Previous claims to know rows")
	}
}

func TestReadPreviousReportOfReport(t *testing.T) {
	// The input was itself a report: its import_* columns are carried as input
	// and must not be mistaken for this report's own.
	columns := append([]string{"Lead"}, Columns()...)
	carried := []string{"a", "2", string(Succeeded), "", "", "", "", "", "", "1006-leads", ""}
	path := writeReport(t, "r.csv", columns, []Row{
		{Number: 2, Cells: carried, Result: Failed, LeadID: "1006-leads"},
		{Number: 3, Cells: carried, Result: Succeeded, LeadID: "2000-leads"},
	})
	p, err := ReadPrevious(path)
	if err != nil {
		t.Fatal(err)
	}
	checkPrevious(t, p, 3, []lookup{
		{2, "1006-leads", false}, // this run failed, whatever the carried cells say
		{3, "2000-leads", true},  // this run succeeded
	})
}

func TestReadPreviousEditedCSV(t *testing.T) {
	// Rows out of order, a row number a spreadsheet saved as "3.0", and no
	// import_attempts column.
	path := writeFile(t, "r.csv", "import_row,import_result,import_lead_id,import_error\n"+
		"5,succeeded, 5-leads ,\n"+
		"7,failed,7-leads,\n"+
		"3.0,succeeded,3-leads,\n"+
		"6,failed,6-leads,\n"+
		"4,skipped,4-leads,"+SucceededEarlier+"\n")
	p, err := ReadPrevious(path)
	if err != nil {
		t.Fatal(err)
	}
	if !p.MayHaveApplied(6) || !p.MayHaveApplied(7) {
		t.Errorf("without import_attempts failed rows must count as uncertain: 6 %v, 7 %v", p.MayHaveApplied(6), p.MayHaveApplied(7))
	}
	checkPrevious(t, p, 7, []lookup{
		{3, "3-leads", true},  // "3.0" read as row 3
		{4, "4-leads", true},  // skipped as succeeded earlier
		{5, "5-leads", true},  // spaces around the ID ignored
		{5, "3-leads", false}, // IDs stay with their rows after sorting
	})
}

func TestReadPreviousRejects(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		data    string
		notRep  bool // *NotReportError, else *CorruptError
		line    int  // expected CorruptError line
		message string
	}{
		// An input file, not a report.
		{"csv input file", "leads.csv", "Lead,Status\n1006,won\n", true, 0, "no import_row column"},
		// A report header missing a needed column.
		{"csv without result", "r.csv", "import_row,import_lead_id\n2,1-leads\n", true, 0, "no import_result column"},
		// An empty file.
		{"csv empty", "r.csv", "", true, 0, "no complete header line"},
		// A damaged row with complete lines after it.
		{"csv bad row number", "r.csv", "import_row,import_result,import_lead_id\n2,failed,1-leads\nabc,failed,2-leads\n4,failed,3-leads\n", false, 3, `"abc"`},
		// A line with a stray quote in the middle of the file.
		{"csv bad quoting", "r.csv", "import_row,import_result,import_lead_id\n2,fai\"led,1-leads\n3,failed,2-leads\n", false, 2, "line 2"},
		// JSON that is not a report.
		{"jsonl other", "r.jsonl", `{"name":"x"}` + "\n", true, 0, "first line"},
		// A JSON array rather than lines.
		{"jsonl array", "r.jsonl", "[\n{}\n]\n", true, 0, "first line"},
		// An empty JSONL file.
		{"jsonl empty", "r.jsonl", "", true, 0, "empty"},
		// A damaged line with complete lines after it.
		{"jsonl bad line", "r.jsonl", `{"import_row":2,"import_result":"failed","import_lead_id":""}` + "\n{oops\n" +
			`{"import_row":3,"import_result":"failed","import_lead_id":""}` + "\n", false, 2, "line 2"},
		// An XLSX left by an interrupted run is not a zip.
		{"xlsx interrupted", "r.xlsx", "", false, 0, "complete only when its run ended"},
		// An unknown extension.
		{"other extension", "r.txt", "import_row\n", false, 0, ".csv, .xlsx or .jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPrevious(writeFile(t, tt.file, tt.data))
			if err == nil {
				t.Fatal("ReadPrevious succeeded, want an error")
			}
			var notRep *NotReportError
			var corrupt *CorruptError
			var format *FormatError
			switch {
			case tt.notRep:
				if !errors.As(err, &notRep) {
					t.Fatalf("error %v, want a *NotReportError", err)
				}
			case strings.HasSuffix(tt.file, ".txt"):
				if !errors.As(err, &format) {
					t.Fatalf("error %v, want a *FormatError", err)
				}
			default:
				if !errors.As(err, &corrupt) || corrupt.Line != tt.line {
					t.Fatalf("error %v, want a *CorruptError at line %d", err, tt.line)
				}
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not mention %q", err, tt.message)
			}
		})
	}
}

func TestReadPreviousXLSXNotReport(t *testing.T) {
	book := excelize.NewFile()
	defer book.Close()
	if err := book.SetSheetRow("Sheet1", "A1", &[]any{"Lead", "Status"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "leads.xlsx")
	if err := book.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	var notRep *NotReportError
	if _, err := ReadPrevious(path); !errors.As(err, &notRep) {
		t.Fatalf("ReadPrevious = %v, want a *NotReportError", err)
	}
}
