package importer

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// outcome is what happened to one group's update.
type outcome struct {
	result     report.Result
	httpStatus int
	note       string
	attempts   int
	requestID  string
	leadStatus string
	fatal      error
}

// send delivers one update: it waits for the pacer before every attempt,
// retries what is safe to retry, and checks the lead before resending after a
// failure that may have been applied, so no update is ever applied twice.
func (r *runner) send(ctx context.Context, j job) outcome {
	o := r.opts
	u := j.group.Update
	var out outcome
	// The run may have stopped while this job waited for a worker.
	if reason := r.stopped(); reason != "" {
		return r.unsent(out, reason)
	}
	if o.Stop.Err() != nil {
		return r.unsent(out, "interrupted")
	}
	if j.precheck {
		applied, known, lead := r.confirm(ctx, u)
		switch {
		case applied:
			out.result = report.Succeeded
			out.leadStatus = lead.Status
			out.note = "already applied by an earlier run (checked before resending)"
			return out
		case !known:
			out.result = report.Failed
			out.note = fmt.Sprintf("an earlier run may have applied this update and Nutshell cannot tell, so it was not resent; check lead %s in Nutshell", u.Lead)
			return out
		}
	}
	for {
		ticket, err := r.pacer.Wait(ctx)
		if err != nil {
			return r.unsent(out, "interrupted before it was sent")
		}
		// Waiting for a turn can take a while: the run may have stopped meanwhile.
		if reason := r.stopped(); reason != "" {
			return r.unsent(out, reason)
		}
		if o.Stop.Err() != nil {
			return r.unsent(out, "interrupted")
		}
		out.attempts++
		r.requests.Add(1)
		resp, err := r.post(ctx, u, []byte(j.body))
		if err == nil {
			r.attemptSucceeded()
			out.result = report.Succeeded
			out.httpStatus = resp.StatusCode
			out.requestID = resp.RequestID
			out.leadStatus = resp.Lead.Status
			return out
		}
		var apiErr *nutshell.Error
		if !errors.As(err, &apiErr) {
			// The client classifies every failure; anything else is a bug in this program.
			out.result = report.Failed
			out.note = err.Error()
			return out
		}
		out.httpStatus = apiErr.StatusCode
		if apiErr.RequestID != "" {
			out.requestID = apiErr.RequestID
		}
		out.note = apiErr.Error()

		switch apiErr.Kind {
		case nutshell.KindFatal:
			out.result = report.Failed
			out.fatal = &FatalError{Auth: true, Err: apiErr, Reason: credentialsMessage(apiErr)}
			r.stop(out.fatal.Error(), out.fatal)
			return out
		case nutshell.KindDefinite:
			r.attemptSucceeded() // the service answered: not an outage
			out.result = report.Failed
			return out
		case nutshell.KindRetryable:
			slowDown(r.pacer, ticket, apiErr)
			if apiErr.StatusCode != http.StatusTooManyRequests {
				r.attemptFailed()
			}
		case nutshell.KindAmbiguous:
			r.attemptFailed()
			applied, known, lead := r.confirm(ctx, u)
			if applied {
				r.attemptSucceeded()
				out.result = report.Succeeded
				out.leadStatus = lead.Status
				out.note = fmt.Sprintf("confirmed applied after the failure: %s", apiErr.Error())
				return out
			}
			if !known {
				out.result = report.Failed
				out.note = fmt.Sprintf("may have been applied, so it was not resent: %s; check lead %s in Nutshell", apiErr.Error(), u.Lead)
				return out
			}
		}

		if out.attempts > o.Retries {
			out.result = report.Failed
			out.note = fmt.Sprintf("gave up after %d attempts: %s", out.attempts, apiErr.Error())
			return out
		}
		if reason := r.stopped(); reason != "" {
			return r.unsent(out, "not retried: "+reason)
		}
		if o.Stop.Err() != nil {
			return r.unsent(out, "not retried: interrupted")
		}
		wait := pacer.Backoff(out.attempts, o.BackoffBase, o.BackoffMax, r.random(), apiErr.RetryAfter)
		if err := pacer.Sleep(ctx, wait); err != nil {
			return r.unsent(out, "not retried: interrupted")
		}
	}
}

// unsent ends a send that stopped before the update was applied.
func (r *runner) unsent(out outcome, why string) outcome {
	if out.attempts == 0 {
		out.result = report.NotSent
		out.note = "not sent: " + why
		return out
	}
	out.result = report.Failed
	out.note = fmt.Sprintf("%s (last attempt: %s)", why, out.note)
	return out
}

func (r *runner) post(ctx context.Context, u *mapping.Update, body []byte) (*nutshell.Response, error) {
	if u.Action == mapping.ActionReopen {
		return r.opts.Client.Reopen(ctx, u.Lead)
	}
	return r.opts.Client.UpdateStatus(ctx, u.Lead, body)
}

// confirm reads the lead after an ambiguous failure. applied: the lead already
// shows the update; known: the answer can be trusted (false when the update
// has no outcome to look for, or the lead could not be read). Reading is
// safe to retry, so it is, within the same --retries budget.
func (r *runner) confirm(ctx context.Context, u *mapping.Update) (applied, known bool, lead nutshell.Lead) {
	if u.Action != mapping.ActionReopen && u.Body.OutcomeID == "" {
		// Competitor or product maps alone leave no trace that tells a
		// second application from the first.
		return false, false, lead
	}
	err := retryRead(ctx, r.opts, r.pacer, r.random, func() error {
		var err error
		lead, _, err = r.opts.Client.Lead(ctx, u.Lead)
		return err
	})
	if err != nil {
		return false, false, lead
	}
	switch {
	case u.Action == mapping.ActionReopen:
		return lead.Status == "open", true, lead
	case lead.Links.Outcome != "":
		return lead.Links.Outcome == u.Body.OutcomeID, true, lead
	default:
		return lead.Status != "open" && lead.Status == u.OutcomeStatus, u.OutcomeStatus != "", lead
	}
}

// attemptSucceeded resets the outage detector.
func (r *runner) attemptSucceeded() {
	r.pacer.Success()
	r.mu.Lock()
	r.consecutive = 0
	r.pauses = 0
	r.mu.Unlock()
}

// attemptFailed counts a 5xx or transport failure; many in a row with no
// success in between mean an outage: every worker pauses, and after several
// pauses the run stops instead of failing every remaining row.
func (r *runner) attemptFailed() {
	o := r.opts
	r.mu.Lock()
	r.consecutive++
	if r.consecutive < o.OutageAfter {
		r.mu.Unlock()
		return
	}
	r.consecutive = 0
	r.pauses++
	pauses := r.pauses
	r.mu.Unlock()
	if pauses > o.OutagePauses {
		r.stop(fmt.Sprintf("Nutshell failed %d requests in a row across %d pauses of %s; it looks down, try again later",
			o.OutageAfter*(pauses), pauses-1, o.OutagePause), nil)
		return
	}
	o.Log.Warn().Int("failures_in_a_row", o.OutageAfter).Dur("pause", o.OutagePause).
		Msg("Nutshell keeps failing; pausing every worker before trying again")
	r.pacer.Pause(o.OutagePause)
}

// retryRead runs a read (a GET, safe to repeat) under the pacer, retrying
// failures that may pass within the run's --retries budget.
func retryRead(ctx context.Context, o *Options, p *pacer.Pacer, random func() float64, read func() error) error {
	for attempt := 1; ; attempt++ {
		ticket, err := p.Wait(ctx)
		if err != nil {
			return err
		}
		err = read()
		if err == nil {
			p.Success()
			return nil
		}
		var apiErr *nutshell.Error
		if !errors.As(err, &apiErr) || apiErr.Kind == nutshell.KindFatal || apiErr.Kind == nutshell.KindDefinite || attempt > o.Retries {
			return err
		}
		slowDown(p, ticket, apiErr)
		if err := pacer.Sleep(ctx, pacer.Backoff(attempt, o.BackoffBase, o.BackoffMax, random(), apiErr.RetryAfter)); err != nil {
			return err
		}
	}
}

// slowDown tells the pacer about a 429 or 503.
func slowDown(p *pacer.Pacer, t pacer.Ticket, apiErr *nutshell.Error) {
	switch apiErr.StatusCode {
	case http.StatusTooManyRequests:
		p.SlowDown(t, apiErr.RetryAfter)
	case http.StatusServiceUnavailable:
		p.Overloaded(t, apiErr.RetryAfter)
	}
}
