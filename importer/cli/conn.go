package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// DefaultURL is Nutshell's REST API.
const DefaultURL = "https://app.nutshell.com/rest"

const (
	mockUser = "mock@example.com"
	mockKey  = "mock-api-key"
)

// connFlags are the flags every command that talks to Nutshell shares.
type connFlags struct {
	url, logFormat string
	timeout        time.Duration
	mock           bool
	mockLeads      int
	quiet, verbose bool
}

func (c *connFlags) register(fs *flag.FlagSet, sys *IO) {
	defURL := DefaultURL
	if v := sys.Getenv("NUTSHELL_API_URL"); v != "" {
		defURL = v
	}
	fs.StringVar(&c.url, "url", defURL, "Nutshell API base `URL` (env NUTSHELL_API_URL)")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up on one request after `D`")
	fs.BoolVar(&c.mock, "mock", false, "use the built-in fake Nutshell API on a loopback port instead (no credentials needed)")
	fs.IntVar(&c.mockLeads, "mock-leads", 1_000_000, "with --mock: how many open leads the fake has (`N`)")
	fs.StringVar(&c.logFormat, "log-format", "console", "log format: console or json (json also prints the summary as one JSON object)")
	fs.BoolVar(&c.quiet, "q", false, "quiet: no progress, only warnings, errors and the summary")
	fs.BoolVar(&c.verbose, "v", false, "verbose: log every request (method, path, status, request ID; never credentials)")
}

func (c *connFlags) validate() error {
	// parseArgs has checked --timeout and --mock-leads (flagRange).
	switch {
	case c.logFormat != "console" && c.logFormat != "json":
		return usageErrorf("--log-format %q: choose console or json", c.logFormat)
	case c.quiet && c.verbose:
		return usageErrorf("-q and -v contradict each other; choose one")
	}
	return nil
}

// output returns the logger and the progress display: a bar on a terminal
// (log lines then clear it first, so the two do not tangle), a log line every
// few seconds otherwise, nothing with -q.
func (c *connFlags) output(sys *IO) (log zerolog.Logger, progress importer.Progress) {
	switch {
	case c.quiet:
		return newLogger(sys, sys.Err, c.logFormat, c.quiet, c.verbose), nil
	case sys.ErrTerminal && c.logFormat == "console":
		b := newBar(sys.Err)
		return newLogger(sys, b.logWriter(), c.logFormat, c.quiet, c.verbose), b
	}
	log = newLogger(sys, sys.Err, c.logFormat, c.quiet, c.verbose)
	return log, newProgressLog(log, 5*time.Second)
}

// client builds the Nutshell client: the built-in fake with --mock, none for a
// dry run without credentials, else the real service with credentials from
// the environment. Missing credentials stop a real run before anything is read.
func (c *connFlags) client(ctx context.Context, sys *IO, log zerolog.Logger, dryRun, mayPrompt bool) (*nutshell.Client, func(), error) {
	noop := func() {}
	if c.mock {
		mockCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		srv := fake.New(fake.Options{Leads: c.mockLeads, Username: mockUser, APIKey: mockKey, NoRecord: true})
		base, wait, err := fake.Start(mockCtx, "127.0.0.1:0", srv)
		if err != nil {
			cancel()
			return nil, noop, fmt.Errorf("start the built-in fake Nutshell API: %w", err)
		}
		log.Info().Str("url", base).Msg("using the built-in fake Nutshell API")
		cl, err := nutshell.New(nutshell.Config{BaseURL: base, Username: mockUser, APIKey: mockKey, Timeout: c.timeout, UserAgent: sys.Build.userAgent(), Log: log})
		if err != nil {
			cancel()
			return nil, noop, err
		}
		return cl, func() { cancel(); _ = wait() }, nil
	}
	user := strings.TrimSpace(sys.Getenv("NUTSHELL_USERNAME"))
	key, err := apiKey(sys, user, mayPrompt)
	if err != nil {
		return nil, noop, err
	}
	if user == "" || key == "" {
		if dryRun {
			log.Warn().Msg("no credentials: names of outcomes, products and competitors are not checked; " + importer.CredentialsHelp + " to check them")
			return nil, noop, nil
		}
		return nil, noop, &UsageError{Msg: importer.ErrNoCredentials.Error()}
	}
	cl, err := nutshell.New(nutshell.Config{BaseURL: c.url, Username: user, APIKey: key, Timeout: c.timeout, UserAgent: sys.Build.userAgent(), Log: log})
	if err != nil {
		return nil, noop, &UsageError{Msg: err.Error()}
	}
	return cl, noop, nil
}
