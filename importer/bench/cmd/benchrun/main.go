// Command benchrun runs leadstatus's benchmark suite and prints one markdown
// table: the local cost of a dry run beside the bare-I/O floor, throughput
// against the fake API over loopback, and shell loops of curl on the same
// rows. run.sh builds leadstatus and this program, then runs it.
//
// Usage:
//
//	benchrun -leadstatus BIN -dir TMPDIR -scripts importer/bench [size flags]
//	benchrun floor-csv IN OUT   (internal: the CSV floor, run as a child)
//	benchrun floor-xlsx IN      (internal: the XLSX floor, run as a child)
//	benchrun floor-pool URL N W (internal: N updates from W goroutines with the bare client)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// config is the suite's command line.
type config struct {
	leadstatus   string // the built leadstatus binary
	dir          string // scratch directory for generated files and reports
	scripts      string // directory holding curl-seq.sh and curl-xargs.sh
	csvRows      int    // the large CSV
	smallRows    int    // the small CSV, for the flat-memory check
	xlsxRows     int
	repeat       int // local-cost runs per file; the fastest counts
	requests     int // throughput (a) and the curl loops
	latencyReq   int // throughput (b) and (d)
	rateReq      int // throughput (c)
	adaptReq     int // each adaptive run (e)
	noiseReq     int // each random-503 run (f)
	slowStartReq int // the short slow-start run (g)
	sustainReq   int // the long runs of (g), (h) and (i)
	windowReq    int // the fixed-window run (j)
	steps        string
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "floor-csv", "floor-xlsx", "floor-pool":
			os.Exit(floorMain(os.Args[1], os.Args[2:], os.Stdout, os.Stderr))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "benchrun: %v\n", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("benchrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.leadstatus, "leadstatus", "", "the built leadstatus `BINARY` (required)")
	fs.StringVar(&c.dir, "dir", "", "scratch `DIR` for generated files (required; left for the caller to remove)")
	fs.StringVar(&c.scripts, "scripts", "importer/bench", "`DIR` holding curl-seq.sh and curl-xargs.sh")
	fs.IntVar(&c.csvRows, "csv-rows", 1_000_000, "rows of the large CSV")
	fs.IntVar(&c.smallRows, "small-rows", 100_000, "rows of the small CSV (flat-memory check)")
	fs.IntVar(&c.xlsxRows, "xlsx-rows", 100_000, "rows of the XLSX")
	fs.IntVar(&c.repeat, "repeat", 2, "runs of each local-cost measurement; the fastest counts, the largest RSS counts")
	fs.IntVar(&c.requests, "requests", 2000, "updates for throughput (a) and the curl loops")
	fs.IntVar(&c.latencyReq, "latency-requests", 2400, "updates for throughput (b) and (d), 50 ms latency")
	fs.IntVar(&c.rateReq, "rate-requests", 600, "updates for throughput (c), --rate 20")
	fs.IntVar(&c.adaptReq, "adaptive-requests", 240, "updates for each adaptive run (e)")
	fs.IntVar(&c.noiseReq, "noise-requests", 400, "updates for each random-503 run (f)")
	fs.IntVar(&c.slowStartReq, "slow-start-requests", 200, "updates for the short slow-start run (g)")
	fs.IntVar(&c.sustainReq, "sustain-requests", 2000, "updates for the long runs of (g), (h) and (i)")
	fs.IntVar(&c.windowReq, "window-requests", 1500, "updates for the fixed-window run (j)")
	fs.StringVar(&c.steps, "steps", "local,throughput,adaptive,noise,slowstart,curl", "comma-separated `STEPS` to run, in this order: local, throughput, adaptive, noise, slowstart, shed, bursts, window, curl")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	for _, name := range strings.Split(c.steps, ",") {
		if !slices.Contains(stepNames, name) {
			fmt.Fprintf(stderr, "benchrun: unknown step %q in -steps; the steps are %s\n", name, strings.Join(stepNames, ", "))
			return c, flag.ErrHelp
		}
	}
	if c.leadstatus == "" || c.dir == "" {
		fmt.Fprintln(stderr, "benchrun: -leadstatus and -dir are required")
		fs.Usage()
		return c, flag.ErrHelp
	}
	return c, nil
}

// stepNames are the suite's steps, in the order they run.
var stepNames = []string{"local", "throughput", "adaptive", "noise", "slowstart", "shed", "bursts", "window", "curl"}

type step struct {
	name string
	fn   func(context.Context) error
}

// run measures every scenario in turn and prints the table, even when a
// scenario failed part-way (its error is printed after the table).
func run(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	s, err := newSuite(cfg, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	s.machine("start")
	steps := []step{
		{"local", s.localCost},
		{"throughput", s.throughput},
		{"adaptive", s.adaptive},
		{"noise", s.noise},
		{"slowstart", s.slowStart},
		{"shed", s.shed},
		{"bursts", s.bursts},
		{"window", s.window},
		{"curl", s.alternatives},
	}
	chosen := strings.Split(cfg.steps, ",")
	var failed error
	for _, st := range steps {
		if !slices.Contains(chosen, st.name) {
			continue
		}
		t0 := time.Now()
		if err := st.fn(ctx); err != nil {
			failed = fmt.Errorf("%s: %w", st.name, err)
			break
		}
		s.logf("%s done in %s", st.name, time.Since(t0).Round(100*time.Millisecond))
	}
	s.machine("end")
	s.note("suite", "total time of the measurements", time.Since(start).Round(time.Second).String())
	fmt.Fprint(stdout, s.table.Markdown())
	return failed
}
