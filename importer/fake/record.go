package fake

import (
	"maps"
	"time"
)

// StatusClientClosed is the status recorded for a request whose client went
// away before it was answered (nginx's convention); nothing is sent.
const StatusClientClosed = 499

// StatusNoResponse is the status recorded when the connection was dropped on
// purpose with no answer.
const StatusNoResponse = 0

// Request is the record of one request the Server received.
type Request struct {
	Time      time.Time // arrival
	Method    string
	Path      string // as received, escaped
	Query     string // raw query, without "?"
	Body      []byte // nil unless Options.RecordBodies
	Status    int    // StatusNoResponse for a dropped connection, StatusClientClosed if the client left
	Applied   bool   // a status update or reopen took effect
	Lead      string // the lead addressed: its full ID if valid ("7-leads"), else the path segment as sent
	RequestID string // the x-nutshell-request-id header (also set on dropped requests, though never sent)
}

// Stats are counts for benchmarks and load tests.
type Stats struct {
	Requests        int         // requests received, answered or not
	ByStatus        map[int]int // finished requests by status (see Request.Status)
	TooManyRequests int         // 429 answers
	Resets          int         // connections dropped on purpose
	// MaxPerSecond is the most requests that arrived within any sliding
	// one-second window (t-1s, t].
	MaxPerSecond int
	Applied      int // status updates and reopens applied
}

// counters are the server's running totals, guarded by Server.mu.
type counters struct {
	requests int
	byStatus map[int]int
	applied  int
	window   arrivals
}

func (c *counters) snapshot() Stats {
	return Stats{
		Requests:        c.requests,
		ByStatus:        maps.Clone(c.byStatus),
		TooManyRequests: c.byStatus[429],
		Resets:          c.byStatus[StatusNoResponse],
		MaxPerSecond:    c.window.max,
		Applied:         c.applied,
	}
}

// arrivals tracks arrival times (since the server started) in the last
// second, to find the busiest sliding one-second window.
type arrivals struct {
	times []time.Duration
	head  int
	max   int
}

// add records an arrival at t; arrivals come in non-decreasing order.
func (a *arrivals) add(t time.Duration) {
	for a.head < len(a.times) && a.times[a.head] <= t-time.Second {
		a.head++
	}
	a.times = append(a.times, t)
	if n := len(a.times) - a.head; n > a.max {
		a.max = n
	}
	// Reuse the front of the slice once most of it has expired, so memory
	// stays proportional to the rate, not to the run.
	if a.head >= 1024 && 2*a.head >= len(a.times) {
		n := copy(a.times, a.times[a.head:])
		a.times = a.times[:n]
		a.head = 0
	}
}

// record is one entry of the request log, guarded by Server.mu.
type record struct {
	at        time.Time
	method    string
	path      string
	query     string
	body      []byte
	requestID string
	status    int
	applied   bool
}
