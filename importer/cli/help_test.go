package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// runArgs runs exactly args, with no credentials.
func runArgs(args ...string) (err error, stdout, stderr string) {
	sys, out, errOut := testIO(nil)
	err = Run(context.Background(), context.Background(), args, sys)
	return err, out.String(), errOut.String()
}

func TestHelpFitsEightyColumns(t *testing.T) {
	singleDashLong := regexp.MustCompile(`(^|\s)-[a-z][a-z-]+`)
	cases := [][]string{{"--help"}, {"help"}, {"help", "import"}}
	for _, c := range commands() {
		cases = append(cases, []string{c.name, "--help"}, []string{c.name, "-h"})
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			err, stdout, stderr := runArgs(args...)
			if err != nil || stderr != "" {
				t.Fatalf("err %v, stderr %q; want help on standard output", err, stderr)
			}
			if len(stdout) < 200 {
				t.Fatalf("help is %d bytes:\n%s", len(stdout), stdout)
			}
			for i, line := range strings.Split(stdout, "\n") {
				if n := utf8.RuneCountInString(line); n > helpWidth {
					t.Errorf("line %d is %d columns: %q", i+1, n, line)
				}
				if m := singleDashLong.FindString(line); m != "" {
					t.Errorf("line %d writes a flag with one dash (%q): %q", i+1, strings.TrimSpace(m), line)
				}
			}
		})
	}
}

func TestEveryFlagInAGroup(t *testing.T) {
	// Each flag of a command's table has a group, is defined once and is
	// shown under its group's heading, the groups in the table's order.
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			_, help, _ := runArgs(c.name, "--help")
			seen := map[string]bool{}
			at := 0
			for _, g := range c.groups() {
				if g.title == "" {
					t.Errorf("%s has no group", flagName(g.flags[0].name))
					continue
				}
				if strings.Count(help, "\n"+g.title+":\n") != 1 {
					t.Errorf("group %q shown %d times", g.title, strings.Count(help, "\n"+g.title+":\n"))
				}
				i := strings.Index(help[at:], "\n"+g.title+":\n")
				if i < 0 {
					t.Fatalf("group %q missing or out of order:\n%s", g.title, help)
				}
				at += i + 1
				for _, d := range g.flags {
					if seen[d.name] {
						t.Errorf("%s is defined twice", flagName(d.name))
					}
					seen[d.name] = true
					m := regexp.MustCompile(`\n  ` + regexp.QuoteMeta(flagName(d.name)) + `[ \n]`).FindStringIndex(help[at:])
					if m == nil {
						t.Errorf("%s not shown under %q", flagName(d.name), g.title)
						continue
					}
					at += m[0] + 1
				}
			}
		})
	}
}

func TestImportHelpGroups(t *testing.T) {
	// The groups a user scans for, in this order.
	_, help, _ := runArgs("import", "--help")
	want := []string{"What to send:", "Safety:", "Speed:", "Input:", "Output:", "Trying it out:"}
	at := 0
	for _, g := range want {
		i := strings.Index(help[at:], "\n"+g+"\n")
		if i < 0 {
			t.Fatalf("%q missing or out of order:\n%s", g, help)
		}
		at += i + 1
	}
	if !strings.Contains(help, "\n  --dry-run ") || !strings.Contains(help, "\n  -q ") {
		t.Errorf("flags not written as --flag and -q:\n%s", help)
	}
}

func TestMistakes(t *testing.T) {
	tests := []struct {
		args []string
		want string // the whole of standard error
	}{
		// A misspelt flag: the closest one and where to look.
		{[]string{"import", "--dryrun", "x.csv"}, "unknown flag --dryrun; did you mean --dry-run? See 'leadstatus import --help'"},
		// Letter case does not hide the match.
		{[]string{"import", "x.csv", "--Dry-Run"}, "unknown flag --Dry-Run; did you mean --dry-run? See 'leadstatus import --help'"},
		// Nothing close: only where to look.
		{[]string{"import", "--frobnicate", "x.csv"}, "unknown flag --frobnicate; see 'leadstatus import --help'"},
		// Undo's own flags.
		{[]string{"undo", "r.csv", "--yse"}, "unknown flag --yse; did you mean --yes? See 'leadstatus undo --help'"},
		// Mock's own flags.
		{[]string{"mock", "--fail-rat", "0.1"}, "unknown flag --fail-rat; did you mean --fail-rate? See 'leadstatus mock --help'"},
		// A misspelt command.
		{[]string{"imprt", "x.csv"}, `unknown command "imprt"; did you mean import? See 'leadstatus --help'`},
		// Letters swapped.
		{[]string{"udno"}, `unknown command "udno"; did you mean undo? See 'leadstatus --help'`},
		// No command close: the list.
		{[]string{"frobnicate"}, `unknown command "frobnicate"; the commands are import, undo, lookup, mock or ui. See 'leadstatus --help'`},
		// A duration without a unit.
		{[]string{"import", "--timeout", "30", "x.csv"}, "--timeout 30: use a unit, e.g. 30s"},
		// The same with =.
		{[]string{"import", "--backoff-max=5", "x.csv"}, "--backoff-max 5: use a unit, e.g. 5s"},
		// Not a duration at all.
		{[]string{"import", "--timeout", "soon", "x.csv"}, `--timeout "soon" is not a duration; use e.g. 500ms, 30s or 2m`},
		// Not a number.
		{[]string{"import", "--workers", "many", "x.csv"}, `--workers "many" is not a whole number`},
		// A flag missing its value.
		{[]string{"import", "x.csv", "--report"}, "--report needs a value; see 'leadstatus import --help'"},
		// Out of range, each refused in one line.
		{[]string{"import", "--max-failures", "-1", "x.csv"}, "--max-failures -1: must be 0 or more"},
		{[]string{"import", "--workers", "0", "x.csv"}, "--workers 0: choose from 1 to 256"},
		{[]string{"import", "--workers", "257", "x.csv"}, "--workers 257: choose from 1 to 256"},
		{[]string{"import", "--rate", "0", "x.csv"}, "--rate 0: must be more than 0"},
		{[]string{"import", "--rate", "-3", "x.csv"}, "--rate -3: must be more than 0"},
		{[]string{"import", "--burst", "0", "x.csv"}, "--burst 0: must be at least 1"},
		{[]string{"import", "--retries", "-1", "x.csv"}, "--retries -1: must be 0 or more"},
		{[]string{"import", "--limit", "-5", "x.csv"}, "--limit -5: must be 0 or more"},
		{[]string{"import", "--timeout", "0s", "x.csv"}, "--timeout 0s: must be more than 0"},
		{[]string{"import", "--backoff-base", "-1s", "x.csv"}, "--backoff-base -1s: must be 0 or more"},
		{[]string{"undo", "--workers", "0", "r.csv"}, "--workers 0: choose from 1 to 256"},
		{[]string{"mock", "--fail-rate", "1.5"}, "--fail-rate 1.5: choose from 0 to 1"},
		{[]string{"mock", "--reset-rate", "-0.1"}, "--reset-rate -0.1: choose from 0 to 1"},
		{[]string{"mock", "--leads", "0"}, "--leads 0: must be at least 1"},
		{[]string{"mock", "--rate-limit", "-1"}, "--rate-limit -1: must be 0 or more"},
		// After the input file, refused the same way.
		{[]string{"import", "x.csv", "--workers", "0"}, "--workers 0: choose from 1 to 256"},
		{[]string{"import", "x.csv", "--timeout=5"}, "--timeout 5: use a unit, e.g. 5s"},
		{[]string{"mock", "--slow-latency", "-2s"}, "--slow-latency -2s: must be 0 or more"},
		{[]string{"mock", "--rate-burst", "0"}, "--rate-burst 0: must be at least 1"},
		// A word among a few: the closest, or the list.
		{[]string{"import", "--log-format", "jsn", "x.csv"}, `--log-format "jsn": did you mean json? See 'leadstatus import --help'`},
		{[]string{"import", "--log-format", "xml", "x.csv"}, `--log-format "xml": choose console or json`},
		{[]string{"mock", "--on-closed", "skip"}, `--on-closed "skip": choose reject or apply`},
		// A list of statuses with one that is not.
		{[]string{"mock", "--fail-statuses", "503,5xx"}, `--fail-statuses "5xx" is not an HTTP status; give numbers such as 503 or 500,503`},
		// A boolean given a value it cannot take.
		{[]string{"import", "--dry-run=maybe", "x.csv"}, "--dry-run=maybe: write --dry-run to turn it on, --dry-run=false to turn it off"},
		// Arguments missing, without the whole help.
		{[]string{"import"}, "import takes one input file (or - for standard input), got 0; see 'leadstatus import --help'"},
		{[]string{"undo"}, "undo takes one report file, got 0; see 'leadstatus undo --help'"},
		// A misspelt word argument and value.
		{[]string{"lookup", "outcomse"}, `lookup "outcomse": did you mean outcomes? See 'leadstatus lookup --help'`},
		{[]string{"lookup", "outcomes", "--format", "jsn"}, `--format "jsn": did you mean json? See 'leadstatus lookup --help'`},
		{[]string{"lookup", "outcomes", "--format", "yaml"}, `--format "yaml": choose table, csv or json`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err, stdout, stderr := runArgs(tt.args...)
			if ExitCode(err) != ExitUsage {
				t.Errorf("exit %d (%v), want %d", ExitCode(err), err, ExitUsage)
			}
			if want := "leadstatus: " + tt.want + "\n"; stderr != want {
				t.Errorf("stderr:\n%q\nwant:\n%q", stderr, want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

func TestSingleDashFlagsStillWork(t *testing.T) {
	// Scripts written for Go's flag syntax keep working.
	err, _, stderr := runArgs("lookup", "-format", "yaml", "outcomes")
	if want := "leadstatus: --format \"yaml\": choose table, csv or json\n"; stderr != want || ExitCode(err) != ExitUsage {
		t.Errorf("-format was not read as --format: %q", stderr)
	}
}

func TestClosest(t *testing.T) {
	names := []string{"dry-run", "check", "rate", "retries", "report", "resume", "q", "v"}
	tests := []struct{ typed, want string }{
		{"dryrun", "dry-run"},  // a dash left out
		{"dyr-run", "dry-run"}, // letters swapped
		{"chek", "check"},      // a letter left out
		{"rpt", ""},            // too far from report
		{"x", ""},              // one letter suggests nothing
		{"dry", "dry-run"},     // the start of a name
		{"reprot", "report"},   // swapped, among several r- names
	}
	for _, tt := range tests {
		if got := closest(tt.typed, names); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}
