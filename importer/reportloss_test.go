package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// failAfter is a report file that takes n bytes and then fails every
// write, as a disk that fills up does.
type failAfter struct {
	io.WriteCloser
	n int64
}

func (f *failAfter) Write(p []byte) (int, error) {
	if int64(len(p)) <= f.n {
		f.n -= int64(len(p))
		return f.WriteCloser.Write(p)
	}
	k, _ := f.WriteCloser.Write(p[:f.n])
	f.n = 0
	return k, errors.New("no space left on device")
}

func failingAfter(n int64) func(io.WriteCloser) io.WriteCloser {
	return func(w io.WriteCloser) io.WriteCloser { return &failAfter{w, n} }
}

// A CSV report that stops taking rows part-way stops the run, and every row
// whose update was sent is either in the report or named, with its result,
// in the summary: no result is known only to the server.
func TestCSVReportFailingAfterNBytesNamesTheRowsItMisses(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		for _, n := range []int64{1 << 10, 8 << 10, 64 << 10} {
			t.Run(strconv.FormatInt(n, 10), func(t *testing.T) {
				const rows = 3000
				srv, c := newFake(t, withKind(fake.Options{}, kind))
				o := baseOptions(t, closeInput(t, rows), c)
				o.Rate, o.StartRate = 1500, 1500
				path := filepath.Join(t.TempDir(), "report.csv")
				o.ReportPath, o.WrapReport = path, failingAfter(n)
				sum, err := Run(context.Background(), o)
				if sum == nil || err == nil || !strings.Contains(err.Error(), path) {
					t.Fatalf("Run: %v, want an error naming %s", err, path)
				}
				inReport := map[int]bool{}
				data, rerr := os.ReadFile(path)
				if rerr != nil {
					t.Fatal(rerr)
				}
				if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
					recs, perr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data[:i+1], []byte("\xef\xbb\xbf")))).ReadAll()
					if perr != nil {
						t.Fatalf("report prefix: %v", perr)
					}
					col := slicesIndex(recs[0], "import_row")
					for _, rec := range recs[1:] {
						k, _ := strconv.Atoi(rec[col])
						inReport[k] = true
					}
				}
				named := namedRows(t, sum.Warnings)
				sent := 0
				for row := 2; row <= rows+1; row++ {
					lead := strconv.Itoa(row-1) + "-leads"
					if srv.Applied(lead) == 0 {
						continue
					}
					sent++
					if !inReport[row] && named[row] == "" {
						t.Errorf("row %d was applied but is neither in the report nor named in the summary", row)
					}
					if named[row] != "" && named[row] != string(report.Succeeded) {
						t.Errorf("row %d was applied and is named %s", row, named[row])
					}
				}
				if sent >= rows {
					t.Errorf("all %d rows were sent: the run did not stop when the report failed", sent)
				}
			})
		}
	})
}

// namedRows reads "succeeded: rows 1502-1530, 1533; failed: row 1531" from
// the summary's warning about rows the report misses.
func namedRows(t *testing.T, warnings []string) map[int]string {
	t.Helper()
	out := map[int]string{}
	for _, w := range warnings {
		_, list, ok := strings.Cut(w, "could not be written to the report; their results were: ")
		if !ok {
			continue
		}
		for part := range strings.SplitSeq(list, "; ") {
			res, spans, _ := strings.Cut(part, ": ")
			spans = regexp.MustCompile(`^rows? `).ReplaceAllString(spans, "")
			for span := range strings.SplitSeq(spans, ", ") {
				a, b, isRange := strings.Cut(span, "-")
				from, err1 := strconv.Atoi(a)
				to := from
				var err2 error
				if isRange {
					to, err2 = strconv.Atoi(b)
				}
				if err1 != nil || err2 != nil {
					t.Fatalf("unreadable span %q in %q", span, w)
				}
				for k := from; k <= to; k++ {
					out[k] = res
				}
			}
		}
	}
	return out
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// A workbook that cannot be written at the end loses no row: the rows were
// kept beside it as they finished, the error and the summary name that file
// as the report, and --resume and undo take it.
func TestWorkbookFailingAfterNBytesKeepsEveryRow(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const rows = 300
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		o := baseOptions(t, closeInput(t, rows), c)
		path := filepath.Join(dir, "report.xlsx")
		o.ReportPath, o.WrapReport = path, failingAfter(2048)
		sum, err := Run(context.Background(), o)
		kept := report.SpoolPath(path)
		var keptErr *report.KeptError
		if sum == nil || !errors.As(err, &keptErr) || !strings.Contains(err.Error(), kept) {
			t.Fatalf("Run: %v, want an error naming %s", err, kept)
		}
		if sum.ReportPath != kept {
			t.Errorf("summary names %s as the report, want %s", sum.ReportPath, kept)
		}
		if got := srv.Stats().Applied; got != rows {
			t.Fatalf("%d applied, want %d", got, rows)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the damaged workbook is still there: %v", err)
		}
		prev, err := report.ReadPrevious(kept)
		if err != nil {
			t.Fatalf("read the kept rows: %v", err)
		}
		for row := 2; row <= rows+1; row++ {
			if !prev.Succeeded(row, strconv.Itoa(row-1)+"-leads") {
				t.Errorf("row %d is not in the kept rows as succeeded", row)
			}
		}
		if info, err := os.Stat(kept); err != nil || info.Mode().Perm()&0o077 != 0 {
			t.Errorf("kept rows: %v, mode %v; want readable by the owner only", err, info.Mode())
		}

		// --resume takes it: nothing is sent again.
		o2 := baseOptions(t, o.Input, c)
		o2.Resume = kept
		sum2, rows2 := run(t, o2)
		checkEveryRowOnce(t, rows2, rows)
		if sum2.Counts[report.Skipped] != rows || srv.Stats().Applied != rows {
			t.Errorf("resume from the kept rows: %v, %d applied; want every row skipped, nothing sent", sum2.Counts, srv.Stats().Applied)
		}
		// undo takes it: every lead the import closed is reopened.
		usum, err := Undo(context.Background(), UndoOptions{Input: kept, ReportPath: filepath.Join(dir, "undo.csv"), Client: c, LockDir: t.TempDir(), Rate: 2000, StartRate: 2000})
		if usum == nil || usum.Counts[report.Succeeded] != rows {
			t.Errorf("undo of the kept rows: %v (%+v)", err, usum)
		}
		_ = os.Remove(kept)
	})
}

func TestMissingRows(t *testing.T) {
	got := missingRows([]sentRow{{1533, report.Succeeded}, {1502, report.Succeeded}, {1503, report.Succeeded}, {1531, report.Failed}, {1504, report.Succeeded}})
	if want := "succeeded: rows 1502-1504, 1533; failed: row 1531"; got != want {
		t.Errorf("missingRows = %q, want %q", got, want)
	}
}
