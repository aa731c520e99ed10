package nutshell

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

func TestLeadReadShowsMaps(t *testing.T) {
	pm7 := `{"id":"7-productMaps","productType":"product","quantity":2,"price":{"formatted":"$100.00","amount":"100.00","currency":"USD"},"links":{"product":"1-products"}}`
	pm8 := `{"id":"8-productMaps","quantity":"1.5","price":{"amount":99.5},"links":{"product":"2-products"}}`
	want7 := LeadProductMap{ID: "7-productMaps", Product: "1-products", Quantity: 2, Amount: "100.00", Currency: "USD"}
	want8 := LeadProductMap{ID: "8-productMaps", Product: "2-products", Quantity: 1.5, Amount: "99.5"}
	tests := []struct {
		name      string
		body      string // the answer to GET /leads/1-leads
		products  []LeadProductMap
		pmShown   bool
		compMaps  []string
		cmShown   bool
		outcomeID string
	}{
		// Maps named under links and side-loaded beside the leads, as the fake serves them.
		{name: "side-loaded",
			body:     `{"leads":[{"id":"1-leads","status":"won","links":{"outcome":"1-outcomes","productMaps":["7-productMaps","8-productMaps"],"competitorMaps":["3-competitorMaps"]}}],"productMaps":[` + pm8 + `,` + pm7 + `],"competitorMaps":[]}`,
			products: []LeadProductMap{want7, want8}, pmShown: true, compMaps: []string{"3-competitorMaps"}, cmShown: true, outcomeID: "1-outcomes"},
		// Empty lists under links: shown, and none.
		{name: "none",
			body:     `{"leads":[{"id":"1-leads","status":"open","links":{"productMaps":[],"competitorMaps":[]}}]}`,
			products: []LeadProductMap{}, pmShown: true, compMaps: []string{}, cmShown: true},
		// No lists at all: the read cannot show them, which is not "none".
		{name: "not shown",
			body: `{"leads":[{"id":"1-leads","status":"won","links":{"outcome":"2-outcomes"}}]}`, outcomeID: "2-outcomes"},
		// A product map named but not side-loaded: part of a list is not the list.
		{name: "map missing from the side-load",
			body:     `{"leads":[{"id":"1-leads","links":{"productMaps":["7-productMaps","9-productMaps"],"competitorMaps":["3-competitorMaps"]}}],"productMaps":[` + pm7 + `]}`,
			compMaps: []string{"3-competitorMaps"}, cmShown: true},
		// The bare FullLead a status update answers: IDs under links, no side-load.
		{name: "bare lead with links only",
			body: `{"id":"1-leads","status":"won","links":{"outcome":"1-outcomes","productMaps":["7-productMaps"]}}`, outcomeID: "1-outcomes"},
		// Product maps embedded in the lead are read as they are.
		{name: "inline product maps",
			body:     `{"leads":[{"id":"1-leads","productMaps":[` + pm7 + `]}]}`,
			products: []LeadProductMap{want7}, pmShown: true},
		// Competitor maps given as objects, by their IDs.
		{name: "competitor maps as objects",
			body:     `{"leads":[{"id":"1-leads","links":{"competitorMaps":[{"id":"5-competitorMaps"},{"id":6}]}}]}`,
			compMaps: []string{"5-competitorMaps", "6"}, cmShown: true},
		// Lists of the wrong type show nothing.
		{name: "null and object lists",
			body: `{"leads":[{"id":"1-leads","productMaps":null,"links":{"productMaps":{"a":1},"competitorMaps":null}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, serve(http.StatusOK, jsonType, tt.body))
			c := newClient(t, srv)
			batch, err := c.LeadBatch(context.Background(), []string{"1-leads"})
			if err != nil || len(batch) != 1 {
				t.Fatalf("Leads: %+v, %v", batch, err)
			}
			one, _, err := c.Lead(context.Background(), "1-leads")
			if err != nil {
				t.Fatalf("Lead: %v", err)
			}
			for _, got := range []Lead{batch[0], one} {
				if got.ProductMapsShown != tt.pmShown || !reflect.DeepEqual(got.ProductMaps, tt.products) {
					t.Errorf("product maps = %+v (shown %v), want %+v (shown %v)", got.ProductMaps, got.ProductMapsShown, tt.products, tt.pmShown)
				}
				if got.CompetitorMapsShown != tt.cmShown || fmt.Sprint(got.CompetitorMaps) != fmt.Sprint(tt.compMaps) {
					t.Errorf("competitor maps = %v (shown %v), want %v (shown %v)", got.CompetitorMaps, got.CompetitorMapsShown, tt.compMaps, tt.cmShown)
				}
				if got.Links.Outcome != tt.outcomeID {
					t.Errorf("outcome = %q, want %q", got.Links.Outcome, tt.outcomeID)
				}
			}
		})
	}
}
