package fake

import (
	"fmt"
	"net/http"
)

// Check reports the first option a Server cannot honour, in words a flag's
// user can act on: shares outside 0..1, negative rates or latencies, and
// fault statuses that are not errors.
func (o Options) Check() error {
	for _, c := range []struct {
		name  string
		share float64
	}{
		{"fail rate", o.FailRate}, {"reset rate", o.ResetRate},
		{"apply-then-fail rate", o.ApplyThenFailRate}, {"apply-then-reset rate", o.ApplyThenResetRate},
		{"slow rate", o.SlowRate},
	} {
		if c.share < 0 || c.share > 1 {
			return fmt.Errorf("%s %g is not a share between 0 and 1", c.name, c.share)
		}
	}
	switch {
	case o.RateLimit < 0:
		return fmt.Errorf("rate limit %g is negative; use 0 for none", o.RateLimit)
	case o.RateBurst < 0:
		return fmt.Errorf("rate burst %d is negative", o.RateBurst)
	case o.RateWindow < 0:
		return fmt.Errorf("rate window %v is negative; use 0 for a token bucket", o.RateWindow)
	case o.RateWindow > 0 && o.RateLimit*o.RateWindow.Seconds() < 1:
		return fmt.Errorf("rate limit %g over a window of %v allows no request; raise either", o.RateLimit, o.RateWindow)
	case o.Latency < 0 || o.SlowLatency < 0:
		return fmt.Errorf("a latency is negative")
	case o.LimitStatus != 0 && o.LimitStatus != http.StatusTooManyRequests && o.LimitStatus != http.StatusServiceUnavailable:
		return fmt.Errorf("limit status %d is neither 429 nor 503", o.LimitStatus)
	}
	for _, s := range o.FailStatuses {
		if s < 500 || s > 599 {
			return fmt.Errorf("fail status %d is not a 5xx status", s)
		}
	}
	return nil
}
