package fake

import (
	"net/http"
	"net/url"
	"strings"
)

// route is an endpoint matched by path, with the one method it accepts.
type route struct {
	method string
	serve  func(body []byte) (response, bool) // the response, and whether an update was applied
}

// route matches the request's path. Segments are matched escaped, so an
// escaped comma inside an ID never splits it.
func (s *Server) route(r *http.Request) (route, bool) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/rest/")
	if !ok {
		return route{}, false
	}
	seg := strings.Split(rest, "/")
	for _, p := range seg {
		if p == "" {
			return route{}, false
		}
	}
	q := r.URL.Query()
	get := func(f func() response) route {
		return route{method: http.MethodGet, serve: func([]byte) (response, bool) { return f(), false }}
	}
	one := func(list func(string) response) (route, bool) {
		id, err := url.PathUnescape(seg[1])
		if err != nil {
			return route{}, false
		}
		return get(func() response { return list(id) }), true
	}
	switch {
	case len(seg) == 1 && seg[0] == "leads":
		return get(func() response { return s.refused("leads", q, s.listLeads) }), true
	case len(seg) == 2 && seg[0] == "leads":
		return get(func() response { return s.getLeads(seg[1]) }), true
	case len(seg) == 3 && seg[0] == "leads" && (seg[2] == "status" || seg[2] == "reopen"):
		id, err := url.PathUnescape(seg[1])
		if err != nil {
			return route{}, false
		}
		serve := func(body []byte) (response, bool) { return s.updateStatus(id, body) }
		if seg[2] == "reopen" {
			serve = func(body []byte) (response, bool) { return s.reopen(id, body) }
		}
		return route{method: http.MethodPost, serve: serve}, true
	case len(seg) == 2 && seg[0] == "productMaps":
		// The published path has a capital M; /productmaps/{id} is a GET.
		id, err := url.PathUnescape(seg[1])
		if err != nil {
			return route{}, false
		}
		return route{method: http.MethodDelete, serve: func([]byte) (response, bool) { return s.deleteProductMap(id), false }}, true
	case len(seg) == 1 && seg[0] == "outcomes":
		return get(func() response { return s.listOutcomes(q) }), true
	case len(seg) == 2 && seg[0] == "outcomes":
		return one(s.getOutcome)
	case len(seg) == 1 && seg[0] == "products":
		return get(func() response { return s.refused("products", q, s.listProducts) }), true
	case len(seg) == 2 && seg[0] == "products":
		return one(s.getProduct)
	case len(seg) == 1 && seg[0] == "competitors":
		return get(func() response { return s.refused("competitors", q, s.listCompetitors) }), true
	case len(seg) == 2 && seg[0] == "competitors":
		return one(s.getCompetitor)
	case len(seg) == 1 && seg[0] == "competitormaps":
		return get(func() response { return s.refused("competitormaps", q, s.listCompetitorMaps) }), true
	case len(seg) == 2 && seg[0] == "competitormaps":
		return get(func() response { return s.getCompetitorMaps(seg[1]) }), true
	case len(seg) == 2 && seg[0] == "productmaps":
		return get(func() response { return s.getProductMaps(seg[1]) }), true
	}
	return route{}, false
}

// leadSegment is the lead a request path addresses, for the record: the
// full ID when the segment is one valid lead ID, else the segment as sent.
func leadSegment(path string) string {
	rest, ok := strings.CutPrefix(path, "/rest/leads/")
	if !ok {
		return ""
	}
	seg, _, _ := strings.Cut(rest, "/")
	if id, err := url.PathUnescape(seg); err == nil {
		if n, ok := parseID(id, entityLeads); ok {
			return formatID(n, entityLeads)
		}
	}
	return seg
}

// refused answers a list read, or the 400 of a server that refuses its
// undeclared query parameters.
func (s *Server) refused(list string, q url.Values, serve func(url.Values) response) response {
	if r := s.refuseQuery(list, q); r != nil {
		return *r
	}
	if s.opts.IgnoreFilters {
		kept := url.Values{}
		for k, v := range q {
			if !strings.HasPrefix(k, "filter[") {
				kept[k] = v
			}
		}
		q = kept
	}
	return serve(q)
}
