package pacer

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config sets the pacer's bounds.
type Config struct {
	Ceiling float64 // requests per second the user allows (--rate); never exceeded
	Burst   int     // limiter burst (--burst)
	Floor   float64 // lowest rate it backs off to (0 → 0.5 req/s)
	// Start is the rate a run starts at before doubling toward the ceiling
	// (0 → DefaultStart); at or above Ceiling there is no slow start.
	Start float64
	// Now and Sleep are the pacer's clock (nil → the real one): a test
	// gives a fake pair to check pacing exactly, without waiting.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Change describes one change of rate, or a pause for a count per window
// that ran out (From = To, Pause set), for logging.
type Change struct {
	From, To float64
	Reason   string        // "slow down", "503s rising with the rate", "slow start", "recovering" or "window"
	Pause    time.Duration // with Reason "window": every worker waits this long
}

// Pacer is shared by every worker of a run. It is safe for concurrent use.
type Pacer struct {
	limiter  *rate.Limiter
	onChange func(Change)
	// turn lets one worker at a time hold a reservation in the limiter.
	// Reservations already made keep the spacing of the rate they were made
	// at, so with many workers queued a rate increase would schedule new
	// requests on top of old ones: a burst, exactly what draws a 429.
	turn  chan struct{}
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	burst int // the user's burst, once slow start is over with no slow-down

	mu          sync.Mutex
	state       State
	pausedUntil time.Time
	lastCut     time.Time // when the rate was last cut
	lastChange  time.Time // when the rate last changed either way
	booked      time.Time // the latest turn handed out
	started     time.Time // when the latest request started, as far as known
	slowDowns   int
	// spaced: the server has said "slow down"; from then on each request
	// keeps its whole distance from the last one's real start. Before,
	// slots follow each other from their planned times, so a late wake-up
	// is made up by the next slot instead of lost (the limiter's burst
	// bounds what an idle gap may send at once).
	spaced bool
	// turns counts the turns handed out; the flight that ended the slow
	// start is the turns from its first refused one until the cut it drew.
	turns                int
	flightFrom, flightTo int
	risen                int // turns handed out when the rate last rose
}

// New returns a Pacer starting at cfg.Start (slow start) or the ceiling.
// onChange, if not nil, is called (outside the lock) on every change of rate.
func New(cfg Config, onChange func(Change)) *Pacer {
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	if cfg.Floor <= 0 {
		cfg.Floor = math.Min(0.5, cfg.Ceiling)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = Sleep
	}
	st := Initial(cfg.Ceiling, cfg.Floor, cfg.Start)
	burst := cfg.Burst
	if st.SlowStart {
		// A burst at the start is the overshoot slow start avoids.
		burst = 1
	}
	return &Pacer{
		limiter:  rate.NewLimiter(rate.Limit(st.Rate), burst),
		onChange: onChange,
		turn:     make(chan struct{}, 1),
		state:    st,
		now:      cfg.Now,
		sleep:    cfg.Sleep,
		burst:    cfg.Burst,
	}
}

// Ticket identifies one paced request, for the report of its answer.
type Ticket struct {
	turn   int       // turns handed out before this one
	booked time.Time // when the turn was handed out, at the rate of then
	sent   time.Time // when the request may start
	res    *rate.Reservation
	// prevStarted is when the request before it started, as far as known.
	prevStarted time.Time
}

// Sent returns when the ticket's request may start.
func (t Ticket) Sent() time.Time { return t.sent }

// Wait blocks until the next request may start: after any pause, then by the
// limiter. The ticket goes to Succeeded, SlowDown or Overloaded with the answer.
func (p *Pacer) Wait(ctx context.Context) (Ticket, error) {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return Ticket{}, ctx.Err()
	}
	defer func() { <-p.turn }()
	for {
		t := p.ReserveAt(p.now())
		if err := p.sleep(ctx, t.sent.Sub(p.now())); err != nil {
			p.cancelAt(p.now(), t)
			return Ticket{}, err
		}
		if p.GoAt(p.now(), t) {
			return t, nil
		}
	}
}

// GoAt reports whether the request of ticket t may start at now, its Sent
// time or later (a sleep that overran), and records that it did: the next
// turn keeps its distance from it. If not, the ticket is given back and the
// caller books another: a Retry-After that came while it waited holds it
// too, and so does a cut, since a request booked at the old rate would
// follow the last one too closely and draw another refusal. Wait calls it.
func (p *Pacer) GoAt(now time.Time, t Ticket) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pausedUntil.After(t.sent) || t.booked.Before(p.lastCut) {
		p.cancelAt(now, t)
		// The turn was never taken: the next keeps its distance from the
		// request before it.
		if p.started.Equal(t.sent) {
			p.started = t.prevStarted
		}
		if p.inFlight(t) {
			// Never sent, it will never be answered.
			p.state.Flight.Size--
		}
		if t.turn == p.turns-1 {
			p.turns--
			p.flightTo = min(p.flightTo, p.turns)
		}
		return false
	}
	if now.After(p.started) {
		p.started = now
	}
	return true
}

// ReserveAt books the next request's turn at time now, after any pause: the
// request may start at the ticket's Sent time. Callers must hold back until
// then, and take turns: Wait does both.
func (p *Pacer) ReserveAt(now time.Time) Ticket {
	p.mu.Lock()
	defer p.mu.Unlock()
	from := now
	if p.pausedUntil.After(from) {
		from = p.pausedUntil
	}
	if p.limiter.Burst() == 1 && !p.started.IsZero() {
		// Once the server has said "slow down", evenly spaced means from
		// the last request's real start: one that left late must not be
		// followed by one on time, too close behind, as a limiter catching
		// up would send it. Before, a late start is made up, but by half a
		// slot at most, so no second holds much more than the rate.
		gap := float64(time.Second) / p.state.Rate
		if !p.spaced {
			gap /= 2
		}
		if next := p.started.Add(time.Duration(gap)); next.After(from) {
			from = next
		}
	}
	r := p.limiter.ReserveN(from, 1)
	t := Ticket{turn: p.turns, booked: now, sent: from.Add(r.DelayFrom(from)), res: r, prevStarted: p.started}
	p.turns++
	if t.sent.After(p.booked) {
		p.booked = t.sent
	}
	if t.sent.After(p.started) {
		p.started = t.sent
	}
	return t
}

// cancelAt gives back a reservation that will not be used.
func (p *Pacer) cancelAt(now time.Time, t Ticket) {
	if t.res != nil {
		t.res.CancelAt(now)
	}
}

// SlowDown lowers the rate after a 429 to the request of ticket t;
// retryAfter > 0 also pauses every worker for that long, not only the one
// that got it.
func (p *Pacer) SlowDown(t Ticket, retryAfter time.Duration) {
	p.SlowDownAt(p.now(), t, retryAfter)
}

// SlowDownAt is SlowDown at time now.
func (p *Pacer) SlowDownAt(now time.Time, t Ticket, retryAfter time.Duration) {
	p.mu.Lock()
	p.slowDowns++
	c := p.cutLocked(now, t, retryAfter, "slow down")
	p.mu.Unlock()
	p.report(c)
}

// Overloaded reports a 503 to the request of ticket t. It lowers the rate
// only for a load signal: a Retry-After (which also pauses every worker), or
// 503s that grew with the rate beyond the service's usual share of them.
func (p *Pacer) Overloaded(t Ticket, retryAfter time.Duration) {
	p.OverloadedAt(p.now(), t, retryAfter)
}

// OverloadedAt is Overloaded at time now.
func (p *Pacer) OverloadedAt(now time.Time, t Ticket, retryAfter time.Duration) {
	p.mu.Lock()
	p.slowDowns++
	var load bool
	p.state, load = OnUnavailable(p.state, retryAfter > 0)
	var c Change
	if load {
		c = p.cutLocked(now, t, retryAfter, "503s rising with the rate")
	}
	p.mu.Unlock()
	p.report(c)
}

// cutLocked applies a slow-down; p.mu held. It returns the change to report
// (zero if none).
func (p *Pacer) cutLocked(now time.Time, t Ticket, retryAfter time.Duration, reason string) Change {
	if Quota(retryAfter) {
		// A count per window ran out: the pause is the cure, and the
		// next window takes the rate that filled this one. Reported once
		// a window: the other refusals of its flight end no later.
		until := now.Add(retryAfter)
		if !until.After(p.pausedUntil.Add(time.Second)) {
			return Change{}
		}
		p.pausedUntil = until
		return Change{From: p.state.Rate, To: p.state.Rate, Reason: "window", Pause: retryAfter}
	}
	before := p.state.Rate
	answered := t.booked.Before(p.lastCut)
	if answered && p.inFlight(t) {
		p.state = OnFlightRefusal(p.state)
	} else {
		p.state = OnSlowDown(p.state, answered)
	}
	if !answered && p.state.Flight.From > 0 {
		p.flightFrom, p.flightTo = t.turn, p.turns
		p.state.Flight.Size = float64(p.turns - t.turn)
		p.state.Flight.Before = float64(max(0, t.turn-p.risen))
	}
	after := p.state.Rate
	if !answered && p.state.Flight.From > 0 && t.sent.Before(now) {
		// The first refusal after a slow start: hold every worker for as
		// long as its answer took, until the rest of its flight is
		// answered and says how far past the limit the ramp ran.
		retryAfter = max(retryAfter, now.Sub(t.sent))
	}
	if retryAfter > 0 {
		if until := now.Add(retryAfter); until.After(p.pausedUntil) {
			p.pausedUntil = until
		}
	}
	// Once the server has said "slow down", bursts are what it objects to:
	// from now on requests go out evenly spaced.
	p.limiter.SetBurstAt(p.effective(now), 1)
	p.spaced = true
	if after == before {
		return Change{}
	}
	p.lastCut, p.lastChange = now, now
	p.limiter.SetLimitAt(p.effective(now), rate.Limit(after))
	return Change{From: before, To: after, Reason: reason}
}

// Pause makes every worker wait d before its next request (an outage, say).
func (p *Pacer) Pause(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := p.now().Add(d); until.After(p.pausedUntil) {
		p.pausedUntil = until
	}
}

// Succeeded records that the request of ticket t succeeded; after a run of
// successes the rate rises toward the ceiling.
func (p *Pacer) Succeeded(t Ticket) {
	p.SucceededAt(p.now(), t)
}

// SucceededAt is Succeeded at time now.
func (p *Pacer) SucceededAt(now time.Time, t Ticket) {
	p.mu.Lock()
	before := p.state.Rate
	slowStart := p.state.SlowStart
	var changed bool
	if p.inFlight(t) {
		p.state = OnFlightSuccess(p.state)
	}
	p.state, changed = OnSuccess(p.state, !t.booked.Before(p.lastChange))
	after := p.state.Rate
	if changed {
		p.lastChange, p.risen = now, p.turns
		p.limiter.SetLimitAt(p.effective(now), rate.Limit(after))
		if slowStart && after >= p.state.Ceiling {
			p.limiter.SetBurstAt(p.effective(now), p.burst)
		}
	}
	p.mu.Unlock()
	if changed {
		reason := "recovering"
		if slowStart {
			reason = "slow start"
		}
		p.report(Change{From: before, To: after, Reason: reason})
	}
}

// inFlight reports whether ticket t belongs to the flight that ended the
// slow start; p.mu held.
func (p *Pacer) inFlight(t Ticket) bool {
	return t.turn >= p.flightFrom && t.turn < p.flightTo
}

// effective is when a change of rate made at now takes effect: after the
// turns already handed out, which were spaced at the old rate. Changed any
// earlier, the limiter would count the time until then at the new rate and
// let the next request follow the last one too closely; p.mu held.
func (p *Pacer) effective(now time.Time) time.Time {
	if p.booked.After(now) {
		return p.booked
	}
	return now
}

func (p *Pacer) report(c Change) {
	if p.onChange != nil && c != (Change{}) {
		p.onChange(c)
	}
}

// Rate returns the current rate in requests per second.
func (p *Pacer) Rate() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state.Rate
}

// SlowDowns returns how many 429 or 503 answers were reported.
func (p *Pacer) SlowDowns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.slowDowns
}

// Sleep waits d, or until ctx is done (returning its error).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
