package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// importFlags are the flags of "leadstatus import".
type importFlags struct {
	conn                                             connFlags
	reportPath, mappingPath, sheet, encoding, resume string
	force, dryRun, check, skipClosed                 bool
	workers, burst, retries, limit, maxFailures      int
	rate, startRate                                  float64
	backoffBase, backoffMax                          time.Duration
}

func newImportFlagSet(sys *IO, f *importFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(sys.Err)
	f.conn.register(fs, sys)
	fs.StringVar(&f.reportPath, "report", "", "write the report to `PATH` (.csv, .xlsx or .jsonl); default INPUT.report-YYYYMMDD-HHMMSS.csv beside the input")
	fs.BoolVar(&f.force, "force", false, "overwrite an existing report file")
	fs.IntVar(&f.workers, "workers", importer.DefaultWorkers, "requests in flight at once (`N`)")
	fs.Float64Var(&f.rate, "rate", importer.DefaultRate, "at most `R` requests per second; lowered automatically when Nutshell answers 429 or 503")
	fs.Float64Var(&f.startRate, "start-rate", 0, "start at `R` requests per second and double toward --rate while Nutshell keeps up (default: a few per second; --start-rate equal to --rate skips the ramp)")
	fs.IntVar(&f.burst, "burst", 1, "requests that may start at once after an idle moment (`N`)")
	fs.IntVar(&f.retries, "retries", importer.DefaultRetries, "retry a failed request at most `N` times (429, 5xx, timeouts, dropped connections)")
	fs.DurationVar(&f.backoffBase, "backoff-base", 500*time.Millisecond, "first retry waits up to `D` (doubling each retry, randomised)")
	fs.DurationVar(&f.backoffMax, "backoff-max", 30*time.Second, "no retry waits longer than `D` (unless Nutshell's Retry-After says so)")
	fs.IntVar(&f.maxFailures, "max-failures", 0, "stop after `N` failed rows (0 = never)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "read, map and validate every row and show the body that would be sent; send no update")
	fs.BoolVar(&f.check, "check", false, "with --dry-run: also check leads, outcomes, products and competitors against Nutshell (read-only)")
	fs.BoolVar(&f.skipClosed, "skip-closed", false, "skip leads that are already closed instead of updating them")
	fs.IntVar(&f.limit, "limit", 0, "send only the first `N` valid updates (a pilot run); finish later with --resume")
	fs.StringVar(&f.resume, "resume", "", "resume from an earlier `REPORT` of the same input: rows it shows succeeded are skipped")
	fs.StringVar(&f.mappingPath, "mapping", "", "YAML mapping `FILE`: rename columns, map values, set defaults")
	fs.StringVar(&f.sheet, "sheet", "", "XLSX sheet `NAME` (default: the first visible sheet)")
	fs.StringVar(&f.encoding, "encoding", "", "text encoding of a CSV/TSV: utf-8, utf-16le, utf-16be or windows-1252 (default: detected)")
	fs.Usage = func() { printImportUsage(sys, fs) }
	return fs
}

func printImportUsage(sys *IO, fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `Usage: leadstatus import FILE [flags]

Reads FILE (.csv, .tsv, .txt, .xlsx, .xlsm, or - for CSV on standard input), turns each row into a
lead status update and sends it to Nutshell's POST /leads/{id}/status. Every row appears once in the
report with what happened to it.

Credentials come only from the environment: NUTSHELL_USERNAME (your Nutshell e-mail) and
NUTSHELL_API_KEY (or NUTSHELL_API_KEY_FILE, a file holding the key; on a terminal you are asked).

Examples:
  leadstatus import --mock samples/quarter-end.csv
  leadstatus import --dry-run --report check.xlsx leads.xlsx
  leadstatus import leads.csv --mapping crm-export.mapping.yaml --rate 5
  leadstatus import leads.csv --resume leads.report-20261124-101500.csv

Exit codes: 0 all rows succeeded (dry-run: valid); 1 some rows failed or were invalid;
2 usage, credentials or input-file error (nothing was sent); 130 interrupted.

Flags:
`)
	fs.PrintDefaults()
}

func runImport(ctx, stop context.Context, args []string, sys *IO) error {
	var f importFlags
	fs := newImportFlagSet(sys, &f)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return usageErrorf("import takes exactly one input file (or - for standard input), got %d", len(positional))
	}
	input := positional[0]
	if err := f.validate(); err != nil {
		return err
	}
	log, progress, countRows := f.conn.output(sys)

	opts := importer.Options{
		Input:       input,
		Source:      source.Options{Sheet: f.sheet, Encoding: f.encoding, Stdin: sys.In, Password: sys.Getenv("LEADSTATUS_XLSX_PASSWORD")},
		ReportPath:  f.reportPath,
		Force:       f.force,
		DryRun:      f.dryRun,
		Check:       f.check,
		SkipClosed:  f.skipClosed,
		Limit:       f.limit,
		Resume:      f.resume,
		Workers:     f.workers,
		Rate:        f.rate,
		StartRate:   f.startRate,
		Burst:       f.burst,
		Retries:     f.retries,
		BackoffBase: f.backoffBase,
		BackoffMax:  f.backoffMax,
		MaxFailures: f.maxFailures,
		Log:         log,
		Stop:        stop,
		Now:         sys.Now,
		Args:        append([]string{"import"}, args...),
	}
	if f.mappingPath != "" {
		cfg, err := loadMapping(f.mappingPath)
		if err != nil {
			return err
		}
		opts.Config = cfg
	}

	client, stopMock, err := f.conn.client(ctx, sys, log, f.dryRun, input != "-")
	if err != nil {
		return err
	}
	defer stopMock()
	opts.Client = client
	opts.Progress, opts.CountRows = progress, countRows

	sum, err := importer.Run(ctx, opts)
	if sum == nil {
		return err
	}
	printSummary(sys, f.conn.logFormat, sum, resumeCommand(input, sum.ReportPath, args), err)
	return resultError(sum, err)
}

// resultError turns a finished run into the command's error (and so its exit code).
func resultError(sum *importer.Summary, err error) error {
	switch {
	case err != nil:
		return err
	case sum.Interrupted:
		return ErrInterrupted
	case sum.Counts[report.Failed]+sum.Counts[report.Invalid]+sum.Counts[report.NotSent] > 0:
		return ErrRowsFailed
	}
	return nil
}

func (f *importFlags) validate() error {
	switch {
	case f.workers < 1 || f.workers > 256:
		return usageErrorf("--workers %d: choose from 1 to 256", f.workers)
	case f.rate <= 0:
		return usageErrorf("--rate %g: must be more than 0 requests per second", f.rate)
	case f.startRate < 0:
		return usageErrorf("--start-rate %g: must be 0 (a slow start) or more requests per second", f.startRate)
	case f.burst < 1:
		return usageErrorf("--burst %d: must be at least 1", f.burst)
	case f.retries < 0:
		return usageErrorf("--retries %d: must be 0 or more", f.retries)
	case f.limit < 0:
		return usageErrorf("--limit %d: must be 0 or more", f.limit)
	case f.check && !f.dryRun:
		return usageErrorf("--check only reads; use it with --dry-run")
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

// resumeCommand is the command that retries what did not succeed.
func resumeCommand(input, reportPath string, args []string) string {
	if input == "-" || reportPath == "" {
		return ""
	}
	parts := []string{"leadstatus", "import", shellQuote(input)}
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
		parts = append(parts, shellQuote(a))
	}
	parts = append(parts, "--resume", shellQuote(reportPath))
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '/' || r == '=' || r == ':' || r == ',' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
