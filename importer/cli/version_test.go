package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestNewBuild(t *testing.T) {
	const rev = "c2cf2c3a1b2c3d4e5f60718293a4b5c6d7e8f901"
	vcs := []debug.BuildSetting{
		{Key: "-trimpath", Value: "true"},
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: rev},
		{Key: "vcs.time", Value: "2026-12-01T09:30:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	tests := []struct {
		name                  string
		version, commit, date string // linker flags
		info                  *debug.BuildInfo
		want                  Build
	}{
		{
			// A release build: the linker's values win over the toolchain's.
			"release", "1.2.0", rev, "2026-12-02T10:00:00Z",
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			Build{Version: "1.2.0", Commit: rev, Date: "2026-12-02T10:00:00Z", GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
		{
			// go build from a clone with VCS stamping: a pseudo-version, the commit and its time.
			"go build", "", "", "",
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201093000-c2cf2c3a1b2c+dirty"}, Settings: vcs},
			Build{Version: "0.0.0-20261201093000-c2cf2c3a1b2c+dirty", Commit: rev, Date: "2026-12-01T09:30:00Z", Committed: true, Modified: true, GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
		{
			// go build with -buildvcs=false: nothing is known but the toolchain.
			"no vcs", "", "", "",
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			Build{GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
		{
			// go install ...@v1.2.0: the module version, no vcs settings.
			"go install", "", "", "",
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}},
			Build{Version: "1.2.0", GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
		{
			// Only a version set by hand: the commit still comes from the toolchain.
			"version flag only", "2.0.0-rc1", "", "",
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs[:4]},
			Build{Version: "2.0.0-rc1", Commit: rev, Date: "2026-12-01T09:30:00Z", Committed: true, GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newBuild(tt.version, tt.commit, tt.date, tt.info, "linux/amd64"); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		build Build
		want  string
	}{
		{
			// A release build; "version" and "--version" print the same.
			"release", []string{"version"},
			Build{Version: "1.2.0", Commit: "c2cf2c3a1b2c", Date: "2026-12-02T10:00:00Z", GoVersion: "go1.26.8", Platform: "windows/arm64"},
			"leadstatus 1.2.0\ncommit:    c2cf2c3a1b2c\nbuilt:     2026-12-02T10:00:00Z\ngo:        go1.26.8\nplatform:  windows/arm64\n",
		},
		{
			// go build from a checkout with changes: the commit's time, and the changes said.
			"modified checkout", []string{"--version"},
			Build{Version: "0.0.0-20261201093000-c2cf2c3a1b2c+dirty", Commit: "c2cf2c3a1b2c", Date: "2026-12-01T09:30:00Z", Committed: true, Modified: true, GoVersion: "go1.26.8", Platform: "darwin/arm64"},
			"leadstatus 0.0.0-20261201093000-c2cf2c3a1b2c+dirty\ncommit:    c2cf2c3a1b2c (with uncommitted changes)\ncommitted: 2026-12-01T09:30:00Z\ngo:        go1.26.8\nplatform:  darwin/arm64\n",
		},
		{
			// Nothing recorded: the first line still has a version word for scripts.
			"unknown", []string{"version"},
			Build{GoVersion: "go1.26.8", Platform: "linux/amd64"},
			"leadstatus devel\ncommit:    unknown (this build did not record it)\ngo:        go1.26.8\nplatform:  linux/amd64\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys, out, errOut := testIO(nil)
			sys.Build = tt.build
			if err := Run(t.Context(), t.Context(), tt.args, sys); err != nil {
				t.Fatalf("%s: %v", strings.Join(tt.args, " "), err)
			}
			if out.String() != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.want)
			}
			if errOut.Len() > 0 {
				t.Errorf("stderr: %s", errOut)
			}
		})
	}
}
