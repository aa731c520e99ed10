package runlock

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAcquire(t *testing.T) {
	started := time.Date(2026, 3, 2, 10, 42, 0, 0, time.Local)
	me := Owner{PID: os.Getpid(), Started: started, What: "sending this file"}
	tests := []struct {
		name string
		// prior is what the lock file holds before Acquire ("" = no file).
		prior    func(t *testing.T) string
		wantHeld bool
		wantWarn string
	}{
		{"free", func(*testing.T) string { return "" }, false, ""},
		{"held by a live process", func(*testing.T) string {
			return `{"pid":` + itoa(os.Getpid()) + `,"started":"2026-03-02T10:42:00Z","what":"sending this file"}`
		}, true, ""},
		{"left by a dead process", func(t *testing.T) string {
			return `{"pid":` + itoa(deadPID(t)) + `,"started":"2026-03-02T10:42:00Z","what":"sending this file"}`
		}, false, "no longer running"},
		{"unreadable", func(*testing.T) string { return "garbage" }, false, "unreadable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if p := tt.prior(t); p != "" {
				if err := os.WriteFile(Path(dir, "k"), []byte(p), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var warned []string
			l, err := Acquire(dir, "k", me, func(s string) { warned = append(warned, s) })
			var held *HeldError
			if tt.wantHeld {
				if !errors.As(err, &held) {
					t.Fatalf("Acquire: %v, want a HeldError", err)
				}
				want := "another leadstatus run (PID " + itoa(os.Getpid()) + ", started "
				if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "is sending this file; wait for it, or stop it") {
					t.Errorf("message %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Acquire: %v", err)
			}
			if got := strings.Join(warned, "; "); tt.wantWarn == "" && got != "" || !strings.Contains(got, tt.wantWarn) {
				t.Errorf("warnings %q, want one containing %q", got, tt.wantWarn)
			}
			info, err := os.Stat(Path(dir, "k"))
			if err != nil {
				t.Fatal(err)
			}
			if perm := info.Mode().Perm(); perm&0o077 != 0 {
				t.Errorf("lock file mode %v, want readable by its owner only", perm)
			}
			// A second run of the same key is refused while the first holds it.
			if _, err := Acquire(dir, "k", me, func(string) {}); !errors.As(err, &held) || held.Owner.PID != os.Getpid() {
				t.Errorf("second Acquire: %v, want held by PID %d", err, os.Getpid())
			}
			// Another key is free.
			other, err := Acquire(dir, "other", me, func(string) {})
			if err != nil {
				t.Fatalf("Acquire of another key: %v", err)
			}
			other.Release()
			l.Release()
			l.Release()
			if _, err := os.Stat(Path(dir, "k")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("lock still there after Release: %v", err)
			}
		})
	}
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

func itoa(n int) string { return strconv.Itoa(n) }
