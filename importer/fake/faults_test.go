package fake

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const closeBody = `{"outcomeId":"1-outcomes"}`

func TestFaultsAtRateOne(t *testing.T) {
	tests := []struct {
		name        string
		opts        Options
		wantDropped bool  // the connection closes with no answer
		wantStatus  []int // one of these otherwise
		wantApplied int
	}{
		// A 5xx before the update: nothing applied.
		{"fail", Options{FailRate: 1}, false, []int{500, 503}, 0},
		// A dropped connection before the update: nothing applied.
		{"reset", Options{ResetRate: 1}, true, nil, 0},
		// Applied, then a gateway error: the client cannot tell it worked.
		{"apply then fail", Options{ApplyThenFailRate: 1}, false, []int{502}, 1},
		// Applied, then the connection drops.
		{"apply then reset", Options{ApplyThenResetRate: 1}, true, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Leads = 10
			f := newFixture(t, tt.opts)
			r, err := f.try(http.MethodPost, "/rest/leads/7-leads/status", closeBody, testUser, testKey)
			if tt.wantDropped {
				if err == nil {
					t.Fatalf("got an answer %d, want a dropped connection", r.status)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Contains(tt.wantStatus, r.status) {
					t.Fatalf("status = %d, want one of %v", r.status, tt.wantStatus)
				}
				wantRequestID(t, r)
			}
			if n := f.s.Applied("7-leads"); n != tt.wantApplied {
				t.Errorf("Applied = %d, want %d", n, tt.wantApplied)
			}
			rec := f.s.Requests()
			if len(rec) != 1 || rec[0].Applied != (tt.wantApplied == 1) || (tt.wantDropped && rec[0].Status != StatusNoResponse) {
				t.Errorf("record = %+v", rec)
			}
			// Faults strike POSTs only.
			if r := f.do(http.MethodGet, "/rest/leads/7-leads", ""); r.status != http.StatusOK {
				t.Errorf("GET during POST faults: status %d", r.status)
			}
		})
	}
}

func TestFailBodiesVary(t *testing.T) {
	// 500 and 503 both occur, with JSON and HTML bodies, never applied.
	f := newFixture(t, Options{Leads: 40, FailRate: 1, Seed: 3})
	seen := map[string]bool{}
	for i := 1; i <= 40; i++ {
		r := f.do(http.MethodPost, fmt.Sprintf("/rest/leads/%d-leads/status", i), closeBody)
		kind := "json"
		if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			wantHTML(t, r, r.status)
			kind = "html"
		} else if message(t, r) == "" {
			t.Errorf("JSON %d without a message", r.status)
		}
		seen[strconv.Itoa(r.status)+" "+kind] = true
	}
	for _, k := range []string{"500 json", "500 html", "503 json", "503 html"} {
		if !seen[k] {
			t.Errorf("never saw %s in 40 failures: %v", k, seen)
		}
	}
	if st := f.s.Stats(); st.Applied != 0 {
		t.Errorf("Applied = %d, want 0", st.Applied)
	}
}

func TestOutage(t *testing.T) {
	tests := []struct {
		name  string
		reset bool
	}{
		{"503", false},  // the outage answers 503 pages
		{"reset", true}, // the outage drops connections
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{Outage: &Outage{After: 1, Count: 2, Reset: tt.reset}})
			var got []string
			for range 4 {
				r, err := f.try(http.MethodGet, "/rest/outcomes", "", testUser, testKey)
				switch {
				case err != nil:
					got = append(got, "dropped")
				default:
					got = append(got, strconv.Itoa(r.status))
				}
			}
			mid := "503"
			if tt.reset {
				mid = "dropped"
			}
			if want := []string{"200", mid, mid, "200"}; !reflect.DeepEqual(got, want) {
				t.Errorf("answers = %v, want %v", got, want)
			}
		})
	}
}

func TestSeededDeterminism(t *testing.T) {
	opts := Options{Leads: 100, FailRate: 0.2, ResetRate: 0.2, ApplyThenFailRate: 0.2, ApplyThenResetRate: 0.2}
	run := func(seed int64) (statuses []int, requestIDs []string) {
		t.Helper()
		o := opts
		o.Seed = seed
		f := newFixture(t, o)
		for i := 1; i <= 40; i++ {
			// Errors are dropped connections, which the record shows.
			_, _ = f.try(http.MethodPost, fmt.Sprintf("/rest/leads/%d-leads/status", i), closeBody, testUser, testKey)
		}
		for _, r := range f.s.Requests() {
			statuses = append(statuses, r.Status)
			requestIDs = append(requestIDs, r.RequestID)
		}
		return statuses, requestIDs
	}
	s1, id1 := run(42)
	s2, id2 := run(42)
	if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(id1, id2) {
		t.Errorf("same seed, different runs:\n%v\n%v", s1, s2)
	}
	kinds := map[int]bool{}
	for _, s := range s1 {
		kinds[s] = true
	}
	if !kinds[200] || !kinds[StatusNoResponse] || !kinds[502] || !(kinds[500] || kinds[503]) {
		t.Errorf("40 requests at these rates should show every outcome, got %v", s1)
	}
	_, id3 := run(43)
	if reflect.DeepEqual(id1, id3) {
		t.Errorf("seeds 42 and 43 gave the same request IDs")
	}
}

func TestRateWindow(t *testing.T) {
	// Three requests per hour-long window: the fourth and fifth are refused
	// with a Retry-After that says when the window ends, asked for or not.
	f := newFixture(t, Options{RateLimit: 3.0 / 3600, RateWindow: time.Hour})
	var got []int
	var last reply
	for range 5 {
		last = f.do(http.MethodGet, "/rest/outcomes", "")
		got = append(got, last.status)
	}
	if want := []int{200, 200, 200, 429, 429}; !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses = %v, want %v", got, want)
	}
	if n, err := strconv.Atoi(last.header.Get("Retry-After")); err != nil || n < 3500 || n > 3600 {
		t.Errorf("Retry-After = %q, want the rest of the hour", last.header.Get("Retry-After"))
	}
}

func TestRateLimit(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter bool
	}{
		{"without Retry-After", false}, // the live service sends none
		{"with Retry-After", true},     // when asked, seconds until a token
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One token per 1000 s: nothing refills during the test.
			f := newFixture(t, Options{RateLimit: 0.001, RateBurst: 3, RetryAfter: tt.retryAfter})
			var got []int
			for range 5 {
				got = append(got, f.do(http.MethodGet, "/rest/outcomes", "").status)
			}
			if want := []int{200, 200, 200, 429, 429}; !reflect.DeepEqual(got, want) {
				t.Fatalf("statuses = %v, want %v", got, want)
			}
			// The limit applies before authentication.
			r, err := f.try(http.MethodGet, "/rest/outcomes", "", "", "")
			if err != nil {
				t.Fatal(err)
			}
			if r.status != http.StatusTooManyRequests || message(t, r) != "Too many requests" {
				t.Errorf("429: status %d, body %s", r.status, r.body)
			}
			wantRequestID(t, r)
			ra := r.header.Get("Retry-After")
			if !tt.retryAfter && ra != "" {
				t.Errorf("Retry-After = %q, want none", ra)
			}
			if tt.retryAfter {
				if n, err := strconv.Atoi(ra); err != nil || n < 1 || n > 1000 {
					t.Errorf("Retry-After = %q, want 1–1000 seconds", ra)
				}
			}
			if st := f.s.Stats(); st.TooManyRequests != 3 {
				t.Errorf("Stats().TooManyRequests = %d, want 3", st.TooManyRequests)
			}
		})
	}
}

func TestLatencyEndsWithTheClient(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"latency", Options{Latency: time.Hour}},                     // every request is slow
		{"slow share", Options{SlowRate: 1, SlowLatency: time.Hour}}, // the slow share is all
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.opts)
			arrived := make(chan struct{})
			var once sync.Once
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				once.Do(func() { close(arrived) })
				s.ServeHTTP(w, r)
			}))
			defer ts.Close()
			ctx, cancel := context.WithCancel(context.Background())
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/rest/leads/1-leads/status", strings.NewReader(closeBody))
			if err != nil {
				t.Fatal(err)
			}
			req.SetBasicAuth(testUser, testKey)
			done := make(chan error, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
			<-arrived
			cancel()
			if err := <-done; err == nil {
				t.Fatal("the request was answered, want it cancelled")
			}
			ts.Close() // waits for the handler: it must not sleep for an hour
			rec := s.Requests()
			if len(rec) != 1 || rec[0].Status != StatusClientClosed || rec[0].Applied {
				t.Errorf("record = %+v, want one unapplied request with status 499", rec)
			}
		})
	}
}

func TestConcurrentUpdates(t *testing.T) {
	f := newFixture(t, Options{Leads: 100, Latency: time.Millisecond})
	f.c = &http.Client{} // keep-alive, many connections
	var wg sync.WaitGroup
	for i := 1; i <= 40; i++ {
		wg.Go(func() {
			path := fmt.Sprintf("/rest/leads/%d-leads", i)
			if r, err := f.try(http.MethodPost, path+"/status", closeBody, testUser, testKey); err != nil || r.status != http.StatusOK {
				t.Errorf("POST %s/status: status %d, %v", path, r.status, err)
			}
			if r, err := f.try(http.MethodGet, path, "", testUser, testKey); err != nil || r.status != http.StatusOK {
				t.Errorf("GET %s: status %d, %v", path, r.status, err)
			}
		})
	}
	wg.Wait()
	st := f.s.Stats()
	if st.Applied != 40 || st.Requests != 80 || st.ByStatus[200] != 80 {
		t.Errorf("Stats = %+v, want 40 applied of 80 requests, all 200", st)
	}
	for i := 1; i <= 40; i++ {
		if n := f.s.Applied(strconv.Itoa(i)); n != 1 {
			t.Errorf("Applied(%d) = %d, want 1", i, n)
		}
	}
}

func TestResetWithoutHijack(t *testing.T) {
	// A writer that cannot drop its connection gets a 502 page instead.
	s := New(Options{ResetRate: 1})
	req := httptest.NewRequest(http.MethodPost, "/rest/leads/1-leads/status", strings.NewReader(closeBody))
	req.SetBasicAuth(testUser, testKey)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	r := reply{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	wantHTML(t, r, http.StatusBadGateway)
	if s.Applied("1-leads") != 0 {
		t.Errorf("reset-before-apply fault applied the update")
	}
}
