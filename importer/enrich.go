package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/leadstatus/leadstatus/importer/enrich"
	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/mapping"
)

// enrich settles what needs no request and reads the leads of the rest in
// batches before they go to dispatch.
func (s *stages) enrich(ctx context.Context, in <-chan job, out chan<- job, results chan<- done) error {
	batch := make([]job, 0, leadBatch)
	flush := func() {
		s.readBatch(ctx, batch, out, results)
		batch = batch[:0]
	}
	for j := range in {
		st, precheck := s.settleEarly(j)
		j.precheck = precheck
		if precheck && s.earlierStatus != nil {
			j.earlierStatus = s.earlierStatus(j.group)
		}
		switch {
		case st != nil:
			results <- done{job: j, out: outcomeOf(st)}
		case s.limitReached():
			results <- done{job: j, out: s.overLimit()}
		case !s.readLeads:
			s.admit(j, out, results)
		default:
			batch = append(batch, j)
		}
		// A batch waiting for more leads must not hold the oldest unwritten
		// group while the reorder window fills behind it, settled groups
		// included: flush it long before its span could fill the window.
		if len(batch) == leadBatch || len(batch) > 0 && j.seq-batch[0].seq >= reorderWindow/4 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return nil
}

// settleEarly decides groups that need nothing from Nutshell: invalid rows
// and rows an earlier run already did. precheck: an earlier run may have
// applied the update, so the lead is read before it is resent.
func (s *stages) settleEarly(j job) (st *settlement, precheck bool) {
	switch {
	case j.settled != nil:
		return j.settled, false
	case j.group.Update == nil:
		return &settlement{result: report.Invalid}, false
	case s.earlier != nil:
		return s.earlier(j.group)
	}
	return nil, false
}

// readBatch reads the batch's leads (unless the run has stopped) and settles
// or hands on each job.
func (s *stages) readBatch(ctx context.Context, batch []job, out chan<- job, results chan<- done) {
	if _, _, stopped := s.stop.Stopped(); stopped {
		for _, j := range batch {
			out <- j // dispatch settles it as not sent
		}
		return
	}
	byID, raw, err := s.readLeadsOf(ctx, batch)
	for _, j := range batch {
		if err != nil {
			if _, _, stopped := s.stop.Stopped(); !stopped {
				// Without the lead's state nothing can be decided safely.
				results <- done{job: j, out: sender.Outcome{Result: report.Failed, Kind: kind.LeadUnread,
					Error: fmt.Sprintf("not sent: could not read the lead's current state: %s", err)}}
				continue
			}
			out <- j
			continue
		}
		var l enrich.Lead
		if p := byID[j.group.Update.Lead]; p != nil {
			l = *p
		}
		j.before = raw[j.group.Update.Lead]
		if j.before != nil {
			j.mapsBefore, j.mapsKnown = j.before.MapIDs()
		}
		if j.undo != nil {
			if d := s.decideUndo(j.undo, l, j.mapsBefore, j.mapsKnown); d.Result != "" {
				results <- done{job: j, out: outcomeOf(&settlement{result: d.Result, kind: d.Kind, note: d.Note})}
				continue
			}
			s.admit(j, out, results)
			continue
		}
		j, d := s.decideRead(j, l)
		if d.Result != "" {
			results <- done{job: j, out: outcomeOf(&settlement{result: d.Result, kind: d.Kind, note: d.Note})}
			continue
		}
		s.admit(j, out, results)
	}
}

// readLeadsOf reads the batch's leads, by ID, as the enrich rules see them
// and as Nutshell gave them; then, with a maps check, the maps they name.
func (s *stages) readLeadsOf(ctx context.Context, batch []job) (map[string]*enrich.Lead, map[string]*nutshell.Lead, error) {
	ids := make([]string, len(batch))
	for i, j := range batch {
		ids[i] = j.group.Update.Lead
	}
	leads, err := s.send.Leads(ctx, ids)
	byID := make(map[string]*enrich.Lead, len(leads))
	raw := make(map[string]*nutshell.Lead, len(leads))
	for i, l := range leads {
		el := enrich.FromNutshell(l)
		byID[l.ID] = &el
		raw[l.ID] = &leads[i]
	}
	if err == nil && s.maps != nil {
		updates := make([]*mapping.Update, 0, len(batch))
		for _, j := range batch {
			if j.undo == nil {
				updates = append(updates, j.group.Update)
			}
		}
		s.maps.Read(ctx, byID, updates)
	}
	return byID, raw, err
}

// decideRead settles an import's job from its lead as read (a Decision
// with a Result), or readies it to send: its update trimmed of what the
// lead already has, and a note of what was left out.
func (s *stages) decideRead(j job, l enrich.Lead) (job, enrich.Decision) {
	j.statusBefore = l.Status
	var notes []string
	if s.maps != nil && l.Found && !l.Deleted {
		var d enrich.Decision
		if d, notes, l = s.maps.Check(j.group.Update, l); d.Result != "" {
			return j, d
		}
	}
	if d := s.decide(j.group.Update, l); d.Result != "" {
		if d.Kind == kind.AlreadyDone && j.precheck && s.cutOff.missing(j.group) {
			// Sent by the earlier run while in flight, never written:
			// its work, reported so an undo of both reports finds it.
			d = enrich.Decision{Result: report.Succeeded, Kind: d.Kind, Note: foundApplied}
			j.statusBefore = "" // what it was before the earlier run is unknown
			if s.cutOff.openOnly && j.group.Update.Action == mapping.ActionStatus {
				j.statusBefore = "open"
			}
		}
		return j, d
	}
	if u, note := enrich.Trim(j.group.Update, l); u != j.group.Update {
		g := *j.group
		g.Update = u
		j.group, j.body = &g, string(u.JSON())
		notes = append(notes, note)
	}
	j.note = strings.Join(notes, "; ")
	return j, enrich.Decision{}
}
