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

	Getenv func(string) string
	// ReadSecret prompts on the terminal and reads a line without echo; nil when there is no terminal.
	ReadSecret func(prompt string) (string, error)
	Now        func() time.Time
}

// System returns the process's own IO.
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
