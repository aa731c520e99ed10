package nutshell

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	server := now.Add(-time.Hour) // the server's clock, behind ours
	httpDate := func(t time.Time) string { return t.Format(http.TimeFormat) }
	tests := []struct {
		name  string
		value string
		date  string
		want  time.Duration
	}{
		// No header.
		{name: "empty", want: 0},
		// Delta-seconds.
		{name: "seconds", value: "120", want: 2 * time.Minute},
		// Zero means now.
		{name: "zero", value: "0", want: 0},
		// Negative seconds are nonsense: no wait.
		{name: "negative", value: "-5", want: 0},
		// A huge value is capped at ten minutes.
		{name: "huge seconds", value: "999999999999", want: maxRetryAfter},
		// An HTTP-date against our clock when there is no Date header.
		{name: "date, no Date header", value: httpDate(now.Add(45 * time.Second)), want: 45 * time.Second},
		// An HTTP-date against the server's Date header, so clock skew does not matter.
		{name: "date with Date header", value: httpDate(server.Add(30 * time.Second)), date: httpDate(server), want: 30 * time.Second},
		// A date in the past: retry now.
		{name: "past date", value: httpDate(now.Add(-time.Minute)), want: 0},
		// A date far ahead is capped.
		{name: "far date", value: httpDate(now.Add(24 * time.Hour)), want: maxRetryAfter},
		// Garbage is ignored.
		{name: "garbage", value: "soon", want: 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.value, tt.date, now); got != tt.want {
			t.Errorf("%s: parseRetryAfter(%q, %q) = %v, want %v", tt.name, tt.value, tt.date, got, tt.want)
		}
	}
}
