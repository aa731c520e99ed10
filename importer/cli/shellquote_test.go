package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// awkward holds arguments that break naive quoting in one shell or another.
var awkward = []string{
	"",
	"leads.csv",
	"Q4 close.csv",
	"it's.csv",
	`C:\Users\Ana María\Q4 close (final).xlsx`,
	`back\slash`,
	`$HOME and ${x}`,
	"`id`",
	`say "hi"`,
	"100% %PATH%",
	"a;b&c|d<e>f",
	"*?[x]~#!",
	"tab\tand\nnewline",
	"--sheet=Second batch",
}

func TestQuoteShRoundTrips(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX sh")
	}
	for _, arg := range awkward {
		out, err := exec.Command("sh", "-c", `printf '%s\0' `+quoteSh(arg)).Output()
		if err != nil {
			t.Fatalf("sh -c ... %s: %v", quoteSh(arg), err)
		}
		if got := strings.TrimSuffix(string(out), "\x00"); got != arg {
			t.Errorf("quoteSh(%q) = %s; sh reads it as %q", arg, quoteSh(arg), got)
		}
	}
}

func TestQuoteSh(t *testing.T) {
	tests := []struct{ in, want string }{
		{"leads.csv", "leads.csv"},           // nothing to quote
		{"--rate=2.5", "--rate=2.5"},         // flags stay readable
		{"a,b", "a,b"},                       // a comma is nothing to sh
		{"", "''"},                           // an empty argument stays an argument
		{"my leads.csv", "'my leads.csv'"},   // a space
		{"it's.csv", `'it'\''s.csv'`},        // a single quote ends, is escaped, reopens
		{`C:\data\x.csv`, `'C:\data\x.csv'`}, // a backslash is special to sh
		{"$HOME/x.csv", "'$HOME/x.csv'"},     // no expansion
		{"~/leads.csv", "'~/leads.csv'"},     // no tilde expansion
		{`say "hi"`, `'say "hi"'`},           // double quotes are literal inside single ones
		{"Ana María.csv", "'Ana María.csv'"}, // non-ASCII is quoted too
		{"it\u2019s.csv", "'it\u2019s.csv'"}, // a typographic quote is just a letter to sh
	}
	for _, tt := range tests {
		if got := quoteSh(tt.in); got != tt.want {
			t.Errorf("quoteSh(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestQuotePowerShell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"leads.csv", "leads.csv"},                                         // nothing to quote
		{`C:\data\leads.csv`, `C:\data\leads.csv`},                         // backslashes and a drive are plain
		{"--sheet=Q4", "--sheet=Q4"},                                       // a flag with a value
		{"", "''"},                                                         // an empty argument stays an argument
		{`C:\my data\leads.csv`, `'C:\my data\leads.csv'`},                 // a space
		{"it's.csv", "'it''s.csv'"},                                        // a single quote is written twice
		{"it\u2019s.csv", "'it\u2019\u2019s.csv'"},                         // so is a typographic one: PowerShell ends a string on it
		{"\u2018x\u201a\u201b", "'\u2018\u2018x\u201a\u201a\u201b\u201b'"}, // every kind of single quote
		{"$HOME", "'$HOME'"},                                               // no variable expansion
		{"`n", "'`n'"},                                                     // no escape sequences
		{"a,b", "'a,b'"},                                                   // a bare comma would make an array
		{"--%", "'--%'"},                                                   // the stop-parsing token
		{"@args", "'@args'"},                                               // no splatting
		{"x;y", "'x;y'"},                                                   // no second statement
		{`say "hi"`, `'say "hi"'`},                                         // double quotes are literal inside single ones
		{"Ana María.csv", "'Ana María.csv'"},                               // non-ASCII
		{"(1+1)", "'(1+1)'"},                                               // no subexpression
		{`\\server\share\x.csv`, `\\server\share\x.csv`},                   // a UNC path
	}
	for _, tt := range tests {
		if got := quotePowerShell(tt.in); got != tt.want {
			t.Errorf("quotePowerShell(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestQuoteCmd(t *testing.T) {
	tests := []struct{ in, want string }{
		{"leads.csv", "leads.csv"},                 // nothing to quote
		{`C:\data\leads.csv`, `C:\data\leads.csv`}, // backslashes and a drive are plain
		{"", `""`}, // an empty argument stays an argument
		{`C:\my data\leads.csv`, `"C:\my data\leads.csv"`},                 // a space
		{`Q4 & Q1 (final)^ <x> | y.csv`, `"Q4 & Q1 (final)^ <x> | y.csv"`}, // cmd.exe's operators are literal in quotes
		{"it's.csv", `"it's.csv"`},                                         // a single quote is nothing to cmd.exe
		{`C:\my dir\`, `"C:\my dir\\"`},                                    // a trailing backslash would escape the closing quote
		{"100% done", `"100"%" done"`},                                     // % outside the quotes
		{`%USERPROFILE%\x`, `""%"USERPROFILE"%"\x"`},                       // a variable's name is never left between two %
		{`a\%b`, `"a\\"%"b"`},                                              // backslashes before a % that closes a quoted part
		{"%", `""%`},                                                       // only a %
		{`say "hi"`, `"say "\^""hi"\^"`},                                   // a double quote: \ for the program, ^ for cmd.exe
		{`a\"b`, `"a\\"\^""b"`},                                            // a backslash before a double quote
		{`"`, `""\^"`},                                                     // only a double quote
		{"$HOME", `"$HOME"`},                                               // $ is nothing to cmd.exe
		{"Ana María.csv", `"Ana María.csv"`},                               // non-ASCII
	}
	for _, tt := range tests {
		if got := quoteCmd(tt.in); got != tt.want {
			t.Errorf("quoteCmd(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestQuoteWindows(t *testing.T) {
	tests := []struct{ in, want string }{
		{`C:\data\leads.csv`, `C:\data\leads.csv`},                               // plain in both shells
		{`C:\my data\it's (1).csv`, `"C:\my data\it's (1).csv"`},                 // double quotes: the same to PowerShell and cmd.exe
		{`C:\Users\Ana María\Q4 & Q1.xlsx`, `"C:\Users\Ana María\Q4 & Q1.xlsx"`}, // & and non-ASCII inside them
		{`C:\$5 deals.csv`, `'C:\$5 deals.csv'`},                                 // $ would expand in PowerShell's double quotes: its own form
		{"`x.csv", "'`x.csv'"},                                                   // so would a backtick escape
		{`100%.csv`, `'100%.csv'`},                                               // % has no form common to both: PowerShell's
		{"a,b", `"a,b"`},                                                         // a comma, quoted for PowerShell
		{"", `""`},                                                               // an empty argument
	}
	for _, tt := range tests {
		if got := quoteWindows(tt.in); got != tt.want {
			t.Errorf("quoteWindows(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestResumeCommand(t *testing.T) {
	tests := []struct {
		name, goos, input, report string
		args                      []string
		want                      string
	}{
		{
			// Windows: a path with spaces and backslashes, in a form PowerShell and cmd.exe both take.
			"windows", "windows", `C:\Users\Ana María\Q4 close.xlsx`, `C:\Users\Ana María\Q4 close.report-20261124-101500.csv`,
			[]string{`C:\Users\Ana María\Q4 close.xlsx`, "--sheet", "Second batch", "--limit", "5"},
			`leadstatus import "C:\Users\Ana María\Q4 close.xlsx" --sheet "Second batch" --resume "C:\Users\Ana María\Q4 close.report-20261124-101500.csv"`,
		},
		{
			// Windows: a $ in a name means PowerShell's own quoting.
			"windows dollar", "windows", `C:\data\$5 deals.csv`, `C:\data\pilot.csv`,
			[]string{"--report", `C:\data\pilot.csv`, "--force", `C:\data\$5 deals.csv`},
			`leadstatus import 'C:\data\$5 deals.csv' --resume C:\data\pilot.csv`,
		},
		{
			// Linux and macOS: sh quoting; --report, --force and --limit=N are left out.
			"linux", "linux", "/home/ana/Q4 close/it's.csv", "/home/ana/Q4 close/pilot.csv",
			[]string{"--limit=5", "/home/ana/Q4 close/it's.csv", "--report=/home/ana/Q4 close/pilot.csv", "--rate", "5"},
			`leadstatus import '/home/ana/Q4 close/it'\''s.csv' --rate 5 --resume '/home/ana/Q4 close/pilot.csv'`,
		},
		{
			// Standard input cannot be read again: no command.
			"stdin", "darwin", "-", "stdin.report-20261124-101500.csv", []string{"-"}, "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resumeCommand(quoterFor(tt.goos), tt.input, tt.report, tt.args); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestResumeCommandPastes runs a pilot on an input whose folder and name
// hold spaces, a backslash and a quote, pastes the printed resume command
// into sh and runs it: it must find the input and the report and finish the
// job.
func TestResumeCommandPastes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("pastes into a POSIX sh")
	}
	dir := filepath.Join(t.TempDir(), "Q4 data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "samples", "quarter-end.csv"))
	if err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, `close (final)\Ana's.csv`)
	if err := os.WriteFile(input, data, 0o600); err != nil {
		t.Fatal(err)
	}

	err, stdout, stderr := runCLI(t, nil, "import", "--mock", "-q", input, "--limit", "5")
	if ExitCode(err) != ExitRowsFailed {
		t.Fatalf("pilot: err = %v; stderr:\n%s", err, stderr)
	}
	// The default report goes beside the input, whatever its name.
	pilot := filepath.Join(dir, `close (final)\Ana's.report-20261124-101500.csv`)
	if _, err := os.Stat(pilot); err != nil {
		t.Fatalf("default report: %v; stdout:\n%s", err, stdout)
	}
	const prefix = "to send what did not succeed: "
	var line string
	for l := range strings.Lines(stdout) {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			line = strings.TrimSpace(rest)
		}
	}
	if line == "" {
		t.Fatalf("no resume command in:\n%s", stdout)
	}
	out, err := exec.Command("sh", "-c", `printf '%s\0' `+line).Output()
	if err != nil {
		t.Fatalf("sh cannot read %s: %v", line, err)
	}
	args := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if args[0] != "leadstatus" || args[2] != input || args[len(args)-1] != pilot {
		t.Fatalf("sh reads %s as %q", line, args)
	}

	sys, outBuf, errBuf := testIO(nil)
	sys.Now = func() time.Time { return time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC) }
	if err := Run(context.Background(), context.Background(), args[1:], sys); err != nil {
		t.Fatalf("the pasted command: %v\nstdout:\n%s\nstderr:\n%s", err, outBuf, errBuf)
	}
	if !strings.Contains(outBuf.String(), "50 rows: 45 succeeded, 5 skipped") {
		t.Errorf("the pasted command did not finish the job:\n%s", outBuf)
	}
}
