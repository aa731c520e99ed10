package cli

import (
	"archive/zip"
	"io"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestSampleWorkbooksDeclareTheirSize checks that each sheet of each sample
// workbook declares in <dimension> the range its cells fill: streaming
// readers (openpyxl's read-only mode, Power BI) read only that far.
func TestSampleWorkbooksDeclareTheirSize(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "samples", "*.xlsx"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sample workbooks (%v)", err)
	}
	dimension := regexp.MustCompile(`<dimension ref="([^"]*)"`)
	cellRef := regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"`)
	for _, path := range paths {
		z, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		sheets := 0
		for _, f := range z.File {
			if ok, _ := filepath.Match("xl/worksheets/sheet*.xml", f.Name); !ok {
				continue
			}
			sheets++
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			maxCol, maxRow := 1, 1
			for _, m := range cellRef.FindAllSubmatch(data, -1) {
				c, r, err := excelize.CellNameToCoordinates(string(m[1]))
				if err != nil {
					t.Fatal(err)
				}
				maxCol, maxRow = max(maxCol, c), max(maxRow, r)
			}
			last, _ := excelize.CoordinatesToCellName(maxCol, maxRow)
			want := "A1:" + last
			got := "none"
			if m := dimension.FindSubmatch(data); m != nil {
				got = string(m[1])
			}
			if got != want {
				t.Errorf("%s %s: dimension %s, want %s (cells up to row %d)", filepath.Base(path), f.Name, got, want, maxRow)
			}
		}
		z.Close()
		if sheets == 0 {
			t.Errorf("%s has no worksheets", path)
		}
	}
}
