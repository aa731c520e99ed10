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
//   - Order of checks for every request: outage, rate limit, authentication,
//     route, method, read-only key, injected failures, then the endpoint.
//     A rate-limited request therefore gets 429 (or Options.LimitStatus)
//     even with bad credentials.
//   - When several POST faults are drawn at once, a drop before applying wins
//     over a 5xx, and after applying a drop wins over a 502.
//   - Latency is spent when a request arrives, before it is handled; a client
//     that gives up during it leaves no update behind, and the request is
//     recorded with status 499 (StatusClientClosed).
//   - Random decisions for the n-th request to arrive are a function of the
//     seed and n only, so the same seed and the same order of requests give
//     the same faults and request IDs, whatever the timing.
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
//   - Competitor maps named in a status update are recorded on the lead and
//     shown under links.competitorMaps; product maps are appended to the
//     lead's productMaps with fresh IDs.
package fake
