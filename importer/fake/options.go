package fake

import (
	"fmt"
	"net/http"
	"time"
)

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
	// Seed seeds request IDs (with the request itself: method, path, query
	// and how many times it came before) and every random fault decision.
	Seed int64
	// ClosedLeads start closed: status "won", links.outcome "1-outcomes".
	// IDs are "7-leads" or "7"; others, and IDs beyond Leads, are ignored.
	ClosedLeads []string
	// DeletedLeads exist with deletedTime set; POSTs to them answer 404.
	DeletedLeads []string
	// OnClosed is what a status update with an outcome does to a lead that
	// is already closed, which Nutshell does not document: RejectClosed
	// (the zero value) or ApplyToClosed.
	OnClosed ClosedPolicy

	// RateLimit is a hidden token bucket over all requests, in requests per
	// second (0 = none); RateBurst is its size (0 → 1).
	RateLimit float64
	RateBurst int
	// RateWindow, if set, makes the hidden limit a count per fixed window
	// instead of a token bucket: RateLimit × RateWindow requests in each
	// window from the server's start, the rest refused with a Retry-After
	// (sent whatever RetryAfter says) until the window ends.
	RateWindow time.Duration
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
	// HideMaps plays a server whose leads show only the published Lead: no
	// links.products, links.productMaps or links.competitorMaps and no maps
	// side-loaded beside them, so a read cannot tell which maps a lead has.
	HideMaps bool
	// RecordBodies keeps request bodies in the record and in AppliedBodies.
	RecordBodies bool
	// CheckRequest, if set, is called with every request and its body
	// before the fake handles it; an error is answered 400 with its text,
	// and nothing is applied. Tests set it (see package contract) to hold
	// every request to Nutshell's published OpenAPI document.
	CheckRequest func(r *http.Request, body []byte) error
	// The kinds of server the published document allows, for tests that
	// must hold against each (the zero value is the most helpful kind).
	//
	// RefuseUndeclaredQuery answers 400 to a query parameter the document
	// does not declare for its path: paging on GET /products,
	// /competitors and /competitormaps, filter[lead] on GET /competitormaps.
	RefuseUndeclaredQuery bool
	// IgnoreFilters answers a list as if its filter[...] parameters were
	// not there (filter[lead] on GET /competitormaps, filter[number] on
	// GET /leads), as a server that does not know them may.
	IgnoreFilters bool
	// NoCommaIDs answers 404 to several IDs joined by commas in one read
	// (GET /leads/{ids}, /productmaps/{ids}, /competitormaps/{ids}): the
	// document declares one ID.
	NoCommaIDs bool
	// NoCompetitorLinks leaves links.competitorMaps out of a lead, and the
	// side-loaded competitor maps out of the lead reads.
	NoCompetitorLinks bool
	// ProductMapsByID names a lead's product maps under links.productMaps
	// only, without side-loading them: they are read with
	// GET /productmaps/{id}.
	ProductMapsByID bool
	// MapsNameNoLead leaves links.lead out of every competitor map served
	// (GET /competitormaps, GET /competitormaps/{id}, side-loaded), as the
	// document allows: a map read then cannot tell which lead it is of.
	MapsNameNoLead bool

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

// ClosedPolicy is what a status update with an outcome does to a lead that
// is already closed.
type ClosedPolicy int

const (
	// RejectClosed answers 422 and changes nothing.
	RejectClosed ClosedPolicy = iota
	// ApplyToClosed applies the update again, as a server without a guard
	// would: the lead takes the new outcome and its product maps are added
	// again. Applied counts each application, so a resend shows.
	ApplyToClosed
)

// ParseClosedPolicy reads "reject" or "apply", as String writes them.
func ParseClosedPolicy(s string) (ClosedPolicy, error) {
	switch s {
	case "reject":
		return RejectClosed, nil
	case "apply":
		return ApplyToClosed, nil
	}
	return RejectClosed, fmt.Errorf("%q is not a closed-lead policy; use reject or apply", s)
}

// String returns "reject" or "apply".
func (p ClosedPolicy) String() string {
	if p == ApplyToClosed {
		return "apply"
	}
	return "reject"
}
