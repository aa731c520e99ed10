// Package pacer paces requests to an API that publishes no rate limit: a
// shared rate.Limiter whose rate backs off on "slow down" answers and climbs
// back toward the user's ceiling, a pause that every worker honours after a
// Retry-After, and jittered exponential backoff between retries.
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

// Tuning of the adaptive rate. A cut to 85% after a 429 and a climb that slows
// as it nears the rate that last drew one keep the rate close to a hidden limit
// with few 429s: a sawtooth between 85% and 100% of the limit averages about 92%.
const (
	decreaseFactor   = 0.85
	successesPerStep = 10
)

// cutCooldown stops one burst of 429s (every worker in flight at once) from
// cutting the rate once per worker.
const cutCooldown = time.Second

// OnSlowDown returns the state after the server answered 429 or 503,
// sinceLastCut after the rate was last cut.
func OnSlowDown(s State, sinceLastCut time.Duration) State {
	s.Successes = 0
	if sinceLastCut < cutCooldown {
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
	if s.Successes < successesPerStep {
		return s, false
	}
	s.Successes = 0
	step := s.Ceiling * 0.05
	if s.Limit > 0 && s.Rate < s.Limit*1.1 {
		// Near the rate that drew the last 429: creep, so a cycle lasts long and 429s stay rare.
		step = s.Limit * 0.01
	}
	step = math.Max(step, 0.05)
	s.Rate = math.Min(s.Ceiling, s.Rate+step)
	if s.Limit > 0 && s.Rate > s.Limit*1.2 {
		// Long past the old limit without a 429: forget it; the server has more room now.
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
		state:    State{Rate: cfg.Ceiling, Ceiling: cfg.Ceiling, Floor: cfg.Floor},
		now:      time.Now,
	}
}

// Wait blocks until the next request may start: after any pause, then by the limiter.
func (p *Pacer) Wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		wait := p.pausedUntil.Sub(p.now())
		p.mu.Unlock()
		if wait <= 0 {
			break
		}
		if err := Sleep(ctx, wait); err != nil {
			return err
		}
	}
	return p.limiter.Wait(ctx)
}

// SlowDown lowers the rate after a 429 or 503; retryAfter > 0 also pauses
// every worker for that long, not only the one that got it.
func (p *Pacer) SlowDown(retryAfter time.Duration) {
	p.mu.Lock()
	p.slowDowns++
	now := p.now()
	before := p.state.Rate
	p.state = OnSlowDown(p.state, now.Sub(p.lastCut))
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
