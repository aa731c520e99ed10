package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestJSONLOutput(t *testing.T) {
	tests := []struct {
		name    string
		columns []string
		rows    []Row
		want    string
	}{
		// No rows, no output: JSONL has no header line.
		{"empty", []string{"Lead"}, nil, ""},
		// Input cells nested under "input" in column order; numbers as numbers, 0 as null.
		{"two rows", []string{"Lead", "Status"}, sampleRows(),
			`{"input":{"Lead":"1006-leads","Status":"won"},"import_row":2,"import_result":"succeeded","import_http_status":200,` +
				`"import_error":"","import_attempts":1,"import_request_id":"req-1","import_lead_status":"won",` +
				`"import_body":"{\"status\":\"won\"}","import_lead_id":"1006-leads","import_status_before":"open","import_product_maps":"","import_note":""}` + "\n" +
				`{"input":{"Lead":"x, y","Status":"lost"},"import_row":3,"import_result":"invalid","import_http_status":null,` +
				`"import_error":"Lead \"x, y\" is not a lead ID; use a number such as 1006","import_attempts":null,` +
				`"import_request_id":"","import_lead_status":"","import_body":"","import_lead_id":"","import_status_before":"","import_product_maps":"","import_note":""}` + "\n"},
		// Duplicate and empty names get free keys (a literal Name_2 keeps its own); text is not neutralised; <> not HTML-escaped.
		{"duplicate keys", []string{"Name", "Name", "", "Name_2"}, []Row{{Number: 2, Cells: []string{"a", "=b", "<c>", "d"}, Result: Skipped}},
			`{"input":{"Name":"a","Name_3":"=b","column_3":"<c>","Name_2":"d"},"import_row":2,"import_result":"skipped",` +
				`"import_http_status":null,"import_error":"","import_attempts":null,"import_request_id":"","import_lead_status":"",` +
				`"import_body":"","import_lead_id":"","import_status_before":"","import_product_maps":"","import_note":""}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc, err := NewJSONL(&buf, tt.columns)
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
				t.Errorf("output:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestJSONLParsesBack(t *testing.T) {
	rows := append(sampleRows(), Row{
		Number: 4, Cells: []string{"line\nbreak\t\"quoted\" \x01 é 😀", "\xff"}, Result: Failed, HTTPStatus: 500, Attempts: 3,
		Error: "server error", Body: `{"a":"<b>&"}`,
	})
	var buf bytes.Buffer
	enc, err := NewJSONL(&buf, []string{"Lead", "Status"})
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
	type line struct {
		Input      map[string]string `json:"input"`
		Row        int               `json:"import_row"`
		Result     string            `json:"import_result"`
		HTTPStatus *int              `json:"import_http_status"`
		Error      string            `json:"import_error"`
		Attempts   *int              `json:"import_attempts"`
		Body       string            `json:"import_body"`
		LeadID     string            `json:"import_lead_id"`
	}
	sc := bufio.NewScanner(&buf)
	for i := 0; sc.Scan(); i++ {
		var got line
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		want := rows[i]
		wantStatus := strings.ToValidUTF8(want.Cells[1], "\uFFFD")
		if got.Row != want.Number || Result(got.Result) != want.Result || got.Error != want.Error || got.Body != want.Body ||
			got.LeadID != want.LeadID || got.Input["Lead"] != want.Cells[0] || got.Input["Status"] != wantStatus {
			t.Errorf("line %d = %+v, want %+v", i+1, got, want)
		}
		if (got.HTTPStatus == nil) != (want.HTTPStatus == 0) || (got.Attempts == nil) != (want.Attempts == 0) {
			t.Errorf("line %d: status %v attempts %v; want null exactly when 0", i+1, got.HTTPStatus, got.Attempts)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestJSONLWriteError(t *testing.T) {
	enc, err := NewJSONL(&failWriter{}, []string{"Lead"})
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Write(sampleRows()[0]); err != nil {
		t.Fatalf("buffered Write failed early: %v", err)
	}
	err = enc.Close()
	var werr *WriteError
	if !errors.As(err, &werr) || !errors.Is(err, errDiskFull) {
		t.Fatalf("Close = %v, want a *WriteError wrapping disk full", err)
	}
}

func TestUniqueKeys(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"a", "b"}, []string{"a", "b"}},                       // distinct names stay
		{[]string{"a", "a", "a"}, []string{"a", "a_2", "a_3"}},         // repeats are numbered
		{[]string{"a", "a", "a_2"}, []string{"a", "a_3", "a_2"}},       // a number already taken is skipped
		{[]string{"", "x", ""}, []string{"column_1", "x", "column_3"}}, // empty names by position
		{[]string{"import_row"}, []string{"import_row"}},               // no clash with import_* keys (nested)
	}
	for _, tt := range tests {
		if got := uniqueKeys(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("uniqueKeys(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
