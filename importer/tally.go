package importer

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// Reason is one kind of problem in a run: how many rows had it, one row's
// message as the example, and the first rows.
type Reason = report.Reason

// PlanLine is one group of leads in the plan: what was (or, in a dry run,
// would be) done to how many leads, from which status.
type PlanLine struct {
	Result report.Result `json:"result"`
	Before string        `json:"before"` // the lead's status when read; "" if not read
	Target string        `json:"target"` // an outcome's name, "reopen", or "products and competitors"
	Leads  int           `json:"leads"`
}

// maxReasonRows is how many row numbers a reason keeps.
const maxReasonRows = 20

// importAttention is an import's rule for the rows that need a look: all
// but those that succeeded, would be sent, or were skipped as done.
func importAttention(result report.Result, k kind.Kind) bool {
	switch {
	case result == report.Succeeded, result == report.DryRun:
		return false
	case result == report.Skipped && k.Done():
		return false
	}
	return true
}

// tally counts results, reasons and the plan as rows reach the report. Only
// the write stage uses it, and the summary reads it after that stage ends.
type tally struct {
	outcomeName func(id string) string
	// attention is the run's rule for the rows that need a look.
	attention func(result report.Result, k kind.Kind) bool

	counts  map[report.Result]int
	reasons map[reasonKey]*Reason
	plan    map[PlanLine]int
	// needsAttention counts rows that make the run exit 1.
	needsAttention int
}

// reasonKey is one line of the summary's reasons.
type reasonKey struct {
	result report.Result
	kind   kind.Kind
}

func newTally(outcomeName func(string) string, attention func(report.Result, kind.Kind) bool) *tally {
	return &tally{outcomeName: outcomeName, attention: attention, counts: map[report.Result]int{}, reasons: map[reasonKey]*Reason{}, plan: map[PlanLine]int{}}
}

func (t *tally) add(d done, rows []report.Row) {
	for i, r := range rows {
		t.counts[r.Result]++
		k := d.out.Kind
		if gr := d.group.Rows[i]; gr.Err != nil {
			k = gr.Err.Kind
		}
		switch {
		case r.Result == report.Succeeded, r.Result == report.DryRun:
			continue
		case r.Result == report.Skipped && k.Done():
			continue
		}
		attention := t.attention(r.Result, k)
		if attention {
			t.needsAttention++
		}
		if k == "" {
			k = kind.Kind(r.Result)
		}
		key := reasonKey{r.Result, k}
		rs := t.reasons[key]
		if rs == nil {
			rs = &Reason{Result: r.Result, Kind: k, Reason: r.Error, Done: !attention}
			t.reasons[key] = rs
		}
		rs.Count++
		// Rows finish in any order: keep the first ones of the file, in
		// file order, and the first row's message as the example.
		i, _ := slices.BinarySearch(rs.Rows, r.Number)
		if i == 0 && len(rs.Rows) > 0 {
			rs.Reason = r.Error
		}
		if i < maxReasonRows {
			rs.Rows = slices.Insert(rs.Rows, i, r.Number)
			if len(rs.Rows) > maxReasonRows {
				rs.Rows = rs.Rows[:maxReasonRows]
			}
		}
	}
	if u := d.group.Update; u != nil && rows[0].Result != report.Invalid {
		target := t.target(u)
		if d.undo != nil {
			if rows[0].Result == report.Skipped {
				return // left alone: its reason says why, and no plan line names what was not done
			}
			target = d.undo.target()
		}
		t.plan[PlanLine{Result: rows[0].Result, Before: d.statusBefore, Target: target}]++
	}
}

// target names what an update does, for the plan.
func (t *tally) target(u *mapping.Update) string {
	switch {
	case u.Action == mapping.ActionReopen:
		return "reopen"
	case u.Body.OutcomeID == "":
		return "products and competitors"
	}
	id := u.Body.OutcomeID
	if strings.HasPrefix(id, "<") { // a name a dry run could not check
		return strings.Trim(id, "<>")
	}
	if t.outcomeName != nil {
		if name := t.outcomeName(id); name != "" {
			return name
		}
	}
	return id
}

// fill copies the tally into a summary: reasons largest first, the plan by
// result and size.
func (t *tally) fill(sum *Summary) {
	sum.Counts = t.counts
	sum.NeedsAttention = t.needsAttention
	for _, r := range t.reasons {
		sum.Reasons = append(sum.Reasons, *r)
	}
	slices.SortFunc(sum.Reasons, func(a, b Reason) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Rows[0], b.Rows[0]))
	})
	order := map[report.Result]int{}
	for i, r := range report.Results() {
		order[r] = i
	}
	for line, n := range t.plan {
		line.Leads = n
		sum.Plan = append(sum.Plan, line)
	}
	slices.SortFunc(sum.Plan, func(a, b PlanLine) int {
		return cmp.Or(cmp.Compare(order[a.Result], order[b.Result]), cmp.Compare(b.Leads, a.Leads),
			cmp.Compare(a.Before, b.Before), cmp.Compare(a.Target, b.Target))
	})
}
