package report

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/xuri/excelize/v2"
)

// readAll reads a report through OpenRows.
func readAll(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	r, err := OpenRows(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return r.Header(), rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, append([]string(nil), row.Cells...))
	}
}

func TestOpenRowsEveryFormat(t *testing.T) {
	rows := append(sampleRows(), Row{Number: 4, Cells: []string{"=2+2", "won"}, Result: Succeeded, HTTPStatus: 200, Attempts: 3,
		LeadID: "5-leads", Note: "succeeded on attempt 3 after HTTP 429"})
	wantHeader := append([]string{"Lead", "Status"}, Columns()...)
	for _, name := range []string{"r.csv", "r.xlsx", "r.jsonl"} {
		t.Run(name, func(t *testing.T) {
			header, got := readAll(t, writeReport(t, name, []string{"Lead", "Status"}, rows))
			if !reflect.DeepEqual(header, wantHeader) {
				t.Errorf("header = %q, want %q", header, wantHeader)
			}
			if len(got) != len(rows) {
				t.Fatalf("%d rows, want %d", len(got), len(rows))
			}
			col := func(name string) int { return indexOf(header, name) }
			for i, r := range rows {
				cells := got[i]
				lead := strings.TrimPrefix(cells[0], "'") // a CSV report neutralises formulas
				if lead != r.Cells[0] || cells[col("import_result")] != string(r.Result) ||
					cells[col("import_lead_id")] != r.LeadID || cells[col("import_note")] != r.Note {
					t.Errorf("row %d = %q, want the cells of %+v", i, cells, r)
				}
			}
			if got[0][col("import_http_status")] != "200" || got[1][col("import_http_status")] != "" {
				t.Errorf("HTTP status read as %q and %q, want 200 and empty", got[0][col("import_http_status")], got[1][col("import_http_status")])
			}
		})
	}
}

func TestOpenRowsJSONLWithoutNote(t *testing.T) {
	// A report written before import_note existed, with its keys in another
	// order and a line cut off at the end.
	path := writeFile(t, "old.jsonl",
		`{"import_result":"succeeded","input":{"Lead":"1-leads"},"import_row":2,"import_lead_id":"1-leads","import_status_before":"open"}`+"\n"+
			`{"input":{"Lead":"2-leads"},"import_row":3,"import_result":"failed","import_lead_id":"2-leads","import_status_before":null}`+"\n"+
			`{"input":{"Lead":"3-le`)
	header, rows := readAll(t, path)
	wantHeader := []string{"Lead", "import_result", "import_row", "import_lead_id", "import_status_before"}
	if !reflect.DeepEqual(header, wantHeader) {
		t.Errorf("header = %q, want %q", header, wantHeader)
	}
	want := [][]string{{"1-leads", "succeeded", "2", "1-leads", "open"}, {"2-leads", "failed", "3", "2-leads", ""}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows = %q, want %q", rows, want)
	}
}

func TestOpenRowsRejects(t *testing.T) {
	tests := []struct {
		name, file, data string
		notRep           bool // *NotReportError, else *CorruptError from Next
	}{
		// An input file, not a report.
		{"csv input", "leads.csv", "Lead,Status\n1-leads,won\n", true},
		// JSON lines that are not a report.
		{"jsonl other", "r.jsonl", `{"name":"x"}` + "\n", true},
		// Only a cut-off line.
		{"jsonl cut", "r.jsonl", `{"import_row":2`, true},
		// A damaged line after a good one.
		{"jsonl damaged", "r.jsonl", `{"import_row":2,"import_result":"failed","import_lead_id":""}` + "\n{oops\n" +
			`{"import_row":3,"import_result":"failed","import_lead_id":""}` + "\n", false},
		// A line whose cell is an object.
		{"jsonl nested", "r.jsonl", `{"import_row":2,"import_result":"failed","import_lead_id":""}` + "\n" +
			`{"import_row":3,"import_result":{"x":1},"import_lead_id":""}` + "\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := OpenRows(writeFile(t, tt.file, tt.data), source.Options{})
			var notRep *NotReportError
			if tt.notRep {
				if !errors.As(err, &notRep) {
					t.Fatalf("OpenRows = %v, want a *NotReportError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if _, err := r.Next(); err != nil {
				t.Fatalf("first row: %v", err)
			}
			var corrupt *CorruptError
			if _, err := r.Next(); !errors.As(err, &corrupt) || corrupt.Line != 2 {
				t.Fatalf("second row: %v, want a *CorruptError at line 2", err)
			}
		})
	}
}

func TestReadPreviousWithoutNote(t *testing.T) {
	// Reports written before import_note existed still resume.
	csvOld := func(path string) {
		data, _ := os.ReadFile(path)
		lines := strings.SplitAfter(string(data), "\n")
		for i, l := range lines {
			if j := strings.LastIndexByte(l, ','); j >= 0 {
				lines[i] = l[:j] + "\n"
			}
		}
		os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644)
	}
	jsonlOld := func(path string) {
		data, _ := os.ReadFile(path)
		os.WriteFile(path, []byte(strings.ReplaceAll(string(data), `,"import_note":""`, "")), 0o644)
	}
	xlsxOld := func(path string) {
		book, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		note, _ := excelize.ColumnNumberToName(1 + len(Columns())) // after Lead
		if err := book.RemoveCol(xlsxSheet, note); err != nil {
			t.Fatal(err)
		}
		if err := book.Save(); err != nil {
			t.Fatal(err)
		}
	}
	for name, old := range map[string]func(string){"r.csv": csvOld, "r.jsonl": jsonlOld, "r.xlsx": xlsxOld} {
		t.Run(name, func(t *testing.T) {
			path := writeReport(t, name, []string{"Lead"}, previousRows()[:5])
			old(path)
			header, _ := readAll(t, path)
			if indexOf(header, "import_note") >= 0 || indexOf(header, "import_status_before") < 0 {
				t.Fatalf("header %q: the old-report fixture is wrong", header)
			}
			p, err := ReadPrevious(path)
			if err != nil {
				t.Fatal(err)
			}
			checkPrevious(t, p, 6, allLookups(true)[:7]) // rows 2 to 6
		})
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
