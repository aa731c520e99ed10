package nutshell

// Lead is the part of a FullLead the importer uses.
type Lead struct {
	ID          string    `json:"id"`
	Name        string    `json:"name,omitempty"`
	Number      int64     `json:"number,omitempty"`
	Status      string    `json:"status,omitempty"` // "open", "won", "lost", "cancelled"
	ClosedTime  string    `json:"closedTime,omitempty"`
	DeletedTime string    `json:"deletedTime,omitempty"`
	HTMLURL     string    `json:"htmlUrl,omitempty"`
	Links       LeadLinks `json:"links,omitempty"`
}

// LeadLinks are the lead's links to other entities.
type LeadLinks struct {
	Outcome string `json:"outcome,omitempty"` // e.g. "1-outcomes" once closed
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
	Lead       string `json:"lead"`
	Competitor string `json:"competitor"`
}
