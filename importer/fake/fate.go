package fake

import (
	"math"
	"net/http"
	"time"
)

// fate is everything decided about a request when it arrives.
type fate struct {
	seq       int64  // arrival index, from 0
	requestID string // set by the Server from the request itself, not drawn here
	delay     time.Duration

	outage     bool
	limited    bool
	retryAfter int  // seconds, for a 429
	windowed   bool // refused by a fixed window, which always says when it ends

	// Faults, used only for POSTs that reach an endpoint.
	reset      bool
	fail       bool
	failStatus int
	failHTML   bool
	applyReset bool
	applyFail  bool
}

// decide draws the fate of request seq. Every draw is made whatever the
// options, in a fixed order, so switching one fault on does not reshuffle
// the others.
func decide(o *Options, seq int64) fate {
	d := newDraws(o.Seed, seq)
	// The first two draws are skipped (they once made the request ID), so a
	// seed injects the same faults as before request IDs left this stream.
	d.next()
	d.next()
	f := fate{seq: seq, delay: o.Latency}
	if d.chance(o.SlowRate) {
		f.delay = o.SlowLatency
	}
	f.reset = d.chance(o.ResetRate)
	f.fail = d.chance(o.FailRate)
	f.failStatus = d.pick(failStatuses(o))
	f.failHTML = d.chance(0.5)
	f.applyReset = d.chance(o.ApplyThenResetRate)
	f.applyFail = d.chance(o.ApplyThenFailRate)
	if out := o.Outage; out != nil {
		f.outage = seq >= int64(out.After) && seq < int64(out.After)+int64(out.Count)
	}
	return f
}

// defaultFailStatuses are what a FailRate fault answers without FailStatuses.
var defaultFailStatuses = []int{http.StatusServiceUnavailable, http.StatusInternalServerError}

func failStatuses(o *Options) []int {
	if len(o.FailStatuses) == 0 {
		return defaultFailStatuses
	}
	return o.FailStatuses
}

// limitStatus is the status the hidden limit answers with.
func limitStatus(o *Options) int {
	if o.LimitStatus == 0 {
		return http.StatusTooManyRequests
	}
	return o.LimitStatus
}

func limitMessage(status int) string {
	if status == http.StatusTooManyRequests {
		return "Too many requests"
	}
	return "The service is busy. Try again later."
}

// retryAfterSeconds rounds a wait up to whole seconds, at least one, as the
// Retry-After header carries it.
func retryAfterSeconds(d time.Duration) int {
	s := math.Ceil(d.Seconds())
	switch {
	case s < 1:
		return 1
	case s > math.MaxInt32:
		return math.MaxInt32
	}
	return int(s)
}
