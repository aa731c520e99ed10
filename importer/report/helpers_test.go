package report

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// errDiskFull stands in for the error a full disk gives.
var errDiskFull = errors.New("no space left on device")

// failWriter accepts ok writes, then fails every write with errDiskFull.
type failWriter struct {
	ok int
}

func (w *failWriter) Write(p []byte) (int, error) {
	if w.ok <= 0 {
		return 0, errDiskFull
	}
	w.ok--
	return len(p), nil
}

// sampleRows are two report rows: a success and an invalid row whose texts
// need CSV quoting.
func sampleRows() []Row {
	return []Row{
		{Number: 2, Cells: []string{"1006-leads", "won"}, Result: Succeeded, HTTPStatus: 200, Attempts: 1,
			RequestID: "req-1", LeadStatus: "won", Body: `{"status":"won"}`, LeadID: "1006-leads", StatusBefore: "open"},
		{Number: 3, Cells: []string{"x, y", "lost"}, Result: Invalid,
			Error: `Lead "x, y" is not a lead ID; use a number such as 1006`},
	}
}

// writeFile writes data to name in a fresh temporary directory and returns its path.
func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeReport writes rows through Create and returns the file's path.
func writeReport(t *testing.T, name string, columns []string, rows []Row) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	enc, err := Create(path, columns, false)
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
	return path
}
