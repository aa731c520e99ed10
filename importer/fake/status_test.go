package fake

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestStatusUpdateApplied(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		body       string
		wantStatus string
		wantLink   string
	}{
		// Won closes the lead as won.
		{"won", "/rest/leads/7-leads/status", `{"outcomeId":"1-outcomes"}`, "won", "1-outcomes"},
		// No Decision is a loss.
		{"no decision", "/rest/leads/7-leads/status", `{"outcomeId":"4-outcomes"}`, "lost", "4-outcomes"},
		// Cancelled, with a bare lead ID and a bare outcome ID.
		{"bare ids", "/rest/leads/7/status", `{"outcomeId":"3"}`, "cancelled", "3-outcomes"},
		// Competitor maps and products without an outcome leave the lead open.
		{"no outcome", "/rest/leads/7-leads/status", `{"competitorMaps":["13-competitorMaps"],"productMaps":[{"links":{"product":"2-products"}}]}`, "open", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{Leads: 10, RecordBodies: true})
			r := f.do(http.MethodPost, tt.path, tt.body)
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
			}
			wantRequestID(t, r)
			// The 200 body is the lead itself (FullLead), not a list.
			got := decode[leadJSON](t, r)
			if got.ID != "7-leads" || got.Status != tt.wantStatus || got.Links.Outcome != tt.wantLink {
				t.Errorf("answer = %+v, want 7-leads %s %s", got, tt.wantStatus, tt.wantLink)
			}
			if (tt.wantStatus == "open") != (got.ClosedTime == "") {
				t.Errorf("closedTime = %q with status %s", got.ClosedTime, got.Status)
			}
			// GET shows the same state.
			after := decode[leadsBody](t, f.do(http.MethodGet, "/rest/leads/7-leads", ""))
			if len(after.Leads) != 1 || after.Leads[0].Status != tt.wantStatus || after.Leads[0].Links.Outcome != tt.wantLink {
				t.Errorf("GET after update = %+v", after.Leads)
			}
			if l, _ := f.s.Lead("7-leads"); l.Status != tt.wantStatus {
				t.Errorf("Lead(7-leads).Status = %q, want %q", l.Status, tt.wantStatus)
			}
			if n := f.s.Applied("7-leads"); n != 1 {
				t.Errorf("Applied = %d, want 1", n)
			}
			if b := f.s.AppliedBodies("7"); len(b) != 1 || string(b[0]) != tt.body {
				t.Errorf("AppliedBodies = %q, want [%s]", b, tt.body)
			}
		})
	}
}

func TestStatusUpdateRecordsMaps(t *testing.T) {
	f := newFixture(t, Options{Leads: 10})
	body := `{"competitorMaps":["5-competitorMaps"],"productMaps":[{"productType":"product","quantity":2,"price":{"amount":"100.00","currency":"USD"},"links":{"product":"1-products"}}]}`
	// The same update twice: product maps pile up, so a double apply shows;
	// the competitor map was on the lead already and stays there once.
	f.do(http.MethodPost, "/rest/leads/3-leads/status", body)
	got := decode[leadJSON](t, f.do(http.MethodPost, "/rest/leads/3-leads/status", body))
	// The POST answers the lead itself, its maps named under links.
	if len(got.Links.ProductMaps) != 2 || got.Links.ProductMaps[0] == got.Links.ProductMaps[1] {
		t.Fatalf("links.productMaps = %v, want two distinct IDs", got.Links.ProductMaps)
	}
	if strings.Join(got.Links.Products, ",") != "1-products" || strings.Join(got.Links.CompetitorMaps, ",") != "5-competitorMaps,6-competitorMaps" {
		t.Errorf("links = %+v", got.Links)
	}
	// A read side-loads the maps the links name.
	read := decode[leadsBody](t, f.do(http.MethodGet, "/rest/leads/3-leads", ""))
	if len(read.ProductMaps) != 2 || read.ProductMaps[0].ID != got.Links.ProductMaps[0] {
		t.Fatalf("side-loaded productMaps = %+v", read.ProductMaps)
	}
	pm := read.ProductMaps[0]
	if pm.ProductType != "product" || pm.Quantity != 2 || pm.Price == nil || pm.Price.Amount != "100.00" || pm.Price.Currency != "USD" || pm.Links.Product != "1-products" {
		t.Errorf("productMaps[0] = %+v", pm)
	}
	if len(read.CompetitorMaps) != 2 || read.CompetitorMaps[0].ID != "5-competitorMaps" || read.CompetitorMaps[0].Links.Lead != "3-leads" {
		t.Errorf("side-loaded competitorMaps = %+v", read.CompetitorMaps)
	}
	if n := f.s.Applied("3-leads"); n != 2 {
		t.Errorf("Applied = %d, want 2", n)
	}
}

func TestClosedLeadAnswers422(t *testing.T) {
	f := newFixture(t, Options{Leads: 10, ClosedLeads: []string{"2-leads", "4"}})
	f.do(http.MethodPost, "/rest/leads/5-leads/status", `{"outcomeId":"2-outcomes"}`)
	tests := []struct {
		name string
		lead string
	}{
		{"seeded closed", "2-leads"},       // closed by Options.ClosedLeads
		{"seeded with bare id", "4-leads"}, // a bare ID in Options.ClosedLeads
		{"closed by an update", "5-leads"}, // closed by the POST above
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.s.Applied(tt.lead)
			r := f.do(http.MethodPost, "/rest/leads/"+tt.lead+"/status", `{"outcomeId":"1-outcomes"}`)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422; body %s", r.status, r.body)
			}
			if m, want := message(t, r), "Lead "+tt.lead+" is already closed."; m != want {
				t.Errorf("message = %q, want %q", m, want)
			}
			if f.s.Applied(tt.lead) != before {
				t.Errorf("a refused update was counted as applied")
			}
		})
	}
	if l, _ := f.s.Lead("2-leads"); l.Status != "won" || l.Links.Outcome != "1-outcomes" || l.ClosedTime == "" {
		t.Errorf("seeded closed lead = %+v", l)
	}
}

func TestReopen(t *testing.T) {
	f := newFixture(t, Options{Leads: 10, ClosedLeads: []string{"2-leads"}})
	r := f.do(http.MethodPost, "/rest/leads/2-leads/reopen", "")
	if r.status != http.StatusOK {
		t.Fatalf("reopen closed lead: status %d; body %s", r.status, r.body)
	}
	if got := decode[leadJSON](t, r); got.Status != "open" || got.Links.Outcome != "" || got.ClosedTime != "" {
		t.Errorf("reopened lead = %+v", got)
	}
	// Once open, the lead can be closed again.
	if r := f.do(http.MethodPost, "/rest/leads/2-leads/status", `{"outcomeId":"2-outcomes"}`); r.status != http.StatusOK {
		t.Errorf("close after reopen: status %d; body %s", r.status, r.body)
	}
	if n := f.s.Applied("2-leads"); n != 2 {
		t.Errorf("Applied = %d, want 2 (reopen and close)", n)
	}
	// An open lead cannot be reopened.
	r = f.do(http.MethodPost, "/rest/leads/3-leads/reopen", "")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(message(t, r), "3-leads") {
		t.Errorf("reopen open lead: status %d, body %s; want 422 naming the lead", r.status, r.body)
	}
}

func TestDeletedLead(t *testing.T) {
	f := newFixture(t, Options{Leads: 10, DeletedLeads: []string{"6-leads"}})
	// Updates to a deleted lead are refused as if it did not exist.
	wantHTML(t, f.do(http.MethodPost, "/rest/leads/6-leads/status", `{"outcomeId":"1-outcomes"}`), http.StatusNotFound)
	// Reading it shows that it was deleted.
	got := decode[leadsBody](t, f.do(http.MethodGet, "/rest/leads/6-leads", ""))
	if len(got.Leads) != 1 || got.Leads[0].DeletedTime == "" {
		t.Errorf("GET deleted lead = %+v, want deletedTime set", got.Leads)
	}
	if l, ok := f.s.Lead("6-leads"); !ok || l.DeletedTime == "" {
		t.Errorf("Lead(6-leads) = %+v, %v", l, ok)
	}
}

func TestStatusValidation(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // part of the message
	}{
		// Nothing at all.
		{"empty body", ``, "must be a JSON object"},
		// An array is not an object.
		{"array", `[{"outcomeId":"1-outcomes"}]`, "must be a JSON object"},
		// Broken JSON.
		{"broken", `{"outcomeId":`, "must be a JSON object"},
		// A misspelt field is refused, not ignored.
		{"unknown field", `{"outcomeID":"1-outcomes"}`, `"outcomeID"`},
		// An outcome that does not exist.
		{"unknown outcome", `{"outcomeId":"9-outcomes"}`, `"9-outcomes"`},
		// An outcome given as a number.
		{"outcome not a string", `{"outcomeId":1}`, "outcomeId must be a string"},
		// An outcome ID of another entity.
		{"outcome of wrong entity", `{"outcomeId":"1-products"}`, `"1-products"`},
		// A competitor map that does not exist.
		{"unknown competitor map", `{"competitorMaps":["99-competitorMaps"]}`, `"99-competitorMaps"`},
		// A competitor map of another lead (lead 1's).
		{"map of another lead", `{"competitorMaps":["1-competitorMaps"]}`, "belongs to lead 1-leads"},
		// Competitor maps not in an array.
		{"maps not an array", `{"competitorMaps":"13-competitorMaps"}`, "array"},
		// A product that does not exist.
		{"unknown product", `{"productMaps":[{"links":{"product":"9-products"}}]}`, `"9-products"`},
		// A product map with no product.
		{"no product", `{"productMaps":[{"productType":"product","quantity":1}]}`, "productMaps[0].links.product is required"},
		// Quantity without productType.
		{"quantity without type", `{"productMaps":[{"quantity":2,"links":{"product":"1-products"}}]}`, "without productType"},
		// Price without productType.
		{"price without type", `{"productMaps":[{"price":{"amount":"1.00"},"links":{"product":"1-products"}}]}`, "without productType"},
		// A fractional quantity.
		{"fractional quantity", `{"productMaps":[{"productType":"product","quantity":1.5,"links":{"product":"1-products"}}]}`, "quantity must be a whole number"},
		// A quantity of zero.
		{"zero quantity", `{"productMaps":[{"productType":"product","quantity":0,"links":{"product":"1-products"}}]}`, "at least 1"},
		// A quantity as a string.
		{"quantity string", `{"productMaps":[{"productType":"product","quantity":"2","links":{"product":"1-products"}}]}`, "quantity must be a whole number"},
		// A quantity in exponent form.
		{"quantity exponent", `{"productMaps":[{"productType":"product","quantity":1e2,"links":{"product":"1-products"}}]}`, "quantity must be a whole number"},
		// A price amount as a JSON number.
		{"amount number", `{"productMaps":[{"productType":"product","price":{"amount":100},"links":{"product":"1-products"}}]}`, "decimal string"},
		// A price amount with a thousands separator.
		{"amount with comma", `{"productMaps":[{"productType":"product","price":{"amount":"1,000.00"},"links":{"product":"1-products"}}]}`, "decimal string"},
		// The second product map is named when it is the bad one.
		{"second map", `{"productMaps":[{"links":{"product":"1-products"}},{"links":{"product":"x"}}]}`, "productMaps[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Lax: the fake's own check is under test, and some of these
			// bodies break the document too.
			f := newLaxFixture(t, Options{Leads: 10})
			r := f.do(http.MethodPost, "/rest/leads/7-leads/status", tt.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %s", r.status, r.body)
			}
			if m := message(t, r); !strings.Contains(m, tt.want) {
				t.Errorf("message = %q, want it to contain %q", m, tt.want)
			}
			if f.s.Applied("7-leads") != 0 {
				t.Errorf("a refused update was applied")
			}
		})
	}
}

func TestClosedLeadApplied(t *testing.T) {
	const body = `{"outcomeId":"%s","productMaps":[{"productType":"product","quantity":1,"links":{"product":"3-products"}}]}`
	tests := []struct {
		name        string
		lead        string
		outcomes    []string // sent in turn
		wantStatus  string
		wantApplied int
	}{
		// The same update twice: applied twice, products added twice.
		{"same update twice", "5-leads", []string{"1-outcomes", "1-outcomes"}, "won", 2},
		// A seeded closed lead takes another outcome.
		{"seeded closed", "2-leads", []string{"2-outcomes"}, "lost", 1},
		// Three times, the last outcome wins.
		{"three times", "6-leads", []string{"1-outcomes", "4-outcomes", "3-outcomes"}, "cancelled", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{Leads: 10, ClosedLeads: []string{"2-leads"}, OnClosed: ApplyToClosed})
			for _, o := range tt.outcomes {
				if r := f.do(http.MethodPost, "/rest/leads/"+tt.lead+"/status", fmt.Sprintf(body, o)); r.status != http.StatusOK {
					t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
				}
			}
			if n := f.s.Applied(tt.lead); n != tt.wantApplied {
				t.Errorf("Applied = %d, want %d", n, tt.wantApplied)
			}
			l, _ := f.s.Lead(tt.lead)
			if l.Status != tt.wantStatus || len(l.ProductMaps) != tt.wantApplied {
				t.Errorf("lead = %s with %d product maps, want %s with %d", l.Status, len(l.ProductMaps), tt.wantStatus, tt.wantApplied)
			}
		})
	}
}

func TestParseClosedPolicy(t *testing.T) {
	tests := []struct {
		in      string
		want    ClosedPolicy
		wantErr bool
	}{
		{"reject", RejectClosed, false}, // today's behaviour, the default
		{"apply", ApplyToClosed, false}, // applied again
		{"Apply", RejectClosed, true},   // spelt exactly, as the flag documents it
		{"", RejectClosed, true},        // nothing is no policy
	}
	for _, tt := range tests {
		got, err := ParseClosedPolicy(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseClosedPolicy(%q) = %v, %v", tt.in, got, err)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
	if ClosedPolicy(0) != RejectClosed {
		t.Error("the zero value must reject, as the fake always did")
	}
}

func TestDeleteProductMap(t *testing.T) {
	f := newFixture(t, Options{Leads: 10})
	body := `{"productMaps":[{"productType":"product","quantity":1,"links":{"product":"1-products"}},{"productType":"product","quantity":2,"links":{"product":"2-products"}}]}`
	got := decode[leadJSON](t, f.do(http.MethodPost, "/rest/leads/3-leads/status", body))
	if strings.Join(got.Links.ProductMaps, ",") != "30001-productMaps,30002-productMaps" {
		t.Fatalf("links.productMaps = %v", got.Links.ProductMaps)
	}
	// The published path has a capital M; the first DELETE takes the map
	// off, a second finds it gone.
	if r := f.do(http.MethodDelete, "/rest/productMaps/30001-productMaps", ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	if r := f.do(http.MethodDelete, "/rest/productMaps/30001-productMaps", ""); r.status != http.StatusNotFound {
		t.Errorf("second DELETE: %d", r.status)
	}
	l, _ := f.s.Lead("3-leads")
	if len(l.ProductMaps) != 1 || l.ProductMaps[0].ID != "30002-productMaps" {
		t.Errorf("maps after DELETE: %+v", l.ProductMaps)
	}
}
