package importer

import (
	"context"
	"fmt"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/mapping"
)

// reserve gives each group its place in the report. Reserving waits while the
// reorder window is full; the report always drains, so it never waits forever.
func (s *stages) reserve(ctx context.Context, in <-chan item, out chan<- job) error {
	defer close(out)
	reserveCtx := context.WithoutCancel(ctx) // a cancelled run still reports every row
	failed := false
	for it := range in {
		// Once the report cannot be written, groups go on without a place
		// (seq -1): they are settled as not sent and counted, not written.
		seq := -1
		if !failed {
			var err error
			if seq, err = s.ordered.Reserve(reserveCtx); err != nil {
				failed, seq = true, -1
				err = fmt.Errorf("write the report: %w", err)
				s.stop.Stop(err.Error(), kind.ReportError, err)
			}
		}
		j := job{item: it, seq: seq, statusBefore: it.statusBefore}
		if u := it.group.Update; u != nil && u.Action == mapping.ActionStatus {
			j.body = string(u.JSON())
		}
		out <- j
	}
	return nil
}
