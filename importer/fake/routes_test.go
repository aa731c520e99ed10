package fake

import (
	"net/http"
	"testing"
)

func TestNotFoundAndWrongMethod(t *testing.T) {
	// Lax: these are requests the document has no operation for.
	f := newLaxFixture(t, Options{Leads: 10})
	tests := []struct {
		name   string
		method string
		path   string
		want   int
	}{
		// A path outside the API.
		{"outside /rest", http.MethodGet, "/leads/1-leads", http.StatusNotFound},
		// A route the API does not have.
		{"unknown route", http.MethodGet, "/rest/widgets", http.StatusNotFound},
		// A trailing slash is another path.
		{"trailing slash", http.MethodGet, "/rest/leads/1-leads/", http.StatusNotFound},
		// A lead beyond the seeded ones.
		{"unknown lead", http.MethodGet, "/rest/leads/11-leads", http.StatusNotFound},
		// A lead ID in another entity's form.
		{"wrong entity", http.MethodGet, "/rest/leads/1-contacts", http.StatusNotFound},
		// Status update of an unknown lead.
		{"status of unknown lead", http.MethodPost, "/rest/leads/99-leads/status", http.StatusNotFound},
		// Leading zeros are not an ID.
		{"leading zero", http.MethodPost, "/rest/leads/01-leads/status", http.StatusNotFound},
		// Text is not an ID.
		{"text", http.MethodPost, "/rest/leads/abc/status", http.StatusNotFound},
		// GET on the status endpoint.
		{"GET status", http.MethodGet, "/rest/leads/1-leads/status", http.StatusMethodNotAllowed},
		// POST on a read endpoint.
		{"POST outcomes", http.MethodPost, "/rest/outcomes", http.StatusMethodNotAllowed},
		// An unknown outcome.
		{"unknown outcome", http.MethodGet, "/rest/outcomes/9-outcomes", http.StatusNotFound},
		// An unknown competitor map.
		{"unknown competitor map", http.MethodGet, "/rest/competitormaps/21-competitorMaps", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ""
			if tt.method == http.MethodPost {
				body = `{"outcomeId":"1-outcomes"}`
			}
			r := f.do(tt.method, tt.path, body)
			wantHTML(t, r, tt.want)
			wantRequestID(t, r)
			if tt.want == http.StatusMethodNotAllowed && r.header.Get("Allow") == "" {
				t.Errorf("405 without an Allow header")
			}
		})
	}
	if st := f.s.Stats(); st.Applied != 0 {
		t.Errorf("Stats().Applied = %d, want 0", st.Applied)
	}
}
