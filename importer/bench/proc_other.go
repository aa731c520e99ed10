//go:build !unix

package bench

import (
	"os"
	"os/exec"
	"time"
)

// rusage is unavailable here: only Unix systems report a child's peak RSS.
func rusage(*os.ProcessState) (user, sys time.Duration, maxRSSKB int64, ok bool) {
	return 0, 0, 0, false
}

// isolate only bounds the wait here: process groups are a Unix notion.
func isolate(cmd *exec.Cmd) { cmd.WaitDelay = 5 * time.Second }
