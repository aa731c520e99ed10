package fake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake/contract"
)

// TestAnswersFollowTheContract checks the fake's 200 answers against the
// response schemas of the published document (with its exceptions).
func TestAnswersFollowTheContract(t *testing.T) {
	c, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Options{Leads: 10, ClosedLeads: []string{"2-leads"}, DeletedLeads: []string{"9-leads"}})
	const products = `"productMaps":[{"productType":"product","quantity":2,"price":{"amount":"100.00","currency":"USD"},"links":{"product":"1-products"}},{"links":{"product":"3-products"}}]`
	tests := []struct {
		name         string
		method, path string
		body         string
	}{
		// Closing a lead with products and a competitor map: the FullLead.
		{"status", "POST", "/rest/leads/3-leads/status", `{"outcomeId":"1-outcomes","competitorMaps":["6-competitorMaps"],` + products + `}`},
		// Products on an open lead.
		{"status without outcome", "POST", "/rest/leads/4-leads/status", `{` + products + `}`},
		// Reopening a seeded closed lead.
		{"reopen", "POST", "/rest/leads/2-leads/reopen", ""},
		// One lead, with its maps side-loaded.
		{"one lead", "GET", "/rest/leads/3-leads", ""},
		// Several leads, deleted ones included.
		{"batch", "GET", "/rest/leads/3-leads,4-leads,9-leads,1-leads", ""},
		// A lead by number.
		{"by number", "GET", fmt.Sprintf("/rest/leads?filter[number]=%d&page[limit]=100", LeadNumber(3)), ""},
		// A page of leads.
		{"list", "GET", "/rest/leads?page[page]=0&page[limit]=5", ""},
		// The catalogue reads.
		{"outcomes", "GET", "/rest/outcomes", ""},
		{"products", "GET", "/rest/products?page[limit]=100&page[page]=0", ""},
		{"competitors", "GET", "/rest/competitors?page[limit]=100&page[page]=0", ""},
		{"competitor maps", "GET", "/rest/competitormaps?filter[lead]=3-leads&page[limit]=100&page[page]=0", ""},
		// Taking a product map off its lead: 204, no body.
		{"delete product map", "DELETE", "/rest/productMaps/30001-productMaps", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(tt.method, tt.path, tt.body)
			if r.status != http.StatusOK && !(tt.method == "DELETE" && r.status == http.StatusNoContent) {
				t.Fatalf("status %d, body %s", r.status, r.body)
			}
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if err := c.CheckResponse(req, r.status, r.header, r.body); err != nil {
				t.Errorf("the answer breaks the document: %v\n%s", err, r.body)
			}
		})
	}
}

// TestContractCheckAnswers400 shows what a fake with a CheckRequest does
// with a request the document rejects: a 400 with the reason, nothing
// applied.
func TestContractCheckAnswers400(t *testing.T) {
	c, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Lax: the check is set by hand, so refused requests do not fail this test.
	f := newLaxFixture(t, Options{Leads: 10, CheckRequest: c.Check})
	tests := []struct {
		name         string
		method, path string
		body         string
		want         string // part of the 400 message; "" = a 200
	}{
		// A body the document accepts goes through.
		{"good", "POST", "/rest/leads/1-leads/status", `{"outcomeId":"1-outcomes"}`, ""},
		// An outcome as a number is refused by the document.
		{"outcome a number", "POST", "/rest/leads/2-leads/status", `{"outcomeId":1}`, "value must be a string"},
		// A quantity with a fraction, by the status endpoint's own definition.
		{"fractional quantity", "POST", "/rest/leads/3-leads/status", `{"productMaps":[{"productType":"product","quantity":1.5,"links":{"product":"1-products"}}]}`, "must be an integer"},
		// A query parameter the document does not declare.
		{"undeclared query", "GET", "/rest/leads?number=1", "", `"number"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(tt.method, tt.path, tt.body)
			if tt.want == "" {
				if r.status != http.StatusOK {
					t.Errorf("status %d, body %s", r.status, r.body)
				}
				return
			}
			m := message(t, r)
			if r.status != http.StatusBadRequest || !strings.HasPrefix(m, "The request does not follow Nutshell's published API: ") || !strings.Contains(m, tt.want) {
				t.Errorf("status %d, message %q; want 400 mentioning %s", r.status, m, tt.want)
			}
		})
	}
	if n := f.s.Stats().Applied; n != 1 {
		t.Errorf("%d updates applied, want only the good one", n)
	}
}
