package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/leadstatus/leadstatus/importer"
)

// Exit codes, part of the command's contract.
const (
	ExitOK          = importer.ExitOK
	ExitRowsFailed  = importer.ExitRowsFailed
	ExitUsage       = importer.ExitUsage
	ExitInterrupted = importer.ExitInterrupted
)

// ExitCode maps a command's error to the exit codes documented in README,
// through the outcome it stands for (importer.Outcome.ExitCode decides).
func ExitCode(err error) int { return outcomeOf(err).ExitCode() }

// outcomeOf is what a command came to, from the error it returned.
func outcomeOf(err error) importer.Outcome {
	var usage *UsageError
	switch {
	case errors.Is(err, ErrInterrupted):
		return importer.OutcomeInterrupted
	case errors.Is(err, ErrRowsFailed):
		return importer.OutcomeNeedsAttention
	case errors.As(err, &usage):
		return importer.OutcomeSetupError
	}
	return importer.OutcomeOf(nil, err)
}

// outcomeError is the command's error for a run that came to o: the run's
// own error, else one that stands for the outcome.
func outcomeError(o importer.Outcome, err error) error {
	switch {
	case err != nil:
		return err
	case o == importer.OutcomeInterrupted:
		return ErrInterrupted
	case o == importer.OutcomeNeedsAttention:
		return ErrRowsFailed
	}
	return nil
}

// UsageError is a mistake in the command line, environment or input found
// before anything was sent.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ErrRowsFailed means the run finished and some rows failed or were invalid;
// the report says which.
var ErrRowsFailed = errors.New("some rows failed or were invalid")

// ErrInterrupted means the user interrupted the run; the report is complete.
var ErrInterrupted = errors.New("interrupted")

// errHelp is returned when help was asked for and printed.
var errHelp = flag.ErrHelp

// Run runs one leadstatus command. stop is cancelled on the first interrupt
// (stop dispatching); ctx on the second (cancel requests in flight). Errors
// are already printed when Run returns; the caller maps them to exit codes.
func Run(ctx, stop context.Context, args []string, sys *IO) error {
	err := run(ctx, stop, args, sys)
	switch {
	case err == nil, errors.Is(err, errHelp), errors.Is(err, ErrRowsFailed), errors.Is(err, ErrInterrupted):
	case jsonLogs(args):
		// Automation reading JSON logs gets the error as one more JSON line.
		b, _ := json.Marshal(map[string]any{"level": "error", "message": oneLine(err.Error()), "exit_code": ExitCode(err)})
		fmt.Fprintln(sys.Err, string(b))
	default:
		fmt.Fprintf(sys.Err, "leadstatus: %s\n", oneLine(err.Error()))
	}
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

func run(ctx, stop context.Context, args []string, sys *IO) error {
	if len(args) == 0 && (!sys.InTerminal || sys.OwnWindow) {
		// Started from a file manager (double-clicked): serve the page.
		fmt.Fprintln(sys.Err, "leadstatus: opening the page in your browser. To stop leadstatus, close this window or press Ctrl-C.")
		return runUI(ctx, stop, nil, sys)
	}
	if len(args) == 0 {
		printUsage(sys.Err)
		return usageErrorf("no command given; try 'leadstatus import --help'")
	}
	switch args[0] {
	case "import":
		return runImport(ctx, stop, args[1:], sys)
	case "mock":
		return runMock(stop, args[1:], sys)
	case "lookup":
		return runLookup(ctx, args[1:], sys)
	case "undo":
		return runUndo(ctx, stop, args[1:], sys)
	case "ui":
		return runUI(ctx, stop, args[1:], sys)
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" && args[1] != "help" {
			return run(ctx, stop, []string{args[1], "--help"}, sys)
		}
		printUsage(sys.Out)
		return nil
	case "version", "--version":
		sys.Build.write(sys.Out)
		return nil
	}
	return unknownCommand(args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `leadstatus bulk-updates the status of Nutshell leads from a spreadsheet.

Usage:
  leadstatus import FILE [flags]   close, reopen or update leads from a CSV, TSV
                                   or XLSX file
  leadstatus undo REPORT [flags]   reopen the leads an import closed (never one
                                   closed before it)
  leadstatus lookup outcomes|products|competitors [--format table|csv|json]
  leadstatus mock [--addr ADDR]    serve the built-in fake Nutshell API
  leadstatus ui [--mock]           the same in a page in your browser (also
                                   what a double-click on leadstatus opens)
  leadstatus version

Examples:
  leadstatus import --mock samples/quarter-end.csv   try it on the built-in fake
  leadstatus import --dry-run leads.xlsx             see what would be sent
  NUTSHELL_USERNAME=me@example.com NUTSHELL_API_KEY=... \
    leadstatus import leads.csv

Run 'leadstatus COMMAND --help' for a command's flags.
`)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// jsonLogs reports whether the command line asks for JSON logs, read
// directly so that errors in parsing the rest still come out as JSON.
func jsonLogs(args []string) bool {
	for i, a := range args {
		switch strings.TrimLeft(a, "-") {
		case "log-format=json":
			return strings.HasPrefix(a, "-")
		case "log-format":
			if strings.HasPrefix(a, "-") && i+1 < len(args) && args[i+1] == "json" {
				return true
			}
		}
	}
	return false
}
