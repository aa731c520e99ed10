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
	// A competitor map is a relationship: naming it again changes nothing.
	for _, m := range upd.competitorMaps {
		if !slices.Contains(st.competitorMaps, m) {
			st.competitorMaps = append(st.competitorMaps, m)
		}
	}
	for _, pm := range upd.productMaps {
		s.productMaps++
		pm.ID = formatID(s.productMaps, entityProductMaps)
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
