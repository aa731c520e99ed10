package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/leadstatus/leadstatus/importer/bench"
)

// machine adds the rows that say where the figures were measured. The load
// average matters: other work on the machine stretches wall times while CPU
// times stay put.
func (s *suite) machine(when string) {
	if when == "start" {
		s.note("machine", "CPUs (nproc)", fmt.Sprint(runtime.NumCPU()))
		s.note("machine", "CPU model", cpuModel())
		s.note("machine", "Go", runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)
		s.note("machine", "CPU time and peak RSS from", measuredBy())
	}
	s.note("machine", "load average (1, 5, 15 min) at "+when, loadAverage())
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown (no /proc/cpuinfo)"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

func measuredBy() string {
	if st, err := os.Stat(bench.TimeV); err == nil && !st.IsDir() {
		return bench.TimeV + " -v around each child process"
	}
	return "wait4 rusage of each child process"
}
