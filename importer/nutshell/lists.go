package nutshell

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Paging of list endpoints: page[page] is 0-based, page[limit] the page size.
const (
	pageLimit = 100
	maxPages  = 1000 // 100,000 entities; more means the server ignores paging
)

// Outcomes lists the account's lead outcomes (GET /outcomes), accepting
// {"outcomes": [...]} or a bare array.
func (c *Client) Outcomes(ctx context.Context) ([]Outcome, error) {
	return list(ctx, c, "list outcomes", "/outcomes", nil, "outcomes", false, func(o Outcome) string { return o.ID }, nil)
}

// ErrPagingRefused is wrapped by the error of a catalogue list whose server
// refused page[page] and page[limit] (declared on GET /leads only): read it
// whole instead.
var ErrPagingRefused = errors.New("the server does not page this list")

// Products lists the product catalogue (GET /products), following pages;
// whole reads it in one request, without paging parameters.
func (c *Client) Products(ctx context.Context, whole bool) ([]Product, error) {
	return list(ctx, c, "list products", "/products", nil, "products", !whole, func(p Product) string { return p.ID }, nil)
}

// Competitors lists the account's competitors (GET /competitors), following
// pages; whole reads it in one request, without paging parameters.
func (c *Client) Competitors(ctx context.Context, whole bool) ([]Competitor, error) {
	return list(ctx, c, "list competitors", "/competitors", nil, "competitors", !whole, func(p Competitor) string { return p.ID }, nil)
}

// ErrFilterIgnored is wrapped by the error of a filtered list whose answer
// shows the server ignored the filter.
var ErrFilterIgnored = errors.New("the server ignored the filter")

// CompetitorMaps lists the competitor maps of the given leads, one
// GET /competitormaps?filter[lead]=ID per lead, following pages. An answer
// with a map that names another lead, or no lead, shows the server ignored
// the filter (it is not declared): the error then wraps ErrFilterIgnored.
// With no lead IDs it lists every map in the account.
func (c *Client) CompetitorMaps(ctx context.Context, leadIDs []string) ([]CompetitorMap, error) {
	idOf := func(m CompetitorMap) string { return m.ID }
	if len(leadIDs) == 0 {
		return list(ctx, c, "list competitor maps", "/competitormaps", nil, "competitorMaps", true, idOf, nil)
	}
	var out []CompetitorMap
	seen := make(map[string]bool, len(leadIDs))
	for _, raw := range leadIDs {
		op := "list competitor maps of " + strings.TrimSpace(raw)
		id, err := cleanID(op, raw)
		if err != nil {
			return nil, err
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		q := url.Values{}
		q.Set("filter[lead]", id)
		// Each page is checked as it comes: a server that ignores the
		// filter shows it on the first page, not after the whole list.
		ofLead := func(m CompetitorMap) error {
			if !sameID(m.Links.Lead, id) {
				return &Error{Op: op, Message: fmt.Sprintf("competitor map %s names lead %q: the filter was not applied", m.ID, m.Links.Lead), Kind: KindDefinite, Err: ErrFilterIgnored}
			}
			return nil
		}
		maps, err := list(ctx, c, op, "/competitormaps", q, "competitorMaps", true, idOf, ofLead)
		if err != nil {
			return nil, err
		}
		out = append(out, maps...)
	}
	return out, nil
}

// CheckAuth makes the cheapest authenticated request (GET /outcomes) and
// returns nil, or an *Error of KindFatal that says what to fix: credentials
// refused, or a base URL that does not lead to the API. Only a cancellation
// by ctx keeps its own kind.
func (c *Client) CheckAuth(ctx context.Context) error {
	const op = "check the credentials"
	a, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "/outcomes"})
	if err == nil {
		if _, _, derr := decodeList[Outcome](a.body, "outcomes"); derr != nil {
			err = c.shapeError(op, http.MethodGet, a, derr)
		}
	}
	var e *Error
	if err == nil || !errors.As(err, &e) || e.Kind == KindFatal || errors.Is(err, context.Canceled) {
		return err
	}
	fatal := *e
	fatal.Kind = KindFatal
	if e.StatusCode == http.StatusNotFound {
		fatal.Message += fmt.Sprintf("; check --url (%s should lead to the REST API, e.g. https://app.nutshell.com/rest)", c.base)
	}
	return &fatal
}

// list reads a list endpoint. When paged, it asks for pages of pageLimit and
// goes on while the answer's meta or links say there is more, or, when they
// say nothing, while pages come back full; a page with nothing new ends it.
// check, if not nil, is asked of every item as its page arrives; its error
// ends the read.
func list[T any](ctx context.Context, c *Client, op, path string, query url.Values, key string, paged bool, idOf func(T) string, check func(T) error) ([]T, error) {
	var all []T
	seen := make(map[string]bool)
	for page := 0; ; page++ {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		if paged {
			q.Set("page[limit]", strconv.Itoa(pageLimit))
			q.Set("page[page]", strconv.Itoa(page))
		}
		a, err := c.do(ctx, request{op: op, method: http.MethodGet, path: path, query: q})
		if paged && page == 0 && len(query) == 0 && isStatus(err, http.StatusBadRequest) {
			// Paging is declared on GET /leads only: the caller may ask for
			// the list whole (Whole), a read of its own.
			return nil, fmt.Errorf("%w: %w", ErrPagingRefused, err)
		}
		if err != nil {
			return nil, err
		}
		items, info, err := decodeList[T](a.body, key)
		if err != nil {
			return nil, c.shapeError(op, http.MethodGet, a, err)
		}
		fresh := 0
		for _, it := range items {
			if check != nil {
				if err := check(it); err != nil {
					return nil, err
				}
			}
			id := idOf(it)
			if id != "" {
				if seen[id] {
					continue
				}
				seen[id] = true
			}
			all = append(all, it)
			fresh++
		}
		if !paged || !morePages(info, len(items), fresh, len(all)) {
			return all, nil
		}
		if page+1 >= maxPages {
			return nil, &Error{Op: op, Message: fmt.Sprintf("stopped after %d pages; the server seems to ignore paging", maxPages), Kind: KindDefinite}
		}
	}
}

// morePages decides from one page whether to ask for the next.
func morePages(info pageInfo, got, fresh, total int) bool {
	switch {
	case got == 0 || fresh == 0:
		return false // an empty page, or a server that ignores page[page] and repeats itself
	case info.total >= 0:
		return total < info.total
	case info.hasLink:
		return info.next
	}
	return got >= pageLimit
}

// isStatus reports whether err is an *Error with the given HTTP status.
func isStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == status
}
