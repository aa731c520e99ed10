package nutshell

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps a server's Retry-After, so a bad header cannot stall a run.
const maxRetryAfter = 10 * time.Minute

// parseRetryAfter reads a Retry-After value: delta-seconds or an HTTP-date,
// the latter relative to the answer's Date header when it has one (the
// server's clock), else to now. The result is clamped to [0, 10m]; 0 means
// none or unreadable.
func parseRetryAfter(value, date string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs >= int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(secs) * time.Second
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0
	}
	if d, err := http.ParseTime(strings.TrimSpace(date)); err == nil {
		now = d
	}
	return min(max(at.Sub(now), 0), maxRetryAfter)
}
