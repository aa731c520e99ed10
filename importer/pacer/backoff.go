package pacer

import "time"

// Backoff returns how long to wait before retry number attempt (1 = the first
// retry): "full jitter" exponential backoff, a uniformly random wait in
// [0, min(max, base·2^(attempt-1))), so that workers that failed together do not
// retry together. random returns a value in [0, 1). A server's Retry-After, when
// longer, wins.
func Backoff(attempt int, base, max time.Duration, random float64, retryAfter time.Duration) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	ceiling := max
	if attempt < 32 {
		if d := base << (attempt - 1); d > 0 && d < max {
			ceiling = d
		}
	}
	wait := time.Duration(random * float64(ceiling))
	if retryAfter > wait {
		return retryAfter
	}
	return wait
}
