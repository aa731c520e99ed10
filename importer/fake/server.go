package fake

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxBody bounds a request body; status updates are a few hundred bytes.
const maxBody = 1 << 20

// StatusPending is the status of a recorded request still being handled.
const StatusPending = -1

// Server is the fake Nutshell API; it is an http.Handler serving under
// /rest. It is safe for concurrent use.
type Server struct {
	opts       Options
	leads      int64
	limiter    *rate.Limiter // nil without a token-bucket limit
	start      time.Time
	closed     map[int64]bool // seeded closed leads
	deleted    map[int64]bool
	deletedIDs []int64 // sorted, for paging past deleted leads

	mu       sync.Mutex
	seq      int64
	seen     map[uint64]uint32 // request key → times received, for request IDs
	records  []record
	stats    counters
	state    map[int64]*leadState // only leads changed since the start
	window   int64                // the fixed window now counting (Options.RateWindow)
	inWindow int                  // requests it let through
}

// New returns a Server with the given options; see Options for defaults.
func New(opts Options) *Server {
	s := &Server{
		opts:    opts,
		leads:   int64(opts.Leads),
		start:   time.Now(),
		closed:  make(map[int64]bool),
		deleted: make(map[int64]bool),
		stats:   counters{byStatus: make(map[int]int)},
		state:   make(map[int64]*leadState),
		seen:    make(map[uint64]uint32),
	}
	if s.leads <= 0 {
		s.leads = 1000
	}
	if opts.RateLimit > 0 && opts.RateWindow == 0 {
		s.limiter = rate.NewLimiter(rate.Limit(opts.RateLimit), max(opts.RateBurst, 1))
	}
	for _, id := range opts.ClosedLeads {
		if n, ok := parseID(id, entityLeads); ok && n <= s.leads {
			s.closed[n] = true
		}
	}
	for _, id := range opts.DeletedLeads {
		if n, ok := parseID(id, entityLeads); ok && n <= s.leads && !s.deleted[n] {
			s.deleted[n] = true
			s.deletedIDs = append(s.deletedIDs, n)
		}
	}
	slices.Sort(s.deletedIDs)
	return s
}

// ServeHTTP answers one request, injecting the faults its options ask for.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, bodyErr := readBody(w, r)
	f := s.arrive(r, body)
	if !sleep(r.Context(), f.delay) {
		s.finish(f.seq, StatusClientClosed, false)
		return
	}
	resp, applied := s.respond(r, body, bodyErr, f)
	if resp.reset && !canDrop(w) {
		// The connection cannot be taken over (HTTP/2, a recorder): a
		// gateway error is the nearest thing.
		resp = htmlResponse(http.StatusBadGateway)
	}
	// Record before answering, so a client that has its answer (or its
	// dropped connection) finds it in Requests and Stats.
	if resp.reset {
		s.finish(f.seq, StatusNoResponse, applied)
		dropConnection(w)
		return
	}
	s.finish(f.seq, resp.status, applied)
	resp.write(w, f.requestID)
}

// respond decides the answer to a request that was not abandoned, and
// whether an update was applied.
func (s *Server) respond(r *http.Request, body []byte, bodyErr error, f fate) (response, bool) {
	if s.opts.CheckRequest != nil {
		if err := s.opts.CheckRequest(r, body); err != nil {
			return messageResponse(http.StatusBadRequest, "The request does not follow Nutshell's published API: %s", err), false
		}
	}
	switch {
	case f.outage:
		if s.opts.Outage.Reset {
			return response{reset: true}, false
		}
		return htmlResponse(http.StatusServiceUnavailable), false
	case f.limited:
		status := limitStatus(&s.opts)
		resp := messageResponse(status, "%s", limitMessage(status))
		if s.opts.RetryAfter || f.windowed {
			resp.retryAfter = f.retryAfter
		}
		return resp, false
	}
	acc := s.authenticate(r)
	if acc == denied {
		return htmlResponse(http.StatusUnauthorized), false
	}
	rt, ok := s.route(r)
	if !ok {
		return htmlResponse(http.StatusNotFound), false
	}
	if r.Method != rt.method {
		resp := htmlResponse(http.StatusMethodNotAllowed)
		resp.allow = rt.method
		return resp, false
	}
	if rt.method != http.MethodGet {
		switch {
		case acc == readOnly:
			return htmlResponse(http.StatusForbidden), false
		case f.reset:
			return response{reset: true}, false
		case f.fail && f.failHTML:
			return htmlResponse(f.failStatus), false
		case f.fail:
			return messageResponse(f.failStatus, "The server could not complete the request. Try again later."), false
		case bodyErr != nil:
			return bodyErrorResponse(bodyErr), false
		}
	}
	resp, applied := rt.serve(body)
	if applied {
		switch {
		case f.applyReset:
			return response{reset: true}, true
		case f.applyFail:
			return htmlResponse(http.StatusBadGateway), true
		}
	}
	return resp, applied
}

// arrive numbers the request, counts it and draws its fate.
func (s *Server) arrive(r *http.Request, body []byte) fate {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	f := decide(&s.opts, s.seq)
	s.seq++
	key := requestKey(r.Method, r.URL.EscapedPath(), r.URL.RawQuery)
	f.requestID = requestID(s.opts.Seed, key, s.seen[key])
	s.seen[key]++
	s.stats.requests++
	s.stats.window.add(now.Sub(s.start))
	// Requests during an outage never reach the limiter, as they would stop
	// at a failing gateway in front of it.
	if s.limiter != nil && !f.outage && !s.limiter.AllowN(now, 1) {
		f.limited = true
		res := s.limiter.ReserveN(now, 1)
		f.retryAfter = retryAfterSeconds(res.DelayFrom(now))
		res.CancelAt(now)
	}
	if w := s.opts.RateWindow; w > 0 && s.opts.RateLimit > 0 && !f.outage {
		since := now.Sub(s.start)
		if n := int64(since / w); n != s.window {
			s.window, s.inWindow = n, 0
		}
		if float64(s.inWindow) >= s.opts.RateLimit*w.Seconds() {
			f.limited, f.windowed = true, true
			f.retryAfter = retryAfterSeconds(time.Duration(s.window+1)*w - since)
		} else {
			s.inWindow++
		}
	}
	if !s.opts.NoRecord {
		rec := record{
			at:        now,
			method:    r.Method,
			path:      r.URL.EscapedPath(),
			query:     r.URL.RawQuery,
			requestID: f.requestID,
			status:    StatusPending,
		}
		if s.opts.RecordBodies {
			rec.body = body
		}
		s.records = append(s.records, rec)
	}
	return f
}

// finish records how request seq ended.
func (s *Server) finish(seq int64, status int, applied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.byStatus[status]++
	if seq < int64(len(s.records)) {
		s.records[seq].status = status
		s.records[seq].applied = applied
	}
}

// readBody reads at most maxBody bytes of the request body.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
}

// bodyErrorResponse answers a POST whose body could not be read.
func bodyErrorResponse(err error) response {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return messageResponse(http.StatusRequestEntityTooLarge, "The request body is larger than 1 MiB.")
	}
	return messageResponse(http.StatusBadRequest, "The request body could not be read.")
}

// sleep waits d unless ctx ends first; it reports whether the wait ran out.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
