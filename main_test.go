package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestVersionNamesItsBuild builds the command as a user from a clone and a
// release build would, and checks that "leadstatus version" says what was
// built. GOFLAGS may say -buildvcs=false (it does on some machines); the
// flag on the command line wins.
func TestVersionNamesItsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command twice")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout, so no commit to expect: %v", err)
	}
	commit := strings.TrimSpace(string(head))
	status, err := exec.Command("git", "status", "--porcelain").Output()
	if err != nil {
		t.Fatal(err)
	}
	if len(status) > 0 {
		commit += " (with uncommitted changes)" // what go build records as vcs.modified
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	// Go stamps VCS information only where .git is a folder: not in a
	// worktree made by git worktree add, where it is a file.
	gitDir, err := os.Stat(".git")
	stamped := err == nil && gitDir.IsDir()
	tests := []struct {
		name  string
		vcs   bool // needs the toolchain's VCS stamp
		flags []string
		want  []string // the lines of leadstatus version, bar the date's
	}{
		{
			// go build from a clone: the commit from the toolchain's VCS stamp.
			"go build", true, []string{"-buildvcs=true"},
			[]string{"commit:    " + commit, "go:        " + runtime.Version(), "platform:  " + platform},
		},
		{
			// A release build: GoReleaser's linker flags.
			"release", false, []string{"-ldflags=-X main.version=9.8.7 -X main.commit=0123abc -X main.date=2026-12-02T10:00:00Z"},
			[]string{"leadstatus 9.8.7", "commit:    0123abc", "built:     2026-12-02T10:00:00Z", "go:        " + runtime.Version(), "platform:  " + platform},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.vcs && !stamped {
				t.Skip(".git is not a folder (a git worktree?): go build records no commit here")
			}
			bin := filepath.Join(t.TempDir(), "leadstatus")
			if runtime.GOOS == "windows" {
				bin += ".exe"
			}
			build := exec.Command("go", append(append([]string{"build"}, tt.flags...), "-o", bin, ".")...)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, "version").Output()
			if err != nil {
				t.Fatalf("leadstatus version: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			if !strings.HasPrefix(lines[0], "leadstatus ") || strings.Contains(lines[0], "devel") {
				t.Errorf("first line %q: want leadstatus and a version", lines[0])
			}
			for _, want := range tt.want {
				if !strings.Contains(string(out), want+"\n") {
					t.Errorf("no line %q in:\n%s", want, out)
				}
			}
		})
	}
}
