//go:build unix

package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// A report that cannot be written stops the run: the error names the report,
// sending stops instead of going on with updates nobody can see, the rows that
// did reach the report are each there once and in order, and the summary
// still accounts for every row read exactly once.
func TestReportWriteError(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 2000
		tests := []struct {
			name string
			// report makes the report path; the returned func gives what was
			// written to it, once the run is over.
			report func(t *testing.T, dir string) (string, func() []byte)
		}{
			{"disk full", fullDisk},                 // every write fails (ENOSPC)
			{"reader gone after 4 KiB", closedPipe}, // writes fail part-way (EPIPE)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				srv, c := newFake(t, withKind(fake.Options{}, kind))
				o := baseOptions(t, closeInput(t, n), c)
				o.Rate = 1000 // a run that went on would take two seconds
				o.Force = true
				path, written := tt.report(t, t.TempDir())
				o.ReportPath = path
				sum, err := Run(context.Background(), o)
				if err == nil || !strings.Contains(err.Error(), path) {
					t.Fatalf("Run with an unwritable report: %v, want an error naming %s", err, path)
				}
				var setup *SetupError
				if errors.As(err, &setup) {
					if got := posts(srv); got != 0 {
						t.Errorf("setup error %v, yet %d updates were sent", err, got)
					}
					return
				}
				if sum == nil {
					t.Fatalf("Run: %v, without a summary", err)
				}
				counted := 0
				for _, k := range sum.Counts {
					counted += k
				}
				if counted != sum.Rows || sum.Rows == 0 {
					t.Errorf("summary counts %v add up to %d, %d rows were read", sum.Counts, counted, sum.Rows)
				}
				if got := posts(srv); got > n/2 {
					t.Errorf("%d of %d updates sent after the report failed: sending must stop", got, n)
				}
				checkReportPrefix(t, written())
			})
		}
	})
}

// fullDisk points the report at /dev/full, where every write fails.
func fullDisk(t *testing.T, dir string) (string, func() []byte) {
	t.Helper()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	path := filepath.Join(dir, "report.csv")
	if err := os.Symlink("/dev/full", path); err != nil {
		t.Fatal(err)
	}
	return path, func() []byte { return nil }
}

// closedPipe makes the report a named pipe whose reader takes the first 4 KiB
// and then goes away, so later writes fail.
func closedPipe(t *testing.T, dir string) (string, func() []byte) {
	t.Helper()
	path := filepath.Join(dir, "report.csv")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	// Should the run never open the report, let the reader's open return.
	t.Cleanup(func() {
		if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(path) // waits for the run to open the report
		if err != nil {
			got <- nil
			return
		}
		data, _ := io.ReadAll(io.LimitReader(f, 4096))
		f.Close()
		got <- data
	}()
	return path, func() []byte { return <-got }
}

// checkReportPrefix checks the complete lines of a report cut short: the
// header, then rows 2, 3, 4, ... each once.
func checkReportPrefix(t *testing.T, data []byte) {
	t.Helper()
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	} else {
		return
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatalf("report written before the failure does not parse: %v", err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "import_row" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("report header %v has no import_row", recs[0])
	}
	for i, rec := range recs[1:] {
		if rec[col] != strconv.Itoa(i+2) {
			t.Fatalf("line %d of the report is row %s, want %d: rows missing, repeated or out of order", i+2, rec[col], i+2)
		}
	}
}
