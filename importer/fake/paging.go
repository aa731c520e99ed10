package fake

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Paging of list endpoints: page[page] from 0, page[limit] up to 100.
const (
	defaultLimit = 20
	maxLimit     = 100
)

// page is a requested page of a list.
type page struct{ page, limit int64 }

// listMeta is the "meta" object beside a list.
type listMeta struct {
	Page      int64 `json:"page"`
	Limit     int64 `json:"limit"`
	Count     int   `json:"count"` // items on this page
	Total     int64 `json:"total"` // items on all pages
	PageCount int64 `json:"pageCount"`
}

// parsePage reads page[page] and page[limit]; a limit above 100 is lowered
// to 100, as list APIs commonly do.
func parsePage(q url.Values) (page, error) {
	p := page{limit: defaultLimit}
	if q.Has("page[page]") {
		v := q.Get("page[page]")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return p, badf("page[page] must be a whole number from 0, not %q.", v)
		}
		p.page = n
	}
	if q.Has("page[limit]") {
		v := q.Get("page[limit]")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return p, badf("page[limit] must be a whole number from 1 to %d, not %q.", maxLimit, v)
		}
		p.limit = min(n, maxLimit)
	}
	return p, nil
}

// bounds returns the indexes [from, to) of the page's items among total.
func (p page) bounds(total int64) (from, to int64) {
	if p.page > total/p.limit {
		return total, total
	}
	from = p.page * p.limit
	return from, min(from+p.limit, total)
}

// meta describes the page holding count of total items.
func (p page) meta(count int, total int64) listMeta {
	return listMeta{Page: p.page, Limit: p.limit, Count: count, Total: total, PageCount: (total + p.limit - 1) / p.limit}
}

// onlyFilters refuses filter[...] parameters the endpoint does not know, so
// a misspelt filter cannot return every record.
func onlyFilters(q url.Values, known ...string) error {
	var unknown []string
	for k := range q {
		if strings.HasPrefix(k, "filter[") && !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	if len(known) == 0 {
		return badf("Unknown filter %q; this endpoint takes no filters.", unknown[0])
	}
	return badf("Unknown filter %q; this endpoint takes %s.", unknown[0], strings.Join(known, ", "))
}
