package mapping

// Action says which endpoint an Update goes to.
type Action int

const (
	// ActionStatus posts the Body to POST /leads/{id}/status.
	ActionStatus Action = iota
	// ActionReopen posts to POST /leads/{id}/reopen (outcome cell "open" or "reopen").
	ActionReopen
)

// Update is one request for one lead, possibly merged from several consecutive rows.
type Update struct {
	Lead   string // normalised API ID, e.g. "1006-leads"
	Action Action
	Body   Body
	// OutcomeStatus is the status the outcome closes the lead as ("won", "lost",
	// "cancelled"), when known; it lets the importer confirm an ambiguous failure.
	OutcomeStatus string
}

// Body is the JSON body of POST /leads/{id}/status; empty fields are omitted.
type Body struct {
	OutcomeID      string       `json:"outcomeId,omitempty"`
	CompetitorMaps []string     `json:"competitorMaps,omitempty"`
	ProductMaps    []ProductMap `json:"productMaps,omitempty"`
}

// ProductMap maps one product to the lead.
type ProductMap struct {
	ProductType string       `json:"productType"`
	Quantity    int          `json:"quantity,omitempty"`
	Price       *Price       `json:"price,omitempty"`
	Links       ProductLinks `json:"links"`
}

// Price is a decimal amount as a string, so no float ever rounds it.
type Price struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency,omitempty"`
}

// ProductLinks names the product a ProductMap is for.
type ProductLinks struct {
	Product string `json:"product"`
}

// JSON returns the exact bytes sent for the update: dry-run shows these same bytes.
// They are what encoding/json makes of Body with HTML escaping off.
// A reopen has no body and returns nil.
func (u Update) JSON() []byte {
	if u.Action == ActionReopen {
		return nil
	}
	return appendBody(make([]byte, 0, bodySize(&u.Body)), &u.Body)
}
