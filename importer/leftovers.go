package importer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/runlock"
)

// stdinPrefix begins the name of standard input's spooled copy in the
// temporary folder, followed by the PID of the run that made it.
const stdinPrefix = "leadstatus-stdin-"

// leftoverAge is how old a leftover must be before it is removed when its
// name does not say which process made it (names of older versions), or
// says a process that is still running (its PID may have been reused).
const leftoverAge = 7 * 24 * time.Hour

// leftoverDirs are where a run's temporary files live: the temporary folder,
// and the folder its report goes to.
func leftoverDirs(reportPath, input string) []string {
	dirs := []string{os.TempDir()}
	switch {
	case reportPath != "":
		dirs = append(dirs, filepath.Dir(reportPath))
	case input != "-" && input != "":
		dirs = append(dirs, filepath.Dir(input))
	default:
		dirs = append(dirs, ".")
	}
	return dirs
}

// removeLeftovers removes the temporary files a killed run left behind:
// standard input's copy and an XLSX report's working copy of its rows. A
// file is removed when the process its name gives has ended, or when it is
// older than leftoverAge; a live run's files are left alone. Failing to
// remove one is no reason to stop.
func removeLeftovers(dirs []string, now time.Time, log zerolog.Logger) {
	kinds := []struct{ prefix, suffix string }{
		{stdinPrefix, ".csv"},
		{report.WorkPrefix, ".rows"},
		{"leadstatus-report-", ".rows"}, // older versions kept it in the temporary folder
	}
	seen := map[string]bool{}
	for _, dir := range dirs {
		if seen[dir] {
			continue
		}
		seen[dir] = true
		for _, k := range kinds {
			matches, _ := filepath.Glob(filepath.Join(dir, k.prefix+"*"+k.suffix))
			for _, path := range matches {
				if !isLeftover(path, k.prefix, now) {
					continue
				}
				if err := os.Remove(path); err == nil {
					log.Info().Str("file", path).Msg("removed a temporary file a run that did not finish left behind")
				}
			}
		}
	}
}

// isLeftover decides for one file whose name begins with prefix.
func isLeftover(path, prefix string, now time.Time) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() {
		return false
	}
	old := now.Sub(info.ModTime()) > leftoverAge
	rest := strings.TrimPrefix(filepath.Base(path), prefix)
	pidText, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || pid <= 0 {
		return old
	}
	if pid == os.Getpid() {
		return false
	}
	return old || !runlock.Alive(pid)
}
