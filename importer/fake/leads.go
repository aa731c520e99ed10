package fake

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// maxBatch is the most lead IDs one GET /leads/{ids} may name.
const maxBatch = 100

// leadList is the body of the lead reads: the leads, and side-loaded beside
// them the product and competitor maps their links name (each once).
type leadList struct {
	Meta           *listMeta                `json:"meta,omitempty"`
	Leads          []leadJSON               `json:"leads"`
	ProductMaps    []productMap             `json:"productMaps"`
	CompetitorMaps []nutshell.CompetitorMap `json:"competitorMaps"`
}

// getLeads serves GET /leads/{ids}: one ID or several joined by commas,
// each escaped on its own.
func (s *Server) getLeads(seg string) response {
	if s.commaRefused(seg) {
		return htmlResponse(http.StatusNotFound)
	}
	parts := strings.Split(seg, ",")
	if len(parts) > maxBatch {
		return messageResponse(http.StatusBadRequest, "Ask for at most %d leads at once; this request names %d.", maxBatch, len(parts))
	}
	ids := make([]int64, 0, len(parts))
	seen := make(map[int64]bool, len(parts))
	for _, p := range parts {
		id, err := url.PathUnescape(p)
		if err != nil {
			continue
		}
		if n, ok := parseID(id, entityLeads); ok && s.exists(n) && !seen[n] {
			seen[n] = true
			ids = append(ids, n)
		}
	}
	if len(ids) == 0 {
		return htmlResponse(http.StatusNotFound)
	}
	return jsonResponse(http.StatusOK, s.leadList(nil, ids))
}

// listLeads serves GET /leads: by filter[number], by q, or every lead that
// is not deleted, paged without materialising the list.
func (s *Server) listLeads(q url.Values) response {
	pg, err := parsePage(q)
	if err == nil {
		err = onlyFilters(q, "filter[number]")
	}
	if err != nil {
		return messageResponse(http.StatusBadRequest, "%s", err.Error())
	}
	var ids []int64
	var total int64
	switch {
	case q.Has("filter[number]"):
		// Several numbers joined by commas, as lead IDs are in a read;
		// NoCommaIDs plays a server that takes one number only.
		v := q.Get("filter[number]")
		parts := []string{v}
		if !s.opts.NoCommaIDs {
			parts = strings.Split(v, ",")
		}
		var found []int64
		for _, p := range parts {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || !allDigits(p) {
				return messageResponse(http.StatusBadRequest, "filter[number] must be a lead number such as 123456, not %q.", v)
			}
			for _, id := range s.byNumber(n) {
				if !slices.Contains(found, id) {
					found = append(found, id)
				}
			}
		}
		ids, total = s.pageOf(found, pg)
	case q.Has("q"):
		ids, total = s.pageOf(s.search(q.Get("q")), pg)
	default:
		total = s.leads - int64(len(s.deletedIDs))
		from, to := pg.bounds(total)
		if from < to {
			for id := s.nthLive(from); int64(len(ids)) < to-from; id++ {
				if !s.deleted[id] {
					ids = append(ids, id)
				}
			}
		}
	}
	m := pg.meta(len(ids), total)
	return jsonResponse(http.StatusOK, s.leadList(&m, ids))
}

// pageOf cuts one page from a short list of IDs and returns its total.
func (s *Server) pageOf(ids []int64, pg page) ([]int64, int64) {
	from, to := pg.bounds(int64(len(ids)))
	return ids[from:to], int64(len(ids))
}

// byNumber finds the live lead with the given number.
func (s *Server) byNumber(number int64) []int64 {
	id, ok := LeadForNumber(number)
	if !ok || !s.exists(int64(id)) || s.deleted[int64(id)] {
		return nil
	}
	return []int64{int64(id)}
}

// search matches q against lead names, which are "Lead <number>": q may be
// the number alone or the name, with a space, hyphen or "#" after "Lead".
func (s *Server) search(q string) []int64 {
	q = strings.TrimSpace(q)
	if len(q) >= 4 && strings.EqualFold(q[:4], "lead") {
		q = strings.TrimLeft(q[4:], " -#")
	}
	if !allDigits(q) {
		return nil
	}
	n, err := strconv.ParseInt(q, 10, 64)
	if err != nil {
		return nil
	}
	return s.byNumber(n)
}

// leadList is the leads as served, in the order given, with their maps.
func (s *Server) leadList(m *listMeta, ids []int64) leadList {
	out := leadList{Meta: m, Leads: make([]leadJSON, 0, len(ids)), ProductMaps: []productMap{}, CompetitorMaps: []nutshell.CompetitorMap{}}
	seen := make(map[string]bool)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		v := s.served(s.viewLocked(id))
		out.Leads = append(out.Leads, v.lead)
		if !s.opts.ProductMapsByID {
			out.ProductMaps = append(out.ProductMaps, v.productMaps...)
		}
		for _, cm := range v.competitorMaps {
			if !seen[cm.ID] {
				seen[cm.ID] = true
				out.CompetitorMaps = append(out.CompetitorMaps, cm)
			}
		}
	}
	return out
}
