package enrich

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// Maps completes what the lead reads showed with the declared reads of the
// maps the updates name: product maps a lead names by ID only
// (GET /productmaps/{id}) and competitor maps the lead does not show
// (GET /competitormaps/{id}). Only a declared read's answer makes a row
// invalid; a check that cannot be made is a note on the row. Not safe for
// concurrent use: the enrich stage is one goroutine. Each competitor map is
// read once per run.
type Maps struct {
	reader Reader
	comps  map[string]mapCheck // by canonical competitor map ID
}

type mapCheck struct {
	missing bool
	lead    string // the lead the map names; "" when the answer names none
	why     string // not checked: why
}

// NewMaps returns a Maps reading through r.
func NewMaps(r Reader) *Maps { return &Maps{reader: r, comps: map[string]mapCheck{}} }

// Read reads, in batches, what the updates need of their leads' maps and
// fills in the leads' product maps. leads are by lead ID.
func (m *Maps) Read(ctx context.Context, leads map[string]*Lead, updates []*mapping.Update) {
	var pmIDs, cmIDs []string
	seen := map[string]bool{}
	for _, u := range updates {
		l := leads[u.Lead]
		if l == nil || !l.Found {
			continue
		}
		if len(u.Body.ProductMaps) > 0 && !l.ProductsKnown {
			for _, id := range l.productMapIDs {
				if !seen[id] {
					seen[id] = true
					pmIDs = append(pmIDs, id)
				}
			}
		}
		for _, id := range u.Body.CompetitorMaps {
			key := strings.ToLower(strings.TrimSpace(id))
			if _, done := m.comps[key]; done || seen[key] || l.CompetitorsKnown && containsID(l.CompetitorMaps, id) {
				continue
			}
			seen[key] = true
			cmIDs = append(cmIDs, id)
		}
	}
	if len(pmIDs) > 0 {
		m.readProducts(ctx, leads, pmIDs)
	}
	if len(cmIDs) > 0 {
		m.readCompetitorMaps(ctx, cmIDs)
	}
}

func (m *Maps) readProducts(ctx context.Context, leads map[string]*Lead, ids []string) {
	maps, _, err := m.reader.ProductMaps(ctx, ids)
	if err != nil {
		return // the leads' products stay unknown: their rows say so
	}
	byID := make(map[string]nutshell.LeadProductMap, len(maps))
	for _, pm := range maps {
		byID[strings.ToLower(pm.ID)] = pm
	}
	for _, l := range leads {
		if l.ProductsKnown || len(l.productMapIDs) == 0 {
			continue
		}
		products := make([]Product, 0, len(l.productMapIDs))
		for _, id := range l.productMapIDs {
			pm, ok := byID[strings.ToLower(id)]
			if !ok {
				// A map the lead names but no read shows: the lead's
				// products are not known, so nothing is left out for them.
				products = nil
				break
			}
			products = append(products, productOf(pm))
		}
		if products != nil {
			l.Products, l.ProductsKnown = products, true
		}
	}
}

func (m *Maps) readCompetitorMaps(ctx context.Context, ids []string) {
	maps, missing, err := m.reader.CompetitorMaps(ctx, ids)
	for _, cm := range maps {
		m.comps[strings.ToLower(cm.ID)] = mapCheck{lead: cm.Links.Lead}
	}
	for _, id := range missing {
		m.comps[strings.ToLower(id)] = mapCheck{missing: true}
	}
	if err == nil {
		return
	}
	why := "this server does not show competitor maps"
	if !nutshell.Refused(err) {
		why = "it could not be read: " + err.Error()
		var e *nutshell.Error
		if errors.As(err, &e) {
			why = "it could not be read: " + e.Message
		}
	}
	for _, id := range ids {
		if _, ok := m.comps[strings.ToLower(id)]; !ok {
			m.comps[strings.ToLower(id)] = mapCheck{why: why}
		}
	}
}

// Check holds an update's competitor maps to what the reads showed. It
// returns a Decision making the row invalid when a declared read shows a map
// does not exist or belongs to another lead; otherwise notes on what could
// not be checked, and the lead with the maps confirmed on it.
func (m *Maps) Check(u *mapping.Update, l Lead) (Decision, []string, Lead) {
	var notes []string
	confirmed := 0
	for _, id := range u.Body.CompetitorMaps {
		if l.CompetitorsKnown && containsID(l.CompetitorMaps, id) {
			confirmed++
			continue
		}
		c, ok := m.comps[strings.ToLower(strings.TrimSpace(id))]
		switch {
		case !ok:
			notes = append(notes, fmt.Sprintf("competitor map %s not checked: it was not read", id))
		case c.missing:
			return Decision{Result: report.Invalid, Kind: kind.MapMissing, Note: fmt.Sprintf("competitor map %s does not exist in Nutshell; check the ID on the lead's page", id)}, nil, l
		case c.why != "":
			notes = append(notes, fmt.Sprintf("competitor map %s not checked: %s", id, c.why))
		case c.lead == "":
			notes = append(notes, fmt.Sprintf("competitor map %s not checked: this server does not say which lead it belongs to", id))
		case !nutshell.SameID(c.lead, u.Lead):
			return Decision{Result: report.Invalid, Kind: kind.MapOfOtherLead, Note: fmt.Sprintf("competitor map %s belongs to lead %s, not %s; use one of %s's competitor maps", id, c.lead, u.Lead, u.Lead)}, nil, l
		default:
			confirmed++
		}
	}
	// A map that names this lead links its competitor to it: for a closed
	// lead, that tells whether an earlier run already sent it.
	if !l.CompetitorsKnown && l.Closed() && len(u.Body.CompetitorMaps) > 0 && confirmed == len(u.Body.CompetitorMaps) {
		l.CompetitorMaps, l.CompetitorsKnown = u.Body.CompetitorMaps, true
	}
	if len(u.Body.ProductMaps) > 0 && !l.ProductsKnown && !l.Closed() {
		notes = append(notes, fmt.Sprintf("products not checked against lead %s: this server does not show its product maps; sent as asked", u.Lead))
	}
	return Decision{}, notes, l
}

// Trim leaves out of an update to an open lead every product map the lead
// already shows (same product, quantity, price and currency), so a lead
// never gets a product twice; the outcome and competitors still go. It
// returns u itself when nothing is left out.
func Trim(u *mapping.Update, l Lead) (*mapping.Update, string) {
	if l.Closed() || !l.ProductsKnown || len(u.Body.ProductMaps) == 0 {
		return u, ""
	}
	keep, there := matchProducts(u.Body.ProductMaps, l.Products)
	if len(there) == 0 {
		return u, ""
	}
	left := make([]string, len(there))
	for i, pm := range there {
		left[i] = describeProduct(pm)
	}
	trimmed := *u
	trimmed.Body.ProductMaps = keep
	return &trimmed, strings.Join(left, ", ") + " already on the lead; not sent again"
}

// describeProduct: "3-products ×2 at 99.50 USD".
func describeProduct(pm mapping.ProductMap) string {
	s := pm.Links.Product
	if pm.Quantity != 0 {
		s += fmt.Sprintf(" ×%d", pm.Quantity)
	}
	if pm.Price != nil {
		s += " at " + strings.TrimSpace(pm.Price.Amount+" "+pm.Price.Currency)
	}
	return s
}
