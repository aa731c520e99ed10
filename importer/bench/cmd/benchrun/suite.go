package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/leadstatus/leadstatus/importer/bench"
)

// suite holds one run of the benchmark suite.
type suite struct {
	cfg   config
	self  string // this program, run again as a child for the floors
	table *bench.Table
	log   io.Writer
	// Runs (a) and (c), which the curl comparison refers to.
	a, c sendResult
}

func newSuite(cfg config, log io.Writer) (*suite, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this program to run the floors: %w", err)
	}
	for _, p := range []string{cfg.leadstatus, filepath.Join(cfg.scripts, "curl-seq.sh"), filepath.Join(cfg.scripts, "curl-xargs.sh")} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("need %s: %w", p, err)
		}
	}
	return &suite{cfg: cfg, self: self, table: &bench.Table{}, log: log}, nil
}

// logf prints progress on standard error, so standard output holds only the table.
func (s *suite) logf(format string, args ...any) {
	fmt.Fprintf(s.log, "benchrun: "+format+"\n", args...)
}

// note adds a row without a target.
func (s *suite) note(section, measure, value string) {
	s.table.Add(bench.Row{Section: section, Measure: measure, Value: value})
}

// path names a file in the scratch directory.
func (s *suite) path(name string) string { return filepath.Join(s.cfg.dir, name) }

// summary is what leadstatus prints with --log-format json at the end of a run.
type summary struct {
	Rows      int            `json:"rows"`
	Results   map[string]int `json:"results"`
	Requests  int            `json:"requests"`
	SlowDowns int            `json:"rate_limited"`
	FinalRate float64        `json:"final_rate"`
	Elapsed   float64        `json:"elapsed_seconds"`
	Stopped   string         `json:"stopped"`
	Error     string         `json:"error"`
}

// leadstatusRun is one measured run of the leadstatus binary.
type leadstatusRun struct {
	usage   bench.Usage
	summary summary
}

// runLeadstatus runs "leadstatus import INPUT --report REPORT --force -q
// --log-format json EXTRA..." with env added to a clean environment, and
// returns its cost and summary. Exit code 1 (some rows failed) is the
// caller's to judge; anything else that is not 0 is an error.
func (s *suite) runLeadstatus(ctx context.Context, input, reportPath string, env []string, extra ...string) (leadstatusRun, error) {
	args := append([]string{"import", input, "--report", reportPath, "--force", "-q", "--log-format", "json"}, extra...)
	cmd := exec.CommandContext(ctx, s.cfg.leadstatus, args...)
	cmd.Env = append(cleanEnv(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	u, err := bench.Measure(ctx, s.cfg.dir, cmd)
	if err != nil {
		return leadstatusRun{}, err
	}
	r := leadstatusRun{usage: u}
	if u.ExitCode != 0 && u.ExitCode != 1 {
		return r, fmt.Errorf("leadstatus %s exited with %d: %s", strings.Join(args, " "), u.ExitCode, lastLines(errOut.String(), 5))
	}
	if err := json.Unmarshal(lastLine(out.Bytes()), &r.summary); err != nil {
		return r, fmt.Errorf("leadstatus %s printed no JSON summary (%v): %s", strings.Join(args, " "), err, lastLines(out.String()+errOut.String(), 5))
	}
	return r, nil
}

// cleanEnv is the environment without any NUTSHELL_ variable, so a
// developer's real credentials can never reach a benchmark run.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NUTSHELL_") && !strings.HasPrefix(kv, "LEADSTATUS_") {
			env = append(env, kv)
		}
	}
	return env
}

func lastLine(b []byte) []byte {
	b = bytes.TrimSpace(b)
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return b
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}
