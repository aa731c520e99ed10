package pacer

import (
	"math"
	"time"
)

// State is what the adaptive rate decisions need; it holds no clock, so the
// decisions are pure and testable with tables.
type State struct {
	Rate      float64 // current rate
	Ceiling   float64 // the user's ceiling
	Floor     float64
	Limit     float64 // rate at which the server last said "slow down"; 0 = none seen
	Successes int     // successes counted toward the next step up
	Through   int     // successes since the rate was last cut
	// SlowStart: the rate doubles after each window of successes up to the
	// ceiling, and the first slow-down, which ends it, may cut deeper.
	SlowStart bool
	// Noise is the share of 503s the service gives at rates below any limit:
	// its own faults, which no slowing down would cure.
	Noise Share
	// Window counts the answers since the rate last changed, or since it
	// entered the probe above a known limit; Rose says the rate rose into it.
	Window Share
	Rose   bool
	// Tentative: Limit comes from the first slow-down of a slow start, on
	// thin evidence; the rate climbs back past it quickly, and if nothing
	// says "slow down" there, slow start resumes.
	Tentative bool
	// Flight counts the answers to the requests already on their way when
	// the server first said "slow down": sent at one rate after a limiter
	// that allows bursts ran dry, the share of them that got through
	// estimates what it sustains, which may be far below the rate that got
	// through while its burst lasted.
	Flight Flight
	// Held is the rate the last rise came from, which a window of
	// successes held without a slow-down (0: none since the last cut).
	Held float64
}

// Flight is the rate at which a flight of requests was sent, how many there
// were, how they were answered, and how many were sent at that rate before
// the first one refused (Before): a limit without a burst refuses at once,
// one whose burst ran dry only after a while.
type Flight struct{ From, Size, OK, Refused, Before float64 }

// Share counts answers and the 503s among them.
type Share struct{ Answers, Unavailable float64 }

// Tuning of the adaptive rate. A run starts at a few requests a second and
// doubles after each window of successes (slow start; by half above
// gentleAbove), so a ceiling far above the server's limit costs few 429s.
// After a 429 the rate drops to 85% (less when most requests since the last
// cut were refused), climbs back quickly to 95% of the rate that drew the
// 429 (or to the rate it rose from, if that is lower), then probes above it
// slowly: most of the time is spent just under the server's limit, and a
// 429 comes only once per long probe, so 429s stay rare.
const (
	DefaultStart     = 5  // requests per second a run starts at, below the ceiling
	slowStartWindow  = 5  // successes at one rate before it doubles
	gentleAbove      = 20 // requests per second above which slow start goes up by half, not double
	gentleFactor     = 1.5
	decreaseFactor   = 0.85
	successesPerStep = 10   // successes before each step up
	recoverStep      = 0.05 // of the ceiling, or of the last limit once one is known
	recoverFactor    = 1.2  // or this times the rate, if more, while under deepCut of the last limit
	deepCut          = 0.75 // as after the first cut of a slow start
	probeFrom        = 0.95 // of the last limit: from here on climb slowly
	probeStep        = 0.005
	probeSuccesses   = 20
	forgetAbove      = 1.05 // of the last limit: past it without a 429, the server has more room

	// A 503 is a load signal only when the share of 503s since the rate
	// rose exceeds the service's own share (its noise) by more than
	// loadSigmas standard errors, with at least minLoad503s among at least
	// minWindowAnswers, and the noise measured over at least
	// minNoiseAnswers answers.
	loadSigmas       = 2.5
	minLoad503s      = 2
	minNoiseAnswers  = 5
	minWindowAnswers = 10
	// Slow start waits on a window with more 503s than the noise for this
	// many answers at most: long enough to prove load if there is any.
	settledWindow = 30
	noiseMemory   = 200 // answers the noise estimate remembers

	quotaAfter     = 5 * time.Second // a Retry-After this long speaks of a count per window
	flightRefusals = 3               // refusals in one flight that prove a dry burst
	flightAnswered = 0.8             // of a flight, answered before it is judged
	dryAfter       = 2               // requests sent at a rate before its first refusal that show a burst ran dry
)

// Initial returns the state a run starts in: at start (0 → DefaultStart),
// in slow start unless that is already the ceiling.
func Initial(ceiling, floor, start float64) State {
	if start <= 0 {
		start = DefaultStart
	}
	start = math.Min(start, ceiling)
	return State{Rate: start, Ceiling: ceiling, Floor: floor, SlowStart: start < ceiling}
}

// Quota reports whether a "slow down" that asks to wait retryAfter speaks of
// a count per window (per minute, per hour) that ran out rather than of a
// rate: a token bucket's Retry-After is the time to its next token, a
// second or two.
func Quota(retryAfter time.Duration) bool { return retryAfter >= quotaAfter }

// OnSlowDown returns the state after the server said "slow down" (a 429, or
// a 503 that OnUnavailable judged a load signal). answered: a cut already
// answered it (the request left before the rate was last cut); only requests
// sent at the current rate cut it again, which stops one burst of 429s from
// cutting once per worker (but see OnFlightRefusal).
func OnSlowDown(s State, answered bool) State {
	ok := float64(s.Successes)
	s.Successes = 0
	if answered {
		return s
	}
	// Only the flight that ends a slow start can have run far past the
	// limit: later ones start from under a limit already found.
	s.Flight = Flight{}
	if s.SlowStart {
		s.Flight = Flight{From: s.Rate, Refused: 1}
	}
	// The limit lies between the rate that held and this one: probing
	// resumes from the one that held, not from a step too far.
	s.Limit, s.Tentative = s.Rate, false
	if s.Held > 0 && !s.SlowStart {
		s.Limit = math.Min(s.Rate, s.Held/probeFrom)
	}
	s.Held = 0
	// Cut by the share of the requests since the last cut that got
	// through, counting this refusal as one: after a long run of
	// successes, by little more than decreaseFactor; when the last cut let
	// nothing more through, by half, so a rate far past the limit comes
	// down in few refusals.
	through := float64(s.Through)
	s.Through = 0
	next := decreaseFactor * s.Rate * math.Max(0.5, (through+1)/(through+2))
	if s.SlowStart {
		// The rate doubled into the limit: it lies between the last rate,
		// which drew no slow-down, and this one. The share of the requests
		// sent at this rate that got through estimates it; one refusal is
		// thin evidence, so the limit stays tentative.
		s.SlowStart, s.Tentative = false, true
		next = decreaseFactor * math.Max(s.Rate/2, s.Rate*ok/(ok+s.Window.Unavailable+1))
	}
	s.Rate = math.Max(s.Floor, next)
	s.Window, s.Rose = Share{}, false
	return s
}

// OnFlightSuccess returns the state after a success of a request of the
// flight that ended a slow start: sent after its first refused one, before
// the cut that refusal drew.
func OnFlightSuccess(s State) State {
	s.Flight.OK++
	return fromFlight(s)
}

// OnFlightRefusal returns the state after a refusal of a request of that
// flight, which may show the limit far below where a burst let the rate get.
func OnFlightRefusal(s State) State {
	s.Flight.Refused++
	return fromFlight(s)
}

// fromFlight cuts the rate to below what the flight's share of successes
// says the server sustains, once most of it is answered (answers come out of
// order) and at least flightRefusals of it were refused: fewer could be bad
// luck. Half a success is added, so a flight refused whole still gives a
// rate to climb back from.
func fromFlight(s State) State {
	f := s.Flight
	answered := f.OK + f.Refused
	if f.From == 0 || answered < flightAnswered*f.Size || f.Refused < flightRefusals && (answered < f.Size || f.Refused < 2) {
		return s
	}
	est := f.From * (f.OK + 0.5) / (f.OK + f.Refused + 0.5)
	cut := decreaseFactor
	switch {
	case est < f.From/3:
		// Slow start got here from a rate at least half this one, so a
		// limit without a burst is no lower, though it refuses about
		// half of a flight (tokens it cannot hold are lost): a share well
		// below that shows a burst that hid the limit, and how far.
		cut = deepCut
	case f.Before < dryAfter:
		// Refused at once: a limit without a burst, somewhere between
		// this rate and the last. It stays tentative, but the rate goes
		// no higher than the share says.
		if next := math.Max(s.Floor, decreaseFactor*est); next < s.Rate {
			s.Rate = next
			s.Window, s.Rose = Share{}, false
		}
		return s
	}
	// A burst ran dry: the share estimates the limit, from a few answers.
	// Probing resumes from the rate cut to, not from a step above it.
	if next := math.Max(s.Floor, cut*est); next < s.Rate {
		s.Rate, s.Limit, s.Tentative = next, next/probeFrom, false
		s.Window, s.Rose = Share{}, false
	}
	return s
}

// OnUnavailable returns the state after a 503, and whether it is a load
// signal the caller must treat as a slow-down. A 503 that brings a
// Retry-After is one; otherwise only a share of 503s that rose with the rate
// beyond the service's own noise is: random 503s come at any rate, and
// cutting for them would only drag the rate down.
func OnUnavailable(s State, retryAfter bool) (State, bool) {
	s.Window.Answers++
	s.Window.Unavailable++
	if retryAfter {
		return s, true
	}
	if s.Rose && s.Noise.Answers >= minNoiseAnswers && tooMany(s.Window, s.Noise, loadSigmas) {
		return s, true
	}
	return s, false
}

// tooMany reports whether window w holds more 503s than the noise explains:
// its share of them exceeds the noise's by more than sigmas standard errors
// of the difference (a two-proportion test, fair to a noise estimate taken
// from few answers), with at least minLoad503s among minWindowAnswers.
func tooMany(w, noise Share, sigmas float64) bool {
	return w.Answers >= minWindowAnswers && excess(w, noise, sigmas)
}

// excess is tooMany without the least number of answers: enough for slow
// start to wait and see.
func excess(w, noise Share, sigmas float64) bool {
	if w.Unavailable < minLoad503s || noise.Answers == 0 {
		return false
	}
	pooled := (w.Unavailable + noise.Unavailable) / (w.Answers + noise.Answers)
	se := math.Sqrt(pooled * (1 - pooled) * (1/w.Answers + 1/noise.Answers))
	return w.Unavailable/w.Answers-noise.Unavailable/noise.Answers > sigmas*se
}

// OnSuccess returns the state after a request succeeded, and whether the
// rate changed. current: the request was sent at the current rate; in slow
// start only those count, so answers still in flight from a lower rate do
// not double it again before it has been tried.
func OnSuccess(s State, current bool) (State, bool) {
	s.Window.Answers++
	s.Through++
	if s.Rate >= s.Ceiling {
		if s.SlowStart && current {
			s.Successes++ // for the estimate of a first slow-down
		}
		return s, false
	}
	if s.SlowStart {
		if !current {
			return s, false
		}
		s.Successes++
		if s.Successes < slowStartWindow || s.Window.Answers < settledWindow && excess(s.Window, s.Noise, 1) {
			// Not while 503s look like more than noise: wait for the
			// window to tell.
			return s, false
		}
		s.Rate = math.Min(s.Ceiling, slowStartStep(s.Rate))
		return rose(s, true), true
	}
	s.Successes++
	if s.Tentative && s.Successes >= successesPerStep && s.Window.Answers < settledWindow && excess(s.Window, s.Noise, 1) {
		// Not while 503s look like more than noise, as in slow start.
		return s, false
	}
	probing := s.Limit > 0 && !s.Tentative && s.Rate >= s.Limit*probeFrom
	need := successesPerStep
	if probing {
		need = probeSuccesses
	}
	if s.Successes < need {
		return s, false
	}
	next := s.Rate + math.Max(0.05, s.Ceiling*recoverStep)
	switch {
	case probing:
		next = s.Rate + math.Max(0.01, s.Limit*probeStep)
	case s.Tentative:
		// Back past a limit seen once, by a fifth at a time.
		next = math.Max(s.Rate+s.Limit*recoverStep, s.Rate*recoverFactor)
	case s.Limit > 0:
		// Recover fast (from a deep cut, by a fifth at a time), but stop
		// where the probe begins.
		step := s.Rate + s.Limit*recoverStep
		if s.Rate < s.Limit*deepCut {
			step = math.Max(step, s.Rate*recoverFactor)
		}
		next = math.Min(step, math.Max(s.Limit*probeFrom, s.Rate+0.01))
	}
	// Answers at a rate below the probe are the service's noise; in the
	// probe, 503s add up across its small steps until they are too many.
	below := s.Limit == 0 || s.Rate < s.Limit*probeFrom
	s.Held = s.Rate
	s.Rate = math.Min(s.Ceiling, next)
	if s.Limit > 0 && s.Rate > s.Limit*forgetAbove {
		// Past it without a slow-down: after a tentative limit, the first
		// refusal was a fluke and slow start resumes.
		s.SlowStart = s.Tentative && s.Rate < s.Ceiling
		s.Limit, s.Tentative = 0, false
	}
	return rose(s, below), true
}

// slowStartStep is the rate slow start goes to from rate: double, while
// few requests are in flight; above gentleAbove by half again, since the
// requests sent past a limit before its first refusal comes back grow with
// the rate, and a limiter with a burst shows its limit only once the ramp
// has spent the burst.
func slowStartStep(rate float64) float64 {
	if rate < gentleAbove {
		return math.Min(2*rate, gentleAbove)
	}
	return gentleFactor * rate
}

// rose ends a window after the rate went up: its answers join the noise
// estimate if they were taken below any known limit and look like it (a
// window with more 503s than that, which did not quite prove load, is left
// out rather than let it teach that such a share is normal), and a new
// window starts; in the probe the window carries on, fading.
func rose(s State, below bool) State {
	s.Successes = 0
	s.Rose = true
	if !below {
		// Halved, so the 503s of the last few steps count most and the
		// clean answers from under the limit do not hide them.
		s.Window.Answers /= 2
		s.Window.Unavailable /= 2
		return s
	}
	if s.Noise.Answers >= minNoiseAnswers && tooMany(s.Window, s.Noise, 1) {
		s.Window = Share{}
		return s
	}
	s.Noise.Answers += s.Window.Answers
	s.Noise.Unavailable += s.Window.Unavailable
	if s.Noise.Answers > noiseMemory {
		k := noiseMemory / s.Noise.Answers
		s.Noise.Answers *= k
		s.Noise.Unavailable *= k
	}
	s.Window = Share{}
	return s
}
