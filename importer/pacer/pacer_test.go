package pacer

import (
	"context"
	"testing"
	"time"
)

func TestOnSlowDown(t *testing.T) {
	tests := []struct {
		name      string
		in        State
		beforeCut bool
		want      State
	}{
		// A first 429 after a long run of successes cuts the rate to a
		// little under 85% (the share that got through, the refusal
		// counted) and remembers where it came.
		{"first cut", State{Rate: 20, Ceiling: 20, Floor: 0.5, Successes: 7, Through: 40}, false, State{Rate: 17 * 41.0 / 42, Ceiling: 20, Floor: 0.5, Limit: 20}},
		// Nothing got through since the last cut: halved, so a rate far
		// past the limit comes down in few 429s.
		{"nothing through", State{Rate: 20, Ceiling: 20, Floor: 0.5, Limit: 24}, false, State{Rate: 8.5, Ceiling: 20, Floor: 0.5, Limit: 20}},
		// 429s to requests sent before that cut do not cut again.
		{"same burst", State{Rate: 17, Ceiling: 20, Floor: 0.5, Limit: 20, Successes: 3}, true, State{Rate: 17, Ceiling: 20, Floor: 0.5, Limit: 20}},
		// The rate never drops below the floor.
		{"floor", State{Rate: 0.55, Ceiling: 20, Floor: 0.5}, false, State{Rate: 0.5, Ceiling: 20, Floor: 0.5, Limit: 0.55}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OnSlowDown(tt.in, tt.beforeCut)
			if !near(got.Rate, tt.want.Rate) || !near(got.Limit, tt.want.Limit) || got.Successes != tt.want.Successes {
				t.Errorf("OnSlowDown(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestOnSuccess(t *testing.T) {
	tests := []struct {
		name    string
		in      State
		want    float64
		changed bool
	}{
		// At the ceiling nothing changes.
		{"at ceiling", State{Rate: 10, Ceiling: 10, Successes: 9}, 10, false},
		// Below the run length, only the count moves.
		{"counting", State{Rate: 5, Ceiling: 10, Successes: 3}, 5, false},
		// With no limit known it climbs by 5% of the ceiling.
		{"climb", State{Rate: 5, Ceiling: 10, Successes: 9}, 5.5, true},
		// After a 429 it recovers by 5% of that limit...
		{"recover", State{Rate: 17, Ceiling: 50, Limit: 20, Successes: 9}, 18, true},
		// Far under it, as after the first cut of a slow start, by a fifth.
		{"deep recover", State{Rate: 10, Ceiling: 50, Limit: 20, Successes: 9}, 12, true},
		// ...but stops at 95% of it, where probing begins.
		{"recover stops at probe", State{Rate: 18.5, Ceiling: 50, Limit: 20, Successes: 9}, 19, true},
		// Probing waits for a longer run of successes...
		{"probe waits", State{Rate: 19, Ceiling: 50, Limit: 20, Successes: 15}, 19, false},
		// ...and then creeps by 0.5% of the limit.
		{"probe", State{Rate: 19, Ceiling: 50, Limit: 20, Successes: 19}, 19.1, true},
		// It never passes the ceiling.
		{"capped", State{Rate: 9.9, Ceiling: 10, Successes: 9}, 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := OnSuccess(tt.in, true)
			if !near(got.Rate, tt.want) || changed != tt.changed {
				t.Errorf("OnSuccess(%+v) = %v, %v; want %v, %v", tt.in, got.Rate, changed, tt.want, tt.changed)
			}
		})
	}
}

func TestSawtoothStaysNearLimit(t *testing.T) {
	// Simulate a hidden limit of 20 req/s with a ceiling of 50: over many cycles
	// the average rate must sit near the limit and 429s must be rare.
	s := State{Rate: 50, Ceiling: 50, Floor: 0.5}
	const limit = 20.0
	var sum float64
	var slowDowns, n int
	for i := 0; i < 200000; i++ {
		if s.Rate > limit {
			slowDowns++
			s = OnSlowDown(s, false)
			continue
		}
		n++
		sum += s.Rate
		s, _ = OnSuccess(s, true)
	}
	avg := sum / float64(n)
	if avg < 0.93*limit || avg > limit {
		t.Errorf("average rate %.2f, want within [%.1f, %.1f]", avg, 0.93*limit, limit)
	}
	if share := float64(slowDowns) / 200000; share > 0.01 {
		t.Errorf("429 share %.4f, want ≤ 0.01", share)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		name       string
		attempt    int
		random     float64
		retryAfter time.Duration
		want       time.Duration
	}{
		// The first retry waits up to the base.
		{"first", 1, 0.5, 0, 250 * time.Millisecond},
		// Each retry doubles the window.
		{"third", 3, 0.5, 0, time.Second},
		// The window never passes the cap.
		{"capped", 20, 0.5, 0, 5 * time.Second},
		// A huge attempt number does not overflow.
		{"overflow", 200, 0.99, 0, 9900 * time.Millisecond},
		// A longer Retry-After wins.
		{"retry-after", 1, 0.5, 7 * time.Second, 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Backoff(tt.attempt, 500*time.Millisecond, 10*time.Second, tt.random, tt.retryAfter)
			if got != tt.want {
				t.Errorf("Backoff = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRetryAfterPausesEveryWorker(t *testing.T) {
	now := time.Unix(1000, 0)
	var changes []Change
	p := New(Config{Ceiling: 1000, Burst: 1000}, func(c Change) { changes = append(changes, c) })
	p.now = func() time.Time { return now }
	before := p.Rate()
	p.SlowDown(Ticket{sent: now}, time.Minute)
	// Told once, as a pause: a second refusal of the same window adds nothing.
	p.SlowDown(Ticket{sent: now}, 59*time.Second)
	if want := (Change{From: before, To: before, Reason: "window", Pause: time.Minute}); len(changes) != 1 || changes[0] != want {
		t.Errorf("changes %+v, want only %+v", changes, want)
	}
	// Any worker's Wait must now block: a short deadline proves it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Wait(ctx); err == nil {
		t.Fatal("Wait returned during a Retry-After pause")
	}
	now = now.Add(time.Minute)
	if _, err := p.Wait(context.Background()); err != nil {
		t.Fatalf("Wait after the pause: %v", err)
	}
	if p.SlowDowns() != 2 {
		t.Errorf("SlowDowns = %d, want 2", p.SlowDowns())
	}
	// A minute's pause is a count per window that ran out, not a rate.
	if p.Rate() != before {
		t.Errorf("rate %g after a minute's Retry-After, want %g (not cut)", p.Rate(), before)
	}

}

func near(a, b float64) bool { d := a - b; return d < 1e-9 && d > -1e-9 }

func TestInitial(t *testing.T) {
	tests := []struct {
		name           string
		ceiling, start float64
		want           float64
		wantSlow       bool
	}{
		{"default start", 20, 0, DefaultStart, true}, // a few per second, then doubling
		{"low ceiling", 3, 0, 3, false},              // never above the ceiling, nothing to ramp
		{"start given", 2000, 2000, 2000, false},     // --start-rate at the ceiling skips the ramp
		{"start above ceiling", 20, 50, 20, false},   // capped
		{"start below default", 100, 1, 1, true},     // a cautious start
	}
	for _, tt := range tests {
		got := Initial(tt.ceiling, 0.5, tt.start)
		if !near(got.Rate, tt.want) || got.SlowStart != tt.wantSlow {
			t.Errorf("%s: Initial(%g, %g) = rate %g, slow start %v; want %g, %v", tt.name, tt.ceiling, tt.start, got.Rate, got.SlowStart, tt.want, tt.wantSlow)
		}
	}
}

func TestSlowStart(t *testing.T) {
	tests := []struct {
		name    string
		in      State
		current bool
		want    float64
		changed bool
	}{
		// A window of successes at the current rate doubles it.
		{"doubles", State{Rate: 5, Ceiling: 100, SlowStart: true, Successes: slowStartWindow - 1}, true, 10, true},
		// Answers to requests sent at the lower rate do not count.
		{"stale answer", State{Rate: 10, Ceiling: 100, SlowStart: true, Successes: slowStartWindow - 1}, false, 10, false},
		// Never past the ceiling.
		{"capped", State{Rate: 80, Ceiling: 100, SlowStart: true, Successes: slowStartWindow - 1}, true, 100, true},
		// Not while the window's 503s look like load: 6 of 12 against no noise.
		{"holds on 503s", State{Rate: 40, Ceiling: 100, SlowStart: true, Successes: slowStartWindow - 1,
			Noise: Share{Answers: 15}, Window: Share{Answers: 12, Unavailable: 6}}, true, 40, false},
	}
	for _, tt := range tests {
		got, changed := OnSuccess(tt.in, tt.current)
		if !near(got.Rate, tt.want) || changed != tt.changed {
			t.Errorf("%s: OnSuccess = %v, %v; want %v, %v", tt.name, got.Rate, changed, tt.want, tt.changed)
		}
	}
	// At the ceiling, still in slow start, successes are counted: a first
	// 429 there cuts by what got through, not by half.
	at := State{Rate: 20, Ceiling: 20, SlowStart: true}
	for range 9 {
		at, _ = OnSuccess(at, true)
	}
	if got := OnSlowDown(at, false); !near(got.Limit, 20) || !near(got.Rate, 15.3) || !got.Tentative {
		t.Errorf("first cut at the ceiling after 9 successes: limit %g, rate %g, tentative %v; want 20, 15.3, true", got.Limit, got.Rate, got.Tentative)
	}
}

func TestSlowStartCut(t *testing.T) {
	tests := []struct {
		name     string
		in       State
		wantRate float64
	}{
		// No request sent at the doubled rate got through: back under the
		// last rate.
		{"nothing got through", State{Rate: 40, Ceiling: 100, SlowStart: true}, 17},
		// Most got through: the limit is near this rate.
		{"most got through", State{Rate: 40, Ceiling: 100, SlowStart: true, Successes: 9}, 30.6},
	}
	for _, tt := range tests {
		got := OnSlowDown(tt.in, false)
		if !near(got.Rate, tt.wantRate) || !near(got.Limit, 40) || !got.Tentative || got.SlowStart {
			t.Errorf("%s: OnSlowDown = %+v; want rate %g, a tentative limit of 40, slow start over", tt.name, got, tt.wantRate)
		}
	}
}

func TestTentativeLimit(t *testing.T) {
	// After the first cut of a slow start, the rate climbs back by a fifth
	// at a time, past the limit, which it then forgets: slow start resumes.
	s := State{Rate: 17, Ceiling: 100, Limit: 40, Tentative: true}
	var rates []float64
	for range 8 {
		for range successesPerStep {
			s, _ = OnSuccess(s, true)
		}
		rates = append(rates, s.Rate)
	}
	want := []float64{20.4, 24.48, 29.376, 35.2512, 42.30144}
	for i, w := range want {
		if !near(rates[i], w) {
			t.Fatalf("rates %v, want %v first", rates, want)
		}
	}
	if s.Limit != 0 || s.Tentative || !s.SlowStart {
		t.Errorf("past the tentative limit: %+v; want it forgotten and slow start resumed", s)
	}
	// A second slow-down confirms a limit: the probe then creeps as usual.
	c := OnSlowDown(State{Rate: 20.4, Ceiling: 100, Limit: 40, Tentative: true, Through: 10}, false)
	if c.Tentative || !near(c.Limit, 20.4) || !near(c.Rate, 17.34*11/12) {
		t.Errorf("second slow-down: %+v; want a confirmed limit of 20.4 and rate %g", c, 17.34*11/12)
	}
}

func TestOnUnavailable(t *testing.T) {
	noise10 := Share{Answers: 200, Unavailable: 20}
	tests := []struct {
		name       string
		in         State
		retryAfter bool
		want       bool
	}{
		// A Retry-After makes any 503 a load signal.
		{"retry-after", State{Rate: 20}, true, true},
		// 503s at the service's usual share are noise.
		{"noise", State{Rate: 20, Rose: true, Noise: noise10, Window: Share{Answers: 39, Unavailable: 4}}, false, false},
		// A share far above the noise after the rate rose is load.
		{"share rose", State{Rate: 20, Rose: true, Noise: noise10, Window: Share{Answers: 39, Unavailable: 14}}, false, true},
		// The same share with no rise of the rate is not blamed on the rate.
		{"no rise", State{Rate: 20, Noise: noise10, Window: Share{Answers: 39, Unavailable: 14}}, false, false},
		// Too few answers to know the noise yet.
		{"noise unknown", State{Rate: 20, Rose: true, Noise: Share{Answers: 3}, Window: Share{Answers: 20, Unavailable: 10}}, false, false},
		// One 503 proves nothing, even with no noise at all.
		{"one 503", State{Rate: 20, Rose: true, Noise: Share{Answers: 100}, Window: Share{Answers: 19}}, false, false},
	}
	for _, tt := range tests {
		got, load := OnUnavailable(tt.in, tt.retryAfter)
		if load != tt.want {
			t.Errorf("%s: load = %v, want %v", tt.name, load, tt.want)
		}
		if got.Window.Unavailable != tt.in.Window.Unavailable+1 || got.Rate != tt.in.Rate {
			t.Errorf("%s: state %+v: want the 503 counted and the rate left to the caller", tt.name, got)
		}
	}
}

func TestNoiseLearnedBelowLimit(t *testing.T) {
	// A window that ends with a rise below any known limit teaches the noise;
	// one in the probe above a known limit carries on, halved.
	below := State{Rate: 10, Ceiling: 20, Successes: successesPerStep - 1, Window: Share{Answers: 11, Unavailable: 1}}
	got, _ := OnSuccess(below, true)
	if got.Noise.Answers != 12 || got.Noise.Unavailable != 1 || got.Window != (Share{}) || !got.Rose {
		t.Errorf("below: noise %+v, window %+v, rose %v; want the window folded into the noise", got.Noise, got.Window, got.Rose)
	}
	probe := State{Rate: 19.5, Ceiling: 50, Limit: 20, Successes: probeSuccesses - 1, Window: Share{Answers: 39, Unavailable: 2}}
	got, _ = OnSuccess(probe, true)
	if got.Noise != (Share{}) || !near(got.Window.Answers, 20) || !near(got.Window.Unavailable, 1) {
		t.Errorf("probe: noise %+v, window %+v; want the window kept, halved", got.Noise, got.Window)
	}
}

func TestFlight(t *testing.T) {
	// The first 429 of a slow start at 100/s opens a flight of the
	// requests sent from the refused one on; its first cut is the usual one.
	open := OnSlowDown(State{Rate: 100, Ceiling: 100, Floor: 0.5, SlowStart: true, Successes: 5}, false)
	if open.Flight != (Flight{From: 100, Refused: 1}) || !near(open.Rate, 85*5.0/6) || !open.Tentative {
		t.Fatalf("first cut: %+v; want a flight from 100 and the slow-start cut", open)
	}
	usual := open.Rate
	tests := []struct {
		name         string
		size, before float64 // the flight's size; requests sent at 100/s before its first refusal
		ok, more     int     // successes, then further refusals, in the flight
		want         float64
		limit        float64 // 0: the tentative limit of 100 stands
	}{
		// Too little of the flight answered to judge it.
		{"two refused", 8, 0, 0, 1, usual, 0},
		{"five refused", 8, 0, 0, 4, usual, 0},
		// Seven of eight answered, none through: the limiter let a burst
		// through and is dry; cut as deep as after a slow start, under
		// 100·0.5/7.5 (half a success counted), and probe from there.
		{"seven refused", 8, 0, 0, 6, deepCut * 100 * 0.5 / 7.5, deepCut * 100 * 0.5 / 7.5 / probeFrom},
		// One through among six refused: 100·1.5/7.5.
		{"one in seven", 8, 0, 1, 5, deepCut * 100 * 1.5 / 7.5, deepCut * 100 * 1.5 / 7.5 / probeFrom},
		// Three through of seven, refused at once: a limit without a
		// burst may be no lower than a third of the rate, and stays
		// tentative, but the rate goes to 85% of what the share says.
		{"three through, refused at once", 8, 1, 3, 3, decreaseFactor * 100 * 3.5 / 7.5, 0},
		// The same after ten requests had got through at 100/s: a burst
		// ran dry, and the share is the limit.
		{"three through, a burst ran dry", 8, 10, 3, 3, decreaseFactor * 100 * 3.5 / 7.5, decreaseFactor * 100 * 3.5 / 7.5 / probeFrom},
		// A small flight, all answered, with two refusals is judged.
		{"small flight", 3, 0, 1, 1, decreaseFactor * 100 * 1.5 / 3.5, 0},
		// Most got through: little deeper than the usual cut.
		{"most through", 8, 0, 6, 1, decreaseFactor * 100 * 6.5 / 8.5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := open
			got.Flight.Size, got.Flight.Before = tt.size, tt.before
			for range tt.ok {
				got = OnFlightSuccess(got)
			}
			for range tt.more {
				got = OnFlightRefusal(got)
			}
			if !near(got.Rate, tt.want) {
				t.Errorf("rate %g, want %g (%+v)", got.Rate, tt.want, got.Flight)
			}
			if tt.limit == 0 && (!near(got.Limit, 100) || !got.Tentative) {
				t.Errorf("limit %g (tentative %v), want 100, tentative", got.Limit, got.Tentative)
			}
			if tt.limit != 0 && (!near(got.Limit, tt.limit) || got.Tentative) {
				t.Errorf("limit %g (tentative %v), want %g, confirmed", got.Limit, got.Tentative, tt.limit)
			}
		})
	}
	// A cut after the slow start opens no flight.
	if later := OnSlowDown(State{Rate: 20, Ceiling: 100, Floor: 0.5, Limit: 21, Through: 30}, false); later.Flight != (Flight{}) {
		t.Errorf("a later cut opened a flight: %+v", later.Flight)
	}
}

func TestSlowStartStep(t *testing.T) {
	for _, tt := range []struct{ from, want float64 }{
		{5, 10},  // doubles while few requests are in flight
		{10, 20}, // up to gentleAbove
		{15, 20}, // and not past it in one step
		{20, 30}, // then by half
		{45, 67.5},
	} {
		if got := slowStartStep(tt.from); !near(got, tt.want) {
			t.Errorf("slowStartStep(%g) = %g, want %g", tt.from, got, tt.want)
		}
	}
}

func TestHeld(t *testing.T) {
	// A climb by a fifth from 40 to 48 that draws a 429: the limit lies
	// between, and probing resumes from 40, not from 95% of 48.
	s := State{Rate: 40, Ceiling: 100, Floor: 0.5, Limit: 60, Through: 30}
	s.Successes = successesPerStep - 1
	s, _ = OnSuccess(s, true)
	if !near(s.Held, 40) {
		t.Fatalf("held %g after a rise from 40, want 40", s.Held)
	}
	cut := OnSlowDown(s, false)
	if !near(cut.Limit, 40/probeFrom) || cut.Held != 0 {
		t.Errorf("limit %g, held %g after a 429 at %g; want %g, 0", cut.Limit, cut.Held, s.Rate, 40/probeFrom)
	}
	// In the probe, steps are small: the limit is the rate that drew it.
	p := State{Rate: 20.1, Ceiling: 100, Floor: 0.5, Limit: 20, Held: 20, Through: 30}
	if got := OnSlowDown(p, false); !near(got.Limit, 20.1) {
		t.Errorf("probe: limit %g, want 20.1", got.Limit)
	}
}

func TestQuota(t *testing.T) {
	for _, tt := range []struct {
		retryAfter time.Duration
		want       bool
	}{
		{0, false},               // no Retry-After: a rate
		{time.Second, false},     // a token bucket's next token
		{2 * time.Second, false}, // a slow bucket's
		{5 * time.Second, true},  // the rest of a window
		{time.Minute, true},
	} {
		if got := Quota(tt.retryAfter); got != tt.want {
			t.Errorf("Quota(%v) = %v, want %v", tt.retryAfter, got, tt.want)
		}
	}
}

func TestBookedBeforeCut(t *testing.T) {
	// At 20/s, a second request is booked 50 ms after the first; a 429 to
	// the first comes before it leaves. Booked at the old rate, it would
	// follow the first too closely: it is given back, and booked again
	// one slot of the new rate after the first.
	t0 := time.Unix(1000, 0)
	p := New(Config{Ceiling: 20, Start: 20}, nil)
	p.now = func() time.Time { panic("the test passes the time") }
	first := p.ReserveAt(t0)
	if !p.GoAt(t0, first) {
		t.Fatal("the first request was held")
	}
	second := p.ReserveAt(t0)
	if want := t0.Add(50 * time.Millisecond); !second.Sent().Equal(want) {
		t.Fatalf("second booked for %v, want %v", second.Sent().Sub(t0), want.Sub(t0))
	}
	p.SlowDownAt(t0.Add(30*time.Millisecond), first, 0)
	rate := p.Rate()
	if rate >= 20 {
		t.Fatalf("rate %g after a 429, want it cut", rate)
	}
	if p.GoAt(second.Sent(), second) {
		t.Fatal("a request booked before the cut left at the old rate")
	}
	again := p.ReserveAt(second.Sent())
	if want := t0.Add(time.Duration(float64(time.Second) / rate)); again.Sent().Before(want) {
		t.Errorf("booked again for %v after the first, want ≥ %v (one slot at %g/s)", again.Sent().Sub(t0), want.Sub(t0), rate)
	}
	if !p.GoAt(again.Sent(), again) {
		t.Error("the request booked after the cut was held")
	}
}
