package cli

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/ui"
)

// uiFlags are the flags of "leadstatus ui".
type uiFlags struct {
	conn      connFlags
	addr, dir string
	noOpen    bool
}

// runUI serves the local page until interrupted.
func runUI(ctx, stop context.Context, args []string, sys *IO) error {
	var f uiFlags
	positional, err := parseArgs(sys, uiCommand(&f, apiURL(sys)), args)
	if err != nil {
		return err
	}
	conn := &f.conn
	if len(positional) > 0 {
		return usageErrorf("ui takes no arguments, got %q", positional[0])
	}
	if err := conn.validate(); err != nil {
		return err
	}
	log, _ := conn.output(sys)
	// Without credentials in the environment the page asks for them.
	var client *nutshell.Client
	stopMock := func() {}
	user := strings.TrimSpace(sys.Getenv("NUTSHELL_USERNAME"))
	key, err := apiKey(sys, user, false)
	if err != nil {
		return err
	}
	if conn.mock || user != "" && key != "" {
		if client, stopMock, err = conn.client(ctx, sys, log, false, false); err != nil {
			return err
		}
	}
	defer stopMock()
	ln, err := ui.Listen(f.addr)
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	srv, err := ui.New(ctx, ln, ui.Config{
		Dir:    f.dir,
		Client: client,
		NewClient: func(user string, key nutshell.Secret) (*nutshell.Client, error) {
			client, _, err := conn.client(ctx, withCredentials(sys, user, key), log, false, false)
			return client, err
		},
		Mock: conn.mock,
		ResumeCommand: func(input, report string, args []string) string {
			return resumeCommand(quoterFor(runtime.GOOS), input, report, args)
		},
		XLSXPassword: sys.Getenv("LEADSTATUS_XLSX_PASSWORD"),
		Log:          log,
		Now:          sys.Now,
	})
	if err != nil {
		ln.Close()
		return err
	}
	if client == nil {
		fmt.Fprintln(sys.Err, "leadstatus ui: no credentials in the environment; the page asks for your Nutshell e-mail and API key")
	}
	shown := f.dir
	if abs, err := filepath.Abs(f.dir); err == nil {
		shown = abs
	}
	fmt.Fprintf(sys.Out, "leadstatus ui: open %s (Ctrl-C to stop; reports go to %s)\n", srv.URL(), shown)
	if !f.noOpen {
		open := sys.OpenURL
		if open == nil {
			open = openBrowser
		}
		if err := open(srv.URL()); err != nil {
			fmt.Fprintf(sys.Err, "leadstatus ui: could not open a browser (%s); open the address above\n", err)
		}
	}
	return srv.Serve(stop)
}

// withCredentials is sys with credentials typed into the page standing in
// for the environment's, so the client is made exactly as for the CLI.
func withCredentials(sys *IO, user string, key nutshell.Secret) *IO {
	typed := *sys
	typed.ReadSecret = nil
	typed.Getenv = func(name string) string {
		switch name {
		case "NUTSHELL_USERNAME":
			return user
		case "NUTSHELL_API_KEY":
			return key.Reveal()
		case "NUTSHELL_API_KEY_FILE":
			return ""
		}
		return sys.Getenv(name)
	}
	return &typed
}

// openBrowser asks the desktop to open url in the default browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
