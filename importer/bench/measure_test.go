package bench

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// childEnv makes the test binary act as a child process for Measure.
const childEnv = "BENCH_TEST_CHILD"

// allocMiB is how much the "alloc" child touches: far above a Go program's
// baseline, so a peak RSS below it means the figure is not the child's.
const allocMiB = 64

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "alloc":
		b := make([]byte, allocMiB<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		os.Exit(int(b[len(b)-4096]) - 1)
	case "exit3":
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestMeasure(t *testing.T) {
	Heavy(t)
	methods := []struct {
		name     string
		timePath string
	}{
		{"wait4 rusage", ""}, // the fallback, always available on Unix
		{"GNU time", TimeV},  // the preferred source, when installed
	}
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			if m.timePath != "" {
				NeedTool(t, m.timePath)
			}
			u := measureChild(t, m.timePath, "alloc")
			if u.ExitCode != 0 {
				t.Fatalf("exit code %d, want 0", u.ExitCode)
			}
			if u.MaxRSSMiB() < allocMiB {
				t.Errorf("peak RSS %.1f MiB, want at least the %d MiB the child touched", u.MaxRSSMiB(), allocMiB)
			}
			if u.CPU() <= 0 || u.Wall <= 0 {
				t.Errorf("CPU %s, wall %s: want both measured", u.CPU(), u.Wall)
			}
			if u := measureChild(t, m.timePath, "exit3"); u.ExitCode != 3 {
				t.Errorf("exit code %d, want the child's 3", u.ExitCode)
			}
		})
	}
}

// measureChild runs the test binary as a child in the given mode.
func measureChild(t *testing.T, timePath, mode string) Usage {
	t.Helper()
	ctx := context.Background()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	u, err := measure(ctx, t.TempDir(), timePath, cmd)
	if err != nil {
		t.Fatalf("measure: %v", err)
	}
	return u
}

func TestParseTimeV(t *testing.T) {
	sample := `	Command being timed: "leadstatus import --dry-run x.csv"
	User time (seconds): 2.97
	System time (seconds): 0.43
	Percent of CPU this job got: 27%
	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:12.30
	Maximum resident set size (kbytes): 76436
	Exit status: 0
`
	tests := []struct {
		name    string
		text    string
		want    Usage
		wantErr bool
	}{
		{"GNU time -v report", sample, Usage{User: 2970 * time.Millisecond, Sys: 430 * time.Millisecond, MaxRSSKB: 76436}, false},                                                // the fields the suite uses
		{"child exited non-zero", "Command exited with non-zero status 1\n" + sample, Usage{User: 2970 * time.Millisecond, Sys: 430 * time.Millisecond, MaxRSSKB: 76436}, false}, // an extra first line
		{"no RSS line", "\tUser time (seconds): 1.00\n\tSystem time (seconds): 0.10\n", Usage{}, true},                                                                           // a missing figure is an error, never a zero
		{"garbled number", "\tUser time (seconds): x\n", Usage{}, true},                                                                                                          // a bad figure is an error
		{"empty", "", Usage{}, true}, // nothing to read
	}
	for _, tt := range tests {
		got, err := ParseTimeV(tt.text)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: error %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && (got.User.Round(time.Millisecond) != tt.want.User || got.Sys.Round(time.Millisecond) != tt.want.Sys || got.MaxRSSKB != tt.want.MaxRSSKB) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
