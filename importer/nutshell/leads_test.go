package nutshell

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// leadsServer serves GET /rest/leads/a,b,c for leads 0-leads … n-1-leads,
// except those in missing. With strict404 a batch that names any missing lead
// fails whole with 404, as some APIs do. It records each request's ID count
// and URL length.
type leadsServer struct {
	n        int
	missing  map[string]bool
	strict   bool
	mu       sync.Mutex
	batches  []int
	urlSizes []int
}

func (s *leadsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	seg := strings.TrimPrefix(r.URL.Path, "/rest/leads/")
	ids := strings.Split(seg, ",")
	s.mu.Lock()
	s.batches = append(s.batches, len(ids))
	s.urlSizes = append(s.urlSizes, len("http://"+r.Host+r.URL.RequestURI()))
	s.mu.Unlock()
	var found []Lead
	for _, id := range ids {
		var num int
		if _, err := fmt.Sscanf(id, "%d-leads", &num); err != nil || num >= s.n || s.missing[id] {
			if s.strict || len(ids) == 1 {
				serve(404, htmlType, "<title>An Error Occurred: Not Found</title>")(w, r)
				return
			}
			continue
		}
		found = append(found, Lead{ID: id, Number: int64(1000 + num), Status: "open"})
	}
	body, _ := json.Marshal(map[string]any{"leads": found})
	serve(200, jsonType, string(body))(w, r)
}

// readAll reads ids batch by batch, as a caller of Batches does.
func readAll(t *testing.T, c *Client, ids []string) []Lead {
	t.Helper()
	var out []Lead
	for _, batch := range c.Batches("/leads/", ids, maxBatchIDs) {
		leads, err := c.LeadBatch(context.Background(), batch)
		if err != nil {
			t.Fatalf("LeadBatch(%d IDs from %s): %v", len(batch), batch[0], err)
		}
		out = append(out, leads...)
	}
	return out
}

func TestLeadBatches(t *testing.T) {
	// The server leaves missing leads out of a batch's answer.
	s := &leadsServer{n: 240, missing: map[string]bool{"17-leads": true, "150-leads": true}}
	c := newClient(t, newServer(t, s))
	var ids []string
	for i := range 260 { // 240 exist, 20 beyond the end do not
		ids = append(ids, fmt.Sprintf("%d-leads", i))
	}
	ids = append(ids, "3-leads", "  ", "5-leads") // a duplicate and a blank cell
	got := map[string]bool{}
	for _, l := range readAll(t, c, ids) {
		if got[l.ID] {
			t.Errorf("lead %s twice", l.ID)
		}
		got[l.ID] = true
	}
	if len(got) != 238 || got["17-leads"] || got["150-leads"] || got["250-leads"] || !got["239-leads"] {
		t.Errorf("got %d leads; 17: %v, 150: %v, 250: %v, 239: %v", len(got), got["17-leads"], got["150-leads"], got["250-leads"], got["239-leads"])
	}
	for i, n := range s.batches {
		if n > maxBatchIDs || s.urlSizes[i] > maxURLBytes {
			t.Errorf("request %d had %d IDs and a %d-byte URL", i, n, s.urlSizes[i])
		}
	}
	if len(s.batches) != 3 {
		t.Errorf("got %d requests (%v), want 3", len(s.batches), s.batches)
	}
}

func TestLeadBatchStrictServer(t *testing.T) {
	// A server that fails a whole batch with 404 for one missing lead: the
	// error says so, and the caller halves the batch (each half paced).
	s := &leadsServer{n: 240, strict: true, missing: map[string]bool{"17-leads": true}}
	c := newClient(t, newServer(t, s))
	_, err := c.LeadBatch(context.Background(), []string{"16-leads", "17-leads", "18-leads"})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("LeadBatch with a missing lead on a strict server: %v, want ErrNotFound", err)
	}
	if len(s.batches) != 1 {
		t.Errorf("%d requests, want 1: halving is the caller's", len(s.batches))
	}
}

func TestLeadsURLBudget(t *testing.T) {
	// Long IDs: the URL limit, not the count, decides the batches.
	s := &leadsServer{n: 1 << 30}
	c := newClient(t, newServer(t, s))
	var ids []string
	for i := range 100 {
		ids = append(ids, fmt.Sprintf("%0100d-leads", i))
	}
	if leads := readAll(t, c, ids); len(leads) != 100 {
		t.Fatalf("read %d leads, want 100", len(leads))
	}
	if len(s.batches) < 2 {
		t.Errorf("%d requests; 100 IDs of 106 bytes must not fit one URL", len(s.batches))
	}
	for i, n := range s.urlSizes {
		if n > maxURLBytes {
			t.Errorf("request %d URL is %d bytes", i, n)
		}
	}
}

func TestLead(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		wantID   string
		notFound bool
	}{
		// GET /leads/{id} wraps the lead in {"leads":[...]}.
		{name: "wrapped", handler: serve(200, jsonType, `{"leads":[{"id":"1006-leads","status":"won","links":{"outcome":"1-outcomes"}}]}`), wantID: "1006-leads"},
		// The bare lead object is accepted too.
		{name: "bare", handler: serve(200, jsonType, `{"id":"1006-leads","status":"won"}`), wantID: "1006-leads"},
		// 404 is ErrNotFound.
		{name: "404", handler: serve(404, htmlType, "<title>An Error Occurred: Not Found</title>"), notFound: true},
		// An empty list is ErrNotFound too.
		{name: "empty list", handler: serve(200, jsonType, `{"leads":[]}`), notFound: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var path string
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path = r.URL.EscapedPath()
				tt.handler(w, r)
			}))
			lead, resp, err := newClient(t, srv).Lead(context.Background(), "1006-leads")
			if path != "/rest/leads/1006-leads" {
				t.Errorf("path = %q", path)
			}
			if tt.notFound {
				if !errors.Is(err, ErrNotFound) || KindOf(err) != KindDefinite {
					t.Errorf("err = %v, want a definite ErrNotFound", err)
				}
				return
			}
			if err != nil || lead.ID != tt.wantID || !reflect.DeepEqual(resp.Lead, lead) || resp.RequestID == "" {
				t.Errorf("lead %+v resp %+v err %v", lead, resp, err)
			}
		})
	}
}

func TestReopen(t *testing.T) {
	var method, path string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method, path = r.Method, r.URL.EscapedPath()
		serve(200, jsonType, `{"id":"7-leads","status":"open"}`)(w, r)
	}))
	resp, err := newClient(t, srv).Reopen(context.Background(), "7-leads")
	if err != nil || resp.Lead.Status != "open" {
		t.Fatalf("Reopen: %+v, %v", resp, err)
	}
	if method != http.MethodPost || path != "/rest/leads/7-leads/reopen" {
		t.Errorf("request = %s %s", method, path)
	}
}

func TestLeadsByNumber(t *testing.T) {
	var query string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Query().Get("filter[number]")
		// Also returns a lead with another number, as a server ignoring the filter would.
		serve(200, jsonType, `{"meta":{"total":2},"leads":[{"id":"9-leads","number":1001},{"id":"4-leads","number":"1002"}]}`)(w, r)
	}))
	c := newClient(t, srv)
	leads, err := c.LeadsByNumber(context.Background(), " 1001 ", false)
	if err != nil {
		t.Fatal(err)
	}
	if query != "1001" || len(leads) != 1 || leads[0].ID != "9-leads" {
		t.Errorf("filter %q, leads %+v", query, leads)
	}
	// Leads but none of that number: the filter was not applied.
	if _, err := c.LeadsByNumber(context.Background(), "1003", false); !errors.Is(err, ErrFilterIgnored) {
		t.Errorf("no match in a filtered answer: %v, want ErrFilterIgnored", err)
	}
	// The search (q=, declared) keeps exact matches and says nothing more.
	if leads, err := c.LeadsByNumber(context.Background(), "1002", true); err != nil || len(leads) != 1 || leads[0].ID != "4-leads" || query != "" {
		t.Errorf("search: %+v, %v (filter %q)", leads, err, query)
	}
	_, err = c.LeadsByNumber(context.Background(), "Lead-1001", false)
	if KindOf(err) != KindDefinite || !strings.Contains(err.Error(), "not a lead number") {
		t.Errorf("bad number: %v", err)
	}
}

func TestLeadsByNumbers(t *testing.T) {
	var query string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Query().Get("filter[number]")
		serve(200, jsonType, `{"meta":{"total":2},"leads":[{"id":"9-leads","number":1001},{"id":"4-leads","number":"1002"}]}`)(w, r)
	}))
	c := newClient(t, srv)
	got, err := c.LeadsByNumbers(context.Background(), []int64{1001, 1002, 1005})
	if err != nil {
		t.Fatal(err)
	}
	// 1005 is not in the answer: not known to be missing, just not found here.
	if query != "1001,1002,1005" || len(got) != 2 || got[1001][0].ID != "9-leads" || got[1002][0].ID != "4-leads" {
		t.Errorf("filter %q, leads %+v", query, got)
	}
	// A lead of a number not asked for: the filter was not applied.
	if _, err := c.LeadsByNumbers(context.Background(), []int64{1001, 1003}); !errors.Is(err, ErrFilterIgnored) {
		t.Errorf("a lead of another number: %v, want ErrFilterIgnored", err)
	}
}

func TestSingleIDPathsEscape(t *testing.T) {
	var paths []string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		serve(200, jsonType, `{"id":"x"}`)(w, r)
	}))
	c := newClient(t, srv)
	_, _ = c.UpdateStatus(context.Background(), "1,2", nil)
	_, _ = c.Reopen(context.Background(), "3/status")
	sort.Strings(paths)
	want := []string{"/rest/leads/1%2C2/status", "/rest/leads/3%2Fstatus/reopen"}
	if fmt.Sprint(paths) != fmt.Sprint(want) {
		t.Errorf("paths = %v, want %v", paths, want)
	}
	if _, err := c.UpdateStatus(context.Background(), "", nil); KindOf(err) != KindDefinite {
		t.Errorf("empty ID: %v", err)
	}
}
