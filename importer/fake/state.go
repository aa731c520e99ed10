package fake

import (
	"bytes"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// Fixed times of the seeded data, so that runs are repeatable.
const (
	seededClosedUnix  = 1736154000             // 2025-01-06T09:00:00Z: Options.ClosedLeads were closed
	seededDeletedTime = "2025-02-03T10:00:00Z" // Options.DeletedLeads were deleted
)

// leadState is a lead that changed since the server started, kept small
// because a load test may touch millions of leads.
type leadState struct {
	outcome     int64 // 0 = open
	closedUnix  int64
	productMaps []productMap
	mapsAdded   int64 // product maps ever added, for their IDs
	applied     int
	bodies      [][]byte
}

// productMap is a product map added to a lead by a status update, as
// served: the published LeadProductMap, with the price as its "value" object.
type productMap struct {
	ID          string          `json:"id"`
	ProductType string          `json:"productType,omitempty"`
	Quantity    int64           `json:"quantity,omitempty"`
	Price       *price          `json:"price,omitempty"`
	Links       productMapLinks `json:"links"`
}

type price struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency,omitempty"`
}

type productMapLinks struct {
	Product string `json:"product"`
}

// leadJSON is the FullLead the fake serves: the fields of nutshell.Lead and
// what a status update changes. Related entities are named by ID under
// links, as the live service does (see the package doc); the product and
// competitor maps themselves are side-loaded beside the leads by the reads
// (leadList), not embedded.
type leadJSON struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Number      int64     `json:"number"`
	Status      string    `json:"status"`
	ClosedTime  string    `json:"closedTime,omitempty"`
	DeletedTime string    `json:"deletedTime,omitempty"`
	HTMLURL     string    `json:"htmlUrl"`
	HTMLURLPath string    `json:"htmlUrlPath"`
	Links       leadLinks `json:"links"`
}

// leadLinks are a lead's links: IDs only. Lists are never null, so a reader
// can tell "none" from "not shown".
type leadLinks struct {
	Outcome        string   `json:"outcome,omitempty"`
	Products       []string `json:"products,omitzero"`       // nil only with HideMaps
	ProductMaps    []string `json:"productMaps,omitzero"`    // nil only with HideMaps
	CompetitorMaps []string `json:"competitorMaps,omitzero"` // nil: not shown (NoCompetitorLinks, HideMaps)
}

// leadView is a lead as served with the maps its links name.
type leadView struct {
	lead           leadJSON
	productMaps    []productMap
	competitorMaps []nutshell.CompetitorMap
}

// exists reports whether lead id exists, deleted or not.
func (s *Server) exists(id int64) bool { return id >= 1 && id <= s.leads }

// liveLead parses a lead ID from a path and reports whether it names a lead
// that can be changed (exists and is not deleted).
func (s *Server) liveLead(seg string) (int64, bool) {
	id, ok := parseID(seg, entityLeads)
	return id, ok && s.exists(id) && !s.deleted[id]
}

// stateLocked returns lead id's state, creating it from the seed; s.mu held.
func (s *Server) stateLocked(id int64) *leadState {
	st, ok := s.state[id]
	if !ok {
		st = &leadState{}
		if s.closed[id] {
			st.outcome, st.closedUnix = 1, seededClosedUnix
		}
		s.state[id] = st
	}
	return st
}

// viewLocked is lead id as served, with its maps; s.mu held. It copies
// what it shares.
func (s *Server) viewLocked(id int64) leadView {
	num := LeadNumber(int(id))
	path := "/lead/" + strconv.FormatInt(id, 10)
	v := leadView{lead: leadJSON{
		ID:          formatID(id, entityLeads),
		Name:        "Lead " + strconv.FormatInt(num, 10),
		Number:      num,
		Status:      "open",
		HTMLURL:     "https://app.nutshell.com" + path,
		HTMLURLPath: path,
		Links:       leadLinks{Products: []string{}, ProductMaps: []string{}, CompetitorMaps: []string{}},
	}}
	if s.opts.NoCompetitorLinks {
		v.lead.Links.CompetitorMaps = nil
	}
	l := &v.lead
	if s.deleted[id] {
		l.DeletedTime = seededDeletedTime
	}
	outcome, closedUnix := int64(0), int64(0)
	if st, ok := s.state[id]; ok {
		outcome, closedUnix = st.outcome, st.closedUnix
		v.productMaps = slices.Clone(st.productMaps)
		for _, pm := range st.productMaps {
			l.Links.ProductMaps = append(l.Links.ProductMaps, pm.ID)
			if !slices.Contains(l.Links.Products, pm.Links.Product) {
				l.Links.Products = append(l.Links.Products, pm.Links.Product)
			}
		}
	} else if s.closed[id] {
		outcome, closedUnix = 1, seededClosedUnix
	}
	// A competitor map is the competitor on the lead: both of a lead's
	// seeded maps are on it from the start.
	if !s.opts.NoCompetitorLinks {
		for _, m := range []int64{2*id - 1, 2 * id} {
			l.Links.CompetitorMaps = append(l.Links.CompetitorMaps, formatID(m, entityCompetitorMaps))
			v.competitorMaps = append(v.competitorMaps, s.competitorMap(m))
		}
	}

	if outcome != 0 {
		o := Outcomes()[outcome-1]
		l.Status, l.Links.Outcome = o.Status, o.ID
		l.ClosedTime = time.Unix(closedUnix, 0).UTC().Format(time.RFC3339)
	}
	return v
}

// served is v as answered: with HideMaps, without its maps.
func (s *Server) served(v leadView) leadView {
	if s.opts.HideMaps {
		v.lead.Links.Products, v.lead.Links.ProductMaps, v.lead.Links.CompetitorMaps = nil, nil, nil
		v.productMaps, v.competitorMaps = nil, nil
	}
	return v
}

// Lead returns lead id's current state ("7-leads" or "7"); false if no such
// lead exists. Deleted leads are returned with DeletedTime set.
func (s *Server) Lead(id string) (nutshell.Lead, bool) {
	n, ok := parseID(id, entityLeads)
	if !ok || !s.exists(n) {
		return nutshell.Lead{}, false
	}
	s.mu.Lock()
	v := s.viewLocked(n)
	s.mu.Unlock()
	l := nutshell.Lead{
		ID:                  v.lead.ID,
		Name:                v.lead.Name,
		Number:              v.lead.Number,
		Status:              v.lead.Status,
		ClosedTime:          v.lead.ClosedTime,
		DeletedTime:         v.lead.DeletedTime,
		HTMLURL:             v.lead.HTMLURL,
		Links:               nutshell.LeadLinks{Outcome: v.lead.Links.Outcome},
		ProductMaps:         []nutshell.LeadProductMap{},
		ProductMapsShown:    true,
		CompetitorMaps:      v.lead.Links.CompetitorMaps,
		CompetitorMapsShown: true,
	}
	for _, pm := range v.productMaps {
		m := nutshell.LeadProductMap{ID: pm.ID, Product: pm.Links.Product, Quantity: float64(pm.Quantity)}
		if pm.Price != nil {
			m.Amount, m.Currency = pm.Price.Amount, pm.Price.Currency
		}
		l.ProductMaps = append(l.ProductMaps, m)
	}
	return l, true
}

// Applied returns how many times a status update or reopen was applied to
// lead id ("7-leads" or "7").
func (s *Server) Applied(id string) int {
	n, ok := parseID(id, entityLeads)
	if !ok {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.state[n]; ok {
		return st.applied
	}
	return 0
}

// AppliedBodies returns the request bodies of the status updates and
// reopens applied to lead id, in order; it needs Options.RecordBodies.
func (s *Server) AppliedBodies(id string) [][]byte {
	n, ok := parseID(id, entityLeads)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.state[n]
	if !ok || len(st.bodies) == 0 {
		return nil
	}
	out := make([][]byte, len(st.bodies))
	for i, b := range st.bodies {
		out[i] = bytes.Clone(b)
	}
	return out
}

// Requests returns a copy of the record of every request received, in
// arrival order; nil with Options.NoRecord.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.records) == 0 {
		return nil
	}
	out := make([]Request, len(s.records))
	for i, rec := range s.records {
		out[i] = Request{
			Time:      rec.at,
			Method:    rec.method,
			Path:      rec.path,
			Query:     rec.query,
			Body:      bytes.Clone(rec.body),
			Status:    rec.status,
			Applied:   rec.applied,
			Lead:      leadSegment(rec.path),
			RequestID: rec.requestID,
		}
	}
	return out
}

// Stats returns the server's counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats.snapshot()
}

// deletedAtMost counts deleted leads with IDs ≤ id.
func (s *Server) deletedAtMost(id int64) int64 {
	return int64(sort.Search(len(s.deletedIDs), func(i int) bool { return s.deletedIDs[i] > id }))
}

// nthLive returns the ID of the (k+1)-th lead that is not deleted; k must be
// below the number of such leads.
func (s *Server) nthLive(k int64) int64 {
	lo, hi := int64(1), s.leads
	for lo < hi {
		mid := lo + (hi-lo)/2
		if mid-s.deletedAtMost(mid) >= k+1 {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
