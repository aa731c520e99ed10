package fake

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// Bodies of the catalogue endpoints.
type (
	outcomeList struct {
		Meta     listMeta           `json:"meta"`
		Outcomes []nutshell.Outcome `json:"outcomes"`
	}
	productList struct {
		Meta     listMeta           `json:"meta"`
		Products []nutshell.Product `json:"products"`
	}
	competitorList struct {
		Meta        listMeta              `json:"meta"`
		Competitors []nutshell.Competitor `json:"competitors"`
	}
	competitorMapList struct {
		Meta           listMeta                 `json:"meta"`
		CompetitorMaps []nutshell.CompetitorMap `json:"competitorMaps"`
		Leads          []leadJSON               `json:"leads"`
		Competitors    []nutshell.Competitor    `json:"competitors"`
	}
)

// wholeList is the meta of a one-item answer.
func wholeList(n int) listMeta {
	return listMeta{Limit: int64(n), Count: n, Total: int64(n), PageCount: 1}
}

// pageItems cuts the requested page from a short catalogue list.
func pageItems[T any](items []T, q url.Values) ([]T, listMeta, error) {
	pg, err := parsePage(q)
	if err == nil {
		err = onlyFilters(q)
	}
	if err != nil {
		return nil, listMeta{}, err
	}
	from, to := pg.bounds(int64(len(items)))
	return items[from:to], pg.meta(int(to-from), int64(len(items))), nil
}

// listOutcomes serves GET /outcomes, paged like every list.
func (s *Server) listOutcomes(q url.Values) response {
	items, m, err := pageItems(Outcomes(), q)
	if err != nil {
		return messageResponse(http.StatusBadRequest, "%s", err.Error())
	}
	return jsonResponse(http.StatusOK, outcomeList{Meta: m, Outcomes: items})
}

// getOutcome serves GET /outcomes/{id} as a one-item list.
func (s *Server) getOutcome(id string) response {
	o := Outcomes()
	n, ok := parseID(id, entityOutcomes)
	if !ok || n > int64(len(o)) {
		return htmlResponse(http.StatusNotFound)
	}
	return jsonResponse(http.StatusOK, outcomeList{Meta: wholeList(1), Outcomes: o[n-1 : n]})
}

// listProducts serves GET /products, paged.
func (s *Server) listProducts(q url.Values) response {
	items, m, err := pageItems(Products(), q)
	if err != nil {
		return messageResponse(http.StatusBadRequest, "%s", err.Error())
	}
	return jsonResponse(http.StatusOK, productList{Meta: m, Products: items})
}

// getProduct serves GET /products/{id} as a one-item list.
func (s *Server) getProduct(id string) response {
	p := Products()
	n, ok := parseID(id, entityProducts)
	if !ok || n > int64(len(p)) {
		return htmlResponse(http.StatusNotFound)
	}
	return jsonResponse(http.StatusOK, productList{Meta: wholeList(1), Products: p[n-1 : n]})
}

// listCompetitors serves GET /competitors, paged, q= matching a part of the
// name regardless of case.
func (s *Server) listCompetitors(q url.Values) response {
	want := strings.ToLower(strings.TrimSpace(q.Get("q")))
	var match []nutshell.Competitor
	for _, c := range Competitors() {
		if strings.Contains(strings.ToLower(c.Name), want) {
			match = append(match, c)
		}
	}
	items, m, err := pageItems(match, q)
	if err != nil {
		return messageResponse(http.StatusBadRequest, "%s", err.Error())
	}
	if items == nil {
		items = []nutshell.Competitor{}
	}
	return jsonResponse(http.StatusOK, competitorList{Meta: m, Competitors: items})
}

// getCompetitor serves GET /competitors/{id} as a one-item list.
func (s *Server) getCompetitor(id string) response {
	c := Competitors()
	n, ok := parseID(id, entityCompetitors)
	if !ok || n > int64(len(c)) {
		return htmlResponse(http.StatusNotFound)
	}
	return jsonResponse(http.StatusOK, competitorList{Meta: wholeList(1), Competitors: c[n-1 : n]})
}

// listCompetitorMaps serves GET /competitormaps: a lead's two maps with
// filter[lead], else all 2N maps, paged.
func (s *Server) listCompetitorMaps(q url.Values) response {
	pg, err := parsePage(q)
	if err == nil {
		err = onlyFilters(q, "filter[lead]")
	}
	if err != nil {
		return messageResponse(http.StatusBadRequest, "%s", err.Error())
	}
	first, total := int64(1), 2*s.leads
	if q.Has("filter[lead]") {
		v := q.Get("filter[lead]")
		lead, ok := parseID(v, entityLeads)
		if !ok {
			return messageResponse(http.StatusBadRequest, "filter[lead] must be a lead ID such as \"1006-leads\", not %q.", v)
		}
		first, total = 2*lead-1, 2
		if !s.exists(lead) {
			total = 0
		}
	}
	from, to := pg.bounds(total)
	maps := make([]nutshell.CompetitorMap, 0, to-from)
	for m := first + from; m < first+to; m++ {
		maps = append(maps, s.competitorMap(m))
	}
	return jsonResponse(http.StatusOK, competitorMapList{
		Meta:           pg.meta(len(maps), total),
		CompetitorMaps: maps,
		Leads:          []leadJSON{},
		Competitors:    competitorsOf(maps),
	})
}

// competitorsOf is the competitors the maps name, in catalogue order, as the
// API sideloads them.
func competitorsOf(maps []nutshell.CompetitorMap) []nutshell.Competitor {
	out := []nutshell.Competitor{}
	for _, c := range Competitors() {
		if slices.ContainsFunc(maps, func(m nutshell.CompetitorMap) bool { return m.Links.Competitor == c.ID }) {
			out = append(out, c)
		}
	}
	return out
}
