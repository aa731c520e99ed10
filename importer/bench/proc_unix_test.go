//go:build unix

package bench

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCancelKillsGrandchildren checks that stopping the suite (Ctrl-C in
// run.sh) leaves no process behind: a shell's background child dies with it,
// with and without /usr/bin/time in between.
func TestCancelKillsGrandchildren(t *testing.T) {
	for _, timePath := range []string{"", TimeV} {
		if _, err := os.Stat(timePath); timePath != "" && err != nil {
			continue // GNU time not installed: the fallback case covers Measure
		}
		ctx, cancel := context.WithCancel(context.Background())
		cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 60 & echo $!; wait")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := measure(ctx, t.TempDir(), timePath, cmd)
			done <- err
		}()
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			t.Fatalf("read the grandchild's pid: %v", err)
		}
		pid, err := strconv.Atoi(strings.TrimSpace(line))
		if err != nil {
			t.Fatalf("grandchild pid %q: %v", line, err)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("time %q: measure after cancel = %v, want context.Canceled", timePath, err)
		}
		if !gone(pid, 5*time.Second) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("time %q: grandchild %d still runs after the cancel", timePath, pid)
		}
	}
}

// gone reports whether pid has exited (a zombie waiting for init counts) within limit.
func gone(pid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return true
			}
			return syscall.Kill(pid, 0) != nil // no /proc: ask the kernel
		}
		if f := strings.Fields(string(stat)); len(f) > 2 && f[2] == "Z" {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}
