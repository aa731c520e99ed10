package nutshell

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestPostRedirectIsRefused(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		var followed atomic.Int32
		mux := http.NewServeMux()
		mux.HandleFunc("/rest/leads/1006-leads/status", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere/status?token=abc", code)
		})
		mux.HandleFunc("/elsewhere/status", func(w http.ResponseWriter, r *http.Request) {
			followed.Add(1)
			serve(200, jsonType, `{"id":"1006-leads"}`)(w, r)
		})
		srv := newServer(t, mux)
		c := newClient(t, srv)
		_, err := c.UpdateStatus(context.Background(), "1006-leads", []byte(`{}`))
		e := asError(t, err)
		if e.Kind != KindDefinite || e.StatusCode != code {
			t.Errorf("%d: kind %v status %d, want definite (%v)", code, e.Kind, e.StatusCode, err)
		}
		want := "the server redirected to " + srv.URL + "/elsewhere/status; check --url"
		if e.Message != want {
			t.Errorf("%d: message %q, want %q", code, e.Message, want)
		}
		if followed.Load() != 0 {
			t.Errorf("%d: the redirect was followed", code)
		}
	}
}

func TestGetRedirects(t *testing.T) {
	// other records whether any request reached another host carrying credentials.
	var otherAuth, otherHits atomic.Int32
	other := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		if r.Header.Get("Authorization") != "" {
			otherAuth.Add(1)
		}
		serve(200, jsonType, `{"outcomes":[]}`)(w, r)
	}))
	var sameAuthOK atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/rest/outcomes", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v2/outcomes", http.StatusFound)
	})
	mux.HandleFunc("/v2/outcomes", func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		sameAuthOK.Store(ok && u == testUser && p == testKey.Reveal())
		serve(200, jsonType, `{"outcomes":[{"id":"1-outcomes","name":"Won","status":"won"}]}`)(w, r)
	})
	mux.HandleFunc("/rest/products", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/rest/products", http.StatusFound)
	})
	c := newClient(t, newServer(t, mux))

	// Same host: followed, with credentials.
	outcomes, err := c.Outcomes(context.Background())
	if err != nil || len(outcomes) != 1 || !sameAuthOK.Load() {
		t.Errorf("same-host redirect: outcomes %v, err %v, auth kept %v", outcomes, err, sameAuthOK.Load())
	}

	// Another host: not followed, so the credentials stay home.
	_, err = c.Products(context.Background(), false)
	e := asError(t, err)
	if e.Kind != KindDefinite || !strings.Contains(e.Message, "redirected to "+other.URL) {
		t.Errorf("cross-host redirect: %v (kind %v)", err, e.Kind)
	}
	if otherAuth.Load() != 0 || otherHits.Load() != 0 {
		t.Errorf("the other host got %d requests, %d with credentials", otherHits.Load(), otherAuth.Load())
	}
}

func TestRedirectLoopStops(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/rest/outcomes", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/rest/outcomes", http.StatusFound)
	})
	c := newClient(t, newServer(t, mux))
	_, err := c.Outcomes(context.Background())
	if e := asError(t, err); e.Kind != KindDefinite || !strings.Contains(e.Message, "redirected more than") {
		t.Errorf("loop: %v (kind %v)", err, e.Kind)
	}
}
