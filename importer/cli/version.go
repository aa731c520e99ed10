package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// Build says what a binary is and where it came from.
type Build struct {
	Version   string // "1.2.0", a Go pseudo-version, or "" when unknown
	Commit    string // the full revision it was built from, "" when unknown
	Date      string // when it was built (release builds) or committed (go build), RFC 3339
	Committed bool   // Date is the commit's time, not the build's
	Modified  bool   // built from a checkout with uncommitted changes
	GoVersion string // e.g. "go1.26.8"
	Platform  string // GOOS/GOARCH, e.g. "windows/amd64"
}

// ReadBuild describes the running binary. version, commit and date are what
// a release build's linker flags set (-X main.version=...); each one left
// empty is taken from the build information the Go toolchain records: the
// module version (a tag or pseudo-version for "go install ...@version" and,
// from a clone, for "go build" with VCS stamping), vcs.revision, vcs.time
// and vcs.modified.
func ReadBuild(version, commit, date string) Build {
	info, _ := debug.ReadBuildInfo()
	return newBuild(version, commit, date, info, runtime.GOOS+"/"+runtime.GOARCH)
}

// newBuild merges linker-set values with the toolchain's build information
// (nil when the binary has none).
func newBuild(version, commit, date string, info *debug.BuildInfo, platform string) Build {
	b := Build{Version: version, Commit: commit, Date: date, Platform: platform, GoVersion: runtime.Version()}
	if info == nil {
		return b
	}
	b.GoVersion = info.GoVersion
	if b.Version == "" && info.Main.Version != "(devel)" {
		// Module versions carry a "v"; release versions, as scripts parse them, do not.
		b.Version = strings.TrimPrefix(info.Main.Version, "v")
	}
	if b.Commit != "" {
		return b // a release build: the linker named its commit
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			if b.Date == "" {
				b.Date, b.Committed = s.Value, true
			}
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// name is the version as it appears after "leadstatus": "devel" when the
// build recorded none.
func (b Build) name() string {
	if b.Version == "" {
		return "devel"
	}
	return b.Version
}

// userAgent names the tool and its version to Nutshell.
func (b Build) userAgent() string { return "leadstatus/" + b.name() }

// write prints b: "leadstatus VERSION" first (scripts parse that line), then
// one "key: value" line each.
func (b Build) write(w io.Writer) {
	fmt.Fprintf(w, "leadstatus %s\n", b.name())
	commit := b.Commit
	switch {
	case commit == "":
		commit = "unknown (this build did not record it)"
	case b.Modified:
		commit += " (with uncommitted changes)"
	}
	line := func(key, value string) { fmt.Fprintf(w, "%-10s %s\n", key+":", value) }
	line("commit", commit)
	switch {
	case b.Date == "":
	case b.Committed:
		line("committed", b.Date)
	default:
		line("built", b.Date)
	}
	line("go", b.GoVersion)
	line("platform", b.Platform)
}
