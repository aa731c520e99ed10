package fake

import "time"

// Options configures a Server: its seeded data, accepted credentials and the
// faults it injects. The zero value serves 1000 open leads, accepts any
// non-empty credentials and injects nothing.
type Options struct {
	// Leads is how many leads exist, 1-leads to N-leads (0 → 1000). Lead state
	// is created only for leads that are changed, so N can be very large.
	Leads int
	// Username and APIKey are the HTTP Basic credentials accepted. An empty
	// one accepts any non-empty value; both empty accept any non-empty pair.
	Username string
	APIKey   string
	// ReadOnlyKey, if set, authenticates (with Username) but every POST made
	// with it gets 403.
	ReadOnlyKey string
	// Seed seeds request IDs and every random fault decision.
	Seed int64
	// ClosedLeads start closed: status "won", links.outcome "1-outcomes".
	// IDs are "7-leads" or "7"; others, and IDs beyond Leads, are ignored.
	ClosedLeads []string
	// DeletedLeads exist with deletedTime set; POSTs to them answer 404.
	DeletedLeads []string

	// RateLimit is a hidden token bucket over all requests, in requests per
	// second (0 = none); RateBurst is its size (0 → 1).
	RateLimit float64
	RateBurst int
	// LimitStatus is the status the hidden limit answers with (0 → 429);
	// 503 plays a service that sheds load instead of saying "too many".
	LimitStatus int
	// RetryAfter sends Retry-After (whole seconds) with each answer of the
	// hidden limit.
	RetryAfter bool
	// FailRate is the probability that a POST is answered with one of
	// FailStatuses, with a JSON or HTML body, without being applied.
	FailRate float64
	// FailStatuses are the statuses a FailRate fault picks from, evenly
	// (empty → 503 and 500).
	FailStatuses []int
	// ResetRate is the probability that a POST's connection is dropped with
	// no answer, without being applied.
	ResetRate float64
	// ApplyThenFailRate is the probability that an update is applied and then
	// answered 502 Bad Gateway (HTML).
	ApplyThenFailRate float64
	// ApplyThenResetRate is the probability that an update is applied and the
	// connection then dropped with no answer.
	ApplyThenResetRate float64
	// Latency is added to every request; a SlowRate share of requests take
	// SlowLatency instead.
	Latency     time.Duration
	SlowRate    float64
	SlowLatency time.Duration
	// Outage, if set, fails a run of consecutive requests.
	Outage *Outage
	// RecordBodies keeps request bodies in the record and in AppliedBodies.
	RecordBodies bool
	// NoRecord keeps no per-request record (Requests returns nil), for runs
	// of millions of requests; Stats, Applied and Lead still work.
	NoRecord bool
}

// Outage fails Count requests in a row, starting with the request that
// arrives after After others: with 503 and an HTML page, or with a dropped
// connection when Reset is set.
type Outage struct {
	After int
	Count int
	Reset bool
}
