package fake

import (
	"net/http"
	"testing"
	"time"
)

func TestArrivalsWindow(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		at   []time.Duration
		want int
	}{
		// Nothing arrived.
		{"none", nil, 0},
		// Three within a second.
		{"burst", []time.Duration{0, 10 * ms, 20 * ms}, 3},
		// Exactly one second apart: separate windows (t-1s, t].
		{"one second apart", []time.Duration{0, time.Second, 2 * time.Second}, 1},
		// The window slides: 400 ms to 1300 ms holds four.
		{"sliding", []time.Duration{0, 400 * ms, 900 * ms, 1100 * ms, 1300 * ms, 3000 * ms}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a arrivals
			for _, d := range tt.at {
				a.add(d)
			}
			if a.max != tt.want {
				t.Errorf("max = %d, want %d", a.max, tt.want)
			}
		})
	}
}

func TestArrivalsWindowStaysSmall(t *testing.T) {
	// A long steady run keeps only about a second of arrivals.
	var a arrivals
	for i := range 100_000 {
		a.add(time.Duration(i) * time.Millisecond)
	}
	if a.max != 1000 || cap(a.times) > 4096 {
		t.Errorf("max = %d, cap = %d; want 1000 and a small buffer", a.max, cap(a.times))
	}
}

func TestRequestRecord(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		wantBody string
	}{
		{"with bodies", Options{RecordBodies: true}, closeBody}, // tests keep bodies
		{"without bodies", Options{}, ""},                       // load runs do not
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Lax: the record keeps a query the document does not declare.
			f := newLaxFixture(t, tt.opts)
			f.do(http.MethodGet, "/rest/leads/7?x=1", "")
			r := f.do(http.MethodPost, "/rest/leads/7-leads/status", closeBody)
			f.do(http.MethodGet, "/rest/leads/abc", "")
			rec := f.s.Requests()
			if len(rec) != 3 {
				t.Fatalf("%d records, want 3", len(rec))
			}
			get, post, bad := rec[0], rec[1], rec[2]
			if get.Method != "GET" || get.Path != "/rest/leads/7" || get.Query != "x=1" || get.Lead != "7-leads" || get.Status != 200 || get.Applied {
				t.Errorf("GET record = %+v", get)
			}
			if post.Method != "POST" || post.Lead != "7-leads" || post.Status != 200 || !post.Applied || string(post.Body) != tt.wantBody {
				t.Errorf("POST record = %+v", post)
			}
			if post.RequestID != r.header.Get("x-nutshell-request-id") {
				t.Errorf("recorded request ID %q, header %q", post.RequestID, r.header.Get("x-nutshell-request-id"))
			}
			if bad.Lead != "abc" || bad.Status != 404 {
				t.Errorf("unknown lead record = %+v", bad)
			}
			if get.Time.After(post.Time) || post.Time.After(bad.Time) {
				t.Errorf("records out of arrival order")
			}
		})
	}
}

func TestStatsWithoutRecord(t *testing.T) {
	f := newFixture(t, Options{NoRecord: true, ApplyThenResetRate: 1, ClosedLeads: []string{"3-leads"}})
	f.do(http.MethodGet, "/rest/outcomes", "")
	f.do(http.MethodPost, "/rest/leads/3-leads/status", closeBody) // 422, never reaches the fault
	if _, err := f.try(http.MethodPost, "/rest/leads/4-leads/status", closeBody, testUser, testKey); err == nil {
		t.Errorf("apply-then-reset answered")
	}
	st := f.s.Stats()
	want := map[int]int{200: 1, 422: 1, StatusNoResponse: 1}
	if st.Requests != 3 || st.Applied != 1 || st.Resets != 1 || len(st.ByStatus) != 3 ||
		st.ByStatus[200] != want[200] || st.ByStatus[422] != want[422] || st.MaxPerSecond < 1 {
		t.Errorf("Stats = %+v", st)
	}
	if rec := f.s.Requests(); rec != nil {
		t.Errorf("Requests() = %d records with NoRecord", len(rec))
	}
	if l, _ := f.s.Lead("4-leads"); l.Status != "won" {
		t.Errorf("Lead(4-leads).Status = %q, want won", l.Status)
	}
}
