package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// IO is what a command reads and writes, passed in so tests can use buffers
// and force "is a terminal".
type IO struct {
	In  io.Reader
	Out io.Writer // the summary and command output
	Err io.Writer // logs and progress

	InTerminal  bool
	ErrTerminal bool
	// OwnWindow: the program has a console window of its own, as when it is
	// double-clicked on Windows (not started from a terminal).
	OwnWindow bool
	ErrColor  bool // Err is a terminal that shows ANSI colours

	Getenv func(string) string
	// ReadSecret prompts on the terminal and reads a line without echo; nil when there is no terminal.
	ReadSecret func(prompt string) (string, error)
	Now        func() time.Time

	// Build is what the binary says it is (leadstatus version).
	Build Build
	// OpenURL opens a page in the browser; nil means the desktop's default browser.
	OpenURL func(url string) error
}

// System returns the process's own IO. Output is UTF-8; on Windows Go
// writes to a console as UTF-16 (WriteConsoleW), so names with accents show
// correctly whatever the console's code page.
func System() *IO {
	sys := &IO{
		In:          os.Stdin,
		Out:         os.Stdout,
		Err:         os.Stderr,
		InTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		ErrTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:      os.Getenv,
		Now:         time.Now,
	}
	sys.ErrColor = sys.ErrTerminal && enableANSI(os.Stderr)
	sys.OwnWindow = ownConsoleWindow()
	if sys.InTerminal && sys.ErrTerminal {
		sys.ReadSecret = func(prompt string) (string, error) {
			fmt.Fprint(os.Stderr, prompt)
			b, err := term.ReadPassword(int(os.Stdin.Fd()))
			fmt.Fprintln(os.Stderr)
			return string(b), err
		}
	}
	return sys
}
