package fake

import (
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"testing"
)

// sent is one request a test sends: method and path with query.
type sent struct{ method, path string }

// idsByRequest sends reqs to a fresh server with the given seed, workers at a
// time, and returns the request IDs each distinct request got, in the order
// its repeats arrived.
func idsByRequest(t *testing.T, seed int64, reqs []sent, workers int) map[sent][]string {
	t.Helper()
	f := newFixture(t, Options{Seed: seed, ClosedLeads: []string{"9-leads"}})
	next := make(chan sent)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for r := range next {
				body := ""
				if r.method == http.MethodPost {
					body = closeBody
				}
				// Answers differ (a second close is 422); only the header matters here.
				resp, err := f.try(r.method, r.path, body, testUser, testKey)
				if err != nil {
					t.Errorf("%s %s: %v", r.method, r.path, err)
					continue
				}
				wantRequestID(t, resp)
			}
		})
	}
	for _, r := range reqs {
		next <- r
	}
	close(next)
	wg.Wait()
	got := map[sent][]string{}
	for _, rec := range f.s.Requests() {
		path := rec.Path
		if rec.Query != "" {
			path += "?" + rec.Query
		}
		k := sent{rec.Method, path}
		got[k] = append(got[k], rec.RequestID)
	}
	return got
}

func TestRequestIDsComeFromTheRequestNotTheArrivalOrder(t *testing.T) {
	var reqs []sent
	for i := 1; i <= 40; i++ {
		reqs = append(reqs, sent{http.MethodGet, fmt.Sprintf("/rest/leads/%d-leads", i)})
		reqs = append(reqs, sent{http.MethodPost, fmt.Sprintf("/rest/leads/%d-leads/status", i)})
	}
	reversed := make([]sent, len(reqs))
	for i, r := range reqs {
		reversed[len(reqs)-1-i] = r
	}
	want := idsByRequest(t, 42, reqs, 1)
	tests := []struct {
		name    string
		reqs    []sent
		workers int
	}{
		{"same order again", reqs, 1},               // a rerun gives the same IDs
		{"reversed", reversed, 1},                   // order does not matter
		{"sixteen at once", reqs, 16},               // nor does concurrency
		{"reversed, sixteen at once", reversed, 16}, // nor both
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := idsByRequest(t, 42, tt.reqs, tt.workers); !reflect.DeepEqual(got, want) {
				t.Errorf("request IDs changed with the order of arrival:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestRequestIDsDifferByRequestAttemptAndSeed(t *testing.T) {
	get7 := sent{http.MethodGet, "/rest/leads/7-leads"}
	reqs := []sent{
		get7,
		get7, // the same request again: its second attempt
		{http.MethodGet, "/rest/leads/8-leads"},
		{http.MethodGet, "/rest/leads?filter%5Bnumber%5D=7"}, // the query counts too
		{http.MethodGet, "/rest/leads?filter%5Bnumber%5D=8"},
		{http.MethodPost, "/rest/leads/7-leads/status"},
	}
	a := idsByRequest(t, 42, reqs, 1)
	seen := map[string]sent{}
	for r, ids := range a {
		for _, id := range ids {
			if prev, dup := seen[id]; dup {
				t.Errorf("request ID %s given to %v and %v", id, prev, r)
			}
			seen[id] = r
		}
	}
	if len(seen) != len(reqs) {
		t.Errorf("%d distinct IDs for %d requests: %v", len(seen), len(reqs), a)
	}
	b := idsByRequest(t, 43, reqs, 1)
	for r, ids := range a {
		for i, id := range ids {
			if b[r][i] == id {
				t.Errorf("%v attempt %d: seeds 42 and 43 both gave %s", r, i+1, id)
			}
		}
	}
}
