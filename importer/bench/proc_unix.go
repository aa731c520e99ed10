//go:build unix

package bench

import (
	"os"
	"os/exec"
	"syscall"
	"time"
)

// rusage returns a finished child's CPU times and peak RSS in KiB (Linux
// reports ru_maxrss in kilobytes).
func rusage(ps *os.ProcessState) (user, sys time.Duration, maxRSSKB int64, ok bool) {
	if ps == nil {
		return 0, 0, 0, false
	}
	ru, isRusage := ps.SysUsage().(*syscall.Rusage)
	if !isRusage || ru == nil {
		return 0, 0, 0, false
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), int64(ru.Maxrss), true
}

// isolate starts cmd in a process group of its own and makes cancelling it
// kill the whole group, so a child's children (curl under a shell loop, the
// program under /usr/bin/time) never outlive the benchmark.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
}
