package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// stdCSVRow is the reference appendCell must match: the cells neutralised
// and written by encoding/csv's Writer, as the report did before.
func stdCSVRow(t *testing.T, cells ...string) string {
	t.Helper()
	rec := make([]string, len(cells))
	for i, c := range cells {
		rec[i] = Neutralize(c)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return buf.String()
}

// cellRow writes cells with appendCell the way csvEncoder writes a row.
func cellRow(cells ...string) string {
	var b []byte
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCell(b, c)
	}
	return string(append(b, '\n'))
}

func TestAppendCellMatchesEncodingCSV(t *testing.T) {
	tests := []string{
		"",                  // empty: not quoted
		"1006-leads",        // plain text
		"a,b",               // comma
		`say "hi"`,          // quotes doubled
		"two\nlines",        // line feed
		"cr\rinside",        // carriage return kept inside quotes
		" leading space",    // leading space quoted
		"\vvertical tab",    // leading vertical tab is white space
		"\u00a0no-break",    // leading no-break space (two bytes)
		"\u2003em space",    // leading em space (three bytes)
		"\u0085next line",   // leading NEL
		`\.`,                // PostgreSQL end-of-data marker
		`\.x`,               // only the exact marker is quoted
		"=1+1",              // formula: neutralised
		"-5",                // minus: neutralised
		"+1",                // plus
		"@SUM(A1)",          // at sign
		"\t=1",              // leading tab: neutralised, so no longer white space first
		"\r=1",              // leading carriage return: neutralised and quoted
		"\x00x",             // leading NUL
		"  =1, 2",           // formula after spaces, with a comma
		"a;=cmd",            // semicolon part neutralised
		"a;b",               // harmless semicolon
		`a;"=x"`,            // semicolon, quotes
		"é accent",          // multibyte first letter, harmless
		"\xff\xfe",          // invalid UTF-8
		"'=already",         // a quote is not a trigger
		`{"outcomeId":"x"}`, // a body: quoted with doubled quotes
	}
	for _, s := range tests {
		if got, want := cellRow("x", s, "y"), stdCSVRow(t, "x", s, "y"); got != want {
			t.Errorf("cell %q written as %q, want %q", s, got, want)
		}
	}
}

// FuzzAppendCell checks appendCell against Neutralize and encoding/csv on
// arbitrary text.
func FuzzAppendCell(f *testing.F) {
	for _, s := range []string{"", "plain", " =1", "a;@b", `"q"`, "\r\n", `\.`, "\u00a0-1", "\xc2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cellRow(s, "y"), stdCSVRow(t, s, "y"); got != want {
			t.Fatalf("cell %q written as %q, want %q", s, got, want)
		}
	})
}

// BenchmarkAppendCell writes the cells of a typical dry-run report row.
func BenchmarkAppendCell(b *testing.B) {
	cells := []string{"1006", "Account 1006", "Owner 7", "Won", "5-products", "2", "104.50", "USD",
		"1006", string(DryRun), "", "", "", "", "", `{"outcomeId":"1-outcomes"}`, "1006-leads", ""}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for _, c := range cells {
			buf = appendCell(buf, c)
			buf = append(buf, ',')
		}
	}
}

// TestCellClass checks the byte table appendCell relies on.
func TestCellClass(t *testing.T) {
	for c := range 256 {
		var want byte
		switch c {
		case ',', '"', '\r', '\n':
			want |= quoteByte
		case ';':
			want |= semicolonByte
		}
		if c <= ' ' || c >= 0x80 || c == '=' || c == '+' || c == '-' || c == '@' {
			want |= firstByteCheck
		}
		if got := cellClass[c]; got != want {
			t.Errorf("cellClass[%#x] = %03b, want %03b", c, got, want)
		}
	}
}

// stdCSVReport writes a report the way the CSV encoder did with
// encoding/csv: every text cell through Neutralize, numbers as digits, 0
// HTTP status and attempts empty.
func stdCSVReport(t *testing.T, columns []string, rows []Row) string {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(bom)
	w := csv.NewWriter(&buf)
	rec := make([]string, 0, len(columns)+len(Columns()))
	for _, c := range columns {
		rec = append(rec, Neutralize(c))
	}
	if err := w.Write(append(rec, Columns()...)); err != nil {
		t.Fatal(err)
	}
	optional := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, r := range rows {
		rec = rec[:0]
		for i := range columns {
			rec = append(rec, Neutralize(cell(r.Cells, i)))
		}
		rec = append(rec, strconv.Itoa(r.Number), Neutralize(string(r.Result)), optional(r.HTTPStatus), Neutralize(r.Error),
			optional(r.Attempts), Neutralize(r.RequestID), Neutralize(r.LeadStatus), Neutralize(r.Body),
			Neutralize(r.LeadID), Neutralize(r.StatusBefore), Neutralize(r.ProductMaps), Neutralize(r.Note))
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return buf.String()
}

// FuzzCSVReport checks whole reports (header and rows, short and long rows,
// no input columns at all) against the encoding/csv reference. Fields of s
// are separated by "|": the first k are the columns, then rows of five.
func FuzzCSVReport(f *testing.F) {
	f.Add("Lead|Status|1006|won|=1|x, y|\"q\"", 2, -3, 0)
	f.Add(" a|;=b|\\.|\r\n|@|-1|+2", 0, 200, 7)
	f.Add("only", 1, 0, -1)
	f.Fuzz(func(t *testing.T, s string, k, status, attempts int) {
		parts := strings.Split(s, "|")
		k = min(max(k, 0), len(parts))
		columns, rest := parts[:k], parts[k:]
		var rows []Row
		for i := 0; len(rest) > 0; i++ {
			n := min(len(rest), 5)
			c := rest[:n]
			rest = rest[n:]
			at := func(j int) string {
				if j < len(c) {
					return c[j]
				}
				return ""
			}
			rows = append(rows, Row{Number: i - 1, Cells: c[:min(len(c), i%4)], Result: Result(at(0)), HTTPStatus: status,
				Error: at(1), Attempts: attempts, RequestID: at(2), LeadStatus: at(3), Body: at(4), LeadID: at(0), StatusBefore: at(1), ProductMaps: at(3), Note: at(2)})
		}
		var buf bytes.Buffer
		enc, err := NewCSV(&buf, columns)
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
		if got, want := buf.String(), stdCSVReport(t, columns, rows); got != want {
			t.Fatalf("report\n%q\nwant\n%q", got, want)
		}
	})
}
