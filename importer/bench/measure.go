package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Usage is what one child process cost.
type Usage struct {
	Wall     time.Duration
	User     time.Duration
	Sys      time.Duration
	MaxRSSKB int64 // peak resident set size in KiB (of the largest process, when the child ran others)
	ExitCode int
	Source   string // where CPU and RSS come from: "/usr/bin/time -v" or "wait4 rusage"
}

// CPU is user plus system time.
func (u Usage) CPU() time.Duration { return u.User + u.Sys }

// MaxRSSMiB is the peak RSS in MiB.
func (u Usage) MaxRSSMiB() float64 { return float64(u.MaxRSSKB) / 1024 }

// TimeV is the path of GNU time, which reports a child's peak RSS with -v.
const TimeV = "/usr/bin/time"

// Measure runs name with args to completion and returns its cost. It uses
// /usr/bin/time -v when that exists, else the rusage Go gets from wait4;
// both read the kernel's figures for the child. A non-zero exit is not an
// error: the caller decides what the exit code means. The child's standard
// output and error go where cmd says. cmd must come from exec.CommandContext
// with ctx: when ctx ends, the child and everything it started are killed.
func Measure(ctx context.Context, dir string, cmd *exec.Cmd) (Usage, error) {
	timePath := ""
	if st, err := os.Stat(TimeV); err == nil && !st.IsDir() {
		timePath = TimeV
	}
	return measure(ctx, dir, timePath, cmd)
}

// measure is Measure with GNU time at timePath, or without it when "".
func measure(ctx context.Context, dir, timePath string, cmd *exec.Cmd) (Usage, error) {
	name := filepath.Base(cmd.Path)
	timeOut := ""
	if timePath != "" {
		f, err := os.CreateTemp(dir, "time-*.txt")
		if err != nil {
			return Usage{}, fmt.Errorf("measure %s: %w", name, err)
		}
		timeOut = f.Name()
		f.Close()
		defer os.Remove(timeOut)
		wrapped := exec.CommandContext(ctx, timePath, append([]string{"-v", "-o", timeOut, cmd.Path}, cmd.Args[1:]...)...)
		wrapped.Env, wrapped.Dir = cmd.Env, cmd.Dir
		wrapped.Stdin, wrapped.Stdout, wrapped.Stderr = cmd.Stdin, cmd.Stdout, cmd.Stderr
		cmd = wrapped
	}
	isolate(cmd)
	start := time.Now()
	err := cmd.Run()
	u := Usage{Wall: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		u.ExitCode = exit.ExitCode()
	case err != nil:
		return u, fmt.Errorf("run %s: %w", name, err)
	}
	if ctx.Err() != nil {
		return u, fmt.Errorf("run %s: interrupted: %w", name, ctx.Err())
	}
	if timeOut != "" {
		return parseTimeFile(timeOut, u)
	}
	user, sys, rss, ok := rusage(cmd.ProcessState)
	if !ok {
		return u, fmt.Errorf("run %s: this system reports no resource usage for child processes", name)
	}
	u.User, u.Sys, u.MaxRSSKB, u.Source = user, sys, rss, "wait4 rusage"
	return u, nil
}

func parseTimeFile(path string, u Usage) (Usage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return u, fmt.Errorf("read %s output %s: %w", TimeV, path, err)
	}
	got, err := ParseTimeV(string(b))
	if err != nil {
		return u, fmt.Errorf("read %s output: %w", TimeV, err)
	}
	u.User, u.Sys, u.MaxRSSKB, u.Source = got.User, got.Sys, got.MaxRSSKB, TimeV+" -v"
	return u, nil
}

// ParseTimeV reads user time, system time and peak RSS from the report of
// GNU time -v. Wall time and exit code are left zero: the caller measures them.
func ParseTimeV(text string) (Usage, error) {
	var u Usage
	found := 0
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		key, val, ok := strings.Cut(strings.TrimSpace(sc.Text()), ": ")
		if !ok {
			continue
		}
		switch key {
		case "User time (seconds)", "System time (seconds)":
			s, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return u, fmt.Errorf("%s: %q is not a number of seconds", key, val)
			}
			d := time.Duration(s * float64(time.Second))
			if key[0] == 'U' {
				u.User = d
			} else {
				u.Sys = d
			}
			found++
		case "Maximum resident set size (kbytes)":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return u, fmt.Errorf("%s: %q is not a number of kilobytes", key, val)
			}
			u.MaxRSSKB = n
			found++
		}
	}
	if found < 3 {
		return u, errors.New("it lacks user time, system time or maximum resident set size")
	}
	return u, nil
}
