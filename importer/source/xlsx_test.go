package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/internal/xlsxtest"
	"github.com/xuri/excelize/v2"
)

// writeXLSX builds a workbook with excelize and saves it as name.
func writeXLSX(t testing.TB, name string, build func(f *excelize.File), opts ...excelize.Options) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path, opts...); err != nil {
		t.Fatal(err)
	}
	return path
}

// set writes cell values on a sheet, failing the test on error.
func set(t testing.TB, f *excelize.File, sheet string, cells map[string]any) {
	t.Helper()
	for cell, v := range cells {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
}

// style adds a cell style and applies it to cell.
func style(t testing.TB, f *excelize.File, sheet, cell string, s *excelize.Style) {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
		t.Fatal(err)
	}
}

// replaceParts copies the zip at src with some parts' contents replaced.
func replaceParts(t testing.TB, src string, parts map[string]string) string {
	t.Helper()
	return writeFile(t, "replaced.xlsx", xlsxtest.ReplaceParts(t, src, parts))
}

const sheetXMLHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

func TestXLSX(t *testing.T) {
	tests := []struct {
		name       string
		path       func(t *testing.T) string
		opts       Options
		wantHeader []string
		wantHRow   int
		wantRows   []Row
		wantWarn   string
	}{
		// IDs stored as int or float, even with a thousands format, come back as stored.
		{name: "numeric IDs", path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				set(t, f, "Sheet1", map[string]any{"A1": "ID", "B1": "Price",
					"A2": 1006, "B2": 1234.5, "A3": 1006.0, "B3": int64(1234567890123456789), "A4": 1008, "B4": -2.5e-7})
				style(t, f, "Sheet1", "A4", &excelize.Style{NumFmt: 3})
			})
		}, wantHeader: []string{"ID", "Price"}, wantHRow: 1,
			wantRows: []Row{row(2, "1006", "1234.5"), row(3, "1006", "1234567890123456789"), row(4, "1008", "-0.00000025")}},
		// Trailing blank cells are padded to the header's width; text like "00123" stays.
		{name: "padding", path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				set(t, f, "Sheet1", map[string]any{"A1": "ID", "B1": "Outcome", "C1": "Note", "A2": "00123", "A3": 7, "B3": "won"})
			})
		}, wantHeader: []string{"ID", "Outcome", "Note"}, wantHRow: 1,
			wantRows: []Row{row(2, "00123", "", ""), row(3, "7", "won", "")}},
		// Missing and blank rows are skipped but still counted.
		{name: "missing rows", path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				set(t, f, "Sheet1", map[string]any{"B3": "ID", "C3": "Outcome", "B6": 1006, "C6": "won", "B7": " ", "B9": 1007})
			})
		}, wantHeader: []string{"", "ID", "Outcome"}, wantHRow: 3,
			wantRows: []Row{row(6, "", "1006", "won"), row(9, "", "1007", "")}},
		// The first sheet is hidden: the first visible one is read.
		{name: "hidden first sheet", path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				set(t, f, "Sheet1", map[string]any{"A1": "Secret", "A2": "x"})
				if _, err := f.NewSheet("Leads"); err != nil {
					t.Fatal(err)
				}
				set(t, f, "Leads", map[string]any{"A1": "ID", "A2": 1006})
				f.SetActiveSheet(1)
				if err := f.SetSheetVisible("Sheet1", false); err != nil {
					t.Fatal(err)
				}
			})
		}, wantHeader: []string{"ID"}, wantHRow: 1, wantRows: []Row{row(2, "1006")}},
		// --sheet picks a sheet, ignoring case.
		{name: "sheet option", opts: Options{Sheet: "leads"}, path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				set(t, f, "Sheet1", map[string]any{"A1": "Other"})
				if _, err := f.NewSheet("Leads"); err != nil {
					t.Fatal(err)
				}
				set(t, f, "Leads", map[string]any{"A1": "ID", "A2": 1006})
			})
		}, wantHeader: []string{"ID"}, wantHRow: 1, wantRows: []Row{row(2, "1006")}},
		// --sheet may name a hidden sheet, with a warning.
		{name: "hidden sheet by name", opts: Options{Sheet: "Secret"}, path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				set(t, f, "Sheet1", map[string]any{"A1": "Other"})
				if _, err := f.NewSheet("Secret"); err != nil {
					t.Fatal(err)
				}
				set(t, f, "Secret", map[string]any{"A1": "ID", "A2": 5})
				if err := f.SetSheetVisible("Secret", false); err != nil {
					t.Fatal(err)
				}
			})
		}, wantHeader: []string{"ID"}, wantHRow: 1, wantRows: []Row{row(2, "5")}, wantWarn: `Sheet "Secret" of`},
		// Formula cells give their cached value, or "" when the producer left none.
		{name: "formulas", path: func(t *testing.T) string {
			src := writeXLSX(t, "a.xlsx", func(f *excelize.File) { set(t, f, "Sheet1", map[string]any{"A1": "x"}) })
			return replaceParts(t, src, map[string]string{"xl/worksheets/sheet1.xml": sheetXMLHead +
				`<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Double</t></is></c><c r="C1" t="inlineStr"><is><t>Triple</t></is></c></row>` +
				`<row r="2"><c r="A2"><v>1006</v></c><c r="B2"><f>A2*2</f><v>2012</v></c><c r="C2"><f>A2*3</f></c></row>` +
				`<row r="3"><c r="A3"><v>1</v></c><c r="B3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>` +
				`</sheetData></worksheet>`})
		}, wantHeader: []string{"ID", "Double", "Triple"}, wantHRow: 1,
			wantRows: []Row{row(2, "1006", "2012", ""), row(3, "1", "ab", "")}},
		// Date styles render as ISO dates; other numbers stay as stored.
		{name: "dates", path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				set(t, f, "Sheet1", map[string]any{"A1": "Date", "B1": "When", "C1": "Custom", "D1": "Time", "E1": "Amount", "F1": "Text",
					"A2": time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC), "B2": time.Date(2024, 3, 31, 14, 5, 0, 0, time.UTC),
					"C2": 45382.25, "D2": 0.5, "E2": 45382, "F2": "45382"})
				custom := `dd/mm/yyyy hh:mm:ss;@`
				style(t, f, "Sheet1", "C2", &excelize.Style{CustomNumFmt: &custom})
				style(t, f, "Sheet1", "D2", &excelize.Style{NumFmt: 21})
				style(t, f, "Sheet1", "E2", &excelize.Style{NumFmt: 4})
				style(t, f, "Sheet1", "F2", &excelize.Style{NumFmt: 14})
			})
		}, wantHeader: []string{"Date", "When", "Custom", "Time", "Amount", "Text"}, wantHRow: 1,
			wantRows: []Row{row(2, "2024-03-31", "2024-03-31 14:05:00", "2024-03-31 06:00:00", "12:00:00", "45382", "45382")}},
		// The 1904 date system shifts serial numbers by 1462 days.
		{name: "1904 dates", path: func(t *testing.T) string {
			return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
				on := true
				if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
					t.Fatal(err)
				}
				set(t, f, "Sheet1", map[string]any{"A1": "Date", "A2": 45382 - 1462})
				style(t, f, "Sheet1", "A2", &excelize.Style{NumFmt: 14})
			})
		}, wantHeader: []string{"Date"}, wantHRow: 1, wantRows: []Row{row(2, "2024-03-31")}},
		// An .xlsm reads like an .xlsx.
		{name: "xlsm", path: func(t *testing.T) string {
			src := writeXLSX(t, "a.xlsx", func(f *excelize.File) { set(t, f, "Sheet1", map[string]any{"A1": "ID", "A2": 1}) })
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			return writeFile(t, "a.XLSM", b)
		}, wantHeader: []string{"ID"}, wantHRow: 1, wantRows: []Row{row(2, "1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustOpen(t, tt.path(t), tt.opts)
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
			if (tt.wantWarn == "") != (warnings == "") || !strings.Contains(warnings, tt.wantWarn) {
				t.Errorf("warnings %q, want %q", warnings, tt.wantWarn)
			}
		})
	}
}

func TestXLSXErrors(t *testing.T) {
	valid := func(t *testing.T) string {
		return writeXLSX(t, "a.xlsx", func(f *excelize.File) {
			set(t, f, "Sheet1", map[string]any{"A1": "ID", "A2": 1006})
			if _, err := f.NewSheet("Other"); err != nil {
				t.Fatal(err)
			}
		})
	}
	tests := []struct {
		name     string
		path     func(t *testing.T) string
		opts     Options
		wantKind error
		wantMsg  string
	}{
		// An unknown sheet lists the sheets there are.
		{name: "unknown sheet", path: valid, opts: Options{Sheet: "Leads"}, wantKind: ErrSheetNotFound,
			wantMsg: `a.xlsx: the workbook has no sheet named "Leads"; choose one of "Sheet1", "Other" with --sheet`},
		// A sheet with no rows is empty.
		{name: "empty sheet", path: valid, opts: Options{Sheet: "Other"}, wantKind: ErrEmpty, wantMsg: `sheet "Other" is empty`},
		// Half a workbook is damaged, not a panic.
		{name: "truncated", path: func(t *testing.T) string {
			b, err := os.ReadFile(valid(t))
			if err != nil {
				t.Fatal(err)
			}
			return writeFile(t, "half.xlsx", b[:len(b)/2])
		}, wantKind: ErrDamaged, wantMsg: "the workbook is damaged or incomplete; open it in Excel, save it again and retry"},
		// A part whose bytes do not match its checksum is damaged, though excelize alone would not say so.
		{name: "bad checksum", path: func(t *testing.T) string {
			b, err := os.ReadFile(valid(t))
			if err != nil {
				t.Fatal(err)
			}
			return writeFile(t, "crc.xlsx", corruptStoredPart(t, b))
		}, wantKind: ErrDamaged},
		// A workbook whose sheet XML is not a sheet reads as damaged or empty, never a panic.
		{name: "garbage sheet XML", path: func(t *testing.T) string {
			return replaceParts(t, valid(t), map[string]string{"xl/worksheets/sheet1.xml": "<<<not xml"})
		}, wantKind: ErrEmpty},
		// Every sheet hidden: nothing to pick by default.
		{name: "no visible sheet", path: func(t *testing.T) string {
			src := valid(t)
			zr, err := zip.OpenReader(src)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			var wb string
			for _, zf := range zr.File {
				if zf.Name == "xl/workbook.xml" {
					rc, _ := zf.Open()
					b, _ := io.ReadAll(rc)
					rc.Close()
					wb = strings.ReplaceAll(string(b), `<sheet name=`, `<sheet state="hidden" name=`)
				}
			}
			return replaceParts(t, src, map[string]string{"xl/workbook.xml": wb})
		}, wantKind: ErrSheetNotFound, wantMsg: `no visible sheet; choose one with --sheet: "Sheet1", "Other"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path(t), tt.opts)
			if err == nil {
				r.Close()
				t.Fatal("Open succeeded")
			}
			asFileError(t, err)
			if !errors.Is(err, tt.wantKind) {
				t.Errorf("error %q is not %v", err, tt.wantKind)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("message %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

// corruptStoredPart rewrites a zip with its sheet stored uncompressed and one
// byte of it flipped, so only the CRC check can notice.
func corruptStoredPart(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		h := zf.FileHeader
		if zf.Name != "xl/worksheets/sheet1.xml" {
			w, err := zw.Create(zf.Name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(body)
			continue
		}
		h.Method = zip.Store
		h.CompressedSize64 = uint64(len(body))
		h.UncompressedSize64 = uint64(len(body))
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(body, []byte("<v>"))
		body[i+3] ^= 0x01 // a digit of a value changes; the CRC no longer matches
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestXLSXEncrypted(t *testing.T) {
	path := writeXLSX(t, "secret.xlsx", func(f *excelize.File) {
		set(t, f, "Sheet1", map[string]any{"A1": "ID", "A2": 1006})
	}, excelize.Options{Password: "pw"})
	tests := []struct {
		name     string
		password string
		wantKind error
		wantMsg  string
	}{
		// No password: say how to give one.
		{name: "no password", wantKind: ErrEncrypted, wantMsg: "secret.xlsx: the workbook is encrypted; set LEADSTATUS_XLSX_PASSWORD to its password"},
		// A wrong password is its own error, without the password in it.
		{name: "wrong password", password: "nope", wantKind: ErrWrongPassword, wantMsg: "does not open the workbook; check the password"},
		// The right password reads the rows.
		{name: "right password", password: "pw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(path, Options{Password: tt.password})
			if tt.wantKind == nil {
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if got := readAll(t, r); !equalRows(got, []Row{row(2, "1006")}) {
					t.Errorf("rows = %v", got)
				}
				return
			}
			asFileError(t, err)
			if !errors.Is(err, tt.wantKind) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q, want %v containing %q", err, tt.wantKind, tt.wantMsg)
			}
			if tt.password != "" && strings.Contains(err.Error(), tt.password) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// TestXLSXNoTempFiles checks that a workbook whose sheet and shared strings
// are each over 1 MiB of XML, which excelize would spool to temporary files
// at open, is read without any: excelize opens it without its rows.
func TestXLSXNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	const n = 30000
	path := writeXLSX(t, "big.xlsx", func(f *excelize.File) {
		if err := f.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Note"}); err != nil {
			t.Fatal(err)
		}
		for i := 2; i <= n+1; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i)
			if err := f.SetSheetRow("Sheet1", cell, &[]any{i, fmt.Sprintf("a note of some length to fill the table, %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
	})
	zr, closeZip := openZip(t, path)
	for _, zf := range zr.File {
		if (zf.Name == "xl/worksheets/sheet1.xml" || zf.Name == "xl/sharedStrings.xml") && zf.UncompressedSize64 <= xmlSpillBytes {
			t.Fatalf("%s is only %d bytes; the test needs it larger than excelize keeps in memory", zf.Name, zf.UncompressedSize64)
		}
	}
	closeZip()
	before := countTemp(t, tmp)
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, r); len(got) != n || got[n-1].Cells[1] != fmt.Sprintf("a note of some length to fill the table, %d", n+1) {
		t.Fatalf("read %d rows", len(got))
	}
	if got := countTemp(t, tmp) - before; got != 0 {
		t.Errorf("%d temporary files made while reading", got)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := countTemp(t, tmp) - before; got != 0 {
		t.Errorf("%d temporary files left after Close", got)
	}
}

func countTemp(t *testing.T, dir string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "excelize-*"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}
