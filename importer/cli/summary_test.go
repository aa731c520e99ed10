package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/report"
)

// An undo's rows with nothing to undo are listed apart from what needs
// attention, so a run that exits 0 does not read as one that needs a look.
func TestReasonsNeedingNothingListedApart(t *testing.T) {
	var b bytes.Buffer
	printReasons(&b, []importer.Reason{
		{Result: report.Skipped, Kind: kind.ChangedSince, Reason: "changed since the import (now Lost); not reopened", Count: 1, Rows: []int{4}},
		{Result: report.Skipped, Kind: kind.NotSentByImport, Reason: "nothing to undo: the import did not send this row", Count: 2, Rows: []int{5, 6}, Done: true},
	})
	want := "needs attention (details in the report):\n" +
		"  1 × changed since import (skipped), e.g. changed since the import (now Lost); not reopened (row 4)\n" +
		"nothing to do (details in the report):\n" +
		"  2 × not sent by import (skipped), e.g. nothing to undo: the import did not send this row (rows 5, 6)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// A plan line of leads a resumed run left as the earlier run did them says
// so; a line of leads not read says that.
func TestPlanSaysWhyAStatusWasNotRead(t *testing.T) {
	var b bytes.Buffer
	printPlan(&b, &importer.Summary{Plan: []importer.PlanLine{
		{Result: report.DryRun, Target: "Won", Leads: 15},
		{Result: report.Skipped, Target: "Won", Leads: 5},
	}})
	for _, line := range []string{"(status not read) → Won: 15 leads", "(done by the earlier run) → Won: 5 leads"} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("plan lacks %q:\n%s", line, b.String())
		}
	}
}
