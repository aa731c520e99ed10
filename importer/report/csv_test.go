package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
)

// header is the CSV header line for input columns Lead and Status.
const csvHeader = "\ufeffLead,Status,import_row,import_result,import_http_status,import_error,import_attempts," +
	"import_request_id,import_lead_status,import_body,import_lead_id,import_status_before,import_product_maps,import_note\n"

func TestCSVOutput(t *testing.T) {
	tests := []struct {
		name    string
		columns []string
		rows    []Row
		want    string
	}{
		// The header alone: BOM, input columns, then the import_* columns.
		{"header only", []string{"Lead", "Status"}, nil, csvHeader},
		// A success and an invalid row: numbers as digits, 0 as empty, quoting as RFC 4180.
		{"two rows", []string{"Lead", "Status"}, sampleRows(), csvHeader +
			`1006-leads,won,2,succeeded,200,,1,req-1,won,"{""status"":""won""}",1006-leads,open,,` + "\n" +
			`"x, y",lost,3,invalid,,"Lead ""x, y"" is not a lead ID; use a number such as 1006",,,,,,,,` + "\n"},
		// A short row is padded to the header's width; extra cells are dropped.
		{"ragged cells", []string{"A", "B"}, []Row{
			{Number: 2, Cells: []string{"only"}, Result: NotSent},
			{Number: 3, Cells: []string{"1", "2", "3"}, Result: DryRun},
		}, strings.Replace(csvHeader, "Lead,Status", "A,B", 1) +
			"only,,2,not-sent,,,,,,,,,,\n" +
			"1,2,3,dry-run,,,,,,,,,,\n"},
		// A row that succeeded after a retry: import_error empty, the product
		// maps it added before the note, the retry in import_note, the last column.
		{"note", []string{"A"}, []Row{{Number: 2, Cells: []string{"1-leads"}, Result: Succeeded, HTTPStatus: 200, Attempts: 3, LeadID: "1-leads",
			ProductMaps: "7-productMaps; 8-productMaps", Note: "succeeded on attempt 3 after HTTP 429"}}, strings.Replace(csvHeader, "Lead,Status", "A", 1) +
			"1-leads,2,succeeded,200,,3,,,,1-leads,,7-productMaps; 8-productMaps,succeeded on attempt 3 after HTTP 429\n"},
		// A malicious header cell is neutralised too.
		{"malicious header", []string{"=cmd"}, nil, strings.Replace(csvHeader, "Lead,Status", "'=cmd", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc, err := NewCSV(&buf, tt.columns)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tt.rows {
				if err := enc.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("output:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

func TestCSVNeutralisesMaliciousCells(t *testing.T) {
	payloads := []string{`=HYPERLINK("http://x","click")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"}
	tests := []struct {
		name string
		row  func(p string) Row
		col  int // the column that carries the payload
	}{
		// In an input cell.
		{"input cell", func(p string) Row { return Row{Number: 2, Cells: []string{p}, Result: Failed} }, 0},
		// In the importer's error text, which may quote the server.
		{"import_error", func(p string) Row { return Row{Number: 2, Cells: []string{"x"}, Result: Failed, Error: p} }, 4},
		// In the body sent.
		{"import_body", func(p string) Row { return Row{Number: 2, Cells: []string{"x"}, Result: Failed, Body: p} }, 8},
		// In the lead status from the response.
		{"import_lead_status", func(p string) Row { return Row{Number: 2, Cells: []string{"x"}, Result: Failed, LeadStatus: p} }, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc, err := NewCSV(&buf, []string{"Lead"})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range payloads {
				if err := enc.Write(tt.row(p)); err != nil {
					t.Fatal(err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), bom))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range payloads {
				// encoding/csv reads a quoted "\r" back as is.
				if got, want := recs[i+1][tt.col], "'"+p; got != want {
					t.Errorf("payload %q written as %q, want %q", p, got, want)
				}
				if got := recs[i+1][1]; got != "2" {
					t.Errorf("import_row = %q, want the plain number 2", got)
				}
			}
		})
	}
}

func TestCSVWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		ok   int  // writes the underlying writer accepts
		make bool // whether NewCSV itself should succeed
	}{
		// The disk is full from the start: the header cannot be written.
		{"header fails", 0, false},
		// The header is written, the first flush of rows fails.
		{"flush fails", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := NewCSV(&failWriter{ok: tt.ok}, []string{"Lead", "Status"})
			if !tt.make {
				if !errors.Is(err, errDiskFull) {
					t.Fatalf("NewCSV error = %v, want disk full", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := enc.Write(sampleRows()[0]); err != nil {
				t.Fatalf("buffered Write failed early: %v", err)
			}
			err = enc.Flush()
			var werr *WriteError
			if !errors.As(err, &werr) || !errors.Is(err, errDiskFull) {
				t.Fatalf("Flush error = %v, want a *WriteError wrapping disk full", err)
			}
			if err := enc.Write(sampleRows()[1]); !errors.Is(err, errDiskFull) {
				t.Errorf("Write after failure = %v, want the same error", err)
			}
			if err := enc.Close(); !errors.Is(err, errDiskFull) {
				t.Errorf("Close = %v, want the first write error", err)
			}
		})
	}
}

func TestEncoderWriteAfterClose(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T) Encoder
	}{
		// CSV.
		{"csv", func(t *testing.T) Encoder {
			e, err := NewCSV(&bytes.Buffer{}, []string{"A"})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
		// JSONL.
		{"jsonl", func(t *testing.T) Encoder {
			e, err := NewJSONL(&bytes.Buffer{}, []string{"A"})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
		// XLSX.
		{"xlsx", func(t *testing.T) Encoder {
			e, err := NewXLSX(t.TempDir()+"/r.xlsx", []string{"A"})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := tt.make(t)
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			if err := enc.Write(Row{Number: 2}); !errors.Is(err, ErrClosed) {
				t.Errorf("Write after Close = %v, want ErrClosed", err)
			}
			if err := enc.Close(); err != nil {
				t.Errorf("second Close = %v, want nil", err)
			}
		})
	}
}
