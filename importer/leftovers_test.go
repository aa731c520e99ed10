package importer

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// A run removes the temporary files a killed run left (standard input's
// copy, a workbook's working rows), by their name and age, and leaves those
// of a run that is still going.
func TestRunRemovesWhatAKilledRunLeft(t *testing.T) {
	forEachKindInTurn(t, func(t *testing.T, kind fake.Kind) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		_, c := newFake(t, withKind(fake.Options{}, kind))
		o := baseOptions(t, closeInput(t, 3), c)
		reports := filepath.Dir(o.ReportPath)
		dead := deadPID(t)
		live := os.Getppid()
		week := 8 * 24 * time.Hour
		files := []struct {
			dir, name string
			age       time.Duration
			removed   bool
		}{
			{tmp, fmt.Sprintf("leadstatus-stdin-%d-123.csv", dead), 0, true},
			{tmp, fmt.Sprintf("leadstatus-stdin-%d-123.csv", live), 0, false},
			{tmp, fmt.Sprintf("leadstatus-stdin-%d-456.csv", live), week, true}, // its PID was reused long since
			{tmp, "leadstatus-stdin-789.csv", week, true},                       // an older version's name
			{tmp, "leadstatus-stdin-790.csv", time.Hour, false},
			{tmp, "leadstatus-report-791.rows", week, true},
			{reports, fmt.Sprintf(".leadstatus-report-%d-1.rows", dead), 0, true},
			{reports, fmt.Sprintf(".leadstatus-report-%d-1.rows", live), 0, false},
			{tmp, "someone-else.csv", week, false},
		}
		for _, f := range files {
			path := filepath.Join(f.dir, f.name)
			if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			when := time.Now().Add(-f.age)
			if err := os.Chtimes(path, when, when); err != nil {
				t.Fatal(err)
			}
		}
		run(t, o)
		for _, f := range files {
			_, err := os.Stat(filepath.Join(f.dir, f.name))
			if gone := errors.Is(err, os.ErrNotExist); gone != f.removed {
				t.Errorf("%s: removed %v, want %v", f.name, gone, f.removed)
			}
		}
	})
}

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatalf("run a short-lived process: %v", err)
	}
	return cmd.Process.Pid
}
