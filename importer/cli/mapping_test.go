package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/internal/xlsxtest"
	"github.com/xuri/excelize/v2"
)

// TestNearMissHeaderStopsImport checks that a header one letter off a field
// name stops a real run with exit 2 and nothing sent, naming the way out.
func TestNearMissHeaderStopsImport(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, srv := fakeURL(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		in := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(in, []byte("Lead ID,Outcom\n101,Won\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
		err, _, stderr := runCLI(t, env, "import", in, "--report", filepath.Join(dir, "r.csv"))
		if ExitCode(err) != ExitUsage {
			t.Fatalf("exit %d (%v), want %d", ExitCode(err), err, ExitUsage)
		}
		for _, want := range []string{`"Outcom"`, `"outcome"`, "ignore:"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if n := posts(srv); n != 0 {
			t.Errorf("%d updates sent, want none", n)
		}
	})
}

// TestDecimalCommaFlag checks that --decimal-comma reads 1.234,50 as
// 1234.50, and that without it the row is refused with a reason naming it.
func TestDecimalCommaFlag(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, srv := fakeURL(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		in := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(in, []byte("lead_id;product;price\n101;1;1.234,50\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}

		report := filepath.Join(dir, "without.csv")
		err, _, _ := runCLI(t, env, "import", in, "--report", report)
		if !errors.Is(err, ErrRowsFailed) {
			t.Fatalf("without the flag: err %v, want rows failed", err)
		}
		if data, _ := os.ReadFile(report); !strings.Contains(string(data), "--decimal-comma") {
			t.Errorf("the refusal does not name --decimal-comma:\n%s", data)
		}

		err, _, stderr := runCLI(t, env, "import", in, "--decimal-comma", "--report", filepath.Join(dir, "with.csv"))
		if err != nil {
			t.Fatalf("with the flag: %v\n%s", err, stderr)
		}
		sent := ""
		for _, r := range srv.Requests() {
			if r.Method == "POST" {
				sent += string(r.Body)
			}
		}
		if !strings.Contains(sent, `"amount":"1234.50"`) {
			t.Errorf("sent %s, want the amount 1234.50", sent)
		}
	})
}

// TestXLSXNumbersSentAsExcelShowsThem checks, end to end, that a workbook
// written the way openpyxl writes floats sends the price Excel shows and the
// lead it shows, not the stored binary noise.
func TestXLSXNumbersSentAsExcelShowsThem(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, srv := fakeURL(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		f := excelize.NewFile()
		if err := f.SetCellValue("Sheet1", "A1", "x"); err != nil {
			t.Fatal(err)
		}
		src := filepath.Join(dir, "src.xlsx")
		if err := f.SaveAs(src); err != nil {
			t.Fatal(err)
		}
		_ = f.Close()
		sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>` +
			`<row r="2"><c r="A2" t="n"><v>141.00000000000003</v></c><c r="B2" t="n"><v>1</v></c><c r="C2" t="n"><v>2.0000000000000004</v></c><c r="D2" t="n"><v>8661.120000000001</v></c></row>` +
			`</sheetData></worksheet>`
		sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">` +
			`<si><t>Lead ID</t></si><si><t>Product</t></si><si><t>Quantity</t></si><si><t>Price</t></si></sst>`
		in := filepath.Join(dir, "in.xlsx")
		if err := os.WriteFile(in, xlsxtest.ReplaceParts(t, src, map[string]string{"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": sst}), 0o600); err != nil {
			t.Fatal(err)
		}

		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
		if err, _, stderr := runCLI(t, env, "import", in, "--report", filepath.Join(dir, "r.csv")); err != nil {
			t.Fatalf("import: %v\n%s", err, stderr)
		}
		var sent []string
		for _, r := range srv.Requests() {
			if r.Method == "POST" {
				sent = append(sent, r.Lead+" "+string(r.Body))
			}
		}
		want := `141-leads {"productMaps":[{"productType":"product","quantity":2,"price":{"amount":"8661.12"},"links":{"product":"1-products"}}]}`
		if len(sent) != 1 || sent[0] != want {
			t.Errorf("sent %q, want %q", sent, want)
		}
	})
}
