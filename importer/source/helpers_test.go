package source

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf16"
)

// writeFile writes content to name in a fresh temporary directory.
func writeFile(t testing.TB, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll reads every row, copying cells and number flags because a Reader
// may reuse them; it checks that flags, where given, match the cells.
func readAll(t testing.TB, r Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		if row.Numeric != nil && len(row.Numeric) != len(row.Cells) {
			t.Fatalf("row %d: %d flags for %d cells", row.Number, len(row.Numeric), len(row.Cells))
		}
		rows = append(rows, Row{Number: row.Number, Cells: slices.Clone(row.Cells), Numeric: slices.Clone(row.Numeric)})
	}
}

// mustOpen opens path and closes it when the test ends.
func mustOpen(t testing.TB, path string, opts Options) Reader {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r
}

// asFileError fails the test unless err is a *FileError.
func asFileError(t testing.TB, err error) *FileError {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FileError", err, err)
	}
	return fe
}

// row builds a Row for comparisons.
func row(n int, cells ...string) Row { return Row{Number: n, Cells: cells} }

func equalRows(a, b []Row) bool {
	return slices.EqualFunc(a, b, func(x, y Row) bool {
		return x.Number == y.Number && slices.Equal(x.Cells, y.Cells)
	})
}

// utf16le encodes s as UTF-16LE bytes.
func utf16le(s string) []byte {
	units := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
