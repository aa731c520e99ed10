package importer

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// FatalError is rejected credentials: the run stopped at once, and rows not
// sent are reported as not-sent.
type FatalError = sender.FatalError

// SetupError is a problem found before anything was sent (input file, mapping,
// report path, credentials): the run did nothing.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// Run performs one import and returns what it did. The report is complete
// whenever the returned Summary is not nil, errors included.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	opts.setDefaults()
	start := opts.Now()
	p, err := prepare(ctx, &opts)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	defer p.close()
	return p.finish(ctx, start)
}

// kindSucceededEarlier marks rows a resumed run skips: the earlier run did them.
const kindSucceededEarlier = "succeeded_earlier"

// rowGroups is the import's item source: rows mapped and merged by lead,
// their names resolved first.
type rowGroups struct {
	src     source.Reader
	spec    *mapping.Spec
	names   interface{ Fetch(mapping.Lookups) } // nil: nothing to fetch
	grouper *mapping.Grouper
	n       int
	err     error // the input error that ended the rows, handed out after the last group
	done    bool
}

func (g *rowGroups) next() (item, error) {
	for !g.done {
		row, err := g.src.Next()
		if err != nil {
			// End of input or an error: the group still open is complete
			// as far as the input goes, and is handed on either way.
			g.done = true
			if !errors.Is(err, io.EOF) {
				g.err = err
			}
			if grp := g.grouper.Flush(); grp != nil {
				return item{group: grp}, nil
			}
			break
		}
		g.n++
		if g.names != nil {
			g.names.Fetch(g.spec.Lookups(row.Cells))
		}
		if grp := g.grouper.AddFormatted(row.Number, row.Cells, row.Numeric, row.Formats); grp != nil {
			return item{group: grp}, nil
		}
	}
	if g.err != nil {
		return item{}, g.err
	}
	return item{}, io.EOF
}

func (g *rowGroups) rows() int { return g.n }

// statusBeforeEarlier gives a group's lead status before the earlier run
// sent it, when every row of the group that the earlier report shows as
// possibly applied agrees on one.
func statusBeforeEarlier(prev *report.Previous) func(g *mapping.Group) string {
	return func(g *mapping.Group) string {
		status := ""
		for _, row := range g.Rows {
			st := prev.StatusBefore(row.Number)
			switch {
			case st == "":
			case status == "":
				status = st
			case status != st:
				return ""
			}
		}
		return status
	}
}

// resumed settles the groups an earlier run's report shows done, and marks
// those it may have applied for a read before resending.
func resumed(prev *report.Previous) func(g *mapping.Group) (*settlement, bool) {
	return func(g *mapping.Group) (*settlement, bool) {
		done, precheck := true, false
		for _, row := range g.Rows {
			if !prev.Succeeded(row.Number, g.Update.Lead) {
				done = false
			}
			if row.Number > prev.LastRow() && prev.MaybeSent(row.Number) || prev.MayHaveApplied(row.Number) {
				precheck = true
			}
		}
		if done {
			return &settlement{result: report.Skipped, kind: kindSucceededEarlier, note: report.SucceededEarlier}, false
		}
		return nil, precheck
	}
}

// resumeCutOff is where a resumed run's report stops: rows after lastRow
// were never written, though the earlier run may have sent them (in flight
// when it stopped). openOnly: the earlier run sent to open leads only.
type resumeCutOff struct {
	lastRow  int
	openOnly bool
}

// foundApplied is the note of a row missing from a cut-off report whose
// lead already shows the update: the earlier run's work.
const foundApplied = "found applied; the earlier run stopped before writing it"

// missing reports whether every row of g is after the cut-off.
func (c *resumeCutOff) missing(g *mapping.Group) bool {
	if c == nil {
		return false
	}
	for _, r := range g.Rows {
		if r.Number <= c.lastRow {
			return false
		}
	}
	return true
}

// updatedClosed reports whether a recorded command line passed
// --update-closed (so that run may have sent to closed leads).
func updatedClosed(args []string) bool {
	for _, a := range args {
		name, val, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "update-closed" && val != "false" {
			return true
		}
	}
	return false
}
