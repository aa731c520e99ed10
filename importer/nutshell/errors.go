package nutshell

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies a failed attempt by what the caller may do next.
type Kind int

const (
	// KindDefinite means the server refused the request (400, 404, 409, 422,
	// other 4xx, a redirect) or it could not be made: do not retry.
	KindDefinite Kind = iota
	// KindRetryable means the request was not applied and is safe to retry:
	// 408, or a connection that failed before the request was written.
	KindRetryable
	// KindAmbiguous means the request may have been applied: a timeout or
	// reset after the request was written, 500, 502, 504 or another 5xx.
	KindAmbiguous
	// KindFatal means the credentials or their permissions were refused
	// (401, 403): stop everything.
	KindFatal
	// KindRateLimited is a 429: not applied, retry more slowly.
	KindRateLimited
	// KindOverloaded is a 503: not applied, retry later; a load signal only
	// when it comes with Retry-After or grows with the rate.
	KindOverloaded
)

// Retryable reports whether a failed attempt was certainly not applied and
// may be repeated.
func (k Kind) Retryable() bool {
	return k == KindRetryable || k == KindRateLimited || k == KindOverloaded
}

// String returns the kind's name as it appears in logs.
func (k Kind) String() string {
	switch k {
	case KindDefinite:
		return "definite"
	case KindRetryable:
		return "retryable"
	case KindAmbiguous:
		return "ambiguous"
	case KindFatal:
		return "fatal"
	case KindRateLimited:
		return "rate limited"
	case KindOverloaded:
		return "overloaded"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ErrNotFound is wrapped by an *Error for a 404 answer, so callers can tell a
// missing lead with errors.Is.
var ErrNotFound = errors.New("not found")

// Error is one failed attempt.
type Error struct {
	Op         string // what was attempted, e.g. "update status of 1006-leads"
	StatusCode int    // HTTP status; 0 for transport errors
	RequestID  string // x-nutshell-request-id, if any
	// Message is short human text: the JSON "message", an HTML page's
	// <title>, or the transport failure in plain words. It never holds raw
	// HTML or credentials.
	Message    string
	RetryAfter time.Duration // parsed Retry-After, clamped to [0, 10m]; 0 if none
	Kind       Kind
	Err        error // underlying error, for errors.Is(err, context.Canceled) and the like
}

// Error returns one sentence, e.g.
// "update status of 1006-leads: HTTP 422: Lead 1006-leads is already closed (request 3f2a…)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "HTTP %d: ", e.StatusCode)
	}
	b.WriteString(e.Message)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	switch e.StatusCode {
	case 401:
		b.WriteString("; check the user's e-mail address and API key")
	case 403:
		b.WriteString("; check that the API key may read and update leads")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err: the Kind of an *Error in its chain; for a
// bare context.Canceled or context.DeadlineExceeded (the caller gave up
// before this package sent anything, e.g. while waiting for a rate limiter)
// KindRetryable; for anything else, and nil, KindDefinite.
//
// A cancellation that happens while a request is in flight comes back as an
// *Error whose Kind says whether the request had been written: Retryable
// before, Ambiguous after, since the server may have applied it.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return KindRetryable
	}
	return KindDefinite
}
