package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/report"
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
	var speed undoSpeed
	speed.register(fs)
	positional, err := parseArgs(sys, fs, undoCommand(), args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usageErrorf("undo takes one report file, got %d; see 'leadstatus undo --help'", len(positional))
	}
	if err := conn.validate(); err != nil {
		return err
	}
	input := positional[0]
	log, progress := conn.output(sys)

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
	sum, err := importer.Undo(ctx, importer.UndoOptions{
		Input:      input,
		ReportPath: *reportPath,
		Force:      *force,
		DryRun:     *dryRun,
		Client:     client,
		Workers:    speed.workers,
		Rate:       speed.rate,
		StartRate:  speed.startRate,
		Retries:    retriesOption(speed.retries),
		Log:        log,
		Progress:   progress,
		Stop:       stop,
		Now:        sys.Now,
	})
	if sum == nil {
		return err
	}
	// Undo keeps its own exit codes: rows it chose not to reopen are not a failure.
	runErr := resultError(sum, err, sum.Counts[report.Failed]+sum.Counts[report.Invalid]+sum.Counts[report.NotSent] > 0)
	printSummary(sys, conn.logFormat, sum, "", ExitCode(runErr), err)
	return runErr
}

// undoSpeed are the speed flags of "leadstatus undo".
type undoSpeed struct {
	workers, retries int
	rate, startRate  float64
}

func (u *undoSpeed) register(fs *flag.FlagSet) {
	fs.IntVar(&u.workers, "workers", importer.DefaultWorkers, "requests in flight at once (`N`)")
	fs.Float64Var(&u.rate, "rate", importer.DefaultRate, "at most `R` requests per second")
	fs.Float64Var(&u.startRate, "start-rate", 0, "start at `R` requests per second and double toward --rate (default: a few per second)")
	fs.IntVar(&u.retries, "retries", importer.DefaultRetries, "retry a failed request at most `N` times")
}
