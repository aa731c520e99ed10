package importer

import (
	"context"
	"fmt"
	"slices"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/mapping"
)

// limitReached reports whether --limit updates have been admitted.
func (s *stages) limitReached() bool {
	return s.limit > 0 && s.admitted.Load() >= int64(s.limit)
}

// overLimit is the outcome of an update past --limit.
func (s *stages) overLimit() sender.Outcome {
	return sender.NotSent(fmt.Sprintf("--limit %d reached", s.limit), kind.Limit)
}

// admit hands an update on to the dispatchers. Admission happens here, in
// input order, before any worker takes the update: --limit N sends the first
// N updates of the file, however many workers race for them.
func (s *stages) admit(j job, out chan<- job, results chan<- done) {
	if s.limit > 0 && s.admitted.Add(1) > int64(s.limit) {
		results <- done{job: j, out: s.overLimit()}
		return
	}
	out <- j
}

// dispatch sends updates, one at a time per worker, until its input closes;
// once the run stops dispatching, what is left is settled as not sent.
func (s *stages) dispatch(ctx context.Context, in <-chan job, results chan<- done) error {
	for j := range in {
		if reason, k, stopped := s.stop.Stopped(); stopped {
			results <- done{job: j, out: sender.NotSent(reason, k)}
			continue
		}
		if j.undo != nil {
			results <- done{job: j, out: s.undoLead(ctx, j)}
			continue
		}
		if s.dryRun {
			results <- done{job: j, out: sender.Outcome{Result: report.DryRun}}
			continue
		}
		out := s.send.Send(ctx, j.group.Update, []byte(j.body), sender.Prior{Lead: j.before, Precheck: j.precheck, EarlierStatus: j.earlierStatus,
			Dispatch: func() error { return s.noteDispatched(j) }})
		if out.Result == report.Succeeded && out.Attempts > 0 { // this run applied it
			s.recordAddedMaps(ctx, j, &out)
		}
		if s.limit > 0 && s.admittedDone.Add(1) == int64(s.limit) {
			// Every admitted update is done: stop reading leads for the rest.
			s.stop.Stop(fmt.Sprintf("--limit %d reached", s.limit), kind.Limit, nil)
		}
		if out.Result == report.Failed && s.maxFailures > 0 {
			if n := s.failedRows.Add(int64(len(j.group.Rows))); n >= int64(s.maxFailures) {
				s.stop.Stop(fmt.Sprintf("--max-failures %d reached", s.maxFailures), kind.MaxFailures, nil)
			}
		}
		results <- done{job: j, out: out}
	}
	return nil
}

// noteDispatched notes the job's rows in the journal just before its update
// is first sent (after its turn at the pacer). A journal that cannot be written stops the run: a later resume
// could not tell these rows from rows never sent.
func (s *stages) noteDispatched(j job) error {
	if s.journal == nil {
		return nil
	}
	nums := make([]int, len(j.group.Rows))
	for i, r := range j.group.Rows {
		nums[i] = r.Number
	}
	if err := s.journal.Dispatched(nums); err != nil {
		err = fmt.Errorf("write the report: %w", err)
		s.stop.Stop(err.Error(), kind.ReportError, err)
		return err
	}
	return nil
}

// outcomeOf turns a settlement into an outcome.
func outcomeOf(st *settlement) sender.Outcome {
	out := sender.Outcome{Result: st.result, Kind: st.kind}
	if st.result == report.Succeeded || st.result == report.DryRun {
		out.Note = st.note
	} else {
		out.Error = st.note
	}
	return out
}

// recordAddedMaps finds the product maps a successful update added: those
// the lead shows after it (in the answer, or in a read of the lead when the
// answer does not name them) that the read before it did not. A map the lead
// had before is never among them, so undo never takes it off. Where the read
// before did not show the lead's maps, nothing is recorded, and the note
// says undo will leave the products.
func (s *stages) recordAddedMaps(ctx context.Context, j job, out *sender.Outcome) {
	u := j.group.Update
	if u.Action != mapping.ActionStatus || len(u.Body.ProductMaps) == 0 {
		return
	}
	if !j.mapsKnown {
		out.Note = joinNotes(out.Note, "the read before did not show the lead's product maps, so those this update added are not recorded; undo will leave them")
		return
	}
	after, known := out.After.MapIDs()
	if !known {
		l, err := s.send.Lead(ctx, u.Lead)
		if err == nil {
			after, known = l.MapIDs()
		}
	}
	if !known {
		out.Note = joinNotes(out.Note, "neither the answer nor a read after showed the lead's product maps, so those this update added are not recorded; undo will leave them")
		return
	}
	for _, id := range after {
		if !slices.Contains(j.mapsBefore, id) && !slices.Contains(out.ProductMaps, id) {
			out.ProductMaps = append(out.ProductMaps, id)
		}
	}
}

// mapSeparator joins product map IDs in import_product_maps.
const mapSeparator = "; "
