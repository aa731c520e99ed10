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
}

// State is what the adaptive rate decisions need; it holds no clock, so the
// decisions are pure and testable with tables.
type State struct {
	Rate      float64 // current rate
	Ceiling   float64 // the user's ceiling
	Floor     float64
	Limit     float64 // rate at which the server last said "slow down"; 0 = none seen
	Successes int     // successes since the last change
}

// Tuning of the adaptive rate. After a 429 the rate drops to 85%, climbs
// back quickly to 95% of the rate that drew the 429, then probes above it
// slowly: most of the time is spent just under the server's limit, and a 429
// comes only once per long probe, so 429s stay rare.
const (
	decreaseFactor   = 0.85
	successesPerStep = 10   // successes before each step up
	recoverStep      = 0.05 // of the ceiling, or of the last limit once one is known
	probeFrom        = 0.95 // of the last limit: from here on climb slowly
	probeStep        = 0.005
	probeSuccesses   = 20
	forgetAbove      = 1.05 // of the last limit: past it without a 429, the server has more room
)

// OnSlowDown returns the state after the server answered 429 or 503 to a
// request. answered: a cut already answered it (the request left before the
// rate was last cut); only requests sent at the current rate cut it again,
// which stops one burst of 429s from cutting once per worker.
func OnSlowDown(s State, answered bool) State {
	s.Successes = 0
	if answered {
		return s
	}
	s.Limit = s.Rate
	s.Rate = math.Max(s.Floor, s.Rate*decreaseFactor)
	return s
}

// OnSuccess returns the state after a request succeeded, and whether the rate changed.
func OnSuccess(s State) (State, bool) {
	if s.Rate >= s.Ceiling {
		return s, false
	}
	s.Successes++
	probing := s.Limit > 0 && s.Rate >= s.Limit*probeFrom
	need := successesPerStep
	if probing {
		need = probeSuccesses
	}
	if s.Successes < need {
		return s, false
	}
	s.Successes = 0
	next := s.Rate + math.Max(0.05, s.Ceiling*recoverStep)
	switch {
	case probing:
		next = s.Rate + math.Max(0.01, s.Limit*probeStep)
	case s.Limit > 0:
		// Recover fast, but stop where the probe begins.
		next = math.Min(s.Rate+s.Limit*recoverStep, math.Max(s.Limit*probeFrom, s.Rate+0.01))
	}
	s.Rate = math.Min(s.Ceiling, next)
	if s.Limit > 0 && s.Rate > s.Limit*forgetAbove {
		s.Limit = 0
	}
	return s, true
}

// Change describes one change of rate, for logging.
type Change struct {
	From, To float64
	Reason   string // "slow down" or "recovering"
}

// Pacer is shared by every worker of a run. It is safe for concurrent use.
type Pacer struct {
	limiter  *rate.Limiter
	onChange func(Change)
	// turn lets one worker at a time hold a reservation in the limiter.
	// Reservations already made keep the spacing of the rate they were made
	// at, so with many workers queued a rate increase would schedule new
	// requests on top of old ones: a burst, exactly what draws a 429.
	turn chan struct{}

	mu          sync.Mutex
	state       State
	pausedUntil time.Time
	lastCut     time.Time
	slowDowns   int
	now         func() time.Time
}

// New returns a Pacer starting at the ceiling. onChange, if not nil, is called
// (outside the lock) on every change of rate.
func New(cfg Config, onChange func(Change)) *Pacer {
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	if cfg.Floor <= 0 {
		cfg.Floor = math.Min(0.5, cfg.Ceiling)
	}
	return &Pacer{
		limiter:  rate.NewLimiter(rate.Limit(cfg.Ceiling), cfg.Burst),
		onChange: onChange,
		turn:     make(chan struct{}, 1),
		state:    State{Rate: cfg.Ceiling, Ceiling: cfg.Ceiling, Floor: cfg.Floor},
		now:      time.Now,
	}
}

// Ticket identifies one paced request, for SlowDown.
type Ticket struct{ sent time.Time }

// Wait blocks until the next request may start: after any pause, then by the
// limiter. The ticket goes to SlowDown if the server answers "slow down".
func (p *Pacer) Wait(ctx context.Context) (Ticket, error) {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return Ticket{}, ctx.Err()
	}
	defer func() { <-p.turn }()
	for {
		p.mu.Lock()
		wait := p.pausedUntil.Sub(p.now())
		p.mu.Unlock()
		if wait <= 0 {
			break
		}
		if err := Sleep(ctx, wait); err != nil {
			return Ticket{}, err
		}
	}
	if err := p.limiter.Wait(ctx); err != nil {
		return Ticket{}, err
	}
	return Ticket{sent: p.now()}, nil
}

// overloadCooldown spaces the cuts that 503s make: a 503 may be a passing
// fault rather than a limit, and a run of them must not drive the rate to
// the floor in a second.
const overloadCooldown = time.Second

// SlowDown lowers the rate after a 429 to the request of ticket t;
// retryAfter > 0 also pauses every worker for that long, not only the one
// that got it.
func (p *Pacer) SlowDown(t Ticket, retryAfter time.Duration) {
	p.slowDown(t, retryAfter, false)
}

// Overloaded is SlowDown for a 503: it cuts the rate at most once a second.
func (p *Pacer) Overloaded(t Ticket, retryAfter time.Duration) {
	p.slowDown(t, retryAfter, true)
}

func (p *Pacer) slowDown(t Ticket, retryAfter time.Duration, overload bool) {
	p.mu.Lock()
	p.slowDowns++
	now := p.now()
	before := p.state.Rate
	answered := t.sent.Before(p.lastCut) || overload && now.Sub(p.lastCut) < overloadCooldown
	p.state = OnSlowDown(p.state, answered)
	after := p.state.Rate
	if after != before {
		p.lastCut = now
	}
	if retryAfter > 0 {
		until := now.Add(retryAfter)
		if until.After(p.pausedUntil) {
			p.pausedUntil = until
		}
	}
	p.limiter.SetLimit(rate.Limit(after))
	// Once the server has said "slow down", bursts are what it objects to:
	// from now on requests go out evenly spaced.
	p.limiter.SetBurst(1)
	p.mu.Unlock()
	if p.onChange != nil && after != before {
		p.onChange(Change{From: before, To: after, Reason: "slow down"})
	}
}

// Pause makes every worker wait d before its next request (an outage, say).
func (p *Pacer) Pause(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := p.now().Add(d); until.After(p.pausedUntil) {
		p.pausedUntil = until
	}
}

// Success records a successful request and raises the rate toward the ceiling after a run of them.
func (p *Pacer) Success() {
	p.mu.Lock()
	before := p.state.Rate
	var changed bool
	p.state, changed = OnSuccess(p.state)
	after := p.state.Rate
	if changed {
		p.limiter.SetLimit(rate.Limit(after))
	}
	p.mu.Unlock()
	if changed && p.onChange != nil {
		p.onChange(Change{From: before, To: after, Reason: "recovering"})
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
