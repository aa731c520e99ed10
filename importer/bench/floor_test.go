package bench

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/report"
)

// TestFloorCSV checks the floor does the work it stands for: every row read,
// and a report of the report's shape written.
func TestFloorCSV(t *testing.T) {
	tests := []struct {
		name string
		rows int
	}{
		{"header only", 0},  // nothing but the header to copy
		{"one row", 1},      // the smallest file with data
		{"many rows", 2500}, // quoted free text over several buffers
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
			if err := WriteCSV(in, tt.rows); err != nil {
				t.Fatal(err)
			}
			n, err := FloorCSV(in, out)
			if err != nil || n != tt.rows {
				t.Fatalf("FloorCSV = %d, %v; want %d rows", n, err, tt.rows)
			}
			recs := readCSV(t, out)
			wantHeader := append(Columns(), report.Columns()...)
			if !slices.Equal(recs[0], wantHeader) {
				t.Errorf("header %q, want %q", recs[0], wantHeader)
			}
			if len(recs) != tt.rows+1 {
				t.Fatalf("%d report rows, want %d", len(recs)-1, tt.rows)
			}
			for i, rec := range recs[1:] {
				if want := append(LeadAt(i+1).Cells(), floorValues()...); !slices.Equal(rec, want) {
					t.Fatalf("report row %d = %q, want %q", i+1, rec, want)
				}
			}
		})
	}
}

func TestFloorXLSX(t *testing.T) {
	tests := []struct {
		name string
		rows int
	}{
		{"header only", 0}, // an iterator with a single row
		{"rows", 300},      // a sheet of typed cells
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "in.xlsx")
			if err := WriteXLSX(in, tt.rows); err != nil {
				t.Fatal(err)
			}
			if n, err := FloorXLSX(in); err != nil || n != tt.rows {
				t.Fatalf("FloorXLSX = %d, %v; want %d rows", n, err, tt.rows)
			}
		})
	}
}

func TestFloorErrorsNameTheFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.csv")
	tests := []struct {
		name string
		run  func() error
	}{
		{"CSV", func() error { _, err := FloorCSV(missing, missing+".out"); return err }}, // an input that does not exist
		{"XLSX", func() error { _, err := FloorXLSX(missing); return err }},               // a workbook that does not exist
	}
	for _, tt := range tests {
		err := tt.run()
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
			t.Errorf("%s: error %v, want one naming %s and wrapping fs.ErrNotExist", tt.name, err, missing)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs
}
