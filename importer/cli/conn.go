package cli

import (
	"context"
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

// connDefs are the rows of connFlags in a command's flag table; each
// command places them in its own groups.
type connDefs struct {
	url, timeout, mock, mockLeads, logFormat, quiet, verbose flagDef
}

// defs defines the connection flags; defURL is the default of --url.
func (c *connFlags) defs(defURL string) connDefs {
	return connDefs{
		url:       def("", "url", textFlag(&c.url, defURL), "Nutshell API base `URL` (env NUTSHELL_API_URL)"),
		timeout:   def("", "timeout", durationFlag(&c.timeout, 30*time.Second, moreThanZero), "give up on one request after `D`"),
		mock:      def("", "mock", boolFlag(&c.mock), "use the built-in fake Nutshell API on a loopback port instead (no credentials needed)"),
		mockLeads: def("", "mock-leads", intFlag(&c.mockLeads, 1_000_000, oneOrMore), "with --mock: how many open leads the fake has (`N`)"),
		logFormat: def("", "log-format", choiceFlag(&c.logFormat, "console", "console", "json"), "log format: console or json (json also prints the summary as one JSON object)"),
		quiet:     def("", "q", boolFlag(&c.quiet), "quiet: no progress, only warnings, errors and the summary"),
		verbose:   def("", "v", boolFlag(&c.verbose), "verbose: log every request (method, path, status, request ID; never credentials)"),
	}
}

// in places a flag in a command's group.
func (d flagDef) in(group string) flagDef {
	d.group = group
	return d
}

// apiURL is the default of --url: NUTSHELL_API_URL, else Nutshell's.
func apiURL(sys *IO) string {
	if v := sys.Getenv("NUTSHELL_API_URL"); v != "" {
		return v
	}
	return DefaultURL
}

func (c *connFlags) validate() error {
	// Each flag's value has checked its own range as it was set.
	switch {
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
