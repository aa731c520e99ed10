package importer

import (
	"fmt"
	"slices"
	"testing"

	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/mapping"
)

// Rows finish in any order; a reason lists the file's first rows, in file
// order, with the first row's message as the example.
func TestReasonRowsInFileOrder(t *testing.T) {
	tl := newTally(nil, importAttention)
	finished := []int{340, 329, 338, 330, 339}
	for i := 328; i > 300; i-- {
		finished = append(finished, i)
	}
	for _, n := range finished {
		d := done{job: job{item: item{group: &mapping.Group{Rows: []mapping.GroupRow{{Number: n}}}}},
			out: sender.Outcome{Result: report.Failed, Kind: "gave_up", Error: fmt.Sprintf("row %d failed", n)}}
		tl.add(d, reportRows(d))
	}
	var sum Summary
	tl.fill(&sum)
	r := sum.Reasons[0]
	want := make([]int, 0, maxReasonRows)
	for n := 301; len(want) < maxReasonRows; n++ {
		want = append(want, n)
	}
	if !slices.Equal(r.Rows, want) || r.Reason != "row 301 failed" || r.Count != 33 {
		t.Errorf("rows %v, example %q, count %d", r.Rows, r.Reason, r.Count)
	}
}
