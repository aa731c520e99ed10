package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// importFlags are the flags of "leadstatus import".
type importFlags struct {
	conn                                             connFlags
	reportPath, mappingPath, sheet, encoding, resume string
	force, dryRun, check, skipClosed, updateClosed   bool
	decimalComma                                     bool
	workers, burst, retries, limit, maxFailures      int
	headerRow                                        int
	rate, startRate                                  float64
	backoffBase, backoffMax                          time.Duration
}

func runImport(ctx, stop context.Context, args []string, sys *IO) error {
	var f importFlags
	positional, err := parseArgs(sys, importCommand(&f, apiURL(sys)), args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usageErrorf("import takes one input file (or - for standard input), got %d; see 'leadstatus import --help'", len(positional))
	}
	input := positional[0]
	if err := f.validate(); err != nil {
		return err
	}
	log, progress := f.conn.output(sys)
	opts, err := f.options(input, args, sys)
	if err != nil {
		return err
	}
	opts.Log, opts.Stop = log, stop
	// --check reads from Nutshell: like a real run it needs credentials.
	client, stopMock, err := f.conn.client(ctx, sys, log, f.dryRun && !f.check, input != "-")
	if err != nil {
		return err
	}
	defer stopMock()
	opts.Client = client
	opts.Progress = progress
	opts.ResumeCommand = func(reportPath string) string { return resumeCommand(quoterFor(runtime.GOOS), input, reportPath, args) }

	sum, err := importer.Run(ctx, opts)
	if sum == nil {
		return err
	}
	outcome := importer.OutcomeOf(sum, err)
	printSummary(sys, f.conn.logFormat, sum, resumeCommand(quoterFor(runtime.GOOS), input, sum.ReportPath, args), outcome.ExitCode(), err)
	return outcomeError(outcome, err)
}

// options are the import's options from its flags: everything but the
// connection, the log and the progress.
func (f *importFlags) options(input string, args []string, sys *IO) (importer.Options, error) {
	opts := importer.Options{
		Input:        input,
		Source:       source.Options{Sheet: f.sheet, Encoding: f.encoding, HeaderRow: f.headerRow, Stdin: sys.In, Password: sys.Getenv("LEADSTATUS_XLSX_PASSWORD")},
		ReportPath:   f.reportPath,
		Force:        f.force,
		DryRun:       f.dryRun,
		Check:        f.check,
		SkipClosed:   f.skipClosed,
		UpdateClosed: f.updateClosed,
		Limit:        f.limit,
		Resume:       f.resume,
		Workers:      f.workers,
		Rate:         f.rate,
		StartRate:    f.startRate,
		Burst:        f.burst,
		Retries:      retriesOption(f.retries),
		BackoffBase:  f.backoffBase,
		BackoffMax:   f.backoffMax,
		MaxFailures:  f.maxFailures,
		Now:          sys.Now,
		Args:         append([]string{"import"}, args...),
	}
	if f.mappingPath != "" {
		cfg, err := loadMapping(f.mappingPath)
		if err != nil {
			return importer.Options{}, err
		}
		opts.Config = cfg
	}
	if f.decimalComma {
		if opts.Config == nil {
			opts.Config = &mapping.Config{}
		}
		opts.Config.SetDecimalComma(true)
	}

	if f.mappingPath != "" {
		opts.Protected = append(opts.Protected, f.mappingPath)
	}
	if keyFile := sys.Getenv("NUTSHELL_API_KEY_FILE"); keyFile != "" {
		opts.Protected = append(opts.Protected, keyFile)
	}
	return opts, nil
}

// retriesOption is --retries as importer.Options says it: there a zero
// means the default, so "--retries 0" is importer.NoRetries.
func retriesOption(n int) int {
	if n == 0 {
		return importer.NoRetries
	}
	return n
}

func (f *importFlags) validate() error {
	// Each flag's value has checked its own range as it was set.
	switch {
	case f.skipClosed && f.updateClosed:
		return usageErrorf("--skip-closed and --update-closed contradict each other; choose one")
	}
	opts := importer.Options{Check: f.check, DryRun: f.dryRun}
	if err := opts.Conflict(); err != nil {
		return &UsageError{Msg: err.Error()}
	}
	return f.conn.validate()
}

// apiKey reads the key from NUTSHELL_API_KEY, the file NUTSHELL_API_KEY_FILE
// names, or a prompt on the terminal, in that order.
func apiKey(sys *IO, user string, mayPrompt bool) (nutshell.Secret, error) {
	if k := strings.TrimSpace(sys.Getenv("NUTSHELL_API_KEY")); k != "" {
		return nutshell.Secret(k), nil
	}
	if path := sys.Getenv("NUTSHELL_API_KEY_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", usageErrorf("read NUTSHELL_API_KEY_FILE %s: %s", path, plainFileError(err))
		}
		k := strings.TrimSpace(string(b))
		if k == "" {
			return "", usageErrorf("NUTSHELL_API_KEY_FILE %s is empty; put the API key in it", path)
		}
		return nutshell.Secret(k), nil
	}
	if user != "" && sys.ReadSecret != nil && mayPrompt {
		k, err := sys.ReadSecret(fmt.Sprintf("Nutshell API key for %s: ", user))
		if err != nil {
			return "", usageErrorf("read the API key from the terminal: %s", err)
		}
		return nutshell.Secret(strings.TrimSpace(k)), nil
	}
	return "", nil
}

func plainFileError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func loadMapping(path string) (*mapping.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("read mapping file %s: %s", path, plainFileError(err))
	}
	cfg, err := mapping.ParseConfig(data)
	if err != nil {
		return nil, usageErrorf("mapping file %s: %s", path, err)
	}
	return cfg, nil
}

// resumeCommand is the command that retries what did not succeed, each
// argument quoted with quote for the user's shell.
func resumeCommand(quote func(string) string, input, reportPath string, args []string) string {
	if input == "-" || reportPath == "" {
		return ""
	}
	parts := []string{"leadstatus", "import", quote(input)}
	skip := false
	for _, a := range args {
		switch {
		case skip:
			skip = false
			continue
		case a == input:
			continue
		case a == "--resume" || a == "-resume" || a == "--report" || a == "-report":
			skip = true
			continue
		case strings.HasPrefix(a, "--resume=") || strings.HasPrefix(a, "-resume=") ||
			strings.HasPrefix(a, "--report=") || strings.HasPrefix(a, "-report=") ||
			a == "--force" || a == "-force" || strings.HasPrefix(a, "--limit") || strings.HasPrefix(a, "-limit"):
			if a == "--limit" || a == "-limit" {
				skip = true
			}
			continue
		}
		parts = append(parts, quote(a))
	}
	parts = append(parts, "--resume", quote(reportPath))
	return strings.Join(parts, " ")
}
