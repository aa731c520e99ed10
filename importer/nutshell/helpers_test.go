package nutshell

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Credentials used by every test client; tests assert they never leak.
const (
	testUser = "ana@example.com"
	testKey  = Secret("k3y-S3cr3t-9f8e7d")
)

// newServer starts an httptest server that is closed when the test ends.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client for srv's /rest with test credentials.
func newClient(t *testing.T, srv *httptest.Server, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: srv.URL + "/rest", Username: testUser, APIKey: testKey, Timeout: 5 * time.Second, UserAgent: "leadstatus-test"}
	for _, f := range edit {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// serve answers every request with status, content type and body, plus a request ID.
func serve(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Nutshell-Request-Id", "0123456789abcdef0123456789abcdef")
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// asError fails the test unless err is an *Error.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	return e
}

// newHoldServer starts a server that reads each request, reports it on got
// (if not nil), then answers nothing until the client goes away or the test
// ends.
func newHoldServer(t *testing.T, got chan<- struct{}) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body to its end lets the server notice the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		if got != nil {
			close(got)
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // registered after Close, so it runs first
	return srv
}
