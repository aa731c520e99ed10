package bench

import (
	"os"
	"os/exec"
	"testing"
)

// HeavyEnv, set to 1 by .ci/run, runs the tests that cost more than the
// README's test command should (a child allocating 64 MiB, full imports),
// and makes a tool they need that is missing a failure, not a skip.
const HeavyEnv = "LEADSTATUS_BENCH_TESTS"

// Heavy skips t unless HeavyEnv is set.
func Heavy(t *testing.T) {
	t.Helper()
	if os.Getenv(HeavyEnv) != "1" {
		t.Skipf("a heavy benchmark test; %s=1 runs it (.ci/run does)", HeavyEnv)
	}
}

// NeedTool fails t when a tool it runs is not installed: CI installs them.
func NeedTool(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is not installed; .ci/run installs it", tool)
	}
}
