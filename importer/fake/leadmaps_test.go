package fake

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// TestLeadReadsShowMaps reads leads through the client after updates, one
// at a time and in one batch, and checks the outcome and maps it decodes.
func TestLeadReadsShowMaps(t *testing.T) {
	f := newFixture(t, Options{Leads: 10, ClosedLeads: []string{"2-leads"}, DeletedLeads: []string{"9-leads"}})
	post := func(path, body string) {
		t.Helper()
		if r := f.do(http.MethodPost, path, body); r.status != http.StatusOK {
			t.Fatalf("POST %s: %d %s", path, r.status, r.body)
		}
	}
	post("/rest/leads/3-leads/status", `{"outcomeId":"2-outcomes","competitorMaps":["6-competitorMaps"],"productMaps":[{"productType":"product","quantity":3,"price":{"amount":"8661.12","currency":"EUR"},"links":{"product":"4-products"}},{"links":{"product":"1-products"}}]}`)
	post("/rest/leads/4-leads/status", `{"productMaps":[{"productType":"product","quantity":1,"links":{"product":"2-products"}}]}`)
	post("/rest/leads/5-leads/status", `{"outcomeId":"1-outcomes","productMaps":[{"links":{"product":"5-products"}}]}`)
	post("/rest/leads/5-leads/reopen", "")

	tests := []struct {
		name     string
		lead     string
		outcome  string
		products []nutshell.LeadProductMap
		compMaps []string
	}{
		// Never touched: open, no product maps (shown, and none), its two
		// competitor maps.
		{"untouched", "1-leads", "", []nutshell.LeadProductMap{}, []string{"1-competitorMaps", "2-competitorMaps"}},
		// Seeded closed: its outcome, no product maps.
		{"seeded closed", "2-leads", "1-outcomes", []nutshell.LeadProductMap{}, []string{"3-competitorMaps", "4-competitorMaps"}},
		// Closed by an update with products and a competitor map.
		{"closed with maps", "3-leads", "2-outcomes", []nutshell.LeadProductMap{
			{ID: "30001-productMaps", Product: "4-products", Quantity: 3, Amount: "8661.12", Currency: "EUR"},
			{ID: "30002-productMaps", Product: "1-products"},
		}, []string{"5-competitorMaps", "6-competitorMaps"}},
		// Products added to an open lead leave it open.
		{"products only", "4-leads", "", []nutshell.LeadProductMap{{ID: "40001-productMaps", Product: "2-products", Quantity: 1}}, []string{"7-competitorMaps", "8-competitorMaps"}},
		// Reopened: no outcome, the products stay.
		{"reopened", "5-leads", "", []nutshell.LeadProductMap{{ID: "50001-productMaps", Product: "5-products"}}, []string{"9-competitorMaps", "10-competitorMaps"}},
		// Deleted: still read, with no product maps.
		{"deleted", "9-leads", "", []nutshell.LeadProductMap{}, []string{"17-competitorMaps", "18-competitorMaps"}},
	}
	c, err := nutshell.New(nutshell.Config{BaseURL: f.ts.URL + "/rest", Username: testUser, APIKey: testKey, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids []string
	for _, tt := range tests {
		ids = append(ids, tt.lead)
	}
	batch, err := c.LeadBatch(ctx, ids)
	if err != nil || len(batch) != len(tests) {
		t.Fatalf("Leads: %d leads, %v", len(batch), err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			one, _, err := c.Lead(ctx, tt.lead)
			if err != nil {
				t.Fatalf("Lead: %v", err)
			}
			own, _ := f.s.Lead(tt.lead)
			for _, got := range []nutshell.Lead{batch[i], one, own} {
				if got.ID != tt.lead || got.Links.Outcome != tt.outcome {
					t.Errorf("%s: outcome %q, want %s %q", got.ID, got.Links.Outcome, tt.lead, tt.outcome)
				}
				if !got.ProductMapsShown || !reflect.DeepEqual(got.ProductMaps, tt.products) {
					t.Errorf("product maps = %+v (shown %v), want %+v", got.ProductMaps, got.ProductMapsShown, tt.products)
				}
				if !got.CompetitorMapsShown || !reflect.DeepEqual(got.CompetitorMaps, tt.compMaps) {
					t.Errorf("competitor maps = %v (shown %v), want %v", got.CompetitorMaps, got.CompetitorMapsShown, tt.compMaps)
				}
			}
		})
	}
}
