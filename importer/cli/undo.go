package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/source"
)

// runUndo reopens the leads an import closed, after showing what it will do.
func runUndo(ctx, stop context.Context, args []string, sys *IO) error {
	fs := flag.NewFlagSet("undo", flag.ContinueOnError)
	fs.SetOutput(sys.Err)
	var conn connFlags
	conn.register(fs, sys)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	dryRun := fs.Bool("dry-run", false, "show what would be reopened; send nothing")
	reportPath := fs.String("report", "", "write the undo report to `PATH` (default REPORT.undo.report-YYYYMMDD-HHMMSS.csv)")
	force := fs.Bool("force", false, "overwrite an existing undo report")
	workers := fs.Int("workers", importer.DefaultWorkers, "requests in flight at once (`N`)")
	rate := fs.Float64("rate", importer.DefaultRate, "at most `R` requests per second")
	startRate := fs.Float64("start-rate", 0, "start at `R` requests per second and double toward --rate (default: a few per second)")
	retries := fs.Int("retries", importer.DefaultRetries, "retry a failed request at most `N` times")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: leadstatus undo REPORT [flags]

Reopens the leads that the import behind REPORT closed. A lead that was already closed before
that import is never touched, nor one whose status before it is unknown. Shows what it will do
and asks first on a terminal (--yes to skip). Writes its own report with the same columns.

Examples:
  leadstatus undo leads.report-20261124-101500.csv
  leadstatus undo leads.report-20261124-101500.csv --dry-run
  leadstatus undo leads.report-20261124-101500.csv --yes --report undo.csv

Flags:
`)
		fs.PrintDefaults()
	}
	positional, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return usageErrorf("undo takes exactly one report file")
	}
	if err := conn.validate(); err != nil {
		return err
	}
	if *workers < 1 || *rate <= 0 || *retries < 0 || *startRate < 0 {
		return usageErrorf("--workers, --rate, --start-rate and --retries must be positive")
	}
	input := positional[0]
	log, progress, _ := conn.output(sys)

	plan, err := importer.PlanUndo(input, source.Options{})
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	fmt.Fprintf(sys.Err, "%s: %d rows; the import closed %d leads that were open before it.\n", input, plan.Rows, len(plan.Leads))
	if len(plan.Leads) == 0 {
		fmt.Fprintln(sys.Err, "Nothing to undo.")
	} else {
		shown := plan.Leads
		if len(shown) > 10 {
			shown = shown[:10]
		}
		more := ""
		if len(plan.Leads) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(plan.Leads)-len(shown))
		}
		fmt.Fprintf(sys.Err, "Will reopen: %s%s\n", strings.Join(shown, ", "), more)
	}
	if len(plan.Leads) > 0 && !*dryRun && !*yes {
		if !sys.InTerminal {
			return usageErrorf("undo would reopen %d leads; run it again with --yes to confirm (or --dry-run to look first)", len(plan.Leads))
		}
		fmt.Fprintf(sys.Err, "Reopen these %d leads? [y/N] ", len(plan.Leads))
		answer, _ := bufio.NewReader(sys.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return usageErrorf("undo cancelled; nothing was sent")
		}
	}

	client, stopMock, err := conn.client(ctx, sys, log, *dryRun, false)
	if err != nil {
		return err
	}
	defer stopMock()
	sum, err := importer.Undo(ctx, importer.Options{
		Input:      input,
		ReportPath: *reportPath,
		Force:      *force,
		DryRun:     *dryRun,
		Client:     client,
		Workers:    *workers,
		Rate:       *rate,
		StartRate:  *startRate,
		Retries:    *retries,
		Log:        log,
		Progress:   progress,
		Stop:       stop,
		Now:        sys.Now,
	})
	if sum == nil {
		return err
	}
	printSummary(sys, conn.logFormat, sum, "", err)
	return resultError(sum, err)
}
