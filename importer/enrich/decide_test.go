package enrich

import (
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// outcomeTable is a fixed account: Won and Lost have one outcome each,
// two outcomes close a lead as "cancelled".
type outcomeTable struct{}

func (outcomeTable) Name(id string) string {
	return map[string]string{"1-outcomes": "Won", "2-outcomes": "Lost", "3-outcomes": "Cancelled", "4-outcomes": "No Decision"}[id]
}
func (outcomeTable) StatusIsUnique(status string) bool { return status == "won" || status == "lost" }

func TestDecide(t *testing.T) {
	product := mapping.ProductMap{ProductType: "product", Quantity: 2, Price: &mapping.Price{Amount: "100.00", Currency: "USD"}, Links: mapping.ProductLinks{Product: "3-products"}}
	won := &mapping.Update{Lead: "7-leads", Body: mapping.Body{OutcomeID: "1-outcomes"}, OutcomeStatus: "won"}
	wonWithProduct := &mapping.Update{Lead: "7-leads", Body: mapping.Body{OutcomeID: "1-outcomes", ProductMaps: []mapping.ProductMap{product}}, OutcomeStatus: "won"}
	productsOnly := &mapping.Update{Lead: "7-leads", Body: mapping.Body{ProductMaps: []mapping.ProductMap{product}, CompetitorMaps: []string{"5-competitorMaps"}}}
	cancelled := &mapping.Update{Lead: "7-leads", Body: mapping.Body{OutcomeID: "3-outcomes"}, OutcomeStatus: "cancelled"}
	reopen := &mapping.Update{Lead: "7-leads", Action: mapping.ActionReopen}
	onLead := Product{ID: "3-products", Quantity: 2, Amount: "100", Currency: "usd"}

	tests := []struct {
		name     string
		u        *mapping.Update
		lead     Lead
		rules    Rules
		result   report.Result // "" = send
		kind     kind.Kind
		contains string
	}{
		// A lead the read did not return does not exist: nothing is sent.
		{"missing", won, Lead{}, Rules{}, report.Invalid, kind.LeadMissing, "does not exist"},
		// A deleted lead is not updated.
		{"deleted", won, Lead{Found: true, Deleted: true, Status: "open"}, Rules{}, report.Invalid, kind.LeadDeleted, "deleted"},
		// An open lead gets its outcome.
		{"open lead", won, Lead{Found: true, Status: "open"}, Rules{}, "", "", ""},
		// Closed with the same outcome ID and nothing else asked: done.
		{"already won by ID", won, Lead{Found: true, Status: "won", Outcome: "1-outcomes"}, Rules{}, report.Skipped, kind.AlreadyDone, "already Won; nothing sent"},
		// Without the outcome ID, a status that only one outcome has decides.
		{"already won by unique status", won, Lead{Found: true, Status: "won"}, Rules{}, report.Skipped, kind.AlreadyDone, "already"},
		// A status two outcomes share cannot tell which one the lead has: closed, not changed.
		{"shared status", cancelled, Lead{Found: true, Status: "cancelled"}, Rules{}, report.Skipped, kind.Closed, "--update-closed"},
		// Same outcome, and the read shows the product already on the lead (100 = 100.00, usd = USD).
		{"already won with its product", wonWithProduct, Lead{Found: true, Status: "won", Outcome: "1-outcomes", Products: []Product{onLead}, ProductsKnown: true}, Rules{}, report.Skipped, kind.AlreadyDone, "nothing sent"},
		// Same outcome, but the read cannot show products: a skip that needs a look.
		{"won, products unknown", wonWithProduct, Lead{Found: true, Status: "won", Outcome: "1-outcomes"}, Rules{}, report.Skipped, kind.AlreadyDone, "its products not checked: this server does not show them on the lead (look at lead 7-leads"},
		// Same outcome, but the product is not on the lead: not changed without --update-closed.
		{"won, product missing", wonWithProduct, Lead{Found: true, Status: "won", Outcome: "1-outcomes", ProductsKnown: true}, Rules{}, report.Skipped, kind.Closed, "--update-closed"},
		// Closed with another outcome: not changed.
		{"closed as lost", won, Lead{Found: true, Status: "lost", Outcome: "2-outcomes"}, Rules{}, report.Skipped, kind.Closed, "closed as Lost"},
		// --skip-closed given: the same skip counts as done.
		{"explicit skip-closed", won, Lead{Found: true, Status: "lost", Outcome: "2-outcomes"}, Rules{SkipClosed: true}, report.Skipped, kind.SkipClosed, "--skip-closed"},
		// --update-closed sends to closed leads as asked.
		{"update closed", won, Lead{Found: true, Status: "lost", Outcome: "2-outcomes"}, Rules{UpdateClosed: true}, "", "", ""},
		// Closed, and the row has no outcome: not changed.
		{"closed, products only", productsOnly, Lead{Found: true, Status: "won", Outcome: "1-outcomes"}, Rules{}, report.Skipped, kind.Closed, "closed as Won"},
		// Open, products and competitors all on the lead: done.
		{"open, maps there", productsOnly, Lead{Found: true, Status: "open", Products: []Product{onLead}, ProductsKnown: true, CompetitorMaps: []string{"5-competitormaps"}, CompetitorsKnown: true}, Rules{}, report.Skipped, kind.AlreadyDone, "already has"},
		// Open, one competitor map missing: sent.
		{"open, a map missing", productsOnly, Lead{Found: true, Status: "open", Products: []Product{onLead}, ProductsKnown: true, CompetitorsKnown: true}, Rules{}, "", "", ""},
		// Open, the read cannot show the maps: sent (README says a re-run is safe only where reads show maps).
		{"open, maps unknown", productsOnly, Lead{Found: true, Status: "open"}, Rules{}, "", "", ""},
		// Reopen on an open lead: nothing to do.
		{"reopen open", reopen, Lead{Found: true, Status: "open"}, Rules{}, report.Skipped, kind.AlreadyDone, "already open"},
		// Reopen on a closed lead: sent.
		{"reopen closed", reopen, Lead{Found: true, Status: "won"}, Rules{}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.u, tt.lead, tt.rules, outcomeTable{})
			if d.Result != tt.result || d.Kind != tt.kind || !strings.Contains(d.Note, tt.contains) {
				t.Errorf("Decide = %q %q %q, want %q %q containing %q", d.Result, d.Kind, d.Note, tt.result, tt.kind, tt.contains)
			}
		})
	}
}

func TestTwoEqualProductsNeedTwoOnTheLead(t *testing.T) {
	// Each product map asked for must match a product map of its own.
	pm := mapping.ProductMap{ProductType: "product", Quantity: 1, Links: mapping.ProductLinks{Product: "3-products"}}
	u := &mapping.Update{Lead: "7-leads", Body: mapping.Body{ProductMaps: []mapping.ProductMap{pm, pm}}}
	one := Lead{Found: true, Status: "open", ProductsKnown: true, Products: []Product{{ID: "3-products", Quantity: 1}}}
	if d := Decide(u, one, Rules{}, outcomeTable{}); d.Result != "" {
		t.Errorf("two maps asked, one on the lead: %q %q, want sent", d.Result, d.Note)
	}
	two := one
	two.Products = append(two.Products, Product{ID: "3-products", Quantity: 1})
	if d := Decide(u, two, Rules{}, outcomeTable{}); d.Result != report.Skipped {
		t.Errorf("two maps asked, two on the lead: %q, want skipped", d.Result)
	}
}
