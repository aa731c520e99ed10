package fake

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// declaredQuery is, per list path, the query parameters the published
// document declares (filter[...] stands for every filter key).
var declaredQuery = map[string][]string{
	"leads":       {"q", "sort", "filter[...]", "page[page]", "page[limit]"},
	"products":    {"q", "sort"},
	"competitors": {"q"},
}

// undeclaredQuery names the first query parameter the document does not
// declare for a list path ("" if none): what a strict server refuses.
func undeclaredQuery(list string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	allowed := declaredQuery[list]
	for _, k := range keys {
		name := k
		if strings.HasPrefix(k, "filter[") {
			name = "filter[...]"
		}
		if !slices.Contains(allowed, name) {
			return k
		}
	}
	return ""
}

// refuseQuery is the 400 of a server that refuses undeclared query
// parameters, or nil.
func (s *Server) refuseQuery(list string, q url.Values) *response {
	if !s.opts.RefuseUndeclaredQuery {
		return nil
	}
	if k := undeclaredQuery(list, q); k != "" {
		r := messageResponse(http.StatusBadRequest, "Unknown query parameter %q.", k)
		return &r
	}
	return nil
}

// commaRefused reports whether a path segment joins several IDs that this
// server does not understand.
func (s *Server) commaRefused(seg string) bool {
	return s.opts.NoCommaIDs && strings.Contains(seg, ",")
}

// productMapList is the body of GET /productmaps/{ids}.
type productMapList struct {
	Meta        listMeta     `json:"meta"`
	ProductMaps []productMap `json:"productMaps"`
}

// getProductMaps serves GET /productmaps/{ids}: one product map, or several
// joined by commas; 404 when none exists.
func (s *Server) getProductMaps(seg string) response {
	if s.commaRefused(seg) {
		return htmlResponse(http.StatusNotFound)
	}
	var out []productMap
	s.mu.Lock()
	for _, p := range strings.Split(seg, ",") {
		id, err := url.PathUnescape(p)
		if err != nil {
			continue
		}
		n, ok := parseID(id, entityProductMaps)
		if !ok {
			continue
		}
		if st, ok := s.state[n/mapsPerLead]; ok {
			for _, pm := range st.productMaps {
				if pm.ID == formatID(n, entityProductMaps) && !slices.ContainsFunc(out, func(o productMap) bool { return o.ID == pm.ID }) {
					out = append(out, pm)
				}
			}
		}
	}
	s.mu.Unlock()
	if len(out) == 0 {
		return htmlResponse(http.StatusNotFound)
	}
	return jsonResponse(http.StatusOK, productMapList{Meta: wholeList(len(out)), ProductMaps: out})
}

// getCompetitorMaps serves GET /competitormaps/{ids}: one competitor map,
// or several joined by commas; 404 when none exists.
func (s *Server) getCompetitorMaps(seg string) response {
	if s.commaRefused(seg) {
		return htmlResponse(http.StatusNotFound)
	}
	var maps []nutshell.CompetitorMap
	for _, p := range strings.Split(seg, ",") {
		id, err := url.PathUnescape(p)
		if err != nil {
			continue
		}
		n, ok := parseID(id, entityCompetitorMaps)
		if ok && n <= 2*s.leads && !slices.ContainsFunc(maps, func(m nutshell.CompetitorMap) bool { return m.ID == formatID(n, entityCompetitorMaps) }) {
			maps = append(maps, s.competitorMap(n))
		}
	}
	if len(maps) == 0 {
		return htmlResponse(http.StatusNotFound)
	}
	return jsonResponse(http.StatusOK, competitorMapList{
		Meta:           wholeList(len(maps)),
		CompetitorMaps: maps,
		Leads:          []leadJSON{},
		Competitors:    competitorsOf(maps),
	})
}

// Kind is a kind of server the fake can play: one way of answering what
// the published document leaves open.
type Kind struct {
	Name  string
	Apply func(*Options)
}

// Kinds lists every kind of server the fake plays, the most helpful first
// (the zero Options) and the one that does only what is declared last.
// Tests that talk to the fake run against each.
//
// HideMaps (the published Lead alone, no maps at all) is not among them:
// there a row that only adds products to an open lead cannot be told from
// one an earlier run sent, so a fresh run sends it again (README: run the
// rest with --resume). The tests that hold for that server use it by name.
func Kinds() []Kind {
	return []Kind{
		{"helpful", func(*Options) {}},
		{"refuses undeclared query", func(o *Options) { o.RefuseUndeclaredQuery = true }},
		{"ignores filters", func(o *Options) { o.IgnoreFilters = true }},
		{"no comma-joined IDs", func(o *Options) { o.NoCommaIDs = true }},
		{"no competitor links", func(o *Options) { o.NoCompetitorLinks = true }},
		{"product maps by ID", func(o *Options) { o.ProductMapsByID = true }},
		// Neither the lead nor the map says which maps a lead has.
		{"competitor maps without lead", func(o *Options) { o.NoCompetitorLinks, o.MapsNameNoLead = true, true }},
		{"declared only", func(o *Options) {
			o.RefuseUndeclaredQuery, o.NoCommaIDs, o.NoCompetitorLinks, o.ProductMapsByID = true, true, true, true
		}},
	}
}

// competitorMap is map m as this server serves it.
func (s *Server) competitorMap(m int64) nutshell.CompetitorMap {
	cm := competitorMap(m)
	if s.opts.MapsNameNoLead {
		cm.Links.Lead = ""
	}
	return cm
}
