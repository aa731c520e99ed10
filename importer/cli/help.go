package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leadstatus/leadstatus/importer"
)

// helpWidth is the width help is written to: a terminal's default.
const helpWidth = 80

// command is what help and mistake messages say about one command: the text
// before its flags, and its flag table, in the order help shows it. Help
// groups the flags under their group's title, in the order the groups first
// appear.
type command struct {
	name  string // as typed after leadstatus
	intro string // usage line, what it does, examples; lines within helpWidth
	flags []flagDef
}

// flagGroup is one heading of a command's flags, in the order shown.
type flagGroup struct {
	title string
	flags []flagDef
}

// groups returns the command's flags by group, in the table's order.
func (c command) groups() []flagGroup {
	var groups []flagGroup
	at := map[string]int{}
	for _, d := range c.flags {
		i, ok := at[d.group]
		if !ok {
			i = len(groups)
			at[d.group] = i
			groups = append(groups, flagGroup{title: d.group})
		}
		groups[i].flags = append(groups[i].flags, d)
	}
	return groups
}

// lookup returns the flag of that name.
func (c command) lookup(name string) (flagDef, bool) {
	for _, d := range c.flags {
		if d.name == name {
			return d, true
		}
	}
	return flagDef{}, false
}

// helpRef is where a mistake message sends the user.
func (c command) helpRef() string {
	return fmt.Sprintf("'leadstatus %s --help'", c.name)
}

func importCommand(f *importFlags, defURL string) command {
	conn := f.conn.defs(defURL)
	const send, safety, speed, input, output, trying = "What to send", "Safety", "Speed", "Input", "Output", "Trying it out"
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
		flags: []flagDef{
			def(send, "mapping", textFlag(&f.mappingPath, ""), "YAML mapping `FILE`: rename columns, map values, set defaults"),
			def(send, "skip-closed", boolFlag(&f.skipClosed), "leave leads that are already closed alone (the default); given explicitly, those skips count as done"),
			def(send, "update-closed", boolFlag(&f.updateClosed), "send updates to leads that are already closed too (may apply them again)"),
			def(send, "limit", intFlag(&f.limit, 0, zeroOrMore), "send only the first `N` valid updates of the file, in file order whatever --workers (a pilot run); finish later with --resume"),
			def(send, "resume", textFlag(&f.resume, ""), "resume from an earlier `REPORT` of the same input: rows it shows succeeded are skipped"),
			def(safety, "dry-run", boolFlag(&f.dryRun), "read, map and validate every row and show the body that would be sent; send no update"),
			def(safety, "check", boolFlag(&f.check), "with --dry-run: also check leads, outcomes, products and competitors against Nutshell (read-only)"),
			def(safety, "max-failures", intFlag(&f.maxFailures, 0, zeroOrMore), "stop after `N` failed rows (0 = never)"),
			def(safety, "force", boolFlag(&f.force), "overwrite an existing report file"),
			def(speed, "rate", floatFlag(&f.rate, importer.DefaultRate, moreThanZero), "at most `R` requests per second; lowered automatically on 429s, and on 503s that come with load"),
			def(speed, "start-rate", floatFlag(&f.startRate, 0, zeroOrMore), "start at `R` requests per second and double toward --rate while Nutshell keeps up (default: a few per second; --start-rate equal to --rate skips the ramp)"),
			def(speed, "burst", intFlag(&f.burst, importer.DefaultBurst, oneOrMore), "requests that may start at once after an idle moment (`N`)"),
			def(speed, "workers", intFlag(&f.workers, importer.DefaultWorkers, workersRange), "requests in flight at once (`N`)"),
			def(speed, "retries", intFlag(&f.retries, importer.DefaultRetries, zeroOrMore), "retry a failed request at most `N` times (429, 5xx, timeouts, dropped connections)"),
			def(speed, "backoff-base", durationFlag(&f.backoffBase, importer.DefaultBackoffBase, zeroOrMore), "first retry waits up to `D` (doubling each retry, randomised)"),
			def(speed, "backoff-max", durationFlag(&f.backoffMax, importer.DefaultBackoffMax, zeroOrMore), "no retry waits longer than `D` (unless Nutshell's Retry-After says so)"),
			conn.timeout.in(speed),
			def(input, "sheet", textFlag(&f.sheet, ""), "XLSX sheet `NAME` (default: the first visible sheet)"),
			def(input, "header-row", intFlag(&f.headerRow, 0, zeroOrMore), "the header is on row `N` and rows above it are skipped (default: the first row near the top that names a lead column)"),
			def(input, "encoding", textFlag(&f.encoding, ""), "text encoding of a CSV/TSV: utf-8, utf-16le, utf-16be or windows-1252 (default: detected)"),
			def(input, "decimal-comma", boolFlag(&f.decimalComma), "prices and quantities are written with a decimal comma (1.234,50); like decimal_separator: \",\" in a mapping file"),
			def(output, "report", textFlag(&f.reportPath, ""), "write the report to `PATH` (.csv, .xlsx or .jsonl); default INPUT.report-YYYYMMDD-HHMMSS.csv beside the input"),
			conn.logFormat.in(output), conn.quiet.in(output), conn.verbose.in(output),
			conn.mock.in(trying), conn.mockLeads.in(trying), conn.url.in(trying),
		},
	}
}

func undoCommand(f *undoFlags, defURL string) command {
	conn := f.conn.defs(defURL)
	const safety, speed, output, trying = "Safety", "Speed", "Output", "Trying it out"
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
		flags: []flagDef{
			def(safety, "dry-run", boolFlag(&f.dryRun), "show what would be reopened; send nothing"),
			def(safety, "yes", boolFlag(&f.yes), "do not ask for confirmation"),
			def(safety, "force", boolFlag(&f.force), "overwrite an existing undo report"),
			def(speed, "rate", floatFlag(&f.rate, importer.DefaultRate, moreThanZero), "at most `R` requests per second"),
			def(speed, "start-rate", floatFlag(&f.startRate, 0, zeroOrMore), "start at `R` requests per second and double toward --rate (default: a few per second)"),
			def(speed, "workers", intFlag(&f.workers, importer.DefaultWorkers, workersRange), "requests in flight at once (`N`)"),
			def(speed, "retries", intFlag(&f.retries, importer.DefaultRetries, zeroOrMore), "retry a failed request at most `N` times"),
			conn.timeout.in(speed),
			def(output, "report", textFlag(&f.reportPath, ""), "write the undo report to `PATH` (default REPORT.undo.report-YYYYMMDD-HHMMSS.csv)"),
			conn.logFormat.in(output), conn.quiet.in(output), conn.verbose.in(output),
			conn.mock.in(trying), conn.mockLeads.in(trying), conn.url.in(trying),
		},
	}
}

func lookupCommand(f *lookupFlags, defURL string) command {
	conn := f.conn.defs(defURL)
	const output, connection, trying = "Output", "Connection", "Trying it out"
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
		flags: []flagDef{
			def(output, "format", choiceFlag(&f.format, "table", "table", "csv", "json"), "output format: table, csv or json"),
			conn.logFormat.in(output), conn.quiet.in(output), conn.verbose.in(output),
			conn.timeout.in(connection), conn.url.in(connection),
			conn.mock.in(trying), conn.mockLeads.in(trying),
		},
	}
}

func mockCommand(f *mockFlags) command {
	o := &f.fake
	const server, data, limits, faults, latency = "Server", "Data", "Limits", "Faults", "Latency"
	const kind = "Kind of server (what the published API leaves open)"
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
		flags: []flagDef{
			def(server, "addr", textFlag(&f.addr, "127.0.0.1:8080"), "listen on `ADDR` (loopback only)"),
			def(server, "username", textFlag(&o.Username, ""), "accept only this user (default: any credentials)"),
			def(server, "api-key", textFlag(&o.APIKey, ""), "accept only this API key (default: any credentials)"),
			def(data, "leads", intFlag(&o.Leads, 1000, oneOrMore), "open leads 1-leads..N-leads (`N`)"),
			def(data, "closed-leads", intFlag(&f.closedLeads, 0, anyNumber), "leads 1-leads..N-leads start closed as Won (`N`)"),
			def(data, "hide-maps", boolFlag(&o.HideMaps), "leads show no product or competitor maps, as the published Lead schema"),
			def(data, "seed", intFlag(&f.seed, 1, anyNumber), "seed for request IDs and faults (same seed, same faults)"),
			def(limits, "rate-limit", floatFlag(&o.RateLimit, 0, zeroOrMore), "hidden limit: answer 429 above `R` requests per second (0 = none)"),
			def(limits, "rate-burst", intFlag(&o.RateBurst, 1, oneOrMore), "burst of the hidden limit (`N`)"),
			def(limits, "limit-window", durationFlag(&o.RateWindow, 0, anyNumber), "count the hidden limit per fixed window of `D` (--rate-limit × D requests, e.g. 1m), answering with Retry-After until it ends (0 = a token bucket)"),
			def(limits, "retry-after", boolFlag(&o.RetryAfter), "send Retry-After with the hidden limit's answers"),
			def(limits, "limit-status", intFlag(&o.LimitStatus, 429, anyNumber), "status the hidden limit answers with: 429, or 503 for a service that sheds load"),
			def(faults, "fail-rate", floatFlag(&o.FailRate, 0, share), "share of updates answered with --fail-statuses and not applied (0..1)"),
			def(faults, "fail-statuses", &statusesValue{&o.FailStatuses}, "comma-separated 5xx `STATUSES` a --fail-rate fault picks from (default 503,500)"),
			def(faults, "reset-rate", floatFlag(&o.ResetRate, 0, share), "share of updates whose connection is dropped, not applied (0..1)"),
			def(faults, "apply-then-fail-rate", floatFlag(&o.ApplyThenFailRate, 0, share), "share of updates applied, then answered 502 (0..1)"),
			def(faults, "apply-then-reset-rate", floatFlag(&o.ApplyThenResetRate, 0, share), "share of updates applied, then the connection dropped (0..1)"),
			def(faults, "on-closed", choiceFlag(&f.onClosed, "reject", "reject", "apply"), "an outcome sent to a closed lead: reject (422) or apply (applied again, products added again)"),
			def(latency, "latency", durationFlag(&o.Latency, 0, zeroOrMore), "added to every response (`D`)"),
			def(latency, "slow-rate", floatFlag(&o.SlowRate, 0, share), "share of responses that take --slow-latency instead (0..1)"),
			def(latency, "slow-latency", durationFlag(&o.SlowLatency, 5*time.Second, zeroOrMore), "latency of slow responses (`D`)"),
			def(kind, "refuse-undeclared-query", boolFlag(&o.RefuseUndeclaredQuery), "answer 400 to query parameters the published API does not declare (filters and paging of the catalogue lists)"),
			def(kind, "ignore-filters", boolFlag(&o.IgnoreFilters), "answer lists as if their filter[...] parameters were not there"),
			def(kind, "no-comma-ids", boolFlag(&o.NoCommaIDs), "answer 404 to several IDs joined by commas in one read"),
			def(kind, "no-competitor-links", boolFlag(&o.NoCompetitorLinks), "leave a lead's competitor maps out of its links"),
			def(kind, "product-maps-by-id", boolFlag(&o.ProductMapsByID), "name a lead's product maps by ID only, without side-loading them"),
			def(kind, "maps-name-no-lead", boolFlag(&o.MapsNameNoLead), "serve competitor maps without links.lead"),
		},
	}
}

func uiCommand(f *uiFlags, defURL string) command {
	conn := f.conn.defs(defURL)
	const page, output, trying = "Page", "Output", "Trying it out"
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
		flags: []flagDef{
			def(page, "addr", textFlag(&f.addr, "127.0.0.1:0"), "listen on `ADDR` (loopback only; port 0 picks a free one)"),
			def(page, "no-open", boolFlag(&f.noOpen), "print the page's address without opening a browser"),
			def(page, "dir", textFlag(&f.dir, "."), "write reports to `DIR`, named as leadstatus import names them"),
			conn.logFormat.in(output), conn.quiet.in(output), conn.verbose.in(output),
			conn.mock.in(trying), conn.mockLeads.in(trying), conn.url.in(trying), conn.timeout.in(trying),
		},
	}
}

// commands lists the commands in the order the top-level help shows them,
// each with its flags at their defaults.
func commands() []command {
	return []command{
		importCommand(&importFlags{}, DefaultURL), undoCommand(&undoFlags{}, DefaultURL),
		lookupCommand(&lookupFlags{}, DefaultURL), mockCommand(&mockFlags{}), uiCommand(&uiFlags{}, DefaultURL),
	}
}

// workersRange is what --workers accepts.
var workersRange = valueRange{min: 1, max: 256}

// flagName writes a flag as typed: -q and -v, --everything-else.
func flagName(name string) string {
	if utf8.RuneCountInString(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// parseArgs sets a command's flags from args, before or after its
// positional arguments ("import FILE --dry-run" as well as "import
// --dry-run FILE"), and returns the positional ones. -h or --help prints the
// command's help to standard output and returns errHelp. A mistake is a
// *UsageError of one line that names the closest flag and where to look;
// each flag's value refuses what is outside its range as it is set.
func parseArgs(sys *IO, cmd command, args []string) ([]string, error) {
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
			printHelp(sys.Out, cmd)
			return nil, errHelp
		}
		f, ok := cmd.lookup(name)
		if !ok {
			return nil, unknownFlag(cmd, name)
		}
		_, isSwitch := f.value.(*boolValue)
		switch {
		case isSwitch && !hasValue:
			value = "true"
		case !hasValue && i+1 == len(args):
			return nil, usageErrorf("%s needs a value; see %s", flagName(name), cmd.helpRef())
		case !hasValue:
			i++
			value = args[i]
		}
		if err := f.value.Set(value); err != nil {
			return nil, badValue(cmd, name, value, isSwitch, err)
		}
	}
	return positional, nil
}

// unknownFlag says a flag does not exist, with the closest that does.
func unknownFlag(cmd command, name string) error {
	var names []string
	for _, d := range cmd.flags {
		names = append(names, d.name)
	}
	if best := closest(name, names); best != "" {
		return usageErrorf("unknown flag %s; did you mean %s? See %s", flagName(name), flagName(best), cmd.helpRef())
	}
	return usageErrorf("unknown flag %s; see %s", flagName(name), cmd.helpRef())
}

// badValue says in one line why a flag refused its value.
func badValue(cmd command, name, value string, isSwitch bool, err error) error {
	flag := flagName(name)
	if isSwitch {
		return usageErrorf("%s=%s: write %s to turn it on, %s=false to turn it off", flag, value, flag, flag)
	}
	var refused *valueError
	if !errors.As(err, &refused) {
		return usageErrorf("%s %q: not a valid value", flag, value)
	}
	if refused.seeHelp {
		return usageErrorf("%s %s See %s", flag, refused.msg, cmd.helpRef())
	}
	return usageErrorf("%s %s", flag, refused.msg)
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
func printHelp(w io.Writer, cmd command) {
	fmt.Fprint(w, cmd.intro)
	for _, g := range cmd.groups() {
		fmt.Fprintf(w, "\n%s:\n", g.title)
		for _, d := range g.flags {
			writeFlag(w, d)
		}
	}
}

// writeFlag writes one flag: "  --name VALUE" and its description from
// flagColumn on, with the default when it is not the zero value.
func writeFlag(w io.Writer, d flagDef) {
	value, usage := d.value.placeholder(), d.usage
	if before, rest, ok := strings.Cut(usage, "`"); ok {
		if name, after, ok := strings.Cut(rest, "`"); ok {
			value, usage = name, before+name+after
		}
	}
	// "requests in flight at once (`N`)" names its value for the table;
	// here the value stands beside the flag already.
	usage = strings.Replace(usage, " ("+value+")", "", 1)
	head := "  " + flagName(d.name)
	if value != "" {
		head += " " + value
	}
	if !isZeroDefault(d.def) {
		usage += " (default " + d.def + ")"
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
func isZeroDefault(def string) bool {
	switch def {
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
