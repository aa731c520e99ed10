// Package fake is an in-process stand-in for the Nutshell REST API, used by
// the tests, by "leadstatus import --mock" and by "leadstatus mock".
//
// A Server serves, under the path prefix /rest, the endpoints a status
// importer touches, with the live service's observed quirks: 401 and 404
// answers are HTML pages, every answer carries an x-nutshell-request-id
// header, a status update is not idempotent (product maps are appended, so an
// update applied twice shows). Faults (rate limiting, 5xx answers, dropped
// connections, updates applied before a failure, latency, outages) are
// injected at rates drawn from a seeded generator.
//
// Where the real service's behaviour is unknown, the fake decides as follows:
//   - Order of checks for every request: Options.CheckRequest (tests only),
//     outage, rate limit, authentication, route, method, read-only key,
//     injected failures, then the endpoint.
//     A rate-limited request therefore gets 429 (or Options.LimitStatus)
//     even with bad credentials.
//   - When several POST faults are drawn at once, a drop before applying wins
//     over a 5xx, and after applying a drop wins over a 502.
//   - Latency is spent when a request arrives, before it is handled; a client
//     that gives up during it leaves no update behind, and the request is
//     recorded with status 499 (StatusClientClosed).
//   - Random faults for the n-th request to arrive are a function of the
//     seed and n only, so the same seed and the same order of requests give
//     the same faults, whatever the timing.
//   - A request ID is a function of the seed, the request (method, path and
//     query) and how many times that same request came before, so the same
//     requests give the same IDs in any order (many workers, any timing).
//   - A status update with an outcome for a lead that is already closed is
//     answered 422 (Options.OnClosed RejectClosed), or applied again
//     (ApplyToClosed); Nutshell documents neither, so tests can take both.
//   - Deleted leads are listed by GET /leads/{ids} with deletedTime set, are
//     left out of GET /leads and answer 404 to POST.
//   - GET /leads/{ids} with several IDs returns the leads that exist and
//     leaves out the rest (at most 100 IDs); if none exists it answers 404.
//   - Unknown filter[...] parameters and malformed paging answer 400 JSON, so
//     a misspelt filter never returns every lead.
//   - GET /leads?q= matches a lead number, written "123456", "Lead 123456"
//     or "Lead-123456"; anything else matches nothing.
//   - Start serves only on loopback addresses, since the fake can accept any
//     credentials.
//   - A lead's two seeded competitor maps are on it from the start (a map is
//     the competitor on the lead), so naming one in a status update changes
//     nothing; product maps are appended with fresh IDs, so an update applied
//     twice adds them twice. A lead's k-th map is lead×10000+k
//     ("1030001-productMaps" on 103-leads), so the same updates give the same
//     IDs whatever the timing. DELETE /productMaps/{id} takes one off (204); a
//     map not on a lead answers 404.
//
// The lead JSON follows the published schemas where they say anything and
// the API's JSON:API style where they do not. A lead (FullLead) names related
// entities by ID under links, which the published Lead does not declare but
// the live service sends: links.outcome (absent while open), links.products,
// links.productMaps and links.competitorMaps (lists, never null, so "none"
// is told from "not shown"). The lead reads (GET /leads/{ids}, GET /leads)
// answer {"leads": [...], "productMaps": [...], "competitorMaps": [...]},
// side-loading each map the leads' links name as the published
// LeadProductMap (id, productType, quantity, price {amount, currency},
// links.product) and LeadCompetitorMap (id, name, status, links.lead,
// links.competitor), as GET /competitormaps side-loads leads and
// competitors. POST /leads/{id}/status and /reopen answer the bare FullLead,
// its maps named under links but not side-loaded.
package fake
