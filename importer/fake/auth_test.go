package fake

import (
	"net/http"
	"testing"
)

func TestAuth(t *testing.T) {
	// Lax: one request goes to a path the API does not have.
	f := newLaxFixture(t, Options{Username: testUser, APIKey: testKey, ReadOnlyKey: "read-only"})
	tests := []struct {
		name      string
		method    string
		path      string
		body      string
		user, key string
		want      int
	}{
		// No credentials at all: an HTML 401 page.
		{"none", http.MethodGet, "/rest/outcomes", "", "", "", http.StatusUnauthorized},
		// A wrong key is refused.
		{"wrong key", http.MethodGet, "/rest/outcomes", "", testUser, "nope", http.StatusUnauthorized},
		// The right key for another user is refused.
		{"wrong user", http.MethodGet, "/rest/outcomes", "", "other@example.com", testKey, http.StatusUnauthorized},
		// Credentials are checked even on paths that do not exist.
		{"unknown route", http.MethodGet, "/rest/nothing", "", "", "", http.StatusUnauthorized},
		// The right credentials pass.
		{"right", http.MethodGet, "/rest/outcomes", "", testUser, testKey, http.StatusOK},
		// A read-only key may read.
		{"read-only GET", http.MethodGet, "/rest/leads/1-leads", "", testUser, "read-only", http.StatusOK},
		// A read-only key may not write: 403 HTML.
		{"read-only POST", http.MethodPost, "/rest/leads/1-leads/status", `{"outcomeId":"1-outcomes"}`, testUser, "read-only", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := f.try(tt.method, tt.path, tt.body, tt.user, tt.key)
			if err != nil {
				t.Fatal(err)
			}
			wantRequestID(t, r)
			if tt.want == http.StatusOK {
				if r.status != http.StatusOK {
					t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
				}
				return
			}
			wantHTML(t, r, tt.want)
		})
	}
	if n := f.s.Applied("1-leads"); n != 0 {
		t.Errorf("Applied(1-leads) = %d after a read-only POST, want 0", n)
	}
}

func TestAuthAnyCredentials(t *testing.T) {
	f := newFixture(t, Options{}) // no credentials configured
	tests := []struct {
		name      string
		user, key string
		want      int
	}{
		// Any non-empty pair is accepted.
		{"any pair", "who@example.com", "whatever", http.StatusOK},
		// An empty key is still refused.
		{"empty key", "who@example.com", "", http.StatusUnauthorized},
		// An empty user is still refused.
		{"empty user", "", "whatever", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := f.try(http.MethodGet, "/rest/products", "", tt.user, tt.key)
			if err != nil {
				t.Fatal(err)
			}
			if r.status != tt.want {
				t.Errorf("status = %d, want %d", r.status, tt.want)
			}
		})
	}
}
