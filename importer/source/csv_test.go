package source

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func utf16Bytes(t *testing.T, s string, order unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSVVariants(t *testing.T) {
	tests := []struct {
		name       string
		file       string
		content    []byte
		opts       Options
		wantHeader []string
		wantHRow   int
		wantRows   []Row
		wantWarn   string
	}{
		// The plain case: comma, LF.
		{name: "comma", file: "a.csv", content: []byte("ID,Outcome\n1006,won\n1007,lost\n"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won"), row(3, "1007", "lost")}},
		// European exports use semicolons.
		{name: "semicolon", file: "a.csv", content: []byte("ID;Outcome;Price\n1006;won;12,5\n"),
			wantHeader: []string{"ID", "Outcome", "Price"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won", "12,5")}},
		// Tab in a .txt file (Excel's "Text (Tab delimited)").
		{name: "tab", file: "a.txt", content: []byte("ID\tOutcome\n1006\twon\n"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won")}},
		// Pipes.
		{name: "pipe", file: "a.csv", content: []byte("ID|Outcome\n1006|won\n"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won")}},
		// Quoted commas in every row must not make comma look inconsistent, nor semicolon win.
		{name: "quoted delimiters", file: "a.csv", content: []byte("ID,Name,Outcome\n1,\"Smith, John\",won\n2,\"Doe, Jane; Jr\",lost\n3,\"Roe, Rick\",won\n"),
			wantHeader: []string{"ID", "Name", "Outcome"}, wantHRow: 1,
			wantRows: []Row{row(2, "1", "Smith, John", "won"), row(3, "2", "Doe, Jane; Jr", "lost"), row(4, "3", "Roe, Rick", "won")}},
		// Semicolon file whose every row has a quoted comma.
		{name: "semicolon with quoted commas", file: "a.csv", content: []byte("ID;Name\n1;\"Smith, John\"\n2;\"Doe, Jane\"\n"),
			wantHeader: []string{"ID", "Name"}, wantHRow: 1, wantRows: []Row{row(2, "1", "Smith, John"), row(3, "2", "Doe, Jane")}},
		// The UTF-8 BOM is stripped from the first header cell.
		{name: "BOM", file: "a.csv", content: []byte("\xEF\xBB\xBFID,Outcome\n1006,won\n"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won")}},
		// CRLF line ends leave no CR in the last cell.
		{name: "CRLF", file: "a.csv", content: []byte("ID,Outcome\r\n1006,won\r\n\r\n1007,lost\r\n"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won"), row(4, "1007", "lost")}},
		// Classic Mac line ends (lone CR).
		{name: "CR only", file: "a.csv", content: []byte("ID,Outcome\r1006,won\r1007,lost"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won"), row(3, "1007", "lost")}},
		// Blank lines before the header and between rows count as rows, as a spreadsheet shows them.
		{name: "blank lines", file: "a.csv", content: []byte("\n\nID,Outcome\n1006,won\n\n\n1007,lost\n   \n,\n1008,won\n"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 3, wantRows: []Row{row(4, "1006", "won"), row(7, "1007", "lost"), row(10, "1008", "won")}},
		// A record with embedded line breaks is one row; the next row number follows it.
		{name: "embedded newlines", file: "a.csv", content: []byte("ID,Note\n1006,\"line 1\nline 2\nline 3\"\n1007,x\n\n1008,\"a\r\nb\"\n1009,y\n"),
			wantHeader: []string{"ID", "Note"}, wantHRow: 1,
			wantRows: []Row{row(2, "1006", "line 1\nline 2\nline 3"), row(3, "1007", "x"), row(5, "1008", "a\nb"), row(6, "1009", "y")}},
		// A bare quote in an unquoted cell stays, as Excel shows it.
		{name: "bare quotes", file: "a.csv", content: []byte("ID,Product\n1006,5\" screen\n1007,\"say \"\"hi\"\"\"\n"),
			wantHeader: []string{"ID", "Product"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "5\" screen"), row(3, "1007", "say \"hi\"")}},
		// Ragged rows come back as they are; the mapping layer judges them.
		{name: "ragged", file: "a.csv", content: []byte("ID,Outcome,Note\n1006,won\n1007,lost,x,extra\n1008,won,y\n"),
			wantHeader: []string{"ID", "Outcome", "Note"}, wantHRow: 1,
			wantRows: []Row{row(2, "1006", "won"), row(3, "1007", "lost", "x", "extra"), row(4, "1008", "won", "y")}},
		// A header alone is a valid file with no rows.
		{name: "header only", file: "a.csv", content: []byte("ID,Outcome\n"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1},
		// One column: no delimiter is found and that is fine.
		{name: "one column", file: "a.csv", content: []byte("ID\n1006\n1007\n"),
			wantHeader: []string{"ID"}, wantHRow: 1, wantRows: []Row{row(2, "1006"), row(3, "1007")}},
		// Header cells keep their spaces; only the BOM goes.
		{name: "header as read", file: "a.csv", content: []byte(" ID , Outcome \n1,won\n"),
			wantHeader: []string{" ID ", " Outcome "}, wantHRow: 1, wantRows: []Row{row(2, "1", "won")}},
		// Excel's "Unicode Text": UTF-16LE with BOM, tab-separated.
		{name: "UTF-16LE", file: "a.txt", content: utf16Bytes(t, "ID\tNote\r\n1006\tCafé\r\n", unicode.LittleEndian),
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "Café")}},
		// UTF-16BE with BOM.
		{name: "UTF-16BE", file: "a.txt", content: utf16Bytes(t, "ID\tNote\n1006\tCafé\n", unicode.BigEndian),
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "Café")}},
		// Bytes that are not UTF-8 are read as Windows-1252, with a warning.
		{name: "Windows-1252", file: "a.csv", content: []byte("ID,Note\n1006,Caf\xe9 \x80\n"),
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "Café €")},
			wantWarn: "is not valid UTF-8; read it as Windows-1252. Use --encoding to choose another."},
		// --encoding forces a reading, with no warning.
		{name: "forced windows-1252", file: "a.csv", content: []byte("ID,Note\n1006,Caf\xe9\n"), opts: Options{Encoding: "CP1252"},
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "Café")}},
		// Forcing Latin-1 on valid UTF-8 reads the bytes as asked.
		{name: "forced latin1 over utf-8", file: "a.csv", content: []byte("ID,Note\n1006,Café\n"), opts: Options{Encoding: "latin1"},
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "CafÃ©")}},
		// Forced UTF-16LE.
		{name: "forced utf-16le", file: "a.txt", content: utf16Bytes(t, "ID\tNote\n1\tx\n", unicode.LittleEndian), opts: Options{Encoding: "utf-16le"},
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1", "x")}},
		// .tsv means tab even when commas split every line the same way.
		{name: "tsv keeps tab", file: "a.tsv", content: []byte("ID\tNote\n1\ta,b\n2\tc,d\n"),
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1", "a,b"), row(3, "2", "c,d")}},
		// A .tsv without a single tab is sniffed.
		{name: "tsv that is comma", file: "a.tsv", content: []byte("ID,Note\n1,x\n"),
			wantHeader: []string{"ID", "Note"}, wantHRow: 1, wantRows: []Row{row(2, "1", "x")}},
		// A file with no final line break keeps its last row.
		{name: "no final newline", file: "a.csv", content: []byte("ID,Outcome\n1006,won"),
			wantHeader: []string{"ID", "Outcome"}, wantHRow: 1, wantRows: []Row{row(2, "1006", "won")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustOpen(t, writeFile(t, tt.file, tt.content), tt.opts)
			if got := r.Header(); !slices.Equal(got, tt.wantHeader) {
				t.Errorf("Header() = %q, want %q", got, tt.wantHeader)
			}
			if got := r.HeaderRow(); got != tt.wantHRow {
				t.Errorf("HeaderRow() = %d, want %d", got, tt.wantHRow)
			}
			if got := readAll(t, r); !equalRows(got, tt.wantRows) {
				t.Errorf("rows = %v, want %v", got, tt.wantRows)
			}
			warnings := strings.Join(r.Warnings(), "\n")
			if tt.wantWarn == "" && warnings != "" {
				t.Errorf("unexpected warnings %q", warnings)
			}
			if !strings.Contains(warnings, tt.wantWarn) {
				t.Errorf("warnings %q do not contain %q", warnings, tt.wantWarn)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	long := strings.Repeat("x", DefaultMaxCellBytes+1)
	tests := []struct {
		name     string
		content  string
		opts     Options
		atOpen   bool // the error comes from Open, not Next
		wantKind error
		wantRow  int
		wantCol  int
		wantMsg  string
	}{
		// An empty file has no header.
		{name: "empty", content: "", atOpen: true, wantKind: ErrEmpty, wantMsg: "a.csv: the file is empty"},
		// Blank lines only are as empty.
		{name: "blank lines only", content: "\n\r\n  \n,,\n", atOpen: true, wantKind: ErrEmpty, wantMsg: "is empty"},
		// A BOM alone is empty too.
		{name: "BOM only", content: "\xEF\xBB\xBF", atOpen: true, wantKind: ErrEmpty},
		// A very long cell names its row and column.
		{name: "long cell", content: "ID,Note\n1,ok\n2," + long + "\n3,x\n", wantKind: ErrCellTooLong, wantRow: 3, wantCol: 2,
			wantMsg: "a.csv: row 3, column 2: cell is longer than 32767 characters; check the file's quoting"},
		// A quote that never closes is caught by the cell limit at the row where it opened.
		{name: "runaway quote", content: "ID,Note\n1,ok\n\n2,\"oops\n" + strings.Repeat("3,fine\n", 30000), wantKind: ErrCellTooLong, wantRow: 4, wantCol: 2},
		// A quote still open at the end of a small file is reported too.
		{name: "unclosed quote at EOF", content: "ID,Note\n1,ok\n2,\"oops\n3,x\n4,y\n", wantKind: ErrUnclosedQuote, wantRow: 3, wantCol: 2,
			wantMsg: "a.csv: row 3, column 2: a quoted cell that starts in this row is never closed"},
		// A custom cell limit applies and says bytes.
		{name: "custom limit", content: "ID,Note\n1,12345678901\n", opts: Options{MaxCellBytes: 10}, wantKind: ErrCellTooLong, wantRow: 2, wantCol: 2,
			wantMsg: "cell is longer than 10 bytes"},
		// A header over the limit fails at Open.
		{name: "long header", content: "ID," + long + "\n", atOpen: true, wantKind: ErrCellTooLong, wantRow: 1, wantCol: 2},
		// More columns than Excel has.
		{name: "too many columns", content: "ID,Note\n" + strings.Repeat(",x", ExcelMaxColumns+5) + "\n", wantKind: ErrTooManyColumns, wantRow: 2, wantCol: ExcelMaxColumns + 1},
		// Invalid UTF-8 after the detection window names its row and the fix.
		{name: "late invalid UTF-8", content: "ID,Note\n" + strings.Repeat("1,fine\n", 20000) + "\n2,Caf\xe9\n", wantKind: ErrEncoding, wantRow: 20003, wantCol: 2,
			wantMsg: "row 20003, column 2: the text is not valid UTF-8; run again with --encoding windows-1252"},
		// Forced UTF-8 does not fall back to Windows-1252.
		{name: "forced utf-8", content: "ID,Note\n1,Caf\xe9\n", opts: Options{Encoding: "utf8"}, wantKind: ErrEncoding, wantRow: 2, wantCol: 2},
		// An unknown encoding name is refused at Open.
		{name: "unknown encoding", content: "ID\n1\n", opts: Options{Encoding: "ebcdic"}, atOpen: true, wantKind: ErrEncoding, wantMsg: `unknown encoding "ebcdic"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(writeFile(t, "a.csv", []byte(tt.content)), tt.opts)
			if !tt.atOpen {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer r.Close()
				for err == nil {
					_, err = r.Next()
				}
				if errors.Is(err, io.EOF) {
					t.Fatal("read to the end without an error")
				}
			} else if err == nil {
				r.Close()
				t.Fatal("Open succeeded")
			}
			fe := asFileError(t, err)
			if !errors.Is(err, tt.wantKind) {
				t.Errorf("error %v is not %v", err, tt.wantKind)
			}
			if fe.Row != tt.wantRow || fe.Column != tt.wantCol {
				t.Errorf("error at row %d column %d, want row %d column %d (%v)", fe.Row, fe.Column, tt.wantRow, tt.wantCol, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.wantMsg)
			}
			if len(err.Error()) > 300 {
				t.Errorf("message is %d bytes long", len(err.Error()))
			}
		})
	}
}

func TestCSVErrorIsSticky(t *testing.T) {
	r := mustOpen(t, writeFile(t, "a.csv", []byte("ID\n1\n\"x\n")), Options{})
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors %v then %v; want the same error twice", err1, err2)
	}
}

func TestStdin(t *testing.T) {
	tests := []struct {
		name     string
		stdin    []byte
		wantRows []Row
		wantKind error
	}{
		// Semicolons sniffed on standard input.
		{name: "csv", stdin: []byte("ID;Outcome\n1006;won\n"), wantRows: []Row{row(2, "1006", "won")}},
		// A workbook must come from a file path.
		{name: "xlsx on stdin", stdin: []byte("PK\x03\x04rest"), wantKind: ErrUnsupported},
		// Nothing on standard input.
		{name: "empty", stdin: nil, wantKind: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open("-", Options{Stdin: bytes.NewReader(tt.stdin)})
			if tt.wantKind != nil {
				fe := asFileError(t, err)
				if !errors.Is(err, tt.wantKind) || !strings.HasPrefix(fe.Error(), "standard input: ") {
					t.Fatalf("error %q, want %v about standard input", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := readAll(t, r); !equalRows(got, tt.wantRows) {
				t.Errorf("rows = %v, want %v", got, tt.wantRows)
			}
		})
	}
}

func TestStdinMissing(t *testing.T) {
	_, err := Open("-", Options{})
	if fe := asFileError(t, err); fe.Path != "-" {
		t.Errorf("Path = %q", fe.Path)
	}
}

func TestHeaderSurvivesRowReuse(t *testing.T) {
	// Rows reuse their cell slice; the header must not change as rows are read.
	r := mustOpen(t, writeFile(t, "a.csv", []byte("A,B\n1,2\n3,4\n")), Options{})
	readAll(t, r)
	if !slices.Equal(r.Header(), []string{"A", "B"}) {
		t.Errorf("header changed to %q", r.Header())
	}
}
