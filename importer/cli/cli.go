package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/leadstatus/leadstatus/importer"
)

// Exit codes, part of the command's contract.
const (
	ExitOK          = 0
	ExitRowsFailed  = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// ExitCode maps a command's error to the exit codes documented in README:
// the one place that decides them.
func ExitCode(err error) int {
	var usage *UsageError
	var setup *importer.SetupError
	var fatal *importer.FatalError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrInterrupted):
		return ExitInterrupted
	case errors.As(err, &usage), errors.As(err, &setup):
		return ExitUsage
	case errors.As(err, &fatal) && fatal.Auth:
		return ExitUsage
	}
	return ExitRowsFailed
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
	default:
		fmt.Fprintf(sys.Err, "leadstatus: %s\n", oneLine(err.Error()))
	}
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

func run(ctx, stop context.Context, args []string, sys *IO) error {
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
	case "-h", "-help", "--help", "help":
		printUsage(sys.Out)
		return nil
	case "version", "--version":
		sys.Build.write(sys.Out)
		return nil
	}
	printUsage(sys.Err)
	return usageErrorf("unknown command %q; the commands are import, undo, lookup and mock", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `leadstatus bulk-updates the status of Nutshell leads from a spreadsheet.

Usage:
  leadstatus import FILE [flags]   close, reopen or update leads from a CSV, TSV or XLSX file
  leadstatus undo REPORT [flags]   reopen the leads an import closed (never one closed before it)
  leadstatus lookup outcomes|products|competitors [--format table|csv|json]
  leadstatus mock [--addr ADDR]    serve the built-in fake Nutshell API (for trying things out)
  leadstatus version

Examples:
  leadstatus import --mock samples/quarter-end.csv          try it on the built-in fake
  leadstatus import --dry-run leads.xlsx                    see what would be sent, send nothing
  NUTSHELL_USERNAME=me@example.com NUTSHELL_API_KEY=... leadstatus import leads.csv

Run 'leadstatus import --help' for every flag.
`)
}

// parseArgs parses a command's flags and returns its positional arguments;
// help asked for is errHelp, any other mistake a *UsageError.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	positional, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, errHelp
	case err != nil:
		return nil, &UsageError{Msg: err.Error()}
	}
	return positional, nil
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("import FILE --dry-run" as well as "import --dry-run FILE").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
