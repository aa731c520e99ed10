package nutshell

// Lead is the part of a FullLead the importer uses.
//
// A read may or may not show a lead's product and competitor maps (the
// published schema declares neither), so each list comes with a flag that
// says whether the read showed it: a lead read without its product maps is
// not a lead with none.
type Lead struct {
	ID          string    `json:"id"`
	Name        string    `json:"name,omitempty"`
	Number      int64     `json:"number,omitempty"`
	Status      string    `json:"status,omitempty"` // "open", "won", "lost", "cancelled"
	ClosedTime  string    `json:"closedTime,omitempty"`
	DeletedTime string    `json:"deletedTime,omitempty"`
	HTMLURL     string    `json:"htmlUrl,omitempty"`
	Links       LeadLinks `json:"links,omitempty"`

	// ProductMaps are the lead's product maps, in the order read; they are
	// known only when ProductMapsShown.
	ProductMaps      []LeadProductMap `json:"-"`
	ProductMapsShown bool             `json:"-"`
	// ProductMapIDs are the IDs of the lead's product maps
	// ("12-productMaps", links.productMaps), known only when
	// ProductMapIDsShown: a read or a status answer may name them without
	// side-loading the maps, and GET /productmaps/{id} reads them.
	ProductMapIDs      []string `json:"-"`
	ProductMapIDsShown bool     `json:"-"`
	// CompetitorMaps are the IDs of the lead's competitor maps
	// ("5-competitorMaps"); they are known only when CompetitorMapsShown.
	CompetitorMaps      []string `json:"-"`
	CompetitorMapsShown bool     `json:"-"`
}

// LeadLinks are the lead's links to other entities.
type LeadLinks struct {
	Outcome string `json:"outcome,omitempty"` // the outcome's ID, e.g. "1-outcomes", once closed
}

// LeadProductMap is one product on a lead, as a lead read shows it.
type LeadProductMap struct {
	ID       string  // "12-productMaps"; may be empty when shown inline
	Product  string  // the product's ID, "3-products"
	Quantity float64 // 0 when the read gives none; the schema declares a float
	Amount   string  // the price as a decimal string, "" when none
	Currency string  // "USD", "" when none
}

// Outcome is a lead outcome (GET /outcomes).
type Outcome struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"` // "won", "lost", "cancelled"
	Type   string `json:"type,omitempty"`
}

// Product is a catalogue product (GET /products).
type Product struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Competitor is a competitor (GET /competitors).
type Competitor struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CompetitorMap ties one competitor to one lead (GET /competitormaps).
type CompetitorMap struct {
	ID     string             `json:"id"`
	Name   string             `json:"name"`   // the competitor's name
	Status string             `json:"status"` // potential, stole, beat
	Links  CompetitorMapLinks `json:"links"`
}

// CompetitorMapLinks names the lead and competitor of a CompetitorMap.
type CompetitorMapLinks struct {
	Lead       string `json:"lead,omitempty"` // optional in the document
	Competitor string `json:"competitor"`
}

// MapIDs returns the IDs of the lead's product maps, and whether the read
// showed them: from links.productMaps, or from the maps themselves when each
// names its ID.
func (l Lead) MapIDs() ([]string, bool) {
	if l.ProductMapIDsShown {
		return l.ProductMapIDs, true
	}
	if l.ProductMapsShown && mapsHaveIDs(l.ProductMaps) {
		ids := make([]string, len(l.ProductMaps))
		for i, m := range l.ProductMaps {
			ids[i] = m.ID
		}
		return ids, true
	}
	return nil, false
}
