package importer

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// A malicious input must not turn the report into an attack on whoever opens it.
func TestReportIsSafeToOpen(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		payloads := []string{`=HYPERLINK("http://evil.example","click")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"}
		var b strings.Builder
		b.WriteString("lead,outcome,note\n")
		for i, p := range payloads {
			b.WriteString(strings.Join([]string{strconv.Itoa(i + 1), "Won", csvQuote(p)}, ",") + "\n")
		}
		b.WriteString(`=1+2,Won,x` + "\n") // a formula where the lead ID should be: invalid, echoed in the error
		input := writeFile(t, "evil.csv", b.String())
		_, c := newFake(t, withKind(fake.Options{}, kind))

		o := baseOptions(t, input, c)
		sum, rows := run(t, o)
		for _, r := range rows {
			for col, cell := range r {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("row %s, column %s: %q starts with a formula trigger", r["import_row"], col, cell)
				}
			}
		}
		if rows[0]["note"] != "'"+payloads[0] {
			t.Errorf("neutralised cell %q, want the text behind a single quote", rows[0]["note"])
		}

		o.ReportPath = filepath.Join(t.TempDir(), "report.xlsx")
		sum, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(sum.ReportPath)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet := f.GetSheetName(0)
		cells, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r := range cells {
			for col := range cells[r] {
				cell, _ := excelize.CoordinatesToCellName(col+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("XLSX report cell %s holds a formula %q", cell, formula)
				}
			}
		}
		if got := cells[1][2]; got != payloads[0] {
			t.Errorf("XLSX report changed the text %q to %q", payloads[0], got)
		}
	})
}

func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
