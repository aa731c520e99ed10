package cli

import (
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// helpWidth is the width help is written to: a terminal's default.
const helpWidth = 80

// command is what help and mistake messages say about one command: the text
// before its flags, and its flags in groups. Every flag a command defines
// must be in exactly one of its groups; TestEveryFlagInAGroup fails until a
// new flag is placed.
type command struct {
	name   string // as typed after leadstatus
	intro  string // usage line, what it does, examples; lines within helpWidth
	groups []flagGroup
}

// flagGroup is one heading of a command's flags, in the order shown.
type flagGroup struct {
	title string
	flags []string
}

// helpRef is where a mistake message sends the user.
func (c command) helpRef() string {
	return fmt.Sprintf("'leadstatus %s --help'", c.name)
}

func importCommand() command {
	return command{
		name: "import",
		intro: `Usage: leadstatus import FILE [flags]

Reads FILE (.csv, .tsv, .txt, .xlsx, .xlsm, or - for CSV on standard input),
turns each row into a lead status update and sends it to Nutshell's
POST /leads/{id}/status. Every row appears once in the report with what
happened to it.

Credentials come only from the environment: NUTSHELL_USERNAME (your Nutshell
e-mail) and NUTSHELL_API_KEY (or NUTSHELL_API_KEY_FILE, a file holding the
key; on a terminal you are asked).

Examples:
  leadstatus import --mock samples/quarter-end.csv
  leadstatus import --dry-run --report check.xlsx leads.xlsx
  leadstatus import leads.csv --mapping crm-export.mapping.yaml --rate 5
  leadstatus import leads.csv --resume leads.report-20261124-101500.csv

Leads already closed are left alone (--update-closed sends to them), so a
file can be run again safely: rows already done are skipped.

Exit codes: 0 every row succeeded or was already done (dry run: would be
sent); 1 some rows failed, were invalid, not sent or skipped for another
reason; 2 usage, credentials or input-file error (nothing was sent);
130 interrupted.
`,
		groups: []flagGroup{
			{"What to send", []string{"mapping", "skip-closed", "update-closed", "limit", "resume"}},
			{"Safety", []string{"dry-run", "check", "max-failures", "force"}},
			{"Speed", []string{"rate", "start-rate", "burst", "workers", "retries", "backoff-base", "backoff-max", "timeout"}},
			{"Input", []string{"sheet", "header-row", "encoding", "decimal-comma"}},
			{"Output", []string{"report", "log-format", "q", "v"}},
			{"Trying it out", []string{"mock", "mock-leads", "url"}},
		},
	}
}

func undoCommand() command {
	return command{
		name: "undo",
		intro: `Usage: leadstatus undo REPORT [flags]

Restores the leads as the import behind REPORT found them: reopens the leads
it closed and takes off the product maps it added (import_product_maps). A
lead that was already closed before that import is never reopened, nor one
whose status before it is unknown. Each lead is read first: one changed since
the import (closed with another outcome) is left alone and reported. Shows
what it will do and asks first on a terminal (--yes to skip). Writes its own
report with the same columns.

Examples:
  leadstatus undo leads.report-20261124-101500.csv
  leadstatus undo leads.report-20261124-101500.csv --dry-run
  leadstatus undo leads.report-20261124-101500.csv --yes --report undo.csv
`,
		groups: []flagGroup{
			{"Safety", []string{"dry-run", "yes", "force"}},
			{"Speed", []string{"rate", "start-rate", "workers", "retries", "timeout"}},
			{"Output", []string{"report", "log-format", "q", "v"}},
			{"Trying it out", []string{"mock", "mock-leads", "url"}},
		},
	}
}

func lookupCommand() command {
	return command{
		name: "lookup",
		intro: `Usage: leadstatus lookup outcomes|products|competitors [flags]

Prints the ID and name (and status, for outcomes) of what names in a
spreadsheet resolve to.

Examples:
  leadstatus lookup outcomes
  leadstatus lookup products --format csv > products.csv
  leadstatus lookup competitors --mock --format json
`,
		groups: []flagGroup{
			{"Output", []string{"format", "log-format", "q", "v"}},
			{"Connection", []string{"timeout", "url"}},
			{"Trying it out", []string{"mock", "mock-leads"}},
		},
	}
}

func mockCommand() command {
	return command{
		name: "mock",
		intro: `Usage: leadstatus mock [flags]

Serves the built-in fake Nutshell API: open leads 1-leads..N-leads; outcomes
1-outcomes Won, 2-outcomes Lost, 3-outcomes Cancelled, 4-outcomes No Decision,
5-outcomes Won - Expansion; products 1..5; competitors Acme Corp, Globex,
Initech, Umbrella; two competitor maps per lead.

Example:
  leadstatus mock --addr 127.0.0.1:8080 --rate-limit 20 --fail-rate 0.05
  NUTSHELL_API_URL=http://127.0.0.1:8080/rest \
    NUTSHELL_USERNAME=me@example.com NUTSHELL_API_KEY=any \
    leadstatus import samples/quarter-end.csv
`,
		groups: []flagGroup{
			{"Server", []string{"addr", "username", "api-key"}},
			{"Data", []string{"leads", "closed-leads", "hide-maps", "seed"}},
			{"Limits", []string{"rate-limit", "rate-burst", "limit-window", "retry-after", "limit-status"}},
			{"Faults", []string{"fail-rate", "fail-statuses", "reset-rate", "apply-then-fail-rate", "apply-then-reset-rate", "on-closed"}},
			{"Latency", []string{"latency", "slow-rate", "slow-latency"}},
			{"Kind of server (what the published API leaves open)", []string{"refuse-undeclared-query", "ignore-filters", "no-comma-ids", "no-competitor-links", "product-maps-by-id", "maps-name-no-lead"}},
		},
	}
}

// commands lists the commands in the order the top-level help shows them.
func uiCommand() command {
	return command{
		name: "ui",
		intro: `Usage: leadstatus ui [flags]

Serves a page on this machine for the same import, check, resume and undo the
commands run: choose a file, see its columns and the plan, send, download the
report, undo. The page listens on a loopback address only and opens with a
one-time link. Credentials come from the environment as for import
(NUTSHELL_USERNAME, NUTSHELL_API_KEY or NUTSHELL_API_KEY_FILE); without them
the page asks, and keeps them in memory only. Ctrl-C stops it and removes the
uploaded copies; reports stay in --dir.

Examples:
  leadstatus ui --mock                 rehearse on the built-in fake
  leadstatus ui --dir ~/reports
`,
		groups: []flagGroup{
			{"Page", []string{"addr", "no-open", "dir"}},
			{"Output", []string{"log-format", "q", "v"}},
			{"Trying it out", []string{"mock", "mock-leads", "url", "timeout"}},
		},
	}
}

func commands() []command {
	return []command{importCommand(), undoCommand(), lookupCommand(), mockCommand(), uiCommand()}
}

// valueRange is the values a numeric flag accepts.
type valueRange struct {
	min, max float64 // max +Inf: no upper bound
	above    bool    // the value must be more than min, not equal to it
}

// flagRange returns what a flag accepts, by name; flags of the same name
// mean the same in every command. ok is false for a flag of any value.
func flagRange(name string) (r valueRange, ok bool) {
	inf := math.Inf(1)
	switch name {
	case "workers":
		return valueRange{min: 1, max: 256}, true
	case "rate", "timeout":
		return valueRange{min: 0, max: inf, above: true}, true
	case "burst", "mock-leads", "leads", "rate-burst":
		return valueRange{min: 1, max: inf}, true
	case "retries", "limit", "max-failures", "header-row", "backoff-base", "backoff-max", "rate-limit", "latency", "slow-latency", "start-rate":
		return valueRange{min: 0, max: inf}, true
	case "fail-rate", "reset-rate", "apply-then-fail-rate", "apply-then-reset-rate", "slow-rate":
		return valueRange{min: 0, max: 1}, true
	}
	return valueRange{}, false
}

// check returns the complaint about v, or "".
func (r valueRange) check(v float64) string {
	switch {
	case math.IsNaN(v):
		return "must be a number"
	case r.max < math.Inf(1) && (v < r.min || v > r.max || r.above && v == r.min):
		return fmt.Sprintf("choose from %g to %g", r.min, r.max)
	case r.above && v <= r.min:
		return fmt.Sprintf("must be more than %g", r.min)
	case v < r.min && r.min == 0:
		return "must be 0 or more"
	case v < r.min:
		return fmt.Sprintf("must be at least %g", r.min)
	}
	return ""
}

// checkRanges refuses a flag value outside its range, in one line.
func checkRanges(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		r, ok := flagRange(f.Name)
		if !ok || err != nil {
			return
		}
		getter, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		var v float64
		switch x := getter.Get().(type) {
		case int:
			v = float64(x)
		case int64:
			v = float64(x)
		case float64:
			v = x
		case time.Duration:
			v = x.Seconds()
		default:
			return
		}
		if msg := r.check(v); msg != "" {
			err = usageErrorf("%s %s: %s", flagName(f.Name), f.Value, msg)
		}
	})
	return err
}

// flagName writes a flag as typed: -q and -v, --everything-else.
func flagName(name string) string {
	if utf8.RuneCountInString(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// parseArgs parses a command's flags, before or after its positional
// arguments ("import FILE --dry-run" as well as "import --dry-run FILE"),
// and returns the positional ones. -h or --help prints the command's help
// to standard output and returns errHelp. A mistake is a *UsageError of one
// line that names the closest flag and where to look; values outside a
// flag's range are refused the same way.
func parseArgs(sys *IO, fs *flag.FlagSet, cmd command, args []string) ([]string, error) {
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			positional = append(positional, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
		if name == "h" || name == "help" {
			printHelp(sys.Out, fs, cmd)
			return nil, errHelp
		}
		f := fs.Lookup(name)
		if f == nil || name == "" {
			return nil, unknownFlag(fs, cmd, name)
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			if !hasValue {
				value = "true"
			}
		} else if !hasValue {
			if i+1 == len(args) {
				return nil, usageErrorf("%s needs a value; see %s", flagName(name), cmd.helpRef())
			}
			i++
			value = args[i]
		}
		if err := fs.Set(name, value); err != nil {
			return nil, badValue(f, value)
		}
	}
	if err := checkRanges(fs); err != nil {
		return nil, err
	}
	return positional, nil
}

// unknownFlag says a flag does not exist, with the closest that does.
func unknownFlag(fs *flag.FlagSet, cmd command, name string) error {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if best := closest(name, names); best != "" {
		return usageErrorf("unknown flag %s; did you mean %s? See %s", flagName(name), flagName(best), cmd.helpRef())
	}
	return usageErrorf("unknown flag %s; see %s", flagName(name), cmd.helpRef())
}

// badValue says why a flag's value does not parse, in one line.
func badValue(f *flag.Flag, value string) error {
	name := flagName(f.Name)
	switch f.Value.(flag.Getter).Get().(type) {
	case time.Duration:
		if _, err := strconv.ParseFloat(value, 64); err == nil {
			return usageErrorf("%s %s: use a unit, e.g. %ss", name, value, value)
		}
		return usageErrorf("%s %q is not a duration; use e.g. 500ms, 30s or 2m", name, value)
	case bool:
		return usageErrorf("%s=%s: write %s to turn it on, %s=false to turn it off", name, value, name, name)
	case int, int64, uint, uint64:
		return usageErrorf("%s %q is not a whole number", name, value)
	case float64:
		return usageErrorf("%s %q is not a number", name, value)
	}
	return usageErrorf("%s %q: not a valid value", name, value)
}

// closest returns the candidate nearest to typed (letter case ignored), or
// "" if none is near enough to be what was meant: one the typed text begins,
// one edit away, or two from five letters on.
func closest(typed string, candidates []string) string {
	typed = strings.ToLower(typed)
	best, bestDist := "", math.MaxInt
	for _, c := range candidates {
		d := editDistance(typed, strings.ToLower(c))
		if len(typed) >= 2 && strings.HasPrefix(strings.ToLower(c), typed) {
			d = min(d, 1)
		}
		if d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	if bestDist == 0 || bestDist <= 2 && len(typed) >= 5 || bestDist <= 1 && len(typed) >= 2 {
		return best
	}
	return ""
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours ("imoprt") each count 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// unknownCommand says a command does not exist, with the closest that does.
func unknownCommand(name string) error {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if best := closest(name, append(names, "help", "version")); best != "" {
		return usageErrorf("unknown command %q; did you mean %s? See 'leadstatus --help'", name, best)
	}
	return usageErrorf("unknown command %q; the commands are %s. See 'leadstatus --help'", name, orList(names))
}

// choice checks a word argument against the ones allowed ("lookup
// outcomes"), suggesting the closest.
func choice(cmd command, what, got string, allowed []string) error {
	if slices.Contains(allowed, got) {
		return nil
	}
	if best := closest(got, allowed); best != "" {
		return usageErrorf("%s %q: did you mean %s? See %s", what, got, best, cmd.helpRef())
	}
	return usageErrorf("%s %q: choose %s", what, got, orList(allowed))
}

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// flagColumn is where a flag's description starts.
const flagColumn = 26

// printHelp writes a command's help: its intro, then its flags by group,
// each flag's description wrapped to helpWidth.
// A flag in no group is still shown, under "Other flags", which
// TestEveryFlagInAGroup refuses.
func printHelp(w io.Writer, fs *flag.FlagSet, cmd command) {
	fmt.Fprint(w, cmd.intro)
	placed := map[string]bool{}
	for _, g := range cmd.groups {
		fmt.Fprintf(w, "\n%s:\n", g.title)
		for _, name := range g.flags {
			if f := fs.Lookup(name); f != nil {
				writeFlag(w, f)
			}
			placed[name] = true
		}
	}
	var other []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if !placed[f.Name] {
			other = append(other, f)
		}
	})
	if len(other) > 0 {
		fmt.Fprintf(w, "\n%s:\n", otherFlags)
		for _, f := range other {
			writeFlag(w, f)
		}
	}
}

// otherFlags heads the flags no group names.
const otherFlags = "Other flags"

// writeFlag writes one flag: "  --name VALUE" and its description from
// flagColumn on, with the default when it is not the zero value.
func writeFlag(w io.Writer, f *flag.Flag) {
	value, usage := flag.UnquoteUsage(f)
	switch value {
	case "duration":
		value = "D"
	case "int", "uint":
		value = "N"
	case "float":
		value = "X"
	case "string", "value":
		value = "TEXT"
	}
	// "requests in flight at once (`N`)" names its value for PrintDefaults;
	// here the value stands beside the flag already.
	usage = strings.Replace(usage, " ("+value+")", "", 1)
	head := "  " + flagName(f.Name)
	if value != "" {
		head += " " + value
	}
	if !isZeroDefault(f) {
		usage += " (default " + f.DefValue + ")"
	}
	lines := wrap(usage, helpWidth-flagColumn)
	if len(head)+2 > flagColumn {
		fmt.Fprintln(w, head)
	} else {
		fmt.Fprintf(w, "%-*s%s\n", flagColumn, head, lines[0])
		lines = lines[1:]
	}
	for _, l := range lines {
		fmt.Fprintf(w, "%*s%s\n", flagColumn, "", l)
	}
}

// isZeroDefault reports whether a flag's default is its type's zero value,
// which help leaves unsaid.
func isZeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "0s", "false":
		return true
	}
	return false
}

// wrap breaks text into lines of at most width runes at spaces; a word
// longer than width has a line of its own.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}
