package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/source"
)

// runUndo reopens the leads an import closed, after showing what it will do.
func runUndo(ctx, stop context.Context, args []string, sys *IO) error {
	var f undoFlags
	positional, err := parseArgs(sys, undoCommand(&f, apiURL(sys)), args)
	if err != nil {
		return err
	}
	conn, speed := &f.conn, f.undoSpeed
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
	printUndoPlan(sys, input, plan)
	if n := plan.Changes(); n > 0 && !f.dryRun && !f.yes {
		if !sys.InTerminal {
			return usageErrorf("undo would %s; run it again with --yes to confirm (or --dry-run to look first)", undoWhat(plan))
		}
		fmt.Fprintf(sys.Err, "%s? [y/N] ", capitalize(undoWhat(plan)))
		answer, _ := bufio.NewReader(sys.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return usageErrorf("undo cancelled; nothing was sent")
		}
	}

	client, stopMock, err := conn.client(ctx, sys, log, f.dryRun, false)
	if err != nil {
		return err
	}
	defer stopMock()
	sum, err := importer.Undo(ctx, importer.UndoOptions{
		Input:      input,
		ReportPath: f.reportPath,
		Force:      f.force,
		DryRun:     f.dryRun,
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
	outcome := importer.OutcomeOf(sum, err)
	printSummary(sys, conn.logFormat, sum, "", outcome.ExitCode(), err)
	return outcomeError(outcome, err)
}

// printUndoPlan says what the undo will do: "reopen 40 leads; take off 40
// product maps", and which.
func printUndoPlan(sys *IO, input string, plan *importer.UndoPlan) {
	fmt.Fprintf(sys.Err, "%s: %d rows.\n", input, plan.Rows)
	if plan.MapsUnknown {
		fmt.Fprintf(sys.Err, "Warning: %s.\n", importer.MapsUnknownWarning)
	}
	if plan.Changes() == 0 {
		fmt.Fprintln(sys.Err, "Nothing to undo.")
		return
	}
	fmt.Fprintf(sys.Err, "Plan: %s (each lead is read first; one changed since the import is left alone).\n", undoWhat(plan))
	if len(plan.Leads) > 0 {
		fmt.Fprintf(sys.Err, "Will reopen: %s\n", listSome(plan.Leads, 10))
	}
	if len(plan.Uncertain) > 0 {
		fmt.Fprintf(sys.Err, "Will reopen if the read shows the failed update landed: %s\n", listSome(plan.Uncertain, 10))
	}
	if len(plan.ProductMaps) > 0 {
		fmt.Fprintf(sys.Err, "Will take off: %s\n", listSome(plan.ProductMaps, 10))
	}
}

// undoWhat is the plan in a few words: "reopen 40 leads; take off 40 product maps".
func undoWhat(plan *importer.UndoPlan) string {
	var parts []string
	if n := len(plan.Leads) + len(plan.Uncertain); n > 0 {
		parts = append(parts, "reopen "+plural(n, "lead"))
	}
	if n := len(plan.ProductMaps); n > 0 {
		parts = append(parts, "take off "+plural(n, "product map"))
	}
	return strings.Join(parts, "; ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// listSome lists at most n items, saying how many more: "a, b and 4 more".
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// undoFlags are the flags of "leadstatus undo".
type undoFlags struct {
	conn               connFlags
	yes, dryRun, force bool
	reportPath         string
	undoSpeed
}

// undoSpeed are the speed flags of "leadstatus undo".
type undoSpeed struct {
	workers, retries int
	rate, startRate  float64
}
