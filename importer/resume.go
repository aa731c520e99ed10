package importer

import (
	"fmt"
	"strings"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

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
			return &settlement{result: report.Skipped, kind: kind.SucceededEarlier, note: report.SucceededEarlier}, false
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

// readEarlier reads the report a run resumes: how it settles a group or
// says to read its lead first, the lead's status before the earlier run,
// and where the earlier report stops.
func readEarlier(path string, meta report.Meta) (earlier func(*mapping.Group) (*settlement, bool), status func(*mapping.Group) string, cut *resumeCutOff, err error) {
	prev, prevMeta, err := loadPrevious(path, meta)
	if err != nil {
		return nil, nil, nil, err
	}
	cut = &resumeCutOff{lastRow: prev.LastRow(), openOnly: !updatedClosed(prevMeta.Args)}
	return resumed(prev), statusBeforeEarlier(prev), cut, nil
}

// loadPrevious reads a report to resume and checks it came from this input.
func loadPrevious(path string, meta report.Meta) (*report.Previous, report.Meta, error) {
	prevMeta, err := report.ReadMeta(path)
	if err != nil {
		return nil, prevMeta, fmt.Errorf("--resume %s: %w", path, err)
	}
	if prevMeta.InputSHA256 != meta.InputSHA256 {
		return nil, prevMeta, fmt.Errorf("--resume %s: that report was made from a different input (%s, %d bytes) than %s (%d bytes); resume with the same file", path, prevMeta.Input, prevMeta.InputSize, meta.Input, meta.InputSize)
	}
	prev, err := report.ReadPrevious(path)
	if err != nil {
		return nil, prevMeta, fmt.Errorf("--resume %s: %w", path, err)
	}
	return prev, prevMeta, nil
}
