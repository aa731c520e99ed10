package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/report"
)

// Targets of the local-cost measurements.
const (
	minSpeedShare = 0.50  // the dry run at least half the floor's speed
	minXLSXShare  = 0.80  // a workbook's dry run at least 0.8 of excelize's bare iteration
	maxRSSMiB     = 100.0 // peak RSS of the 1M-row CSV dry run
	maxRSSGrowth  = 0.20  // RSS of 100k vs 1M rows
)

// cost is the best of several runs of one command on one file.
type cost struct {
	rows int
	wall time.Duration // fastest run
	cpu  time.Duration // CPU time of the fastest run
	rss  int64         // largest peak RSS of all runs, KiB
}

func (c cost) rowsPerSec() float64 { return float64(c.rows) / c.wall.Seconds() }

func (c *cost) add(u bench.Usage) {
	if c.wall == 0 || u.Wall < c.wall {
		c.wall, c.cpu = u.Wall, u.CPU()
	}
	c.rss = max(c.rss, u.MaxRSSKB)
}

// localCost generates the input files and measures the dry run beside the
// floor on each, alternating the two so load on the machine hits both alike.
func (s *suite) localCost(ctx context.Context) error {
	bigCSV, smallCSV, xlsx := s.path("leads-big.csv"), s.path("leads-small.csv"), s.path("leads.xlsx")
	t0 := time.Now()
	if err := bench.WriteCSV(bigCSV, s.cfg.csvRows); err != nil {
		return err
	}
	if err := bench.WriteCSV(smallCSV, s.cfg.smallRows); err != nil {
		return err
	}
	if err := bench.WriteXLSX(xlsx, s.cfg.xlsxRows); err != nil {
		return err
	}
	s.logf("generated %d-row CSV, %d-row CSV and %d-row XLSX in %s", s.cfg.csvRows, s.cfg.smallRows, s.cfg.xlsxRows, time.Since(t0).Round(100*time.Millisecond))

	big, bigFloor, err := s.compare(ctx, bigCSV, s.cfg.csvRows, "floor-csv", bigCSV, s.path("floor-big.csv"))
	if err != nil {
		return err
	}
	small, smallFloor, err := s.compare(ctx, smallCSV, s.cfg.smallRows, "floor-csv", smallCSV, s.path("floor-small.csv"))
	if err != nil {
		return err
	}
	book, bookFloor, err := s.compare(ctx, xlsx, s.cfg.xlsxRows, "floor-xlsx", xlsx)
	if err != nil {
		return err
	}

	const sec = "local cost (--dry-run --mock)"
	s.note(sec, "how outcomes are given", `names (Won/Lost/Cancelled) resolved against the outcomes list: --mock serves it in-process; every row is "dry-run", none unchecked`)
	s.costRows(sec, fmt.Sprintf("CSV %s rows", thousands(s.cfg.csvRows)), "encoding/csv read + report write", big, bigFloor, minSpeedShare)
	s.costRows(sec, fmt.Sprintf("CSV %s rows", thousands(s.cfg.smallRows)), "encoding/csv read + report write", small, smallFloor, minSpeedShare)
	s.costRows(sec, fmt.Sprintf("XLSX %s rows", thousands(s.cfg.xlsxRows)), "excelize row iterator alone", book, bookFloor, minXLSXShare)
	mib := float64(big.rss) / 1024
	s.table.Add(bench.Row{Section: sec, Measure: fmt.Sprintf("CSV %s rows: peak RSS of the dry run", thousands(s.cfg.csvRows)),
		Value: fmt.Sprintf("%.1f MiB", mib), Target: fmt.Sprintf("≤ %.0f MiB", maxRSSMiB), Verdict: bench.AtMost(mib, maxRSSMiB)})
	growth := float64(big.rss-small.rss) / float64(small.rss)
	s.table.Add(bench.Row{Section: sec, Measure: fmt.Sprintf("CSV peak RSS, %s vs %s rows", thousands(s.cfg.csvRows), thousands(s.cfg.smallRows)),
		Value:  fmt.Sprintf("%.1f vs %.1f MiB (%+.1f%%)", mib, float64(small.rss)/1024, 100*growth),
		Target: fmt.Sprintf("within %.0f%%", 100*maxRSSGrowth), Verdict: bench.Within(float64(big.rss), float64(small.rss), maxRSSGrowth)})
	return nil
}

// costRows adds the speed rows of one file, whose dry run should reach
// target of the floor's speed.
func (s *suite) costRows(sec, file, floorName string, run, floor cost, target float64) {
	s.note(sec, file+": leadstatus dry run", fmt.Sprintf("%s rows/s (%.2f s wall, %.2f s CPU, peak RSS %.1f MiB)",
		thousands(int(run.rowsPerSec())), run.wall.Seconds(), run.cpu.Seconds(), float64(run.rss)/1024))
	s.note(sec, file+": floor, "+floorName, fmt.Sprintf("%s rows/s (%.2f s wall, %.2f s CPU, peak RSS %.1f MiB)",
		thousands(int(floor.rowsPerSec())), floor.wall.Seconds(), floor.cpu.Seconds(), float64(floor.rss)/1024))
	share := run.rowsPerSec() / floor.rowsPerSec()
	s.table.Add(bench.Row{Section: sec, Measure: file + ": dry-run speed ÷ floor speed",
		Value:  fmt.Sprintf("%.2f (by CPU time: %.2f)", share, floor.cpu.Seconds()/run.cpu.Seconds()),
		Target: fmt.Sprintf("≥ %.2f", target), Verdict: bench.AtLeast(share, target)})
}

// compare measures the dry run of input and the floor (this program run
// with floorArgs), alternately, repeat times each.
func (s *suite) compare(ctx context.Context, input string, rows int, floorArgs ...string) (run, floor cost, err error) {
	run.rows, floor.rows = rows, rows
	for i := 0; i < max(s.cfg.repeat, 1); i++ {
		u, err := s.floorOnce(ctx, rows, floorArgs)
		if err != nil {
			return run, floor, err
		}
		floor.add(u)
		r, err := s.runLeadstatus(ctx, input, s.path("dry-run-report.csv"), nil, "--dry-run", "--mock")
		if err != nil {
			return run, floor, err
		}
		if got := r.summary.Results[string(report.DryRun)]; r.usage.ExitCode != 0 || got != rows {
			return run, floor, fmt.Errorf("dry run of %s: %d of %d rows dry-run, exit %d", input, got, rows, r.usage.ExitCode)
		}
		run.add(r.usage)
	}
	s.logf("%s: dry run %s, floor %s", input, run.wall.Round(time.Millisecond), floor.wall.Round(time.Millisecond))
	return run, floor, nil
}

func (s *suite) floorOnce(ctx context.Context, rows int, args []string) (bench.Usage, error) {
	cmd := exec.CommandContext(ctx, s.self, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	u, err := bench.Measure(ctx, s.cfg.dir, cmd)
	if err != nil {
		return u, err
	}
	if u.ExitCode != 0 {
		return u, fmt.Errorf("floor %s: exit %d: %s", strings.Join(args, " "), u.ExitCode, strings.TrimSpace(errOut.String()))
	}
	if got, _ := strconv.Atoi(strings.TrimSpace(out.String())); got != rows {
		return u, fmt.Errorf("floor %s read %d rows, want %d", strings.Join(args, " "), got, rows)
	}
	return u, nil
}

// thousands writes n with comma separators: 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
