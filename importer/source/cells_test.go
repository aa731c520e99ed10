package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leadstatus/leadstatus/importer/internal/xlsxtest"
	"github.com/xuri/excelize/v2"
)

// rawSheet writes a workbook whose shared strings are the given <si> items
// and whose sheet part is the given XML, as other producers write them.
func rawSheet(t *testing.T, items []string, sheet string) string {
	t.Helper()
	src := writeXLSX(t, "a.xlsx", func(f *excelize.File) { set(t, f, "Sheet1", map[string]any{"A1": "x"}) })
	sst := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>`,
		len(items), len(items), strings.Join(items, ""))
	return replaceParts(t, src, map[string]string{"xl/sharedStrings.xml": sst, "xl/worksheets/sheet1.xml": sheet})
}

// bareRows reads a workbook with excelize's row iterator, as the reader
// did before it read the sheet itself: raw values, blank rows left out, each
// row padded to the first one's width.
func bareRows(t *testing.T, path string) (header []string, rows []Row) {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	it, err := f.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns()
		if err != nil {
			t.Fatal(err)
		}
		if blankRecord(cells) {
			continue
		}
		if header == nil {
			header = slices.Clone(cells)
			continue
		}
		for len(cells) < len(header) {
			cells = append(cells, "")
		}
		rows = append(rows, row(n, cells...))
	}
	return header, rows
}

// TestXLSXCellsAsExcelizeReadsThem reads sheets written the ways Excel,
// openpyxl and others write them, and checks each cell's text against
// excelize's own row iterator over the same file.
func TestXLSXCellsAsExcelizeReadsThem(t *testing.T) {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	tests := []struct {
		name  string
		items []string // shared strings
		sheet string   // the sheet part
	}{
		// Rich text runs are joined; phonetic runs are not part of the text.
		{name: "rich shared strings", items: []string{
			`<si><t>ID</t></si>`, `<si><t>Note</t></si>`,
			`<si><r><rPr><b/><sz val="11"/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></si>`,
			`<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>`,
		}, sheet: sheetXMLHead + `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="2"><c r="A2"><v>1006</v></c><c r="B2" t="s"><v>2</v></c></row>` +
			`<row r="3"><c r="A3"><v>1007</v></c><c r="B3" t="s"><v> 3 </v></c></row></sheetData></worksheet>`},
		// Entities, character references, Excel's _xHHHH_ escapes and line ends.
		{name: "escapes", items: []string{
			`<si><t>ID</t></si>`, `<si><t>Note</t></si>`,
			`<si><t>Smith &amp; Sons &lt;ltd&gt; &quot;q&quot; &apos;a&apos; &#233;&#x4E2D;</t></si>`,
			`<si><t>a_x000D_b_x005F_x0041_c_x0041_d_X0041_</t></si>`,
			"<si><t>line1&#13;\nline2\r\nline3\rline4</t></si>",
			`<si><t xml:space="preserve">  padded  </t></si>`,
			`<si><t><![CDATA[a & b <c> &amp;]]> after</t></si>`,
		}, sheet: sheetXMLHead + `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="2"><c r="A2"><v>2</v></c><c r="B2" t="s"><v>2</v></c></row>` +
			`<row r="3"><c r="A3"><v>3</v></c><c r="B3" t="s"><v>3</v></c></row>` +
			`<row r="4"><c r="A4"><v>4</v></c><c r="B4" t="s"><v>4</v></c></row>` +
			`<row r="5"><c r="A5"><v>5</v></c><c r="B5" t="s"><v>5</v></c></row>` +
			`<row r="6"><c r="A6"><v>6</v></c><c r="B6" t="s"><v>6</v></c></row>` +
			`<row r="7"><c r="A7"><v>7</v></c><c r="B7" t="inlineStr"><is><t>x &amp; y_x000A_z</t></is></c></row>` +
			"<row r=\"8\"><c r=\"A8\"><v>8</v></c><c r=\"B8\" t=\"str\"><f>\"a\"</f><v>cr\r\nlf &amp; &#x26;</v></c></row>" +
			`</sheetData></worksheet>`},
		// openpyxl and others may write a prefix on every element.
		{name: "prefixed namespace", sheet: `<?xml version="1.0" encoding="UTF-8"?>` +
			`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>ID</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Outcome</x:t></x:is></x:c></x:row>` +
			`<x:row r="2"><x:c r="A2" t="n"><x:v>1006</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:r><x:t>W</x:t></x:r><x:r><x:t>on</x:t></x:r></x:is></x:c></x:row>` +
			`</x:sheetData></x:worksheet>`},
		// Rows and cells that skip ahead, cells and rows without r, empty cells, self-closing rows.
		{name: "gaps", sheet: `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + ns + `><sheetData>` +
			`<row><c t="inlineStr"><is><t>ID</t></is></c><c t="inlineStr"><is><t>A</t></is></c><c t="inlineStr"><is><t>B</t></is></c><c t="inlineStr"><is><t>C</t></is></c></row>` +
			`<row r="3"><c r="A3"><v>1</v></c><c r="C3"><v>3</v></c><c><v>4</v></c></row>` +
			`<row r="4"/>` +
			`<row><c r="B5" s="0"/><c><v>5</v></c></row>` +
			`<row r="9" spans="1:4"><c r="$D$9"><v>9</v></c></row>` +
			`<row><c r="A10" t="inlineStr"><is><t></t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>` +
			`</sheetData><mergeCells count="0"/></worksheet>`},
		// Booleans, errors, ISO dates, formula strings, formulas without a
		// cached value, inline strings without <is>, comments inside values.
		{name: "other cell types", sheet: sheetXMLHead +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Value</t></is></c><c r="C1" t="inlineStr"><is><t>Other</t></is></c></row>` +
			`<row r="2"><c r="A2"><v>2</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c></row>` +
			`<row r="3"><c r="A3"><v>3</v></c><c r="B3" t="d"><v>2024-03-31T00:00:00Z</v></c><c r="C3" t="str"><f>A1</f><v>ID</v></c></row>` +
			`<row r="4"><c r="A4"><v>4</v></c><c r="B4"><f>A1</f></c><c r="C4" t="inlineStr"><v>plain</v></c></row>` +
			`<row r="5"><c r="A5"><v>5</v></c><c r="B5"><v>12<!-- a note -->34</v></c><c r="C5" t="inlineStr"><is><t>a</t><!-- c --><extLst/></is></c></row>` +
			`<row r="6"><c r="A6"><v>6</v></c><c r="B6"><v></v></c><c r="C6" t="inlineStr"><is/></c></row>` +
			`</sheetData></worksheet>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := rawSheet(t, tt.items, tt.sheet)
			wantHeader, want := bareRows(t, path)
			r := mustOpen(t, path, Options{})
			if got := r.Header(); !slices.Equal(got, wantHeader) {
				t.Errorf("header %q, excelize reads %q", got, wantHeader)
			}
			if got := readAll(t, r); !equalRows(got, want) {
				t.Errorf("rows\n%+q\nexcelize reads\n%+q", cellsOf(got), cellsOf(want))
			}
		})
	}
}

// TestXLSXDamagedCells checks that a sheet whose XML is broken inside its
// rows stops the run at the row (and cell) where it breaks, instead of
// ending the sheet there as if the rest were not in it.
func TestXLSXDamagedCells(t *testing.T) {
	head := sheetXMLHead + `<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Note</t></is></c></row>` +
		`<row r="2"><c r="A2"><v>1006</v></c></row>`
	tests := []struct {
		name     string
		rows     string
		wantRow  int
		wantCol  int
		wantKind error
	}{
		{name: "unknown entity", rows: `<row r="3"><c r="A3"><v>1</v></c><c r="B3" t="inlineStr"><is><t>a &nbsp; b</t></is></c></row>`, wantRow: 3, wantCol: 2, wantKind: ErrDamaged},
		{name: "shared string past the table", rows: `<row r="3"><c r="A3" t="s"><v>7</v></c></row>`, wantRow: 3, wantCol: 1, wantKind: ErrDamaged},
		{name: "shared string not a number", rows: `<row r="3"><c r="B3" t="s"><v>x</v></c></row>`, wantRow: 3, wantCol: 2, wantKind: ErrDamaged},
		{name: "reference not a cell", rows: `<row r="3"><c r="3A"><v>1</v></c></row>`, wantRow: 3, wantCol: 1, wantKind: ErrDamaged},
		{name: "column past Excel's last", rows: `<row r="3"><c r="XFE3"><v>1</v></c></row>`, wantRow: 3, wantKind: ErrDamaged},
		{name: "row number not a number", rows: `<row r="x"><c><v>1</v></c></row>`, wantRow: 3, wantKind: ErrDamaged},
		{name: "rows out of order", rows: `<row r="2"><c r="A2"><v>1</v></c></row>`, wantRow: 3, wantKind: ErrDamaged},
		{name: "row past Excel's last", rows: `<row r="1048577"><c r="A1048577"><v>1</v></c></row>`, wantRow: 3, wantKind: ErrDamaged},
		{name: "cut off inside a cell", rows: `<row r="3"><c r="A3"><v>10`, wantRow: 3, wantCol: 1, wantKind: ErrDamaged},
		{name: "invalid UTF-8 inline", rows: "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>a\xffb</t></is></c></row>", wantRow: 3, wantCol: 2, wantKind: ErrDamaged},
		{name: "invalid UTF-8", rows: "<row r=\"3\"><c r=\"B3\" t=\"str\"><v>\xff</v></c></row>", wantRow: 3, wantCol: 2, wantKind: ErrDamaged},
		{name: "cell too long", rows: `<row r="3"><c r="B3" t="str"><v>` + strings.Repeat("&amp;", DefaultMaxCellBytes+1) + `</v></c></row>`, wantRow: 3, wantCol: 2, wantKind: ErrCellTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := rawSheet(t, []string{`<si><t>a</t></si>`}, head+tt.rows+`</sheetData></worksheet>`)
			r := mustOpen(t, path, Options{})
			var err error
			for err == nil {
				_, err = r.Next()
			}
			fe := asFileError(t, err)
			if !errors.Is(err, tt.wantKind) || fe.Row != tt.wantRow || fe.Column != tt.wantCol {
				t.Errorf("error %q at row %d column %d, want %v at row %d column %d", err, fe.Row, fe.Column, tt.wantKind, tt.wantRow, tt.wantCol)
			}
		})
	}
}

// TestXLSXDamagedSharedStrings checks that a shared-string table that is not
// XML stops the run at open.
func TestXLSXDamagedSharedStrings(t *testing.T) {
	path := rawSheet(t, []string{`<si><t>ID &bogus;</t></si>`}, sheetXMLHead+`<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`)
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open: %v, want a damaged workbook", err)
	}
	asFileError(t, err)
}

func cellsOf(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%d:%q", r.Number, r.Cells)
	}
	return out
}

// FuzzXLSXSheet reads fuzzed sheet XML (the workbook around it intact):
// every outcome is rows in increasing order or a *FileError, never a panic.
func FuzzXLSXSheet(f *testing.F) {
	f.Add([]byte(sheetXMLHead + `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>a &amp; b</t></r></is></c></row>` +
		`<row><c t="str"><v>x<![CDATA[<y>]]></v></c><c r="D2"><f>1</f><v>1.5</v></c></row></sheetData><mergeCells><mergeCell ref="A2:A3"/></mergeCells></worksheet>`))
	f.Add([]byte(`<x:worksheet xmlns:x="s"><x:sheetData><x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`))
	src := writeXLSX(f, "a.xlsx", func(x *excelize.File) { set(f, x, "Sheet1", map[string]any{"A1": "ID"}) })
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, sheet []byte) {
		if !utf8.Valid(sheet) {
			return // the part is replaced as text
		}
		path := filepath.Join(dir, "fuzz.xlsx")
		if err := os.WriteFile(path, xlsxtest.ReplaceParts(t, src, map[string]string{"xl/worksheets/sheet1.xml": string(sheet)}), 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, Options{MaxCellBytes: fuzzMaxCell})
		if err != nil {
			asFileError(t, err)
			return
		}
		defer r.Close()
		last := r.HeaderRow()
		for {
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				asFileError(t, err)
				return
			}
			if row.Number <= last {
				t.Fatalf("row %d follows row %d", row.Number, last)
			}
			last = row.Number
			for i, c := range row.Cells {
				if len(c) > fuzzMaxCell {
					t.Fatalf("row %d cell %d is %d bytes", row.Number, i+1, len(c))
				}
			}
		}
	})
}

// TestXLSXMergeOverMissingRows checks that a value merged down over rows the
// sheet's XML leaves out fills those rows too, as Excel shows them.
func TestXLSXMergeOverMissingRows(t *testing.T) {
	path := rawSheet(t, nil, sheetXMLHead+
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Lead ID</t></is></c><c r="B1" t="inlineStr"><is><t>Product</t></is></c></row>`+
		`<row r="2"><c r="A2"><v>1006</v></c><c r="B2" t="inlineStr"><is><t>Pro</t></is></c></row>`+
		`<row r="4"><c r="B4" t="inlineStr"><is><t>Seats</t></is></c></row>`+
		`<row r="7"><c r="A7"><v>1007</v></c></row>`+
		`</sheetData><mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells></worksheet>`)
	got := readAll(t, mustOpen(t, path, Options{}))
	want := []Row{row(2, "1006", "Pro"), row(3, "1006", ""), row(4, "1006", "Seats"), row(7, "1007", "")}
	if !equalRows(got, want) {
		t.Errorf("rows %q, want %q", cellsOf(got), cellsOf(want))
	}
}
