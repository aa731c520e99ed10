package sender

import (
	"context"
	"errors"
	"time"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/pacer"
)

// attempt is one try of a call: its number (from 1), its turn at the pacer,
// and whether the run's retry budget allows no other after it.
type attempt struct {
	n      int
	ticket pacer.Ticket
	last   bool
}

// stoppedError is a call that ended before an attempt: the run stopped
// dispatching or its requests were cancelled (while waiting for a turn or
// before a retry).
type stoppedError struct{ err error }

func (e *stoppedError) Error() string { return e.err.Error() }
func (e *stoppedError) Unwrap() error { return e.err }

// gaveUpError is a call whose last attempt asked for a retry the budget did
// not allow; err is that attempt's error.
type gaveUpError struct {
	attempts int
	err      error
}

func (e *gaveUpError) Error() string { return e.err.Error() }
func (e *gaveUpError) Unwrap() error { return e.err }

// call is the one retry loop: a turn at the pacer before every attempt, and
// after an attempt that asks for a retry, a backoff (or the wait a
// *nutshell.Error's Retry-After asks for) while the run's retry budget
// lasts. try says whether to retry and what went wrong; call returns try's
// last error, a *gaveUpError when the budget ran out, or a *stoppedError.
func (s *Sender) call(ctx context.Context, try func(a attempt) (retry bool, err error)) error {
	for n := 1; ; n++ {
		ticket, err := s.turn(ctx)
		if err != nil {
			return &stoppedError{err}
		}
		retry, err := try(attempt{n: n, ticket: ticket, last: n > s.cfg.Retries})
		if !retry {
			return err
		}
		if n > s.cfg.Retries {
			return &gaveUpError{attempts: n, err: err}
		}
		var retryAfter time.Duration
		if apiErr := (*nutshell.Error)(nil); errors.As(err, &apiErr) {
			retryAfter = apiErr.RetryAfter
		}
		if err := s.sleep(ctx, pacer.Backoff(n, s.cfg.BackoffBase, s.cfg.BackoffMax, s.cfg.Random(), retryAfter)); err != nil {
			return &stoppedError{err}
		}
	}
}
