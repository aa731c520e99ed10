package fake

import (
	"net/http"
	"slices"
	"time"
)

// updateStatus serves POST /leads/{id}/status.
func (s *Server) updateStatus(seg string, body []byte) (response, bool) {
	id, ok := s.liveLead(seg)
	if !ok {
		return htmlResponse(http.StatusNotFound), false
	}
	upd, err := s.parseStatus(id, body)
	if err != nil {
		return messageResponse(http.StatusBadRequest, "%s", err.Error()), false
	}
	s.mu.Lock()
	st := s.stateLocked(id)
	if upd.outcome != 0 && st.outcome != 0 && s.opts.OnClosed != ApplyToClosed {
		s.mu.Unlock()
		return messageResponse(http.StatusUnprocessableEntity, "Lead %s is already closed.", formatID(id, entityLeads)), false
	}
	if upd.outcome != 0 {
		st.outcome, st.closedUnix = upd.outcome, time.Now().Unix()
	}
	// A competitor map is already on its lead: naming it changes nothing.
	for _, pm := range upd.productMaps {
		st.mapsAdded++
		pm.ID = formatID(productMapID(id, st.mapsAdded), entityProductMaps)
		st.productMaps = append(st.productMaps, pm)
	}
	s.appliedLocked(st, body)
	view := s.served(s.viewLocked(id))
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, view.lead), true
}

// reopen serves POST /leads/{id}/reopen; its body is ignored.
func (s *Server) reopen(seg string, body []byte) (response, bool) {
	id, ok := s.liveLead(seg)
	if !ok {
		return htmlResponse(http.StatusNotFound), false
	}
	s.mu.Lock()
	st := s.stateLocked(id)
	if st.outcome == 0 {
		s.mu.Unlock()
		return messageResponse(http.StatusUnprocessableEntity, "Lead %s is not closed.", formatID(id, entityLeads)), false
	}
	st.outcome, st.closedUnix = 0, 0
	s.appliedLocked(st, body)
	view := s.served(s.viewLocked(id))
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, view.lead), true
}

// appliedLocked counts an applied change; s.mu held.
func (s *Server) appliedLocked(st *leadState, body []byte) {
	st.applied++
	s.stats.applied++
	if s.opts.RecordBodies {
		st.bodies = append(st.bodies, body)
	}
}

// deleteProductMap serves DELETE /productMaps/{id}: the map is taken off its
// lead, and a map that is not (or no longer) on any lead answers 404.
func (s *Server) deleteProductMap(seg string) response {
	n, ok := parseID(seg, entityProductMaps)
	if !ok {
		return htmlResponse(http.StatusNotFound)
	}
	id := formatID(n, entityProductMaps)
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.state[n/mapsPerLead]; ok {
		if i := slices.IndexFunc(st.productMaps, func(pm productMap) bool { return pm.ID == id }); i >= 0 {
			st.productMaps = slices.Delete(st.productMaps, i, i+1)
			return response{status: http.StatusNoContent}
		}
	}
	return htmlResponse(http.StatusNotFound)
}

// mapsPerLead spaces the product map IDs of one lead from the next lead's.
const mapsPerLead = 10000

// productMapID is the ID of the k-th product map ever added to lead id: a
// function of the lead and its own updates only, so that the same updates
// give the same IDs in any order (many workers, any timing), as request IDs
// do. Lead 103's first map is 1030001-productMaps.
func productMapID(lead, k int64) int64 { return lead*mapsPerLead + k%mapsPerLead }
