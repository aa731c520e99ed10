package nutshell

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func TestOutcomesShapes(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		// The expected shape.
		{name: "wrapped", body: `{"outcomes":[{"id":"1-outcomes","name":"Won","status":"won"},{"id":"2-outcomes","name":"Lost","status":"lost"}],"meta":{}}`},
		// A bare array, which the sloppy schema also allows.
		{name: "bare array", body: `[{"id":"1-outcomes","name":"Won","status":"won"},{"id":"2-outcomes","name":"Lost","status":"lost"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, newServer(t, serve(200, jsonType, tt.body)))
			got, err := c.Outcomes(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := []Outcome{{ID: "1-outcomes", Name: "Won", Status: "won"}, {ID: "2-outcomes", Name: "Lost", Status: "lost"}}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got %+v", got)
			}
		})
	}
	t.Run("HTML", func(t *testing.T) {
		// A 200 HTML page (wrong --url) is an error that names the page.
		c := newClient(t, newServer(t, serve(200, htmlType, "<title>Nutshell CRM</title>")))
		_, err := c.Outcomes(context.Background())
		if e := asError(t, err); e.Kind != KindDefinite || !strings.Contains(e.Message, `"Nutshell CRM"`) {
			t.Errorf("err = %v (kind %v)", err, e.Kind)
		}
	})
}

// productPages serves n products in pages per page[page] and page[limit];
// meta and links say what the mode asks for.
func productPages(t *testing.T, n int, mode string, requests *atomic.Int32) http.HandlerFunc {
	t.Helper()
	return func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page[page]"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("page[limit]"))
		if mode == "ignores paging" {
			page, limit = 0, 100
		}
		var items []Product
		for i := page * limit; i < min(n, (page+1)*limit); i++ {
			items = append(items, Product{ID: fmt.Sprintf("%d-products", i), Name: fmt.Sprintf("P%d", i)})
		}
		body := map[string]any{"products": items}
		switch mode {
		case "meta total":
			body["meta"] = map[string]any{"total": n}
		case "next links":
			next := ""
			if (page+1)*limit < n {
				next = fmt.Sprintf("/rest/products?page[page]=%d", page+1)
			}
			body["links"] = map[string]any{"next": next}
		}
		b, _ := json.Marshal(body)
		serve(200, jsonType, string(b))(w, r)
	}
}

func TestProductsPaging(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		mode     string
		want     int
		requests int32
	}{
		// meta.total says how many there are.
		{name: "meta total", n: 250, mode: "meta total", want: 250, requests: 3},
		// links.next points to the next page until the last.
		{name: "next links", n: 250, mode: "next links", want: 250, requests: 3},
		// No meta: full pages mean there may be more; an empty page ends it.
		{name: "no meta", n: 200, mode: "none", want: 200, requests: 3},
		// A server that ignores page[page] repeats page 0; the repeat ends it.
		{name: "ignores paging", n: 250, mode: "ignores paging", want: 100, requests: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			c := newClient(t, newServer(t, productPages(t, tt.n, tt.mode, &requests)))
			got, err := c.Products(context.Background(), false)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want || requests.Load() != tt.requests {
				t.Errorf("%d products in %d requests, want %d in %d", len(got), requests.Load(), tt.want, tt.requests)
			}
		})
	}
}

func TestCompetitorMaps(t *testing.T) {
	all := []CompetitorMap{
		{ID: "1-competitorMaps", Name: "Acme", Status: "potential", Links: CompetitorMapLinks{Lead: "10-leads", Competitor: "1-competitors"}},
		{ID: "2-competitorMaps", Name: "Globex", Status: "beat", Links: CompetitorMapLinks{Lead: "10-leads", Competitor: "2-competitors"}},
		{ID: "3-competitorMaps", Name: "Acme", Status: "stole", Links: CompetitorMapLinks{Lead: "11-leads", Competitor: "1-competitors"}},
	}
	tests := []struct {
		name         string
		honorsFilter bool
	}{
		// The server filters by lead.
		{name: "filtered", honorsFilter: true},
		// The server ignores the filter: the answer shows it, and says so.
		{name: "unfiltered", honorsFilter: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var filters []string
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				lead := r.URL.Query().Get("filter[lead]")
				filters = append(filters, lead)
				var out []CompetitorMap
				for _, m := range all {
					if !tt.honorsFilter || m.Links.Lead == lead {
						out = append(out, m)
					}
				}
				b, _ := json.Marshal(map[string]any{"competitorMaps": out, "leads": []any{}, "competitors": []any{}, "meta": map[string]any{"total": len(out)}})
				serve(200, jsonType, string(b))(w, r)
			}))
			got, err := newClient(t, srv).CompetitorMaps(context.Background(), []string{"10-leads", "10-leads"})
			if !tt.honorsFilter {
				if !errors.Is(err, ErrFilterIgnored) {
					t.Errorf("err = %v, want ErrFilterIgnored", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].ID != "1-competitorMaps" || got[1].Links.Competitor != "2-competitors" {
				t.Errorf("got %+v", got)
			}
			if fmt.Sprint(filters) != "[10-leads]" {
				t.Errorf("filters asked = %v, want one request for 10-leads", filters)
			}
		})
	}
}

func TestCompetitors(t *testing.T) {
	c := newClient(t, newServer(t, serve(200, jsonType, `{"competitors":[{"id":"1-competitors","name":"Acme"}]}`)))
	got, err := c.Competitors(context.Background(), false)
	if err != nil || len(got) != 1 || got[0].Name != "Acme" {
		t.Errorf("got %+v, %v", got, err)
	}
}

func TestCheckAuth(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		wantErr  bool
		contains string
	}{
		// Credentials accepted.
		{name: "ok", handler: serve(200, jsonType, `{"outcomes":[]}`)},
		// Credentials refused.
		{name: "401", handler: serve(401, htmlType, "<title>An Error Occurred: Unauthorized</title>"), wantErr: true, contains: "HTTP 401: An Error Occurred: Unauthorized"},
		// Key without permission.
		{name: "403", handler: serve(403, jsonType, `{"message":"Forbidden"}`), wantErr: true, contains: "HTTP 403"},
		// A base URL that misses /rest.
		{name: "404", handler: serve(404, htmlType, "<title>Not Found</title>"), wantErr: true, contains: "check --url"},
		// A base URL that reaches a web page instead of the API.
		{name: "HTML 200", handler: serve(200, htmlType, "<title>Nutshell CRM</title>"), wantErr: true, contains: "check --url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var path string
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path = r.URL.Path
				tt.handler(w, r)
			}))
			err := newClient(t, srv).CheckAuth(context.Background())
			if path != "/rest/outcomes" {
				t.Errorf("path = %q", path)
			}
			if !tt.wantErr {
				if err != nil {
					t.Errorf("CheckAuth: %v", err)
				}
				return
			}
			if e := asError(t, err); e.Kind != KindFatal || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("err = %v (kind %v), want fatal containing %q", err, e.Kind, tt.contains)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		// The user's interrupt is not reported as a credentials problem.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := newClient(t, newServer(t, serve(200, jsonType, `[]`))).CheckAuth(ctx)
		if !errors.Is(err, context.Canceled) || KindOf(err) == KindFatal {
			t.Errorf("err = %v (kind %v)", err, KindOf(err))
		}
	})
}

// A server that refuses paging on a catalogue list says so in one request;
// the list is then read whole, without paging parameters.
func TestPagingRefused(t *testing.T) {
	var queries []string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		if r.URL.RawQuery != "" {
			serve(400, jsonType, `{"message":"Unknown query parameter \"page[limit]\"."}`)(w, r)
			return
		}
		serve(200, jsonType, `{"products":[{"id":"1-products","name":"Widget"}]}`)(w, r)
	}))
	c := newClient(t, srv)
	if _, err := c.Products(context.Background(), false); !errors.Is(err, ErrPagingRefused) {
		t.Fatalf("paged read: %v, want ErrPagingRefused", err)
	}
	got, err := c.Products(context.Background(), true)
	if err != nil || len(got) != 1 || len(queries) != 2 || queries[1] != "" {
		t.Errorf("whole read: %+v, %v; queries %q", got, err, queries)
	}
}
