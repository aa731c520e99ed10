package stop

import (
	"context"
	"sync"

	"github.com/leadstatus/leadstatus/importer/kind"
)

// Signal is raised once; the first reason wins. It is safe for concurrent use.
type Signal struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	reason string
	kind   kind.Kind
	err    error
}

// New returns a signal that is not raised.
func New() *Signal {
	ctx, cancel := context.WithCancel(context.Background())
	return &Signal{ctx: ctx, cancel: cancel}
}

// Stop raises the signal. reason is the words a report row gets ("not sent:
// " + reason); the kind groups them in the summary; err, when not nil, is the
// error that ends the whole run (rejected credentials, a damaged input, a
// report that cannot be written).
func (s *Signal) Stop(reason string, k kind.Kind, err error) {
	s.mu.Lock()
	if s.reason == "" {
		s.reason, s.kind = reason, k
	}
	if err != nil && s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	s.cancel()
}

// Done is closed once the signal is raised.
func (s *Signal) Done() <-chan struct{} { return s.ctx.Done() }

// Context is cancelled once the signal is raised: for waits that must end then
// (a turn at the rate limiter, a backoff), never for requests in flight.
func (s *Signal) Context() context.Context { return s.ctx }

// Stopped reports whether the signal is raised, with the first reason and its kind.
func (s *Signal) Stopped() (reason string, k kind.Kind, stopped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason, s.kind, s.reason != ""
}

// Err returns the error that ends the run, if any.
func (s *Signal) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
