package sender

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/stop"
	"github.com/leadstatus/leadstatus/mapping"
)

// Config is what a Sender needs.
type Config struct {
	Client  *nutshell.Client
	Pacer   *pacer.Pacer
	Stop    *stop.Signal
	Retries int // retries after the first attempt
	// Backoff bounds the wait before a retry: full jitter, doubling from Base up to Max.
	BackoffBase, BackoffMax time.Duration
	// OutageAfter failed attempts in a row (5xx, transport) with no success
	// pause every worker for OutagePause; after OutagePauses such pauses in
	// a row the run stops.
	OutageAfter  int
	OutagePause  time.Duration
	OutagePauses int
	// Random returns values in [0, 1) for backoff jitter; nil means math/rand.
	Random func() float64
	Log    zerolog.Logger
}

// Sender sends updates and reads for one run. It is safe for concurrent use.
type Sender struct {
	cfg      Config
	requests atomic.Int64
	updates  atomic.Int64
	limits   *nutshell.Limits

	mu          sync.Mutex
	consecutive int // failed attempts in a row with no success, across workers
	pauses      int // outage pauses in a row
}

// New returns a Sender.
func New(cfg Config) *Sender {
	if cfg.Random == nil {
		cfg.Random = rand.Float64
	}
	log := cfg.Log
	return &Sender{cfg: cfg, limits: nutshell.NewLimits(func(sc nutshell.Shortcut) {
		log.Info().Msg(sc.Explain())
	})}
}

// Limits is what the run has learnt of the server's shortcuts.
func (s *Sender) Limits() *nutshell.Limits { return s.limits }

// Requests returns how many requests were made: updates, reads and retries.
func (s *Sender) Requests() int { return int(s.requests.Load()) }

// Updates returns how many requests that change a lead were made (status
// updates, reopens, product maps taken off), retries included.
func (s *Sender) Updates() int { return int(s.updates.Load()) }

// Outcome is what happened to one update.
type Outcome struct {
	Result     report.Result
	Kind       kind.Kind // groups failures and skips in the summary; "" for success
	Error      string    // why it failed or was not sent
	Note       string    // what happened on the way to a success
	HTTPStatus int
	Attempts   int
	RequestID  string
	LeadStatus string // the lead's status after the update, as Nutshell answered
	// After is the lead after the update, as the answer (or the read that
	// confirmed it) showed it.
	After nutshell.Lead
	// ProductMaps are the product maps the update added (an undo: took off),
	// for the report.
	ProductMaps []string
}

// Prior is what is known of a lead before an update is sent: the evidence a
// read after an ambiguous failure is weighed against.
type Prior struct {
	// Lead is the lead as read by this run before sending; nil when it was
	// not read. Without it a read-back cannot tell a change from a state the
	// lead already had.
	Lead *nutshell.Lead
	// Precheck: an earlier run may have applied the update, so the lead is
	// read before it is resent.
	Precheck bool
	// EarlierStatus is the lead's status before the earlier run sent the
	// update, as that run's report says ("" when unknown).
	EarlierStatus string
	// Dispatch, if set, is called once, after the first turn at the pacer
	// and before the update is first sent; an error leaves it unsent.
	Dispatch func() error
}

// Send delivers one update: a turn at the pacer before every attempt, retries
// for what is safe to retry, and a read of the lead before resending after a
// failure that may have been applied, so no update is applied twice. A
// read-back confirms an update only by what it changed relative to prior.
func (s *Sender) Send(ctx context.Context, u *mapping.Update, body []byte, prior Prior) Outcome {
	var out Outcome
	if prior.Precheck {
		applied, known, lead := s.confirmEarlier(ctx, u, prior.EarlierStatus)
		switch {
		case applied:
			return Outcome{Result: report.Succeeded, LeadStatus: lead.Status, Note: "already applied by an earlier run (checked before resending)"}
		case !known:
			return Outcome{Result: report.Failed, Kind: kind.EarlierUnsure, Error: fmt.Sprintf("an earlier run may have applied this update and Nutshell cannot tell, so it was not resent; check lead %s in Nutshell", u.Lead)}
		}
	}
	var history []string // what earlier attempts got, for the note of a late success
	var unsent error     // the journal could not note the update: it stays unsent
	err := s.call(ctx, func(a attempt) (bool, error) {
		if a.n == 1 && prior.Dispatch != nil {
			if unsent = prior.Dispatch(); unsent != nil {
				return false, unsent
			}
		}
		out.Attempts = a.n
		s.requests.Add(1)
		s.updates.Add(1)
		resp, err := s.post(ctx, u, body)
		if err == nil {
			s.attemptSucceeded(a.ticket)
			out.Result, out.HTTPStatus, out.RequestID, out.LeadStatus = report.Succeeded, resp.StatusCode, resp.RequestID, resp.Lead.Status
			out.After = resp.Lead
			out.Error = ""
			if len(history) > 0 {
				out.Note = fmt.Sprintf("succeeded on attempt %d after %s", out.Attempts, joinHistory(history))
			}
			return false, nil
		}
		var apiErr *nutshell.Error
		if !errors.As(err, &apiErr) {
			// The client classifies every failure; anything else is a bug in this program.
			out.Result, out.Kind, out.Error = report.Failed, kind.GaveUp, err.Error()
			return false, nil
		}
		out.HTTPStatus = apiErr.StatusCode
		if apiErr.RequestID != "" {
			out.RequestID = apiErr.RequestID
		}
		out.Error = apiErr.Error()
		history = append(history, short(apiErr))
		return s.afterFailure(ctx, a, u, prior, apiErr, &out), apiErr
	})
	var stopped *stoppedError
	var gaveUp *gaveUpError
	switch {
	case unsent != nil:
		return NotSent(unsent.Error(), kind.Stopped)
	case errors.As(err, &stopped):
		return s.unsent(out)
	case errors.As(err, &gaveUp):
		out.Result, out.Kind = report.Failed, kind.GaveUp
		out.Error = fmt.Sprintf("gave up after %d attempts: %s", out.Attempts, gaveUp.err.Error())
	}
	return out
}

// afterFailure settles out after an attempt that failed with apiErr, or
// says to retry: a refusal or rejected credentials end the send; a failure
// that may have been applied is confirmed by a read before any resend.
func (s *Sender) afterFailure(ctx context.Context, a attempt, u *mapping.Update, prior Prior, apiErr *nutshell.Error, out *Outcome) (retry bool) {
	switch apiErr.Kind {
	case nutshell.KindFatal:
		s.fatal(apiErr)
		out.Result, out.Kind = report.Failed, kind.Credentials
		return false
	case nutshell.KindDefinite:
		s.attemptSucceeded(a.ticket) // the service answered: not an outage
		out.Result, out.Kind = report.Failed, kind.Refused(apiErr.StatusCode)
		return false
	case nutshell.KindRateLimited, nutshell.KindOverloaded, nutshell.KindRetryable:
		s.slowDown(a.ticket, apiErr)
	case nutshell.KindAmbiguous:
		s.attemptFailed()
		applied, known, lead := s.confirm(ctx, u, prior.Lead)
		if applied {
			s.attemptSucceeded(a.ticket)
			*out = Outcome{Result: report.Succeeded, Attempts: out.Attempts, HTTPStatus: out.HTTPStatus, RequestID: out.RequestID,
				LeadStatus: lead.Status, After: lead, Note: fmt.Sprintf("confirmed applied after the failure: %s", apiErr.Error())}
			return false
		}
		if !known {
			out.Result, out.Kind = report.Failed, kind.MayBeApplied
			out.Error = fmt.Sprintf("may have been applied, so it was not resent: %s; the lead's state cannot tell, check lead %s in Nutshell", apiErr.Error(), u.Lead)
			return false
		}
	}
	return true
}

// turn waits for the pacer; it ends early when the run stops dispatching.
func (s *Sender) turn(ctx context.Context) (pacer.Ticket, error) {
	if reason, _, stopped := s.cfg.Stop.Stopped(); stopped {
		return pacer.Ticket{}, errors.New(reason)
	}
	ctx, cancel := mergeStop(ctx, s.cfg.Stop)
	defer cancel()
	t, err := s.cfg.Pacer.Wait(ctx)
	if err != nil {
		return t, err
	}
	// Waiting for a turn can take a while: the run may have stopped meanwhile.
	if reason, _, stopped := s.cfg.Stop.Stopped(); stopped {
		return t, errors.New(reason)
	}
	return t, nil
}

// sleep waits before a retry; it ends early when the run stops dispatching.
func (s *Sender) sleep(ctx context.Context, d time.Duration) error {
	ctx, cancel := mergeStop(ctx, s.cfg.Stop)
	defer cancel()
	return pacer.Sleep(ctx, d)
}

// mergeStop returns ctx, also cancelled when the stop signal is raised.
func mergeStop(ctx context.Context, sig *stop.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	unhook := context.AfterFunc(sig.Context(), cancel)
	return ctx, func() { unhook(); cancel() }
}

// NotSent is the outcome of an update left unsent for reason.
func NotSent(reason string, k kind.Kind) Outcome {
	return Outcome{Result: report.NotSent, Kind: k, Error: "not sent: " + reason}
}

// unsent ends a send that stopped before the update was applied: the run
// stopped dispatching, or its requests were cancelled.
func (s *Sender) unsent(out Outcome) Outcome {
	reason, _, stopped := s.cfg.Stop.Stopped()
	if !stopped {
		reason = "interrupted"
	}
	if out.Attempts == 0 {
		return NotSent(reason, kind.Stopped)
	}
	out.Result, out.Kind = report.Failed, kind.Stopped
	out.Error = fmt.Sprintf("not retried: %s (last attempt: %s)", reason, out.Error)
	return out
}

func (s *Sender) post(ctx context.Context, u *mapping.Update, body []byte) (*nutshell.Response, error) {
	if u.Action == mapping.ActionReopen {
		return s.cfg.Client.Reopen(ctx, u.Lead)
	}
	return s.cfg.Client.UpdateStatus(ctx, u.Lead, body)
}

// confirm reads the lead after an ambiguous failure and weighs it against
// before, the lead as read before the update was sent. applied: the read
// shows what the update changes (the outcome set where it was not, the
// closed time moved, the product or competitor maps it adds now there);
// known: the read can tell (false when the lead already looked as the update
// would leave it and nothing else shows a change, when there was no read
// before, or when the lead could not be read).
func (s *Sender) confirm(ctx context.Context, u *mapping.Update, before *nutshell.Lead) (applied, known bool, lead nutshell.Lead) {
	if before == nil {
		return false, false, lead
	}
	lead, ok := s.readLead(ctx, u)
	if !ok {
		return false, false, lead
	}
	applied, known = changed(u, *before, lead)
	return applied, known, lead
}

// confirmEarlier reads the lead before resending an update an earlier run
// may have applied. With no read from before that run, only the status the
// earlier report gives can tell its change from a state the lead had.
func (s *Sender) confirmEarlier(ctx context.Context, u *mapping.Update, earlierStatus string) (applied, known bool, lead nutshell.Lead) {
	if u.Action != mapping.ActionReopen && u.Body.OutcomeID == "" && (len(u.Body.CompetitorMaps) > 0 || len(u.Body.ProductMaps) == 0) {
		// Competitor maps leave no trace that tells a second application
		// from the first.
		return false, false, lead
	}
	lead, ok := s.readLead(ctx, u)
	if !ok {
		return false, false, lead
	}
	if u.Action != mapping.ActionReopen && u.Body.OutcomeID == "" {
		// Products alone: a lead that shows its products and lacks one the
		// update adds was not updated; one that has them may have had them.
		if lead.ProductMapsShown && !hasProducts(u, lead) {
			return false, true, lead
		}
		return false, false, lead
	}
	if u.Action == mapping.ActionReopen {
		if lead.Status != "open" {
			return false, true, lead
		}
		return earlierStatus != "open", true, lead
	}
	shows, tells := showsOutcome(u, lead)
	switch {
	case !tells:
		return false, false, lead
	case !shows:
		return false, true, lead
	case earlierStatus == "" || earlierStatus == u.OutcomeStatus || u.OutcomeStatus == "" && earlierStatus != "open":
		// The lead may have had this outcome before the earlier run.
		return false, false, lead
	}
	return true, true, lead
}

// hasProducts reports whether lead shows at least as many maps of each
// product as u adds.
func hasProducts(u *mapping.Update, lead nutshell.Lead) bool {
	have := make(map[string]int)
	for _, pm := range lead.ProductMaps {
		have[pm.Product]++
	}
	for _, pm := range u.Body.ProductMaps {
		if have[pm.Links.Product]--; have[pm.Links.Product] < 0 {
			return false
		}
	}
	return true
}

// readLead reads u's lead under the pacer; false when it could not be read.
func (s *Sender) readLead(ctx context.Context, u *mapping.Update) (nutshell.Lead, bool) {
	var lead nutshell.Lead
	err := s.Read(ctx, func(ctx context.Context) error {
		var err error
		lead, _, err = s.cfg.Client.Lead(ctx, u.Lead)
		return err
	})
	return lead, err == nil
}

// showsOutcome reports whether lead shows the outcome u sets; tells is
// false when the read cannot say (no outcome link, no known status).
func showsOutcome(u *mapping.Update, lead nutshell.Lead) (shows, tells bool) {
	switch {
	case lead.Links.Outcome != "":
		return lead.Links.Outcome == u.Body.OutcomeID, true
	case u.OutcomeStatus != "":
		return lead.Status != "open" && lead.Status == u.OutcomeStatus, true
	}
	return false, false
}

// changed weighs after against before for what u changes; see confirm.
func changed(u *mapping.Update, before, after nutshell.Lead) (applied, known bool) {
	if u.Action == mapping.ActionReopen {
		if after.Status != "open" {
			return false, true
		}
		return before.Status != "open", before.Status != "open"
	}
	if u.Body.OutcomeID != "" {
		shows, tells := showsOutcome(u, after)
		if tells && !shows {
			return false, true // an applied update would show its outcome
		}
		if tells {
			hadIt, _ := showsOutcome(u, before)
			if !hadIt || before.Status != after.Status {
				return true, true
			}
		}
		if after.ClosedTime != "" && after.ClosedTime != before.ClosedTime {
			return true, true
		}
	}
	if grew, tells := mapsGrew(u, before, after); tells {
		return grew, true
	}
	return false, false
}

// mapsGrew reports whether after holds the product and competitor maps u
// adds beyond those before had; tells is false when u adds none or a read
// does not show them. A product map is added anew each time; a competitor
// map only once, so one already there tells nothing.
func mapsGrew(u *mapping.Update, before, after nutshell.Lead) (grew, tells bool) {
	if len(u.Body.ProductMaps) > 0 && before.ProductMapsShown && after.ProductMapsShown {
		want := make(map[string]int)
		for _, pm := range u.Body.ProductMaps {
			want[pm.Links.Product]++
		}
		count := func(l nutshell.Lead) map[string]int {
			n := make(map[string]int)
			for _, pm := range l.ProductMaps {
				n[pm.Product]++
			}
			return n
		}
		b, a := count(before), count(after)
		for p, k := range want {
			if a[p] < b[p]+k {
				return false, true
			}
		}
		return true, true
	}
	if len(u.Body.CompetitorMaps) > 0 && before.CompetitorMapsShown && after.CompetitorMapsShown {
		switch {
		case len(after.CompetitorMaps) > len(before.CompetitorMaps):
			return true, true
		case len(before.CompetitorMaps) == 0:
			return false, true
		}
	}
	return false, false
}

// Read runs one read (a GET, safe to repeat) under the pacer, retrying
// failures that may pass within the run's retry budget. Rejected credentials
// stop the run.
func (s *Sender) Read(ctx context.Context, read func(context.Context) error) error {
	err := s.call(ctx, func(a attempt) (bool, error) {
		s.requests.Add(1)
		err := read(ctx)
		if err == nil {
			s.cfg.Pacer.Succeeded(a.ticket)
			return false, nil
		}
		var apiErr *nutshell.Error
		if !errors.As(err, &apiErr) {
			return false, err
		}
		switch {
		case apiErr.Kind == nutshell.KindFatal:
			s.fatal(apiErr)
			return false, err
		case apiErr.Kind == nutshell.KindDefinite || a.last:
			return false, err
		}
		s.slowDown(a.ticket, apiErr)
		return true, err
	})
	var stopped *stoppedError
	if errors.As(err, &stopped) {
		return fmt.Errorf("not read: %w", stopped.err)
	}
	return err
}

// DeleteProductMap takes a product map off its lead, paced and retried as a
// read is: deleting twice takes nothing off twice. gone: the map was not
// there (404), taken off before or by an earlier attempt.
func (s *Sender) DeleteProductMap(ctx context.Context, id string) (gone bool, err error) {
	err = s.Read(ctx, func(ctx context.Context) error {
		s.updates.Add(1) // it changes the lead: a write, not a read
		_, err := s.cfg.Client.DeleteProductMap(ctx, id)
		return err
	})
	if errors.Is(err, nutshell.ErrNotFound) {
		return true, nil
	}
	return false, err
}

// Lead reads one lead, paced and retried.
func (s *Sender) Lead(ctx context.Context, id string) (nutshell.Lead, error) {
	var lead nutshell.Lead
	err := s.Read(ctx, func(ctx context.Context) error {
		var err error
		lead, _, err = s.cfg.Client.Lead(ctx, id)
		return err
	})
	return lead, err
}

// Leads reads the current state of leads, in batches while the server
// takes several IDs in one read, each batch a paced request of its own.
// Leads that do not exist are absent from the result.
func (s *Sender) Leads(ctx context.Context, ids []string) ([]nutshell.Lead, error) {
	leads, _, err := readByIDs(ctx, s, "/leads/", ids, s.cfg.Client.LeadBatch, func(l nutshell.Lead) string { return l.ID })
	return leads, err
}

// ProductMaps reads product maps by ID (GET /productmaps/{id}), batched as
// Leads; missing are the IDs a read of their own answered 404 for.
func (s *Sender) ProductMaps(ctx context.Context, ids []string) (maps []nutshell.LeadProductMap, missing []string, err error) {
	return readByIDs(ctx, s, "/productmaps/", ids, s.cfg.Client.ProductMaps, func(m nutshell.LeadProductMap) string { return m.ID })
}

// CompetitorMaps reads competitor maps by ID (GET /competitormaps/{id}),
// batched as Leads; missing are the IDs a read of their own answered 404 for.
func (s *Sender) CompetitorMaps(ctx context.Context, ids []string) (maps []nutshell.CompetitorMap, missing []string, err error) {
	return readByIDs(ctx, s, "/competitormaps/", ids, s.cfg.Client.CompetitorMapsByID, func(m nutshell.CompetitorMap) string { return m.ID })
}

// readByIDs reads entities by ID: several joined by commas in one read
// while the server takes that, else one per read (the declared form). A
// batch refused (404: perhaps one ID is missing) is halved, each half a
// read of its own, until the missing IDs are alone. A batch refused though
// none of its IDs is missing, or an answer that leaves out an ID found when
// read alone, shows the server does not read several IDs at once: the rest
// of the run reads one at a time. missing are the IDs a read of their own
// answered 404 for.
func readByIDs[T any](ctx context.Context, s *Sender, path string, ids []string, fetch func(context.Context, []string) ([]T, error), idOf func(T) string) (found []T, missing []string, err error) {
	get := func(batch []string) ([]T, error) {
		var got []T
		err := s.Read(ctx, func(ctx context.Context) error {
			var err error
			got, err = fetch(ctx, batch)
			return err
		})
		return got, err
	}
	one := func(id string) error {
		got, err := get([]string{id})
		if errors.Is(err, nutshell.ErrNotFound) {
			missing = append(missing, id)
			return nil
		}
		found = append(found, got...)
		return err
	}
	var read func(batch []string) error
	read = func(batch []string) error {
		if len(batch) == 1 || !s.limits.Allowed(nutshell.CommaIDs) {
			for _, id := range batch {
				if err := one(id); err != nil {
					return err
				}
			}
			return nil
		}
		got, err := get(batch)
		before := len(missing)
		switch {
		case err != nil && !nutshell.Refused(err):
			return err
		case err != nil:
			mid := len(batch) / 2
			if err := read(batch[:mid]); err != nil {
				return err
			}
			if err := read(batch[mid:]); err != nil {
				return err
			}
			if len(missing) == before {
				s.limits.Refuse(nutshell.CommaIDs)
			}
			return nil
		}
		found = append(found, got...)
		absent := 0
		for _, id := range batch {
			if slices.ContainsFunc(got, func(t T) bool { return nutshell.SameID(idOf(t), id) }) {
				continue
			}
			absent++
			if err := one(id); err != nil {
				return err
			}
		}
		if len(missing)-before < absent {
			s.limits.Refuse(nutshell.CommaIDs)
		}
		return nil
	}
	size := 100
	if !s.limits.Allowed(nutshell.CommaIDs) {
		size = 1
	}
	for _, batch := range s.cfg.Client.Batches(path, ids, size) {
		if err := read(batch); err != nil {
			return found, missing, err
		}
	}
	return found, missing, nil
}

// fatal stops the run: the credentials or their permissions were refused.
func (s *Sender) fatal(apiErr *nutshell.Error) {
	err := &FatalError{Err: apiErr}
	s.cfg.Stop.Stop(err.Error(), kind.Credentials, err)
}

// FatalError is rejected credentials: the run stops at once.
type FatalError struct{ Err error }

func (e *FatalError) Error() string { return CredentialsMessage(e.Err) }
func (e *FatalError) Unwrap() error { return e.Err }

// CredentialsMessage says what to check when Nutshell refuses the credentials.
func CredentialsMessage(err error) string {
	var apiErr *nutshell.Error
	status := 0
	if errors.As(err, &apiErr) {
		status = apiErr.StatusCode
	}
	return fmt.Sprintf("Nutshell rejected the credentials (HTTP %d): check NUTSHELL_USERNAME (the user's e-mail), NUTSHELL_API_KEY and that the key may read and update leads", status)
}

// slowDown tells the pacer about a 429 or 503, and counts other retryable
// failures toward an outage.
func (s *Sender) slowDown(t pacer.Ticket, apiErr *nutshell.Error) {
	switch apiErr.Kind {
	case nutshell.KindRateLimited:
		s.cfg.Pacer.SlowDown(t, apiErr.RetryAfter)
	case nutshell.KindOverloaded:
		s.cfg.Pacer.Overloaded(t, apiErr.RetryAfter)
		s.attemptFailed()
	default:
		s.attemptFailed()
	}
}

// attemptSucceeded tells the pacer the request of ticket t got an answer,
// and resets the outage detector.
func (s *Sender) attemptSucceeded(t pacer.Ticket) {
	s.cfg.Pacer.Succeeded(t)
	s.mu.Lock()
	s.consecutive, s.pauses = 0, 0
	s.mu.Unlock()
}

// attemptFailed counts a 5xx or transport failure; many in a row with no
// success in between mean an outage: every worker pauses, and after several
// pauses the run stops instead of failing every remaining row.
func (s *Sender) attemptFailed() {
	c := s.cfg
	s.mu.Lock()
	s.consecutive++
	if s.consecutive < c.OutageAfter {
		s.mu.Unlock()
		return
	}
	s.consecutive = 0
	s.pauses++
	pauses := s.pauses
	s.mu.Unlock()
	if pauses > c.OutagePauses {
		c.Stop.Stop(fmt.Sprintf("Nutshell failed %d requests in a row across %d pauses of %s; it looks down, try again later",
			c.OutageAfter*pauses, pauses-1, c.OutagePause), kind.Outage, nil)
		return
	}
	c.Log.Warn().Int("failures_in_a_row", c.OutageAfter).Dur("pause", c.OutagePause).
		Msg("Nutshell keeps failing; pausing every worker before trying again")
	c.Pacer.Pause(c.OutagePause)
}

// short names an attempt's answer for a note: "HTTP 429" or the transport failure.
func short(e *nutshell.Error) string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	return e.Message
}

func joinHistory(h []string) string {
	switch len(h) {
	case 1:
		return h[0]
	case 2:
		return h[0] + " and " + h[1]
	}
	return fmt.Sprintf("%s, and %s", strings.Join(h[:len(h)-1], ", "), h[len(h)-1])
}
