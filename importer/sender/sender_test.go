package sender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/stop"
)

// fakeClock is the pacer's clock in a test: Sleep moves it on at once, so
// pacing is checked exactly and takes no time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

// strictServer answers a batched lead read with 404 for the whole batch when
// one lead is missing, as a strict server may, and records when each read
// came by the pacer's clock.
type strictServer struct {
	missing map[string]bool
	clock   *fakeClock
	mu      sync.Mutex
	times   []time.Time
}

func (s *strictServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.times = append(s.times, s.clock.Now())
	s.mu.Unlock()
	ids := strings.Split(strings.TrimPrefix(r.URL.Path, "/rest/leads/"), ",")
	var leads []map[string]string
	for _, id := range ids {
		if s.missing[id] {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte("<title>An Error Occurred: Not Found</title>"))
			return
		}
		leads = append(leads, map[string]string{"id": id, "status": "open"})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"leads": leads})
}

// A batch the server refuses with 404 is halved until the missing lead is
// alone; every half is a request of its own, paced and counted.
func TestSplitReadsArePacedAndCounted(t *testing.T) {
	clock := newFakeClock()
	srv := &strictServer{missing: map[string]bool{"3-leads": true}, clock: clock}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: "u@example.com", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	const rate = 20
	p := pacer.New(pacer.Config{Ceiling: rate, Start: rate, Now: clock.Now, Sleep: clock.Sleep}, nil)
	s := New(Config{Client: client, Pacer: p, Stop: stop.New(), Retries: 2})
	ids := []string{"1-leads", "2-leads", "3-leads", "4-leads", "5-leads", "6-leads", "7-leads", "8-leads"}
	leads, err := s.Leads(context.Background(), ids)
	if err != nil {
		t.Fatalf("Leads: %v", err)
	}
	if len(leads) != 7 {
		t.Errorf("read %d leads, want the 7 that exist", len(leads))
	}
	// 8 → 4+4 → 2+2 → 1+1: the whole batch, its halves, quarters and eighths on the missing side.
	if got := len(srv.times); got != s.Requests() || got != 7 {
		t.Errorf("%d requests reached the server, %d counted; want 7 both", got, s.Requests())
	}
	// Paced: each read 1/rate after the one before, by the pacer's clock.
	for i := 1; i < len(srv.times); i++ {
		if gap := srv.times[i].Sub(srv.times[i-1]); gap != time.Second/rate {
			t.Errorf("read %d came %s after read %d; want %s (%d a second)", i+1, gap, i, time.Second/rate, rate)
		}
	}
}

// Once the run stops dispatching, a read waiting for its turn ends at once:
// the stop comes while the pacer sleeps, and the sleep is cut short.
func TestReadEndsWhenTheRunStops(t *testing.T) {
	sig := stop.New()
	var slept []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		if d <= 0 {
			return ctx.Err()
		}
		slept = append(slept, d)
		sig.Stop("interrupted", "stopped", nil)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Minute): // a deadline for a broken test, not a timing
			return errors.New("the stop did not end the pacer's sleep")
		}
	}
	clock := newFakeClock()
	s := New(Config{Pacer: pacer.New(pacer.Config{Ceiling: 0.5, Start: 0.5, Now: clock.Now, Sleep: sleep}, nil), Stop: sig})
	// The first turn is free; the second waits two seconds unless the run stops.
	if err := s.Read(context.Background(), func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(slept) != 0 {
		t.Fatalf("the first read slept %v; want its turn free", slept)
	}
	called := false
	err := s.Read(context.Background(), func(context.Context) error { called = true; return nil })
	if err == nil || called {
		t.Fatalf("Read after the stop: err %v, read made %v; want it not made", err, called)
	}
	if !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("Read after the stop: %v; want it ended by the stop", err)
	}
	if len(slept) != 1 || slept[0] != 2*time.Second {
		t.Errorf("the pacer slept %v; want one wait of 2s, cut short", slept)
	}
}

// A server that does not read comma-joined IDs is learnt once: the run then
// reads one lead per request, never a refused batch per lead.
func TestCommaJoinedReadsLearntOnce(t *testing.T) {
	tests := []struct {
		name  string
		serve func(ids []string) []string // the leads answered; nil: 404
	}{
		// 404 for any comma-joined path.
		{"refused", func(ids []string) []string {
			if len(ids) > 1 {
				return nil
			}
			return ids
		}},
		// Answers the first lead only, as if the rest of the path were not there.
		{"ignored", func(ids []string) []string { return ids[:1] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			requests := 0
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				requests++
				mu.Unlock()
				ids := strings.Split(strings.TrimPrefix(r.URL.Path, "/rest/leads/"), ",")
				got := tt.serve(ids)
				if got == nil {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusNotFound)
					return
				}
				var leads []map[string]string
				for _, id := range got {
					leads = append(leads, map[string]string{"id": id, "status": "open"})
				}
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(map[string]any{"leads": leads})
			}))
			defer ts.Close()
			client, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: "u@example.com", APIKey: "k"})
			if err != nil {
				t.Fatal(err)
			}
			s := New(Config{Client: client, Pacer: pacer.New(pacer.Config{Ceiling: 1e6, Start: 1e6}, nil), Stop: stop.New()})
			var ids []string
			for i := 1; i <= 250; i++ {
				ids = append(ids, fmt.Sprintf("%d-leads", i))
			}
			leads, err := s.Leads(context.Background(), ids)
			if err != nil || len(leads) != len(ids) {
				t.Fatalf("%d leads, %v; want %d", len(leads), err, len(ids))
			}
			// One lead per read, and a few refused batches before it was learnt.
			if requests > len(ids)+10 || requests != s.Requests() {
				t.Errorf("%d requests (%d counted) for %d leads", requests, s.Requests(), len(ids))
			}
			if learnt := s.Limits().Learnt(); len(learnt) != 1 || !strings.Contains(learnt[0], "one at a time") {
				t.Errorf("learnt %q", learnt)
			}
		})
	}
}
