package importer

import (
	"context"
	"fmt"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// leadBatch is how many leads one GET /leads/{id,id,...} reads. Reading the
// status before every update costs about one request per hundred updates and
// gives --skip-closed, --check and undo what they need.
const leadBatch = 100

// readsLeads: the run reads its leads' current status in batches before
// sending (real runs and --check; not a plain dry-run, which reads nothing).
func (r *runner) readsLeads() bool {
	return r.opts.Client != nil && (!r.opts.DryRun || r.opts.Check)
}

// readLeads reads the current status of the batch's leads in one request and
// settles what that decides: with --check, leads that do not exist; with
// --skip-closed, leads already closed.
func (r *runner) readLeads(ctx context.Context, batch []job) {
	ids := make([]string, 0, len(batch))
	for _, j := range batch {
		ids = append(ids, j.group.Update.Lead)
	}
	leads, err := r.fetchLeads(ctx, ids)
	byID := make(map[string]nutshell.Lead, len(leads))
	for _, l := range leads {
		byID[l.ID] = l
	}
	for i := range batch {
		j := &batch[i]
		u := j.group.Update
		if err != nil {
			if r.opts.Check {
				j.note = fmt.Sprintf("could not read the lead's current status: %s", err)
			}
			continue
		}
		lead, ok := byID[u.Lead]
		switch {
		case !ok && r.opts.Check:
			j.settled, j.note = report.Invalid, fmt.Sprintf("lead %s does not exist in Nutshell", u.Lead)
			continue
		case !ok:
			continue // the update's own answer will say so
		case lead.DeletedTime != "" && r.opts.Check:
			j.settled, j.note = report.Invalid, fmt.Sprintf("lead %s was deleted in Nutshell", u.Lead)
			continue
		}
		j.statusBefore = lead.Status
		closed := lead.Status != "" && lead.Status != "open"
		switch {
		case u.Action == mapping.ActionReopen && !closed:
			j.settled, j.note = report.Skipped, fmt.Sprintf("lead %s is already open", u.Lead)
		case u.Action == mapping.ActionStatus && closed && r.opts.SkipClosed:
			j.settled, j.note = report.Skipped, fmt.Sprintf("lead %s was already closed (%s) before this run (--skip-closed)", u.Lead, lead.Status)
		case u.Action == mapping.ActionStatus && closed && r.opts.Check:
			j.note = fmt.Sprintf("warning: lead %s is already closed (%s); use --skip-closed to leave it", u.Lead, lead.Status)
		}
	}
}

// fetchLeads reads leads in one batched request, retrying what is safe to
// retry (a read can be repeated without harm).
func (r *runner) fetchLeads(ctx context.Context, ids []string) ([]nutshell.Lead, error) {
	var leads []nutshell.Lead
	err := retryRead(ctx, r.opts, r.pacer, r.random, func() error {
		var err error
		leads, err = r.opts.Client.Leads(ctx, ids)
		return err
	})
	if err != nil && nutshell.KindOf(err) == nutshell.KindFatal {
		fatal := &FatalError{Auth: true, Err: err, Reason: credentialsMessage(err)}
		r.stop(fatal.Reason, fatal)
	}
	return leads, err
}
