package nutshell

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// UpdateStatus posts body (JSON: outcomeId, competitorMaps, productMaps) to
// POST /leads/{id}/status and returns the updated lead. A nil body sends {}.
func (c *Client) UpdateStatus(ctx context.Context, leadID string, body []byte) (*Response, error) {
	op := "update status of " + strings.TrimSpace(leadID)
	id, err := cleanID(op, leadID)
	if err != nil {
		return nil, err
	}
	if body == nil {
		body = []byte("{}")
	}
	a, err := c.do(ctx, request{op: op, method: http.MethodPost, path: "/leads/" + escapeID(id) + "/status", body: body})
	if err != nil {
		return nil, err
	}
	return c.leadResponse(op, http.MethodPost, id, a)
}

// Reopen reopens a closed lead with POST /leads/{id}/reopen.
func (c *Client) Reopen(ctx context.Context, leadID string) (*Response, error) {
	op := "reopen " + strings.TrimSpace(leadID)
	id, err := cleanID(op, leadID)
	if err != nil {
		return nil, err
	}
	a, err := c.do(ctx, request{op: op, method: http.MethodPost, path: "/leads/" + escapeID(id) + "/reopen"})
	if err != nil {
		return nil, err
	}
	return c.leadResponse(op, http.MethodPost, id, a)
}

// DeleteProductMap takes product map id ("12-productMaps") off its lead with
// DELETE /productMaps/{id}, as the published document spells the path. A map
// that is already gone is an *Error of KindDefinite wrapping ErrNotFound.
func (c *Client) DeleteProductMap(ctx context.Context, id string) (*Response, error) {
	op := "take product map " + strings.TrimSpace(id) + " off its lead"
	id, err := cleanID(op, id)
	if err != nil {
		return nil, err
	}
	a, err := c.do(ctx, request{op: op, method: http.MethodDelete, path: "/productMaps/" + escapeID(id)})
	if err != nil {
		return nil, err
	}
	return &Response{StatusCode: a.status, RequestID: a.requestID}, nil
}

// Lead reads one lead with GET /leads/{id}. A lead that does not exist is an
// *Error of KindDefinite wrapping ErrNotFound.
func (c *Client) Lead(ctx context.Context, id string) (Lead, *Response, error) {
	op := "get lead " + strings.TrimSpace(id)
	id, err := cleanID(op, id)
	if err != nil {
		return Lead{}, nil, err
	}
	a, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "/leads/" + escapeID(id)})
	if err != nil {
		return Lead{}, nil, err
	}
	resp, err := c.leadResponse(op, http.MethodGet, id, a)
	if err != nil {
		return Lead{}, nil, err
	}
	if resp.Lead.ID == "" {
		return Lead{}, nil, &Error{Op: op, StatusCode: a.status, RequestID: a.requestID,
			Message: "the answer holds no lead", Kind: KindDefinite, Err: ErrNotFound}
	}
	return resp.Lead, resp, nil
}

// leadResponse decodes a lead from either shape the API uses: the lead
// object itself, or {"leads": [...]}. An empty body is a success without a
// lead.
func (c *Client) leadResponse(op, method, id string, a *answer) (*Response, error) {
	resp := &Response{StatusCode: a.status, RequestID: a.requestID}
	if len(bytes.TrimSpace(a.body)) == 0 {
		return resp, nil
	}
	leads, _, err := decodeLeads(a.body)
	if err != nil {
		return nil, c.shapeError(op, method, a, err)
	}
	for _, l := range leads {
		if sameID(l.ID, id) {
			resp.Lead = l
			return resp, nil
		}
	}
	if len(leads) > 0 {
		resp.Lead = leads[0]
	}
	return resp, nil
}

// LeadBatch reads the leads of one batch from Batches with one
// GET /leads/a,b,c. Leads that do not exist are absent from the result. A
// server may instead answer 404 for the whole batch when one lead is
// missing: the error then wraps ErrNotFound and the caller halves the batch,
// each half a request of its own.
func (c *Client) LeadBatch(ctx context.Context, ids []string) ([]Lead, error) {
	op := "get lead " + ids[0]
	if len(ids) > 1 {
		op = fmt.Sprintf("get %d leads from %s", len(ids), ids[0])
	}
	a, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "/leads/" + joinIDs(ids)})
	if err != nil {
		return nil, err
	}
	leads, _, err := decodeLeads(a.body)
	if err != nil {
		return nil, c.shapeError(op, http.MethodGet, a, err)
	}
	out := leads[:0]
	got := make(map[string]bool, len(leads))
	for _, l := range leads {
		if l.ID == "" || got[l.ID] {
			continue
		}
		got[l.ID] = true
		out = append(out, l)
	}
	return out, nil
}

// LeadsByNumber finds the leads whose number (the serial users see, not the
// ID) is number: with GET /leads?filter[number]=N (observed in public client
// code), or with search, GET /leads?q=N (declared). It reads one page and
// keeps only exact matches, so a server that ignored the filter cannot
// produce a wrong lead; a filtered answer with leads but no match shows the
// filter was ignored, and the error then wraps ErrFilterIgnored.
func (c *Client) LeadsByNumber(ctx context.Context, number string, search bool) ([]Lead, error) {
	number = strings.TrimSpace(number)
	op := "find lead number " + number
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil || n <= 0 {
		return nil, &Error{Op: op, Message: fmt.Sprintf("%q is not a lead number; give the number without a prefix, e.g. 1001", number), Kind: KindDefinite}
	}
	q := url.Values{}
	if search {
		q.Set("q", strconv.FormatInt(n, 10))
	} else {
		q.Set("filter[number]", strconv.FormatInt(n, 10))
	}
	leads, err := c.leadsPage(ctx, op, q)
	if err != nil {
		return nil, err
	}
	var out []Lead
	for _, l := range leads {
		if l.Number == n {
			out = append(out, l)
		}
	}
	if len(out) == 0 && len(leads) > 0 && !search {
		return nil, &Error{Op: op, Message: fmt.Sprintf("the answer holds leads of other numbers (%d): the filter was not applied", leads[0].Number), Kind: KindDefinite, Err: ErrFilterIgnored}
	}
	return out, nil
}

// LeadsByNumbers finds the leads of several numbers in one read, with
// GET /leads?filter[number]=N,M,… (several numbers joined by commas, as lead
// IDs are in a read; not declared). It keeps only exact matches, by number;
// a number it does not return is not known to be missing (a server may
// have read only one of them), so callers look such numbers up one at a
// time. An answer holding a lead of a number not asked for shows the filter
// was not applied, and the error then wraps ErrFilterIgnored.
func (c *Client) LeadsByNumbers(ctx context.Context, numbers []int64) (map[int64][]Lead, error) {
	parts := make([]string, len(numbers))
	for i, n := range numbers {
		parts[i] = strconv.FormatInt(n, 10)
	}
	op := "find lead numbers " + strings.Join(parts, ", ")
	if len(parts) > 3 {
		op = fmt.Sprintf("find lead numbers %s and %d more", strings.Join(parts[:3], ", "), len(parts)-3)
	}
	q := url.Values{}
	q.Set("filter[number]", strings.Join(parts, ","))
	leads, err := c.leadsPage(ctx, op, q)
	if err != nil {
		return nil, err
	}
	asked := make(map[int64]bool, len(numbers))
	for _, n := range numbers {
		asked[n] = true
	}
	out := make(map[int64][]Lead)
	for _, l := range leads {
		if !asked[l.Number] {
			return nil, &Error{Op: op, Message: fmt.Sprintf("the answer holds a lead of another number (%d): the filter was not applied", l.Number), Kind: KindDefinite, Err: ErrFilterIgnored}
		}
		out[l.Number] = append(out[l.Number], l)
	}
	return out, nil
}

// sameID reports whether two IDs name the same entity, allowing for the
// plain-integer form the API also accepts ("1006" and "1006-leads").
func sameID(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	an, at, _ := strings.Cut(a, "-")
	bn, bt, _ := strings.Cut(b, "-")
	return an != "" && an == bn && (at == "" || bt == "")
}

// shapeError reports a 2xx answer that could not be decoded. For a POST the
// change may have been applied all the same.
func (c *Client) shapeError(op, method string, a *answer, err error) *Error {
	body := bytes.TrimSpace(a.body)
	var msg string
	if len(body) > 0 && (body[0] == '{' || body[0] == '[') {
		msg = "the answer is JSON but not in the form expected: " + clean(err.Error())
	} else {
		msg = fmt.Sprintf("the server answered with %s instead of JSON; check --url", describeBody(a.header.Get("Content-Type"), body))
	}
	return c.redactor.scrub(&Error{Op: op, StatusCode: a.status, RequestID: a.requestID, Message: msg,
		Kind: settle(method, KindAmbiguous, KindDefinite), Err: err})
}

// leadsPage reads the first page of GET /leads with query q, as long as a
// page may be.
func (c *Client) leadsPage(ctx context.Context, op string, q url.Values) ([]Lead, error) {
	q.Set("page[limit]", strconv.Itoa(pageLimit))
	a, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "/leads", query: q})
	if err != nil {
		return nil, err
	}
	leads, _, err := decodeLeads(a.body)
	if err != nil {
		return nil, c.shapeError(op, http.MethodGet, a, err)
	}
	return leads, nil
}
