package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestContentBeatsExtension(t *testing.T) {
	xlsxBytes := func(t *testing.T) []byte {
		b, err := os.ReadFile(writeXLSX(t, "a.xlsx", func(f *excelize.File) {
			set(t, f, "Sheet1", map[string]any{"A1": "ID", "A2": 1006})
		}))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name     string
		file     string
		content  func(t *testing.T) []byte
		wantRows []Row
		wantWarn string
	}{
		// A workbook saved as .csv is read as XLSX.
		{name: "xlsx named csv", file: "a.csv", content: xlsxBytes, wantRows: []Row{row(2, "1006")}, wantWarn: "is an XLSX workbook despite its name"},
		// A workbook with an unknown extension is read as XLSX.
		{name: "xlsx named dat", file: "a.dat", content: xlsxBytes, wantRows: []Row{row(2, "1006")}, wantWarn: "is an XLSX workbook despite its name"},
		// A CSV saved as .xlsx is read as text.
		{name: "csv named xlsx", file: "a.xlsx", content: func(*testing.T) []byte { return []byte("ID;X\n1006;y\n") },
			wantRows: []Row{row(2, "1006", "y")}, wantWarn: "is a text file despite its name"},
		// Upper-case extensions count.
		{name: "upper-case extension", file: "A.CSV", content: func(*testing.T) []byte { return []byte("ID\n1\n") }, wantRows: []Row{row(2, "1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustOpen(t, writeFile(t, tt.file, tt.content(t)), Options{})
			if got := readAll(t, r); !equalRows(got, tt.wantRows) {
				t.Errorf("rows = %v, want %v", got, tt.wantRows)
			}
			warnings := strings.Join(r.Warnings(), "\n")
			if (tt.wantWarn == "") != (warnings == "") || !strings.Contains(warnings, tt.wantWarn) {
				t.Errorf("warnings %q, want %q", warnings, tt.wantWarn)
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	ole := append(append([]byte{}, []byte(oleMagic)...), make([]byte, 2048)...)
	encryptedJunk := append(append(append([]byte{}, []byte(oleMagic)...), utf16le("EncryptedPackage")...), make([]byte, 600)...)
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	zw.Close()
	var xlsb bytes.Buffer
	zw = zip.NewWriter(&xlsb)
	w, _ = zw.Create("xl/workbook.bin")
	w.Write([]byte{0x83, 0x01})
	zw.Close()
	tests := []struct {
		name     string
		file     string
		content  []byte
		opts     Options
		wantKind error
		wantMsg  string
	}{
		// JSON is not supported; the message names what is.
		{name: "json", file: "a.json", content: []byte(`{"id":1}`), wantKind: ErrUnsupported,
			wantMsg: `a.json: its extension ".json" is not supported; use a .csv, .tsv, .txt, .xlsx or .xlsm file`},
		// No extension at all.
		{name: "no extension", file: "leads", content: []byte("ID\n1\n"), wantKind: ErrUnsupported, wantMsg: "it has no file extension"},
		// An Excel 97-2003 workbook, whatever its name.
		{name: "xls", file: "a.xls", content: ole, wantKind: ErrLegacyXLS, wantMsg: "a.xls: it is an Excel 97-2003 .xls file; save it as .xlsx or CSV"},
		// An .xls renamed to .csv.
		{name: "xls named csv", file: "a.csv", content: ole, wantKind: ErrLegacyXLS},
		// A broken encrypted container with a password is a wrong password, not a panic.
		{name: "encrypted junk", file: "a.xlsx", content: encryptedJunk, opts: Options{Password: "x"}, wantKind: ErrWrongPassword},
		// Binary junk named .csv.
		{name: "binary", file: "a.csv", content: []byte("\x7fELF\x02\x01\x01\x00\x00\x00junk"), wantKind: ErrUnsupported,
			wantMsg: "a.csv: it is not a CSV, TSV or XLSX file"},
		// A zip that is not a workbook.
		{name: "docx", file: "a.xlsx", content: docx.Bytes(), wantKind: ErrUnsupported, wantMsg: "it is a zip archive, not an XLSX workbook"},
		// A binary workbook.
		{name: "xlsb", file: "a.xlsb", content: xlsb.Bytes(), wantKind: ErrUnsupported, wantMsg: "it is an Excel binary workbook (.xlsb); save it as .xlsx or CSV"},
		// An empty .xlsx.
		{name: "empty xlsx", file: "a.xlsx", content: nil, wantKind: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(writeFile(t, tt.file, tt.content), tt.opts)
			if err == nil {
				r.Close()
				t.Fatal("Open succeeded")
			}
			asFileError(t, err)
			if !errors.Is(err, tt.wantKind) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q, want %v containing %q", err, tt.wantKind, tt.wantMsg)
			}
		})
	}
}

func TestOpenPathErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		wantIs  error
		wantMsg string
	}{
		// A missing file keeps fs.ErrNotExist for the caller.
		{name: "missing", path: filepath.Join(dir, "nope.csv"), wantIs: fs.ErrNotExist, wantMsg: "the file does not exist; check the path"},
		// A folder is not a file.
		{name: "folder", path: dir, wantIs: ErrUnsupported, wantMsg: "it is a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.path, Options{})
			fe := asFileError(t, err)
			if fe.Path != tt.path || !errors.Is(err, tt.wantIs) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q (path %q), want %v containing %q", err, fe.Path, tt.wantIs, tt.wantMsg)
			}
		})
	}
}

func TestFileErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *FileError
		want string
	}{
		// Row and column.
		{name: "row and column", err: &FileError{Path: "samples/x.csv", Row: 12, Column: 3, Err: errors.New("cell is longer than 32767 characters; check the file's quoting")},
			want: "samples/x.csv: row 12, column 3: cell is longer than 32767 characters; check the file's quoting"},
		// Row only.
		{name: "row", err: &FileError{Path: "x.xlsx", Row: 4, Err: errors.New("bad")}, want: "x.xlsx: row 4: bad"},
		// Standard input by name.
		{name: "stdin", err: &FileError{Path: "-", Err: errors.New("the file is empty")}, want: "standard input: the file is empty"},
		// No underlying error still reads.
		{name: "nil err", err: &FileError{Path: "a.csv"}, want: "a.csv: unknown error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestColumnName(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, ""},        // not a column
		{1, "A"},       // first
		{26, "Z"},      // last single letter
		{27, "AA"},     // first double
		{52, "AZ"},     // end of the A block
		{703, "AAA"},   // first triple
		{16384, "XFD"}, // Excel's last column
	}
	for _, tt := range tests {
		if got := ColumnName(tt.n); got != tt.want {
			t.Errorf("ColumnName(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
